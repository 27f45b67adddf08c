"""Evidence files stored on a machine's disk before documents moved into the database (migration 0014): copy
each file a recorded step refers to into the document store, under the organisation whose case it is."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

from dualuse.domain.documents import media_type_for
from dualuse.domain.identity import OrganisationKind
from dualuse.services.documents.evidence import keep_evidence
from dualuse.services.unit_of_work import UnitOfWork


@dataclass
class LegacyImport:
    copied: int = 0
    already_held: int = 0
    missing: list[str] = field(default_factory=list)  # files referred to but not in the folder
    damaged: list[str] = field(default_factory=list)  # files whose content no longer has their digest


def import_uploads(uow: UnitOfWork, read: Callable[[str], bytes | None], *, actor: str) -> LegacyImport:
    """Copy every evidence file that a recorded step refers to (``read(file_name)``, None when absent) into the
    document store; a file whose bytes no longer match its digest is reported, not copied. One transaction;
    running it again copies nothing twice."""
    report = LegacyImport()
    for organisation in uow.organisations.list():
        if organisation.kind is not OrganisationKind.EXPORTER:
            continue
        for case in uow.duediligence.cases(organisation.id):
            for entry in uow.duediligence.entries(case.id):
                for item in entry.evidence:
                    if not isinstance(item, dict) or "sha256" not in item or "file" not in item:
                        continue
                    _copy(uow, organisation.id, item, read, actor, report)
    uow.commit()
    return report


def _copy(
    uow: UnitOfWork,
    organisation_id: int,
    item: dict[str, str],
    read: Callable[[str], bytes | None],
    actor: str,
    report: LegacyImport,
) -> None:
    digest, name = item["sha256"], item["file"]
    if uow.documents.find(organisation_id, digest) is not None:
        report.already_held += 1
        return
    content = read(name)
    if content is None:
        report.missing.append(name)
        return
    if hashlib.sha256(content).hexdigest() != digest:
        report.damaged.append(name)
        return
    suffix = name[name.rfind(".") :] if "." in name else ""
    keep_evidence(
        uow.documents,
        organisation_id=organisation_id,
        title=item.get("title") or name,
        media_type=media_type_for(suffix),
        content=content,
        actor=actor,
    )
    report.copied += 1
