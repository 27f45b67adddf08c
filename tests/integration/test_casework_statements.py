"""Digital end-user statements (issue 19, point 4) on SQLite and PostgreSQL: the exporter requests one for
its submitted application, the end-user signs through the link (once), and anyone verifies it by number
and check code over HTTP, like a licence, with its validity; a wrong code, an unsigned statement or a
licence's check code used for a statement is not genuine."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from dualuse.bootstrap import Container
from dualuse.domain.errors import NotFoundError, ValidationError
from dualuse.domain.identity import OrganisationKind, Role
from dualuse.domain.licensing import check_code
from dualuse.entrypoints.http.app import create_app
from dualuse.services import licensing as licensing_service
from dualuse.services.casework import statements
from dualuse.services.clock import brussels_day, today_in_brussels
from tests.factories import Person, make_organisation, make_person, manual_clock
from tests.unit.licensing.test_services_in_memory import content


@pytest.fixture
def people(container: Container) -> dict[str, Person]:
    acme = make_organisation(container, OrganisationKind.EXPORTER, "Acme GmbH", "DE", "DE111")
    other = make_organisation(container, OrganisationKind.EXPORTER, "Other GmbH", "DE", "DE222")
    de = make_organisation(container, OrganisationKind.AUTHORITY, "BAFA", "DE")
    return {
        "acme": make_person(container, acme, Role.EXPORTER_ADMIN, "admin@acme.example"),
        "other": make_person(container, other, Role.EXPORTER_ADMIN, "admin@other.example"),
        "officer": make_person(container, de, Role.AUTHORITY_OFFICER, "officer@bafa.example"),
    }


def test_request_sign_once_and_verify(container: Container, people: dict[str, Person]) -> None:
    secret = statements.check_code_secret(container.settings.secret_key)
    exporter = people["acme"].principal
    with container.uow() as uow:
        draft = licensing_service.create_application(uow, exporter, content())
        licensing_service.submit(uow, exporter, draft.id, declaration=licensing_service.APPLICANT_DECLARATION)
    with container.uow() as uow, pytest.raises(NotFoundError):
        statements.request_statement(uow, people["other"].principal, draft.id)
    with container.uow() as uow:
        requested = statements.request_statement(uow, exporter, draft.id)
    number = requested.statement.number
    assert number.startswith("EUS-DE-")
    web = TestClient(create_app(container=container))
    assert web.get(f"/statements/sign/{requested.token}").status_code == 200
    assert web.get("/statements/sign/not-the-token").status_code == 404
    # not signed yet: nothing to verify
    unsigned = web.get(f"/statements/verify/{number}", params={"code": check_code(number, secret)})
    assert "Not genuine" in unsigned.text

    with container.uow() as uow, pytest.raises(ValidationError):
        statements.sign(uow, requested.token, signer="A. Person", title="CEO", declared=False, secret=secret)
    with container.uow() as uow:
        signed, code = statements.sign(
            uow,
            requested.token,
            signer="Ana Souza",
            title="Chief Technology Officer",
            declared=True,
            secret=secret,
        )
    assert signed.signed_at is not None
    assert signed.valid_until == brussels_day(signed.signed_at) + timedelta(days=365)
    with container.uow() as uow, pytest.raises(NotFoundError):  # the link signs once
        statements.sign(uow, requested.token, signer="Someone Else", title="x", declared=True, secret=secret)

    page = web.get(f"/statements/verify/{number}", params={"code": code})
    assert page.status_code == 200
    assert "Genuine" in page.text
    assert "in force today" in page.text
    assert signed.end_user in page.text
    assert "Ana Souza" not in page.text  # who signed stays with the parties and the authority
    wrong = web.get(f"/statements/verify/{number}", params={"code": "A" * len(code)})
    assert "Not genuine" in wrong.text
    licence_code = check_code(number, licensing_service.check_code_secret(container.settings.secret_key))
    assert "Not genuine" in web.get(f"/statements/verify/{number}", params={"code": licence_code}).text

    with container.uow() as uow:
        seen = statements.statements(uow, people["officer"].principal, draft.id)
    assert [s.status.value for s in seen] == ["signed"]
    check = None
    with container.uow() as uow:
        check = statements.verify(uow, number.lower(), code.lower(), secret)
    assert check.genuine
    assert check.valid_until is not None
    assert check.valid_until > today_in_brussels()


def test_a_statement_signed_after_midnight_in_brussels_is_dated_that_day(
    container: Container, people: dict[str, Person]
) -> None:
    """Signed at 23:30 UTC in winter, 00:30 on 7 December in Brussels: the day the system calls today."""
    secret = statements.check_code_secret(container.settings.secret_key)
    exporter = people["acme"].principal
    with container.uow() as uow:
        draft = licensing_service.create_application(uow, exporter, content())
        licensing_service.submit(uow, exporter, draft.id, declaration=licensing_service.APPLICANT_DECLARATION)
    with container.uow() as uow:
        requested = statements.request_statement(uow, exporter, draft.id)
    manual_clock(container).set(datetime(2026, 12, 6, 23, 30, tzinfo=UTC))
    with container.uow() as uow:
        signed, code = statements.sign(
            uow, requested.token, signer="Ana Souza", title="CTO", declared=True, secret=secret
        )
    assert signed.valid_until == date(2026, 12, 7) + timedelta(days=365)
    with container.uow() as uow:
        check = statements.verify(uow, signed.number, code, secret)
    assert (check.signed_on, check.valid_until) == (date(2026, 12, 7), date(2027, 12, 7))
