"""Use cases of the control list: look up, search, classify, compare versions, import amendments,
and keep exporters' classification records in step with the list in force (Art. 3(1), Art. 17)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from dualuse.domain.classification import Classification, ClassificationStatus, review_reason
from dualuse.domain.controllist.classify import Candidate, classify
from dualuse.domain.controllist.codes import ControlCode
from dualuse.domain.controllist.entries import ControlEntry
from dualuse.domain.controllist.provisions import AnnexText
from dualuse.domain.controllist.search import SearchHit, SearchIndex
from dualuse.domain.controllist.versions import (
    Amendment,
    ControlList,
    ControlListError,
    ControlListHistory,
    EffectiveFlags,
    ListDiff,
)
from dualuse.domain.errors import NotFoundError, ValidationError
from dualuse.domain.identity import Permission, Principal, authorize
from dualuse.services import audit
from dualuse.services.unit_of_work import StoredAmendment, UnitOfWork


class ControlListCatalogue(Protocol):
    """Port: the shipped list versions plus amendments imported at run time, and their search indexes."""

    def history(self, stored: Sequence[StoredAmendment]) -> ControlListHistory: ...
    def index(self, control_list: ControlList) -> SearchIndex: ...
    def parse_amendment(self, text: str, filename: str) -> Amendment: ...
    def provisions(self) -> AnnexText: ...


def current_history(uow: UnitOfWork, catalogue: ControlListCatalogue) -> ControlListHistory:
    return catalogue.history(uow.amendments.all())


def list_for(
    history: ControlListHistory, *, version: str | None = None, as_of: date | None = None
) -> ControlList:
    """The list of a named version, or the one in force on a date (default: the latest)."""
    if version:
        return history.get_version(version)
    if as_of:
        return history.as_of(as_of)
    return history.latest


@dataclass(frozen=True)
class EntryView:
    """An entry with what a reader needs around it: breadcrumbs, children, flags and versions."""

    entry: ControlEntry
    control_list: ControlList
    lineage: tuple[ControlEntry, ...]
    children: tuple[ControlEntry, ...]
    flags: EffectiveFlags
    versions_listing_it: tuple[str, ...]


def show(history: ControlListHistory, code: str, control_list: ControlList) -> EntryView:
    parsed = ControlCode.parse(code)
    entry = control_list.get(parsed)
    if entry is None:
        raise NotFoundError(f"{parsed} is not in list version {control_list.version_id}", field="code")
    return EntryView(
        entry=entry,
        control_list=control_list,
        lineage=control_list.lineage(parsed),
        children=control_list.children(parsed),
        flags=control_list.effective_flags(parsed),
        versions_listing_it=tuple(cl.version_id for cl in history.lists if parsed in cl),
    )


def search(
    catalogue: ControlListCatalogue, control_list: ControlList, text: str, limit: int = 10
) -> list[SearchHit]:
    if not text.strip():
        raise ValidationError("enter words or a code to search for", field="q")
    return catalogue.index(control_list).search(text, limit=limit)


def suggest(
    catalogue: ControlListCatalogue,
    control_list: ControlList,
    description: str,
    parameters: Mapping[str, object],
    limit: int = 5,
) -> list[Candidate]:
    """Ranked candidate entries for a product, each assessed sub-item by sub-item on the parameters given
    (what is met, what is still needed); it suggests, a person decides."""
    if not description.strip():
        raise ValidationError("describe the product", field="description")
    return classify(
        description,
        parameters,
        catalogue.index(control_list),
        control_list,
        limit=limit,
        text=catalogue.provisions(),
    )


def diff(history: ControlListHistory, from_id: str, to_id: str) -> ListDiff:
    return history.diff(from_id, to_id)


@dataclass(frozen=True)
class ImportResult:
    version_id: str
    effective_from: date
    diff: ListDiff
    flagged: tuple[int, ...]  # classification records now needing review


def import_amendment(
    uow: UnitOfWork, principal: Principal, catalogue: ControlListCatalogue, text: str, filename: str
) -> ImportResult:
    """Validate an amendment against the list it amends and store it, or change nothing (Art. 17).

    Classification records whose entry changed or disappeared are flagged for review in the same transaction.
    """
    authorize(principal, Permission.AMEND_CONTROL_LIST)
    amendment = catalogue.parse_amendment(text, filename)
    uow.amendments.lock()  # concurrent imports: each is validated against the list the one before left
    history = current_history(uow, catalogue)
    try:
        amended = history.apply(amendment)
    except ControlListError as exc:
        raise ValidationError(f"{filename}: {exc.detail}") from exc
    version = amendment.version
    uow.amendments.add(
        StoredAmendment(
            version.id, version.effective_from, version.title, version.legal_source, filename, text
        ),
        imported_by=principal.label,
    )
    changes = amended.diff(history.latest.version_id, version.id)
    flagged = flag_for_review(uow, changes, actor=principal.label)
    audit.record(
        uow,
        actor=principal.label,
        action="control_list.amended",
        entity_type="control_list_version",
        entity_id=version.id,
        before={"version": history.latest.version_id},
        after={
            "version": version.id,
            "effective_from": version.effective_from.isoformat(),
            "added": len(changes.added),
            "changed": len(changes.changed),
            "removed": len(changes.removed),
        },
        reason=version.legal_source,
    )
    uow.commit()
    return ImportResult(version.id, version.effective_from, changes, flagged)


def flag_for_review(uow: UnitOfWork, changes: ListDiff, *, actor: str) -> tuple[int, ...]:
    flagged: list[int] = []
    for record in uow.classifications.listed():
        reason = review_reason(record.control_code, changes)
        if reason is None:
            continue
        uow.classifications.set_status(record.id, ClassificationStatus.REVIEW_NEEDED, reason)
        audit.record(
            uow,
            actor=actor,
            action="classification.review_needed",
            entity_type="classification",
            entity_id=record.id,
            before={"status": record.status.value},
            after={"status": ClassificationStatus.REVIEW_NEEDED.value},
            reason=reason,
        )
        flagged.append(record.id)
    return tuple(flagged)


def flag_outdated(uow: UnitOfWork, history: ControlListHistory, *, actor: str) -> tuple[int, ...]:
    """Classification records made against a version before the latest whose entry an act has changed
    since: each is flagged for review, the reason citing the act (Art. 3(1) applies the list in force).

    Records already flagged, or made against a version the history does not hold, are left as they are."""
    latest = history.latest.version_id
    known = {cl.version_id for cl in history.lists}
    diffs: dict[str, ListDiff] = {}
    flagged: list[int] = []
    for record in uow.classifications.listed():
        if (
            record.status is ClassificationStatus.REVIEW_NEEDED
            or record.list_version == latest
            or record.list_version not in known
        ):
            continue
        changes = diffs.get(record.list_version)
        if changes is None:
            changes = diffs[record.list_version] = history.diff(record.list_version, latest)
        reason = review_reason(record.control_code, changes)
        if reason is None:
            continue
        uow.classifications.set_status(record.id, ClassificationStatus.REVIEW_NEEDED, reason)
        audit.record(
            uow,
            actor=actor,
            action="classification.review_needed",
            entity_type="classification",
            entity_id=record.id,
            before={"status": record.status.value, "list_version": record.list_version},
            after={"status": ClassificationStatus.REVIEW_NEEDED.value, "list_version": latest},
            reason=reason,
        )
        flagged.append(record.id)
    uow.commit()
    return tuple(flagged)


def record_classification(
    uow: UnitOfWork,
    principal: Principal,
    control_list: ControlList,
    *,
    product_name: str,
    description: str,
    parameters: Mapping[str, object],
    control_code: str | None,
    rationale: str,
) -> Classification:
    """Record an exporter's classification of a product against the list version it used."""
    authorize(principal, Permission.ACT_FOR_EXPORTER, organisation_id=principal.organisation_id)
    if principal.organisation_id is None:  # pragma: no cover - exporters always have an organisation
        raise ValidationError("only members of an exporter can record classifications")
    if not product_name.strip():
        raise ValidationError("give the product a name", field="product_name")
    if not rationale.strip():
        raise ValidationError(
            "explain why the product falls under the entry, or why it is not listed", field="rationale"
        )
    code_text: str | None = None
    if control_code and control_code.strip():
        code = ControlCode.parse(control_code)
        if control_list.resolve(code) is None:
            raise ValidationError(
                f"{code} is not in list version {control_list.version_id}", field="control_code"
            )
        code_text = str(code)
    record = uow.classifications.add(
        organisation_id=principal.organisation_id,
        product_name=product_name.strip(),
        description=description.strip(),
        parameters=dict(parameters),
        control_code=code_text,
        rationale=rationale.strip(),
        list_version=control_list.version_id,
        created_by=principal.label,
    )
    audit.record(
        uow,
        actor=principal.label,
        action="classification.recorded",
        entity_type="classification",
        entity_id=record.id,
        after={
            "product": record.product_name,
            "control_code": code_text,
            "list_version": record.list_version,
        },
        reason=rationale,
    )
    uow.commit()
    return record


def classifications(
    uow: UnitOfWork, principal: Principal, *, review_only: bool = False
) -> list[Classification]:
    """An exporter's own records (the impact list when ``review_only``)."""
    authorize(principal, Permission.ACT_FOR_EXPORTER, organisation_id=principal.organisation_id)
    assert principal.organisation_id is not None  # noqa: S101 - authorize ensured a member of an exporter
    records = uow.classifications.for_organisation(principal.organisation_id)
    return [r for r in records if not review_only or r.status is ClassificationStatus.REVIEW_NEEDED]


def confirm_classification(
    uow: UnitOfWork, principal: Principal, classification_id: int, control_list: ControlList, note: str
) -> Classification:
    """A person reviewed a flagged record and confirms it against the list now in force."""
    record = uow.classifications.get(classification_id)
    authorize(
        principal, Permission.ACT_FOR_EXPORTER, organisation_id=record.organisation_id if record else -1
    )
    if record is None:
        raise NotFoundError("no such classification")
    if record.control_code and control_list.resolve(record.control_code) is None:
        raise ValidationError(
            f"{record.control_code} is not in list version {control_list.version_id}: record a new classification",
            field="control_code",
        )
    uow.classifications.set_status(record.id, ClassificationStatus.CURRENT, None, expected=record)
    audit.record(
        uow,
        actor=principal.label,
        action="classification.confirmed",
        entity_type="classification",
        entity_id=record.id,
        before={"status": record.status.value, "reason": record.review_reason},
        after={"status": ClassificationStatus.CURRENT.value, "list_version": control_list.version_id},
        reason=note or None,
    )
    uow.commit()
    updated = uow.classifications.get(record.id)
    assert updated is not None  # noqa: S101 - it existed a moment ago
    return updated
