"""The denial register's review and the inbox with the in-memory unit of work (``tests.fakes``): only the
issuing state reviews (others are answered as for a missing denial, F16), a review is notified to every
other state and the Commission, and a failed use case leaves nothing behind."""

from __future__ import annotations

from datetime import date

import pytest

from dualuse.domain import denials as dn
from dualuse.domain.errors import NotFoundError, PermissionDeniedError, ValidationError
from dualuse.domain.identity import OrganisationKind, Principal, Role
from dualuse.services.denials import register
from dualuse.services.denials.ports import NoticeKind
from tests.fakes import FakeUnitOfWork


def _world() -> tuple[FakeUnitOfWork, dict[str, Principal], int]:
    uow = FakeUnitOfWork()
    with uow:
        orgs = {
            state: uow.organisations.add(OrganisationKind.AUTHORITY, f"Authority {state}", state, None)
            for state in ("DE", "FR")
        }
        acme = uow.organisations.add(OrganisationKind.EXPORTER, "Acme GmbH", "DE", "DE111")
        eu = uow.organisations.add(OrganisationKind.COMMISSION, "Commission", None, None)

        def build(denial_id: int) -> dn.Denial:
            return dn.new_denial(
                denial_id,
                kind="revocation",
                issuing_state="FR",
                items=[dn.DenialItem("5A001.j")],
                destination="KZ",
                parties=[dn.DenialParty("Nordwind Surveillance GmbH", "end_user", "KZ")],
                considerations=["art15.1.d"],
                reasons="diversion",
                decided_on=date(2026, 1, 5),
                case_reference="FR/case/1",
                actor_id="o",
            )[0]

        denial = uow.denials.add_denial(build, case_id=None)
        uow.commit()
    people = {
        "de": Principal.for_user(1, "officer@de.example", Role.AUTHORITY_OFFICER, orgs["DE"]),
        "fr": Principal.for_user(2, "officer@fr.example", Role.AUTHORITY_OFFICER, orgs["FR"]),
        "exporter": Principal.for_user(3, "a@acme.example", Role.EXPORTER_ADMIN, acme),
        "eu": Principal.for_user(4, "c@ec.example", Role.COMMISSION, eu),
    }
    return uow, people, denial.id


def test_only_the_issuing_state_reviews_and_everyone_else_is_told() -> None:
    uow, people, denial_id = _world()
    with uow, pytest.raises(NotFoundError, match="no such denial"):
        register.review(uow, people["de"], denial_id, "confirm")
    with uow, pytest.raises(NotFoundError, match="no such denial"):
        register.review(uow, people["fr"], 999, "confirm")
    with uow, pytest.raises(PermissionDeniedError):
        register.review(uow, people["eu"], denial_id, "confirm")  # the Commission reads, never acts
    with uow:
        confirmed = register.review(uow, people["fr"], denial_id, "confirm", expected_version=1)
    assert confirmed.status is dn.DenialStatus.CONFIRMED
    with uow:
        (notice,) = register.inbox(uow, people["de"])
        assert notice.kind is NoticeKind.REVIEW
        assert [n.kind for n in register.inbox(uow, people["eu"])] == [NoticeKind.REVIEW]
        assert register.inbox(uow, people["fr"]) == []
        assert [e.action for e in uow.audit.for_entity("denial", str(denial_id))] == [
            "denial.DenialConfirmed"
        ]


def test_a_refused_review_leaves_nothing_behind() -> None:
    uow, people, denial_id = _world()
    with uow, pytest.raises(ValidationError):
        register.review(uow, people["fr"], denial_id, "withdraw", note=" ")
    with uow:
        assert uow.denials.denial(denial_id).status is dn.DenialStatus.IN_FORCE  # type: ignore[union-attr]
        assert uow.denials.notices() == []
    with uow, pytest.raises(PermissionDeniedError):
        register.register(uow, people["exporter"])


def test_the_issuing_state_sees_its_denials_due_for_review() -> None:
    uow, people, denial_id = _world()
    with uow:
        assert register.due_for_review(uow, people["fr"]) == []  # decided in 2026: due in 2029
        old = uow.denials.denial(denial_id)
        assert old is not None
        uow.denials.save_denial(
            dn.Denial(**{**old.__dict__, "review_due_on": date(2023, 1, 5), "version": 2}), expected_version=1
        )
        uow.commit()
    with uow:
        assert [d.id for d in register.due_for_review(uow, people["fr"])] == [denial_id]
        assert register.due_for_review(uow, people["de"]) == []  # not DE's to review
