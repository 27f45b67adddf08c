"""The licensing use cases (Arts. 12, 15, 16) run through the in-memory unit of work: the path to a licence
with its audit trail, all-or-nothing decisions, four eyes, member-state isolation (Art. 12(2)), the
authority's queue, and shipments until the licence is exhausted."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any, Concatenate, ParamSpec, TypeVar

import pytest

from dualuse.domain import licensing as lic
from dualuse.domain.audit import AuditEvent
from dualuse.domain.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from dualuse.domain.identity import Organisation, OrganisationKind, Principal, Role
from dualuse.domain.rules.engine import ItemFlags
from dualuse.services import audit
from dualuse.services import licensing as svc
from dualuse.services.clock import today_in_brussels
from dualuse.services.unit_of_work import CaseQuery, StoredCase, StoredLicence, UnitOfWork
from tests.fakes import FakeUnitOfWork
from tests.unit.licensing.factories import queue_application, store_submitted
from tests.unit.rules.fakes import FakeListView

P = ParamSpec("P")
T = TypeVar("T")
S = lic.ApplicationStatus
OPEN = [s for s in S if s is not S.DRAFT]
SECRET = svc.check_code_secret("a test secret, not the app's")
# A licence takes effect on the day it is granted at the earliest (F19): the tests grant today. (They used
# a fixed day in January 2026, which a decision taken later would have backdated.)
VALID_FROM = today_in_brussels() + timedelta(
    days=1 if today_in_brussels().strftime("%m-%d") == "02-29" else 0
)
YEAR = VALID_FROM.year

# --- the cast: principals without a database ------------------------------------------------------------
ACME = Organisation(1, OrganisationKind.EXPORTER, "Acme GmbH", "DE", "DE111")
OTHER = Organisation(2, OrganisationKind.EXPORTER, "Other GmbH", "DE", "DE222")
LYON = Organisation(3, OrganisationKind.EXPORTER, "Lyon SAS", "FR", "FR333")
BAFA = Organisation(4, OrganisationKind.AUTHORITY, "BAFA", "DE")
SBDU = Organisation(5, OrganisationKind.AUTHORITY, "SBDU", "FR")

EXPORTER = Principal.for_user(1, "admin@acme.example", Role.EXPORTER_ADMIN, ACME)
OTHER_EXPORTER = Principal.for_user(2, "admin@other.example", Role.EXPORTER_ADMIN, OTHER)
FR_EXPORTER = Principal.for_user(3, "admin@lyon.example", Role.EXPORTER_ADMIN, LYON)
OFFICER = Principal.for_user(4, "officer@bafa.example", Role.AUTHORITY_OFFICER, BAFA)
SENIOR = Principal.for_user(5, "senior@bafa.example", Role.AUTHORITY_SENIOR, BAFA)
SENIOR2 = Principal.for_user(6, "senior2@bafa.example", Role.AUTHORITY_SENIOR, BAFA)
FR_OFFICER = Principal.for_user(7, "officer@sbdu.example", Role.AUTHORITY_OFFICER, SBDU)

NO_CONCERNS = tuple(lic.Finding(c.id, concern=False, note="") for c in lic.CRITERIA)
CYBER = FakeListView(  # a sub-item inherits the flags of the nearest listed code above it
    "2025-11",
    {
        "5A001.j": ItemFlags(cyber_surveillance=True),
        "5A001.f": ItemFlags(cyber_surveillance=True),
        "2B001": ItemFlags(),
        "1C010": ItemFlags(),
    },
)


# --- helpers --------------------------------------------------------------------------------------------
def act(
    uow: FakeUnitOfWork, use_case: Callable[Concatenate[UnitOfWork, P], T], *args: P.args, **kwargs: P.kwargs
) -> T:
    """One use case in its own block, as an entry point runs it."""
    with uow:
        return use_case(uow, *args, **kwargs)


def content(
    codes: Sequence[str] = ("5A001.j",), destinations: Sequence[str] = ("BR",)
) -> svc.ApplicationContent:
    return svc.ApplicationContent(
        application_type="individual",
        items=[
            lic.ApplicationItem(c, f"item {c}", Decimal(10), "pieces", Decimal("250000.00")) for c in codes
        ],
        parties=[
            lic.Party(
                "Telecom Operator SA", lic.PartyRole.END_USER, destinations[0], lic.PartyType.COMMERCIAL
            ),
            lic.Party(
                "Telecom Operator SA", lic.PartyRole.CONSIGNEE, destinations[0], lic.PartyType.COMMERCIAL
            ),
        ],
        destinations=destinations,
        end_use="Lawful interception compliance of a public telecom network",
    )


def submitted(uow: FakeUnitOfWork, exporter: Principal = EXPORTER, **kwargs: Any) -> StoredCase:
    draft = act(uow, svc.create_application, exporter, content(**kwargs))
    return act(
        uow,
        svc.submit,
        exporter,
        draft.id,
        expected_version=draft.case.version,
        declaration=svc.APPLICANT_DECLARATION,
    )


def recommended(uow: FakeUnitOfWork, officer: Principal = OFFICER) -> StoredCase:
    """A submitted case that ``officer`` assessed and recommended for a grant."""
    case = submitted(uow)
    case = act(uow, svc.case_action, officer, case.id, "start_assessment", expected_version=case.case.version)
    case = act(uow, svc.record_assessment, officer, case.id, NO_CONCERNS, expected_version=case.case.version)
    return act(
        uow,
        svc.recommend,
        officer,
        case.id,
        kind="grant",
        reasoning="no concerns",
        expected_version=case.case.version,
    )


def granted(uow: FakeUnitOfWork) -> StoredLicence:
    case = recommended(uow)
    _, licence = act(
        uow,
        svc.decide,
        SENIOR,
        case.id,
        outcome="granted",
        expected_version=case.case.version,
        secret=SECRET,
        valid_from=VALID_FROM,
    )
    assert licence is not None
    return licence


def durable(uow: FakeUnitOfWork) -> tuple[object, ...]:
    """Everything a later transaction reads: cases, messages, licences, shipments, the audit trail."""
    with uow:
        cases = uow.licensing.cases()
        licences = uow.licensing.licences()
        return (
            cases,
            [uow.licensing.messages(c.id) for c in cases],
            licences,
            [uow.licensing.shipments(s.id) for s in licences],
            uow.audit.all(),
        )


def trail(uow: FakeUnitOfWork, entity_type: str, entity_id: object) -> Sequence[AuditEvent]:
    with uow:
        return uow.audit.for_entity(entity_type, str(entity_id))


def verified(uow: FakeUnitOfWork) -> tuple[int, list[Any]]:
    with uow:
        return audit.verify(uow)


# --- the path to a licence ------------------------------------------------------------------------------
def test_apply_assess_recommend_decide_to_a_licence_with_one_audit_event_per_move() -> None:
    uow = FakeUnitOfWork()
    draft = act(uow, svc.create_application, EXPORTER, content())
    assert (draft.case.status, draft.member_state, draft.case.version) == (S.DRAFT, "DE", 1)
    with pytest.raises(NotFoundError):  # a draft is the exporter's alone
        act(uow, svc.get_application, OFFICER, draft.id)
    assert act(uow, svc.queue, OFFICER).total == 0

    case = act(uow, svc.submit, EXPORTER, draft.id, expected_version=1, declaration=svc.APPLICANT_DECLARATION)
    assert case.case.status is S.SUBMITTED
    assert case.submitted_at is not None
    [queued] = act(uow, svc.queue, OFFICER, status="submitted", destination="br").cases
    assert (queued.id, queued.destinations, queued.control_codes) == (case.id, ("BR",), ("5A001.j",))
    assert queued.end_user == ("Telecom Operator SA", "BR")

    case = act(uow, svc.case_action, OFFICER, case.id, "start_assessment", expected_version=2)
    case = act(
        uow,
        svc.case_action,
        OFFICER,
        case.id,
        "request_information",
        expected_version=3,
        note="Who operates the monitoring centre?",
    )
    assert case.case.status is S.AWAITING_EXPORTER
    act(uow, svc.post_message, EXPORTER, case.id, "The operator's own compliance team.")
    case = act(uow, svc.get_application, OFFICER, case.id)
    assert (case.case.status, case.case.version) == (S.UNDER_ASSESSMENT, 5)
    thread = act(uow, svc.messages, OFFICER, case.id)
    assert [m["author_role"] for m in thread] == ["authority", "exporter"]

    case = act(uow, svc.record_assessment, OFFICER, case.id, NO_CONCERNS, expected_version=5)
    assert case.assessment is not None
    assert case.assessment.officer_id == OFFICER.label
    case = act(
        uow, svc.recommend, OFFICER, case.id, kind="grant", reasoning="no concerns", expected_version=6
    )
    assert case.case.status is S.RECOMMENDED
    decided, licence = act(
        uow,
        svc.decide,
        SENIOR,
        case.id,
        outcome="granted",
        expected_version=7,
        secret=SECRET,
        valid_from=VALID_FROM,
    )
    assert (decided.case.status, decided.case.version) == (S.DECIDED, 8)
    assert decided.case.decision is not None
    assert decided.case.decision.countersigned_by == SENIOR.label
    assert licence is not None
    assert licence.licence.number == f"DE-{YEAR}-000001"
    two_years = date(YEAR + 2, VALID_FROM.month, VALID_FROM.day) - timedelta(days=1)
    assert licence.licence.valid_until == two_years  # two years (Art. 12(3))
    assert [(i.line, i.quantity, i.value_eur) for i in licence.licence.items] == [
        (1, Decimal(10), Decimal("250000.00"))
    ]

    # what later transactions read
    read = act(uow, svc.get_application, EXPORTER, case.id)
    assert (read.case, read.assessment, read.submitted_at) == (
        decided.case,
        decided.assessment,
        case.submitted_at,
    )
    assert act(uow, svc.get_licence, EXPORTER, f"de-{YEAR}-000001").licence == licence.licence
    with uow:
        assert uow.licensing.licence_for_case(case.id) is not None
    check = act(uow, svc.verify, licence.licence.number, licence.check_code, SECRET)
    assert (check.genuine, check.status, check.member_state) == (True, "active", "DE")

    events = trail(uow, svc.ENTITY_CASE, case.id)
    assert [e.action.removeprefix("licensing_case.") for e in events] == [
        "ApplicationDrafted",
        "ApplicationSubmitted",
        "AssessmentStarted",
        "InformationRequested",
        "MessagePosted",
        "InformationProvided",
        "AssessmentRecorded",
        "RecommendationMade",
        "ApplicationDecided",
    ]
    # each move records the version it left and the one it reached: one event per version
    moves = [(e.actor, e.before, e.after) for e in events if e.before is not None and e.after is not None]
    assert [(before["version"], after["version"]) for _, before, after in moves] == [
        (v, v + 1) for v in range(1, 8)
    ]
    exporter, officer, senior = EXPORTER.label, OFFICER.label, SENIOR.label
    assert [actor for actor, _, _ in moves] == [
        exporter,
        officer,
        officer,
        exporter,
        officer,
        officer,
        senior,
    ]
    [issued] = trail(uow, svc.ENTITY_LICENCE, licence.licence.number)
    assert issued.action == "licence.LicenceIssued"
    assert verified(uow) == (10, [])


# --- all or nothing -------------------------------------------------------------------------------------
def test_a_decision_that_fails_after_writing_leaves_nothing_behind() -> None:
    uow = FakeUnitOfWork()
    case = recommended(uow)
    before = durable(uow)
    events_before, _ = verified(uow)
    # the decided case and its audit event are written before the licence is refused
    with pytest.raises(ValidationError, match="a partial grant says which lines it grants"):
        act(
            uow,
            svc.decide,
            SENIOR,
            case.id,
            outcome="partially_granted",
            expected_version=case.case.version,
            secret=SECRET,
        )
    assert durable(uow) == before
    too_much = [svc.GrantedLine(1, Decimal(11), Decimal(1))]
    with pytest.raises(ValidationError, match="line 1 grants more than was applied for"):
        act(
            uow,
            svc.decide,
            SENIOR,
            case.id,
            outcome="partially_granted",
            expected_version=case.case.version,
            secret=SECRET,
            granted=too_much,
        )
    assert durable(uow) == before
    with pytest.raises(
        ConflictError, match="someone changed it since"
    ):  # a stale version: someone moved the case since
        act(
            uow,
            svc.decide,
            SENIOR,
            case.id,
            outcome="granted",
            expected_version=case.case.version - 1,
            secret=SECRET,
        )
    assert durable(uow) == before
    with uow:
        stored = uow.licensing.case(case.id)
        assert stored is not None
        assert (stored.case.status, stored.case) == (S.RECOMMENDED, case.case)  # not decided, same version
        assert uow.licensing.issued_numbers("DE") == []

    # the same decision done right: the failures took no licence number
    half = [svc.GrantedLine(1, Decimal(5), Decimal("125000.00"))]
    decided, licence = act(
        uow,
        svc.decide,
        SENIOR,
        case.id,
        outcome="partially_granted",
        expected_version=case.case.version,
        secret=SECRET,
        valid_from=VALID_FROM,
        granted=half,
    )
    assert decided.case.status is S.DECIDED
    assert licence is not None
    assert licence.licence.number == f"DE-{YEAR}-000001"
    assert licence.licence.items[0].quantity == Decimal(5)
    assert verified(uow) == (events_before + 2, [])


# --- four eyes ------------------------------------------------------------------------------------------
def test_the_person_who_recommended_may_not_countersign() -> None:
    uow = FakeUnitOfWork()
    case = recommended(uow, officer=SENIOR)  # a senior may assess and recommend, as an officer
    assert case.case.recommendation is not None
    assert case.case.recommendation.officer_id == SENIOR.label
    before = durable(uow)
    decision: dict[str, Any] = {"outcome": "granted", "expected_version": case.case.version, "secret": SECRET}
    with pytest.raises(PermissionDeniedError, match="four eyes"):
        act(uow, svc.decide, SENIOR, case.id, **decision)
    with pytest.raises(PermissionDeniedError, match="may not countersign"):  # an officer never countersigns
        act(uow, svc.decide, OFFICER, case.id, **decision)
    assert durable(uow) == before

    decided, licence = act(uow, svc.decide, SENIOR2, case.id, **decision, valid_from=VALID_FROM)
    assert decided.case.decision is not None
    assert (decided.case.decision.recommendation.officer_id, decided.case.decision.countersigned_by) == (
        SENIOR.label,
        SENIOR2.label,
    )
    assert licence is not None


def test_only_the_officer_who_assessed_recommends() -> None:
    uow = FakeUnitOfWork()
    case = submitted(uow)
    case = act(uow, svc.case_action, OFFICER, case.id, "start_assessment", expected_version=2)
    case = act(uow, svc.record_assessment, OFFICER, case.id, NO_CONCERNS, expected_version=3)
    with pytest.raises(ConflictError, match="record your assessment"):
        act(uow, svc.recommend, SENIOR, case.id, kind="grant", reasoning="fine", expected_version=4)
    assert act(uow, svc.get_application, OFFICER, case.id).case.status is S.UNDER_ASSESSMENT


# --- member-state isolation (Art. 12(2)) ----------------------------------------------------------------
def test_an_authority_of_another_member_state_neither_reads_nor_acts_on_a_case() -> None:
    uow = FakeUnitOfWork()
    licence = granted(uow)
    de_case = submitted(uow)
    fr_case = submitted(uow, exporter=FR_EXPORTER)
    assert fr_case.member_state == "FR"
    before = durable(uow)

    refusals: list[tuple[Callable[..., object], tuple[object, ...], dict[str, Any]]] = [
        (svc.get_application, (de_case.id,), {}),
        (svc.messages, (de_case.id,), {}),
        (svc.post_message, (de_case.id, "Bonjour"), {}),
        (svc.case_action, (de_case.id, "start_assessment"), {"expected_version": 2}),
        (svc.record_assessment, (de_case.id, NO_CONCERNS), {"expected_version": 2}),
        (svc.get_licence, (licence.licence.number,), {}),
        (svc.licence_action, (licence.licence.number, "suspend"), {"reason": "why not"}),
    ]
    for use_case, args, kwargs in refusals:
        # F16: answered as for a case or licence that does not exist
        with pytest.raises(NotFoundError, match=r"^no such (application|licence)$"):
            act(uow, use_case, FR_OFFICER, *args, **kwargs)
    assert durable(uow) == before

    # each authority's queue and licences hold its own state's cases only
    assert [e.id for e in act(uow, svc.queue, FR_OFFICER).cases] == [fr_case.id]
    assert {e.member_state for e in act(uow, svc.queue, OFFICER).cases} == {"DE"}
    assert act(uow, svc.licences, FR_OFFICER) == []
    assert [s.licence.number for s in act(uow, svc.licences, OFFICER)] == [licence.licence.number]
    with pytest.raises(NotFoundError):
        act(uow, svc.get_application, OFFICER, fr_case.id)
    # and an exporter does not learn that another exporter's case exists
    with pytest.raises(NotFoundError):
        act(uow, svc.get_application, OTHER_EXPORTER, de_case.id)


# --- the queue ------------------------------------------------------------------------------------------
def application(case_id: int, codes: tuple[str, ...], destinations: tuple[str, ...]) -> lic.Application:
    return queue_application(case_id, codes, destinations, str(ACME.id))


def add_submitted(
    uow: FakeUnitOfWork,
    organisation: Organisation,
    codes: tuple[str, ...],
    destinations: tuple[str, ...],
    submitted_at: datetime,
) -> StoredCase:
    """A case submitted at ``submitted_at``, stored as ``tests/integration/test_licensing_queue.py`` does."""
    with uow:
        return store_submitted(
            uow,
            organisation_id=organisation.id,
            member_state=str(organisation.member_state),
            codes=codes,
            destinations=destinations,
            submitted_at=submitted_at,
        )


def ids(uow: FakeUnitOfWork, query: CaseQuery | None = None, **filters: Any) -> tuple[list[int], int]:
    """The ids and total of a queue page: of the repository's ``query``, or the service's ``filters``."""
    with uow:
        page = uow.licensing.queue(query) if query else svc.queue(uow, OFFICER, list_view=CYBER, **filters)
    return [e.id for e in page.cases], page.total


def test_the_queue_filters_orders_and_pages_like_the_sql() -> None:
    uow = FakeUnitOfWork()
    now = datetime.now(UTC)
    # added newest first, so that submission order and id order differ
    c1 = add_submitted(uow, ACME, ("5A001.j",), ("BR", "AR"), now - timedelta(days=3))
    c2 = add_submitted(uow, ACME, ("2B001",), ("CN",), now - timedelta(days=20))
    c3 = add_submitted(uow, ACME, ("2B001", "5A001.f.1"), ("BR",), now - timedelta(days=40))
    fr = add_submitted(uow, LYON, ("5A001.j",), ("BR",), now - timedelta(days=50))
    act(uow, svc.create_application, EXPORTER, content(codes=(" 1C010 ",)))  # a draft never reaches the queue

    de = CaseQuery(member_state="DE", statuses=OPEN)
    assert ids(uow, de) == ([c3.id, c2.id, c1.id], 3)  # oldest submission first; FR's case apart
    assert ids(uow, CaseQuery(member_state="FR", statuses=OPEN)) == ([fr.id], 1)
    assert ids(uow, replace(de, destination="BR")) == ([c3.id, c1.id], 2)
    assert ids(uow, replace(de, destination="AR")) == ([c1.id], 1)  # a second destination counts
    cyber = {"5A001.j", "5A001.f.1"}
    assert ids(uow, replace(de, with_codes=cyber)) == ([c3.id, c1.id], 2)
    assert ids(uow, replace(de, without_codes=cyber)) == ([c2.id], 1)
    assert ids(uow, replace(de, submitted_before=now - timedelta(days=10))) == ([c3.id, c2.id], 2)
    assert ids(uow, replace(de, statuses=[S.UNDER_ASSESSMENT])) == ([], 0)
    assert ids(uow, replace(de, limit=2)) == ([c3.id, c2.id], 3)  # the total stays, the page moves
    assert ids(uow, replace(de, limit=2, offset=2)) == ([c1.id], 3)
    assert ids(uow, replace(de, limit=2, offset=4)) == ([], 3)
    with uow:
        assert uow.licensing.control_codes("DE") == {"5A001.j", "2B001", "5A001.f.1", "1C010"}  # stripped
        assert uow.licensing.control_codes("FR") == {"5A001.j"}

    # the same through the use case, as an officer of DE asks
    assert ids(uow) == ([c3.id, c2.id, c1.id], 3)
    assert ids(uow, destination=" br ") == ([c3.id, c1.id], 2)
    assert ids(uow, cyber_surveillance=True) == ([c3.id, c1.id], 2)  # 5A001.f.1 is under 5A001.f
    assert ids(uow, cyber_surveillance=False) == ([c2.id], 1)
    assert ids(uow, older_than_days=10) == ([c3.id, c2.id], 2)
    assert ids(uow, status="submitted", limit=1, offset=1) == ([c2.id], 3)
    with pytest.raises(ValidationError, match="unknown status"):
        ids(uow, status="pending")
    with pytest.raises(ValidationError, match="a page has at least one case"):
        ids(uow, limit=0)
    with pytest.raises(PermissionDeniedError):
        act(uow, svc.queue, EXPORTER)


def test_an_amendment_moves_the_case_between_queue_filters() -> None:
    uow = FakeUnitOfWork()
    case = submitted(uow)
    amended = act(
        uow,
        svc.update_application,
        EXPORTER,
        case.id,
        content(codes=("2B001",), destinations=("CN",)),
        expected_version=case.case.version,
        reason="new customer",
    )
    assert amended.case.application == case.case.application  # the submitted content stays frozen
    assert ids(uow, destination="BR") == ([], 0)
    assert ids(uow, destination="CN") == ([case.id], 1)
    assert ids(uow, cyber_surveillance=True) == ([], 0)
    assert ids(uow, cyber_surveillance=False) == ([case.id], 1)
    [entry] = act(uow, svc.queue, OFFICER).cases
    assert (entry.control_codes, entry.destinations, entry.end_user) == (
        ("2B001",),
        ("CN",),
        ("Telecom Operator SA", "CN"),
    )
    assert (entry.amended, entry.status, entry.version, entry.value_eur) == (
        True,
        S.SUBMITTED,
        3,
        Decimal("250000.00"),
    )


# --- shipments ------------------------------------------------------------------------------------------
def test_shipments_until_the_licence_is_exhausted_then_one_more_is_refused() -> None:
    uow = FakeUnitOfWork()
    licence = granted(uow)
    number = licence.licence.number

    def ship(quantity: str, value: str, ref: str, who: Principal = EXPORTER) -> StoredLicence:
        return act(
            uow,
            svc.record_shipment,
            who,
            number,
            item_line=1,
            quantity=Decimal(quantity),
            value_eur=Decimal(value),
            shipped_on=VALID_FROM,
            customs_reference=ref,
        )

    assert ship("4", "100000", "26DE000000000001").licence.status is lic.LicenceStatus.ACTIVE
    _, left = act(uow, svc.remaining, EXPORTER, number)
    assert left == {1: lic.Remaining(Decimal(6), Decimal("150000.00"))}

    before = durable(uow)
    with pytest.raises(ValidationError, match="has 6 pieces left; 7 pieces exceeds"):
        ship("7", "1", "26DE000000000002")
    with pytest.raises(ConflictError, match="26DE000000000001 is already recorded"):
        ship("1", "1", "26DE000000000001")
    with pytest.raises(NotFoundError):  # another exporter's licence
        ship("1", "1", "26DE000000000003", who=OTHER_EXPORTER)
    assert durable(uow) == before

    exhausted = ship("6", "150000.00", "26DE000000000004")
    assert (exhausted.licence.status, exhausted.licence.version) == (lic.LicenceStatus.EXHAUSTED, 2)
    assert act(uow, svc.get_licence, OFFICER, number).licence.status is lic.LicenceStatus.EXHAUSTED
    with pytest.raises(ConflictError, match=f"licence {number} is exhausted.*refused"):
        ship("1", "1", "26DE000000000005")
    with uow:
        assert [s.customs_reference for s in uow.licensing.shipments(licence.id)] == [
            "26DE000000000001",
            "26DE000000000004",
        ]
    assert [e.action for e in trail(uow, svc.ENTITY_LICENCE, number)] == [
        "licence.LicenceIssued",
        "licence.ShipmentRecorded",
        "licence.ShipmentRecorded",
        "licence.LicenceExhausted",
    ]
    check = act(uow, svc.verify, number, licence.check_code, SECRET)
    assert (check.genuine, check.status, check.in_force) == (True, "exhausted", False)
    count, problems = verified(uow)
    assert problems == []
    assert count == len(trail(uow, svc.ENTITY_CASE, licence.case_id)) + 4


# --- the fake keeps the SQL repository's promises where no single use case can reach them ---------------
def test_the_fake_unit_of_work_keeps_only_what_was_committed() -> None:
    uow = FakeUnitOfWork()
    kept = submitted(uow)
    with uow:
        uow.licensing.add_case(
            organisation_id=ACME.id,
            member_state="DE",
            build=lambda i: lic.new_case(str(i), application(i, ("2B001",), ("CN",))),
        )
        audit.record(uow, actor="test", action="x.Nothing", entity_type="x", entity_id=1)
        assert len(uow.licensing.cases()) == 2
    with uow:
        assert [c.id for c in uow.licensing.cases()] == [kept.id]
        assert [e.action for e in uow.audit.all()] == [
            "licensing_case.ApplicationDrafted",
            "licensing_case.ApplicationSubmitted",
        ]
        uow.licensing.add_message(case_id=kept.id, author="a", author_role="exporter", body="b")
        uow.rollback()
        assert uow.licensing.messages(kept.id) == []


def test_the_fake_refuses_stale_and_skipping_saves_and_a_licence_number_issued_twice() -> None:
    uow = FakeUnitOfWork()
    case = submitted(uow)
    licence = granted(uow)
    version = case.case.version
    with uow:
        with pytest.raises(ValueError, match="exactly one version"):
            uow.licensing.save_case(case, expected_version=version)
        stale = replace(case, case=replace(case.case, version=version))
        with pytest.raises(ConflictError, match="changed meanwhile"):
            uow.licensing.save_case(stale, expected_version=version - 1)
        moved = replace(case, case=replace(case.case, version=version + 1))
        uow.licensing.save_case(moved, expected_version=version)
        with pytest.raises(ConflictError, match="changed meanwhile"):  # a second writer from the same version
            uow.licensing.save_case(moved, expected_version=version)
        with pytest.raises(ConflictError, match="changed meanwhile"):
            uow.licensing.save_licence(licence, expected_version=licence.licence.version + 1)
        with pytest.raises(
            ConflictError, match=f"licence number {licence.licence.number} was issued meanwhile"
        ):
            uow.licensing.add_licence(
                case_id=case.id, member_state="DE", licence=licence.licence, check_code="X"
            )


def test_the_assessment_form_is_one_use_case_recorded_whole_or_not_at_all() -> None:
    """The officer's findings and recommendation arrive together (the web form): a recommendation that is
    refused leaves no assessment behind, and one that is accepted is one commit."""
    uow = FakeUnitOfWork()
    case = submitted(uow)
    case = act(uow, svc.case_action, OFFICER, case.id, "start_assessment", expected_version=case.case.version)
    commits = uow.commits
    with uow, pytest.raises(ValidationError, match="unknown recommendation"):
        svc.assess_and_recommend(
            uow, OFFICER, case.id, NO_CONCERNS, kind="maybe", reasoning="", expected_version=case.case.version
        )
    with uow:
        untouched = svc.get_application(uow, OFFICER, case.id)
    assert (untouched.assessment, untouched.case.version, uow.commits) == (None, case.case.version, commits)
    with uow:
        done = svc.assess_and_recommend(
            uow,
            OFFICER,
            case.id,
            NO_CONCERNS,
            kind="grant",
            reasoning="none",
            expected_version=case.case.version,
        )
    assert uow.commits == commits + 1
    assert done.case.status is S.RECOMMENDED
    assert done.case.recommendation is not None
    assert done.case.recommendation.assessment.findings == NO_CONCERNS
