"""The fakes behave as the SQL repositories do: the same assertions run against ``tests.fakes`` and against
``adapters.db`` on SQLite and PostgreSQL, so that a fake cannot drift from the repository it stands for
(due diligence, general authorisations, notices, sessions and attempt counters, users and tokens,
organisations, classifications, screening, reminders and the job queue, saved determinations, list
changes and the exchange's keys, peers, outbox and inbox)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import text

from dualuse.adapters.db import migrate
from dualuse.adapters.db.engine import make_engine
from dualuse.adapters.db.rows import aware
from dualuse.bootstrap import bootstrap
from dualuse.config import Environment, Settings
from dualuse.domain.classification import ClassificationStatus
from dualuse.domain.duediligence import Conclusion, ConsultationOutcome, View
from dualuse.domain.duediligence.records import CaseStatus, NotificationStatus, SubmissionStatus
from dualuse.domain.errors import ConflictError
from dualuse.domain.exchange import PublicKey, ReplayedDocumentError
from dualuse.domain.identity import Organisation, OrganisationKind, Role, TokenScope, User
from dualuse.domain.jobs.reminders import Reminder, ReminderStage
from dualuse.domain.listchange import ListChange, ListChangeStatus, ModerationStatus, OrganisationType
from dualuse.domain.notices.model import NoticeArticle, NoticeScope, NoticeStatus, NoticeSubject
from dualuse.domain.screening.model import EntitySchema, ListedEntity, ListSnapshot
from dualuse.domain.screening.review import HitStatus, Suppression
from dualuse.domain.screening.review import PartyRole as ScreeningPartyRole
from dualuse.services.clock import ManualClock
from dualuse.services.exchange.ports import OwnKey, ReceivedDocument
from dualuse.services.unit_of_work import UnitOfWork
from tests.fakes import FakeUnitOfWork

Uows = Callable[[], UnitOfWork]
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(
    params=[
        pytest.param("fake", id="fake"),
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
    ]
)
def uows(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Uows]:
    """Fresh units of work on one store: the fake in memory, or the SQL on SQLite and on PostgreSQL."""
    clock = ManualClock(T0)
    if request.param == "fake":
        fake = FakeUnitOfWork(clock)
        yield lambda: fake
        return
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'contracts.db'}"
    else:
        url = request.getfixturevalue("postgres_server_url")
        engine = make_engine(url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    settings = Settings(
        env=Environment.TEST, database_url=url, secret_key="test-secret-key-" + "x" * 32, upload_dir=tmp_path
    )
    container = bootstrap(settings)
    migrate.upgrade(container.engine)
    container.clock = clock
    yield container.uow
    container.engine.dispose()


def _organisation(uows: Uows, name: str = "Acme GmbH", state: str = "DE") -> Organisation:
    with uows() as uow:
        organisation = uow.organisations.add(OrganisationKind.EXPORTER, name, state, None)
        uow.commit()
    return organisation


def _user(uows: Uows, organisation: Organisation, email: str = "a@acme.example") -> User:
    with uows() as uow:
        user = uow.users.add(email, "A. Person", "hash", Role.EXPORTER_ADMIN, organisation.id)
        uow.commit()
    return user


# --- organisations, users, tokens -----------------------------------------------------------------------
def test_organisations_one_authority_per_state_and_one_per_eori(uows: Uows) -> None:
    with uows() as uow:
        authority = uow.organisations.add(OrganisationKind.AUTHORITY, "BAFA", "DE", None)
        acme = uow.organisations.add(OrganisationKind.EXPORTER, "Acme", "DE", "DE111")
        same_name = uow.organisations.add(OrganisationKind.EXPORTER, "Acme", "FR", None)
        uow.commit()
    with uows() as uow:
        assert uow.organisations.authority_for("DE") == authority
        assert uow.organisations.authority_for("FR") is None
        assert uow.organisations.find(OrganisationKind.EXPORTER, "Acme") == acme  # the first of the name
        assert [o.id for o in uow.organisations.list()] == [authority.id, acme.id, same_name.id]
    with uows() as uow, pytest.raises(ConflictError):
        uow.organisations.add(OrganisationKind.AUTHORITY, "Another", "DE", None)
    with uows() as uow, pytest.raises(ConflictError):
        uow.organisations.add(OrganisationKind.EXPORTER, "Other", "DE", "DE111")


def test_users_unique_by_email_and_changed_in_place(uows: Uows) -> None:
    acme = _organisation(uows)
    user = _user(uows, acme, "b@acme.example")
    other = _user(uows, acme, "a@acme.example")
    with uows() as uow:
        uow.users.set_role(user.id, Role.EXPORTER_USER)
        uow.users.set_active(user.id, False)
        uow.users.set_password_hash(user.id, "new")
        uow.commit()
    with uows() as uow:
        changed = uow.users.get(user.id)
        assert changed is not None
        assert (changed.role, changed.is_active, changed.password_hash) == (Role.EXPORTER_USER, False, "new")
        assert uow.users.by_email("a@acme.example") == other
        assert [u.email for u in uow.users.in_organisation(acme.id)] == ["a@acme.example", "b@acme.example"]
    with uows() as uow, pytest.raises(ConflictError):
        uow.users.add("a@acme.example", "Again", "hash", Role.EXPORTER_USER, acme.id)


def test_tokens_newest_first_revoked_once_and_held_by_their_user(uows: Uows) -> None:
    acme = _organisation(uows)
    user = _user(uows, acme)
    with uows() as uow:
        first = uow.tokens.add(user.id, "ci", "h1", "du_1", None)
        second = uow.tokens.add(user.id, "read", "h2", "du_2", T0 + timedelta(days=1), TokenScope.READ)
        uow.tokens.revoke(first, T0)
        uow.tokens.revoke(first, T0 + timedelta(hours=1))  # revoked once: the first time stays
        uow.commit()
    with uows() as uow:
        assert [t.id for t in uow.tokens.listing(user.id)] == [second, first]
        assert uow.tokens.listing(user.id + 1) == []
        revoked = uow.tokens.get(first)
        assert revoked is not None
        assert revoked.revoked_at is not None
        assert aware(revoked.revoked_at) == T0
        held = uow.tokens.holder("h2")
        assert held is not None
        assert (held[0], held[1].id, held[2].scope) == (user, acme.id, TokenScope.READ)
        assert uow.tokens.holder("unknown") is None


# --- sessions and attempt counters ----------------------------------------------------------------------
def test_sessions_touched_listed_and_purged(uows: Uows) -> None:
    acme = _organisation(uows)
    user = _user(uows, acme)
    with uows() as uow:
        old = uow.sessions.add(
            user_id=user.id,
            session_hash="s1",
            role=user.role,
            now=T0,
            expires_at=T0 + timedelta(hours=8),
            client="192.0.2.1",
        )
        new = uow.sessions.add(
            user_id=user.id,
            session_hash="s2",
            role=user.role,
            now=T0 + timedelta(minutes=5),
            expires_at=T0 + timedelta(hours=1),
            client=None,
        )
        uow.commit()
    with uows() as uow:
        assert [s.id for s in uow.sessions.for_user(user.id)] == [new, old]  # most recently used first
        uow.sessions.touch(old, T0 + timedelta(minutes=30))
        uow.commit()
    with uows() as uow:
        assert [s.id for s in uow.sessions.for_user(user.id)] == [old, new]
        found = uow.sessions.find("s1")
        assert found is not None
        assert (found.id, found.client, aware(found.last_seen_at)) == (
            old,
            "192.0.2.1",
            T0 + timedelta(minutes=30),
        )
        # an hour idle: the one not used since T0 + 5 min goes, the one touched at T0 + 30 min stays
        uow.sessions.purge(T0 + timedelta(minutes=66), timedelta(hours=1))
        uow.commit()
    with uows() as uow:
        assert uow.sessions.find("s2") is None
        assert uow.sessions.delete_for_user(user.id, keep=old) == 0
        assert uow.sessions.delete_for_user(user.id) == 1
        uow.commit()
    with uows() as uow:
        assert uow.sessions.for_user(user.id) == []


def test_attempt_counters_count_within_their_window_and_start_afresh(uows: Uows) -> None:
    window = timedelta(minutes=15)
    with uows() as uow:
        assert uow.throttle.hit("k", T0, window).attempts == 1
        counted = uow.throttle.hit("k", T0 + timedelta(minutes=1), window)
        assert (counted.attempts, aware(counted.resets_at)) == (2, T0 + window)
        uow.throttle.release("k", T0 + timedelta(minutes=2))
        assert uow.throttle.hit("k", T0 + timedelta(minutes=3), window).attempts == 2
        uow.throttle.release("k", T0 + window)  # the window ended: nothing to give back
        later = uow.throttle.hit("k", T0 + window, window)
        assert (later.attempts, aware(later.resets_at)) == (1, T0 + 2 * window)
        uow.throttle.hit("other", T0, window)
        uow.throttle.purge(T0 + window)  # "other" ended, "k" has a new window
        assert uow.throttle.hit("other", T0 + window, window).attempts == 1
        assert uow.throttle.hit("k", T0 + window, window).attempts == 2
        uow.commit()


# --- due diligence --------------------------------------------------------------------------------------
def test_due_diligence_cases_entries_and_one_notification_per_case(uows: Uows) -> None:
    acme = _organisation(uows)
    transaction = {"destination": "BR", "end_user": "Policia", "item": "probe"}
    with uows() as uow:
        first = uow.duediligence.add_case(
            organisation_id=acme.id, title="One", transaction=transaction, red_flag_version="v1", by="a"
        )
        second = uow.duediligence.add_case(
            organisation_id=acme.id, title="Two", transaction=transaction, red_flag_version="v1", by="a"
        )
        uow.duediligence.add_entry(
            case_id=first,
            step="classification",
            answers={"q": {"answer": "yes"}},
            note="n",
            evidence=[],
            by="a",
        )
        uow.duediligence.add_entry(case_id=first, step="misuse", answers={}, note="", evidence=[], by="a")
        uow.duediligence.set_case(first, status=CaseStatus.CONCLUDED, conclusion=Conclusion.NOTIFY_AUTHORITY)
        uow.commit()
    with uows() as uow:
        assert [c.id for c in uow.duediligence.cases(acme.id)] == [second, first]
        concluded = uow.duediligence.case(first)
        assert concluded is not None
        assert (concluded.status, concluded.conclusion, concluded.title) == (
            CaseStatus.CONCLUDED,
            Conclusion.NOTIFY_AUTHORITY,
            "One",
        )
        assert dict(concluded.transaction) == transaction
        entries = uow.duediligence.entries(first)
        assert [e.step.value for e in entries] == ["classification", "misuse"]
        assert [dict(e.answers) for e in entries] == [{"q": {"answer": "yes"}}, {}]
        notified = uow.duediligence.add_notification(
            case_id=first,
            organisation_id=acme.id,
            member_state="DE",
            transaction=transaction,
            summary={"flags": 2},
            deadline=date(2026, 4, 1),
        )
        uow.commit()
    with uows() as uow, pytest.raises(ConflictError):
        uow.duediligence.add_notification(
            case_id=first,
            organisation_id=acme.id,
            member_state="DE",
            transaction=transaction,
            summary={},
            deadline=date(2026, 4, 1),
        )
    with uows() as uow:
        uow.duediligence.decide_notification(
            notified, status=NotificationStatus.AUTHORISATION_REQUIRED, reason="r", by="officer"
        )
        uow.commit()
    with uows() as uow:
        decided = uow.duediligence.notification(notified)
        assert decided is not None
        assert (decided.status, decided.deadline) == (
            NotificationStatus.AUTHORISATION_REQUIRED,
            date(2026, 4, 1),
        )
        assert [n.id for n in uow.duediligence.notifications(member_state="DE")] == [notified]
        assert uow.duediligence.notifications(member_state="FR") == []
        with pytest.raises(ConflictError):
            uow.duediligence.decide_notification(
                notified, status=NotificationStatus.NOT_REQUIRED, reason="again", by="officer"
            )


def test_due_diligence_exchange_views_submissions_and_icp(uows: Uows) -> None:
    acme = _organisation(uows)
    with uows() as uow:
        case_id = uow.duediligence.add_case(
            organisation_id=acme.id, title="T", transaction={}, red_flag_version="v1", by="a"
        )
        notification = uow.duediligence.add_notification(
            case_id=case_id,
            organisation_id=acme.id,
            member_state="DE",
            transaction={},
            summary={},
            deadline=date(2026, 4, 1),
        )
        requirement = uow.duediligence.add_requirement(
            notification_id=notification,
            imposing_state="DE",
            destination="BR",
            end_user="E",
            item="I",
            notified_on=date(2026, 3, 2),
        )
        fr = uow.duediligence.add_view(
            requirement_id=requirement, member_state="FR", deadline=date(2026, 4, 1)
        )
        at = uow.duediligence.add_view(
            requirement_id=requirement, member_state="AT", deadline=date(2026, 4, 1)
        )
        uow.commit()
    with uows() as uow:
        assert [v.member_state for v in uow.duediligence.views(requirement)] == ["AT", "FR"]
        uow.duediligence.record_view(fr, view=View.AGREE, reason="", by="fr")
        uow.duediligence.set_requirement(
            requirement, status=ConsultationOutcome.NOT_UNANIMOUS, published_on=None
        )
        uow.commit()
    with uows() as uow:
        assert {v.id: v.view for v in uow.duediligence.views(requirement)} == {
            at: View.PENDING,
            fr: View.AGREE,
        }
        assert [r.id for r in uow.duediligence.requirements(status=ConsultationOutcome.NOT_UNANIMOUS)] == [
            requirement
        ]
        assert uow.duediligence.requirements(status=ConsultationOutcome.PENDING) == []
        with pytest.raises(ConflictError):
            uow.duediligence.record_view(fr, view=View.DISAGREE, reason="", by="fr")
    with uows() as uow:
        submission = uow.duediligence.add_submission(
            organisation_name="NGO",
            contact_email=None,
            subject_kind="end_user",
            subject="X",
            what_happened="w",
            sources=["https://example.org"],
        )
        uow.duediligence.moderate(submission, status=SubmissionStatus.ACCEPTED, note="ok", by="mod")
        uow.duediligence.add_icp(organisation_id=acme.id, answers={"a": "yes"}, by="a")
        latest = uow.duediligence.add_icp(organisation_id=acme.id, answers={"a": "no"}, by="a")
        uow.commit()
    with uows() as uow:
        assert [s.id for s in uow.duediligence.submissions(status=SubmissionStatus.ACCEPTED)] == [submission]
        with pytest.raises(ConflictError):
            uow.duediligence.moderate(submission, status=SubmissionStatus.REJECTED, note="", by="mod")
    with uows() as uow:
        icp = uow.duediligence.latest_icp(acme.id)
        assert icp is not None
        assert (icp.id, dict(icp.answers)) == (latest, {"a": "no"})
        assert uow.duediligence.latest_icp(acme.id + 1) is None


def test_what_is_not_committed_is_gone(uows: Uows) -> None:
    acme = _organisation(uows)
    with uows() as uow:
        uow.duediligence.add_case(
            organisation_id=acme.id, title="T", transaction={}, red_flag_version="v", by="a"
        )
    with uows() as uow:
        assert uow.duediligence.cases(acme.id) == []


# --- general authorisations -----------------------------------------------------------------------------
def test_general_authorisation_registrations_and_reports(uows: Uows) -> None:
    acme = _organisation(uows)
    other = _organisation(uows, "Other BV", "NL")
    with uows() as uow:
        registration = uow.general_authorisations.add_registration(
            organisation_id=acme.id, eugea_id="EU001", member_state="DE", by="a", at=T0 - timedelta(days=40)
        )
        uow.general_authorisations.add_registration(
            organisation_id=other.id, eugea_id="EU001", member_state="NL", by="o"
        )
        uow.general_authorisations.lock_registration(registration)
        march = uow.general_authorisations.add_report(
            organisation_id=acme.id,
            eugea_id="EU001",
            period_start=date(2026, 3, 1),
            period_end=date(2026, 3, 31),
            shipments=2,
            value_eur=Decimal("12500.50"),
            destinations=["JP", "US"],
            by="a",
        )
        january = uow.general_authorisations.add_report(
            organisation_id=acme.id,
            eugea_id="EU001",
            period_start=date(2026, 1, 1),
            period_end=date(2026, 1, 31),
            shipments=0,
            value_eur=Decimal(0),
            destinations=[],
            by="a",
        )
        uow.commit()
    with uows() as uow:
        row = uow.general_authorisations.registration(acme.id, "EU001")
        assert row is not None
        assert (row["id"], row["member_state"], aware(row["registered_at"])) == (
            registration,
            "DE",
            T0 - timedelta(days=40),
        )
        assert uow.general_authorisations.registration(acme.id, "EU003") is None
        # a registration made without a time is made at the clock's
        other_row = uow.general_authorisations.registration(other.id, "EU001")
        assert other_row is not None
        assert aware(other_row["registered_at"]) == T0
        assert [
            r["organisation_id"] for r in uow.general_authorisations.registrations(member_state="NL")
        ] == [other.id]
        reports = uow.general_authorisations.reports(member_state="DE")
        assert [r["id"] for r in reports] == [january, march]  # by period
        assert (Decimal(reports[1]["value_eur"]), list(reports[1]["destinations"])) == (
            Decimal("12500.50"),
            ["JP", "US"],
        )
        assert uow.general_authorisations.reports(member_state="NL") == []
        overlapping = uow.general_authorisations.overlapping_reports(
            acme.id, "EU001", date(2026, 3, 31), date(2026, 4, 30)
        )
        assert [r["id"] for r in overlapping] == [march]
        assert (
            uow.general_authorisations.overlapping_reports(
                acme.id, "EU001", date(2026, 2, 1), date(2026, 2, 28)
            )
            == []
        )
        kinds = {(kind, record_id) for kind, record_id, _ in uow.general_authorisations.record_dates()}
        assert {("eugea_registration", registration), ("eugea_report", march)} <= kinds
    with uows() as uow, pytest.raises(ConflictError):
        uow.general_authorisations.add_registration(
            organisation_id=acme.id, eugea_id="EU001", member_state="DE", by="a"
        )


# --- notices --------------------------------------------------------------------------------------------
def test_notices_named_newest_first_and_withdrawn_once(uows: Uows) -> None:
    acme = _organisation(uows)
    subject = NoticeSubject(NoticeScope.DESTINATION, "BR")
    with uows() as uow:
        first = uow.notices.add(
            member_state="DE",
            organisation_id=acme.id,
            article=NoticeArticle.ART_4_1,
            subject=subject,
            reason="r",
            issued_on=date(2026, 3, 1),
            issued_by="officer",
        )
        second = uow.notices.add(
            member_state="DE",
            organisation_id=acme.id,
            article=NoticeArticle.ART_5_1,
            subject=subject,
            reason="r2",
            issued_on=date(2026, 3, 2),
            issued_by="officer",
        )
        uow.notices.withdraw(first, on=date(2026, 3, 3), by="officer", reason="no longer")
        uow.commit()
    with uows() as uow:
        notice = uow.notices.get(second)
        assert notice is not None
        assert (notice.organisation_name, notice.article, notice.subject) == (
            "Acme GmbH",
            NoticeArticle.ART_5_1,
            subject,
        )
        assert [n.id for n in uow.notices.issued_by_state("DE")] == [second, first]
        assert uow.notices.issued_by_state("FR") == []
        assert [n.id for n in uow.notices.received(acme.id, in_force_only=True)] == [second]
        withdrawn = uow.notices.get(first)
        assert withdrawn is not None
        assert (withdrawn.status, withdrawn.withdrawn_on) == (NoticeStatus.WITHDRAWN, date(2026, 3, 3))
        with pytest.raises(ConflictError):
            uow.notices.withdraw(first, on=date(2026, 3, 4), by="officer", reason="again")


# --- reminders and pending jobs -------------------------------------------------------------------------
def test_reminders_kept_once_per_key_newest_first_and_read_once(uows: Uows) -> None:
    acme = _organisation(uows)
    other = _organisation(uows, "Other BV", "NL")
    soon = Reminder(
        "n:1:2026-03-05:soon", acme.id, "dd_notification", 1, date(2026, 3, 5), ReminderStage.SOON, "m", "/x"
    )
    overdue = replace(soon, key="n:1:2026-03-05:overdue", stage=ReminderStage.OVERDUE)
    with uows() as uow:
        assert uow.reminders.add(soon, T0)
        assert not uow.reminders.add(replace(soon, message="again"), T0)
        assert uow.reminders.add(overdue, T0 + timedelta(days=4))
        uow.commit()
    with uows() as uow:
        kept = uow.reminders.for_organisation(acme.id)
        assert [(r.reminder, aware(r.created_at)) for r in kept] == [
            (overdue, T0 + timedelta(days=4)),
            (soon, T0),
        ]
        assert uow.reminders.for_organisation(other.id) == []
        assert not uow.reminders.mark_read(kept[1].id, other.id, T0)  # not its reminder
        assert uow.reminders.mark_read(kept[1].id, acme.id, T0)
        assert not uow.reminders.mark_read(kept[1].id, acme.id, T0)
        uow.commit()
    with uows() as uow:
        assert [r.id for r in uow.reminders.for_organisation(acme.id, unread_only=True)] == [kept[0].id]


def test_pending_jobs_of_a_kind_oldest_first(uows: Uows) -> None:
    with uows() as uow:
        later = uow.jobs.add("k", {}, run_after=T0 + timedelta(hours=1), max_attempts=1, at=T0)
        first = uow.jobs.add("k", {}, run_after=T0, max_attempts=1, at=T0)
        uow.jobs.add("other", {}, run_after=T0, max_attempts=1, at=T0)
        uow.commit()
    with uows() as uow:
        taken = uow.jobs.claim("w", T0, T0 - timedelta(minutes=15))
        assert taken is not None
        assert taken.id == first
        uow.jobs.finish(first, "w", "done", T0)
        uow.commit()
    with uows() as uow:
        assert [j.id for j in uow.jobs.pending("k")] == [later]
        assert uow.jobs.pending("none") == []


# --- classifications ------------------------------------------------------------------------------------
def test_classifications_listed_and_flagged_only_as_read(uows: Uows) -> None:
    acme = _organisation(uows)
    with uows() as uow:
        listed = uow.classifications.add(
            organisation_id=acme.id,
            product_name="Probe",
            description="interception probe",
            parameters={"throughput_gbps": 10},
            control_code="5A001.j",
            rationale="IP network surveillance",
            list_version="2025",
            created_by="a",
        )
        uow.classifications.add(
            organisation_id=acme.id,
            product_name="Cable",
            description="copper cable",
            parameters={},
            control_code=None,
            rationale="not listed",
            list_version="2025",
            created_by="a",
        )
        uow.commit()
    assert (listed.status, listed.review_reason, aware(listed.created_at)) == (
        ClassificationStatus.CURRENT,
        None,
        T0,
    )
    with uows() as uow:
        assert [c.product_name for c in uow.classifications.for_organisation(acme.id)] == ["Probe", "Cable"]
        assert [c.id for c in uow.classifications.listed()] == [listed.id]
        uow.classifications.set_status(
            listed.id, ClassificationStatus.REVIEW_NEEDED, "5A001.j amended", expected=listed
        )
        uow.commit()
    with uows() as uow, pytest.raises(ConflictError):  # the record as first read is no longer the stored one
        uow.classifications.set_status(listed.id, ClassificationStatus.CURRENT, None, expected=listed)
    with uows() as uow:
        flagged = uow.classifications.get(listed.id)
        assert flagged is not None
        assert (flagged.status, flagged.review_reason) == (
            ClassificationStatus.REVIEW_NEEDED,
            "5A001.j amended",
        )
        assert flagged.parameters == {"throughput_gbps": 10}


# --- screening ------------------------------------------------------------------------------------------
def _entity(entity_id: str, name: str) -> ListedEntity:
    return ListedEntity("eu_fsf", entity_id, EntitySchema.ORGANIZATION, (name,), countries=("ru",))


def test_screening_versions_snapshots_and_deltas(uows: Uows) -> None:
    first = ListSnapshot("eu_fsf", "2026-01", (_entity("e1", "Blue Lantern Ltd"),), date(2026, 1, 5))
    second = ListSnapshot(
        "eu_fsf",
        "2026-02",
        (_entity("e1", "Blue Lantern Ltd"), _entity("e2", "Red Kite OOO")),
        warnings=("w",),
    )
    with uows() as uow:
        uow.screening.hold_list("eu_fsf")
        v1 = uow.screening.add_version(
            first, format_name="ftm", filename="a.json", counts=(1, 0, 0), imported_by="op", delta_rows=[]
        )
        v2 = uow.screening.add_version(
            second,
            format_name="ftm",
            filename="b.json",
            counts=(1, 0, 0),
            imported_by="op",
            delta_rows=[("added", second.entities[1])],
        )
        uow.commit()
    with uows() as uow:
        assert uow.screening.latest_version_ids() == {"eu_fsf": v2}
        assert [v["id"] for v in uow.screening.versions()] == [v1, v2]
        row = uow.screening.version(v2)
        assert row is not None
        assert (row["entity_count"], row["warnings"], aware(row["imported_at"])) == (2, ["w"], T0)
        assert uow.screening.version(v2 + 1) is None
        assert uow.screening.snapshot(v2) == replace(second, warnings=())
        assert uow.screening.snapshot(v1).published == date(2026, 1, 5)
        assert [(d["change"], d["entity_id"], d["name"]) for d in uow.screening.delta(v2)] == [
            ("added", "e2", "Red Kite OOO")
        ]
        with pytest.raises(LookupError):
            uow.screening.snapshot(v2 + 1)


def _hit(uow: UnitOfWork, organisation_id: int, screening_id: int, party_id: int) -> int | None:
    return uow.screening.add_hit(
        organisation_id=organisation_id,
        screening_id=screening_id,
        party_id=party_id,
        party_fingerprint="fp",
        source="eu_fsf",
        entity_id="e1",
        entity_name="Blue Lantern Ltd",
        entity_fingerprint="efp",
        score=0.93,
        explanation={"name": 0.93},
        alert=True,
    )


def test_screening_one_open_hit_per_party_and_entity_decided_once(uows: Uows) -> None:
    acme = _organisation(uows)
    with uows() as uow:
        party = uow.screening.add_party(
            organisation_id=acme.id,
            name="Blue Lantern",
            schema=EntitySchema.ORGANIZATION,
            country="RU",
            birth_date=None,
            identifiers=["123"],
            role=ScreeningPartyRole.END_USER,
            fingerprint="fp",
        )
        logged = uow.screening.add_screening(
            organisation_id=acme.id,
            party_id=party.id,
            query={"name": "Blue Lantern"},
            list_versions={"eu_fsf": "2026-01"},
            algorithm="a",
            threshold=0.8,
            hits=1,
            trigger="manual",
            screened_by="a",
        )
        batch = uow.screening.add_screenings(
            organisation_id=acme.id,
            queries=[({"name": "x"}, 0), ({"name": "y"}, 2)],
            list_versions={},
            algorithm="a",
            threshold=0.8,
            trigger="batch",
            screened_by="a",
        )
        first = _hit(uow, acme.id, logged, party.id)
        assert _hit(uow, acme.id, logged, party.id) is None
        uow.screening.set_threshold(acme.id, 0.85)
        uow.screening.set_threshold(acme.id, 0.9)
        uow.commit()
    assert first is not None
    assert len(batch) == 2
    with uows() as uow:
        assert uow.screening.parties(acme.id) == [party]
        assert uow.screening.party(party.id) == party
        assert party.identifiers == ("123",)
        assert [s["id"] for s in uow.screening.screenings(acme.id)] == [*reversed(batch), logged]
        assert uow.screening.threshold(acme.id) == 0.9
        assert uow.screening.threshold(acme.id + 1) is None
        stored = uow.screening.hit(first)
        assert stored is not None
        assert (stored.status, stored.alert, stored.score, dict(stored.explanation)) == (
            HitStatus.OPEN,
            True,
            0.93,
            {"name": 0.93},
        )
        assert uow.screening.open_hit_exists(acme.id, "fp", "eu_fsf", "e1")
        uow.screening.decide(stored, HitStatus.FALSE_POSITIVE, "another company", "reviewer")
        uow.commit()
    with uows() as uow:
        assert not uow.screening.open_hit_exists(acme.id, "fp", "eu_fsf", "e1")
        assert [h.status for h in uow.screening.hits(acme.id)] == [HitStatus.FALSE_POSITIVE]
        assert uow.screening.hits(acme.id, status=HitStatus.OPEN) == []
        assert uow.screening.suppressions(acme.id) == [Suppression("fp", "eu_fsf", "e1", "efp")]
        with pytest.raises(ConflictError):
            uow.screening.decide(stored, HitStatus.TRUE_MATCH, "again", "reviewer")
    with uows() as uow:
        again = _hit(uow, acme.id, logged, party.id)  # no open hit left: a new one
        uow.commit()
    assert again is not None
    assert again != first


# --- saved determinations -------------------------------------------------------------------------------
def test_saved_determinations_kept_whole_newest_first_and_by_organisation(uows: Uows) -> None:
    acme = _organisation(uows)
    other = _organisation(uows, "Other BV", "NL")
    case = {"items": [{"code": "5A002.a"}], "destination": "BR", "date": "2026-03-02"}
    answer = {"outcome": "licence_required", "list_version": "2025", "understood": {"destination": {}}}
    with uows() as uow:
        first = uow.saved_determinations.add(organisation_id=acme.id, saved_by="a", case=case, answer=answer)
        second = uow.saved_determinations.add(
            organisation_id=acme.id, saved_by="b", case={}, answer={"outcome": "not_listed"}
        )
        theirs = uow.saved_determinations.add(organisation_id=other.id, saved_by="o", case={}, answer={})
        uow.commit()
    with uows() as uow:
        kept = uow.saved_determinations.get(first.id)
        assert kept is not None
        assert (kept.organisation_id, kept.saved_by, dict(kept.case), dict(kept.answer)) == (
            acme.id,
            "a",
            case,
            answer,
        )
        assert (kept.outcome, kept.reference) == ("licence_required", first.reference)
        assert uow.saved_determinations.get(theirs.id + 1) is None
        assert [s.id for s in uow.saved_determinations.of_organisation(acme.id)] == [second.id, first.id]
        assert [s.id for s in uow.saved_determinations.of_organisation(acme.id, limit=1)] == [second.id]
        assert [s.id for s in uow.saved_determinations.of_organisation(other.id)] == [theirs.id]
    with uows() as uow:  # not committed: gone
        uow.saved_determinations.add(organisation_id=other.id, saved_by="o", case={}, answer={})
    with uows() as uow:
        assert len(uow.saved_determinations.of_organisation(other.id)) == 1


# --- list changes ---------------------------------------------------------------------------------------
def _list_change(proposer: str = "EU", title: str = "Amendment") -> ListChange:
    return ListChange(
        id=0,
        proposer=proposer,
        title=title,
        rationale="why",
        version_id="2027-06",
        body="remove: []\n",
        content="",
        proposed_effective_from=date(2027, 6, 1),
        created_by="desk",
    )


def test_list_changes_listed_by_status_and_saved_against_their_version(uows: Uows) -> None:
    with uows() as uow:
        eu = uow.list_changes.add(_list_change())
        de = uow.list_changes.add(_list_change("DE", "National measure"))
        uow.commit()
    assert eu.id != de.id
    with uows() as uow:
        stored = uow.list_changes.get(eu.id)
        assert stored is not None
        assert (stored.change, stored.impact, list(stored.notified)) == (eu, None, [])
        assert uow.list_changes.get(de.id + 1) is None
        assert [s.change.id for s in uow.list_changes.list()] == [de.id, eu.id]  # newest first
        opened = replace(
            eu, status=ListChangeStatus.OPEN_FOR_COMMENT, version=2, comment_period_end=date(2027, 4, 1)
        )
        uow.list_changes.save(opened, expected_version=1)
        uow.commit()
    with uows() as uow:
        assert [s.change.id for s in uow.list_changes.list(statuses=[ListChangeStatus.OPEN_FOR_COMMENT])] == [
            eu.id
        ]
        assert [s.change.id for s in uow.list_changes.list(statuses=[ListChangeStatus.DRAFT])] == [de.id]
        assert uow.list_changes.list(statuses=[]) == []
        # another writer saved version 2 meanwhile: a save made from version 1 is refused
        with pytest.raises(ConflictError):
            uow.list_changes.save(
                replace(eu, status=ListChangeStatus.WITHDRAWN, version=2), expected_version=1
            )
    with uows() as uow:
        closed = replace(opened, status=ListChangeStatus.COMMENTS_CLOSED, version=3)
        uow.list_changes.save(closed, expected_version=2)
        uow.commit()
    with uows() as uow:
        adopted = replace(
            closed,
            status=ListChangeStatus.ADOPTED,
            version=4,
            adopted_on=date(2027, 5, 1),
            effective_from=date(2027, 6, 1),
        )
        uow.list_changes.save(adopted, expected_version=3, impact={"subjects": 2})
        uow.commit()
    with uows() as uow:
        in_force = replace(adopted, status=ListChangeStatus.IN_FORCE, version=5)
        uow.list_changes.save(in_force, expected_version=4, notified=[{"organisation_id": 1}])
        uow.commit()
    with uows() as uow:
        stored = uow.list_changes.get(eu.id)
        assert stored is not None
        # impact written at adoption stays when a later save gives none
        assert (stored.change, stored.impact, [dict(n) for n in stored.notified]) == (
            in_force,
            {"subjects": 2},
            [{"organisation_id": 1}],
        )
        assert stored.change.comment_period_end == date(2027, 4, 1)
    with uows() as uow:  # not committed: gone
        uow.list_changes.save(replace(in_force, version=6), expected_version=5)
    with uows() as uow:
        found = uow.list_changes.get(eu.id)
        assert found is not None
        assert found.change.version == 5


def test_list_change_comments_moderated_once_and_notices_read_once(uows: Uows) -> None:
    acme = _organisation(uows)
    other = _organisation(uows, "Other BV", "NL")
    with uows() as uow:
        change = uow.list_changes.add(_list_change())
        uow.commit()
    with uows() as uow:
        first = uow.list_changes.add_comment(
            change_id=change.id,
            author_name="A. Person",
            organisation_name="Acme",
            organisation_type=OrganisationType.INDUSTRY,
            text="Too broad",
        )
        second = uow.list_changes.add_comment(
            change_id=change.id,
            author_name="B. Person",
            organisation_name="NGO",
            organisation_type=OrganisationType.CIVIL_SOCIETY,
            text="Welcome",
        )
        uow.commit()
    with uows() as uow:
        pending = uow.list_changes.comment(first)
        assert pending is not None
        assert (pending.change_id, pending.text, pending.status, pending.organisation_type) == (
            change.id,
            "Too broad",
            ModerationStatus.PENDING,
            OrganisationType.INDUSTRY,
        )
        assert uow.list_changes.comment(second + 1) is None
        assert [c.id for c in uow.list_changes.comments(change.id)] == [first, second]
        uow.list_changes.save_comment(
            replace(pending, status=ModerationStatus.PUBLISHED, moderated_by="desk")
        )
        uow.commit()
    with uows() as uow:
        published = uow.list_changes.comments(change.id, status=ModerationStatus.PUBLISHED)
        assert [(c.id, c.moderated_by) for c in published] == [(first, "desk")]
        assert [c.id for c in uow.list_changes.comments(change.id, status=ModerationStatus.PENDING)] == [
            second
        ]
        with pytest.raises(ConflictError):  # moderated once
            uow.list_changes.save_comment(
                replace(pending, status=ModerationStatus.REJECTED, rejection_reason="late", moderated_by="x")
            )
    with uows() as uow:
        old = uow.list_changes.add_notice(
            change_id=change.id, organisation_id=acme.id, audience="exporter", subject="S" * 400, body="b"
        )
        new = uow.list_changes.add_notice(
            change_id=change.id, organisation_id=acme.id, audience="exporter", subject="New", body="b2"
        )
        uow.commit()
    with uows() as uow:
        notices = uow.list_changes.notices(acme.id)
        assert [(n.id, n.change_id, n.read_at) for n in notices] == [
            (new, change.id, None),
            (old, change.id, None),
        ]
        assert len(notices[1].subject) == 300
        assert uow.list_changes.notices(other.id) == []
        assert not uow.list_changes.mark_read(other.id, old)  # not its notice
        assert uow.list_changes.mark_read(acme.id, old)
        assert not uow.list_changes.mark_read(acme.id, old)  # read once
        uow.commit()
    with uows() as uow:
        assert [n.read_at is not None for n in uow.list_changes.notices(acme.id)] == [False, True]


# --- the exchange between deployments -------------------------------------------------------------------
def _document(reference: str) -> dict[str, object]:
    return {"id": reference, "payload": {"reference": reference, "nested": {"n": 1}}}


def test_exchange_own_keys_peers_and_their_keys(uows: Uows) -> None:
    old = OwnKey("DE-1", b"\x01" * 32, T0 - timedelta(days=10), None)
    new = OwnKey("DE-2", b"\x02" * 32, T0, None)
    with uows() as uow:
        uow.exchange.add_own_key(new)
        uow.exchange.add_own_key(old)
        uow.exchange.retire_own_key("DE-1", T0)
        uow.exchange.retire_own_key("DE-1", T0 + timedelta(days=1))  # retired once: the first time stays
        uow.exchange.save_peer("FR", "https://fr.example", T0)
        uow.exchange.save_peer("AT", "https://at.example", T0)
        uow.exchange.save_peer("FR", "https://fr2.example", T0 + timedelta(hours=1))
        fr_key = PublicKey("K-1", frozenset({"FR"}), b"\x03" * 32, T0 - timedelta(days=1))
        uow.exchange.save_peer_key("FR", fr_key)
        uow.exchange.save_peer_key(
            "FR", PublicKey("K-0", frozenset({"FR"}), b"\x04" * 32, T0 - timedelta(days=5))
        )
        uow.exchange.save_peer_key("AT", PublicKey("K-1", frozenset({"AT"}), b"\x05" * 32, T0))
        uow.exchange.save_peer_key("FR", replace(fr_key, retired_at=T0))  # known: its validity is updated
        uow.commit()
    with uows() as uow:
        keys = uow.exchange.own_keys()
        assert [(k.key_id, k.public_key) for k in keys] == [("DE-1", b"\x01" * 32), ("DE-2", b"\x02" * 32)]
        assert [aware(k.retired_at) if k.retired_at else None for k in keys] == [T0, None]
        assert [(p.state, p.base_url) for p in uow.exchange.peers()] == [
            ("AT", "https://at.example"),
            ("FR", "https://fr2.example"),
        ]
        france = uow.exchange.peer("FR")
        assert france is not None
        assert [(k.key_id, k.states, aware(k.valid_from)) for k in france.keys] == [
            ("K-0", frozenset({"FR"}), T0 - timedelta(days=5)),
            ("K-1", frozenset({"FR"}), T0 - timedelta(days=1)),
        ]
        assert france.keys[1].retired_at is not None
        assert aware(france.keys[1].retired_at) == T0
        assert uow.exchange.peer("IT") is None
        same_id = sorted(uow.exchange.keys_with_id("K-1"), key=lambda k: sorted(k.states))
        assert [(k.states, k.public_key) for k in same_id] == [
            (frozenset({"AT"}), b"\x05" * 32),
            (frozenset({"FR"}), b"\x03" * 32),
        ]
        assert uow.exchange.keys_with_id("DE-1") == []  # own keys are not peer keys


def test_exchange_outbox_due_taken_delivered_and_retried(uows: Uows) -> None:
    with uows() as uow:
        first = uow.exchange.add_outbox("d1", "denial", ["FR", "IT"], _document("DE-1"), T0)
        later = uow.exchange.add_outbox("d2", "denial", ["FR"], _document("DE-2"), T0 + timedelta(minutes=5))
        notice = uow.exchange.add_outbox("d3", "catch_all_notice", ["AT"], _document("N-1"), T0)
        uow.commit()
    with uows() as uow:
        assert [i.id for i in uow.exchange.due_outbox(T0, 10)] == [first, notice]
        assert [i.id for i in uow.exchange.due_outbox(T0 + timedelta(minutes=5), 10)] == [
            first,
            notice,
            later,
        ]
        assert [i.id for i in uow.exchange.due_outbox(T0 + timedelta(minutes=5), 1)] == [first]
        taken = uow.exchange.take_due(first, T0)
        assert taken is not None
        assert (taken.document_id, taken.kind, taken.recipients, taken.attempts) == (
            "d1",
            "denial",
            ("FR", "IT"),
            0,
        )
        assert dict(taken.document) == _document("DE-1")
        assert (aware(taken.next_attempt_at), aware(taken.created_at), taken.delivered_at) == (T0, T0, None)
        assert uow.exchange.take_due(later, T0) is None  # not due yet
        uow.exchange.delivered(first, T0 + timedelta(seconds=1), "already received")
        uow.exchange.failed(notice, "connection refused", T0 + timedelta(minutes=10))
        uow.commit()
    with uows() as uow:
        assert uow.exchange.take_due(first, T0 + timedelta(hours=1)) is None  # delivered
        assert uow.exchange.take_due(notice, T0 + timedelta(minutes=9)) is None  # waits for its retry
        retried = uow.exchange.take_due(notice, T0 + timedelta(minutes=10))
        assert retried is not None
        assert (retried.attempts, retried.last_error, aware(retried.next_attempt_at)) == (
            1,
            "connection refused",
            T0 + timedelta(minutes=10),
        )
        assert [i.id for i in uow.exchange.due_outbox(T0 + timedelta(minutes=10), 10)] == [later, notice]
        listed = uow.exchange.outbox()
        assert [i.id for i in listed] == [notice, later, first]  # newest first
        assert [i.id for i in uow.exchange.outbox(limit=1)] == [notice]
        delivered = listed[2]
        assert delivered.delivered_at is not None
        assert (aware(delivered.delivered_at), delivered.last_error) == (
            T0 + timedelta(seconds=1),
            "already received",
        )
        assert uow.exchange.sent_references("denial") == {"DE-1", "DE-2"}
        assert uow.exchange.sent_references("catch_all_notice") == {"N-1"}
        assert uow.exchange.sent_references("consultation_request") == set()


def _received(document_id: str, kind: str, at: datetime) -> ReceivedDocument:
    return ReceivedDocument(
        document_id=document_id,
        kind=kind,
        from_state="FR",
        to_states=("DE", "AT"),
        issued_at=at - timedelta(minutes=1),
        key_id="K-1",
        payload={"reference": document_id},
        document={"id": document_id, "payload": {"reference": document_id}},
        received_at=at,
        local=False,
    )


def test_exchange_inbox_stores_a_document_once_newest_first(uows: Uows) -> None:
    with uows() as uow:
        assert not uow.exchange.seen("a")
        uow.exchange.add_received(_received("b", "denial", T0))
        uow.exchange.add_received(_received("a", "denial", T0))
        uow.exchange.add_received(
            replace(_received("c", "catch_all_notice", T0 + timedelta(hours=1)), local=True)
        )
        uow.commit()
    with uows() as uow:
        assert uow.exchange.seen("a")
        assert not uow.exchange.seen("z")
        assert uow.exchange.count_received() == 3
        assert [d.document_id for d in uow.exchange.received()] == ["c", "a", "b"]
        assert [d.document_id for d in uow.exchange.received("denial")] == ["a", "b"]
        assert [d.document_id for d in uow.exchange.received(limit=2)] == ["c", "a"]
        assert uow.exchange.received("art5_information") == []
        kept = uow.exchange.received("catch_all_notice")[0]
        assert (kept.from_state, kept.to_states, kept.key_id, kept.local, dict(kept.payload)) == (
            "FR",
            ("DE", "AT"),
            "K-1",
            True,
            {"reference": "c"},
        )
        assert (aware(kept.received_at), aware(kept.issued_at)) == (
            T0 + timedelta(hours=1),
            T0 + timedelta(minutes=59),
        )
    with uows() as uow, pytest.raises(ReplayedDocumentError):
        uow.exchange.add_received(_received("a", "denial", T0 + timedelta(days=1)))
    with uows() as uow:  # not committed: gone
        uow.exchange.add_received(_received("d", "denial", T0))
    with uows() as uow:
        assert uow.exchange.count_received() == 3
        assert not uow.exchange.seen("d")
