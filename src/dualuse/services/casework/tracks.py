"""Requests after the decision as use cases (issue 19, point 5): the holder asks to extend or amend its
licence, the applicant appeals a refusal, an exporter enquires before applying; the authority of the
exporter's state handles each on its own track with its own (four-eyes) decision or ruling.

An extension or amendment changes the licence only through the licence's own moves: the officer's
recommendation to grant proposes the change (``licensing.licence_action``: a change that gives the holder
more waits for a senior's countersignature), the senior's decision to grant countersigns it, and a
refusal rejects it. Each track is optimistically locked and every move is an audit event."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from dualuse.domain import licensing as lic
from dualuse.domain.casework import tracks as tr
from dualuse.domain.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from dualuse.domain.identity import OrganisationKind, Permission, Principal, authorize
from dualuse.services import audit
from dualuse.services import licensing as licensing_service
from dualuse.services.unit_of_work import UnitOfWork

ENTITY = "casework_track"
NO_TRACK = "no such request"


def _record(uow: UnitOfWork, principal: Principal, track: tr.Track, event: tr.TrackEvent) -> None:
    audit.record(
        uow,
        actor=principal.label,
        action=f"{ENTITY}.{event.name}",
        entity_type=ENTITY,
        entity_id=track.id,
        before={"status": event.before.value} if event.before else None,
        after={"status": event.after.value, "kind": track.kind.value, "version": track.version},
        reason=event.note or None,
    )


def _open(uow: UnitOfWork, principal: Principal, **fields: object) -> tr.Track:
    events: list[tr.TrackEvent] = []

    def build(track_id: int) -> tr.Track:
        track, event = tr.open_track(track_id, opened_by=principal.label, **fields)  # type: ignore[arg-type]
        events.append(event)
        return track

    build(0)  # refuse bad input before anything is written
    track = uow.casework.add_track(build)
    _record(uow, principal, track, events[-1])
    uow.commit()
    return track


def _exporter(principal: Principal) -> tuple[int, str]:
    authorize(principal, Permission.ACT_FOR_EXPORTER)
    if principal.organisation_id is None or principal.member_state is None:
        raise PermissionDeniedError("only an exporter's users make these requests")
    return principal.organisation_id, principal.member_state


def request_change(
    uow: UnitOfWork,
    principal: Principal,
    number: str,
    *,
    kind: str,
    reason: str,
    valid_until: date | None = None,
    conditions: Sequence[str] | None = None,
) -> tr.Track:
    """The holder asks to extend (a later ``valid_until``) or amend (``conditions``) its licence."""
    organisation_id, _ = _exporter(principal)
    stored = licensing_service.get_licence(uow, principal, number)
    licence = stored.licence
    parsed = tr.TrackKind(kind) if kind in ("extension", "amendment") else None
    if parsed is None:
        raise ValidationError("ask for an extension or an amendment", field="kind")
    request: dict[str, str] = {}
    if parsed is tr.TrackKind.EXTENSION:
        if valid_until is None or valid_until <= licence.valid_until:
            raise ValidationError(
                f"an extension asks for a day after {licence.valid_until}", field="valid_until"
            )
        lic.amended(licence, valid_until=valid_until)  # refuse beyond the Art. 12(3) validity now, not later
        request["valid_until"] = valid_until.isoformat()
    else:
        if conditions is None:
            raise ValidationError(
                "an amendment says which conditions the licence should carry", field="conditions"
            )
        request["conditions"] = "\n".join(c.strip() for c in conditions if c.strip())
    if licence.status is not lic.LicenceStatus.ACTIVE:
        raise ConflictError(f"a licence that is {licence.status.value} cannot be {parsed.value}ed")
    return _open(
        uow,
        principal,
        kind=parsed,
        member_state=stored.member_state,
        organisation_id=organisation_id,
        reason=reason,
        licence_number=licence.number,
        case_id=stored.case_id,
        request=request,
    )


def appeal(uow: UnitOfWork, principal: Principal, case_id: int, *, grounds: str) -> tr.Track:
    """The applicant appeals a refusal; those who took it do not handle the appeal."""
    organisation_id, _ = _exporter(principal)
    stored = licensing_service.get_application(uow, principal, case_id)
    decision = stored.case.decision
    if decision is None or decision.outcome is not lic.DecisionOutcome.DENIED:
        raise ConflictError("only a refusal can be appealed")
    if any(
        t.kind is tr.TrackKind.APPEAL and t.case_id == case_id
        for t in uow.casework.tracks(organisation_id=organisation_id)
    ):
        raise ConflictError("this refusal is already appealed")
    return _open(
        uow,
        principal,
        kind=tr.TrackKind.APPEAL,
        member_state=stored.member_state,
        organisation_id=organisation_id,
        reason=grounds,
        case_id=case_id,
        excluded=(decision.recommendation.officer_id, decision.countersigned_by),
    )


def enquire(
    uow: UnitOfWork,
    principal: Principal,
    *,
    question: str,
    control_code: str = "",
    description: str = "",
    destination: str = "",
) -> tr.Track:
    """Before applying: is this item listed, would this export need a licence?"""
    organisation_id, member_state = _exporter(principal)
    if destination and not (len(destination.strip()) == 2 and destination.strip().isalpha()):
        raise ValidationError("a destination is an ISO 3166-1 alpha-2 code", field="destination")
    request = {
        "control_code": control_code.strip()[:40],
        "description": description.strip()[:1000],
        "destination": destination.strip().upper(),
    }
    return _open(
        uow,
        principal,
        kind=tr.TrackKind.ENQUIRY,
        member_state=member_state,
        organisation_id=organisation_id,
        reason=question,
        request=request,
    )


def _load(uow: UnitOfWork, principal: Principal, track_id: int) -> tr.Track:
    if not principal.is_authenticated:
        raise PermissionDeniedError("sign in to see requests")
    kind = principal.organisation_kind
    # what is refused whatever the request is, refused before it is looked up (F16)
    if kind is OrganisationKind.EXPORTER:
        authorize(principal, Permission.ACT_FOR_EXPORTER)
    elif kind is OrganisationKind.AUTHORITY:
        authorize(principal, Permission.ASSESS_CASE)
    else:
        raise PermissionDeniedError("only the exporter and its authority see its requests")
    track = uow.casework.track(track_id)
    if track is None:
        raise NotFoundError(NO_TRACK)
    if kind is OrganisationKind.EXPORTER:
        authorize(
            principal, Permission.ACT_FOR_EXPORTER, organisation_id=track.organisation_id, not_found=NO_TRACK
        )
    else:
        authorize(principal, Permission.ASSESS_CASE, member_state=track.member_state, not_found=NO_TRACK)
    return track


def get(uow: UnitOfWork, principal: Principal, track_id: int) -> tr.Track:
    return _load(uow, principal, track_id)


def listing(uow: UnitOfWork, principal: Principal) -> Sequence[tr.Track]:
    if principal.organisation_kind is OrganisationKind.EXPORTER:
        organisation_id, _ = _exporter(principal)
        return uow.casework.tracks(organisation_id=organisation_id)
    authorize(principal, Permission.ASSESS_CASE)
    if principal.organisation_kind is not OrganisationKind.AUTHORITY:
        raise PermissionDeniedError("only the exporter and its authority see its requests")
    return uow.casework.tracks(member_state=principal.member_state)


def _authority(uow: UnitOfWork, principal: Principal, track_id: int, permission: Permission) -> tr.Track:
    # refused whatever the request is before it is looked up, so a refusal tells nothing of it (F16)
    authorize(principal, permission)
    if principal.organisation_kind is not OrganisationKind.AUTHORITY:
        raise PermissionDeniedError("only the competent authority handles requests")
    return _load(uow, principal, track_id)


def _save(
    uow: UnitOfWork, principal: Principal, before: tr.Track, after: tr.Track, event: tr.TrackEvent
) -> None:
    uow.casework.save_track(after, expected_version=before.version)
    _record(uow, principal, after, event)


def recommend(
    uow: UnitOfWork,
    principal: Principal,
    track_id: int,
    *,
    outcome: str,
    reasoning: str,
    expected_version: int | None,
) -> tr.Track:
    """The officer recommends; for a grant of an extension or amendment the change is proposed on the
    licence now (it waits for the senior's countersignature)."""
    track = _authority(uow, principal, track_id, Permission.ASSESS_CASE)
    after, event = tr.recommend(
        track,
        outcome=outcome,
        reasoning=reasoning,
        officer=principal.label,
        expected_version=expected_version,
    )
    _save(uow, principal, track, after, event)
    if track.kind in (tr.TrackKind.EXTENSION, tr.TrackKind.AMENDMENT) and outcome == "grant":
        valid_until = track.request.get("valid_until")
        conditions = track.request.get("conditions")
        licensing_service.licence_action(  # commits the track's move with the proposal
            uow,
            principal,
            track.licence_number,
            "amend",
            reason=f"{track.kind.value} request {track.id}: {reasoning}",
            valid_until=date.fromisoformat(valid_until) if valid_until else None,
            conditions=conditions.splitlines() if conditions is not None else None,
        )
    uow.commit()
    return after


def send_back(
    uow: UnitOfWork, principal: Principal, track_id: int, *, reasoning: str, expected_version: int | None
) -> tr.Track:
    track = _authority(uow, principal, track_id, Permission.COUNTERSIGN)
    after, event = tr.send_back(
        track, senior=principal.label, reasoning=reasoning, expected_version=expected_version
    )
    _save(uow, principal, track, after, event)
    if track.kind in (tr.TrackKind.EXTENSION, tr.TrackKind.AMENDMENT) and _pending(uow, track):
        licensing_service.licence_action(uow, principal, track.licence_number, "reject", reason=reasoning)
    uow.commit()
    return after


def _pending(uow: UnitOfWork, track: tr.Track) -> bool:
    stored = uow.licensing.licence(track.licence_number)
    return stored is not None and stored.licence.pending is not None


def decide(
    uow: UnitOfWork,
    principal: Principal,
    track_id: int,
    *,
    outcome: str,
    reasoning: str,
    expected_version: int | None,
) -> tr.Track:
    """A senior other than the officer decides; a granted change is countersigned on the licence, a
    refused one rejected."""
    track = _authority(uow, principal, track_id, Permission.COUNTERSIGN)
    after, event = tr.decide(
        track, outcome=outcome, reasoning=reasoning, senior=principal.label, expected_version=expected_version
    )
    _save(uow, principal, track, after, event)
    if track.kind in (tr.TrackKind.EXTENSION, tr.TrackKind.AMENDMENT) and _pending(uow, track):
        action = "countersign" if outcome == "grant" else "reject"
        licensing_service.licence_action(uow, principal, track.licence_number, action, reason=reasoning)
    uow.commit()
    return after


def answer(
    uow: UnitOfWork,
    principal: Principal,
    track_id: int,
    *,
    outcome: str,
    binding: bool,
    answer_text: str,
    legal_basis: str,
    expected_version: int | None,
) -> tr.Track:
    track = _authority(uow, principal, track_id, Permission.ASSESS_CASE)
    after, event = tr.answer(
        track,
        outcome=outcome,
        binding=binding,
        answer_text=answer_text,
        legal_basis=legal_basis,
        officer=principal.label,
        expected_version=expected_version,
    )
    _save(uow, principal, track, after, event)
    uow.commit()
    return after
