"""Counting attempts against limits, in transactions of their own so that a refused request still counts."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime

from dualuse.domain.errors import TooManyAttemptsError
from dualuse.domain.throttling import Count, Limit
from dualuse.services import audit
from dualuse.services.unit_of_work import UnitOfWork

Attempt = tuple[Limit, str]  # a limit and the subject it counts (an e-mail, a client address)


def take(
    uow: UnitOfWork,
    attempts: Sequence[Attempt],
    *,
    refusal: Callable[[Count, datetime], str],
    audit_action: str,
    audit_after: Mapping[str, object],
    now: datetime | None = None,
) -> None:
    """Count one attempt against each limit, and commit at once (so parallel requests in other processes
    see it before this one goes on). Raises ``TooManyAttemptsError`` with ``refusal``'s message when a limit
    is exceeded; the first refused attempt of a window is audited as ``audit_action``, the rest are not (an
    attacker could otherwise fill the trail)."""
    now = now or uow.clock.now()
    refused: tuple[Limit, Count] | None = None
    with uow:
        uow.throttle.purge(now)
        for limit, subject in attempts:
            count = uow.throttle.hit(limit.key(subject), now, limit.window)
            if count.exceeds(limit) and (refused is None or count.resets_at > refused[1].resets_at):
                refused = (limit, count)
        if refused is not None and refused[1].first_refusal(refused[0]):
            limit, count = refused
            audit.record(
                uow,
                actor="public",
                action=audit_action,
                entity_type="throttle",
                entity_id=f"{limit.action}:{limit.per}",
                after={**audit_after, "attempts": count.attempts, "until": count.resets_at.isoformat()},
            )
        uow.commit()
    if refused is not None:
        raise TooManyAttemptsError(refusal(refused[1], now), retry_after=refused[1].retry_after(now))


def give_back(uow: UnitOfWork, attempts: Sequence[Attempt], *, now: datetime | None = None) -> None:
    """Take back the attempts ``take`` counted: the request succeeded (a sign-in) or was refused for its
    content (a form with a mistake), so it does not count against the limit."""
    now = now or uow.clock.now()
    with uow:
        for limit, subject in attempts:
            uow.throttle.release(limit.key(subject), now)
        uow.commit()


def wait_message(what: str) -> Callable[[Count, datetime], str]:
    """``what``, then when to try again, in minutes and as a UTC time."""

    def message(count: Count, now: datetime) -> str:
        minutes = max(1, (count.retry_after(now) + 59) // 60)
        return (
            f"{what}; try again in {minutes} minute{'s' if minutes != 1 else ''} "
            f"(after {count.resets_at.astimezone(UTC):%H:%M} UTC)"
        )

    return message
