"""Every kind of job the worker knows, by name."""

from __future__ import annotations

from collections.abc import Mapping

from dualuse.services.jobs.queue import Handler
from dualuse.services.jobs.rescreen import rescreen_after_import
from dualuse.services.listchange.adoption import IN_FORCE_JOB, in_force_job
from dualuse.services.screening import RESCREEN_JOB

HANDLERS: Mapping[str, Handler] = {
    RESCREEN_JOB: rescreen_after_import,
    IN_FORCE_JOB: in_force_job,
}
