"""The enforcement use cases on the in-memory unit of work: who may record a decision or a visit, for which
party, what the public and the Commission read, and what is audited (Arts. 25, 26(2), 28; F15, F16)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from dualuse.adapters.sources.penalties import load_penalties
from dualuse.domain.enforcement import Finding, FindingSeverity
from dualuse.domain.errors import HiddenResourceError, NotFoundError, PermissionDeniedError, ValidationError
from dualuse.domain.identity import Organisation, OrganisationKind, Principal, Role
from dualuse.services.enforcement import cases, visits
from tests.fakes import FakeUnitOfWork

CATALOGUE = load_penalties()


def _people(uow: FakeUnitOfWork) -> dict[str, Principal]:
    def org(kind: OrganisationKind, name: str, state: str | None) -> Organisation:
        return uow.organisations.add(kind, name, state, None)

    de_exp = org(OrganisationKind.EXPORTER, "Exporter DE", "DE")
    fr_exp = org(OrganisationKind.EXPORTER, "Exporter FR", "FR")
    de_auth = org(OrganisationKind.AUTHORITY, "BAFA", "DE")
    fr_auth = org(OrganisationKind.AUTHORITY, "SBDU", "FR")
    com = org(OrganisationKind.COMMISSION, "Commission", None)
    uow.commit()
    return {
        "de_exp": Principal.for_user(1, "e@de", Role.EXPORTER_ADMIN, de_exp),
        "fr_exp": Principal.for_user(2, "e@fr", Role.EXPORTER_ADMIN, fr_exp),
        "de_off": Principal.for_user(3, "o@de", Role.AUTHORITY_OFFICER, de_auth),
        "fr_off": Principal.for_user(4, "o@fr", Role.AUTHORITY_OFFICER, fr_auth),
        "com": Principal.for_user(5, "c@eu", Role.COMMISSION, com),
    }


def _record(uow: FakeUnitOfWork, who: Principal, **kw: object) -> int:
    args: dict[str, object] = {
        "violation": "export_without_authorisation",
        "decision": "fine",
        "decision_date": date(2025, 5, 1),
        "amount_eur": Decimal(1000),
    } | kw
    return cases.record_case(uow, who, CATALOGUE, **args)  # type: ignore[arg-type]


def test_an_officer_records_for_its_own_state_and_the_public_sees_no_party() -> None:
    uow = FakeUnitOfWork()
    p = _people(uow)
    de_exporter = p["de_exp"].organisation_id
    _record(uow, p["de_off"], organisation_id=de_exporter, summary="secret")
    _record(uow, p["fr_off"], decision="warning", amount_eur=None)
    assert [c.member_state for c in cases.state_cases(uow, p["de_off"])] == ["DE"]
    public = cases.public_cases(uow, Principal.public())
    assert {c.member_state for c in public} == {"DE", "FR"}
    assert not any(hasattr(c, "organisation_id") for c in public)
    recorded = [e for e in uow.audit.all() if e.action == "enforcement_case.recorded"]
    assert len(recorded) == 2


@pytest.mark.parametrize(
    ("who", "party", "error"),
    [
        ("de_exp", None, PermissionDeniedError),
        ("com", None, PermissionDeniedError),
        ("fr_off", "de_exp", HiddenResourceError),  # another state's exporter: answered as missing
    ],
)
def test_who_may_record_a_decision(who: str, party: str | None, error: type[Exception]) -> None:
    uow = FakeUnitOfWork()
    p = _people(uow)
    with pytest.raises(error):
        _record(uow, p[who], organisation_id=p[party].organisation_id if party else None)
    assert not uow.enforcement.cases()


def test_an_unknown_violation_or_a_fine_without_amount_is_refused() -> None:
    uow = FakeUnitOfWork()
    p = _people(uow)
    with pytest.raises(ValidationError) as refused:
        _record(uow, p["de_off"], violation="jaywalking")
    assert refused.value.field == "violation"
    with pytest.raises(ValidationError) as refused:
        _record(uow, p["de_off"], amount_eur=None)
    assert refused.value.field == "amount_eur"
    with pytest.raises(NotFoundError):
        _record(uow, p["de_off"], organisation_id=999)


def test_a_commission_read_of_the_figures_is_audited_and_no_one_elses() -> None:
    uow = FakeUnitOfWork()
    p = _people(uow)
    _record(uow, p["de_off"])
    cases.public_statistics(uow, p["de_off"])
    cases.public_statistics(uow, Principal.public())
    assert not [e for e in uow.audit.all() if e.action == "commission.read"]
    (line,) = cases.public_statistics(uow, p["com"])
    assert line.fines_total_eur == Decimal(1000)
    reads = [e for e in uow.audit.all() if e.action == "commission.read"]
    assert [(e.entity_type, e.after["legal_basis"]) for e in reads] == [("enforcement_case", "Art. 26(2)")]


def test_a_visit_is_for_the_officers_state_and_read_by_the_exporter_and_its_authority() -> None:
    uow = FakeUnitOfWork()
    p = _people(uow)
    de_exporter = p["de_exp"].organisation_id
    assert de_exporter is not None
    findings = (Finding("training", FindingSeverity.SHORTCOMING, "No training since 2023"),)
    with pytest.raises(HiddenResourceError):
        visits.record_visit(
            uow, p["fr_off"], organisation_id=de_exporter, visit_date=date(2026, 1, 5), findings=findings
        )
    with pytest.raises(PermissionDeniedError):
        visits.record_visit(
            uow, p["de_exp"], organisation_id=de_exporter, visit_date=date(2026, 1, 5), findings=findings
        )
    visits.record_visit(
        uow, p["de_off"], organisation_id=de_exporter, visit_date=date(2026, 1, 5), findings=findings
    )
    (seen,) = visits.visits_of(uow, p["de_exp"], de_exporter)
    assert seen.findings_for("training") == findings
    assert visits.visits_of(uow, p["de_off"], de_exporter) == [seen]
    for outsider, error in (
        ("fr_exp", HiddenResourceError),
        ("fr_off", HiddenResourceError),
        ("com", PermissionDeniedError),
    ):
        with pytest.raises(error):
            visits.visits_of(uow, p[outsider], de_exporter)


def test_findings_from_form_rows_skip_blank_rows_and_name_a_bad_row() -> None:
    rows = [
        {"icp_element": "", "severity": "observation", "text": ""},
        {"icp_element": "security", "severity": "breach", "text": "Unlocked server room"},
    ]
    (finding,) = visits.findings_from(rows)
    assert (finding.icp_element, finding.severity) == ("security", FindingSeverity.BREACH)
    with pytest.raises(ValidationError) as refused:
        visits.findings_from([*rows, {"icp_element": "security", "severity": "dire", "text": "x"}])
    assert refused.value.field == "findings[2].severity"
