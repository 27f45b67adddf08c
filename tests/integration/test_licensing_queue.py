"""The authority's queue is filtered, ordered and paged by the database (SQLite and PostgreSQL): the
destinations and control codes it filters on follow the current application (amendments included), and
the migration that introduced them fills them in for cases stored before it."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from dualuse.adapters.db import migrate
from dualuse.adapters.db import tables as t
from dualuse.adapters.db.engine import make_engine
from dualuse.adapters.db.licensing_repo import _case_data
from dualuse.bootstrap import Container
from dualuse.domain import licensing as lic
from dualuse.domain.errors import ConfigurationError, NotFoundError
from dualuse.domain.identity import OrganisationKind, Role
from dualuse.services import licensing as svc
from dualuse.services.unit_of_work import CaseQuery, StoredCase
from tests.factories import make_organisation, make_person
from tests.unit.licensing.factories import queue_application, store_submitted

S = lic.ApplicationStatus
OPEN = [s for s in S if s is not S.DRAFT]


application = queue_application


def add_submitted(
    container: Container,
    organisation_id: int,
    state: str,
    codes: tuple[str, ...],
    destinations: tuple[str, ...],
    submitted_at: datetime,
) -> StoredCase:
    with container.uow() as uow:
        return store_submitted(
            uow,
            organisation_id=organisation_id,
            member_state=state,
            codes=codes,
            destinations=destinations,
            submitted_at=submitted_at,
        )


def ids(container: Container, query: CaseQuery) -> tuple[list[int], int]:
    with container.uow() as uow:
        page = uow.licensing.queue(query)
    return [s.id for s in page.cases], page.total


def test_filters_order_and_pages_in_sql(container: Container) -> None:
    acme = make_organisation(container, OrganisationKind.EXPORTER, "Acme GmbH", "DE", "DE1")
    lyon = make_organisation(container, OrganisationKind.EXPORTER, "Lyon SAS", "FR", "FR1")
    now = datetime.now(UTC)
    # added newest first, so that submission order and id order differ
    c1 = add_submitted(container, acme.id, "DE", ("5A001.j",), ("BR", "AR"), now - timedelta(days=3))
    c2 = add_submitted(container, acme.id, "DE", ("2B001",), ("CN",), now - timedelta(days=20))
    c3 = add_submitted(container, acme.id, "DE", ("2B001", "5A001.f.1"), ("BR",), now - timedelta(days=40))
    fr = add_submitted(container, lyon.id, "FR", ("5A001.j",), ("BR",), now - timedelta(days=50))
    with container.uow() as uow:  # a draft never reaches the queue
        uow.licensing.add_case(
            organisation_id=acme.id,
            member_state="DE",
            build=lambda i: lic.new_case(str(i), application(i, ("1C010",), ("BR",))),
        )
        uow.commit()

    de = CaseQuery(member_state="DE", statuses=OPEN)
    assert ids(container, de) == ([c3.id, c2.id, c1.id], 3)  # oldest submission first; FR's case apart
    assert ids(container, CaseQuery(member_state="FR", statuses=OPEN)) == ([fr.id], 1)
    assert ids(container, replace(de, destination="BR")) == ([c3.id, c1.id], 2)
    assert ids(container, replace(de, destination="AR")) == ([c1.id], 1)  # a second destination counts
    cyber = {"5A001.j", "5A001.f.1"}
    assert ids(container, replace(de, with_codes=cyber)) == ([c3.id, c1.id], 2)
    assert ids(container, replace(de, without_codes=cyber)) == ([c2.id], 1)
    assert ids(container, replace(de, submitted_before=now - timedelta(days=10))) == ([c3.id, c2.id], 2)
    assert ids(container, replace(de, statuses=[S.UNDER_ASSESSMENT])) == ([], 0)
    # paging: the total stays, the page moves
    assert ids(container, replace(de, limit=2)) == ([c3.id, c2.id], 3)
    assert ids(container, replace(de, limit=2, offset=2)) == ([c1.id], 3)
    assert ids(container, replace(de, limit=2, offset=4)) == ([], 3)
    with container.uow() as uow:
        assert uow.licensing.control_codes("DE") == {"5A001.j", "2B001", "5A001.f.1", "1C010"}
        assert uow.licensing.control_codes("FR") == {"5A001.j"}


def test_an_amendment_moves_the_case_between_filters(container: Container) -> None:
    acme = make_organisation(container, OrganisationKind.EXPORTER, "Acme GmbH", "DE", "DE1")
    stored = add_submitted(container, acme.id, "DE", ("5A001.j",), ("BR",), datetime.now(UTC))
    amended_to = application(stored.id, ("2B001",), ("CN",))
    case, _ = lic.amend_application(stored.case, amended_to, actor_id="1", reason="new customer")
    with container.uow() as uow:
        uow.licensing.save_case(replace(stored, case=case), expected_version=stored.case.version)
        uow.commit()
    de = CaseQuery(member_state="DE", statuses=OPEN)
    assert ids(container, replace(de, destination="BR")) == ([], 0)
    assert ids(container, replace(de, destination="CN")) == ([stored.id], 1)
    assert ids(container, replace(de, with_codes={"5A001.j"})) == ([], 0)
    assert ids(container, replace(de, with_codes={"2B001"})) == ([stored.id], 1)
    with container.uow() as uow:
        [entry] = uow.licensing.queue(de).cases
    assert (entry.control_codes, entry.destinations, entry.end_user) == (("2B001",), ("CN",), ("Buyer", "CN"))
    assert (entry.amended, entry.status, entry.value_eur) == (True, S.SUBMITTED, Decimal(100))
    assert entry.submitted_at is not None


def test_the_licences_of_a_page_in_one_query(container: Container) -> None:
    acme = make_organisation(container, OrganisationKind.EXPORTER, "Acme GmbH", "DE", "DE1")
    first = add_submitted(container, acme.id, "DE", ("5A001.j",), ("BR",), datetime.now(UTC))
    second = add_submitted(container, acme.id, "DE", ("5A001.j",), ("BR",), datetime.now(UTC))
    licence = lic.issue_licence(
        number="DE-2026-000001",
        case_id=str(first.id),
        holder_id=str(acme.id),
        licence_type=lic.ApplicationType.INDIVIDUAL,
        valid_from=datetime.now(UTC).date(),
        valid_until=datetime.now(UTC).date() + timedelta(days=365),
        items=(lic.LicensedItem(1, "5A001.j", "item", "pieces", Decimal(1), Decimal(100)),),
        conditions=(),
    )
    with container.uow() as uow:
        uow.licensing.add_licence(case_id=first.id, member_state="DE", licence=licence, check_code="ABC")
        uow.commit()
    with container.uow() as uow:
        found = uow.licensing.licences_for_cases([first.id, second.id])
        assert uow.licensing.licences_for_cases([]) == {}
    assert {case_id: s.licence.number for case_id, s in found.items()} == {first.id: "DE-2026-000001"}


def test_the_migration_fills_the_queue_columns_of_existing_cases(database_url: str) -> None:
    """Cases stored under revision 0006 (JSON only) are found by the SQL queue after upgrading."""
    engine = make_engine(database_url)
    migrate.upgrade(engine, "0006")
    submitted_at = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    case, _ = lic.transition(
        lic.new_case("1", application(1, ("5A001.j", "2B001"), ("BR", "AR"))),
        lic.CaseAction.SUBMIT,
        lic.Actor.EXPORTER,
        "1",
    )
    amended = application(1, ("5A001.j", "2B001", " 6A003.b.4 "), ("BR", "AR"))
    case, _ = lic.amend_application(case, amended, actor_id="1", reason="one more line")
    stored = StoredCase(1, 1, "DE", case, None, submitted_at, submitted_at, submitted_at)
    with engine.begin() as connection:
        connection.execute(
            t.organisations.insert().values(
                id=1, kind="exporter", name="Acme", member_state="DE", created_at=submitted_at
            )
        )
        columns = {c.name for c in t.licensing_cases.columns} - {"submitted_at"}
        row = {
            "id": 1,
            "organisation_id": 1,
            "member_state": "DE",
            "status": case.status.value,
            "version": case.version,
            "data": _case_data(stored),
            "created_at": submitted_at,
            "updated_at": submitted_at,
        }
        connection.execute(t.licensing_cases.insert().values({k: v for k, v in row.items() if k in columns}))
    migrate.upgrade(engine)
    with engine.connect() as connection:
        countries = connection.execute(select(t.licensing_case_destinations.c.country)).scalars().all()
        codes = connection.execute(select(t.licensing_case_items.c.control_code)).scalars().all()
        saved = connection.execute(select(t.licensing_cases.c.submitted_at)).scalar_one()
    assert sorted(countries) == ["AR", "BR"]
    assert sorted(codes) == ["2B001", "5A001.j", "6A003.b.4"]  # the amended lines, stripped
    assert saved is not None
    assert saved.replace(tzinfo=saved.tzinfo or UTC) == submitted_at
    migrate.downgrade(engine, "0006")  # and back: the columns and tables go again
    migrate.upgrade(engine)
    engine.dispose()


def test_a_draft_withdrawn_before_submission_never_reaches_the_authority(container: Container) -> None:
    acme = make_organisation(container, OrganisationKind.EXPORTER, "Acme GmbH", "DE", "DE1")
    de = make_organisation(container, OrganisationKind.AUTHORITY, "BAFA", "DE")
    exporter = make_person(container, acme, Role.EXPORTER_ADMIN, "admin@acme.example").principal
    officer = make_person(container, de, Role.AUTHORITY_OFFICER, "officer@bafa.example").principal
    content = svc.ApplicationContent(
        application_type="individual",
        items=(lic.ApplicationItem(" 1C010 ", "Carbon fibre", Decimal(5), "kg", Decimal(900)),),
        parties=(lic.Party("Buyer SA", lic.PartyRole.END_USER, "BR", lic.PartyType.COMMERCIAL),),
        destinations=("BR",),
        end_use="Production",
    )
    with container.uow() as uow:
        withdrawn = svc.withdraw(uow, exporter, svc.create_application(uow, exporter, content).id)
        submitted = svc.submit(
            uow,
            exporter,
            svc.create_application(uow, exporter, content).id,
            declaration=svc.APPLICANT_DECLARATION,
        )
        withdrawn_later = svc.withdraw(
            uow,
            exporter,
            svc.submit(
                uow,
                exporter,
                svc.create_application(uow, exporter, content).id,
                declaration=svc.APPLICANT_DECLARATION,
            ).id,
        )
    assert withdrawn.case.status is S.WITHDRAWN
    with container.uow() as uow:
        page = svc.queue(uow, officer)
        assert [e.id for e in page.cases] == [submitted.id, withdrawn_later.id]
        assert page.cases[0].control_codes == ("1C010",)  # as the filters see it
        with pytest.raises(NotFoundError):
            svc.get_application(uow, officer, withdrawn.id)
        assert svc.get_application(uow, officer, withdrawn_later.id).case.status is S.WITHDRAWN
        # without a control list in force, the cyber-surveillance filter refuses rather than ignores
        with pytest.raises(ConfigurationError, match="cyber-surveillance filter"):
            svc.queue(uow, officer, cyber_surveillance=True, list_view=None)
