"""The re-screening job: after a sanctions list import queued ``in_background``, every saved party of every
organisation is screened against the entities the new version added or changed, a batch of parties per
transaction, each batch recording how far the job got (so a job taken over resumes after the last batch)."""

from __future__ import annotations

from dualuse.domain.jobs import Job
from dualuse.domain.screening.delta import Delta, diff_snapshots
from dualuse.domain.screening.model import ListSnapshot
from dualuse.services import screening
from dualuse.services.jobs.queue import JobContext
from dualuse.services.unit_of_work import UnitOfWork

BATCH = 50


def rescreen_after_import(job: Job, context: JobContext) -> str:
    """Re-screen the saved parties against list version ``payload["version_id"]`` (the entities it added or
    changed since the version before it); new hits raise alerts as an import done in one step does."""
    version_id = int(job.payload["version_id"])
    actor = str(job.payload.get("actor") or "worker")
    with context.uows() as uow:
        new, delta = _delta_of(uow, version_id)
        party_ids = [party.id for party in uow.screening.parties()]
    versions = {new.source: new.version}
    total = len(party_ids)
    done = min(job.progress_done, total)  # a job taken over resumes after the last committed batch
    alerts = 0
    if not delta.to_screen():
        with context.uows() as uow:
            context.progress(uow, job, total, total, "nothing to re-screen: no entity added or changed")
            uow.commit()
        return f"{new.source} {new.version}: no entity added or changed"
    while done < total:
        batch_ids = set(party_ids[done : done + BATCH])
        with context.uows() as uow:
            batch = [party for party in uow.screening.parties() if party.id in batch_ids]
            _, new_alerts = screening.rescreen(uow, delta, versions, actor=actor, parties=batch)
            alerts += new_alerts
            done += len(batch_ids)
            context.progress(
                uow, job, done, total, f"{done} of {total} parties re-screened, {alerts} new alerts"
            )
            uow.commit()
    return f"{new.source} {new.version}: {total} parties re-screened, {alerts} new alerts"


def _delta_of(uow: UnitOfWork, version_id: int) -> tuple[ListSnapshot, Delta]:
    new = uow.screening.snapshot(version_id)
    earlier = [
        int(v["id"])
        for v in uow.screening.versions()
        if v["source"] == new.source and int(v["id"]) < version_id
    ]
    previous = uow.screening.snapshot(max(earlier)) if earlier else None
    return new, diff_snapshots(previous, new)
