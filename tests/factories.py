"""Factories for test data: organisations, users and principals in a few lines."""

from __future__ import annotations

from dataclasses import dataclass

from dualuse.bootstrap import Container
from dualuse.domain.identity import Organisation, OrganisationKind, Principal, Role
from dualuse.services import identity
from dualuse.services.clock import ManualClock

PASSWORD = "correct horse battery staple"


@dataclass(frozen=True)
class Person:
    email: str
    password: str
    principal: Principal
    organisation: Organisation


def make_organisation(
    container: Container,
    kind: OrganisationKind,
    name: str,
    member_state: str | None = "DE",
    eori: str | None = None,
) -> Organisation:
    with container.uow() as uow:
        org = identity.create_organisation(
            uow, actor="test", kind=kind, name=name, member_state=member_state, eori=eori
        )
        uow.commit()
    return org


def make_person(container: Container, organisation: Organisation, role: Role, email: str) -> Person:
    with container.uow() as uow:
        identity.create_user(
            uow,
            container.hasher,
            actor="test",
            email=email,
            full_name=email.split("@")[0],
            password=PASSWORD,
            role=role,
            organisation_id=organisation.id,
        )
        principal = identity.authenticate(uow, container.hasher, email, PASSWORD)
        uow.commit()
    return Person(email, PASSWORD, principal, organisation)


def token_for(container: Container, email: str) -> str:
    with container.uow() as uow:
        issued = identity.create_token(uow, actor="test", email=email, name="test")
        uow.commit()
    return issued.token


def manual_clock(container: Container) -> ManualClock:
    """Put a clock that stands still (at the machine's time) in the container, for a test to move on: what
    the use cases record and what they take for today follow it."""
    if not isinstance(container.clock, ManualClock):
        container.clock = ManualClock()
    return container.clock
