"""Risk profiles of destinations and end-users, and the reports civil society submits for them (moderated before
they are used)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dualuse.domain.duediligence import (
    RiskLevel,
    normalise_end_user,
)
from dualuse.domain.duediligence.records import (
    DdAction,
    DdCase,
    StoredProfile,
    Submission,
    SubmissionStatus,
    move,
)
from dualuse.domain.errors import ConflictError, NotFoundError, ValidationError
from dualuse.domain.identity import OrganisationKind, Principal
from dualuse.services import audit, disclosure
from dualuse.services.duediligence.notifications import authority_state
from dualuse.services.identity import normalise_email
from dualuse.services.unit_of_work import UnitOfWork


# --- risk profiles and civil society -------------------------------------------------------------
def add_profile(
    uow: UnitOfWork,
    principal: Principal,
    *,
    subject_kind: str,
    subject: str,
    level: RiskLevel | str,
    summary: str,
    sources: Sequence[Mapping[str, Any]],
    origin: str = "authority",
) -> int:
    """An authority records a human-rights risk profile of a country or an end-user, with dated sources."""
    authority_state(principal)
    if subject_kind not in ("country", "end_user"):
        raise ValidationError("a profile is about a country or an end-user", field="subject_kind")
    try:
        risk = RiskLevel(level)
    except ValueError:
        raise ValidationError(f"unknown risk level {level!r}", field="level") from None
    cleaned = [dict(s) for s in sources if s.get("title")]
    if not cleaned:
        raise ValidationError("a risk profile needs at least one source", field="sources")
    if risk is not RiskLevel.UNKNOWN and not any(s.get("published") for s in cleaned):
        raise ValidationError("a rating needs at least one dated source", field="sources")
    profile_id = uow.duediligence.add_profile(
        subject_kind=subject_kind,
        subject=subject.strip(),
        level=risk.value,
        summary=summary.strip(),
        sources=cleaned,
        origin=origin,
        verified=False,
        by=principal.label,
    )
    audit.record(
        uow,
        actor=principal.label,
        action="risk_profile.added",
        entity_type="risk_profile",
        entity_id=profile_id,
        after={"subject": subject.strip(), "level": risk.value, "origin": origin},
    )
    uow.commit()
    return profile_id


def submit(
    uow: UnitOfWork,
    *,
    organisation_name: str,
    contact_email: str | None,
    subject_kind: str,
    subject: str,
    what_happened: str,
    sources: Sequence[str],
    name_publicly: bool = False,
) -> int:
    """A civil-society submission on an end-user or destination; it waits for moderation before any use.
    The reporter stays anonymous wherever the accepted report is shown unless ``name_publicly`` (F13)."""
    problems = [
        ("organisation_name", "name your organisation", organisation_name),
        ("subject", "name the end-user or destination concerned", subject),
        ("what_happened", "say what happened", what_happened),
    ]
    for field_name, message, value in problems:
        if not value.strip():
            raise ValidationError(message, field=field_name)
    if subject_kind not in ("country", "end_user"):
        raise ValidationError("say whether it concerns a country or an end-user", field="subject_kind")
    links = [s.strip() for s in sources if s.strip()]
    if not links:
        raise ValidationError("give at least one source", field="sources")
    contact = (contact_email or "").strip() or None
    if contact is not None:  # the same check as a user's address: no markup, valid syntax
        try:
            contact = normalise_email(contact)
        except ValidationError:
            raise ValidationError(
                "enter a contact email like name@example.org, or leave it empty", field="contact_email"
            ) from None
    submission_id = uow.duediligence.add_submission(
        organisation_name=organisation_name.strip(),
        contact_email=contact,
        subject_kind=subject_kind,
        subject=subject.strip(),
        what_happened=what_happened.strip(),
        sources=links,
        name_publicly=name_publicly,
    )
    audit.record(
        uow,
        actor="public",
        action="submission.received",
        entity_type="submission",
        entity_id=submission_id,
        after={"organisation": organisation_name.strip(), "subject": subject.strip()},
    )
    uow.commit()
    return submission_id


def moderate(
    uow: UnitOfWork,
    principal: Principal,
    submission_id: int,
    *,
    accept: bool,
    note: str,
    level: RiskLevel | str = RiskLevel.UNKNOWN,
) -> None:
    """An authority accepts (it then feeds a risk profile) or rejects a submission."""
    authority_state(principal)
    submission = uow.duediligence.submission(submission_id)
    if submission is None:
        raise NotFoundError("no such submission")
    try:
        moved = move(submission.status, DdAction.ACCEPT if accept else DdAction.REJECT)
    except ConflictError:
        raise ConflictError("this submission has already been moderated") from None
    status = SubmissionStatus(moved.target)
    uow.duediligence.moderate(submission_id, status=status, note=note, by=principal.label)
    audit.record(
        uow,
        actor=principal.label,
        action=moved.event,
        entity_type="submission",
        entity_id=submission_id,
        after={"status": status.value},
        reason=note or None,
    )
    if accept:
        add_profile(
            uow,
            principal,
            subject_kind=submission.subject_kind,
            subject=submission.subject,
            level=level,
            summary=_submission_summary(submission),
            sources=[{"title": s, "url": s, "published": None} for s in submission.sources],
            origin="submission",
        )
    uow.commit()


def pending_submissions(uow: UnitOfWork, principal: Principal) -> Sequence[Submission]:
    """Civil society's reports awaiting moderation: for authorities only."""
    authority_state(principal)
    return uow.duediligence.submissions(status=SubmissionStatus.PENDING)


def _submission_summary(submission: Submission) -> str:
    """F13: the reporter is named where the profile is shown (the public page among them) only if it asked to
    be; otherwise the submission, with its author, stays with the authorities."""
    by = f" by {submission.organisation_name}" if submission.name_publicly else ""
    return f"From a civil-society submission{by}: {submission.what_happened}"


def profiles(uow: UnitOfWork, principal: Principal | None = None) -> Sequence[StoredProfile]:
    """Risk profiles; who entered them is named to authorities only (F13)."""
    return [_profile_as_seen(principal, p) for p in uow.duediligence.profiles()]


def _profile_as_seen(principal: Principal | None, profile: StoredProfile) -> StoredProfile:
    return disclosure.shown(principal or Principal.public(), profile, ("entered_by",), None)


def authority_states(uow: UnitOfWork) -> list[str]:
    """The member states with a competent authority on this platform: the ones consulted under Art. 5(4)."""
    return sorted(
        o.member_state
        for o in uow.organisations.list()
        if o.kind is OrganisationKind.AUTHORITY and o.member_state
    )


def profiles_for(uow: UnitOfWork, case: DdCase, principal: Principal | None = None) -> list[StoredProfile]:
    """Risk profiles bearing on a case: its destination country and its end-user (by normalised name)."""
    tx = case.transaction
    end_user = normalise_end_user(tx["end_user"]["name"])
    return [
        _profile_as_seen(principal, p)
        for p in uow.duediligence.profiles()
        if (p.subject_kind == "country" and p.subject.upper() == tx["destination"])
        or (p.subject_kind == "end_user" and normalise_end_user(p.subject) == end_user)
    ]
