"""Union general export authorisations (Art. 12(1)(d), Annex II) through the in-memory unit of work: who
registers, when exports are covered from (Annex II Part 3), which reports of use are refused, and who sees
what; time moves on by the clock, not by back-dating what was stored."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from dualuse.adapters.sources.rulebook import load_rulebook
from dualuse.domain.errors import ConflictError, PermissionDeniedError, ValidationError
from dualuse.domain.identity import OrganisationKind, Principal, Role
from dualuse.domain.rules.rulebook import Rulebook
from dualuse.services import generalauth as ga
from dualuse.services.clock import ManualClock
from tests.fakes import FakeUnitOfWork

RULEBOOK: Rulebook = load_rulebook()
NOON = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)  # the same calendar day in UTC and in Brussels


def _world() -> tuple[FakeUnitOfWork, ManualClock, dict[str, Principal]]:
    clock = ManualClock(NOON)
    uow = FakeUnitOfWork(clock)
    with uow:
        acme = uow.organisations.add(OrganisationKind.EXPORTER, "Acme GmbH", "DE", "DE111")
        other = uow.organisations.add(OrganisationKind.EXPORTER, "Other BV", "NL", "NL222")
        de = uow.organisations.add(OrganisationKind.AUTHORITY, "Authority DE", "DE", None)
        fr = uow.organisations.add(OrganisationKind.AUTHORITY, "Authority FR", "FR", None)
        uow.commit()
    return (
        uow,
        clock,
        {
            "admin": Principal.for_user(1, "admin@acme.example", Role.EXPORTER_ADMIN, acme),
            "user": Principal.for_user(2, "user@acme.example", Role.EXPORTER_USER, acme),
            "other": Principal.for_user(3, "admin@other.example", Role.EXPORTER_ADMIN, other),
            "DE": Principal.for_user(4, "officer@de.example", Role.AUTHORITY_OFFICER, de),
            "FR": Principal.for_user(5, "officer@fr.example", Role.AUTHORITY_OFFICER, fr),
        },
    )


def _report(uow: FakeUnitOfWork, who: Principal, eugea_id: str, start: date, end: date) -> int:
    return ga.report_use(uow, who, RULEBOOK, eugea_id, start, end, 2, "1000.00", ["us", "JP"])


def test_a_registration_is_made_today_once_by_the_admin_and_audited() -> None:
    uow, _, people = _world()
    registration_id = ga.register(uow, people["admin"], RULEBOOK, "eu001")
    with uow:
        [row] = ga.registrations(uow, people["admin"])
        assert (row["id"], row["eugea_id"], row["member_state"]) == (registration_id, "EU001", "DE")
        assert ga.registered_on(row) == NOON.date()
        assert [e.action for e in uow.audit.for_entity(ga.ENTITY_REGISTRATION, str(registration_id))] == [
            "eugea.registered"
        ]
    with uow, pytest.raises(ConflictError):
        ga.register(uow, people["admin"], RULEBOOK, "EU001")
    with uow, pytest.raises(PermissionDeniedError):
        ga.register(uow, people["user"], RULEBOOK, "EU003")
    with uow, pytest.raises(ValidationError):
        ga.register(uow, people["admin"], RULEBOOK, "EU099")
    with uow, pytest.raises(PermissionDeniedError):
        ga.register(uow, people["DE"], RULEBOOK, "EU003")
    with uow:
        assert len(uow.general_authorisations.registrations()) == 1


@pytest.mark.parametrize(("eugea_id", "days"), [("EU007", 30), ("EU008", 10)])
def test_annex_ii_eu007_eu008_exports_are_covered_only_after_the_waiting_period(
    eugea_id: str, days: int
) -> None:
    """Annex II Part 3: EU007 notified at least 30 days, EU008 at least 10 days before the first export."""
    uow, clock, people = _world()
    ga.register(uow, people["admin"], RULEBOOK, eugea_id)
    clock.advance(timedelta(days=days - 1))
    today = clock.today()
    with uow, pytest.raises(ValidationError, match=f"only {days} days after the notice"):
        _report(uow, people["admin"], eugea_id, today - timedelta(days=3), today)
    clock.advance(timedelta(days=1))
    today = clock.today()
    with uow:
        _report(uow, people["admin"], eugea_id, today - timedelta(days=3), today)
    with uow:
        assert len(ga.reports(uow, people["admin"])) == 1


def test_reports_refused_before_registration_in_the_future_overlapping_or_malformed() -> None:
    uow, clock, people = _world()
    today = clock.today()
    with uow, pytest.raises(ValidationError, match="register for EU001"):
        _report(uow, people["admin"], "EU001", today - timedelta(days=9), today)
    ga.register(uow, people["admin"], RULEBOOK, "EU001")
    clock.advance(timedelta(days=40))
    today = clock.today()
    with uow, pytest.raises(ValidationError, match="after today"):
        _report(uow, people["admin"], "EU001", today, today + timedelta(days=1))
    with uow:
        _report(uow, people["admin"], "EU001", today - timedelta(days=20), today - timedelta(days=10))
    with uow, pytest.raises(ConflictError, match="overlap"):
        _report(uow, people["admin"], "EU001", today - timedelta(days=10), today)
    with uow, pytest.raises(ValidationError):
        ga.report_use(uow, people["admin"], RULEBOOK, "EU001", today, today, -1, "0", [])
    with uow, pytest.raises(ValidationError):
        ga.report_use(uow, people["admin"], RULEBOOK, "EU001", today, today, 1, "-5", ["US"])
    with uow, pytest.raises(ValidationError):
        ga.report_use(uow, people["admin"], RULEBOOK, "EU001", today, today, 1, "5", ["USA"])
    with uow, pytest.raises(ValidationError):
        ga.report_use(uow, people["admin"], RULEBOOK, "EU001", today, today - timedelta(days=1), 0, "0", [])
    with uow:
        [stored] = ga.reports(uow, people["admin"])
        assert (stored["value_eur"], stored["destinations"]) == ("1000.00", ["JP", "US"])


def test_each_side_sees_only_its_own() -> None:
    uow, clock, people = _world()
    ga.register(uow, people["admin"], RULEBOOK, "EU001")
    ga.register(uow, people["other"], RULEBOOK, "EU001")
    clock.advance(timedelta(days=5))
    today = clock.today()
    with uow:
        _report(uow, people["admin"], "EU001", today - timedelta(days=2), today)
    with uow:
        assert [r["organisation_id"] for r in ga.registrations(uow, people["other"])] == [
            people["other"].organisation_id
        ]
        assert ga.reports(uow, people["other"]) == []
        germany = ga.for_authority(uow, people["DE"])
        assert [r["member_state"] for r in germany.registrations] == ["DE"]
        assert len(germany.reports) == 1
        france = ga.for_authority(uow, people["FR"])
        assert (list(france.registrations), list(france.reports)) == ([], [])
        with pytest.raises(PermissionDeniedError):
            ga.for_authority(uow, people["admin"])
        with pytest.raises(PermissionDeniedError):
            ga.registrations(uow, people["DE"])
