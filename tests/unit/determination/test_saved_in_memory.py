"""Saving a determination on the in-memory unit of work (issue #13, issue #16): the answer is worked out
again from the case, kept for the exporter's organisation with the day it was asked, audited, listed newest
first for that organisation only; another organisation reads it as missing, and only an exporter saves."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from dualuse.adapters.sources.controllist_view import shipped_list_source
from dualuse.adapters.sources.rulebook import load_rulebook
from dualuse.domain.errors import NotFoundError, PermissionDeniedError, ValidationError
from dualuse.domain.identity import OrganisationKind, Principal, Role
from dualuse.services.clock import ManualClock
from dualuse.services.determination import DeterminationInputs
from dualuse.services.determination.saved import save, saved_determination, saved_determinations
from tests.fakes import FakeUnitOfWork

INPUTS = DeterminationInputs(load_rulebook(), shipped_list_source())
T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _case(code: str, destination: str) -> dict[str, object]:
    return {
        "date": "2026-12-01",
        "exporter": {"name": "Acme", "member_state": "DE"},
        "destination": destination,
        "items": [{"id": "1", "control_code": code, "cyber_surveillance": False}],
    }


def test_an_exporter_keeps_its_answers_and_no_one_else_reads_them() -> None:
    clock = ManualClock(T0)
    uow = FakeUnitOfWork(clock)
    acme = uow.organisations.add(OrganisationKind.EXPORTER, "Acme", "DE", None)
    rival = uow.organisations.add(OrganisationKind.EXPORTER, "Rival", "FR", None)
    bafa = uow.organisations.add(OrganisationKind.AUTHORITY, "BAFA", "DE", None)
    uow.commit()
    exporter = Principal.for_user(1, "a@acme", Role.EXPORTER_ADMIN, acme)
    other = Principal.for_user(2, "r@rival", Role.EXPORTER_ADMIN, rival)
    officer = Principal.for_user(3, "o@bafa", Role.AUTHORITY_OFFICER, bafa)

    first = save(uow, INPUTS, exporter, _case("5A001.j", "CN"))
    clock.advance(timedelta(hours=1))
    second = save(uow, INPUTS, exporter, _case("1A001", "US"))

    assert uow.commits == 3  # each save commits on its own
    assert first.outcome == "licence_required"
    assert first.case["date"] == first.answer["understood"]["date"] == "2026-12-01"
    assert (first.organisation_id, first.saved_by, first.saved_at) == (acme.id, exporter.label, T0)
    assert first.reference == f"DET-2026-{first.id:06d}"
    assert first.list_version
    assert [s.id for s in saved_determinations(uow, exporter)] == [second.id, first.id]
    assert saved_determination(uow, exporter, first.id) == first
    saved_audit = [e for e in uow.audit.all() if e.action == "determination.saved"]
    assert [(e.entity_id, e.after["reference"]) for e in saved_audit] == [  # type: ignore[index]
        (str(first.id), first.reference),
        (str(second.id), second.reference),
    ]

    assert saved_determinations(uow, other) == []
    with pytest.raises(NotFoundError):  # another organisation's record is answered as missing
        saved_determination(uow, other, first.id)
    with pytest.raises(NotFoundError):
        saved_determination(uow, exporter, second.id + 1)
    with pytest.raises(PermissionDeniedError):
        save(uow, INPUTS, officer, _case("5A001.j", "CN"))
    with pytest.raises(ValidationError):
        save(uow, INPUTS, exporter, ["not", "a", "case"])
    assert len(uow.saved_determinations.of_organisation(acme.id)) == 2
