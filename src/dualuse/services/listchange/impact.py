"""The impact analysis of a change, read from the database before it is adopted: every classified product,
open application, licence in use and general-authorisation registration whose control codes the change
touches, per exporter and per member state (``domain.listchange.impact``)."""

from __future__ import annotations

from collections.abc import Iterator

from dualuse.domain.identity import Principal
from dualuse.domain.licensing import ApplicationStatus
from dualuse.domain.licensing.licences import LicenceStatus
from dualuse.domain.listchange import (
    ChangedCode,
    ImpactReport,
    ListChange,
    Subject,
    SubjectKind,
    analyse,
    codes_in_scope,
)
from dualuse.domain.rules.rulebook import Rulebook
from dualuse.services.controllist import ControlListCatalogue
from dualuse.services.listchange.drafting import managed, preview
from dualuse.services.unit_of_work import UnitOfWork

OPEN_APPLICATIONS = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.UNDER_ASSESSMENT,
    ApplicationStatus.AWAITING_EXPORTER,
    ApplicationStatus.RECOMMENDED,
)
"""Applications the authority has and has not yet decided (a draft is the exporter's alone)."""
LICENCES_IN_USE = (LicenceStatus.ACTIVE, LicenceStatus.SUSPENDED)


def subjects(uow: UnitOfWork, rulebook: Rulebook, changed: tuple[ChangedCode, ...]) -> Iterator[Subject]:
    """Every object that rests on control codes, with its exporter and member state."""
    states: dict[int, str] = {}

    def state_of(organisation_id: int) -> str:
        if organisation_id not in states:
            organisation = uow.organisations.get(organisation_id)
            states[organisation_id] = (organisation.member_state if organisation else None) or "??"
        return states[organisation_id]

    for record in uow.classifications.listed():
        if record.control_code:
            yield Subject(
                SubjectKind.CLASSIFICATION,
                f"{record.product_name} (record {record.id})",
                record.organisation_id,
                state_of(record.organisation_id),
                (record.control_code,),
            )
    cases = {c.id: c for c in uow.licensing.cases()}
    for case in cases.values():
        if case.case.status in OPEN_APPLICATIONS:
            yield Subject(
                SubjectKind.APPLICATION,
                f"application {case.id}",
                case.organisation_id,
                case.member_state,
                tuple(sorted({i.control_code for i in case.case.current_application.items})),
            )
    for stored in uow.licensing.licences():
        licence = stored.licence
        owner = cases.get(stored.case_id)
        if licence.status not in LICENCES_IN_USE or owner is None:
            continue
        yield Subject(
            SubjectKind.LICENCE,
            f"licence {licence.number}",
            owner.organisation_id,
            stored.member_state,
            tuple(sorted({i.control_code for i in licence.items})),
        )
    scopes = {g.id: g.items for g in rulebook.general_authorisations}
    for row in uow.general_authorisations.registrations():
        scope = scopes.get(str(row["eugea_id"]))
        if scope is None:
            continue
        yield Subject(
            SubjectKind.GA_REGISTRATION,
            f"{row['eugea_id']} registration",
            int(row["organisation_id"]),
            str(row["member_state"]),
            codes_in_scope(scope, changed),
        )


def analyse_change(
    uow: UnitOfWork, catalogue: ControlListCatalogue, rulebook: Rulebook, change: ListChange
) -> ImpactReport:
    """The impact report of ``change`` on the objects in the database now; a national measure touches only
    its own state's exporters (Art. 9(1))."""
    changed = preview(uow, catalogue, change).changed
    return analyse(
        changed,
        subjects(uow, rulebook, changed),
        member_state=change.proposer if change.is_national else None,
    )


def impact(
    uow: UnitOfWork,
    principal: Principal,
    catalogue: ControlListCatalogue,
    rulebook: Rulebook,
    change_id: int,
) -> ImpactReport:
    """The impact analysis, for the proposer: computed afresh before adoption, the one stored with the
    adoption after it."""
    stored = managed(uow, principal, change_id)
    if stored.impact is not None:
        return ImpactReport.from_dict(stored.impact)
    return analyse_change(uow, catalogue, rulebook, stored.change)
