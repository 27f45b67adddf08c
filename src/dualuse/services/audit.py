"""Recording, reading and verifying the hash-chained audit trail, and anchoring its head.

Who reads which events (``read_trail``): an exporter's administrator reads what the people of its own
organisation did; a senior officer of a competent authority reads the events of its member state (what its
own officers and the exporters established there did — the exporter's records are the authority's to see on
request, Art. 27; a refused access by someone of that state is part of them). Officers, exporter users and
the Commission read no trail: the Commission supervises no authority's or exporter's log. Operators at the
command line (``dualuse audit list``) read everything: they hold the database anyway.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from dualuse.domain.audit import (
    Anchor,
    AuditEntry,
    AuditEvent,
    ChainProblem,
    anchor_head,
    anchor_is_authentic,
    check_anchors,
    verify_chain,
)
from dualuse.domain.errors import ConfigurationError, ConflictError, PermissionDeniedError, ValidationError
from dualuse.domain.identity import OrganisationKind, Permission, Principal
from dualuse.services.unit_of_work import AuditQuery, UnitOfWork

MAX_LIMIT = 500
NO_KEY = (
    "no audit anchor key: set DUALUSE_AUDIT_ANCHOR_KEY or DUALUSE_AUDIT_ANCHOR_KEY_FILE (a random value of at "
    "least 32 characters, kept away from the database)"
)


def record(
    uow: UnitOfWork,
    *,
    actor: str,
    action: str,
    entity_type: str,
    entity_id: str | int,
    before: Mapping[str, object] | None = None,
    after: Mapping[str, object] | None = None,
    reason: str | None = None,
) -> None:
    """Add one event to the caller's transaction. It joins the chain when the transaction commits, so
    the trail is locked for the commit only, not for the whole of the caller's work."""
    uow.audit.append(
        AuditEntry(
            occurred_at=datetime.now(UTC),
            actor=actor,
            action=action,
            entity_type=entity_type,
            entity_id=str(entity_id),
            before=dict(before) if before is not None else None,
            after=dict(after) if after is not None else None,
            reason=reason,
        )
    )


# --- what F8 found unrecorded ------------------------------------------------------------------------------
def record_refusal(uow: UnitOfWork, actor: str, method: str, path: str, status: int, detail: str) -> None:
    """A request the permission checks refused (403, or another tenant's resource answered as 404)."""
    record(
        uow,
        actor=actor,
        action="access.refused",
        entity_type="route",
        entity_id=f"{method} {path}"[:100],
        after={"status": status, "detail": detail[:500]},
    )
    uow.commit()


def record_download(
    uow: UnitOfWork,
    principal: Principal,
    document: str,
    entity_id: str | int,
    owner_organisation_id: int | None,
) -> None:
    """A document left the system (a licence PDF, a due-diligence record, an Art. 27 records export):
    who took it, and whether it belongs to another organisation than theirs."""
    record(
        uow,
        actor=principal.label,
        action="document.downloaded",
        entity_type=document,
        entity_id=entity_id,
        after={
            "owner_organisation_id": owner_organisation_id,
            "other_organisation": owner_organisation_id != principal.organisation_id,
        },
    )
    uow.commit()


# --- reading ------------------------------------------------------------------------------------------
def query(
    *,
    limit: int = 50,
    since: datetime | None = None,
    actor: str | None = None,
    action: str | None = None,
    before_sequence: int | None = None,
) -> AuditQuery:
    """A checked query: a limit between 1 and 500, a ``since`` with a time zone."""
    if not 1 <= limit <= MAX_LIMIT:
        raise ValidationError(f"limit must be between 1 and {MAX_LIMIT}", field="limit")
    if since is not None:  # stored in UTC; SQLite compares the text, so compare in UTC too
        since = since.replace(tzinfo=UTC) if since.tzinfo is None else since.astimezone(UTC)
    return AuditQuery(
        limit=limit,
        since=since,
        actor=actor or None,
        action=action or None,
        before_sequence=before_sequence,
    )


def operator_events(uow: UnitOfWork, wanted: AuditQuery) -> list[AuditEvent]:
    """Every event ``wanted`` selects, newest first: for operators at the command line."""
    return list(uow.audit.find(wanted))


def read_trail(uow: UnitOfWork, principal: Principal, wanted: AuditQuery) -> list[AuditEvent]:
    """The events ``principal`` may read that ``wanted`` selects, newest first (see the module's note)."""
    if Permission.MANAGE_USERS not in principal.permissions:
        if not principal.is_authenticated:
            raise PermissionDeniedError("sign in to read the audit trail")
        raise PermissionDeniedError(
            "only an exporter's administrator or an authority's senior officer reads the audit trail"
        )
    if principal.organisation_kind is OrganisationKind.AUTHORITY and principal.member_state:
        scoped = replace(wanted, member_state=principal.member_state, organisation_id=None)
    elif principal.organisation_kind is OrganisationKind.EXPORTER and principal.organisation_id:
        scoped = replace(wanted, organisation_id=principal.organisation_id, member_state=None)
    else:
        raise PermissionDeniedError("the audit trail is read by an exporter or an authority")
    return list(uow.audit.find(scoped))


# --- verifying and anchoring --------------------------------------------------------------------------
def verify(uow: UnitOfWork) -> tuple[int, list[ChainProblem]]:
    """How many events there are, and every break in the chain (none when nothing was tampered with)."""
    events = uow.audit.all()
    return len(events), verify_chain(events)


@dataclass(frozen=True)
class TrailReport:
    """The outcome of checking the trail: the chain, the anchors in the database and an exported anchor."""

    count: int
    anchors: int
    problems: list[ChainProblem]
    latest: Anchor | None

    @property
    def intact(self) -> bool:
        return not self.problems


def _key(key: bytes | None) -> bytes:
    if key is None:
        raise ConfigurationError(NO_KEY)
    return key


def verify_trail(
    uow: UnitOfWork, key: bytes | None, exported: Anchor | None = None, *, require_covered: bool = True
) -> TrailReport:
    """Check the chain and that it extends every anchor (those in the database and ``exported``, kept
    elsewhere): an end cut off, or events edited and their hashes recomputed, no longer pass."""
    signing_key = _key(key)
    events = uow.audit.all()
    anchors = list(uow.audit.anchors())
    problems = verify_chain(events)
    problems += check_anchors(events, anchors, signing_key, require_covered=require_covered)
    if exported is not None:
        problems += [
            ChainProblem(p.sequence, f"exported anchor: {p.problem}")
            for p in check_anchors(events, [exported], signing_key, require_covered=False)
        ]
    authentic = [a for a in anchors if anchor_is_authentic(signing_key, a)]
    latest = max(authentic, key=lambda a: (a.head_sequence, a.anchored_at), default=None)
    return TrailReport(len(events), len(anchors), problems, latest)


def anchor(uow: UnitOfWork, key: bytes | None) -> Anchor:
    """Anchor the current head, after checking that the trail is intact and extends every anchor so far
    (events after the last anchor are what this covers: a database from before anchors, or one whose
    writes bypassed the application — look at them first). The caller commits."""
    signing_key = _key(key)
    report = verify_trail(uow, signing_key, require_covered=False)
    if report.problems:
        raise ConflictError(
            f"the audit trail is broken ({len(report.problems)} problem(s)): run `dualuse audit verify`; "
            "nothing was anchored"
        )
    head = uow.audit.head()
    if head is None:
        raise ConflictError("the audit trail is empty: there is no head to anchor")
    made = anchor_head(signing_key, head, datetime.now(UTC))
    uow.audit.add_anchor(made)
    return made


def latest_anchor(uow: UnitOfWork, key: bytes | None) -> Anchor:
    """The newest anchor, for keeping away from the database, once the whole trail checks out."""
    report = verify_trail(uow, key)
    if report.problems:
        raise ConflictError(
            f"the audit trail is broken ({len(report.problems)} problem(s)): run `dualuse audit verify`; "
            "no anchor was exported"
        )
    if report.latest is None:
        raise ConflictError("no anchor yet: the trail is empty (or run `dualuse audit anchor`)")
    return report.latest
