"""Human-rights due diligence for cyber-surveillance exports (Commission Recommendation (EU) 2024/2659) and the
Art. 5 catch-all that follows from it: the exporter's case and its conclusion, the notification to the
authority (Art. 5(2)), the authority's decision, the exchange with the other member states (Art. 5(4)) and
the Union-wide publication (Art. 5(6) [M: paragraph numbers beyond (4) unverified])."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from dualuse.domain.duediligence import (
    STEPS,
    Conclusion,
    FlagAnswer,
    IcpLevel,
    RedFlagSet,
    RiskLevel,
    Step,
    View,
    add_working_days,
    awareness,
    check_conclusion,
    consultation_outcome,
    normalise_end_user,
    suggested_conclusion,
    view_deadline,
)
from dualuse.domain.duediligence.icp import ICP_ELEMENTS
from dualuse.domain.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from dualuse.domain.identity import OrganisationKind, Permission, Principal, authorize
from dualuse.domain.rules.engine import ListSource
from dualuse.domain.rules.facts import canonical_control_code
from dualuse.services import audit, disclosure, oversight
from dualuse.services.clock import today_in_brussels
from dualuse.services.determination.service import code_problem, list_view
from dualuse.services.identity import normalise_email
from dualuse.services.unit_of_work import Row, UnitOfWork

INTERNAL_REPRESSION = "internal_repression"


# --- the exporter's case ---------------------------------------------------------------------------
def _exporter(principal: Principal) -> int:
    authorize(principal, Permission.ACT_FOR_EXPORTER)
    assert principal.organisation_id is not None  # noqa: S101 - exporters belong to an organisation
    return principal.organisation_id


def check_transaction(
    transaction: Mapping[str, Any], list_source: ListSource | None = None
) -> dict[str, Any]:
    """The transaction a case is about: destination, end-user and the item (listed or not). With
    ``list_source``, a control code must be listed in the version in force today, as on every determination
    path ("did you mean" otherwise)."""
    destination = str(transaction.get("destination") or "").strip().upper()
    if len(destination) != 2:
        raise ValidationError("give the destination as an ISO country code", field="destination")
    end_user = transaction.get("end_user") or {}
    name = str(end_user.get("name") or "").strip()
    if not name:
        raise ValidationError("name the end-user", field="end_user.name")
    item = transaction.get("item") or {}
    description = str(item.get("description") or "").strip()
    if not description:
        raise ValidationError("describe the item", field="item.description")
    code = str(item.get("control_code") or "").strip() or None
    if code is not None and list_source is not None:
        try:
            code = canonical_control_code(code)
        except ValidationError as error:
            raise ValidationError(error.detail, field="item.control_code") from error
        problem = code_problem(list_view(list_source, today_in_brussels()), code)
        if problem is not None:
            raise ValidationError(problem, field="item.control_code")
    return {
        "destination": destination,
        "end_user": {"name": name, "type": str(end_user.get("type") or "unknown"), "country": destination},
        "item": {
            "description": description,
            "control_code": code,
            "cyber_surveillance": bool(item.get("cyber_surveillance", True)),
        },
    }


def open_case(
    uow: UnitOfWork,
    principal: Principal,
    flags: RedFlagSet,
    *,
    title: str,
    transaction: Mapping[str, Any],
    list_source: ListSource | None = None,
) -> int:
    """Open a due-diligence case for one transaction (or one end-user for repeat business); with
    ``list_source`` its control code, if any, must be listed in the version in force."""
    organisation_id = _exporter(principal)
    if not title.strip():
        raise ValidationError("give the case a title", field="title")
    checked = check_transaction(transaction, list_source)
    case_id = uow.duediligence.add_case(
        organisation_id=organisation_id,
        title=title.strip(),
        transaction=checked,
        red_flag_version=flags.version,
        by=principal.label,
    )
    audit.record(
        uow,
        actor=principal.label,
        action="dd_case.opened",
        entity_type="dd_case",
        entity_id=case_id,
        after={"title": title.strip(), "transaction": checked},
    )
    uow.commit()
    return case_id


@dataclass(frozen=True)
class CaseView:
    case: Row
    answers: dict[str, FlagAnswer]
    notes: dict[str, str]
    entries: Sequence[Row]
    steps_done: frozenset[Step]
    suggested: Conclusion
    notification: Row | None

    @property
    def next_step(self) -> Step | None:
        return next((s for s in STEPS if s is not Step.CONCLUSION and s not in self.steps_done), None)


def get_case(uow: UnitOfWork, principal: Principal, flags: RedFlagSet, case_id: int) -> CaseView:
    case = uow.duediligence.case(case_id)
    _check_case_access(principal, case)
    assert case is not None  # noqa: S101 - checked above
    entries = uow.duediligence.entries(case_id)
    answers: dict[str, FlagAnswer] = {}
    notes: dict[str, str] = {}
    done: set[Step] = set()
    for entry in entries:  # later records of a step supersede earlier ones
        done.add(Step(entry["step"]))
        notes[entry["step"]] = entry["note"]
        for flag_id, answer in entry["answers"].items():
            answers[flag_id] = FlagAnswer(answer["answer"])
    notification = next(
        (
            n
            for n in uow.duediligence.notifications(organisation_id=case["organisation_id"])
            if n["case_id"] == case_id
        ),
        None,
    )
    if notification is not None:  # F13: the exporter learns the authority's decision, not the officer's name
        notification = disclosure.shown(
            principal, notification, ("decided_by",), notification["member_state"]
        )
    return CaseView(
        case, answers, notes, entries, frozenset(done), suggested_conclusion(flags, answers), notification
    )


def _check_case_access(principal: Principal, case: Row | None) -> None:
    authorize(
        principal,
        Permission.ACT_FOR_EXPORTER,
        organisation_id=case["organisation_id"] if case else -1,
        not_found="no such due-diligence case",
    )
    if case is None:
        raise NotFoundError("no such due-diligence case")


def _hold_case(uow: UnitOfWork, principal: Principal, flags: RedFlagSet, case_id: int) -> CaseView:
    """The case as it stands once this transaction holds it: its steps, conclusion and notification
    change one writer at a time, each deciding on what the one before it committed."""
    _check_case_access(principal, uow.duediligence.case(case_id))
    uow.duediligence.lock_case(case_id)
    return get_case(uow, principal, flags, case_id)


def record_step(
    uow: UnitOfWork,
    principal: Principal,
    flags: RedFlagSet,
    case_id: int,
    step: Step | str,
    *,
    answers: Mapping[str, tuple[FlagAnswer | str, str]],
    note: str = "",
    evidence: Sequence[Mapping[str, str]] = (),
) -> None:
    """Record one step's answers (yes/no/unknown with a note per red flag), a note and evidence, who and when."""
    case = _hold_case(uow, principal, flags, case_id).case
    if case["status"] == "concluded":
        raise ConflictError("the case is concluded: reopen it to change its answers")
    try:
        current = Step(step)
    except ValueError:
        raise ValidationError(f"unknown step {step!r}", field="step") from None
    if current is Step.CONCLUSION:
        raise ValidationError("conclude the case with its own action", field="step")
    recorded: dict[str, dict[str, str]] = {}
    for flag_id, (answer, flag_note) in answers.items():
        flag = flags.get(flag_id)
        if flag.step is not current:
            raise ValidationError(f"red flag {flag_id} belongs to the {flag.step.value} step", field=flag_id)
        try:
            value = FlagAnswer(answer)
        except ValueError:
            raise ValidationError(f"answer {flag_id} with yes, no or unknown", field=flag_id) from None
        recorded[flag_id] = {"answer": value.value, "note": flag_note.strip()}
    missing = [f.id for f in flags.for_step(current) if f.id not in recorded]
    if missing:
        raise ValidationError(f"answer every red flag of this step: {', '.join(missing)}", field=missing[0])
    links = [dict(e) for e in evidence if e.get("url") or e.get("title")]
    uow.duediligence.add_entry(
        case_id=case_id,
        step=current.value,
        answers=recorded,
        note=note.strip(),
        evidence=links,
        by=principal.label,
    )
    audit.record(
        uow,
        actor=principal.label,
        action="dd_case.step_recorded",
        entity_type="dd_case",
        entity_id=case_id,
        after={"step": current.value, "answers": recorded, "evidence": links},
    )
    uow.commit()


def conclude(
    uow: UnitOfWork,
    principal: Principal,
    flags: RedFlagSet,
    case_id: int,
    conclusion: Conclusion | str,
    reason: str,
) -> Conclusion:
    """Conclude the case: proceed, proceed with mitigation, do not proceed, or notify the authority.
    'Proceed' is refused while a flag that matters is unknown (Rec. 2024/2659); awareness of internal
    repression leaves only 'notify' or 'do not proceed' (Art. 5(2))."""
    view = _hold_case(uow, principal, flags, case_id)
    try:
        decided = Conclusion(conclusion)
    except ValueError:
        raise ValidationError(f"unknown conclusion {conclusion!r}", field="conclusion") from None
    if view.case["status"] == "concluded":
        raise ConflictError("the case is concluded already: reopen it to change its conclusion")
    missing = [s.value for s in STEPS if s is not Step.CONCLUSION and s not in view.steps_done]
    if missing:
        raise ValidationError(f"complete the steps first: {', '.join(missing)}", field="conclusion")
    check_conclusion(decided, flags, view.answers)
    uow.duediligence.set_case(case_id, status="concluded", conclusion=decided.value)
    audit.record(
        uow,
        actor=principal.label,
        action="dd_case.concluded",
        entity_type="dd_case",
        entity_id=case_id,
        before={"status": view.case["status"]},
        after={"conclusion": decided.value},
        reason=reason or None,
    )
    uow.commit()
    return decided


def reopen(uow: UnitOfWork, principal: Principal, flags: RedFlagSet, case_id: int, reason: str) -> None:
    """Facts changed: the case is open again and its conclusion withdrawn (the record of it stays)."""
    view = _hold_case(uow, principal, flags, case_id)
    if not reason.strip():
        raise ValidationError("say what changed", field="reason")
    if view.case["status"] != "concluded":
        raise ConflictError("the case is open already")
    uow.duediligence.set_case(case_id, status="open", conclusion=None)
    audit.record(
        uow,
        actor=principal.label,
        action="dd_case.reopened",
        entity_type="dd_case",
        entity_id=case_id,
        before={"conclusion": view.case["conclusion"]},
        after={"status": "open"},
        reason=reason.strip(),
    )
    uow.commit()


# --- what the case means for the determination -------------------------------------------------------
def knowledge_for(uow: UnitOfWork, case: Row) -> dict[str, list[str]]:
    """``knowledge`` of the case's transaction: aware from the conclusion (Art. 5(2)); informed when the
    authority imposed a requirement on it (Art. 5(1))."""
    aware = sorted(awareness(Conclusion(case["conclusion"]))) if case["conclusion"] else []
    decided = [
        n["status"]
        for n in uow.duediligence.notifications(organisation_id=case["organisation_id"])
        if n["case_id"] == case["id"]
    ]
    informed = [INTERNAL_REPRESSION] if "authorisation_required" in decided else []
    if "not_required" in decided:
        aware = []  # notified, and the authority decided no authorisation is required (Art. 5(2))
    return {"informed": informed, "aware": aware}


class ExportStatus(StrEnum):
    """What a due-diligence case lets the exporter say about the export."""

    NOT_CONCLUDED = "not_concluded"
    """No export outcome until the case is concluded."""
    AWAITING_AUTHORITY = "awaiting_authority"
    """Notified (Art. 5(2)): do not export until the authority decides."""
    DO_NOT_PROCEED = "do_not_proceed"
    """The exporter concluded not to proceed."""
    DETERMINED = "determined"
    """Concluded: the determination of the case's transaction, with what the conclusion means, is the answer."""


EXPORT_STATUS_TEXT = {
    ExportStatus.NOT_CONCLUDED: "No export outcome yet: conclude the case first.",
    ExportStatus.AWAITING_AUTHORITY: "Do not export until the authority decides (Art. 5(2)).",
    ExportStatus.DO_NOT_PROCEED: "You concluded not to proceed: do not export.",
    ExportStatus.DETERMINED: "The determination of the case's transaction after its conclusion:",
}


def export_status(view: CaseView) -> ExportStatus:
    """Where the case leaves the export: nothing before the conclusion, a wait while the authority has a
    notification before it, otherwise the determination (which the page then shows)."""
    case = view.case
    if case["status"] != "concluded" or not case["conclusion"]:
        return ExportStatus.NOT_CONCLUDED
    if case["conclusion"] == Conclusion.DO_NOT_PROCEED.value:
        return ExportStatus.DO_NOT_PROCEED
    if view.notification is not None and view.notification["status"] == "submitted":
        return ExportStatus.AWAITING_AUTHORITY
    return ExportStatus.DETERMINED


def case_facts(uow: UnitOfWork, case: Row, member_state: str) -> dict[str, Any]:
    """The determination input for the case's transaction."""
    tx = case["transaction"]
    return {
        "activity": "export",
        "exporter": {"name": "due-diligence case", "member_state": member_state},
        "destination": tx["destination"],
        "end_user": tx["end_user"],
        "items": [
            {
                "id": "1",
                "description": tx["item"]["description"],
                "control_code": tx["item"]["control_code"],
                "cyber_surveillance": tx["item"]["cyber_surveillance"],
            }
        ],
        "knowledge": knowledge_for(uow, case),
    }


# --- notification and the authority's decision -------------------------------------------------------
def notify(
    uow: UnitOfWork, principal: Principal, flags: RedFlagSet, case_id: int, *, decision_working_days: int = 10
) -> int:
    """The exporter notifies its authority (Art. 5(2)) with the transaction and the due-diligence record,
    once per case."""
    view = _hold_case(uow, principal, flags, case_id)
    case = view.case
    if case["conclusion"] != Conclusion.NOTIFY_AUTHORITY.value:
        raise ConflictError("conclude the case with 'notify the authority' first", field="conclusion")
    if view.notification is not None:
        raise ConflictError("the authority has already been notified of this case")
    assert principal.member_state is not None  # noqa: S101 - exporters have a member state
    today = today_in_brussels()
    summary = {
        "title": case["title"],
        "conclusion": case["conclusion"],
        "flags_yes": sorted(f for f, a in view.answers.items() if a is FlagAnswer.YES),
        "flags_unknown": sorted(f for f, a in view.answers.items() if a is FlagAnswer.UNKNOWN),
        "notes": view.notes,
        "red_flag_version": case["red_flag_version"],
    }
    notification_id = uow.duediligence.add_notification(
        case_id=case_id,
        organisation_id=case["organisation_id"],
        member_state=principal.member_state,
        transaction=case["transaction"],
        summary=summary,
        deadline=add_working_days(today, decision_working_days, principal.member_state),
    )
    audit.record(
        uow,
        actor=principal.label,
        action="notification.submitted",
        entity_type="notification",
        entity_id=notification_id,
        after={"case": case_id, "member_state": principal.member_state},
    )
    uow.commit()
    return notification_id


def _authority_state(principal: Principal) -> str:
    authorize(principal, Permission.ASSESS_CASE)
    if principal.organisation_kind is not OrganisationKind.AUTHORITY or principal.member_state is None:
        raise PermissionDeniedError("only a competent authority handles notifications")
    return principal.member_state


def notifications_for_authority(uow: UnitOfWork, principal: Principal) -> Sequence[Row]:
    """The notifications addressed to the principal's authority, and no others."""
    return uow.duediligence.notifications(member_state=_authority_state(principal))


def get_notification(uow: UnitOfWork, principal: Principal, notification_id: int) -> Row:
    state = _authority_state(principal)
    notification = uow.duediligence.notification(notification_id)
    if notification is None or notification["member_state"] != state:
        raise NotFoundError("no such notification")
    return notification


def decide_notification(
    uow: UnitOfWork,
    principal: Principal,
    notification_id: int,
    *,
    required: bool,
    reason: str,
    member_states: Sequence[str],
) -> int | None:
    """The authority decides whether an authorisation is required (Art. 5(2)); the decision binds the
    exporter. If it is, the other member states and the Commission are informed (Art. 5(4)) and each is asked
    for its view within 30 working days; returns the requirement's id."""
    notification = get_notification(uow, principal, notification_id)
    if notification["status"] != "submitted":
        raise ConflictError("this notification has already been decided")
    if not reason.strip():
        raise ValidationError("record why", field="reason")
    status = "authorisation_required" if required else "not_required"
    # Of concurrent decisions the repository records the first and refuses the others (a conditional
    # write), so only the decision recorded goes on to impose a requirement.
    uow.duediligence.decide_notification(
        notification_id, status=status, reason=reason.strip(), by=principal.label
    )
    audit.record(
        uow,
        actor=principal.label,
        action="notification.decided",
        entity_type="notification",
        entity_id=notification_id,
        before={"status": "submitted"},
        after={"status": status},
        reason=reason.strip(),
    )
    requirement_id = None
    if required:
        tx = notification["transaction"]
        today = today_in_brussels()
        imposing = notification["member_state"]
        requirement_id = uow.duediligence.add_requirement(
            notification_id=notification_id,
            imposing_state=imposing,
            destination=tx["destination"],
            end_user=tx["end_user"]["name"],
            item=tx["item"]["description"],
            notified_on=today,
        )
        for state in sorted(set(member_states) - {imposing}):
            uow.duediligence.add_view(
                requirement_id=requirement_id, member_state=state, deadline=view_deadline(today, state)
            )
        audit.record(
            uow,
            actor=principal.label,
            action="art5_requirement.notified",
            entity_type="art5_requirement",
            entity_id=requirement_id,
            after={"imposing_state": imposing, "consulted": sorted(set(member_states) - {imposing})},
        )
    uow.commit()
    return requirement_id


def requirements_for_authority(uow: UnitOfWork, principal: Principal) -> list[tuple[Row, Sequence[Row]]]:
    """Requirements this authority imposed or is consulted on, each with the views recorded so far; the
    Commission, which is informed of every one (Art. 5(4)), sees them all."""
    commission = principal.organisation_kind is OrganisationKind.COMMISSION
    if commission:
        authorize(principal, Permission.VIEW_UNION_AGGREGATES)
    state = None if commission else _authority_state(principal)
    if commission:
        oversight.record_read(
            uow, principal, entity_type="art5_requirement", entity_id="*", legal_basis="Art. 5(4)"
        )
    out: list[tuple[Row, Sequence[Row]]] = []
    for requirement in uow.duediligence.requirements():
        views = uow.duediligence.views(requirement["id"])
        if (
            commission
            or requirement["imposing_state"] == state
            or any(v["member_state"] == state for v in views)
        ):
            out.append((requirement, views))
    return out


def record_view(
    uow: UnitOfWork, principal: Principal, requirement_id: int, view: View | str, reason: str
) -> str:
    """A consulted member state records its view (Art. 5(5) [M]); when every consulted state agrees the
    requirement is published for the whole Union (Art. 5(6) [M]). Returns the requirement's status."""
    state = _authority_state(principal)
    requirement = uow.duediligence.requirement(requirement_id)
    views = uow.duediligence.views(requirement_id) if requirement else []
    mine = next((v for v in views if v["member_state"] == state), None)
    if requirement is None or mine is None:
        raise NotFoundError("no such requirement for your member state")
    # Views are recorded one at a time, each seeing the others', so that the last of the states to agree
    # publishes the requirement even when they answer at the same moment.
    uow.duediligence.lock_requirement(requirement_id)
    requirement = uow.duediligence.requirement(requirement_id)
    assert requirement is not None  # noqa: S101 - requirements are never deleted
    mine = next(v for v in uow.duediligence.views(requirement_id) if v["member_state"] == state)
    try:
        chosen = View(view)
    except ValueError:
        raise ValidationError("choose whether you agree or disagree", field="view") from None
    if chosen is View.PENDING:
        raise ValidationError("choose whether you agree or disagree", field="view")
    if mine["view"] != View.PENDING.value:
        raise ConflictError(f"{state} has already recorded its view")
    uow.duediligence.record_view(mine["id"], view=chosen.value, reason=reason.strip(), by=principal.label)
    updated = {v["member_state"]: View(v["view"]) for v in uow.duediligence.views(requirement_id)}
    outcome = consultation_outcome(
        requirement["imposing_state"], updated, [requirement["imposing_state"], *updated]
    )
    if outcome != requirement["status"]:
        uow.duediligence.set_requirement(
            requirement_id,
            status=outcome,
            published_on=today_in_brussels() if outcome == "published" else None,
        )
    audit.record(
        uow,
        actor=principal.label,
        action="art5_requirement.view",
        entity_type="art5_requirement",
        entity_id=requirement_id,
        after={"member_state": state, "view": chosen.value, "status": outcome},
        reason=reason.strip() or None,
    )
    uow.commit()
    return outcome


def published_requirements(uow: UnitOfWork) -> Sequence[Row]:
    """What the Union published: public."""
    return uow.duediligence.requirements(status="published")


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
    _authority_state(principal)
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
    _authority_state(principal)
    submission = uow.duediligence.submission(submission_id)
    if submission is None:
        raise NotFoundError("no such submission")
    if submission["status"] != "pending":
        raise ConflictError("this submission has already been moderated")
    uow.duediligence.moderate(
        submission_id, status="accepted" if accept else "rejected", note=note, by=principal.label
    )
    audit.record(
        uow,
        actor=principal.label,
        action="submission.moderated",
        entity_type="submission",
        entity_id=submission_id,
        after={"status": "accepted" if accept else "rejected"},
        reason=note or None,
    )
    if accept:
        add_profile(
            uow,
            principal,
            subject_kind=submission["subject_kind"],
            subject=submission["subject"],
            level=level,
            summary=_submission_summary(submission),
            sources=[{"title": s, "url": s, "published": None} for s in submission["sources"]],
            origin="submission",
        )
    uow.commit()


def _submission_summary(submission: Row) -> str:
    """F13: the reporter is named where the profile is shown (the public page among them) only if it asked to
    be; otherwise the submission, with its author, stays with the authorities."""
    by = f" by {submission['organisation_name']}" if submission.get("name_publicly") else ""
    return f"From a civil-society submission{by}: {submission['what_happened']}"


def profiles(uow: UnitOfWork, principal: Principal | None = None) -> Sequence[Row]:
    """Risk profiles; who entered them is named to authorities only (F13)."""
    return [_profile_as_seen(principal, p) for p in uow.duediligence.profiles()]


def _profile_as_seen(principal: Principal | None, profile: Row) -> Row:
    return disclosure.shown(principal or Principal.public(), profile, ("entered_by",), None)


# --- internal compliance programme ----------------------------------------------------------------
def save_icp(uow: UnitOfWork, principal: Principal, answers: Mapping[str, IcpLevel | str]) -> int:
    """An exporter's ICP self-assessment against the seven elements of Recommendation (EU) 2019/1318."""
    organisation_id = _exporter(principal)
    authorize(principal, Permission.MANAGE_USERS, organisation_id=organisation_id)
    checked: dict[str, str] = {}
    for element in ICP_ELEMENTS:
        value = answers.get(element.id)
        try:
            checked[element.id] = IcpLevel(value or "").value
        except ValueError:
            raise ValidationError(f"answer element {element.id}: {element.title}", field=element.id) from None
    assessment_id = uow.duediligence.add_icp(
        organisation_id=organisation_id, answers=checked, by=principal.label
    )
    audit.record(
        uow,
        actor=principal.label,
        action="icp.assessed",
        entity_type="organisation",
        entity_id=organisation_id,
        after=checked,
    )
    uow.commit()
    return assessment_id


def latest_icp(uow: UnitOfWork, principal: Principal, organisation_id: int) -> Row | None:
    """The latest ICP of an exporter: its own members, and the authority of its member state. Not the
    Commission: an ICP is neither aggregated information (Art. 26(2)) nor exchanged between the authorities
    (Art. 23(2)); see ``services.oversight`` (F15)."""
    if principal.organisation_kind is OrganisationKind.COMMISSION:
        raise PermissionDeniedError(
            "the Commission receives aggregated information (Art. 26(2)), not an exporter's ICP"
        )
    organisation = uow.organisations.get(organisation_id)
    authorize(
        principal,
        Permission.VIEW_ORGANISATION,
        organisation_id=organisation_id,
        member_state=organisation.member_state if organisation else None,
    )
    return uow.duediligence.latest_icp(organisation_id)


def authority_states(uow: UnitOfWork) -> list[str]:
    """The member states with a competent authority on this platform: the ones consulted under Art. 5(4)."""
    return sorted(
        o.member_state
        for o in uow.organisations.list()
        if o.kind is OrganisationKind.AUTHORITY and o.member_state
    )


def profiles_for(uow: UnitOfWork, case: Row, principal: Principal | None = None) -> list[Row]:
    """Risk profiles bearing on a case: its destination country and its end-user (by normalised name)."""
    tx = case["transaction"]
    end_user = normalise_end_user(tx["end_user"]["name"])
    return [
        _profile_as_seen(principal, p)
        for p in uow.duediligence.profiles()
        if (p["subject_kind"] == "country" and p["subject"].upper() == tx["destination"])
        or (p["subject_kind"] == "end_user" and normalise_end_user(p["subject"]) == end_user)
    ]
