"""Concurrent creation of users and authorities (the CLI's ``users create``, ``organisations create``):
an e-mail address and a member state's competent authority stay unique, and the late creator gets a
clear conflict instead of a database error."""

from __future__ import annotations

import pytest

from dualuse.adapters.db.uow import SqlOrganisations, SqlUsers
from dualuse.bootstrap import Container
from dualuse.domain.errors import ConflictError
from dualuse.domain.identity import OrganisationKind, Role
from dualuse.services import identity
from tests.concurrency import Rendezvous, at_once, pause_before
from tests.factories import PASSWORD, make_organisation

PARALLEL = 5


def _outcome(call: object) -> str:
    try:
        call()  # type: ignore[operator]
    except ConflictError as error:
        return f"conflict: {error.detail}"
    return "created"


def test_parallel_users_with_one_email_make_one(
    container: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    acme = make_organisation(container, OrganisationKind.EXPORTER, "Acme GmbH", "DE", "DE111")

    def create() -> None:
        with container.uow() as uow:
            identity.create_user(
                uow,
                container.hasher,
                actor="test",
                email="new@acme.example",
                full_name="New",
                password=PASSWORD,
                role=Role.EXPORTER_USER,
                organisation_id=acme.id,
            )
            uow.commit()

    with pause_before(monkeypatch, SqlUsers, "add", Rendezvous(PARALLEL)):
        outcomes = at_once([lambda: _outcome(create) for _ in range(PARALLEL)])
    assert sorted(outcomes)[-1] == "created"
    assert sorted(outcomes)[:-1] == ["conflict: a user with the email new@acme.example already exists"] * (
        PARALLEL - 1
    )


def test_parallel_authorities_of_one_state_make_one(
    container: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    def create(i: int) -> None:
        with container.uow() as uow:
            identity.create_organisation(
                uow, actor="test", kind=OrganisationKind.AUTHORITY, name=f"Authority {i}", member_state="DE"
            )
            uow.commit()

    with pause_before(monkeypatch, SqlOrganisations, "add", Rendezvous(PARALLEL)):
        outcomes = at_once([lambda i=i: _outcome(lambda: create(i)) for i in range(PARALLEL)])
    assert sorted(outcomes)[-1] == "created"
    assert sorted(outcomes)[:-1] == ["conflict: DE already has a competent authority"] * (PARALLEL - 1)
