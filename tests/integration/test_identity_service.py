"""Users and organisations in a real database: bad input is a clear error and writes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from dualuse.adapters.db import tables as t
from dualuse.bootstrap import Container
from dualuse.domain.errors import AuthenticationError, ConflictError, ValidationError
from dualuse.domain.identity import OrganisationKind, Role
from dualuse.services import identity
from tests.factories import PASSWORD, make_organisation, make_person


def counts(container: Container) -> tuple[int, int, int]:
    with container.engine.connect() as conn:
        return (
            conn.execute(select(func.count()).select_from(t.users)).scalar_one(),
            conn.execute(select(func.count()).select_from(t.organisations)).scalar_one(),
            conn.execute(select(func.count()).select_from(t.audit_events)).scalar_one(),
        )


@pytest.fixture
def exporter(container: Container):  # type: ignore[no-untyped-def]
    org = make_organisation(container, OrganisationKind.EXPORTER, "Acme GmbH", "DE", "DE999")
    return make_person(container, org, Role.EXPORTER_ADMIN, "admin@acme.example")


def test_password_is_stored_hashed(container: Container, exporter) -> None:  # type: ignore[no-untyped-def]
    with container.engine.connect() as conn:
        stored = conn.execute(select(t.users.c.password_hash)).scalar_one()
    assert PASSWORD not in stored
    assert stored.startswith("$argon2")


def test_duplicate_user_is_refused_and_nothing_written(container: Container, exporter) -> None:  # type: ignore[no-untyped-def]
    before = counts(container)
    with container.uow() as uow, pytest.raises(ConflictError, match="already exists"):
        identity.create_user(
            uow,
            container.hasher,
            actor="t",
            email="ADMIN@acme.example ",
            full_name="x",
            password=PASSWORD,
            role="exporter_user",
            organisation_id=exporter.organisation.id,
        )
    assert counts(container) == before


def test_unknown_role_is_refused_and_nothing_written(container: Container, exporter) -> None:  # type: ignore[no-untyped-def]
    before = counts(container)
    with container.uow() as uow, pytest.raises(ValidationError, match="unknown role 'superuser'") as info:
        identity.create_user(
            uow,
            container.hasher,
            actor="t",
            email="new@acme.example",
            full_name="x",
            password=PASSWORD,
            role="superuser",
            organisation_id=exporter.organisation.id,
        )
    assert info.value.field == "role"
    assert counts(container) == before


@pytest.mark.parametrize(
    ("email", "password", "message"),
    [("not-an-email", PASSWORD, "email address"), ("ok@acme.example", "short", "at least 12")],
)
def test_malformed_user_input(
    container: Container, exporter, email: str, password: str, message: str
) -> None:  # type: ignore[no-untyped-def]
    before = counts(container)
    with container.uow() as uow, pytest.raises(ValidationError, match=message):
        identity.create_user(
            uow,
            container.hasher,
            actor="t",
            email=email,
            full_name="x",
            password=password,
            role=Role.EXPORTER_USER,
            organisation_id=exporter.organisation.id,
        )
    assert counts(container) == before


def test_a_second_authority_for_a_state_is_refused(container: Container) -> None:
    make_organisation(container, OrganisationKind.AUTHORITY, "Authority DE", "DE")
    with pytest.raises(ConflictError, match="DE already has a competent authority"):
        make_organisation(container, OrganisationKind.AUTHORITY, "Another DE authority", "DE")


def test_uncommitted_work_is_rolled_back(container: Container) -> None:
    before = counts(container)
    with container.uow() as uow:
        identity.create_organisation(
            uow, actor="t", kind=OrganisationKind.EXPORTER, name="Ghost", member_state="NL"
        )
    assert counts(container) == before


def test_wrong_password_and_unknown_email_fail_alike(container: Container, exporter) -> None:  # type: ignore[no-untyped-def]
    with container.uow() as uow:
        with pytest.raises(AuthenticationError) as wrong_password:
            identity.authenticate(uow, container.hasher, exporter.email, "wrong password!!")
        with pytest.raises(AuthenticationError) as unknown:
            identity.authenticate(uow, container.hasher, "nobody@acme.example", PASSWORD)
    assert wrong_password.value.detail == unknown.value.detail


def test_every_change_is_audited(container: Container, exporter) -> None:  # type: ignore[no-untyped-def]
    with container.uow() as uow:
        actions = [e.action for e in uow.audit.all()]
    assert actions == ["organisation.created", "user.created"]
