"""Licensing at the national competent authority (Regulation (EU) 2021/821, Arts. 12, 13, 15, 16):
the exporter's application, the authority's case handling, four-eyes decisions, licences, their use by
shipments and public verification.

Every use case follows one shape: authorize, load, let the pure domain (``domain.licensing``) decide,
store (cases and licences with optimistic locking), record an audit event, commit. Exporters see only
their organisation's cases (404 otherwise); an authority acts only on cases of its member state (403,
Art. 12(2)); the Commission reads.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from dualuse.domain import licensing as lic
from dualuse.domain.errors import (
    ConfigurationError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from dualuse.domain.identity import OrganisationKind, Permission, Principal, Role, authorize
from dualuse.domain.rules.engine import ListView
from dualuse.services import audit, disclosure, oversight
from dualuse.services.unit_of_work import (
    CasePage,
    CaseQuery,
    QueueEntry,
    Row,
    StoredCase,
    StoredLicence,
    UnitOfWork,
)

ENTITY_CASE = "licensing_case"
ENTITY_LICENCE = "licence"
QUEUE_PAGE_SIZE = 50  # cases on one page of the queue
_CHECK_CODE_LABEL = b"dualuse licence check code\x00"
# The applicant's declaration (our wording): the applicant answers for the information it gives (Art. 12;
# Annex III Section A) and tells the authority of changes. No application is submitted without it: the web form
# asks for it before submission, the API as ``declaration: true``; the audit trail keeps it word for word.
APPLICANT_DECLARATION = (
    "I declare that the information in this application is correct and complete to the best of my "
    "knowledge, and that I will tell the competent authority at once of any change to it."
)


def check_code_secret(secret_key: str) -> bytes:
    """The key of the licence check codes, derived from the application's secret (never the secret
    itself, so that a check code reveals nothing about the session key)."""
    return hashlib.sha256(_CHECK_CODE_LABEL + secret_key.encode("utf-8")).digest()


@dataclass(frozen=True)
class ApplicationContent:
    """What the exporter applies for (Annex III Section A): items, parties, destinations, end use."""

    application_type: lic.ApplicationType | str
    items: Sequence[lic.ApplicationItem] = ()
    parties: Sequence[lic.Party] = ()
    destinations: Sequence[str] = ()
    end_use: str = ""

    @classmethod
    def of(cls, application: lic.Application) -> ApplicationContent:
        """The content of an application as it stands, to change a part of it (``dataclasses.replace``)."""
        return cls(
            application_type=application.application_type,
            items=application.items,
            parties=application.parties,
            destinations=application.destinations,
            end_use=application.end_use,
        )

    def application(self, case_id: str, exporter_id: str) -> lic.Application:
        try:
            application_type = lic.ApplicationType(self.application_type)
        except ValueError:
            raise ValidationError(
                f"unknown application type {self.application_type!r}", field="application_type"
            ) from None
        return lic.Application(
            id=case_id,
            exporter_id=exporter_id,
            application_type=application_type,
            items=tuple(self.items),
            parties=tuple(self.parties),
            destinations=tuple(d.strip().upper() for d in self.destinations),
            end_use=self.end_use.strip(),
        )


@dataclass(frozen=True)
class GrantedLine:
    """For a partial grant: how much of an application line the licence authorises."""

    line: int
    quantity: Decimal
    value_eur: Decimal


# --- access ---------------------------------------------------------------------------------------------
# F16: another organisation's or another state's case or licence is answered word for word as a missing one
NO_CASE = "no such application"
NO_LICENCE = "no such licence"


def _exporter_id(principal: Principal) -> str:
    authorize(principal, Permission.ACT_FOR_EXPORTER)
    if principal.organisation_id is None:
        raise PermissionDeniedError("only an exporter's users apply for licences")
    return str(principal.organisation_id)


CORRESPONDENTS = "correspondents"  # the exporter and its authority write on a case


# F15 / issue #18: the Commission receives denials (Art. 16(6)), the Art. 4 and 5 information and the annual
# report's figures (Art. 26(2)); it does not read an exporter's applications or licences. It reads licensing
# figures without the exporter's identity (``services.home.commission``).
COMMISSION_REFUSAL = (
    "the Commission receives licensing figures (Art. 23(2)(a), 26(2)) and denials (Art. 16(6)), "
    "not applications or licences"
)


def _may(principal: Principal, wanted: Permission | str | None) -> None:
    """What can be refused whatever the object is refused before it is looked up, so that a refusal says
    nothing of whether the object exists (F16): signed in, the role's permission, the kind of organisation."""
    if not principal.is_authenticated:
        raise PermissionDeniedError("sign in to see licensing cases and licences")
    if oversight.is_commission(principal):
        raise PermissionDeniedError(COMMISSION_REFUSAL)
    if wanted == CORRESPONDENTS:
        if principal.organisation_kind not in (OrganisationKind.EXPORTER, OrganisationKind.AUTHORITY):
            raise PermissionDeniedError("only the exporter and the authority correspond on a case")
    elif isinstance(wanted, Permission):
        authorize(principal, wanted)


def _load(uow: UnitOfWork, case_id: int, principal: Principal, wanted: Permission | str | None) -> StoredCase:
    _may(principal, wanted)
    stored = uow.licensing.case(case_id)
    if stored is None:
        raise NotFoundError(NO_CASE)
    return stored


def _check_exporter(principal: Principal, stored: StoredCase) -> str:
    authorize(
        principal, Permission.ACT_FOR_EXPORTER, organisation_id=stored.organisation_id, not_found=NO_CASE
    )
    return str(stored.organisation_id)


def _check_authority(principal: Principal, stored: StoredCase, permission: Permission) -> None:
    authorize(principal, permission, member_state=stored.member_state, not_found=NO_CASE)
    if principal.organisation_kind is not OrganisationKind.AUTHORITY:
        raise PermissionDeniedError("only the competent authority handles licensing cases")
    if stored.case.status is lic.ApplicationStatus.DRAFT or stored.submitted_at is None:
        raise NotFoundError(NO_CASE)  # a draft (or a draft withdrawn) is the exporter's alone


def _check_read(principal: Principal, stored: StoredCase) -> None:
    kind = principal.organisation_kind
    if kind is OrganisationKind.EXPORTER:
        _check_exporter(principal, stored)
    elif kind is OrganisationKind.AUTHORITY:
        _check_authority(principal, stored, Permission.ASSESS_CASE)
    elif kind is OrganisationKind.COMMISSION and principal.is_authenticated:
        authorize(principal, Permission.VIEW_UNION_AGGREGATES)
        # F15: the Commission is notified of denials (Art. 16(6), through the Art. 23(6) system); the rest of
        # a case file (parties, end use, the authority's assessment) stays with the authority. Other cases
        # are answered as not found, as for a case that does not exist.
        decision = stored.case.decision
        if decision is None or decision.outcome is not lic.DecisionOutcome.DENIED:
            raise NotFoundError(NO_CASE)
    else:
        raise PermissionDeniedError("sign in to see licensing cases")


def _authority_actor(principal: Principal, wanted: frozenset[lic.Actor]) -> lic.Actor:
    """Seniors act as seniors where a move needs one, otherwise as officers."""
    if principal.role is Role.AUTHORITY_SENIOR and lic.Actor.SENIOR in wanted:
        return lic.Actor.SENIOR
    return lic.Actor.OFFICER


def _store(
    uow: UnitOfWork,
    principal: Principal,
    stored: StoredCase,
    case: lic.Case,
    event: lic.CaseEvent,
    declaration: str = "",
    **changes: object,
) -> StoredCase:
    """Write the moved case (refused when someone moved it first) and its audit event (with the exporter's
    declaration, word for word, when it makes one on submission)."""
    after = replace(stored, case=case, **changes)  # type: ignore[arg-type] # fields of StoredCase
    uow.licensing.save_case(after, expected_version=stored.case.version)
    if event.before is not event.after:  # the status clock of the case file restarts (issue 19)
        uow.casework.note_status(stored.id, event.after.value, uow.clock.now())
    audit.record(
        uow,
        actor=principal.label,
        action=f"{ENTITY_CASE}.{event.name}",
        entity_type=ENTITY_CASE,
        entity_id=stored.id,
        before={"status": event.before.value, "version": stored.case.version},
        after={"status": event.after.value, "version": case.version, "action": event.action}
        | ({"declaration": declaration} if declaration else {}),
        reason=event.note or None,
    )
    return after


# --- the exporter's application -------------------------------------------------------------------------
def create_application(uow: UnitOfWork, principal: Principal, content: ApplicationContent) -> StoredCase:
    """Open a draft application with the authority of the exporter's member state (Art. 12(2))."""
    exporter_id = _exporter_id(principal)
    if principal.member_state is None:
        raise ValidationError("the exporter's organisation has no member state", field="member_state")
    content.application("draft", exporter_id)  # refuse bad content before anything is written

    def build(case_id: int) -> lic.Case:
        return lic.new_case(str(case_id), content.application(str(case_id), exporter_id))

    stored = uow.licensing.add_case(
        organisation_id=int(exporter_id), member_state=principal.member_state, build=build
    )
    audit.record(
        uow,
        actor=principal.label,
        action=f"{ENTITY_CASE}.ApplicationDrafted",
        entity_type=ENTITY_CASE,
        entity_id=stored.id,
        after={"status": stored.case.status.value, "type": stored.case.application.application_type.value},
    )
    uow.commit()
    return stored


def update_application(
    uow: UnitOfWork,
    principal: Principal,
    case_id: int,
    content: ApplicationContent,
    *,
    expected_version: int | None = None,
    reason: str = "",
) -> StoredCase:
    """Edit a draft; after submission, amend it (the submitted content stays frozen beside the amendment)."""
    stored = _load(uow, case_id, principal, Permission.ACT_FOR_EXPORTER)
    exporter_id = _check_exporter(principal, stored)
    application = content.application(stored.case.application.id, exporter_id)
    case, event = lic.amend_application(
        stored.case, application, actor_id=exporter_id, reason=reason, expected_version=expected_version
    )
    after = _store(uow, principal, stored, case, event)
    uow.commit()
    return after


def _exporter_move(
    uow: UnitOfWork,
    principal: Principal,
    case_id: int,
    action: lic.CaseAction,
    expected_version: int | None,
    declaration: str = "",
) -> StoredCase:
    stored = _load(uow, case_id, principal, Permission.ACT_FOR_EXPORTER)
    exporter_id = _check_exporter(principal, stored)
    case, event = lic.transition(
        stored.case, action, lic.Actor.EXPORTER, exporter_id, expected_version=expected_version
    )
    changes: dict[str, object] = {}
    if action is lic.CaseAction.SUBMIT:
        if not declaration.strip():
            # on every path alike: the web form's checkbox, the API's ``declaration: true``
            raise ValidationError(
                "make the applicant's declaration to submit: that the information is correct and complete, "
                "and that you will tell the authority of any change",
                field="declaration",
            )
        changes["submitted_at"] = uow.clock.now()
    after = _store(uow, principal, stored, case, event, declaration, **changes)
    uow.commit()
    return after


def submit(
    uow: UnitOfWork,
    principal: Principal,
    case_id: int,
    *,
    expected_version: int | None = None,
    declaration: str = "",
) -> StoredCase:
    """Submit a complete application; its content is frozen from now on (later changes are amendments).
    ``declaration`` is the text the exporter confirmed (`APPLICANT_DECLARATION`), kept in the audit trail with
    the submission; without it the submission is refused."""
    return _exporter_move(uow, principal, case_id, lic.CaseAction.SUBMIT, expected_version, declaration)


def withdraw(
    uow: UnitOfWork, principal: Principal, case_id: int, *, expected_version: int | None = None
) -> StoredCase:
    """The exporter withdraws its application before the authority recommends."""
    return _exporter_move(uow, principal, case_id, lic.CaseAction.WITHDRAW, expected_version)


def get_application(uow: UnitOfWork, principal: Principal, case_id: int) -> StoredCase:
    stored = _load(uow, case_id, principal, None)
    _check_read(principal, stored)
    oversight.record_read(
        uow,
        principal,
        entity_type=ENTITY_CASE,
        entity_id=case_id,
        legal_basis="Art. 16(6)",
        owner=stored.organisation_id,
    )
    return stored


def applications(uow: UnitOfWork, principal: Principal) -> Sequence[StoredCase]:
    """The exporter's own applications, newest first."""
    exporter_id = _exporter_id(principal)
    return list(reversed(uow.licensing.cases(organisation_id=int(exporter_id))))


# --- messages on a case ---------------------------------------------------------------------------------
def _check_correspondent(principal: Principal, stored: StoredCase) -> str:
    if principal.organisation_kind is OrganisationKind.EXPORTER:
        _check_exporter(principal, stored)
        return "exporter"
    _check_authority(principal, stored, Permission.ASSESS_CASE)
    return "authority"


def messages(uow: UnitOfWork, principal: Principal, case_id: int) -> Sequence[Row]:
    """The correspondence on a case, between the exporter and the authority of its member state only."""
    stored = _load(uow, case_id, principal, CORRESPONDENTS)
    _check_correspondent(principal, stored)
    # F13: the exporter corresponds with the authority, not with a named officer
    return [
        disclosure.shown(principal, m, ("author",), stored.member_state)
        if m["author_role"] == "authority"
        else m
        for m in uow.licensing.messages(case_id)
    ]


def post_message(uow: UnitOfWork, principal: Principal, case_id: int, body: str) -> int:
    """Write to the other side of the case. The exporter's message on a case awaiting it is its answer:
    the assessment resumes."""
    stored = _load(uow, case_id, principal, CORRESPONDENTS)
    role = _check_correspondent(principal, stored)
    if not body.strip():
        raise ValidationError("write something", field="body")
    if role == "exporter":
        # Answers sent at the same moment are all kept; the case, held, resumes with the first of them
        # and the others find it resumed (rather than failing on its version).
        uow.licensing.hold_case(case_id)
        stored = _load(uow, case_id, principal, CORRESPONDENTS)
    message_id = uow.licensing.add_message(
        case_id=case_id, author=principal.label, author_role=role, body=body.strip()
    )
    audit.record(
        uow,
        actor=principal.label,
        action=f"{ENTITY_CASE}.MessagePosted",
        entity_type=ENTITY_CASE,
        entity_id=case_id,
        after={"message": message_id, "author_role": role},
    )
    if role == "exporter" and stored.case.status is lic.ApplicationStatus.AWAITING_EXPORTER:
        case, event = lic.transition(
            stored.case,
            lic.CaseAction.PROVIDE_INFORMATION,
            lic.Actor.EXPORTER,
            str(stored.organisation_id),
            note=f"message {message_id}",
        )
        _store(uow, principal, stored, case, event)
    uow.commit()
    return message_id


# --- the authority's handling ---------------------------------------------------------------------------
def queue(
    uow: UnitOfWork,
    principal: Principal,
    *,
    status: str | None = None,
    destination: str | None = None,
    cyber_surveillance: bool | None = None,
    older_than_days: int | None = None,
    list_view: ListView | None = None,
    limit: int = QUEUE_PAGE_SIZE,
    offset: int = 0,
) -> CasePage:
    """A page of the authority's submitted cases, oldest submission first, filtered by status,
    destination, cyber-surveillance items (Art. 2(20), as the control list ``list_view`` marks them) and
    age; with the number of matching cases in all."""
    authorize(principal, Permission.ASSESS_CASE)
    if principal.organisation_kind is not OrganisationKind.AUTHORITY or principal.member_state is None:
        raise PermissionDeniedError("only a competent authority has a queue")
    statuses: list[lic.ApplicationStatus] = [
        s for s in lic.ApplicationStatus if s is not lic.ApplicationStatus.DRAFT
    ]
    if status:
        try:
            statuses = [lic.ApplicationStatus(status)]
        except ValueError:
            raise ValidationError(f"unknown status {status!r}", field="status") from None
    if limit < 1 or offset < 0:
        raise ValidationError("a page has at least one case and starts at 0 or later", field="limit")
    cyber_codes: set[str] | None = None
    if cyber_surveillance is not None:
        if list_view is None:
            raise ConfigurationError(
                "no control list is in force, so the cyber-surveillance filter cannot be applied"
            )
        cyber_codes = {
            code
            for code in uow.licensing.control_codes(principal.member_state)
            if _is_cyber_surveillance(code, list_view)
        }
    query = CaseQuery(
        member_state=principal.member_state,
        statuses=statuses,
        destination=destination.strip().upper() if destination else None,
        with_codes=cyber_codes if cyber_surveillance else None,
        without_codes=cyber_codes if cyber_surveillance is False else None,
        submitted_before=(
            uow.clock.now() - timedelta(days=older_than_days) if older_than_days is not None else None
        ),
        limit=limit,
        offset=offset,
    )
    return uow.licensing.queue(query)


#: how long the open cases have waited since submission, in days: the bands of the queue's chart
AGE_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("under 10 days", 0, 10),
    ("10 to 29 days", 10, 30),
    ("30 to 59 days", 30, 60),
    ("60 days or more", 60, None),
)
OPEN_STATUSES: tuple[lic.ApplicationStatus, ...] = (
    lic.ApplicationStatus.SUBMITTED,
    lic.ApplicationStatus.UNDER_ASSESSMENT,
    lic.ApplicationStatus.AWAITING_EXPORTER,
    lic.ApplicationStatus.RECOMMENDED,
)


@dataclass(frozen=True)
class AgeBand:
    label: str
    cases: int


def queue_ages(uow: UnitOfWork, principal: Principal) -> tuple[AgeBand, ...]:
    """The authority's open cases (not decided or withdrawn) by how long they have waited since submission,
    counted by the database (one count per band edge, whatever the size of the queue)."""
    authorize(principal, Permission.ASSESS_CASE)
    if principal.organisation_kind is not OrganisationKind.AUTHORITY or principal.member_state is None:
        raise PermissionDeniedError("only a competent authority has a queue")
    now = uow.clock.now()

    def waiting_at_least(days: int) -> int:
        query = CaseQuery(
            member_state=principal.member_state,  # type: ignore[arg-type]  # checked above
            statuses=OPEN_STATUSES,
            submitted_before=now - timedelta(days=days),
            limit=1,
        )
        return uow.licensing.queue(query).total

    at_least = {low: waiting_at_least(low) for _, low, _ in AGE_BANDS}
    return tuple(
        AgeBand(label, at_least[low] - (at_least[high] if high is not None else 0))
        for label, low, high in AGE_BANDS
    )


def _is_cyber_surveillance(control_code: str, list_view: ListView) -> bool:
    flags = list_view.flags_for(control_code)
    return flags is not None and flags.cyber_surveillance


def case_action(
    uow: UnitOfWork,
    principal: Principal,
    case_id: int,
    action: str,
    *,
    expected_version: int | None,
    note: str = "",
) -> StoredCase:
    """An officer's (or senior's) move on a case through the transition table: start the assessment,
    request information from the exporter (the note is sent to it), return a recommendation."""
    stored = _load(uow, case_id, principal, Permission.ASSESS_CASE)
    _check_authority(principal, stored, Permission.ASSESS_CASE)
    try:
        parsed = lic.CaseAction(action)
    except ValueError:
        raise ValidationError(f"unknown case action {action!r}", field="action") from None
    row = lic.TRANSITIONS.get((stored.case.status, parsed))
    actor = _authority_actor(principal, row.actors if row else frozenset())
    if parsed is lic.CaseAction.REQUEST_INFORMATION and not note.strip():
        raise ValidationError("say what information the exporter is to provide", field="note")
    if parsed is lic.CaseAction.RETURN_RECOMMENDATION and not note.strip():
        raise ValidationError("say why you return the recommendation", field="note")
    case, event = lic.transition(
        stored.case, parsed, actor, principal.label, expected_version=expected_version, note=note.strip()
    )
    after = _store(uow, principal, stored, case, event)
    if parsed is lic.CaseAction.REQUEST_INFORMATION:
        uow.licensing.add_message(
            case_id=case_id, author=principal.label, author_role="authority", body=note.strip()
        )
    uow.commit()
    return after


def record_assessment(
    uow: UnitOfWork,
    principal: Principal,
    case_id: int,
    findings: Sequence[lic.Finding],
    *,
    expected_version: int | None,
) -> StoredCase:
    """The officer's findings on every consideration of Art. 15(1) (the Common Position's criteria under
    point (c)); a concern is for the officer to weigh, never an automatic denial."""
    after = _record_assessment(uow, principal, case_id, findings, expected_version=expected_version)
    uow.commit()
    return after


def assess_and_recommend(
    uow: UnitOfWork,
    principal: Principal,
    case_id: int,
    findings: Sequence[lic.Finding],
    *,
    kind: str,
    reasoning: str,
    criteria_relied_on: Sequence[str] = (),
    conditions: Sequence[str] = (),
    expected_version: int | None,
) -> StoredCase:
    """The officer's findings and recommendation, as the assessment form sends them: one use case, one
    transaction (both recorded, or neither)."""
    assessed = _record_assessment(uow, principal, case_id, findings, expected_version=expected_version)
    after = _recommend(
        uow,
        principal,
        case_id,
        kind=kind,
        reasoning=reasoning,
        criteria_relied_on=criteria_relied_on,
        conditions=conditions,
        expected_version=assessed.case.version,
    )
    uow.commit()
    return after


def _record_assessment(
    uow: UnitOfWork,
    principal: Principal,
    case_id: int,
    findings: Sequence[lic.Finding],
    *,
    expected_version: int | None,
) -> StoredCase:
    stored = _load(uow, case_id, principal, Permission.ASSESS_CASE)
    _check_authority(principal, stored, Permission.ASSESS_CASE)
    case = stored.case
    if expected_version is not None and expected_version != case.version:
        raise ConflictError(f"case {case.id} is at version {case.version}, not {expected_version}; reload")
    if case.status is not lic.ApplicationStatus.UNDER_ASSESSMENT:
        raise ConflictError(f"a case that is {case.status} cannot be assessed")
    assessment = lic.Assessment(officer_id=principal.label, findings=tuple(findings))
    moved = replace(case, version=case.version + 1)
    event = lic.CaseEvent(
        name="AssessmentRecorded",
        case_id=case.id,
        action="assess",
        actor_role=lic.Actor.OFFICER,
        actor_id=principal.label,
        before=case.status,
        after=case.status,
        version=moved.version,
        note=", ".join(sorted(assessment.concerns)),
    )
    return _store(uow, principal, stored, moved, event, assessment=assessment)


def recommend(
    uow: UnitOfWork,
    principal: Principal,
    case_id: int,
    *,
    kind: str,
    reasoning: str,
    criteria_relied_on: Sequence[str] = (),
    conditions: Sequence[str] = (),
    expected_version: int | None,
) -> StoredCase:
    """The officer who assessed puts a recommendation forward for countersignature."""
    after = _recommend(
        uow,
        principal,
        case_id,
        kind=kind,
        reasoning=reasoning,
        criteria_relied_on=criteria_relied_on,
        conditions=conditions,
        expected_version=expected_version,
    )
    uow.commit()
    return after


def _recommend(
    uow: UnitOfWork,
    principal: Principal,
    case_id: int,
    *,
    kind: str,
    reasoning: str,
    criteria_relied_on: Sequence[str],
    conditions: Sequence[str],
    expected_version: int | None,
) -> StoredCase:
    stored = _load(uow, case_id, principal, Permission.ASSESS_CASE)
    _check_authority(principal, stored, Permission.ASSESS_CASE)
    if stored.assessment is None or stored.assessment.officer_id != principal.label:
        raise ConflictError("record your assessment of the case before recommending")
    try:
        recommendation_kind = lic.RecommendationKind(kind)
    except ValueError:
        raise ValidationError(f"unknown recommendation {kind!r}", field="kind") from None
    recommendation = lic.Recommendation(
        kind=recommendation_kind,
        officer_id=principal.label,
        assessment=stored.assessment,
        reasoning=reasoning,
        criteria_relied_on=tuple(criteria_relied_on),
        conditions=tuple(c for c in conditions if c.strip()),
    )
    case, event = lic.recommend(stored.case, recommendation, expected_version=expected_version)
    return _store(uow, principal, stored, case, event)


def decide(
    uow: UnitOfWork,
    principal: Principal,
    case_id: int,
    *,
    outcome: str,
    expected_version: int,
    secret: bytes,
    valid_from: date | None = None,
    valid_until: date | None = None,
    granted: Sequence[GrantedLine] = (),
    despite_denial_reasons: str = "",
) -> tuple[StoredCase, StoredLicence | None]:
    """A second, senior person of the same authority countersigns the recommendation (four eyes); the
    decision is final (Art. 16). A grant issues the licence in the same transaction, numbered in the
    state's sequence (concurrent grants of other cases wait their turn for a number; they do not fail).
    Of two concurrent countersignatures exactly one is recorded.

    Denials (Art. 16): held while a matching denial of another state awaits consultation (16(5)); a grant
    despite one says why (``despite_denial_reasons``) and is notified; a refusal is notified (16(1))."""
    from dualuse.services.denials import checks as denial_checks  # the denials package imports this one

    stored = _load(uow, case_id, principal, Permission.COUNTERSIGN)
    _check_authority(principal, stored, Permission.COUNTERSIGN)
    case = stored.case
    denials_found = denial_checks.before_decision(
        uow, stored, outcome=outcome, despite_reasons=despite_denial_reasons
    )
    _check_no_blocking_flag(uow, case_id)
    if case.recommendation is None:
        raise ConflictError(f"a case that is {case.status} has no recommendation to countersign")
    try:
        decided_outcome = lic.DecisionOutcome(outcome)
    except ValueError:
        raise ValidationError(f"unknown decision outcome {outcome!r}", field="outcome") from None
    decision = lic.countersign(
        case.recommendation,
        outcome=decided_outcome,
        countersigner_id=principal.label,
        countersigner_roles={lic.Actor.SENIOR},
        case_version=expected_version,
    )
    decided, event = lic.decide(case, decision)
    after = _store(uow, principal, stored, decided, event)
    denial_checks.after_decision(uow, principal, after, denials_found, despite_denial_reasons)
    licence = None
    if decision.outcome is not lic.DecisionOutcome.DENIED:
        licence = _issue(uow, principal, after, secret, valid_from, valid_until, granted)
    uow.commit()
    return after, licence


def _check_no_blocking_flag(uow: UnitOfWork, case_id: int) -> None:
    """A blocking flag on the case file holds the decision until it is cleared with a reason (issue 19)."""
    file = uow.casework.file(case_id)
    held = file.blocking_flags if file is not None else ()
    if held:
        labels = "; ".join(f"{f.label} ({f.subject})" for f in held)
        raise ConflictError(f"the case cannot be decided while a blocking flag is active: {labels}")


def _licensed_items(
    application: lic.Application, granted: Sequence[GrantedLine]
) -> tuple[lic.LicensedItem, ...]:
    requested = dict(enumerate(application.items, start=1))
    lines = granted or [GrantedLine(n, i.quantity, i.value_eur) for n, i in requested.items()]
    items = []
    for line in lines:
        item = requested.get(line.line)
        if item is None:
            raise ValidationError(f"the application has no line {line.line}", field="items")
        if line.quantity > item.quantity or line.value_eur > item.value_eur:
            raise ValidationError(f"line {line.line} grants more than was applied for", field="items")
        items.append(
            lic.LicensedItem(
                line=line.line,
                control_code=item.control_code,
                description=item.description,
                unit=item.unit,
                quantity=line.quantity,
                value_eur=line.value_eur,
            )
        )
    return tuple(items)


def _issue(
    uow: UnitOfWork,
    principal: Principal,
    stored: StoredCase,
    secret: bytes,
    valid_from: date | None,
    valid_until: date | None,
    granted: Sequence[GrantedLine],
) -> StoredLicence:
    case = stored.case
    assert case.decision is not None  # noqa: S101 - only decided cases are issued
    if case.decision.outcome is lic.DecisionOutcome.PARTIALLY_GRANTED and not granted:
        raise ValidationError("a partial grant says which lines it grants", field="items")
    application = case.current_application
    today = uow.clock.today()
    start = valid_from or today
    lic.check_start(start, today)  # not backdated, not far ahead (F19); its length: Art. 12(3)
    until = valid_until or lic.latest_valid_until(application.application_type, start)
    state = stored.member_state
    sequence = uow.licensing.next_licence_sequence(state, start.year)
    number = lic.licence_number(state, start.year, sequence)
    licence = lic.issue_licence(
        number=number,
        case_id=case.id,
        holder_id=case.exporter_id,
        licence_type=application.application_type,
        valid_from=start,
        valid_until=until,
        items=_licensed_items(application, granted),
        conditions=case.decision.recommendation.conditions,
    )
    code = lic.check_code(number, secret)
    licence_id = uow.licensing.add_licence(
        case_id=stored.id, member_state=state, licence=licence, check_code=code
    )
    audit.record(
        uow,
        actor=principal.label,
        action=f"{ENTITY_LICENCE}.LicenceIssued",
        entity_type=ENTITY_LICENCE,
        entity_id=number,
        after={
            "case": stored.id,
            "valid_from": start.isoformat(),
            "valid_until": until.isoformat(),
            "items": len(licence.items),
        },
    )
    return StoredLicence(
        id=licence_id,
        case_id=stored.id,
        member_state=state,
        licence=licence,
        check_code=code,
        issued_at=uow.clock.now(),
    )


# --- licences -------------------------------------------------------------------------------------------
def _load_licence(
    uow: UnitOfWork, number: str, principal: Principal, wanted: Permission | None
) -> StoredLicence:
    _may(principal, wanted)
    stored = uow.licensing.licence(number.strip().upper())
    if stored is None:
        raise NotFoundError(NO_LICENCE)
    return stored


def _check_licence_read(principal: Principal, stored: StoredLicence) -> None:
    kind = principal.organisation_kind
    if kind is OrganisationKind.EXPORTER:
        authorize(
            principal,
            Permission.ACT_FOR_EXPORTER,
            organisation_id=int(stored.licence.holder_id),
            not_found=NO_LICENCE,
        )
    elif kind is OrganisationKind.AUTHORITY:
        authorize(principal, Permission.ASSESS_CASE, member_state=stored.member_state, not_found=NO_LICENCE)
    elif kind is OrganisationKind.COMMISSION and principal.is_authenticated:
        authorize(principal, Permission.VIEW_UNION_AGGREGATES)
    else:
        raise PermissionDeniedError("sign in to see licences")


def get_licence(uow: UnitOfWork, principal: Principal, number: str) -> StoredLicence:
    stored = _load_licence(uow, number, principal, None)
    _check_licence_read(principal, stored)
    oversight.record_read(
        uow,
        principal,
        entity_type=ENTITY_LICENCE,
        entity_id=stored.licence.number,
        legal_basis="Art. 23(2)(a)",
        owner=int(stored.licence.holder_id),
    )
    return disclosure.licence_as_seen(principal, stored)


def licences_of_cases(
    uow: UnitOfWork, principal: Principal, cases: Sequence[StoredCase | QueueEntry]
) -> Mapping[int, StoredLicence]:
    """The licences issued on ``cases`` (which the caller has read through a use case), each as the
    principal may see it; a licence the principal may not read is left out."""
    out: dict[int, StoredLicence] = {}
    for case_id, stored in uow.licensing.licences_for_cases([c.id for c in cases]).items():
        try:
            _check_licence_read(principal, stored)
        except (PermissionDeniedError, NotFoundError):
            continue
        out[case_id] = disclosure.licence_as_seen(principal, stored)
    return out


def licence_document(uow: UnitOfWork, principal: Principal, number: str) -> tuple[StoredLicence, StoredCase]:
    """A licence with its case, for the licence document: the holder's and its authority's. The Commission
    reads the licence data (Art. 23(2)(a)), not the document with the application's parties (F15)."""
    if principal.organisation_kind is OrganisationKind.COMMISSION:
        raise PermissionDeniedError(
            "the Commission reads licence figures (Art. 23(2)(a), 26(2)), not licence documents"
        )
    stored = get_licence(uow, principal, number)
    return stored, get_application(uow, principal, stored.case_id)


def licences(uow: UnitOfWork, principal: Principal) -> Sequence[StoredLicence]:
    """The exporter's licences, the authority's state's, or (for the Commission) all; only an authority
    sees which officer proposed a pending change (F13)."""
    return [disclosure.licence_as_seen(principal, s) for s in _licences(uow, principal)]


def _licences(uow: UnitOfWork, principal: Principal) -> Sequence[StoredLicence]:
    kind = principal.organisation_kind
    if kind is OrganisationKind.EXPORTER:
        return uow.licensing.licences(organisation_id=int(_exporter_id(principal)))
    if kind is OrganisationKind.AUTHORITY and principal.member_state is not None:
        authorize(principal, Permission.ASSESS_CASE)
        return uow.licensing.licences(member_state=principal.member_state)
    if oversight.is_commission(principal):
        raise PermissionDeniedError(COMMISSION_REFUSAL)
    if kind is OrganisationKind.COMMISSION and principal.is_authenticated:
        # the operator at the command line (F15: the read is audited)
        authorize(principal, Permission.VIEW_UNION_AGGREGATES)
        oversight.record_read(
            uow, principal, entity_type=ENTITY_LICENCE, entity_id="*", legal_basis="Art. 23(2)(a)"
        )
        return uow.licensing.licences()
    raise PermissionDeniedError("sign in to see licences")


def licence_action(
    uow: UnitOfWork,
    principal: Principal,
    number: str,
    action: str,
    *,
    reason: str,
    expected_version: int | None = None,
    valid_until: date | None = None,
    conditions: Sequence[str] | None = None,
) -> StoredLicence:
    """Suspend, reinstate, revoke, annul or amend a licence (Art. 16), as ``LICENCE_TRANSITIONS`` allows;
    the event says whether the other member states and the Commission are to be informed. A move that gives
    the holder more (reinstating, or an amendment that relaxes) is recorded as a proposal; ``countersign``
    by a senior other than the proposer puts it in force, ``reject`` turns it down."""
    stored = _load_licence(uow, number, principal, Permission.ASSESS_CASE)
    authorize(principal, Permission.ASSESS_CASE, member_state=stored.member_state, not_found=NO_LICENCE)
    if principal.organisation_kind is not OrganisationKind.AUTHORITY:
        raise PermissionDeniedError("only the competent authority acts on a licence")
    try:
        parsed = lic.LicenceAction(action)
    except ValueError:
        raise ValidationError(f"unknown licence action {action!r}", field="action") from None
    current = stored.licence
    # What one official may do alone, and what waits for a senior's countersignature: see
    # ``lic.LICENCE_TRANSITIONS`` (everything that gives the holder more needs four eyes).
    if parsed is lic.LicenceAction.AMEND:
        actor = _authority_actor(principal, frozenset())
        target = lic.amended(
            current, valid_until=valid_until, conditions=tuple(conditions) if conditions is not None else None
        )
        if lic.relaxations(current, target):
            licence, event = lic.propose_change(
                current,
                parsed,
                actor,
                principal.label,
                reason=reason,
                target=target,
                expected_version=expected_version,
            )
        else:
            licence, event = lic.amend_licence(
                current,
                actor_role=actor,
                actor_id=principal.label,
                reason=reason,
                valid_until=valid_until,
                conditions=tuple(conditions) if conditions is not None else None,
                expected_version=expected_version,
            )
    elif parsed is lic.LicenceAction.REINSTATE:
        licence, event = lic.propose_change(
            current,
            parsed,
            _authority_actor(principal, frozenset()),
            principal.label,
            reason=reason,
            expected_version=expected_version,
        )
    elif parsed is lic.LicenceAction.COUNTERSIGN:
        licence, event = lic.countersign_change(
            current,
            _authority_actor(principal, frozenset({lic.Actor.SENIOR})),
            principal.label,
            expected_version=expected_version,
        )
    elif parsed is lic.LicenceAction.REJECT:
        licence, event = lic.reject_change(
            current,
            _authority_actor(principal, frozenset({lic.Actor.SENIOR})),
            principal.label,
            reason=reason,
        )
    else:
        row = lic.LICENCE_TRANSITIONS.get((current.status, parsed))
        actor = _authority_actor(principal, row.actors if row else frozenset())
        licence, event = lic.licence_transition(
            current, parsed, actor, principal.label, reason=reason, expected_version=expected_version
        )
    after = _store_licence(uow, principal, stored, licence, event)
    if event.notify_other_states:  # Art. 16(1): the other states and the Commission are told
        from dualuse.services.denials import register as denial_register  # imports this package

        case = uow.licensing.case(stored.case_id)
        if case is not None:
            denial_register.notify_licence_action(uow, principal, after, case, parsed, reason)
    uow.commit()
    return after


def _store_licence(
    uow: UnitOfWork,
    principal: Principal,
    stored: StoredLicence,
    licence: lic.Licence,
    event: lic.LicenceEvent,
) -> StoredLicence:
    after = replace(stored, licence=licence)
    uow.licensing.save_licence(after, expected_version=stored.licence.version)
    audit.record(
        uow,
        actor=principal.label if event.actor_role is not lic.Actor.SYSTEM else "system",
        action=f"{ENTITY_LICENCE}.{event.name}",
        entity_type=ENTITY_LICENCE,
        entity_id=stored.licence.number,
        before={"status": event.before.value, "version": stored.licence.version},
        after={
            "status": event.after.value,
            "version": licence.version,
            "notify_other_states": event.notify_other_states,
        },
        reason=event.reason or None,
    )
    return after


def check_assessor(uow: UnitOfWork, principal: Principal, case_id: int) -> None:
    """Refuse anyone but the case's competent authority, before an assessment form is read."""
    assessed_case(uow, principal, case_id)


def assessed_case(uow: UnitOfWork, principal: Principal, case_id: int) -> StoredCase:
    """The case, for its competent authority only (anyone else: as for a missing case)."""
    stored = _load(uow, case_id, principal, Permission.ASSESS_CASE)
    _check_authority(principal, stored, Permission.ASSESS_CASE)
    return stored


def check_holder(uow: UnitOfWork, principal: Principal, number: str) -> None:
    """Refuse anyone but the licence's holder, before a shipment form is read."""
    stored = _load_licence(uow, number, principal, Permission.ACT_FOR_EXPORTER)
    authorize(
        principal,
        Permission.ACT_FOR_EXPORTER,
        organisation_id=int(stored.licence.holder_id),
        not_found=NO_LICENCE,
    )


def record_shipment(
    uow: UnitOfWork,
    principal: Principal,
    number: str,
    *,
    item_line: int,
    quantity: Decimal,
    value_eur: Decimal,
    shipped_on: date,
    customs_reference: str,
) -> StoredLicence:
    """The holder records an export under its licence; refused, saying why, when the licence is not in
    force or the shipment exceeds what is left (Arts. 12, 16). The last shipment exhausts the licence."""
    stored = _load_licence(uow, number, principal, Permission.ACT_FOR_EXPORTER)
    authorize(
        principal,
        Permission.ACT_FOR_EXPORTER,
        organisation_id=int(stored.licence.holder_id),
        not_found=NO_LICENCE,
    )
    # Shipments against one licence are recorded one at a time: two concurrent ones could each fit in
    # what is left and together exceed it. Read again once held, as it stands now.
    uow.licensing.hold_licence(stored.id)
    stored = _load_licence(uow, number, principal, None)
    shipment = lic.Shipment(
        licence_number=stored.licence.number,
        item_line=item_line,
        quantity=quantity,
        value_eur=value_eur,
        shipped_on=shipped_on,
        customs_reference=customs_reference.strip(),
    )
    licence, _, events = lic.record_shipment(stored.licence, uow.licensing.shipments(stored.id), shipment)
    shipment_id = uow.licensing.add_shipment(licence_id=stored.id, shipment=shipment)
    audit.record(
        uow,
        actor=principal.label,
        action=f"{ENTITY_LICENCE}.ShipmentRecorded",
        entity_type=ENTITY_LICENCE,
        entity_id=stored.licence.number,
        after={
            "shipment": shipment_id,
            "line": item_line,
            "quantity": str(quantity),
            "value_eur": str(value_eur),
            "customs_reference": shipment.customs_reference,
        },
    )
    after = stored
    for event in events:
        after = _store_licence(uow, principal, after, licence, event)
    uow.commit()
    return after


def remaining(
    uow: UnitOfWork, principal: Principal, number: str
) -> tuple[StoredLicence, Mapping[int, lic.Remaining]]:
    """What is left on each line of the licence."""
    stored = get_licence(uow, principal, number)
    return stored, lic.remaining(stored.licence, uow.licensing.shipments(stored.id))


def shipment_history(uow: UnitOfWork, principal: Principal, number: str) -> Sequence[lic.Shipment]:
    """The shipments made under the licence, oldest first (its usage over time)."""
    stored = get_licence(uow, principal, number)
    return sorted(uow.licensing.shipments(stored.id), key=lambda s: (s.shipped_on, s.item_line))


@dataclass(frozen=True)
class Verification:
    """What anyone may learn about a licence from its number and check code: whether it is genuine, its
    status and validity; no commercial content."""

    genuine: bool
    number: str
    status: str | None = None
    valid_from: date | None = None
    valid_until: date | None = None
    member_state: str | None = None
    in_force: bool = False


def verify(uow: UnitOfWork, number: str, code: str, secret: bytes) -> Verification:
    """Public check of a licence presented at customs or by a trading partner."""
    number = number.strip().upper()
    stored = uow.licensing.licence(number)
    if stored is None or not lic.verify_check_code(number, code, secret):
        return Verification(genuine=False, number=number)
    licence = stored.licence
    today = uow.clock.today()
    return Verification(
        genuine=True,
        number=number,
        status=licence.status.value,
        valid_from=licence.valid_from,
        valid_until=licence.valid_until,
        member_state=stored.member_state,
        in_force=licence.status is lic.LicenceStatus.ACTIVE
        and licence.valid_from <= today <= licence.valid_until,
    )
