"""The whole transition table through the services, on SQLite and PostgreSQL: every move the table does not
list is refused and leaves the stored case exactly as it was."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from dualuse.bootstrap import Container
from dualuse.domain import licensing as lic
from dualuse.domain.errors import DualUseError
from dualuse.domain.identity import OrganisationKind, Principal, Role
from dualuse.services import licensing as svc
from tests.factories import make_organisation, make_person

S = lic.ApplicationStatus
CONTENT = svc.ApplicationContent(
    application_type="individual",
    items=(lic.ApplicationItem("5A001.j", "IP surveillance system", Decimal(2), "pieces", Decimal(5000)),),
    parties=(lic.Party("Operator SA", lic.PartyRole.END_USER, "BR", lic.PartyType.COMMERCIAL),),
    destinations=("BR",),
    end_use="Lawful interception",
)


@pytest.fixture
def actors(container: Container) -> dict[str, Principal]:
    acme = make_organisation(container, OrganisationKind.EXPORTER, "Acme GmbH", "DE", "DE111")
    de = make_organisation(container, OrganisationKind.AUTHORITY, "BAFA", "DE")
    return {
        "exporter": make_person(container, acme, Role.EXPORTER_ADMIN, "admin@acme.example").principal,
        "officer": make_person(container, de, Role.AUTHORITY_OFFICER, "officer@bafa.example").principal,
        "senior": make_person(container, de, Role.AUTHORITY_SENIOR, "senior@bafa.example").principal,
    }


def case_in(container: Container, actors: dict[str, Principal], status: S) -> int:
    """A case brought to ``status`` through the legal moves."""
    exporter, officer, senior = actors["exporter"], actors["officer"], actors["senior"]
    with container.uow() as uow:
        case_id = svc.create_application(uow, exporter, CONTENT).id
        if status is S.DRAFT:
            return case_id
        if status is S.WITHDRAWN:
            svc.withdraw(uow, exporter, case_id)
            return case_id
        svc.submit(uow, exporter, case_id, declaration=svc.APPLICANT_DECLARATION)
        if status is S.SUBMITTED:
            return case_id
        stored = svc.case_action(uow, officer, case_id, "start_assessment", expected_version=None)
        if status is S.UNDER_ASSESSMENT:
            return case_id
        if status is S.AWAITING_EXPORTER:
            svc.case_action(uow, officer, case_id, "request_information", expected_version=None, note="Who?")
            return case_id
        findings = [lic.Finding(c.id, False, "") for c in lic.CRITERIA]
        stored = svc.record_assessment(uow, officer, case_id, findings, expected_version=stored.case.version)
        stored = svc.recommend(
            uow, officer, case_id, kind="grant", reasoning="ok", expected_version=stored.case.version
        )
        if status is S.RECOMMENDED:
            return case_id
        svc.decide(
            uow,
            senior,
            case_id,
            outcome="granted",
            expected_version=stored.case.version,
            secret=svc.check_code_secret(container.settings.secret_key),
        )
        return case_id


def door(
    container: Container, actors: dict[str, Principal], action: lic.CaseAction
) -> Callable[[int], object]:
    """How a person would try ``action``: the exporter's buttons, or the authority's."""
    exporter, senior = actors["exporter"], actors["senior"]

    def attempt(case_id: int) -> object:
        with container.uow() as uow:
            if action is lic.CaseAction.SUBMIT:
                return svc.submit(uow, exporter, case_id, declaration=svc.APPLICANT_DECLARATION)
            if action is lic.CaseAction.WITHDRAW:
                return svc.withdraw(uow, exporter, case_id)
            if action is lic.CaseAction.DECIDE:
                version = svc.get_application(uow, senior, case_id).case.version
                return svc.decide(
                    uow,
                    senior,
                    case_id,
                    outcome="granted",
                    expected_version=version,
                    secret=svc.check_code_secret(container.settings.secret_key),
                )
            if action is lic.CaseAction.RECOMMEND:
                return svc.recommend(
                    uow, actors["officer"], case_id, kind="grant", reasoning="x", expected_version=None
                )
            principal = senior if action is lic.CaseAction.RETURN_RECOMMENDATION else actors["officer"]
            return svc.case_action(uow, principal, case_id, action.value, expected_version=None, note="n")

    return attempt


REACHABLE = [
    S.DRAFT,
    S.SUBMITTED,
    S.UNDER_ASSESSMENT,
    S.AWAITING_EXPORTER,
    S.RECOMMENDED,
    S.DECIDED,
    S.WITHDRAWN,
]
ILLEGAL = [
    (status, action)
    for status in REACHABLE
    for action in lic.CaseAction
    if (status, action) not in lic.TRANSITIONS and action is not lic.CaseAction.PROVIDE_INFORMATION
]


def test_every_illegal_move_is_refused_and_changes_nothing(
    container: Container, actors: dict[str, Principal]
) -> None:
    """One case per reachable status (a refused move leaves it as it was, so each serves every attempt)."""
    cases = {status: case_in(container, actors, status) for status in REACHABLE}
    accepted: list[str] = []
    for status, action in ILLEGAL:
        case_id = cases[status]
        with container.uow() as uow:
            before = svc.get_application(uow, actors["exporter"], case_id).case
        assert before.status is status
        try:
            door(container, actors, action)(case_id)
        except DualUseError:
            pass
        else:
            accepted.append(f"{status.value} -{action.value}->")
        with container.uow() as uow:
            after = svc.get_application(uow, actors["exporter"], case_id).case
        assert (after.status, after.version) == (before.status, before.version), (status, action)
    assert not accepted, f"moves the table does not allow were accepted: {accepted}"
    assert len(ILLEGAL) >= 30
