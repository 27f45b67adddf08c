"""Delivering outgoing documents in the background, retried until they are through: a ``deliver_outgoing`` job
names a channel (the Art. 5(4) exchange between member states, a mail gateway, ...) and what to send; the
channel's delivery sends it. A delivery that fails raises, and the queue tries again with back-off
(``domain.jobs.retry_delay``) until the job's attempts are spent, keeping the last error on the job's row.

No channel is built in: a module that sends documents out registers its delivery under a channel name (in
``bootstrap.Container.deliveries``), and ``services.jobs.kinds.job_handlers`` gives the worker the one
``deliver_outgoing`` handler that dispatches to them. A job for a channel nobody registered fails like a
delivery would (and is retried: a worker started later with the channel may still deliver it)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, Protocol

from dualuse.domain.errors import ValidationError
from dualuse.domain.jobs import Job
from dualuse.services.jobs.queue import Handler, JobContext, enqueue, utc_now
from dualuse.services.unit_of_work import UnitOfWork

DELIVER_OUTGOING = "deliver_outgoing"


class OutgoingDelivery(Protocol):
    """Sends one outgoing document through a channel; raises when it could not (the job is retried)."""

    def __call__(self, payload: Mapping[str, Any], context: JobContext) -> str:
        """Send what ``payload`` names; a line saying what was delivered, kept as the job's message."""
        ...


class UnknownChannelError(ValidationError):
    """No delivery is registered for the job's channel in this worker."""


def delivering(deliveries: Mapping[str, OutgoingDelivery]) -> Handler:
    """The ``deliver_outgoing`` handler: dispatch the job to its channel's delivery."""

    def handler(job: Job, context: JobContext) -> str:
        channel = str(job.payload.get("channel") or "")
        delivery = deliveries.get(channel)
        if delivery is None:
            known = ", ".join(sorted(deliveries)) or "none"
            raise UnknownChannelError(f"no delivery registered for channel {channel!r} (known: {known})")
        return f"{channel}: {delivery(job.payload, context)}"

    return handler


def queue_delivery(
    uow: UnitOfWork,
    channel: str,
    payload: Mapping[str, Any],
    *,
    handlers: Mapping[str, Handler],
    clock: Callable[[], datetime] = utc_now,
) -> int:
    """Queue the delivery of an outgoing document within ``uow`` (sent once the caller commits); its job id."""
    if not channel.strip():
        raise ValidationError("name the channel to deliver through", field="channel")
    return enqueue(uow, DELIVER_OUTGOING, {**payload, "channel": channel}, handlers=handlers, clock=clock)
