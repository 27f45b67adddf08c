"""When the outbox tries again: exponential back-off for a peer that is down or refuses for now."""

from __future__ import annotations

from datetime import timedelta

FIRST_DELAY = timedelta(minutes=1)
MAX_DELAY = timedelta(hours=6)


def retry_delay(attempts: int) -> timedelta:
    """The wait after ``attempts`` failed deliveries: 1 min, doubling, at most 6 h."""
    if attempts < 1:
        return timedelta(0)
    delay: timedelta = FIRST_DELAY * (2 ** min(attempts - 1, 20))
    return min(delay, MAX_DELAY)
