"""Every kind of job the worker knows, by name."""

from __future__ import annotations

from collections.abc import Mapping

from dualuse.domain.casework import CaseworkRules
from dualuse.services.jobs.outgoing import DELIVER_OUTGOING, OutgoingDelivery, delivering
from dualuse.services.jobs.queue import Handler
from dualuse.services.jobs.reminders import REMIND_JOB, deadline_reminders
from dualuse.services.jobs.rescreen import rescreen_after_import
from dualuse.services.listchange.adoption import IN_FORCE_JOB, in_force_job
from dualuse.services.screening import RESCREEN_JOB

# The jobs that need nothing but the database (what a request may queue without the container's rules).
HANDLERS: Mapping[str, Handler] = {
    RESCREEN_JOB: rescreen_after_import,
    IN_FORCE_JOB: in_force_job,
}


def job_handlers(
    casework_rules: CaseworkRules, deliveries: Mapping[str, OutgoingDelivery] | None = None
) -> dict[str, Handler]:
    """The worker's whole table: the jobs of ``HANDLERS``, the periodic deadline reminders (by the casework
    rules' time limits) and the delivery of outgoing documents through the registered channels."""
    table: dict[str, Handler] = dict(HANDLERS)
    table[REMIND_JOB] = deadline_reminders(casework_rules, lambda: table)
    table[DELIVER_OUTGOING] = delivering(dict(deliveries or {}))
    return table
