"""Restricted-party screening through the in-memory unit of work and the real in-memory index: a list is
imported, a saved party is screened, a reviewer's false positive is not raised again, and a new list version
raises an alert only for what changed."""

from __future__ import annotations

from datetime import date

import pytest

from dualuse.adapters.screening_index import StoredListsIndex
from dualuse.domain.errors import ConflictError, ValidationError
from dualuse.domain.identity import OrganisationKind, Principal, Role
from dualuse.domain.screening.model import EntitySchema, ListedEntity, ListSnapshot, ScreeningQuery
from dualuse.domain.screening.review import HitStatus
from dualuse.services import screening
from tests.fakes import FakeUnitOfWork

OPERATOR = Principal.system("operator")


def _entity(entity_id: str, name: str, country: str = "ru") -> ListedEntity:
    return ListedEntity("eu_fsf", entity_id, EntitySchema.ORGANIZATION, (name,), countries=(country,))


def _world() -> tuple[FakeUnitOfWork, Principal, StoredListsIndex]:
    uow = FakeUnitOfWork()
    with uow:
        acme = uow.organisations.add(OrganisationKind.EXPORTER, "Acme GmbH", "DE", "DE111")
        uow.commit()
    first = ListSnapshot(
        "eu_fsf", "2026-01", (_entity("e1", "Blue Lantern Surveillance Systems"),), date(2026, 1, 5)
    )
    with uow:
        screening.import_snapshot(uow, OPERATOR, first, format_name="ftm", filename="v1.json")
    return uow, Principal.for_user(1, "admin@acme.example", Role.EXPORTER_ADMIN, acme), StoredListsIndex()


def test_a_saved_party_is_screened_and_a_false_positive_is_not_raised_again() -> None:
    uow, admin, index = _world()
    query = ScreeningQuery("Blue Lantern Surveillance Systems Ltd", EntitySchema.ORGANIZATION, country="RU")
    with uow:
        _, outcome = screening.save_party(uow, admin, index, query, "end_user")
    assert [m.entity.entity_id for m in outcome.matches] == ["e1"]
    [hit_id] = outcome.new_hits
    with uow:
        decided = screening.decide_hit(uow, admin, hit_id, "false_positive", "a different company, checked")
    assert decided.status is HitStatus.FALSE_POSITIVE
    with uow, pytest.raises(ConflictError):
        screening.decide_hit(uow, admin, hit_id, "true_match", "changed my mind")
    with uow, pytest.raises(ValidationError):
        screening.decide_hit(uow, admin, hit_id, "false_positive", " ")
    with uow:
        again = screening.screen(uow, admin, index, query)
    assert (again.new_hits, again.suppressed) == ((), 1)


def test_a_new_list_version_alerts_on_the_changed_entities_only() -> None:
    uow, admin, index = _world()
    with uow:
        screening.save_party(uow, admin, index, ScreeningQuery("Red Kite Logistics OOO"), "consignee")
        screening.save_party(uow, admin, index, ScreeningQuery("Somebody Unrelated"), "end_user")
    second = ListSnapshot(
        "eu_fsf",
        "2026-02",
        (_entity("e1", "Blue Lantern Surveillance Systems"), _entity("e2", "Red Kite Logistics")),
        date(2026, 2, 5),
    )
    with uow:
        report = screening.import_snapshot(uow, OPERATOR, second, format_name="ftm", filename="v2.json")
    assert (report.parties_rescreened, report.alerts) == (2, 1)
    with uow:
        [alert] = screening.hits(uow, admin, alerts_only=True)
        assert (alert.entity_id, alert.status) == ("e2", HitStatus.OPEN)
        again = screening.import_snapshot(uow, OPERATOR, second, format_name="ftm", filename="v2.json")
    assert again.unchanged
