"""Ports the use cases need: a unit of work and its repositories (implemented in ``adapters.db``)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol, Self

from dualuse.domain.audit import Anchor, AuditEntry, AuditEvent
from dualuse.domain.classification import Classification, ClassificationStatus
from dualuse.domain.duediligence import Conclusion, ConsultationOutcome, View
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
from dualuse.domain.identity import (
    ApiToken,
    Organisation,
    OrganisationKind,
    Role,
    TokenScope,
    User,
    UserSession,
)
from dualuse.domain.licensing import ApplicationStatus, Assessment, Case, Licence, Shipment
from dualuse.domain.notices.model import AuthorityNotice, NoticeArticle, NoticeSubject
from dualuse.domain.screening.model import EntitySchema, ListedEntity, ListSnapshot
from dualuse.domain.screening.review import HitStatus, Party, PartyRole, StoredHit, Suppression
from dualuse.domain.throttling import Count
from dualuse.domain.transparency import UseLine
from dualuse.services.casework.ports import CaseworkRepository
from dualuse.services.clock import Clock
from dualuse.services.customs.ports import CustomsRepository
from dualuse.services.denials.ports import DenialRepository
from dualuse.services.documents.ports import DocumentRepository
from dualuse.services.enforcement.ports import EnforcementRepository
from dualuse.services.exchange.ports import ExchangeRepository
from dualuse.services.jobs.ports import JobRepository, ReminderRepository
from dualuse.services.listchange.ports import ListChangeRepository
from dualuse.services.transparency.ports import TransparencyRepository

if TYPE_CHECKING:  # the determination package's modules import this one
    from dualuse.services.determination.ports import SavedDeterminationRepository


class OrganisationRepository(Protocol):
    def add(
        self, kind: OrganisationKind, name: str, member_state: str | None, eori: str | None
    ) -> Organisation: ...
    def get(self, organisation_id: int) -> Organisation | None: ...
    def find(self, kind: OrganisationKind, name: str) -> Organisation | None: ...
    def authority_for(self, member_state: str) -> Organisation | None: ...
    def list(self) -> Sequence[Organisation]: ...


class UserRepository(Protocol):
    def add(
        self, email: str, full_name: str, password_hash: str, role: Role, organisation_id: int
    ) -> User: ...
    def get(self, user_id: int) -> User | None: ...
    def by_email(self, email: str) -> User | None: ...
    def in_organisation(self, organisation_id: int) -> Sequence[User]: ...
    def set_password_hash(self, user_id: int, password_hash: str) -> None: ...
    def set_active(self, user_id: int, active: bool) -> None: ...
    def set_role(self, user_id: int, role: Role) -> None: ...


class TokenRepository(Protocol):
    def add(
        self,
        user_id: int,
        name: str,
        token_hash: str,
        prefix: str,
        expires_at: datetime | None,
        scope: TokenScope = TokenScope.WRITE,
    ) -> int: ...
    def holder(self, token_hash: str) -> tuple[User, Organisation, ApiToken] | None:
        """The token with this hash (valid or not), its user and the user's organisation."""
        ...

    def get(self, token_id: int) -> ApiToken | None: ...
    def listing(self, user_id: int | None = None) -> Sequence[ApiToken]:
        """A user's tokens (every user's when ``user_id`` is None), newest first."""
        ...

    def revoke(self, token_id: int, at: datetime) -> None: ...


class SessionRepository(Protocol):
    """Signed-in browsers, kept server-side (``adapters.db.identity_repo``)."""

    def add(
        self,
        *,
        user_id: int,
        session_hash: str,
        role: Role,
        now: datetime,
        expires_at: datetime,
        client: str | None,
    ) -> int: ...
    def find(self, session_hash: str) -> UserSession | None: ...
    def touch(self, session_id: int, now: datetime) -> None: ...
    def delete(self, session_id: int) -> None: ...
    def delete_for_user(self, user_id: int, *, keep: int | None = None) -> int:
        """End every session of the user (but ``keep``); how many were ended."""
        ...

    def for_user(self, user_id: int) -> Sequence[UserSession]: ...
    def purge(self, now: datetime, idle: timedelta) -> None:
        """Forget sessions past their lifetime or unused for ``idle``."""
        ...


class ThrottleRepository(Protocol):
    """Attempt counters shared by every process (``adapters.db.identity_repo``)."""

    def hit(self, key: str, now: datetime, window: timedelta) -> Count:
        """Count one attempt atomically; a window that ended starts afresh."""
        ...

    def release(self, key: str, now: datetime) -> None:
        """Take back one attempt (it succeeded, so it does not count against the limit)."""
        ...

    def purge(self, now: datetime) -> None:
        """Forget counters whose window ended."""
        ...


@dataclass(frozen=True)
class AuditQuery:
    """Which events to read, newest first: each given field narrows the selection."""

    limit: int = 50
    since: datetime | None = None
    actor: str | None = None
    action: str | None = None
    organisation_id: int | None = None
    member_state: str | None = None
    before_sequence: int | None = None


class AuditRepository(Protocol):
    """The hash-chained trail. ``append`` adds an event to the transaction; it is chained onto the last
    event and written when the unit of work commits (``flush``), one transaction at a time, and the new head
    is anchored when the unit of work holds the anchor key."""

    def append(self, entry: AuditEntry) -> None: ...
    def flush(self) -> None: ...
    def head(self) -> AuditEvent | None: ...
    def all(self) -> Sequence[AuditEvent]: ...
    def for_entity(self, entity_type: str, entity_id: str) -> Sequence[AuditEvent]: ...
    def find(self, query: AuditQuery) -> Sequence[AuditEvent]: ...
    def add_anchor(self, anchor: Anchor) -> None: ...
    def anchors(self) -> Sequence[Anchor]:
        """Every anchor, oldest head first."""
        ...


class ReferenceDataRepository(Protocol):
    def set(self, name: str, version: str, detail: Mapping[str, object] | None) -> None: ...
    def all(self) -> Mapping[str, str]: ...


class UnitOfWork(Protocol):
    """A decision is fully recorded or not at all: leaving the block without ``commit()`` rolls back."""

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
    documents: DocumentRepository
    jobs: JobRepository
    reminders: ReminderRepository
    casework: CaseworkRepository
    customs: CustomsRepository
    saved_determinations: SavedDeterminationRepository
    exchange: ExchangeRepository
    list_changes: ListChangeRepository
    denials: DenialRepository
    enforcement: EnforcementRepository
    transparency: TransparencyRepository
    clock: Clock  # where the use cases read the time (``services.clock``)

    def __enter__(self) -> Self: ...
    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...


class PasswordHasher(Protocol):
    def hash(self, password: str) -> str: ...
    def verify(self, password: str, password_hash: str) -> bool: ...
    def dummy_hash(self) -> str:
        """A hash of no one's password at the cost of a real one: verified against when there is no
        account, so that an unknown e-mail takes as long to refuse as a wrong password."""
        ...

    def is_common(self, password: str) -> bool:
        """Whether the password (lowercased) is on the shipped list of common and breached passwords."""
        ...


@dataclass(frozen=True)
class StoredAmendment:
    """A control list amendment imported at run time (its YAML text, as imported)."""

    version_id: str
    effective_from: date
    title: str
    legal_source: str
    filename: str
    content: str


class AmendmentRepository(Protocol):
    def add(self, amendment: StoredAmendment, imported_by: str) -> None: ...
    def all(self) -> Sequence[StoredAmendment]: ...
    def lock(self) -> None:
        """Hold the amendments to the end of the transaction: one import at a time, each validated
        against the list as the one before it left it (readers are not held up)."""


class ClassificationRepository(Protocol):
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
    ) -> Classification: ...
    def get(self, classification_id: int) -> Classification | None: ...
    def for_organisation(self, organisation_id: int) -> Sequence[Classification]: ...
    def listed(self) -> Sequence[Classification]: ...
    def set_status(
        self,
        classification_id: int,
        status: ClassificationStatus,
        reason: str | None,
        *,
        expected: Classification | None = None,
    ) -> None:
        """With ``expected``, only while the record's status and review reason are still the ones read
        (``ConflictError`` otherwise): a confirmation never clears a flag raised meanwhile."""


class ScreeningRepository(Protocol):
    """Sanctions list versions, parties, screenings, hits and decisions (``adapters.db.screening_repo``)."""

    def hold_list(self, source: str) -> None:
        """Serialise imports of one list to the end of the transaction."""
        ...

    def latest_version_ids(self) -> dict[str, int]: ...
    def versions(self) -> Sequence[Mapping[str, Any]]: ...
    def version(self, version_id: int) -> Mapping[str, Any] | None: ...
    def snapshot(self, version_id: int) -> ListSnapshot: ...
    def add_version(
        self,
        snapshot: ListSnapshot,
        *,
        format_name: str,
        filename: str,
        counts: tuple[int, int, int],
        imported_by: str,
        delta_rows: Iterable[tuple[str, ListedEntity]],
    ) -> int: ...
    def delta(self, version_id: int) -> Sequence[Mapping[str, Any]]: ...
    def add_party(
        self,
        *,
        organisation_id: int,
        name: str,
        schema: EntitySchema | None,
        country: str | None,
        birth_date: str | None,
        identifiers: Sequence[str],
        role: PartyRole,
        fingerprint: str,
    ) -> Party: ...
    def party(self, party_id: int) -> Party | None: ...
    def parties(self, organisation_id: int | None = None) -> Sequence[Party]: ...
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
    ) -> int: ...
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
        """Log many screenings at once, each (query, hit count); their ids in order."""
        ...

    def screenings(self, organisation_id: int) -> Sequence[Mapping[str, Any]]: ...
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
        """The new open hit's id; None when the party already has an open hit on that listed entity
        (raised meanwhile by a concurrent screening)."""

    def hit(self, hit_id: int) -> StoredHit | None: ...
    def hits(
        self, organisation_id: int, *, status: HitStatus | None = None, alerts_only: bool = False
    ) -> Sequence[StoredHit]: ...
    def open_hit_exists(
        self, organisation_id: int, party_fingerprint: str, source: str, entity_id: str
    ) -> bool: ...
    def decide(self, hit: StoredHit, decision: HitStatus, reason: str, decided_by: str) -> None:
        """Record the decision on a hit still open; ``ConflictError`` when it was decided meanwhile."""

    def suppressions(self, organisation_id: int) -> Sequence[Suppression]: ...
    def threshold(self, organisation_id: int) -> float | None: ...
    def set_threshold(self, organisation_id: int, threshold: float) -> None: ...


Row = Mapping[str, Any]


class DueDiligenceRepository(Protocol):
    """Cases, notifications, the Art. 5(4) exchange, risk profiles, submissions, ICPs (``adapters.db``)."""

    def add_case(
        self,
        *,
        organisation_id: int,
        title: str,
        transaction: Mapping[str, Any],
        red_flag_version: str,
        by: str,
    ) -> int: ...
    def case(self, case_id: int) -> DdCase | None: ...
    def cases(self, organisation_id: int) -> Sequence[DdCase]: ...
    def lock_case(self, case_id: int) -> None:
        """Hold the case to the end of the transaction (one writer at a time on its steps, conclusion and
        notification); reads after it see what the previous holder committed."""

    def set_case(self, case_id: int, *, status: CaseStatus, conclusion: Conclusion | None) -> None: ...
    def add_entry(
        self,
        *,
        case_id: int,
        step: str,
        answers: Mapping[str, Any],
        note: str,
        evidence: Sequence[Any],
        by: str,
    ) -> int: ...
    def entries(self, case_id: int) -> Sequence[CaseEntry]: ...
    def add_notification(
        self,
        *,
        case_id: int,
        organisation_id: int,
        member_state: str,
        transaction: Mapping[str, Any],
        summary: Mapping[str, Any],
        deadline: date,
    ) -> int: ...
    def notification(self, notification_id: int) -> Notification | None: ...
    def notifications(
        self, *, member_state: str | None = None, organisation_id: int | None = None
    ) -> Sequence[Notification]: ...
    def decide_notification(
        self, notification_id: int, *, status: NotificationStatus, reason: str, by: str
    ) -> None: ...
    def add_requirement(
        self,
        *,
        notification_id: int,
        imposing_state: str,
        destination: str,
        end_user: str,
        item: str,
        notified_on: date,
    ) -> int: ...
    def requirement(self, requirement_id: int) -> Requirement | None: ...
    def requirements(self, *, status: ConsultationOutcome | None = None) -> Sequence[Requirement]: ...
    def lock_requirement(self, requirement_id: int) -> None:
        """Hold the requirement to the end of the transaction (views recorded one at a time)."""

    def set_requirement(
        self, requirement_id: int, *, status: ConsultationOutcome, published_on: date | None
    ) -> None: ...
    def add_view(self, *, requirement_id: int, member_state: str, deadline: date) -> int: ...
    def views(self, requirement_id: int) -> Sequence[StateView]: ...
    def record_view(self, view_id: int, *, view: View, reason: str, by: str) -> None: ...
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
    ) -> int: ...
    def profiles(self) -> Sequence[StoredProfile]: ...
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
    ) -> int: ...
    def submission(self, submission_id: int) -> Submission | None: ...
    def submissions(self, *, status: SubmissionStatus | None = None) -> Sequence[Submission]: ...
    def moderate(self, submission_id: int, *, status: SubmissionStatus, note: str, by: str) -> None: ...
    def add_icp(self, *, organisation_id: int, answers: Mapping[str, str], by: str) -> int: ...
    def latest_icp(self, organisation_id: int) -> IcpRecord | None: ...


@dataclass(frozen=True)
class StoredCase:
    """A licensing case as stored: the domain case, who owns it, which authority handles it (Art. 12(2)),
    the officer's assessment in progress and when it was submitted."""

    id: int
    organisation_id: int
    member_state: str
    case: Case
    assessment: Assessment | None
    submitted_at: datetime | None
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class CaseQuery:
    """Which of a member state's cases the authority's queue shows, oldest submission first: cases in one of
    ``statuses``; to ``destination`` when given; with an item among ``with_codes`` (or none among
    ``without_codes``) when given; submitted before ``submitted_before`` when given."""

    member_state: str
    statuses: Sequence[ApplicationStatus]
    destination: str | None = None
    with_codes: Collection[str] | None = None
    without_codes: Collection[str] | None = None
    submitted_before: datetime | None = None
    limit: int = 50
    offset: int = 0


@dataclass(frozen=True)
class QueueEntry:
    """A line of the authority's queue: what an officer sorts and picks cases by, read from the stored
    case without building the whole domain case (the case page does that)."""

    id: int
    organisation_id: int
    member_state: str
    status: ApplicationStatus
    version: int
    application_type: str
    control_codes: tuple[str, ...]
    destinations: tuple[str, ...]
    end_user: tuple[str, str] | None  # name, country
    value_eur: Decimal
    amended: bool
    submitted_at: datetime | None
    updated_at: datetime


@dataclass(frozen=True)
class CasePage:
    """One page of the queue, and how many cases matched in all."""

    cases: Sequence[QueueEntry]
    total: int


@dataclass(frozen=True)
class StoredLicence:
    id: int
    case_id: int
    member_state: str
    licence: Licence
    check_code: str
    issued_at: datetime


class LicensingRepository(Protocol):
    """Cases, messages, licences and shipments (``adapters.db.licensing_repo``)."""

    def add_case(
        self, *, organisation_id: int, member_state: str, build: Callable[[int], Case]
    ) -> StoredCase: ...
    def case(self, case_id: int) -> StoredCase | None: ...
    def cases(
        self,
        *,
        organisation_id: int | None = None,
        member_state: str | None = None,
        statuses: Sequence[ApplicationStatus] | None = None,
    ) -> Sequence[StoredCase]: ...
    def save_case(self, stored: StoredCase, *, expected_version: int) -> None:
        """Raises ``ConflictError`` when the stored version is no longer ``expected_version``."""
        ...

    def hold_case(self, case_id: int) -> None:
        """Hold the case to the end of the transaction; reads after it see what the previous holder
        committed (a move that depends on the case's status without changing what was read)."""

    def queue(self, query: CaseQuery) -> CasePage: ...
    def control_codes(self, member_state: str) -> Collection[str]:
        """The control codes of the items of the state's cases (what a code filter can choose from)."""
        ...

    def add_message(self, *, case_id: int, author: str, author_role: str, body: str) -> int: ...
    def messages(self, case_id: int) -> Sequence[Row]: ...
    def add_licence(self, *, case_id: int, member_state: str, licence: Licence, check_code: str) -> int: ...
    def licence(self, number: str) -> StoredLicence | None: ...
    def licence_for_case(self, case_id: int) -> StoredLicence | None: ...
    def licences_for_cases(self, case_ids: Collection[int]) -> Mapping[int, StoredLicence]: ...
    def licences(
        self, *, member_state: str | None = None, organisation_id: int | None = None
    ) -> Sequence[StoredLicence]: ...
    def issued_numbers(self, member_state: str) -> Sequence[str]: ...
    def next_licence_sequence(self, member_state: str, year: int) -> int:
        """Take the next sequence number of the state's licences of ``year`` (1, 2, ... without gaps);
        concurrent transactions get distinct numbers, one after the other."""

    def save_licence(self, stored: StoredLicence, *, expected_version: int) -> None: ...
    def hold_licence(self, licence_id: int) -> None:
        """Lock the licence until the transaction ends: whoever else holds it waits."""
        ...

    def add_shipment(self, *, licence_id: int, shipment: Shipment) -> int: ...
    def shipments(self, licence_id: int) -> Sequence[Shipment]: ...


class NoticeRepository(Protocol):
    """Authority notices that an authorisation is required (``adapters.db.notices_repo``)."""

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
    ) -> int: ...
    def get(self, notice_id: int) -> AuthorityNotice | None: ...
    def issued_by_state(self, member_state: str) -> list[AuthorityNotice]: ...
    def received(self, organisation_id: int, *, in_force_only: bool = False) -> list[AuthorityNotice]: ...
    def withdraw(self, notice_id: int, *, on: date, by: str, reason: str) -> None:
        """``ConflictError`` if the notice is no longer in force."""
        ...


class GeneralAuthorisationRepository(Protocol):
    """Union general export authorisation registrations and reports of use, and the dates of the records
    exporters keep (``adapters.db.general_authorisations_repo``)."""

    def add_registration(
        self, *, organisation_id: int, eugea_id: str, member_state: str, by: str, at: datetime | None = None
    ) -> int:
        """Registered ``at`` (now when None). Raises ``ConflictError`` when the organisation already
        registered for ``eugea_id``."""
        ...

    def registration(self, organisation_id: int, eugea_id: str) -> Row | None: ...
    def lock_registration(self, registration_id: int) -> None:
        """Hold the registration to the end of the transaction (its reports recorded one at a time)."""

    def registrations(
        self, *, organisation_id: int | None = None, member_state: str | None = None
    ) -> Sequence[Row]: ...
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
    ) -> int: ...
    def overlapping_reports(
        self, organisation_id: int, eugea_id: str, period_start: date, period_end: date
    ) -> Sequence[Row]: ...
    def reports(
        self, *, organisation_id: int | None = None, member_state: str | None = None
    ) -> Sequence[Row]: ...
    def record_dates(self) -> Sequence[tuple[str, int, date]]: ...
