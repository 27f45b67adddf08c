"""Authority notices that an authorisation is required (Art. 4(1), 5(1), 6(1), 7, 8(1)) through the
in-memory unit of work: an officer issues one to a party of its own member state (Art. 13), dated today by
the clock; the party sees it under its authority's name (F13); another state's notice is answered as a
missing one (F16); a withdrawal is recorded once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from dualuse.domain.errors import (
    ConflictError,
    HiddenResourceError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from dualuse.domain.identity import OrganisationKind, Principal, Role
from dualuse.domain.notices.model import NoticeArticle, NoticeScope, NoticeStatus
from dualuse.services import notices
from dualuse.services.clock import ManualClock
from tests.fakes import FakeUnitOfWork

NOON = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def _world() -> tuple[FakeUnitOfWork, ManualClock, dict[str, Principal]]:
    clock = ManualClock(NOON)
    uow = FakeUnitOfWork(clock)
    with uow:
        acme = uow.organisations.add(OrganisationKind.EXPORTER, "Acme GmbH", "DE", "DE111")
        french = uow.organisations.add(OrganisationKind.EXPORTER, "Société SA", "FR", "FR222")
        de = uow.organisations.add(OrganisationKind.AUTHORITY, "BAFA", "DE", None)
        fr = uow.organisations.add(OrganisationKind.AUTHORITY, "SBDU", "FR", None)
        uow.commit()
    return (
        uow,
        clock,
        {
            "acme": Principal.for_user(1, "admin@acme.example", Role.EXPORTER_ADMIN, acme),
            "french": Principal.for_user(2, "admin@fr.example", Role.EXPORTER_ADMIN, french),
            "DE": Principal.for_user(3, "officer@de.example", Role.AUTHORITY_OFFICER, de),
            "FR": Principal.for_user(4, "officer@fr.example", Role.AUTHORITY_OFFICER, fr),
        },
    )


def _issue(uow: FakeUnitOfWork, officer: Principal, organisation_id: int, **changes: object) -> int:
    values: dict[str, object] = {
        "article": NoticeArticle.ART_4_1,
        "scope": "end_user",
        "destination": "br",
        "end_user": "Policia Federal",
        "reason": "  military end-use suspected  ",
        **changes,
    }
    return notices.issue(uow, officer, organisation_id=organisation_id, **values)  # type: ignore[arg-type]


def test_art_4_an_officer_notifies_a_party_of_its_state_dated_today() -> None:
    uow, _, people = _world()
    acme_id = people["acme"].organisation_id
    assert acme_id is not None
    notice_id = _issue(uow, people["DE"], acme_id)
    with uow:
        [issued] = notices.issued(uow, people["DE"])
        assert (issued.id, issued.issued_on, issued.issued_by, issued.reason) == (
            notice_id,
            NOON.date(),
            "officer@de.example",
            "military end-use suspected",
        )
        assert (issued.subject.scope, issued.subject.destination) == (NoticeScope.END_USER, "BR")
        [received] = notices.received(uow, people["acme"])
        assert received.organisation_name == "Acme GmbH"
        assert received.issued_by != "officer@de.example"  # the party deals with the authority (F13)
        assert notices.received(uow, people["french"]) == []
        assert notices.issued(uow, people["FR"]) == []
        assert [o.name for o in notices.parties(uow, people["DE"])] == ["Acme GmbH"]
        assert [e.action for e in uow.audit.all()] == ["authority_notice.issued"]


def test_art_13_only_the_authority_of_the_partys_state_issues_and_withdraws() -> None:
    uow, _, people = _world()
    acme_id, french_id = people["acme"].organisation_id, people["french"].organisation_id
    assert acme_id is not None
    assert french_id is not None
    with uow, pytest.raises(HiddenResourceError):
        _issue(uow, people["DE"], french_id)
    with uow, pytest.raises(NotFoundError):
        _issue(uow, people["DE"], 999)
    with uow, pytest.raises(PermissionDeniedError):
        _issue(uow, people["acme"], acme_id)
    notice_id = _issue(uow, people["DE"], acme_id)
    with uow, pytest.raises(HiddenResourceError):
        notices.withdraw(uow, people["FR"], notice_id, "not yours")
    with uow, pytest.raises(NotFoundError):
        notices.withdraw(uow, people["DE"], notice_id + 1, "no such notice")
    with uow:
        assert len(notices.issued(uow, people["DE"])) == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"article": "9(1)"}, "article"),
        ({"scope": "everything"}, "scope"),
        ({"scope": "transaction", "item": "", "control_code": None}, "item"),
        ({"reason": "   "}, "reason"),
        ({"destination": "Brazil"}, "destination"),
    ],
)
def test_a_notice_missing_what_it_needs_is_refused_and_nothing_is_kept(
    changes: dict[str, object], field: str
) -> None:
    uow, _, people = _world()
    acme_id = people["acme"].organisation_id
    assert acme_id is not None
    with uow, pytest.raises(ValidationError) as refused:
        _issue(uow, people["DE"], acme_id, **changes)
    assert refused.value.field == field
    with uow:
        assert notices.issued(uow, people["DE"]) == []
        assert uow.audit.all() == []


def test_a_withdrawal_is_dated_by_the_clock_and_recorded_once() -> None:
    uow, clock, people = _world()
    acme_id = people["acme"].organisation_id
    assert acme_id is not None
    notice_id = _issue(uow, people["DE"], acme_id)
    clock.advance(timedelta(days=3))
    with uow, pytest.raises(ValidationError):
        notices.withdraw(uow, people["DE"], notice_id, " ")
    notices.withdraw(uow, people["DE"], notice_id, "the end-user was cleared")
    with uow:
        [withdrawn] = notices.received(uow, people["acme"])
        assert (withdrawn.status, withdrawn.withdrawn_on) == (NoticeStatus.WITHDRAWN, clock.today())
        assert uow.notices.received(acme_id, in_force_only=True) == []
    with uow, pytest.raises(ConflictError):
        notices.withdraw(uow, people["DE"], notice_id, "again")
