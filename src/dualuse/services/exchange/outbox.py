"""Sending documents to other states: sign once, deliver locally to the states this deployment serves, queue
for the others (one outbox row per peer deployment), and deliver the queue with retries and back-off.

The outbox row is written in the use case's transaction, so a document is sent exactly when the decision
behind it is recorded; ``send_pending`` delivers later (``dualuse exchange send-pending``, e.g. every minute
from cron or a systemd timer).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from dualuse.domain.errors import ValidationError
from dualuse.domain.exchange import DocumentKind, unsigned_document, with_signature
from dualuse.domain.exchange.delivery import retry_delay
from dualuse.domain.exchange.envelope import canonical_bytes
from dualuse.domain.jobs import Job
from dualuse.domain.union import EU_MEMBER_STATES
from dualuse.services.exchange import inbox, keys
from dualuse.services.exchange.payloads import check_payload
from dualuse.services.exchange.ports import Courier, ExchangeSetup
from dualuse.services.jobs.queue import Handler, JobContext
from dualuse.services.unit_of_work import UnitOfWork

log = logging.getLogger("dualuse.exchange")
SEND_JOB = "exchange.send"
JOB_ATTEMPTS = 5


@dataclass(frozen=True)
class Published:
    document: Mapping[str, Any]
    delivered_locally: tuple[str, ...]
    queued: tuple[tuple[str, ...], ...]  # the recipient states of each outbox row


def publish(
    uow: UnitOfWork,
    kind: DocumentKind | str,
    payload: Mapping[str, Any],
    from_state: str,
    to_states: Sequence[str],
    *,
    setup: ExchangeSetup,
    now: datetime,
) -> Published:
    """Sign a document from ``from_state`` (a state this deployment serves) to ``to_states``: those served
    here get it in the inbox at once, through the same checks as any received document; the others get it
    through the outbox (their peer must be registered). The caller commits."""
    kind = DocumentKind(kind)
    if from_state not in setup.served_states:
        raise ValidationError(f"this deployment does not speak for {from_state}", field="from_state")
    recipients = sorted(set(to_states) - {from_state})
    if not recipients:
        raise ValidationError(
            "a document needs at least one recipient state other than its sender", field="to_states"
        )
    unknown = [s for s in recipients if s not in EU_MEMBER_STATES]
    if unknown:
        raise ValidationError(f"not EU member states: {', '.join(unknown)}", field="to_states")
    body = check_payload(kind, payload)
    local = [s for s in recipients if s in setup.served_states]
    groups: dict[str, list[str]] = {}
    for state in recipients:
        if state in local:
            continue
        peer = uow.exchange.peer(state)
        if peer is None:
            raise ValidationError(
                f"no peer deployment is registered for {state}: `dualuse exchange peer add {state} URL "
                "--key-file KEYS.json`",
                field="to_states",
            )
        groups.setdefault(peer.base_url, []).append(state)
    signer = keys.signer(uow, setup)
    unsigned = unsigned_document(
        kind=kind,
        from_state=from_state,
        to_states=recipients,
        issued_at=now,
        key_id=signer.key_id,
        payload=body,
    )
    document = with_signature(unsigned, signer.sign(canonical_bytes(unsigned)))
    if local:
        inbox.accept(uow, document, setup, now, local=True)
    for states in groups.values():
        uow.exchange.add_outbox(str(document["id"]), kind.value, states, document, now)
    if groups and setup.deliver_by_worker:  # delivered at once by `dualuse worker`, not the next cron run
        uow.jobs.add(
            SEND_JOB, {"document_id": document["id"]}, run_after=now, max_attempts=JOB_ATTEMPTS, at=now
        )
    return Published(document, tuple(local), tuple(tuple(s) for s in groups.values()))


@dataclass(frozen=True)
class SendReport:
    delivered: int
    failed: int
    errors: tuple[str, ...]


def send_pending(
    uows: Callable[[], UnitOfWork],
    courier: Courier,
    now: Callable[[], datetime],
    limit: int = 100,
    *,
    retry_now: bool = False,
    document_id: str | None = None,
) -> SendReport:
    """Deliver the outbox items that are due (with ``retry_now``, every undelivered one, e.g. when a peer
    says it is back), each in a transaction of its own: delivered, or its attempts counted and its next
    attempt put off (``domain.exchange.delivery.retry_delay``)."""
    delivered = failed = 0
    errors: list[str] = []

    def due_by() -> datetime:
        return datetime.max.replace(tzinfo=UTC) if retry_now else now()

    with uows() as uow:
        due = [
            item.id
            for item in uow.exchange.due_outbox(due_by(), limit)
            if document_id is None or item.document_id == document_id
        ]
    for item_id in due:
        with uows() as uow:
            item = uow.exchange.take_due(item_id, due_by())
            if item is None:
                continue  # delivered meanwhile by another sender
            peer = uow.exchange.peer(item.recipients[0])
            if peer is None:
                result_error = f"no peer registered for {item.recipients[0]}"
                outcome = None
            else:
                outcome = courier.deliver(peer.base_url, item.document)
                result_error = outcome.detail
            if outcome is not None and (outcome.delivered or outcome.already_received):
                uow.exchange.delivered(
                    item.id, now(), "already received" if outcome.already_received else None
                )
                delivered += 1
            else:
                attempts = item.attempts + 1
                uow.exchange.failed(item.id, result_error[:1000], now() + retry_delay(attempts))
                failed += 1
                errors.append(f"{item.document_id} → {','.join(item.recipients)}: {result_error}")
                log.warning("exchange delivery failed (attempt %s): %s", attempts, result_error)
            uow.commit()
    return SendReport(delivered, failed, tuple(errors))


class UndeliveredError(RuntimeError):
    """The job's document is not delivered yet: the job queue tries again after its own back-off."""


def send_job(courier: Courier) -> Handler:
    """The ``exchange.send`` job (``dualuse worker``, when ``DUALUSE_EXCHANGE_WORKER`` is on): deliver one
    published document now, whatever its outbox back-off; fail while a peer is down, so that the queue tries
    again (``domain.jobs.retry_delay``). When the job's attempts are spent, ``send-pending`` goes on."""

    def handle(job: Job, context: JobContext) -> str:
        document_id = str(job.payload["document_id"])
        report = send_pending(context.uows, courier, context.clock, retry_now=True, document_id=document_id)
        if report.failed:
            raise UndeliveredError("; ".join(report.errors))
        return f"document {document_id}: {report.delivered} delivery(ies)"

    return handle
