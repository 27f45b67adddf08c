"""Background work as jobs: queued, run by a worker process, retried with back-off, their progress kept."""

from dualuse.domain.jobs.model import TRANSITIONS, Job, JobStatus, retry_delay

__all__ = ["TRANSITIONS", "Job", "JobStatus", "retry_delay"]
