"""In-memory fakes of the ports in ``services.unit_of_work``, for service tests without a database (fakes,
not mocks): a unit of work that keeps what was committed apart from the open transaction's working copy,
and every repository (licensing, casework, customs, screening, due diligence, audit, organisations, users,
tokens, sessions, attempt counters, general authorisations, notices, classifications, reference data,
amendments, documents, jobs, reminders, saved determinations, list changes and the exchange between
deployments; all but the transparency report, whose use cases are SQL sums), and a password hasher without
the cost.

The fakes behave like ``adapters.db`` wherever a use case can tell: ids from a counter, optimistic locking
of cases and licences, unique licence numbers, the queue's filters, order and paging, and an audit trail
chained when the unit of work commits; ``tests/integration/test_repository_contracts.py`` runs the same
assertions on a fake and on its SQL repository, so that the two cannot drift apart. Times come from the unit
of work's clock. Everything since the last ``commit()`` is discarded on
``rollback()`` or when the ``with`` block is left.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from types import TracebackType
from typing import Any, Self

from dualuse.adapters.db.licensing_repo import queue_index_rows
from dualuse.domain.audit import Anchor, AuditEntry, AuditEvent, chain
from dualuse.domain.casework import CaseFile, EndUserStatement
from dualuse.domain.casework.supporting import SupportingDocument, SupportingKind
from dualuse.domain.casework.tracks import Track
from dualuse.domain.classification import Classification, ClassificationStatus
from dualuse.domain.customs import Hold
from dualuse.domain.denials import Consultation, Denial
from dualuse.domain.documents import Document, DocumentKind
from dualuse.domain.duediligence import Conclusion, ConsultationOutcome, Step, View
from dualuse.domain.duediligence.records import (
    CaseEntry,
    CaseStatus,
    DdCase,
    IcpRecord,
    Notification,
    NotificationStatus,
    Requirement,
    StateView,
    StoredProfile,
    Submission,
    SubmissionStatus,
)
from dualuse.domain.enforcement import ComplianceVisit, EnforcementCase, EnforcementDecision, Finding
from dualuse.domain.errors import ConflictError
from dualuse.domain.exchange import PublicKey, ReplayedDocumentError
from dualuse.domain.identity import (
    ApiToken,
    Organisation,
    OrganisationKind,
    Role,
    TokenScope,
    User,
    UserSession,
)
from dualuse.domain.jobs import Job, JobStatus
from dualuse.domain.jobs.reminders import Reminder, StoredReminder
from dualuse.domain.licensing import ApplicationStatus, Case, Licence, PartyRole, Shipment, next_sequence
from dualuse.domain.listchange import (
    Comment,
    ListChange,
    ListChangeStatus,
    ModerationStatus,
    OrganisationType,
)
from dualuse.domain.notices.model import AuthorityNotice, NoticeArticle, NoticeStatus, NoticeSubject
from dualuse.domain.rules.saved import SavedDetermination
from dualuse.domain.screening.model import EntitySchema, ListedEntity, ListSnapshot
from dualuse.domain.screening.review import HitStatus, Party, StoredHit, Suppression
from dualuse.domain.screening.review import PartyRole as ScreeningPartyRole
from dualuse.domain.throttling import Count
from dualuse.domain.transparency import UseLine
from dualuse.services.casework.ports import CaseworkRepository, PrecedentQuery
from dualuse.services.clock import SYSTEM_CLOCK, Clock
from dualuse.services.customs.ports import CustomsRepository
from dualuse.services.denials.ports import DenialNotice, DenialQuery, DenialRepository, NoticeKind
from dualuse.services.determination.ports import SavedDeterminationRepository
from dualuse.services.documents.ports import CHUNK_BYTES, DocumentRepository
from dualuse.services.enforcement.ports import EnforcementRepository
from dualuse.services.exchange.ports import (
    ExchangeRepository,
    OutboxItem,
    OwnKey,
    Peer,
    ReceivedDocument,
)
from dualuse.services.jobs.ports import JobRepository, ReminderRepository
from dualuse.services.listchange.ports import ListChangeNotice, ListChangeRepository, StoredListChange
from dualuse.services.transparency.ports import TransparencyRepository
from dualuse.services.unit_of_work import (
    AmendmentRepository,
    AuditQuery,
    AuditRepository,
    CasePage,
    CaseQuery,
    ClassificationRepository,
    DueDiligenceRepository,
    GeneralAuthorisationRepository,
    LicensingRepository,
    NoticeRepository,
    OrganisationRepository,
    QueueEntry,
    ReferenceDataRepository,
    Row,
    ScreeningRepository,
    SessionRepository,
    StoredAmendment,
    StoredCase,
    StoredLicence,
    ThrottleRepository,
    TokenRepository,
    UserRepository,
)


@dataclass
class _World:
    """Everything the fakes store: one copy is committed, another is the open transaction's."""

    cases: dict[int, StoredCase] = field(default_factory=dict)
    messages: dict[int, dict[str, Any]] = field(default_factory=dict)
    licences: dict[int, StoredLicence] = field(default_factory=dict)
    # The licence's version column, which ``save_licence`` checks; the SQL writes it apart from the JSON.
    licence_versions: dict[int, int] = field(default_factory=dict)
    shipments: dict[int, tuple[int, Shipment]] = field(default_factory=dict)  # id -> (licence id, shipment)
    licence_counters: dict[tuple[str, int], int] = field(default_factory=dict)  # (state, year) -> last
    audit_events: list[AuditEvent] = field(default_factory=list)
    audit_anchors: list[Anchor] = field(default_factory=list)
    organisations: dict[int, Organisation] = field(default_factory=dict)
    dd_cases: dict[int, DdCase] = field(default_factory=dict)
    dd_entries: dict[int, CaseEntry] = field(default_factory=dict)
    notifications: dict[int, Notification] = field(default_factory=dict)
    requirements: dict[int, Requirement] = field(default_factory=dict)
    views: dict[int, StateView] = field(default_factory=dict)
    profiles: dict[int, StoredProfile] = field(default_factory=dict)
    submissions: dict[int, Submission] = field(default_factory=dict)
    icps: dict[int, IcpRecord] = field(default_factory=dict)
    # Ids are handed out per table and taken back by a rollback (as SQLite does; PostgreSQL's sequences
    # would skip them, which no use case can tell).
    last_ids: dict[str, int] = field(default_factory=dict)
    case_files: dict[int, CaseFile] = field(default_factory=dict)
    case_parties: dict[int, set[str]] = field(default_factory=dict)
    tracks: dict[int, Track] = field(default_factory=dict)
    statements: dict[str, tuple[EndUserStatement, str]] = field(
        default_factory=dict
    )  # number -> (it, token hash)
    documents: dict[int, tuple[Document, bytes]] = field(default_factory=dict)
    supporting: list[SupportingDocument] = field(default_factory=list)
    jobs: dict[int, Job] = field(default_factory=dict)
    denials: dict[int, tuple[Denial, int | None]] = field(default_factory=dict)  # id -> (it, case id)
    denial_notices: list[DenialNotice] = field(default_factory=list)
    denial_consultations: dict[int, Consultation] = field(default_factory=dict)
    enforcement_cases: dict[int, EnforcementCase] = field(default_factory=dict)
    compliance_visits: dict[int, ComplianceVisit] = field(default_factory=dict)
    users: dict[int, User] = field(default_factory=dict)
    tokens: dict[int, tuple[ApiToken, str]] = field(default_factory=dict)  # id -> (token, hash)
    sessions: dict[int, tuple[UserSession, str]] = field(default_factory=dict)  # id -> (session, hash)
    throttle: dict[str, Count] = field(default_factory=dict)
    eugea_registrations: dict[int, dict[str, Any]] = field(default_factory=dict)
    eugea_reports: dict[int, dict[str, Any]] = field(default_factory=dict)
    notices: dict[int, AuthorityNotice] = field(default_factory=dict)
    reference_data: dict[str, str] = field(default_factory=dict)
    amendments: list[StoredAmendment] = field(default_factory=list)
    reminders: dict[int, StoredReminder] = field(default_factory=dict)
    classifications: dict[int, Classification] = field(default_factory=dict)
    holds: dict[int, Hold] = field(default_factory=dict)
    list_versions: dict[int, tuple[dict[str, Any], ListSnapshot]] = field(default_factory=dict)
    list_deltas: list[dict[str, Any]] = field(default_factory=list)
    parties: dict[int, Party] = field(default_factory=dict)
    screenings: dict[int, dict[str, Any]] = field(default_factory=dict)
    hits: dict[int, StoredHit] = field(default_factory=dict)
    hit_decisions: list[tuple[int, Suppression, HitStatus]] = field(default_factory=list)  # organisation
    screening_thresholds: dict[int, float] = field(default_factory=dict)
    saved_determinations: dict[int, SavedDetermination] = field(default_factory=dict)
    list_changes: dict[int, StoredListChange] = field(default_factory=dict)
    list_change_comments: dict[int, Comment] = field(default_factory=dict)
    list_change_notices: dict[int, ListChangeNotice] = field(default_factory=dict)
    own_keys: dict[str, OwnKey] = field(default_factory=dict)
    peers: dict[str, str] = field(default_factory=dict)  # state -> base URL
    peer_keys: dict[tuple[str, str], PublicKey] = field(default_factory=dict)  # (state, key id) -> key
    outbox: dict[int, OutboxItem] = field(default_factory=dict)
    inbox: dict[str, ReceivedDocument] = field(default_factory=dict)  # document id -> it

    def next_id(self, table: str) -> int:
        self.last_ids[table] = self.last_ids.get(table, 0) + 1
        return self.last_ids[table]


@dataclass
class _Transaction:
    """What the repositories of one unit of work read and write: swapped for a fresh copy of the committed
    world when a transaction begins, so that repository objects stay the same across transactions. Times
    are read from the unit of work's clock."""

    world: _World
    clock: Clock = field(default=SYSTEM_CLOCK)

    def now(self) -> datetime:
        return self.clock.now()


# --- licensing ------------------------------------------------------------------------------------------
def _queue_codes(stored: StoredCase) -> set[str]:
    """The control codes the queue filters on, as the SQL repository indexes them."""
    return {row["control_code"] for row in queue_index_rows(stored)[1]}


def _in_queue(stored: StoredCase, query: CaseQuery) -> bool:
    country_rows, code_rows = queue_index_rows(stored)  # what the SQL repository filters on
    destinations = {row["country"] for row in country_rows}
    codes = {row["control_code"] for row in code_rows}
    if stored.member_state != query.member_state or stored.case.status not in query.statuses:
        return False
    if stored.submitted_at is None:  # never submitted: never reached the authority
        return False
    if query.destination is not None and query.destination not in destinations:
        return False
    if query.with_codes is not None and not codes & set(query.with_codes):
        return False
    if query.without_codes is not None and codes & set(query.without_codes):
        return False
    if query.submitted_before is not None:
        # SQL: ``submitted_at <= :submitted_before``, never true for a NULL submission time
        return stored.submitted_at is not None and stored.submitted_at <= query.submitted_before
    return True


def _queue_order(stored: StoredCase) -> tuple[datetime, int]:
    # ORDER BY submitted_at, id (every case in the queue was submitted)
    return (stored.submitted_at or datetime.min.replace(tzinfo=UTC), stored.id)


def _queue_entry(stored: StoredCase) -> QueueEntry:
    """The queue's line, as ``licensing_repo._queue_entry`` reads it from the stored JSON: codes stripped,
    the first end user, the sum of the item values."""
    case = stored.case
    application = case.current_application
    end_users = application.parties_in_role(PartyRole.END_USER)
    return QueueEntry(
        id=stored.id,
        organisation_id=stored.organisation_id,
        member_state=stored.member_state,
        status=case.status,
        version=case.version,
        application_type=application.application_type.value,
        control_codes=tuple(dict.fromkeys(i.control_code.strip() for i in application.items)),
        destinations=tuple(application.destinations),
        end_user=(end_users[0].name, end_users[0].country) if end_users else None,
        value_eur=sum((i.value_eur for i in application.items), Decimal(0)),
        amended=bool(case.amendments),
        submitted_at=stored.submitted_at,
        updated_at=stored.updated_at,
    )


class FakeLicensing:
    """Cases, messages, licences and shipments in memory, like ``adapters.db.licensing_repo.SqlLicensing``."""

    def __init__(self, transaction: _Transaction) -> None:
        self._tx = transaction

    @property
    def _w(self) -> _World:
        return self._tx.world

    # --- cases --------------------------------------------------------------------------------------
    def add_case(
        self, *, organisation_id: int, member_state: str, build: Callable[[int], Case]
    ) -> StoredCase:
        written = self._tx.now()
        case_id = self._w.next_id("licensing_cases")
        stored = StoredCase(
            id=case_id,
            organisation_id=organisation_id,
            member_state=member_state,
            case=build(case_id),
            assessment=None,
            submitted_at=None,
            created_at=written,
            updated_at=written,
        )
        self._w.cases[case_id] = stored
        return stored

    def case(self, case_id: int) -> StoredCase | None:
        return self._w.cases.get(case_id)

    def cases(
        self,
        *,
        organisation_id: int | None = None,
        member_state: str | None = None,
        statuses: Sequence[ApplicationStatus] | None = None,
    ) -> Sequence[StoredCase]:
        return [
            s
            for _, s in sorted(self._w.cases.items())
            if (organisation_id is None or s.organisation_id == organisation_id)
            and (member_state is None or s.member_state == member_state)
            and (statuses is None or s.case.status in statuses)
        ]

    def save_case(self, stored: StoredCase, *, expected_version: int) -> None:
        if stored.case.version != expected_version + 1:
            raise ValueError("a saved case moves on by exactly one version")
        row = self._w.cases.get(stored.id)
        if row is None or row.case.version != expected_version:
            raise ConflictError("the case changed meanwhile: reload")
        # The SQL writes the case, its assessment and submission time; owner, state and creation stay.
        self._w.cases[stored.id] = replace(
            stored,
            organisation_id=row.organisation_id,
            member_state=row.member_state,
            created_at=row.created_at,
            updated_at=self._tx.now(),
        )

    def queue(self, query: CaseQuery) -> CasePage:
        matching = sorted((s for s in self._w.cases.values() if _in_queue(s, query)), key=_queue_order)
        page = matching[query.offset : query.offset + query.limit]
        return CasePage(cases=[_queue_entry(s) for s in page], total=len(matching))

    def control_codes(self, member_state: str) -> Collection[str]:
        return {
            code
            for stored in self._w.cases.values()
            if stored.member_state == member_state
            for code in _queue_codes(stored)
        }

    # --- messages -----------------------------------------------------------------------------------
    def add_message(self, *, case_id: int, author: str, author_role: str, body: str) -> int:
        message_id = self._w.next_id("case_messages")
        self._w.messages[message_id] = {
            "id": message_id,
            "case_id": case_id,
            "author": author,
            "author_role": author_role,
            "body": body,
            "created_at": self._tx.now(),
        }
        return message_id

    def messages(self, case_id: int) -> Sequence[Row]:
        return [dict(m) for _, m in sorted(self._w.messages.items()) if m["case_id"] == case_id]

    # --- licences -----------------------------------------------------------------------------------
    def add_licence(self, *, case_id: int, member_state: str, licence: Licence, check_code: str) -> int:
        if any(s.licence.number == licence.number for s in self._w.licences.values()):
            raise ConflictError(f"licence number {licence.number} was issued meanwhile: retry")
        licence_id = self._w.next_id("licences")
        self._w.licences[licence_id] = StoredLicence(
            id=licence_id,
            case_id=case_id,
            member_state=member_state,
            licence=licence,
            check_code=check_code,
            issued_at=self._tx.now(),
        )
        self._w.licence_versions[licence_id] = licence.version
        return licence_id

    def _licences(self) -> list[StoredLicence]:
        return [s for _, s in sorted(self._w.licences.items())]

    def licence(self, number: str) -> StoredLicence | None:
        return next((s for s in self._licences() if s.licence.number == number), None)

    def licence_for_case(self, case_id: int) -> StoredLicence | None:
        return next((s for s in self._licences() if s.case_id == case_id), None)

    def licences_for_cases(self, case_ids: Collection[int]) -> Mapping[int, StoredLicence]:
        return {s.case_id: s for s in self._licences() if s.case_id in case_ids}

    def licences(
        self, *, member_state: str | None = None, organisation_id: int | None = None
    ) -> Sequence[StoredLicence]:
        found = []
        for stored in self._licences():
            case = self._w.cases.get(stored.case_id)
            if case is None:  # the SQL joins the licence to its case
                continue
            if member_state is not None and stored.member_state != member_state:
                continue
            if organisation_id is not None and case.organisation_id != organisation_id:
                continue
            found.append(stored)
        return found

    def issued_numbers(self, member_state: str) -> Sequence[str]:
        return [s.licence.number for s in self._licences() if s.member_state == member_state]

    def next_licence_sequence(self, member_state: str, year: int) -> int:
        """Like the SQL counter: it starts after any number issued without it."""
        key = (member_state, year)
        last = self._w.licence_counters.get(key)
        taken = last + 1 if last is not None else next_sequence(self.issued_numbers(member_state), *key)
        self._w.licence_counters[key] = taken
        return taken

    def save_licence(self, stored: StoredLicence, *, expected_version: int) -> None:
        row = self._w.licences.get(stored.id)
        if row is None or self._w.licence_versions[stored.id] != expected_version:
            raise ConflictError("the licence changed meanwhile: reload")
        # The SQL writes the licence's JSON, status and version; case, state, check code and issue stay.
        self._w.licences[stored.id] = replace(row, licence=stored.licence)
        self._w.licence_versions[stored.id] = expected_version + 1

    def hold_case(self, case_id: int) -> None:
        """One transaction at a time here: nothing to wait for (the SQL locks the case's row)."""
        if case_id not in self._w.cases:
            raise LookupError(case_id)

    def hold_licence(self, licence_id: int) -> None:
        """One transaction at a time here: nothing to wait for (the SQL locks the licence's row)."""
        if licence_id not in self._w.licences:
            raise LookupError(licence_id)

    # --- shipments ----------------------------------------------------------------------------------
    def add_shipment(self, *, licence_id: int, shipment: Shipment) -> int:
        shipment_id = self._w.next_id("shipments")
        self._w.shipments[shipment_id] = (licence_id, shipment)
        return shipment_id

    def shipments(self, licence_id: int) -> Sequence[Shipment]:
        return [s for _, (owner, s) in sorted(self._w.shipments.items()) if owner == licence_id]


# --- audit ----------------------------------------------------------------------------------------------
class FakeDenials:
    """Denials, their notices and consultations, optimistically locked like ``adapters.db.denials_repo``."""

    def __init__(self, transaction: _Transaction) -> None:
        self._tx = transaction

    @property
    def _w(self) -> _World:
        return self._tx.world

    def add_denial(self, build: Callable[[int], Denial], *, case_id: int | None) -> Denial:
        denial = build(self._w.next_id("denials"))
        self._w.denials[denial.id] = (denial, case_id)
        return denial

    def denial(self, denial_id: int) -> Denial | None:
        found = self._w.denials.get(denial_id)
        return found[0] if found else None

    def denials(self, query: DenialQuery) -> Sequence[Denial]:
        return [
            d
            for d, case_id in sorted(self._w.denials.values(), key=lambda pair: -pair[0].id)
            if (query.statuses is None or d.status in query.statuses)
            and (not query.issuing_state or d.issuing_state == query.issuing_state)
            and (not query.destination or d.destination == query.destination)
            and (query.case_id is None or case_id == query.case_id)
        ]

    def save_denial(self, denial: Denial, *, expected_version: int) -> None:
        current = self._w.denials.get(denial.id)
        if current is None or current[0].version != expected_version:
            raise ConflictError("the denial changed meanwhile: reload")
        self._w.denials[denial.id] = (denial, current[1])

    def add_notices(
        self,
        *,
        kind: NoticeKind,
        denial_id: int,
        sender_state: str,
        recipients: Sequence[str],
        subject: str,
        reasons: str,
        case_id: int | None = None,
    ) -> None:
        at = datetime.now(UTC)
        for recipient in recipients:
            self._w.denial_notices.append(
                DenialNotice(
                    self._w.next_id("denial_notifications"),
                    kind,
                    denial_id,
                    sender_state,
                    recipient,
                    case_id,
                    subject[:500],
                    reasons,
                    at,
                )
            )

    def notices(
        self, *, recipient: str | None = None, denial_id: int | None = None
    ) -> Sequence[DenialNotice]:
        return [
            n
            for n in reversed(self._w.denial_notices)
            if (recipient is None or n.recipient == recipient)
            and (denial_id is None or n.denial_id == denial_id)
        ]

    def add_consultation(self, build: Callable[[int], Consultation]) -> Consultation:
        consultation = build(self._w.next_id("denial_consultations"))
        self._w.denial_consultations[consultation.id] = consultation
        return consultation

    def consultation(self, consultation_id: int) -> Consultation | None:
        return self._w.denial_consultations.get(consultation_id)

    def consultations(
        self,
        *,
        consulting_state: str | None = None,
        consulted_state: str | None = None,
        case_id: int | None = None,
    ) -> Sequence[Consultation]:
        return [
            c
            for c in sorted(self._w.denial_consultations.values(), key=lambda c: -c.id)
            if (consulting_state is None or c.consulting_state == consulting_state)
            and (consulted_state is None or c.consulted_state == consulted_state)
            and (case_id is None or c.case_id == case_id)
        ]

    def save_consultation(self, consultation: Consultation, *, expected_version: int) -> None:
        current = self._w.denial_consultations.get(consultation.id)
        if current is None or current.version != expected_version:
            raise ConflictError("the consultation changed meanwhile: reload")
        self._w.denial_consultations[consultation.id] = consultation


class FakeCasework:
    """Case files beside the licensing cases, optimistically locked like ``adapters.db.casework_repo``."""

    def __init__(self, transaction: _Transaction) -> None:
        self._tx = transaction

    @property
    def _w(self) -> _World:
        return self._tx.world

    def file(self, case_id: int) -> CaseFile | None:
        return self._w.case_files.get(case_id)

    def files(self, case_ids: Collection[int]) -> Mapping[int, CaseFile]:
        return {i: self._w.case_files[i] for i in case_ids if i in self._w.case_files}

    def add_file(self, file: CaseFile, party_names: Collection[str]) -> None:
        if file.case_id in self._w.case_files:
            raise ConflictError("the case already has a case file")
        self._w.case_files[file.case_id] = file
        self._w.case_parties[file.case_id] = set(party_names)

    def save_file(self, file: CaseFile, *, expected_version: int) -> None:
        if file.version != expected_version + 1:
            raise ValueError("a saved case file moves on by exactly one version")
        current = self._w.case_files.get(file.case_id)
        if current is None or current.version != expected_version:
            raise ConflictError("the case file changed meanwhile: reload")
        self._w.case_files[file.case_id] = file

    def note_status(self, case_id: int, status: str, at: datetime) -> None:
        current = self._w.case_files.get(case_id)
        if current is not None and current.status != status:
            self._w.case_files[case_id] = replace(current, status=status, status_since=at)

    def open_case_ids(self, *, closed: Collection[str]) -> Sequence[int]:
        return sorted(i for i, f in self._w.case_files.items() if f.status not in closed)

    def precedents(self, query: PrecedentQuery) -> Sequence[int]:
        found = []
        for stored in self._w.cases.values():
            if stored.member_state != query.member_state or stored.id == query.exclude_case:
                continue
            if stored.case.status is not ApplicationStatus.DECIDED:
                continue
            application = stored.case.current_application
            if (
                {i.control_code for i in application.items} & set(query.control_codes)
                or set(application.destinations) & set(query.destinations)
                or self._w.case_parties.get(stored.id, set()) & set(query.party_names)
            ):
                found.append(stored)
        found.sort(key=lambda s: (s.updated_at, s.id), reverse=True)
        return [s.id for s in found[: query.limit]]

    def add_statement(self, statement: EndUserStatement, token_hash: str) -> None:
        if statement.number in self._w.statements:
            raise ConflictError("the statement number was taken meanwhile: try again")
        self._w.statements[statement.number] = (statement, token_hash)

    def statement(self, number: str) -> EndUserStatement | None:
        found = self._w.statements.get(number)
        return found[0] if found else None

    def statement_by_token(self, token_hash: str) -> EndUserStatement | None:
        return next((s for s, h in self._w.statements.values() if h == token_hash), None)

    def statements(self, case_id: int) -> Sequence[EndUserStatement]:
        return [s for s, _ in self._w.statements.values() if s.case_id == case_id]

    def save_statement(self, statement: EndUserStatement, *, expected_version: int) -> None:
        current = self._w.statements.get(statement.number)
        if current is None or current[0].version != expected_version:
            raise ConflictError("the statement changed meanwhile: reload")
        self._w.statements[statement.number] = (statement, current[1])

    def statement_count(self, member_state: str, year: int) -> int:
        prefix = f"EUS-{member_state}-{year:04d}-"
        return sum(1 for n in self._w.statements if n.startswith(prefix))

    def add_track(self, build: Callable[[int], Track]) -> Track:
        track = build(self._w.next_id("casework_tracks"))
        self._w.tracks[track.id] = track
        return track

    def track(self, track_id: int) -> Track | None:
        return self._w.tracks.get(track_id)

    def tracks(
        self, *, organisation_id: int | None = None, member_state: str | None = None
    ) -> Sequence[Track]:
        found = [
            t
            for t in self._w.tracks.values()
            if (organisation_id is None or t.organisation_id == organisation_id)
            and (member_state is None or t.member_state == member_state)
        ]
        return sorted(found, key=lambda t: t.id, reverse=True)

    def save_track(self, track: Track, *, expected_version: int) -> None:
        current = self._w.tracks.get(track.id)
        if current is None or current.version != expected_version:
            raise ConflictError("the request changed meanwhile: reload")
        self._w.tracks[track.id] = track

    def add_supporting(
        self, *, case_id: int, document_id: int, kind: SupportingKind, title: str, uploaded_by: str
    ) -> SupportingDocument:
        document = next(d for d, _ in self._w.documents.values() if d.id == document_id)
        entry = SupportingDocument(
            id=self._w.next_id("application_documents"),
            case_id=case_id,
            document_id=document_id,
            kind=kind,
            title=title[:200],
            sha256=document.sha256,
            media_type=document.media_type,
            size=document.size,
            uploaded_by=uploaded_by,
            uploaded_at=datetime.now(UTC),
        )
        self._w.supporting.append(entry)
        return entry

    def supporting(self, case_id: int) -> Sequence[SupportingDocument]:
        return [s for s in self._w.supporting if s.case_id == case_id]


class FakeAudit:
    """The hash-chained trail, like ``SqlAudit``: appended entries wait in the transaction and are chained
    onto the last event by ``flush`` (which the unit of work's ``commit`` calls, and reads call first)."""

    def __init__(self, transaction: _Transaction) -> None:
        self._tx = transaction
        self._pending: list[AuditEntry] = []

    def append(self, entry: AuditEntry) -> None:
        self._pending.append(entry)

    def discard(self) -> None:
        self._pending.clear()

    def flush(self) -> None:
        if not self._pending:
            return
        events = self._tx.world.audit_events
        events.extend(chain(events[-1] if events else None, self._pending))
        self._pending.clear()

    def all(self) -> Sequence[AuditEvent]:
        self.flush()
        return list(self._tx.world.audit_events)

    def for_entity(self, entity_type: str, entity_id: str) -> Sequence[AuditEvent]:
        self.flush()
        return [
            e
            for e in self._tx.world.audit_events
            if e.entity_type == entity_type and e.entity_id == entity_id
        ]

    def head(self) -> AuditEvent | None:
        self.flush()
        return self._tx.world.audit_events[-1] if self._tx.world.audit_events else None

    def find(self, query: AuditQuery) -> Sequence[AuditEvent]:
        self.flush()
        selected = [
            e
            for e in reversed(self._tx.world.audit_events)
            if (query.since is None or e.occurred_at >= query.since)
            and (query.actor is None or e.actor == query.actor)
            and (query.action is None or e.action == query.action)
            and (query.organisation_id is None or e.organisation_id == query.organisation_id)
            and (query.member_state is None or e.member_state == query.member_state)
            and (query.before_sequence is None or e.sequence < query.before_sequence)
        ]
        return selected[: query.limit]

    def add_anchor(self, anchor: Anchor) -> None:
        self._tx.world.audit_anchors.append(anchor)

    def anchors(self) -> Sequence[Anchor]:
        return sorted(self._tx.world.audit_anchors, key=lambda a: a.head_sequence)


# --- organisations --------------------------------------------------------------------------------------
class FakeOrganisations:
    """Organisations in memory, like ``adapters.db.identity_repo``'s organisation repository."""

    def __init__(self, tx: _Transaction) -> None:
        self._tx = tx

    def add(
        self, kind: OrganisationKind, name: str, member_state: str | None, eori: str | None
    ) -> Organisation:
        world = self._tx.world
        # the SQL's unique columns: one authority per member state, one organisation per EORI
        if kind is OrganisationKind.AUTHORITY and self.authority_for(member_state or "") is not None:
            raise ConflictError(f"{member_state} already has a competent authority", field="member_state")
        if eori is not None and any(o.eori == eori for o in world.organisations.values()):
            raise ConflictError(f"an organisation with the EORI {eori} already exists", field="eori")
        organisation = Organisation(world.next_id("organisations"), kind, name, member_state, eori)
        world.organisations[organisation.id] = organisation
        return organisation

    def get(self, organisation_id: int) -> Organisation | None:
        return self._tx.world.organisations.get(organisation_id)

    def find(self, kind: OrganisationKind, name: str) -> Organisation | None:
        return next((o for o in self.list() if o.kind is kind and o.name == name), None)

    def authority_for(self, member_state: str) -> Organisation | None:
        return next(
            (
                o
                for o in self.list()
                if o.kind is OrganisationKind.AUTHORITY and o.member_state == member_state
            ),
            None,
        )

    def list(self) -> Sequence[Organisation]:
        return sorted(self._tx.world.organisations.values(), key=lambda o: o.id)


# --- due diligence --------------------------------------------------------------------------------------
class FakeDueDiligence:
    """Due-diligence cases, notifications, the Art. 5(4) exchange, profiles, submissions and ICPs in memory,
    like ``adapters.db.duediligence_repo.SqlDueDiligence``: newest first where it orders so, one
    notification per case, and the conditional writes that refuse a second decision."""

    def __init__(self, tx: _Transaction) -> None:
        self._tx = tx

    @property
    def _w(self) -> _World:
        return self._tx.world

    def add_case(
        self,
        *,
        organisation_id: int,
        title: str,
        transaction: Mapping[str, Any],
        red_flag_version: str,
        by: str,
    ) -> int:
        now = self._tx.now()
        case = DdCase(
            self._w.next_id("dd_cases"),
            organisation_id,
            title,
            copy.deepcopy(dict(transaction)),
            CaseStatus.OPEN,
            None,
            red_flag_version,
            by,
            now,
            now,
        )
        self._w.dd_cases[case.id] = case
        return case.id

    def case(self, case_id: int) -> DdCase | None:
        return self._w.dd_cases.get(case_id)

    def cases(self, organisation_id: int) -> Sequence[DdCase]:
        return sorted(
            (c for c in self._w.dd_cases.values() if c.organisation_id == organisation_id),
            key=lambda c: -c.id,
        )

    def lock_case(self, case_id: int) -> None:
        """One transaction at a time: nothing to hold."""

    def set_case(self, case_id: int, *, status: CaseStatus, conclusion: Conclusion | None) -> None:
        case = self._w.dd_cases[case_id]
        self._w.dd_cases[case_id] = replace(
            case, status=status, conclusion=conclusion, updated_at=self._tx.now()
        )

    def add_entry(
        self,
        *,
        case_id: int,
        step: str,
        answers: Mapping[str, Any],
        note: str,
        evidence: Sequence[Any],
        by: str,
    ) -> int:
        entry = CaseEntry(
            self._w.next_id("dd_entries"),
            case_id,
            Step(step),
            copy.deepcopy(dict(answers)),
            note,
            copy.deepcopy(list(evidence)),
            by,
            self._tx.now(),
        )
        self._w.dd_entries[entry.id] = entry
        return entry.id

    def entries(self, case_id: int) -> Sequence[CaseEntry]:
        return sorted((e for e in self._w.dd_entries.values() if e.case_id == case_id), key=lambda e: e.id)

    def add_notification(
        self,
        *,
        case_id: int,
        organisation_id: int,
        member_state: str,
        transaction: Mapping[str, Any],
        summary: Mapping[str, Any],
        deadline: date,
    ) -> int:
        if any(n.case_id == case_id for n in self._w.notifications.values()):
            raise ConflictError("the authority has already been notified of this case")
        notification = Notification(
            self._w.next_id("notifications"),
            case_id,
            organisation_id,
            member_state,
            copy.deepcopy(dict(transaction)),
            copy.deepcopy(dict(summary)),
            NotificationStatus.SUBMITTED,
            deadline,
            None,
            None,
            None,
            self._tx.now(),
        )
        self._w.notifications[notification.id] = notification
        return notification.id

    def notification(self, notification_id: int) -> Notification | None:
        return self._w.notifications.get(notification_id)

    def notifications(
        self, *, member_state: str | None = None, organisation_id: int | None = None
    ) -> Sequence[Notification]:
        return sorted(
            (
                n
                for n in self._w.notifications.values()
                if (member_state is None or n.member_state == member_state)
                and (organisation_id is None or n.organisation_id == organisation_id)
            ),
            key=lambda n: -n.id,
        )

    def decide_notification(
        self, notification_id: int, *, status: NotificationStatus, reason: str, by: str
    ) -> None:
        notification = self._w.notifications[notification_id]
        if notification.status is not NotificationStatus.SUBMITTED:
            raise ConflictError("this notification has already been decided")
        self._w.notifications[notification_id] = replace(
            notification, status=status, reason=reason, decided_by=by, decided_at=self._tx.now()
        )

    def add_requirement(
        self,
        *,
        notification_id: int,
        imposing_state: str,
        destination: str,
        end_user: str,
        item: str,
        notified_on: date,
    ) -> int:
        requirement = Requirement(
            self._w.next_id("art5_requirements"),
            notification_id,
            imposing_state,
            destination,
            end_user,
            item,
            ConsultationOutcome.PENDING,
            notified_on,
            None,
            self._tx.now(),
        )
        self._w.requirements[requirement.id] = requirement
        return requirement.id

    def requirement(self, requirement_id: int) -> Requirement | None:
        return self._w.requirements.get(requirement_id)

    def requirements(self, *, status: ConsultationOutcome | None = None) -> Sequence[Requirement]:
        return sorted(
            (r for r in self._w.requirements.values() if status is None or r.status is status),
            key=lambda r: -r.id,
        )

    def lock_requirement(self, requirement_id: int) -> None:
        """One transaction at a time: nothing to hold."""

    def set_requirement(
        self, requirement_id: int, *, status: ConsultationOutcome, published_on: date | None
    ) -> None:
        requirement = self._w.requirements[requirement_id]
        self._w.requirements[requirement_id] = replace(requirement, status=status, published_on=published_on)

    def add_view(self, *, requirement_id: int, member_state: str, deadline: date) -> int:
        view = StateView(
            self._w.next_id("art5_views"),
            requirement_id,
            member_state,
            View.PENDING,
            deadline,
            None,
            None,
            None,
        )
        self._w.views[view.id] = view
        return view.id

    def views(self, requirement_id: int) -> Sequence[StateView]:
        return sorted(
            (v for v in self._w.views.values() if v.requirement_id == requirement_id),
            key=lambda v: v.member_state,
        )

    def record_view(self, view_id: int, *, view: View, reason: str, by: str) -> None:
        stored = self._w.views[view_id]
        if stored.view is not View.PENDING:
            raise ConflictError("this member state has already recorded its view")
        self._w.views[view_id] = replace(
            stored, view=view, reason=reason, recorded_by=by, recorded_at=self._tx.now()
        )

    def add_profile(
        self,
        *,
        subject_kind: str,
        subject: str,
        level: str,
        summary: str,
        sources: Sequence[Any],
        origin: str,
        verified: bool,
        by: str,
    ) -> int:
        profile = StoredProfile(
            self._w.next_id("risk_profiles"),
            subject_kind,
            subject,
            level,
            summary,
            copy.deepcopy(list(sources)),
            origin,
            verified,
            by,
            self._tx.now(),
        )
        self._w.profiles[profile.id] = profile
        return profile.id

    def profiles(self) -> Sequence[StoredProfile]:
        return sorted(self._w.profiles.values(), key=lambda p: (p.subject_kind, p.subject, p.id))

    def add_submission(
        self,
        *,
        organisation_name: str,
        contact_email: str | None,
        subject_kind: str,
        subject: str,
        what_happened: str,
        sources: Sequence[Any],
        name_publicly: bool = False,
    ) -> int:
        submission = Submission(
            self._w.next_id("submissions"),
            organisation_name,
            contact_email,
            subject_kind,
            subject,
            what_happened,
            copy.deepcopy(list(sources)),
            name_publicly,
            SubmissionStatus.PENDING,
            None,
            None,
            None,
            self._tx.now(),
        )
        self._w.submissions[submission.id] = submission
        return submission.id

    def submission(self, submission_id: int) -> Submission | None:
        return self._w.submissions.get(submission_id)

    def submissions(self, *, status: SubmissionStatus | None = None) -> Sequence[Submission]:
        return sorted(
            (s for s in self._w.submissions.values() if status is None or s.status is status),
            key=lambda s: -s.id,
        )

    def moderate(self, submission_id: int, *, status: SubmissionStatus, note: str, by: str) -> None:
        submission = self._w.submissions[submission_id]
        if submission.status is not SubmissionStatus.PENDING:
            raise ConflictError("this submission has already been moderated")
        self._w.submissions[submission_id] = replace(
            submission, status=status, moderation_note=note, moderated_by=by, moderated_at=self._tx.now()
        )

    def add_icp(self, *, organisation_id: int, answers: Mapping[str, str], by: str) -> int:
        record = IcpRecord(
            self._w.next_id("icp_assessments"), organisation_id, dict(answers), by, self._tx.now()
        )
        self._w.icps[record.id] = record
        return record.id

    def latest_icp(self, organisation_id: int) -> IcpRecord | None:
        mine = [i for i in self._w.icps.values() if i.organisation_id == organisation_id]
        return max(mine, key=lambda i: i.id) if mine else None


# --- documents and jobs ---------------------------------------------------------------------------------
class FakeDocuments:
    """Documents in memory, like ``adapters.db.documents_repo.SqlDocuments``: one copy per owner and digest."""

    def __init__(self, tx: _Transaction) -> None:
        self._tx = tx

    def put(
        self,
        *,
        owner_organisation_id: int,
        kind: DocumentKind,
        title: str,
        media_type: str,
        content: bytes,
        created_by: str,
    ) -> Document:
        digest = hashlib.sha256(content).hexdigest()
        held = self.find(owner_organisation_id, digest)
        if held is not None:
            return held
        document_id = self._tx.world.next_id("documents")
        document = Document(
            document_id,
            owner_organisation_id,
            kind,
            title[:300],
            media_type,
            digest,
            len(content),
            created_by,
            self._tx.now(),
        )
        self._tx.world.documents[document_id] = (document, bytes(content))
        return document

    def find(self, owner_organisation_id: int, sha256: str) -> Document | None:
        return next(
            (
                d
                for d, _ in self._tx.world.documents.values()
                if d.owner_organisation_id == owner_organisation_id and d.sha256 == sha256
            ),
            None,
        )

    def chunks(self, document_id: int, size: int = CHUNK_BYTES) -> Iterator[bytes]:
        content = self._tx.world.documents[document_id][1]
        return iter([content[i : i + size] for i in range(0, len(content), size)])


class FakeJobs:
    """The job queue in memory, like ``adapters.db.jobs_repo.SqlJobs`` (oldest due job first)."""

    def __init__(self, tx: _Transaction) -> None:
        self._tx = tx

    def add(
        self, kind: str, payload: Mapping[str, Any], *, run_after: datetime, max_attempts: int, at: datetime
    ) -> int:
        job_id = self._tx.world.next_id("jobs")
        self._tx.world.jobs[job_id] = Job(
            job_id, kind, dict(payload), JobStatus.QUEUED, 0, max_attempts, run_after, at, message=""
        )
        return job_id

    def claim(self, worker: str, at: datetime, lease_expired_before: datetime) -> Job | None:
        due = [
            j
            for j in self._tx.world.jobs.values()
            if (j.status is JobStatus.QUEUED and j.run_after <= at)
            or (
                j.status is JobStatus.RUNNING
                and j.locked_at is not None
                and j.locked_at < lease_expired_before
            )
        ]
        if not due:
            return None
        oldest = min(due, key=lambda j: (j.run_after, j.id))
        taken = replace(
            oldest, status=JobStatus.RUNNING, attempts=oldest.attempts + 1, locked_by=worker, locked_at=at
        )
        self._tx.world.jobs[oldest.id] = taken
        return taken

    def get(self, job_id: int) -> Job | None:
        return self._tx.world.jobs.get(job_id)

    def recent(self, limit: int = 50) -> Sequence[Job]:
        return sorted(self._tx.world.jobs.values(), key=lambda j: -j.id)[:limit]

    def pending(self, kind: str) -> Sequence[Job]:
        waiting = (JobStatus.QUEUED, JobStatus.RUNNING)
        return sorted(
            (j for j in self._tx.world.jobs.values() if j.kind == kind and j.status in waiting),
            key=lambda j: (j.run_after, j.id),
        )

    def _held(self, job_id: int, worker: str) -> Job | None:
        job = self._tx.world.jobs.get(job_id)
        return (
            job if job is not None and job.locked_by == worker and job.status is JobStatus.RUNNING else None
        )

    def progress(
        self, job_id: int, worker: str, done: int, total: int | None, message: str, at: datetime
    ) -> bool:
        job = self._held(job_id, worker)
        if job is None:
            return False
        self._tx.world.jobs[job_id] = replace(
            job, progress_done=done, progress_total=total, message=message, locked_at=at
        )
        return True

    def finish(self, job_id: int, worker: str, message: str, at: datetime) -> bool:
        job = self._held(job_id, worker)
        if job is None:
            return False
        self._tx.world.jobs[job_id] = replace(job, status=JobStatus.DONE, message=message, finished_at=at)
        return True

    def fail(self, job_id: int, worker: str, error: str, retry_at: datetime | None, at: datetime) -> bool:
        job = self._held(job_id, worker)
        if job is None:
            return False
        if retry_at is None:
            self._tx.world.jobs[job_id] = replace(
                job, status=JobStatus.FAILED, last_error=error[:4000], finished_at=at
            )
        else:
            self._tx.world.jobs[job_id] = replace(
                job, status=JobStatus.QUEUED, last_error=error[:4000], run_after=retry_at
            )
        return True


# --- identity: users, tokens, sessions, attempt counters ------------------------------------------------
class FakeUsers:
    """Users in memory, like ``adapters.db.uow.SqlUsers``: one account per e-mail address."""

    def __init__(self, tx: _Transaction) -> None:
        self._tx = tx

    def add(self, email: str, full_name: str, password_hash: str, role: Role, organisation_id: int) -> User:
        world = self._tx.world
        if any(u.email == email for u in world.users.values()):
            raise ConflictError(f"a user with the email {email} already exists", field="email")
        user = User(world.next_id("users"), email, full_name, role, organisation_id, True, password_hash)
        world.users[user.id] = user
        return user

    def get(self, user_id: int) -> User | None:
        return self._tx.world.users.get(user_id)

    def by_email(self, email: str) -> User | None:
        return next((u for u in self._tx.world.users.values() if u.email == email), None)

    def in_organisation(self, organisation_id: int) -> Sequence[User]:
        return sorted(
            (u for u in self._tx.world.users.values() if u.organisation_id == organisation_id),
            key=lambda u: u.email,
        )

    def _change(self, user_id: int, **changes: Any) -> None:
        user = self._tx.world.users.get(user_id)
        if user is not None:  # the SQL's UPDATE of no row changes nothing
            self._tx.world.users[user_id] = replace(user, **changes)

    def set_password_hash(self, user_id: int, password_hash: str) -> None:
        self._change(user_id, password_hash=password_hash)

    def set_active(self, user_id: int, active: bool) -> None:
        self._change(user_id, is_active=active)

    def set_role(self, user_id: int, role: Role) -> None:
        self._change(user_id, role=role)


class FakeTokens:
    """API tokens in memory, like ``adapters.db.uow.SqlTokens``: newest first, revoked once."""

    def __init__(self, tx: _Transaction) -> None:
        self._tx = tx

    def add(
        self,
        user_id: int,
        name: str,
        token_hash: str,
        prefix: str,
        expires_at: datetime | None,
        scope: TokenScope = TokenScope.WRITE,
    ) -> int:
        world = self._tx.world
        if any(h == token_hash for _, h in world.tokens.values()):
            raise ConflictError("a token with this hash exists already")
        token_id = world.next_id("api_tokens")
        token = ApiToken(token_id, user_id, name, prefix, scope, self._tx.now(), expires_at, None)
        world.tokens[token_id] = (token, token_hash)
        return token_id

    def holder(self, token_hash: str) -> tuple[User, Organisation, ApiToken] | None:
        world = self._tx.world
        token = next((t for t, h in world.tokens.values() if h == token_hash), None)
        user = world.users.get(token.user_id) if token is not None else None
        organisation = world.organisations.get(user.organisation_id) if user is not None else None
        if token is None or user is None or organisation is None:  # the SQL joins all three
            return None
        return user, organisation, token

    def get(self, token_id: int) -> ApiToken | None:
        found = self._tx.world.tokens.get(token_id)
        return found[0] if found else None

    def listing(self, user_id: int | None = None) -> Sequence[ApiToken]:
        return [
            t
            for _, (t, _h) in sorted(self._tx.world.tokens.items(), reverse=True)
            if user_id is None or t.user_id == user_id
        ]

    def revoke(self, token_id: int, at: datetime) -> None:
        found = self._tx.world.tokens.get(token_id)
        if found is not None and found[0].revoked_at is None:
            self._tx.world.tokens[token_id] = (replace(found[0], revoked_at=at), found[1])


class FakeSessions:
    """Server-side sessions in memory, like ``adapters.db.identity_repo.SqlSessions``."""

    def __init__(self, tx: _Transaction) -> None:
        self._tx = tx

    @property
    def _rows(self) -> dict[int, tuple[UserSession, str]]:
        return self._tx.world.sessions

    def add(
        self,
        *,
        user_id: int,
        session_hash: str,
        role: Role,
        now: datetime,
        expires_at: datetime,
        client: str | None,
    ) -> int:
        if any(h == session_hash for _, h in self._rows.values()):
            raise ConflictError("a session with this hash exists already")
        session_id = self._tx.world.next_id("user_sessions")
        session = UserSession(
            session_id, user_id, role, now, now, expires_at, (client or None) and client[:64]
        )
        self._rows[session_id] = (session, session_hash)
        return session_id

    def find(self, session_hash: str) -> UserSession | None:
        return next((s for s, h in self._rows.values() if h == session_hash), None)

    def touch(self, session_id: int, now: datetime) -> None:
        found = self._rows.get(session_id)
        if found is not None:
            self._rows[session_id] = (replace(found[0], last_seen_at=now), found[1])

    def delete(self, session_id: int) -> None:
        self._rows.pop(session_id, None)

    def delete_for_user(self, user_id: int, *, keep: int | None = None) -> int:
        ended = [i for i, (s, _) in self._rows.items() if s.user_id == user_id and i != keep]
        for session_id in ended:
            del self._rows[session_id]
        return len(ended)

    def for_user(self, user_id: int) -> Sequence[UserSession]:
        mine = [s for s, _ in self._rows.values() if s.user_id == user_id]
        # ORDER BY last_seen_at DESC, id (a stable sort by id first, then by the time)
        return sorted(sorted(mine, key=lambda s: s.id), key=lambda s: s.last_seen_at, reverse=True)

    def purge(self, now: datetime, idle: timedelta) -> None:
        over = [i for i, (s, _) in self._rows.items() if s.expires_at <= now or s.last_seen_at <= now - idle]
        for session_id in over:
            del self._rows[session_id]


class FakeThrottle:
    """Attempt counters in memory, like ``adapters.db.identity_repo.SqlThrottle``: a counter whose window
    ended starts afresh; a released attempt is taken back only within its window."""

    def __init__(self, tx: _Transaction) -> None:
        self._tx = tx

    def hit(self, key: str, now: datetime, window: timedelta) -> Count:
        counters = self._tx.world.throttle
        current = counters.get(key)
        if current is None or current.resets_at <= now:
            counted = Count(attempts=1, resets_at=now + window)
        else:
            counted = Count(attempts=current.attempts + 1, resets_at=current.resets_at)
        counters[key] = counted
        return counted

    def release(self, key: str, now: datetime) -> None:
        current = self._tx.world.throttle.get(key)
        if current is not None and current.attempts > 0 and current.resets_at > now:
            self._tx.world.throttle[key] = replace(current, attempts=current.attempts - 1)

    def purge(self, now: datetime) -> None:
        counters = self._tx.world.throttle
        for key in [k for k, c in counters.items() if c.resets_at <= now]:
            del counters[key]


# --- general authorisations and notices -----------------------------------------------------------------
def _utc_day(value: date | datetime) -> date:
    return value.astimezone(UTC).date() if isinstance(value, datetime) else value


class FakeGeneralAuthorisations:
    """Registrations and reports of use in memory, like
    ``adapters.db.general_authorisations_repo.SqlGeneralAuthorisations``: rows as plain mappings with the
    table's columns (the value in euro as text), one registration per organisation and authorisation."""

    def __init__(self, tx: _Transaction) -> None:
        self._tx = tx

    @property
    def _w(self) -> _World:
        return self._tx.world

    def add_registration(
        self, *, organisation_id: int, eugea_id: str, member_state: str, by: str, at: datetime | None = None
    ) -> int:
        if self.registration(organisation_id, eugea_id) is not None:
            raise ConflictError(f"already registered for {eugea_id}", field="eugea_id")
        registration_id = self._w.next_id("eugea_registrations")
        self._w.eugea_registrations[registration_id] = {
            "id": registration_id,
            "organisation_id": organisation_id,
            "eugea_id": eugea_id,
            "member_state": member_state,
            "registered_by": by,
            "registered_at": at or self._tx.now(),
        }
        return registration_id

    def registration(self, organisation_id: int, eugea_id: str) -> Row | None:
        return next(
            (
                dict(r)
                for r in self._w.eugea_registrations.values()
                if r["organisation_id"] == organisation_id and r["eugea_id"] == eugea_id
            ),
            None,
        )

    def lock_registration(self, registration_id: int) -> None:
        """One transaction at a time: nothing to hold."""

    def registrations(
        self, *, organisation_id: int | None = None, member_state: str | None = None
    ) -> Sequence[Row]:
        return [
            dict(r)
            for _, r in sorted(self._w.eugea_registrations.items())
            if (organisation_id is None or r["organisation_id"] == organisation_id)
            and (member_state is None or r["member_state"] == member_state)
        ]

    def add_report(
        self,
        *,
        organisation_id: int,
        eugea_id: str,
        period_start: date,
        period_end: date,
        shipments: int,
        value_eur: Decimal,
        destinations: Sequence[str],
        by: str,
        items: Sequence[UseLine] = (),
    ) -> int:
        if any(
            (r["organisation_id"], r["eugea_id"], r["period_start"])
            == (organisation_id, eugea_id, period_start)
            for r in self._w.eugea_reports.values()
        ):  # the SQL's unique index on the plainest overlap
            raise ConflictError("a report of this period exists already", field="period_start")
        report_id = self._w.next_id("eugea_reports")
        self._w.eugea_reports[report_id] = {
            "id": report_id,
            "organisation_id": organisation_id,
            "eugea_id": eugea_id,
            "period_start": period_start,
            "period_end": period_end,
            "shipments": shipments,
            "value_eur": str(value_eur),
            "destinations": list(destinations),
            "submitted_by": by,
            "submitted_at": self._tx.now(),
            "items": list(items),  # the annual report's lines, kept as given (SQL: eugea_report_items)
        }
        return report_id

    def overlapping_reports(
        self, organisation_id: int, eugea_id: str, period_start: date, period_end: date
    ) -> Sequence[Row]:
        return [
            dict(r)
            for _, r in sorted(self._w.eugea_reports.items())
            if r["organisation_id"] == organisation_id
            and r["eugea_id"] == eugea_id
            and r["period_start"] <= period_end
            and r["period_end"] >= period_start
        ]

    def reports(
        self, *, organisation_id: int | None = None, member_state: str | None = None
    ) -> Sequence[Row]:
        found = []
        for r in self._w.eugea_reports.values():
            if organisation_id is not None and r["organisation_id"] != organisation_id:
                continue
            if member_state is not None and not any(
                g["organisation_id"] == r["organisation_id"]
                and g["eugea_id"] == r["eugea_id"]
                and g["member_state"] == member_state
                for g in self._w.eugea_registrations.values()
            ):
                continue
            found.append(dict(r))
        return sorted(found, key=lambda r: (r["period_start"], r["id"]))

    def record_dates(self) -> Sequence[tuple[str, int, date]]:
        """The records this fake holds (licensing cases, licences, shipments, registrations, reports and
        due-diligence cases), dated as the SQL dates them."""
        w = self._w
        found: list[tuple[str, int, date]] = []
        found += [("licensing_case", i, _utc_day(c.updated_at)) for i, c in w.cases.items()]
        for i, stored in w.licences.items():
            shipped = [s.shipped_on for owner, s in w.shipments.values() if owner == i]
            found.append(("licence", i, max([_utc_day(stored.issued_at), *shipped])))
        found += [("shipment", i, s.shipped_on) for i, (_, s) in w.shipments.items()]
        found += [
            ("eugea_registration", i, _utc_day(r["registered_at"])) for i, r in w.eugea_registrations.items()
        ]
        found += [
            ("eugea_report", i, max(r["period_end"], _utc_day(r["submitted_at"])))
            for i, r in w.eugea_reports.items()
        ]
        found += [("dd_case", i, _utc_day(c.updated_at)) for i, c in w.dd_cases.items()]
        return sorted(found, key=lambda f: (f[2], f[0], f[1]))


class FakeNotices:
    """Authority notices in memory, like ``adapters.db.notices_repo.SqlNotices``: newest first, each read
    with its organisation's name, withdrawn once."""

    def __init__(self, tx: _Transaction) -> None:
        self._tx = tx

    def add(
        self,
        *,
        member_state: str,
        organisation_id: int,
        article: NoticeArticle,
        subject: NoticeSubject,
        reason: str,
        issued_on: date,
        issued_by: str,
    ) -> int:
        notice_id = self._tx.world.next_id("authority_notices")
        self._tx.world.notices[notice_id] = AuthorityNotice(
            notice_id, member_state, organisation_id, "", article, subject, reason, issued_on, issued_by
        )
        return notice_id

    def _named(self, notice: AuthorityNotice) -> AuthorityNotice | None:
        organisation = self._tx.world.organisations.get(notice.organisation_id)
        return replace(notice, organisation_name=organisation.name) if organisation else None  # a join

    def _all(self) -> list[AuthorityNotice]:
        named = (self._named(n) for _, n in sorted(self._tx.world.notices.items(), reverse=True))
        return [n for n in named if n is not None]

    def get(self, notice_id: int) -> AuthorityNotice | None:
        return next((n for n in self._all() if n.id == notice_id), None)

    def issued_by_state(self, member_state: str) -> list[AuthorityNotice]:
        return [n for n in self._all() if n.member_state == member_state]

    def received(self, organisation_id: int, *, in_force_only: bool = False) -> list[AuthorityNotice]:
        return [
            n
            for n in self._all()
            if n.organisation_id == organisation_id
            and (not in_force_only or n.status is NoticeStatus.IN_FORCE)
        ]

    def withdraw(self, notice_id: int, *, on: date, by: str, reason: str) -> None:
        notice = self._tx.world.notices.get(notice_id)
        if notice is None or notice.status is not NoticeStatus.IN_FORCE:
            raise ConflictError("this notice has already been withdrawn")
        self._tx.world.notices[notice_id] = replace(
            notice, status=NoticeStatus.WITHDRAWN, withdrawn_on=on, withdrawn_by=by, withdrawal_reason=reason
        )


# --- reference data and control list amendments --------------------------------------------------------
class FakeReferenceData:
    """The versions of the loaded reference data, like ``adapters.db.uow.SqlReferenceData``."""

    def __init__(self, tx: _Transaction) -> None:
        self._tx = tx

    def set(self, name: str, version: str, detail: Mapping[str, object] | None) -> None:  # noqa: ARG002 - no use case reads the detail back
        self._tx.world.reference_data[name] = version

    def all(self) -> Mapping[str, str]:
        return dict(self._tx.world.reference_data)


class FakeAmendments:
    """Imported control list amendments, like ``adapters.db.uow.SqlAmendments`` (by effective date)."""

    def __init__(self, tx: _Transaction) -> None:
        self._tx = tx

    def add(self, amendment: StoredAmendment, imported_by: str) -> None:  # noqa: ARG002 - no use case reads who imported
        if any(a.version_id == amendment.version_id for a in self._tx.world.amendments):
            raise ConflictError(f"amendment {amendment.version_id} was imported already")
        self._tx.world.amendments.append(amendment)

    def all(self) -> Sequence[StoredAmendment]:
        return sorted(self._tx.world.amendments, key=lambda a: a.effective_from)

    def lock(self) -> None:
        """One transaction at a time: nothing to hold."""


class FakeHasher:
    """A password hasher without the cost (``adapters.security.Argon2PasswordHasher`` hashes for real): a
    hash is the password marked as hashed, and a short list stands for the common passwords."""

    COMMON = frozenset({"password", "123456789012", "correcthorsebatterystaple"})

    def hash(self, password: str) -> str:
        return "fake$" + password

    def verify(self, password: str, password_hash: str) -> bool:
        return password_hash == "fake$" + password

    def dummy_hash(self) -> str:
        return "fake$no one's password"

    def is_common(self, password: str) -> bool:
        return password.lower() in self.COMMON


class FakeReminders:
    """In-app reminders in memory, like ``adapters.db.reminders_repo.SqlReminders``: one per key."""

    def __init__(self, tx: _Transaction) -> None:
        self._tx = tx

    def add(self, reminder: Reminder, at: datetime) -> bool:
        kept = self._tx.world.reminders
        if any(r.reminder.key == reminder.key for r in kept.values()):
            return False
        reminder_id = self._tx.world.next_id("reminders")
        kept[reminder_id] = StoredReminder(reminder_id, reminder, at, None)
        return True

    def for_organisation(
        self, organisation_id: int, *, unread_only: bool = False
    ) -> Sequence[StoredReminder]:
        return [
            r
            for _, r in sorted(self._tx.world.reminders.items(), reverse=True)
            if r.reminder.organisation_id == organisation_id and not (unread_only and r.read_at is not None)
        ]

    def mark_read(self, reminder_id: int, organisation_id: int, at: datetime) -> bool:
        found = self._tx.world.reminders.get(reminder_id)
        if found is None or found.reminder.organisation_id != organisation_id or found.read_at is not None:
            return False
        self._tx.world.reminders[reminder_id] = replace(found, read_at=at)
        return True


class FakeClassifications:
    """Product classifications in memory, like ``adapters.db.uow.SqlClassifications``: a status change
    given the record as read is refused (``ConflictError``) once the record changed meanwhile."""

    def __init__(self, tx: _Transaction) -> None:
        self._tx = tx

    def add(
        self,
        *,
        organisation_id: int,
        product_name: str,
        description: str,
        parameters: Mapping[str, object],
        control_code: str | None,
        rationale: str,
        list_version: str,
        created_by: str,
    ) -> Classification:
        written = self._tx.now()
        classification = Classification(
            id=self._tx.world.next_id("classifications"),
            organisation_id=organisation_id,
            product_name=product_name,
            description=description,
            parameters=copy.deepcopy(dict(parameters)),
            control_code=control_code,
            rationale=rationale,
            list_version=list_version,
            status=ClassificationStatus.CURRENT,
            review_reason=None,
            created_by=created_by,
            created_at=written,
            updated_at=written,
        )
        self._tx.world.classifications[classification.id] = classification
        return classification

    def get(self, classification_id: int) -> Classification | None:
        return self._tx.world.classifications.get(classification_id)

    def for_organisation(self, organisation_id: int) -> Sequence[Classification]:
        return [
            c
            for _, c in sorted(self._tx.world.classifications.items())
            if c.organisation_id == organisation_id
        ]

    def listed(self) -> Sequence[Classification]:
        return [c for _, c in sorted(self._tx.world.classifications.items()) if c.control_code is not None]

    def set_status(
        self,
        classification_id: int,
        status: ClassificationStatus,
        reason: str | None,
        *,
        expected: Classification | None = None,
    ) -> None:
        current = self._tx.world.classifications.get(classification_id)
        unchanged = current is not None and (
            expected is None
            or (current.status, current.review_reason) == (expected.status, expected.review_reason)
        )
        if current is not None and unchanged:
            self._tx.world.classifications[classification_id] = replace(
                current, status=status, review_reason=reason, updated_at=self._tx.now()
            )
        elif expected is not None:
            raise ConflictError(
                "the record was flagged again meanwhile: review it against the list now in force"
            )


class FakeCustoms:
    """Art. 21 holds in memory, like ``adapters.db.customs_repo.SqlCustoms``: newest first, optimistically
    locked."""

    def __init__(self, tx: _Transaction) -> None:
        self._tx = tx

    def add_hold(self, build: Callable[[int], Hold]) -> Hold:
        hold = build(self._tx.world.next_id("customs_holds"))
        self._tx.world.holds[hold.id] = hold
        return hold

    def hold(self, hold_id: int) -> Hold | None:
        return self._tx.world.holds.get(hold_id)

    def holds(
        self, *, customs_state: str | None = None, authority_state: str | None = None
    ) -> Sequence[Hold]:
        return [
            h
            for _, h in sorted(self._tx.world.holds.items(), reverse=True)
            if (customs_state is None or h.customs_state == customs_state)
            and (authority_state is None or h.authority_state == authority_state)
        ]

    def save_hold(self, hold: Hold, *, expected_version: int) -> None:
        current = self._tx.world.holds.get(hold.id)
        if current is None or current.version != expected_version:
            raise ConflictError("the hold changed meanwhile: reload")
        self._tx.world.holds[hold.id] = hold


class FakeScreening:
    """Sanctions list versions, parties, screenings, hits and decisions in memory, like
    ``adapters.db.screening_repo.SqlScreening``: one open hit per party and listed entity, a hit decided
    once, false positives remembered as suppressions."""

    def __init__(self, tx: _Transaction) -> None:
        self._tx = tx

    @property
    def _w(self) -> _World:
        return self._tx.world

    # --- list versions ----------------------------------------------------------------------------
    def hold_list(self, source: str) -> None:
        """One transaction at a time: nothing to hold."""

    def latest_version_ids(self) -> dict[str, int]:
        latest: dict[str, int] = {}
        for version_id, (row, _) in sorted(self._w.list_versions.items()):
            latest[row["source"]] = version_id
        return latest

    def versions(self) -> Sequence[Mapping[str, Any]]:
        rows = [dict(row) for row, _ in self._w.list_versions.values()]
        return sorted(rows, key=lambda r: (r["source"], r["id"]))

    def version(self, version_id: int) -> Mapping[str, Any] | None:
        found = self._w.list_versions.get(version_id)
        return dict(found[0]) if found else None

    def snapshot(self, version_id: int) -> ListSnapshot:
        found = self._w.list_versions.get(version_id)
        if found is None:
            raise LookupError(version_id)
        return replace(found[1], warnings=())  # the SQL keeps the warnings on the version's row

    def add_version(
        self,
        snapshot: ListSnapshot,
        *,
        format_name: str,
        filename: str,
        counts: tuple[int, int, int],
        imported_by: str,
        delta_rows: Iterable[tuple[str, ListedEntity]],
    ) -> int:
        version_id = self._w.next_id("sanctions_list_versions")
        row = {
            "id": version_id,
            "source": snapshot.source,
            "format": format_name,
            "version": snapshot.version,
            "published": snapshot.published,
            "filename": filename,
            "entity_count": len(snapshot),
            "added": counts[0],
            "removed": counts[1],
            "changed": counts[2],
            "warnings": list(snapshot.warnings),
            "imported_by": imported_by,
            "imported_at": self._tx.now(),
        }
        self._w.list_versions[version_id] = (row, snapshot)
        for change, entity in delta_rows:
            self._w.list_deltas.append(
                {
                    "id": self._w.next_id("sanctions_deltas"),
                    "list_version_id": version_id,
                    "change": change,
                    "entity_id": entity.entity_id,
                    "name": entity.primary_name[:500],
                }
            )
        return version_id

    def delta(self, version_id: int) -> Sequence[Mapping[str, Any]]:
        return [dict(d) for d in self._w.list_deltas if d["list_version_id"] == version_id]

    # --- parties ----------------------------------------------------------------------------------
    def add_party(
        self,
        *,
        organisation_id: int,
        name: str,
        schema: EntitySchema | None,
        country: str | None,
        birth_date: str | None,
        identifiers: Sequence[str],
        role: ScreeningPartyRole,
        fingerprint: str,
    ) -> Party:
        party = Party(
            self._w.next_id("parties"),
            organisation_id,
            name,
            schema,
            country,
            birth_date,
            tuple(identifiers),
            role,
            fingerprint,
        )
        self._w.parties[party.id] = party
        return party

    def party(self, party_id: int) -> Party | None:
        return self._w.parties.get(party_id)

    def parties(self, organisation_id: int | None = None) -> Sequence[Party]:
        return [
            p
            for _, p in sorted(self._w.parties.items())
            if organisation_id is None or p.organisation_id == organisation_id
        ]

    # --- screenings and hits ----------------------------------------------------------------------
    def _log(
        self,
        organisation_id: int,
        party_id: int | None,
        query: Mapping[str, Any],
        hits: int,
        list_versions: Mapping[str, str],
        algorithm: str,
        threshold: float,
        trigger: str,
        screened_by: str,
    ) -> int:
        screening_id = self._w.next_id("screenings")
        self._w.screenings[screening_id] = {
            "id": screening_id,
            "organisation_id": organisation_id,
            "party_id": party_id,
            "query": copy.deepcopy(dict(query)),
            "list_versions": dict(list_versions),
            "algorithm": algorithm,
            "threshold": threshold,
            "hits": hits,
            "trigger": trigger,
            "screened_by": screened_by,
            "screened_at": self._tx.now(),
        }
        return screening_id

    def add_screening(
        self,
        *,
        organisation_id: int,
        party_id: int | None,
        query: Mapping[str, Any],
        list_versions: Mapping[str, str],
        algorithm: str,
        threshold: float,
        hits: int,
        trigger: str,
        screened_by: str,
    ) -> int:
        return self._log(
            organisation_id, party_id, query, hits, list_versions, algorithm, threshold, trigger, screened_by
        )

    def add_screenings(
        self,
        *,
        organisation_id: int,
        queries: Sequence[tuple[Mapping[str, Any], int]],
        list_versions: Mapping[str, str],
        algorithm: str,
        threshold: float,
        trigger: str,
        screened_by: str,
    ) -> list[int]:
        return [
            self._log(
                organisation_id, None, query, hits, list_versions, algorithm, threshold, trigger, screened_by
            )
            for query, hits in queries
        ]

    def screenings(self, organisation_id: int) -> Sequence[Mapping[str, Any]]:
        return [
            dict(s)
            for _, s in sorted(self._w.screenings.items(), reverse=True)
            if s["organisation_id"] == organisation_id
        ]

    def add_hit(
        self,
        *,
        organisation_id: int,
        screening_id: int,
        party_id: int | None,
        party_fingerprint: str,
        source: str,
        entity_id: str,
        entity_name: str,
        entity_fingerprint: str,
        score: float,
        explanation: Mapping[str, Any],
        alert: bool,
    ) -> int | None:
        if self.open_hit_exists(organisation_id, party_fingerprint, source, entity_id):
            return None
        hit = StoredHit(
            self._w.next_id("hits"),
            organisation_id,
            screening_id,
            party_id,
            party_fingerprint,
            source,
            entity_id,
            entity_name[:500],
            entity_fingerprint,
            score,
            copy.deepcopy(dict(explanation)),
            HitStatus.OPEN,
            alert,
            self._tx.now(),
        )
        self._w.hits[hit.id] = hit
        return hit.id

    def hit(self, hit_id: int) -> StoredHit | None:
        return self._w.hits.get(hit_id)

    def hits(
        self, organisation_id: int, *, status: HitStatus | None = None, alerts_only: bool = False
    ) -> Sequence[StoredHit]:
        return [
            h
            for _, h in sorted(self._w.hits.items(), reverse=True)
            if h.organisation_id == organisation_id
            and (status is None or h.status is status)
            and (not alerts_only or h.alert)
        ]

    def open_hit_exists(
        self, organisation_id: int, party_fingerprint: str, source: str, entity_id: str
    ) -> bool:
        return any(
            (h.organisation_id, h.party_fingerprint, h.source, h.entity_id, h.status)
            == (organisation_id, party_fingerprint, source, entity_id, HitStatus.OPEN)
            for h in self._w.hits.values()
        )

    def decide(self, hit: StoredHit, decision: HitStatus, reason: str, decided_by: str) -> None:  # noqa: ARG002 - the reason and reviewer are audited by the use case
        current = self._w.hits.get(hit.id)
        if current is None or current.status is not HitStatus.OPEN:
            raise ConflictError("this hit has already been decided")
        self._w.hits[hit.id] = replace(current, status=decision)
        suppression = Suppression(hit.party_fingerprint, hit.source, hit.entity_id, hit.entity_fingerprint)
        self._w.hit_decisions.append((hit.organisation_id, suppression, decision))

    def suppressions(self, organisation_id: int) -> Sequence[Suppression]:
        return [
            s
            for owner, s, decision in self._w.hit_decisions
            if owner == organisation_id and decision is HitStatus.FALSE_POSITIVE
        ]

    # --- settings ---------------------------------------------------------------------------------
    def threshold(self, organisation_id: int) -> float | None:
        return self._w.screening_thresholds.get(organisation_id)

    def set_threshold(self, organisation_id: int, threshold: float) -> None:
        self._w.screening_thresholds[organisation_id] = threshold


# --- the unit of work -----------------------------------------------------------------------------------
# --- enforcement ----------------------------------------------------------------------------------------
class FakeEnforcement:
    """Enforcement cases and compliance visits in memory, like ``adapters.db.enforcement_repo``."""

    def __init__(self, tx: _Transaction) -> None:
        self._tx = tx

    def add_case(
        self,
        *,
        member_state: str,
        violation: str,
        decision_date: date,
        decision: EnforcementDecision,
        amount_eur: Decimal | None,
        imprisonment_months: int | None,
        organisation_id: int | None,
        summary: str,
        recorded_by: str,
    ) -> int:
        world = self._tx.world
        case_id = world.next_id("enforcement_cases")
        world.enforcement_cases[case_id] = EnforcementCase(
            case_id,
            member_state,
            violation,
            decision_date,
            decision,
            amount_eur,
            imprisonment_months,
            organisation_id,
            summary,
            recorded_by,
        )
        return case_id

    def cases(self, *, member_state: str | None = None) -> Sequence[EnforcementCase]:
        found = [
            c for c in self._tx.world.enforcement_cases.values() if member_state in (None, c.member_state)
        ]
        return sorted(found, key=lambda c: (c.decision_date, c.id), reverse=True)

    def add_visit(
        self,
        *,
        organisation_id: int,
        member_state: str,
        visit_date: date,
        findings: Sequence[Finding],
        recorded_by: str,
    ) -> int:
        world = self._tx.world
        visit_id = world.next_id("compliance_visits")
        world.compliance_visits[visit_id] = ComplianceVisit(
            visit_id, organisation_id, member_state, visit_date, tuple(findings), recorded_by
        )
        return visit_id

    def visits(
        self, *, organisation_id: int | None = None, member_state: str | None = None
    ) -> Sequence[ComplianceVisit]:
        found = [
            v
            for v in self._tx.world.compliance_visits.values()
            if organisation_id in (None, v.organisation_id) and member_state in (None, v.member_state)
        ]
        return sorted(found, key=lambda v: (v.visit_date, v.id), reverse=True)


# --- saved determinations, list changes, the exchange ---------------------------------------------------
class FakeSavedDeterminations:
    """Saved determinations in memory, like ``adapters.db.determinations_repo.SqlSavedDeterminations``."""

    def __init__(self, tx: _Transaction) -> None:
        self._tx = tx

    def add(
        self, *, organisation_id: int, saved_by: str, case: Mapping[str, Any], answer: Mapping[str, Any]
    ) -> SavedDetermination:
        world = self._tx.world
        saved = SavedDetermination(
            world.next_id("saved_determinations"),
            organisation_id,
            saved_by,
            self._tx.now(),
            copy.deepcopy(dict(case)),
            copy.deepcopy(dict(answer)),
        )
        world.saved_determinations[saved.id] = saved
        return saved

    def get(self, saved_id: int) -> SavedDetermination | None:
        return self._tx.world.saved_determinations.get(saved_id)

    def of_organisation(self, organisation_id: int, *, limit: int = 200) -> Sequence[SavedDetermination]:
        found = [
            s for s in self._tx.world.saved_determinations.values() if s.organisation_id == organisation_id
        ]
        return sorted(found, key=lambda s: (s.saved_at, s.id), reverse=True)[:limit]  # newest first


class FakeListChanges:
    """List changes, their comments and notices in memory, optimistically locked like
    ``adapters.db.listchange_repo.SqlListChanges``."""

    def __init__(self, tx: _Transaction) -> None:
        self._tx = tx

    @property
    def _w(self) -> _World:
        return self._tx.world

    def add(self, change: ListChange) -> ListChange:
        added = replace(change, id=self._w.next_id("list_changes"))
        at = self._tx.now()
        self._w.list_changes[added.id] = StoredListChange(added, None, [], at, at)
        return added

    def get(self, change_id: int) -> StoredListChange | None:
        return self._w.list_changes.get(change_id)

    def list(self, *, statuses: Sequence[ListChangeStatus] | None = None) -> Sequence[StoredListChange]:
        return [
            stored
            for _, stored in sorted(self._w.list_changes.items(), reverse=True)  # ORDER BY id DESC
            if statuses is None or stored.change.status in statuses
        ]

    def save(
        self,
        change: ListChange,
        *,
        expected_version: int,
        impact: Mapping[str, Any] | None = None,
        notified: Sequence[Mapping[str, Any]] | None = None,
    ) -> None:
        current = self._w.list_changes.get(change.id)
        if current is None or current.change.version != expected_version:
            raise ConflictError("the list change was changed meanwhile: reload it and try again")
        self._w.list_changes[change.id] = replace(
            current,
            change=change,
            impact=copy.deepcopy(dict(impact)) if impact is not None else current.impact,
            notified=[dict(n) for n in notified] if notified is not None else current.notified,
            updated_at=self._tx.now(),
        )

    def add_comment(
        self,
        *,
        change_id: int,
        author_name: str,
        organisation_name: str,
        organisation_type: OrganisationType,
        text: str,
    ) -> int:
        comment_id = self._w.next_id("list_change_comments")
        self._w.list_change_comments[comment_id] = Comment(
            id=comment_id,
            change_id=change_id,
            author_name=author_name,
            organisation_name=organisation_name,
            organisation_type=organisation_type,
            text=text,
            status=ModerationStatus.PENDING,
            rejection_reason=None,
            moderated_by=None,
        )
        return comment_id

    def comment(self, comment_id: int) -> Comment | None:
        return self._w.list_change_comments.get(comment_id)

    def comments(self, change_id: int, *, status: ModerationStatus | None = None) -> Sequence[Comment]:
        return [
            c
            for _, c in sorted(self._w.list_change_comments.items())
            if c.change_id == change_id and (status is None or c.status is status)
        ]

    def save_comment(self, comment: Comment) -> None:
        current = self._w.list_change_comments.get(comment.id)
        if current is None or current.status is not ModerationStatus.PENDING:
            raise ConflictError("this comment has already been moderated")
        # the SQL writes the moderation only: the comment's text and author stay as stored
        self._w.list_change_comments[comment.id] = replace(
            current,
            status=comment.status,
            rejection_reason=comment.rejection_reason,
            moderated_by=comment.moderated_by,
        )

    def add_notice(
        self, *, change_id: int, organisation_id: int, audience: str, subject: str, body: str
    ) -> int:
        notice_id = self._w.next_id("list_change_notices")
        self._w.list_change_notices[notice_id] = ListChangeNotice(
            notice_id, change_id, organisation_id, audience, subject[:300], body, self._tx.now(), None
        )
        return notice_id

    def notices(self, organisation_id: int) -> Sequence[ListChangeNotice]:
        return [
            n
            for _, n in sorted(self._w.list_change_notices.items(), reverse=True)
            if n.organisation_id == organisation_id
        ]

    def mark_read(self, organisation_id: int, notice_id: int) -> bool:
        notice = self._w.list_change_notices.get(notice_id)
        if notice is None or notice.organisation_id != organisation_id or notice.read_at is not None:
            return False
        self._w.list_change_notices[notice_id] = replace(notice, read_at=self._tx.now())
        return True


class FakeExchange:
    """The exchange's keys, peers, outbox and inbox in memory, like ``adapters.db.exchange_repo.SqlExchange``
    (one transaction at a time, so ``take_due`` has no lock to skip)."""

    def __init__(self, tx: _Transaction) -> None:
        self._tx = tx

    @property
    def _w(self) -> _World:
        return self._tx.world

    # --- keys and peers
    def own_keys(self) -> Sequence[OwnKey]:
        return sorted(self._w.own_keys.values(), key=lambda k: k.valid_from)

    def add_own_key(self, key: OwnKey) -> None:
        if key.key_id in self._w.own_keys:
            raise ConflictError(f"the key {key.key_id} exists already")
        self._w.own_keys[key.key_id] = key

    def retire_own_key(self, key_id: str, at: datetime) -> None:
        key = self._w.own_keys.get(key_id)
        if key is not None and key.retired_at is None:
            self._w.own_keys[key_id] = replace(key, retired_at=at)

    def peers(self) -> Sequence[Peer]:
        keys = sorted(self._w.peer_keys.items(), key=lambda pair: pair[1].valid_from)
        return [
            Peer(state, base_url, tuple(k for (owner, _), k in keys if owner == state))
            for state, base_url in sorted(self._w.peers.items())
        ]

    def peer(self, state: str) -> Peer | None:
        return next((p for p in self.peers() if p.state == state), None)

    def save_peer(self, state: str, base_url: str, at: datetime) -> None:  # noqa: ARG002 - no use case reads when
        self._w.peers[state] = base_url

    def save_peer_key(self, state: str, key: PublicKey) -> None:
        self._w.peer_keys[(state, key.key_id)] = PublicKey(
            key.key_id, frozenset({state}), key.public_key, key.valid_from, key.retired_at
        )

    def keys_with_id(self, key_id: str) -> Sequence[PublicKey]:
        return [k for (_, kid), k in self._w.peer_keys.items() if kid == key_id]

    # --- outbox
    def add_outbox(
        self,
        document_id: str,
        kind: str,
        recipients: Sequence[str],
        document: Mapping[str, Any],
        at: datetime,
    ) -> int:
        item_id = self._w.next_id("exchange_outbox")
        self._w.outbox[item_id] = OutboxItem(
            id=item_id,
            document_id=document_id,
            kind=kind,
            recipients=tuple(recipients),
            document=copy.deepcopy(dict(document)),
            attempts=0,
            next_attempt_at=at,
            last_error=None,
            delivered_at=None,
            created_at=at,
        )
        return item_id

    def due_outbox(self, at: datetime, limit: int) -> Sequence[OutboxItem]:
        due = [i for i in self._w.outbox.values() if i.delivered_at is None and i.next_attempt_at <= at]
        return sorted(due, key=lambda i: (i.next_attempt_at, i.id))[:limit]

    def take_due(self, item_id: int, at: datetime) -> OutboxItem | None:
        item = self._w.outbox.get(item_id)
        if item is None or item.delivered_at is not None or item.next_attempt_at > at:
            return None
        return item

    def outbox(self, limit: int = 100) -> Sequence[OutboxItem]:
        return [item for _, item in sorted(self._w.outbox.items(), reverse=True)][:limit]

    def sent_references(self, kind: str) -> set[str]:
        return {
            str(i.document.get("payload", {}).get("reference", ""))
            for i in self._w.outbox.values()
            if i.kind == kind
        }

    def delivered(self, item_id: int, at: datetime, note: str | None = None) -> None:
        item = self._w.outbox.get(item_id)
        if item is not None:
            self._w.outbox[item_id] = replace(item, delivered_at=at, last_error=note)

    def failed(self, item_id: int, error: str, next_attempt_at: datetime) -> None:
        item = self._w.outbox.get(item_id)
        if item is not None:
            self._w.outbox[item_id] = replace(
                item, attempts=item.attempts + 1, last_error=error, next_attempt_at=next_attempt_at
            )

    # --- inbox
    def seen(self, document_id: str) -> bool:
        return document_id in self._w.inbox

    def add_received(self, document: ReceivedDocument) -> None:
        if document.document_id in self._w.inbox:
            raise ReplayedDocumentError(
                f"the document {document.document_id} was received before", field="id"
            )
        self._w.inbox[document.document_id] = replace(
            document,
            payload=copy.deepcopy(dict(document.payload)),
            document=copy.deepcopy(dict(document.document)),
        )

    def received(self, kind: str | None = None, limit: int = 200) -> Sequence[ReceivedDocument]:
        found = [d for d in self._w.inbox.values() if kind is None or d.kind == kind]
        # ORDER BY received_at DESC, document_id
        found.sort(key=lambda d: d.document_id)
        found.sort(key=lambda d: d.received_at, reverse=True)
        return found[:limit]

    def count_received(self) -> int:
        return len(self._w.inbox)


class FakeUnitOfWork:
    """A unit of work in memory: ``commit()`` chains the audit events and keeps the transaction's state;
    ``rollback()``, or leaving the ``with`` block, discards everything since the last commit.

    One transaction at a time (no concurrency). Every repository is faked. Times come from ``clock``
    (the machine's unless given): a test moves it on instead of back-dating what was stored.
    """

    organisations: OrganisationRepository
    users: UserRepository
    tokens: TokenRepository
    sessions: SessionRepository
    throttle: ThrottleRepository
    audit: AuditRepository
    reference_data: ReferenceDataRepository
    amendments: AmendmentRepository
    classifications: ClassificationRepository
    screening: ScreeningRepository
    duediligence: DueDiligenceRepository
    licensing: LicensingRepository
    general_authorisations: GeneralAuthorisationRepository
    notices: NoticeRepository
    casework: CaseworkRepository
    customs: CustomsRepository
    saved_determinations: SavedDeterminationRepository
    exchange: ExchangeRepository
    list_changes: ListChangeRepository
    denials: DenialRepository
    enforcement: EnforcementRepository
    documents: DocumentRepository
    jobs: JobRepository
    transparency: TransparencyRepository  # not faked: the report's use cases run on SQL
    reminders: ReminderRepository
    clock: Clock

    def __init__(self, clock: Clock = SYSTEM_CLOCK) -> None:
        self.clock = clock
        self._committed = _World()
        self._tx = _Transaction(copy.deepcopy(self._committed), clock)
        self._audit = FakeAudit(self._tx)
        self.audit = self._audit
        self.licensing = FakeLicensing(self._tx)
        self.casework = FakeCasework(self._tx)
        self.denials = FakeDenials(self._tx)
        self.duediligence = FakeDueDiligence(self._tx)
        self.organisations = FakeOrganisations(self._tx)
        self.documents = FakeDocuments(self._tx)
        self.jobs = FakeJobs(self._tx)
        self.enforcement = FakeEnforcement(self._tx)
        self.users = FakeUsers(self._tx)
        self.tokens = FakeTokens(self._tx)
        self.sessions = FakeSessions(self._tx)
        self.throttle = FakeThrottle(self._tx)
        self.general_authorisations = FakeGeneralAuthorisations(self._tx)
        self.notices = FakeNotices(self._tx)
        self.reference_data = FakeReferenceData(self._tx)
        self.amendments = FakeAmendments(self._tx)
        self.reminders = FakeReminders(self._tx)
        self.classifications = FakeClassifications(self._tx)
        self.customs = FakeCustoms(self._tx)
        self.screening = FakeScreening(self._tx)
        self.saved_determinations = FakeSavedDeterminations(self._tx)
        self.list_changes = FakeListChanges(self._tx)
        self.exchange = FakeExchange(self._tx)
        self.commits = 0

    def _begin(self) -> None:
        self._audit.discard()
        self._tx.world = copy.deepcopy(self._committed)

    def __enter__(self) -> Self:
        self._begin()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._begin()  # whatever was not committed goes, as when the SQL connection closes

    def commit(self) -> None:
        self._audit.flush()
        self._committed = copy.deepcopy(self._tx.world)
        self.commits += 1

    def rollback(self) -> None:
        self._begin()


# --- handbook editions (services/handbook/ports.py) -----------------------------------------------------
class FakeEditionStore:
    """The handbook's editions in memory, each with a copy of its snapshot."""

    def __init__(self) -> None:
        from dualuse.services.handbook import RecordedEdition

        self._recorded: dict[int, RecordedEdition] = {}
        self._make = RecordedEdition

    def get(self, number: int) -> Any:
        return self._recorded.get(number)

    def latest(self) -> Any:
        return self._recorded[max(self._recorded)] if self._recorded else None

    def record(self, edition: Any, snapshot: Mapping[str, Any]) -> None:
        self._recorded[edition.number] = self._make(edition, copy.deepcopy(dict(snapshot)))
