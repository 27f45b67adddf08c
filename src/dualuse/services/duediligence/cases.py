"""The exporter's due-diligence case for a cyber-surveillance export (Commission Recommendation (EU) 2024/2659):
opening it, recording each step's red flags, concluding and reopening it, and what its conclusion means for the
determination (Art. 5(2): awareness)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from dualuse.domain.duediligence import (
    STEPS,
    Conclusion,
    FlagAnswer,
    RedFlagSet,
    Step,
    awareness,
    check_conclusion,
    suggested_conclusion,
)
from dualuse.domain.duediligence.records import (
    CaseEntry,
    CaseStatus,
    DdAction,
    DdCase,
    Notification,
    NotificationStatus,
    move,
)
from dualuse.domain.errors import NotFoundError, PermissionDeniedError, ValidationError
from dualuse.domain.identity import Permission, Principal, authorize
from dualuse.domain.rules.engine import ListSource
from dualuse.domain.rules.facts import canonical_control_code
from dualuse.services import audit, disclosure, oversight
from dualuse.services.clock import today_in_brussels
from dualuse.services.determination.service import code_problem, list_view
from dualuse.services.unit_of_work import UnitOfWork

INTERNAL_REPRESSION = "internal_repression"


# --- the exporter's case ---------------------------------------------------------------------------
def exporter_of(principal: Principal) -> int:
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
    organisation_id = exporter_of(principal)
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
    case: DdCase
    answers: dict[str, FlagAnswer]
    notes: dict[str, str]
    entries: Sequence[CaseEntry]
    steps_done: frozenset[Step]
    suggested: Conclusion
    notification: Notification | None

    @property
    def next_step(self) -> Step | None:
        return next((s for s in STEPS if s is not Step.CONCLUSION and s not in self.steps_done), None)


def cases_of(uow: UnitOfWork, principal: Principal) -> Sequence[DdCase]:
    """The principal's organisation's cases, newest first (nobody else's: an authority sees notifications;
    the Commission none, F15)."""
    if oversight.is_commission(principal):
        raise PermissionDeniedError("the Commission receives Art. 5(4) information, not due-diligence cases")
    if Permission.ACT_FOR_EXPORTER not in principal.permissions or principal.organisation_id is None:
        return []
    return uow.duediligence.cases(principal.organisation_id)


def get_case(uow: UnitOfWork, principal: Principal, flags: RedFlagSet, case_id: int) -> CaseView:
    case = uow.duediligence.case(case_id)
    _check_case_access(principal, case)
    assert case is not None  # noqa: S101 - checked above
    entries = uow.duediligence.entries(case_id)
    answers: dict[str, FlagAnswer] = {}
    notes: dict[str, str] = {}
    done: set[Step] = set()
    for entry in entries:  # later records of a step supersede earlier ones
        done.add(entry.step)
        notes[entry.step.value] = entry.note
        for flag_id, answer in entry.answers.items():
            answers[flag_id] = FlagAnswer(answer["answer"])
    notification = next(
        (
            n
            for n in uow.duediligence.notifications(organisation_id=case.organisation_id)
            if n.case_id == case_id
        ),
        None,
    )
    if notification is not None:  # F13: the exporter learns the authority's decision, not the officer's name
        notification = disclosure.shown(principal, notification, ("decided_by",), notification.member_state)
    return CaseView(
        case, answers, notes, entries, frozenset(done), suggested_conclusion(flags, answers), notification
    )


def _check_case_access(principal: Principal, case: DdCase | None) -> None:
    authorize(
        principal,
        Permission.ACT_FOR_EXPORTER,
        organisation_id=case.organisation_id if case else -1,
        not_found="no such due-diligence case",
    )
    if case is None:
        raise NotFoundError("no such due-diligence case")


def hold_case(uow: UnitOfWork, principal: Principal, flags: RedFlagSet, case_id: int) -> CaseView:
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
    case = hold_case(uow, principal, flags, case_id).case
    moved = move(case.status, DdAction.RECORD_STEP)
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
        action=moved.event,
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
    view = hold_case(uow, principal, flags, case_id)
    try:
        decided = Conclusion(conclusion)
    except ValueError:
        raise ValidationError(f"unknown conclusion {conclusion!r}", field="conclusion") from None
    moved = move(view.case.status, DdAction.CONCLUDE)
    missing = [s.value for s in STEPS if s is not Step.CONCLUSION and s not in view.steps_done]
    if missing:
        raise ValidationError(f"complete the steps first: {', '.join(missing)}", field="conclusion")
    check_conclusion(decided, flags, view.answers)
    uow.duediligence.set_case(case_id, status=CaseStatus(moved.target), conclusion=decided)
    audit.record(
        uow,
        actor=principal.label,
        action=moved.event,
        entity_type="dd_case",
        entity_id=case_id,
        before={"status": moved.source.value},
        after={"conclusion": decided.value},
        reason=reason or None,
    )
    uow.commit()
    return decided


def reopen(uow: UnitOfWork, principal: Principal, flags: RedFlagSet, case_id: int, reason: str) -> None:
    """Facts changed: the case is open again and its conclusion withdrawn (the record of it stays)."""
    view = hold_case(uow, principal, flags, case_id)
    if not reason.strip():
        raise ValidationError("say what changed", field="reason")
    moved = move(view.case.status, DdAction.REOPEN)
    uow.duediligence.set_case(case_id, status=CaseStatus(moved.target), conclusion=None)
    audit.record(
        uow,
        actor=principal.label,
        action=moved.event,
        entity_type="dd_case",
        entity_id=case_id,
        before={"conclusion": view.case.conclusion.value if view.case.conclusion else None},
        after={"status": moved.target.value},
        reason=reason.strip(),
    )
    uow.commit()


# --- what the case means for the determination -------------------------------------------------------
def knowledge_for(uow: UnitOfWork, case: DdCase) -> dict[str, list[str]]:
    """``knowledge`` of the case's transaction: aware from the conclusion (Art. 5(2)); informed when the
    authority imposed a requirement on it (Art. 5(1))."""
    aware = sorted(awareness(case.conclusion)) if case.conclusion else []
    decided = [
        n.status
        for n in uow.duediligence.notifications(organisation_id=case.organisation_id)
        if n.case_id == case.id
    ]
    informed = [INTERNAL_REPRESSION] if NotificationStatus.AUTHORISATION_REQUIRED in decided else []
    if NotificationStatus.NOT_REQUIRED in decided:
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
    if case.status is not CaseStatus.CONCLUDED or not case.conclusion:
        return ExportStatus.NOT_CONCLUDED
    if case.conclusion is Conclusion.DO_NOT_PROCEED:
        return ExportStatus.DO_NOT_PROCEED
    if view.notification is not None and view.notification.status is NotificationStatus.SUBMITTED:
        return ExportStatus.AWAITING_AUTHORITY
    return ExportStatus.DETERMINED


def case_facts(uow: UnitOfWork, case: DdCase, member_state: str) -> dict[str, Any]:
    """The determination input for the case's transaction."""
    tx = case.transaction
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
