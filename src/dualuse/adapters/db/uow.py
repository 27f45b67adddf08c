"""The SQL unit of work: one connection, one transaction, rolled back unless committed."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from types import TracebackType
from typing import Any, Self

from sqlalchemy import Connection, Engine, RowMapping, select, text
from sqlalchemy.exc import IntegrityError

from dualuse.adapters.db import tables as t
from dualuse.adapters.db.casework_repo import SqlCasework
from dualuse.adapters.db.customs_repo import SqlCustoms
from dualuse.adapters.db.denials_repo import SqlDenials
from dualuse.adapters.db.determinations_repo import SqlSavedDeterminations
from dualuse.adapters.db.documents_repo import SqlDocuments
from dualuse.adapters.db.duediligence_repo import SqlDueDiligence
from dualuse.adapters.db.enforcement_repo import SqlEnforcement
from dualuse.adapters.db.exchange_repo import SqlExchange
from dualuse.adapters.db.general_authorisations_repo import SqlGeneralAuthorisations
from dualuse.adapters.db.identity_repo import SqlSessions, SqlThrottle
from dualuse.adapters.db.jobs_repo import SqlJobs
from dualuse.adapters.db.licensing_repo import SqlLicensing
from dualuse.adapters.db.listchange_repo import SqlListChanges
from dualuse.adapters.db.notices_repo import SqlNotices
from dualuse.adapters.db.reminders_repo import SqlReminders
from dualuse.adapters.db.rows import aware, new_id, now
from dualuse.adapters.db.screening_repo import SqlScreening
from dualuse.adapters.db.transparency_repo import SqlTransparency
from dualuse.domain.audit import Anchor, AuditEntry, AuditEvent, anchor_head, chain
from dualuse.domain.classification import Classification, ClassificationStatus
from dualuse.domain.errors import ConflictError
from dualuse.domain.identity import ApiToken, Organisation, OrganisationKind, Role, TokenScope, User
from dualuse.services.casework.ports import CaseworkRepository
from dualuse.services.clock import SYSTEM_CLOCK, Clock
from dualuse.services.customs.ports import CustomsRepository
from dualuse.services.denials.ports import DenialRepository
from dualuse.services.determination.ports import SavedDeterminationRepository
from dualuse.services.documents.ports import DocumentRepository
from dualuse.services.enforcement.ports import EnforcementRepository
from dualuse.services.exchange.ports import ExchangeRepository
from dualuse.services.jobs.ports import JobRepository, ReminderRepository
from dualuse.services.listchange.ports import ListChangeRepository
from dualuse.services.transparency.ports import TransparencyRepository
from dualuse.services.unit_of_work import (
    AmendmentRepository,
    AuditQuery,
    AuditRepository,
    ClassificationRepository,
    DueDiligenceRepository,
    GeneralAuthorisationRepository,
    LicensingRepository,
    NoticeRepository,
    OrganisationRepository,
    ReferenceDataRepository,
    ScreeningRepository,
    SessionRepository,
    StoredAmendment,
    ThrottleRepository,
    TokenRepository,
    UserRepository,
)


def _organisation(row: Mapping[Any, Any]) -> Organisation:
    return Organisation(
        id=row["id"],
        kind=OrganisationKind(row["kind"]),
        name=row["name"],
        member_state=row["member_state"],
        eori=row["eori"],
    )


def _user(row: Mapping[Any, Any]) -> User:
    return User(
        id=row["id"],
        email=row["email"],
        full_name=row["full_name"],
        role=Role(row["role"]),
        organisation_id=row["organisation_id"],
        is_active=bool(row["is_active"]),
        password_hash=row["password_hash"],
    )


class SqlOrganisations:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def add(
        self, kind: OrganisationKind, name: str, member_state: str | None, eori: str | None
    ) -> Organisation:
        """Raises ``ConflictError`` when a concurrent creation took the state's authority or the EORI
        first (unique columns)."""
        try:
            result = self._c.execute(
                t.organisations.insert().values(
                    kind=kind.value,
                    name=name,
                    member_state=member_state,
                    eori=eori,
                    authority_state=member_state if kind is OrganisationKind.AUTHORITY else None,
                    created_at=now(),
                )
            )
        except IntegrityError as error:  # the transaction is spoilt: the unit of work rolls it back
            if "authority_state" in str(error.orig):
                raise ConflictError(
                    f"{member_state} already has a competent authority", field="member_state"
                ) from None
            raise ConflictError(
                f"an organisation with the EORI {eori} already exists", field="eori"
            ) from None
        return Organisation(id=new_id(result), kind=kind, name=name, member_state=member_state, eori=eori)

    def get(self, organisation_id: int) -> Organisation | None:
        row = (
            self._c.execute(select(t.organisations).where(t.organisations.c.id == organisation_id))
            .mappings()
            .first()
        )
        return _organisation(row) if row else None

    def find(self, kind: OrganisationKind, name: str) -> Organisation | None:
        row = (
            self._c.execute(
                select(t.organisations).where(
                    t.organisations.c.kind == kind.value, t.organisations.c.name == name
                )
            )
            .mappings()
            .first()
        )
        return _organisation(row) if row else None

    def authority_for(self, member_state: str) -> Organisation | None:
        row = (
            self._c.execute(select(t.organisations).where(t.organisations.c.authority_state == member_state))
            .mappings()
            .first()
        )
        return _organisation(row) if row else None

    def list(self) -> Sequence[Organisation]:
        rows = self._c.execute(select(t.organisations).order_by(t.organisations.c.id)).mappings()
        return [_organisation(r) for r in rows]


class SqlUsers:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def add(self, email: str, full_name: str, password_hash: str, role: Role, organisation_id: int) -> User:
        """Raises ``ConflictError`` when a concurrent creation took the e-mail address first."""
        try:
            result = self._c.execute(
                t.users.insert().values(
                    email=email,
                    full_name=full_name,
                    password_hash=password_hash,
                    role=role.value,
                    organisation_id=organisation_id,
                    is_active=True,
                    created_at=now(),
                )
            )
        except IntegrityError:  # the transaction is spoilt: the unit of work rolls it back
            raise ConflictError(f"a user with the email {email} already exists", field="email") from None
        return User(new_id(result), email, full_name, role, organisation_id, True, password_hash)

    def get(self, user_id: int) -> User | None:
        row = self._c.execute(select(t.users).where(t.users.c.id == user_id)).mappings().first()
        return _user(row) if row else None

    def by_email(self, email: str) -> User | None:
        row = self._c.execute(select(t.users).where(t.users.c.email == email)).mappings().first()
        return _user(row) if row else None

    def in_organisation(self, organisation_id: int) -> Sequence[User]:
        rows = self._c.execute(
            select(t.users).where(t.users.c.organisation_id == organisation_id).order_by(t.users.c.email)
        ).mappings()
        return [_user(r) for r in rows]

    def set_password_hash(self, user_id: int, password_hash: str) -> None:
        self._c.execute(t.users.update().where(t.users.c.id == user_id).values(password_hash=password_hash))

    def set_active(self, user_id: int, active: bool) -> None:
        self._c.execute(t.users.update().where(t.users.c.id == user_id).values(is_active=active))

    def set_role(self, user_id: int, role: Role) -> None:
        self._c.execute(t.users.update().where(t.users.c.id == user_id).values(role=role.value))


def _token(row: Mapping[Any, Any]) -> ApiToken:
    return ApiToken(
        id=row["id"],
        user_id=row["user_id"],
        name=row["name"],
        prefix=row["prefix"],
        scope=TokenScope(row["scope"]),
        created_at=aware(row["created_at"]),
        expires_at=aware(row["expires_at"]) if row["expires_at"] is not None else None,
        revoked_at=aware(row["revoked_at"]) if row["revoked_at"] is not None else None,
    )


class SqlTokens:
    def __init__(self, connection: Connection, clock: Clock = SYSTEM_CLOCK) -> None:
        self._c = connection
        self._clock = clock  # dates the tokens (a token without an expiry lives a year from its creation)

    def add(
        self,
        user_id: int,
        name: str,
        token_hash: str,
        prefix: str,
        expires_at: datetime | None,
        scope: TokenScope = TokenScope.WRITE,
    ) -> int:
        result = self._c.execute(
            t.api_tokens.insert().values(
                user_id=user_id,
                name=name,
                token_hash=token_hash,
                prefix=prefix,
                created_at=self._clock.now(),
                expires_at=expires_at,
                scope=scope.value,
            )
        )
        return new_id(result)

    def holder(self, token_hash: str) -> tuple[User, Organisation, ApiToken] | None:
        tok, u, o = t.api_tokens, t.users, t.organisations
        row = (
            self._c.execute(
                select(
                    *(c.label(f"token_{c.name}") for c in tok.c),
                    *u.c,
                    o.c.kind,
                    o.c.name,
                    o.c.member_state,
                    o.c.eori,
                )
                .join(u, u.c.id == tok.c.user_id)
                .join(o, o.c.id == u.c.organisation_id)
                .where(tok.c.token_hash == token_hash)
            )
            .mappings()
            .first()
        )
        if row is None:
            return None
        token = _token({c.name: row[f"token_{c.name}"] for c in tok.c})
        organisation = _organisation({**row, "id": row["organisation_id"]})
        return _user(row), organisation, token

    def get(self, token_id: int) -> ApiToken | None:
        row = self._c.execute(select(t.api_tokens).where(t.api_tokens.c.id == token_id)).mappings().first()
        return _token(row) if row else None

    def listing(self, user_id: int | None = None) -> Sequence[ApiToken]:
        statement = select(t.api_tokens).order_by(t.api_tokens.c.id.desc())
        if user_id is not None:
            statement = statement.where(t.api_tokens.c.user_id == user_id)
        return [_token(r) for r in self._c.execute(statement).mappings()]

    def revoke(self, token_id: int, at: datetime) -> None:
        tok = t.api_tokens
        self._c.execute(
            tok.update().where(tok.c.id == token_id, tok.c.revoked_at.is_(None)).values(revoked_at=at)
        )


def _event(row: RowMapping) -> AuditEvent:
    return AuditEvent(
        sequence=row["sequence"],
        occurred_at=aware(row["occurred_at"]),
        actor=row["actor"],
        action=row["action"],
        entity_type=row["entity_type"],
        entity_id=row["entity_id"],
        before=row["before"],
        after=row["after"],
        reason=row["reason"],
        previous_hash=row["previous_hash"],
        hash=row["hash"],
        organisation_id=row["organisation_id"],
        member_state=row["member_state"],
    )


def _anchor(row: RowMapping) -> Anchor:
    return Anchor(
        head_sequence=row["head_sequence"],
        head_hash=row["head_hash"],
        count=row["event_count"],
        anchored_at=aware(row["anchored_at"]),
        mac=row["mac"],
    )


class SqlAudit:
    """The trail in ``audit_events`` and its anchors in ``audit_anchors`` (both append-only: triggers refuse
    UPDATE and DELETE). With an anchor key, each flush anchors the new head in the same transaction."""

    def __init__(self, connection: Connection, anchor_key: bytes | None = None) -> None:
        self._c = connection
        self._anchor_key = anchor_key
        self._pending: list[AuditEntry] = []

    def append(self, entry: AuditEntry) -> None:
        self._pending.append(entry)

    def discard(self) -> None:
        self._pending.clear()

    def flush(self) -> None:
        """Chain the pending events onto the last one and write them, holding a lock that serialises
        writers until the commit that follows at once, so no two transactions chain onto the same
        predecessor: on PostgreSQL a transaction-level advisory lock; on SQLite the database's write lock,
        taken by a write that changes nothing before the last event is read. With an anchor key, the new
        head is anchored in the same transaction."""
        if not self._pending:
            return
        self._lock()
        scopes: dict[str, tuple[int | None, str | None]] = {}
        events = chain(self._last(), [self._scoped(entry, scopes) for entry in self._pending])
        self._c.execute(
            t.audit_events.insert(),
            [
                {
                    "sequence": e.sequence,
                    "occurred_at": e.occurred_at,
                    "actor": e.actor,
                    "action": e.action,
                    "entity_type": e.entity_type,
                    "entity_id": e.entity_id,
                    "before": e.before,
                    "after": e.after,
                    "reason": e.reason,
                    "previous_hash": e.previous_hash,
                    "hash": e.hash,
                    "organisation_id": e.organisation_id,
                    "member_state": e.member_state,
                }
                for e in events
            ],
        )
        self._pending.clear()
        if self._anchor_key is not None:
            self.add_anchor(anchor_head(self._anchor_key, events[-1], now()))

    def _lock(self) -> None:
        if self._c.dialect.name == "postgresql":
            self._c.execute(text("SELECT pg_advisory_xact_lock(4242)"))
        elif self._c.dialect.name == "sqlite":
            self._c.execute(text("UPDATE audit_events SET sequence = sequence WHERE 1 = 0"))

    def _scoped(self, entry: AuditEntry, known: dict[str, tuple[int | None, str | None]]) -> AuditEntry:
        """``entry`` with the organisation and member state of its actor, when the actor is a user."""
        if entry.organisation_id is not None or entry.member_state is not None:
            return entry
        if entry.actor not in known:
            row = self._c.execute(
                select(t.organisations.c.id, t.organisations.c.member_state)
                .join(t.users, t.users.c.organisation_id == t.organisations.c.id)
                .where(t.users.c.email == entry.actor)
            ).first()
            known[entry.actor] = (row.id, row.member_state) if row else (None, None)
        organisation_id, member_state = known[entry.actor]
        return replace(entry, organisation_id=organisation_id, member_state=member_state)

    def _last(self) -> AuditEvent | None:
        row = (
            self._c.execute(select(t.audit_events).order_by(t.audit_events.c.sequence.desc()).limit(1))
            .mappings()
            .first()
        )
        return _event(row) if row else None

    def head(self) -> AuditEvent | None:
        self.flush()
        return self._last()

    def all(self) -> Sequence[AuditEvent]:
        self.flush()
        rows = self._c.execute(select(t.audit_events).order_by(t.audit_events.c.sequence)).mappings()
        return [_event(r) for r in rows]

    def for_entity(self, entity_type: str, entity_id: str) -> Sequence[AuditEvent]:
        self.flush()
        rows = self._c.execute(
            select(t.audit_events)
            .where(t.audit_events.c.entity_type == entity_type, t.audit_events.c.entity_id == entity_id)
            .order_by(t.audit_events.c.sequence)
        ).mappings()
        return [_event(r) for r in rows]

    def find(self, query: AuditQuery) -> Sequence[AuditEvent]:
        """The events ``query`` selects, newest first."""
        e = t.audit_events
        statement = select(e).order_by(e.c.sequence.desc()).limit(query.limit)
        if query.since is not None:
            statement = statement.where(e.c.occurred_at >= query.since)
        if query.actor is not None:
            statement = statement.where(e.c.actor == query.actor)
        if query.action is not None:
            statement = statement.where(e.c.action == query.action)
        if query.organisation_id is not None:
            statement = statement.where(e.c.organisation_id == query.organisation_id)
        if query.member_state is not None:
            statement = statement.where(e.c.member_state == query.member_state)
        if query.before_sequence is not None:
            statement = statement.where(e.c.sequence < query.before_sequence)
        return [_event(r) for r in self._c.execute(statement).mappings()]

    def add_anchor(self, anchor: Anchor) -> None:
        self._c.execute(
            t.audit_anchors.insert().values(
                head_sequence=anchor.head_sequence,
                head_hash=anchor.head_hash,
                event_count=anchor.count,
                anchored_at=anchor.anchored_at,
                mac=anchor.mac,
            )
        )

    def anchors(self) -> Sequence[Anchor]:
        rows = self._c.execute(
            select(t.audit_anchors).order_by(t.audit_anchors.c.head_sequence, t.audit_anchors.c.id)
        ).mappings()
        return [_anchor(r) for r in rows]


class SqlReferenceData:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def set(self, name: str, version: str, detail: Mapping[str, object] | None) -> None:
        self._c.execute(t.reference_data.delete().where(t.reference_data.c.name == name))
        self._c.execute(
            t.reference_data.insert().values(name=name, version=version, loaded_at=now(), detail=detail)
        )

    def all(self) -> Mapping[str, str]:
        rows = self._c.execute(select(t.reference_data.c.name, t.reference_data.c.version)).all()
        return {str(name): str(version) for name, version in rows}


class SqlAmendments:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def add(self, amendment: StoredAmendment, imported_by: str) -> None:
        self._c.execute(
            t.control_list_amendments.insert().values(
                version_id=amendment.version_id,
                effective_from=amendment.effective_from,
                title=amendment.title,
                legal_source=amendment.legal_source,
                filename=amendment.filename,
                content=amendment.content,
                imported_by=imported_by,
                imported_at=now(),
            )
        )

    def lock(self) -> None:
        """On PostgreSQL a table lock that only another importer waits for (reads go on); on SQLite the
        database's write lock, taken by a write that changes nothing."""
        if self._c.dialect.name == "postgresql":
            self._c.execute(text("LOCK TABLE control_list_amendments IN SHARE ROW EXCLUSIVE MODE"))
        else:
            self._c.execute(text("UPDATE control_list_amendments SET title = title WHERE 1 = 0"))

    def all(self) -> Sequence[StoredAmendment]:
        rows = self._c.execute(
            select(t.control_list_amendments).order_by(t.control_list_amendments.c.effective_from)
        ).mappings()
        return [
            StoredAmendment(
                r["version_id"],
                r["effective_from"],
                r["title"],
                r["legal_source"],
                r["filename"],
                r["content"],
            )
            for r in rows
        ]


def _classification(row: RowMapping) -> Classification:
    return Classification(
        id=row["id"],
        organisation_id=row["organisation_id"],
        product_name=row["product_name"],
        description=row["description"],
        parameters=row["parameters"] or {},
        control_code=row["control_code"],
        rationale=row["rationale"],
        list_version=row["list_version"],
        status=ClassificationStatus(row["status"]),
        review_reason=row["review_reason"],
        created_by=row["created_by"],
        created_at=aware(row["created_at"]),
        updated_at=aware(row["updated_at"]),
    )


class SqlClassifications:
    def __init__(self, connection: Connection, clock: Clock = SYSTEM_CLOCK) -> None:
        self._c = connection
        self._clock = clock  # dates the records (Art. 27: kept from their last change)

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
        written = self._clock.now()
        result = self._c.execute(
            t.classifications.insert().values(
                organisation_id=organisation_id,
                product_name=product_name,
                description=description,
                parameters=dict(parameters),
                control_code=control_code,
                rationale=rationale,
                list_version=list_version,
                status=ClassificationStatus.CURRENT.value,
                review_reason=None,
                created_by=created_by,
                created_at=written,
                updated_at=written,
            )
        )
        found = self.get(new_id(result))
        assert found is not None  # noqa: S101 - just inserted in this transaction
        return found

    def get(self, classification_id: int) -> Classification | None:
        row = (
            self._c.execute(select(t.classifications).where(t.classifications.c.id == classification_id))
            .mappings()
            .first()
        )
        return _classification(row) if row else None

    def for_organisation(self, organisation_id: int) -> Sequence[Classification]:
        rows = self._c.execute(
            select(t.classifications)
            .where(t.classifications.c.organisation_id == organisation_id)
            .order_by(t.classifications.c.id)
        ).mappings()
        return [_classification(r) for r in rows]

    def listed(self) -> Sequence[Classification]:
        rows = self._c.execute(
            select(t.classifications).where(t.classifications.c.control_code.is_not(None))
        ).mappings()
        return [_classification(r) for r in rows]

    def set_status(
        self,
        classification_id: int,
        status: ClassificationStatus,
        reason: str | None,
        *,
        expected: Classification | None = None,
    ) -> None:
        c = t.classifications
        statement = c.update().where(c.c.id == classification_id)
        if expected is not None:  # the check and the write in one statement
            statement = statement.where(
                c.c.status == expected.status.value,
                c.c.review_reason.is_not_distinct_from(expected.review_reason),
            )
        result = self._c.execute(
            statement.values(status=status.value, review_reason=reason, updated_at=self._clock.now())
        )
        if expected is not None and result.rowcount != 1:
            raise ConflictError(
                "the record was flagged again meanwhile: review it against the list now in force"
            )


class SqlUnitOfWork:
    """One connection and one transaction per block; ``commit()`` or everything is rolled back."""

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
    clock: Clock

    _audit: SqlAudit

    def __init__(self, engine: Engine, anchor_key: bytes | None = None, clock: Clock = SYSTEM_CLOCK) -> None:
        self._engine = engine
        self._anchor_key = anchor_key
        self.clock = clock
        self._connection: Connection | None = None
        self._committed = False

    def __enter__(self) -> Self:
        self._connection = self._engine.connect()
        self._connection.begin()
        self._committed = False
        self.organisations = SqlOrganisations(self._connection)
        self.users = SqlUsers(self._connection)
        self.tokens = SqlTokens(self._connection, self.clock)
        self.sessions = SqlSessions(self._connection)
        self.throttle = SqlThrottle(self._connection)
        self._audit = SqlAudit(self._connection, self._anchor_key)
        self.audit = self._audit
        self.reference_data = SqlReferenceData(self._connection)
        self.amendments = SqlAmendments(self._connection)
        self.classifications = SqlClassifications(self._connection, self.clock)
        self.screening = SqlScreening(self._connection, self.clock)
        self.duediligence = SqlDueDiligence(self._connection)
        self.licensing = SqlLicensing(self._connection)
        self.general_authorisations = SqlGeneralAuthorisations(self._connection, self.clock)
        self.notices = SqlNotices(self._connection)
        self.documents = SqlDocuments(self._connection, self._engine)
        self.jobs = SqlJobs(self._connection)
        self.reminders = SqlReminders(self._connection)
        self.casework = SqlCasework(self._connection)
        self.customs = SqlCustoms(self._connection)
        self.saved_determinations = SqlSavedDeterminations(self._connection)
        self.exchange = SqlExchange(self._connection)
        self.list_changes = SqlListChanges(self._connection)
        self.denials = SqlDenials(self._connection)
        self.enforcement = SqlEnforcement(self._connection)
        self.transparency = SqlTransparency(self._connection)
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        assert self._connection is not None  # noqa: S101 - __enter__ always ran first
        if not self._committed:
            self._connection.rollback()
        self._connection.close()
        self._connection = None

    @property
    def connection(self) -> Connection:
        """The open connection, for adapters of later features that share this transaction."""
        if self._connection is None:
            raise RuntimeError("the unit of work is not open")
        return self._connection

    def commit(self) -> None:
        connection = self.connection
        self._audit.flush()  # the trail is locked from here to the end of the commit only
        connection.commit()
        self._committed = True

    def rollback(self) -> None:
        connection = self.connection
        self._audit.discard()
        connection.rollback()

    def execute(self, statement: Any) -> Any:
        return self.connection.execute(statement)
