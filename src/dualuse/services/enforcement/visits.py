"""Compliance visits (Art. 28(1)(b)): the authority of the exporter's member state records a visit and its
findings, each against one core element of the exporter's ICP; the exporter and that authority read them.
The Commission does not: a visit is part of the exporter's file, like its ICP (``services.oversight``, F15).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from dualuse.domain import enforcement as enf
from dualuse.domain.errors import HiddenResourceError, NotFoundError, PermissionDeniedError, ValidationError
from dualuse.domain.identity import Organisation, OrganisationKind, Permission, Principal, authorize
from dualuse.services import audit
from dualuse.services.clock import today_in_brussels
from dualuse.services.unit_of_work import UnitOfWork

NO_EXPORTER = "no such exporter"


def _exporter(uow: UnitOfWork, organisation_id: int) -> Organisation:
    organisation = uow.organisations.get(organisation_id)
    if organisation is None or organisation.kind is not OrganisationKind.EXPORTER:
        raise NotFoundError(NO_EXPORTER)
    return organisation


def _no_commission(principal: Principal) -> None:
    if principal.organisation_kind is OrganisationKind.COMMISSION:
        raise PermissionDeniedError(
            "the Commission receives enforcement figures (Art. 26(2)), not an exporter's compliance visits"
        )


def findings_from(rows: Iterable[Mapping[str, str]]) -> tuple[enf.Finding, ...]:
    """Findings from form or JSON rows (``icp_element``, ``severity``, ``text``); blank rows are skipped."""
    out: list[enf.Finding] = []
    for index, row in enumerate(rows):
        text = (row.get("text") or "").strip()
        element = (row.get("icp_element") or "").strip()
        if not text and not element:
            continue
        try:
            severity = enf.FindingSeverity((row.get("severity") or "observation").strip())
        except ValueError:
            allowed = ", ".join(s.value for s in enf.FindingSeverity)
            raise ValidationError(
                f"severity is one of {allowed}", field=f"findings[{index}].severity"
            ) from None
        out.append(enf.check_finding(enf.Finding(element, severity, text), index))
    return tuple(out)


def record_visit(
    uow: UnitOfWork,
    principal: Principal,
    *,
    organisation_id: int,
    visit_date: date,
    findings: Sequence[enf.Finding],
) -> int:
    """Record a visit to an exporter of the officer's member state (another state's is answered as missing)."""
    authorize(principal, Permission.ASSESS_CASE, not_found=NO_EXPORTER)
    if principal.organisation_kind is not OrganisationKind.AUTHORITY or principal.member_state is None:
        raise PermissionDeniedError("only a competent authority records compliance visits")
    organisation = _exporter(uow, organisation_id)
    if organisation.member_state != principal.member_state:
        raise HiddenResourceError(NO_EXPORTER)
    enf.check_visit(visit_date, tuple(findings), today_in_brussels())
    visit_id = uow.enforcement.add_visit(
        organisation_id=organisation_id,
        member_state=principal.member_state,
        visit_date=visit_date,
        findings=findings,
        recorded_by=principal.label,
    )
    audit.record(
        uow,
        actor=principal.label,
        action="compliance_visit.recorded",
        entity_type="compliance_visit",
        entity_id=visit_id,
        after={
            "organisation_id": organisation_id,
            "visit_date": visit_date.isoformat(),
            "findings": [{"icp_element": f.icp_element, "severity": f.severity.value} for f in findings],
        },
    )
    uow.commit()
    return visit_id


def visits_of(uow: UnitOfWork, principal: Principal, organisation_id: int) -> Sequence[enf.ComplianceVisit]:
    """An exporter's visits: for its own members and for the authority of its member state."""
    _no_commission(principal)
    organisation = uow.organisations.get(organisation_id)
    authorize(
        principal,
        Permission.VIEW_ORGANISATION,
        organisation_id=organisation_id,
        member_state=organisation.member_state if organisation else None,
        not_found=NO_EXPORTER,
    )
    if organisation is None or organisation.kind is not OrganisationKind.EXPORTER:
        raise NotFoundError(NO_EXPORTER)
    return uow.enforcement.visits(organisation_id=organisation_id)


def visits_by_authority(uow: UnitOfWork, principal: Principal) -> Sequence[enf.ComplianceVisit]:
    """The visits the officer's authority recorded."""
    authorize(principal, Permission.ASSESS_CASE)
    if principal.organisation_kind is not OrganisationKind.AUTHORITY or principal.member_state is None:
        raise PermissionDeniedError("only a competent authority records compliance visits")
    return uow.enforcement.visits(member_state=principal.member_state)
