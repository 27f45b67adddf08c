"""Due diligence, notifications, the Art. 5(4)–(6) exchange, risk profiles, civil-society submissions and
ICP self-assessments over HTTP."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from dualuse.domain.errors import DualUseError
from dualuse.entrypoints.api.schemas.duediligence import (
    CaseIn,
    CaseOut,
    ConclusionIn,
    CreatedOut,
    IcpOut,
    ModerationIn,
    NotificationDecisionIn,
    NotificationDecisionOut,
    NotificationOut,
    ProfileIn,
    ReasonIn,
    RedFlagsOut,
    RequirementOut,
    RequirementWithViewsOut,
    RiskProfileOut,
    StatusOut,
    StepIn,
    SubmissionCreatedOut,
    SubmissionIn,
    ViewIn,
)
from dualuse.entrypoints.api.schemas.problems import API_ERRORS, PDF
from dualuse.entrypoints.http.deps import ContainerDep, RowId, UowDep, UserDep, limited
from dualuse.entrypoints.report import case_report_pdf
from dualuse.services import audit, determination
from dualuse.services import duediligence as svc
from dualuse.services.records import plain

router = APIRouter(prefix="/api/v1", tags=["due diligence"], responses=API_ERRORS)


def _case_out(container: Any, uow: Any, principal: Any, case_id: int) -> dict[str, Any]:
    view = svc.get_case(uow, principal, container.red_flags, case_id)
    return {
        "case": plain(view.case),
        "answers": {k: v.value for k, v in view.answers.items()},
        "steps_done": sorted(s.value for s in view.steps_done),
        "next_step": view.next_step.value if view.next_step else None,
        "suggested_conclusion": view.suggested.value,
        "notification": plain(view.notification) if view.notification else None,
        "knowledge": svc.knowledge_for(uow, view.case),
        "export_status": svc.export_status(view).value,
        "determination": _case_determination(container, uow, principal, view),
    }


def _case_determination(container: Any, uow: Any, principal: Any, view: Any) -> dict[str, object] | None:
    """What the case's conclusion means for the export (Art. 5(1), 5(2)), by the determination service as on
    every path; None before the conclusion, while the authority decides, or where it cannot be said."""
    if principal.member_state is None or svc.export_status(view) is not svc.ExportStatus.DETERMINED:
        return None
    try:
        inputs = container.determination_inputs(uow, principal.organisation_id)
        return determination.determine_case(
            inputs, svc.case_facts(uow, view.case, principal.member_state)
        ).to_dict()
    except DualUseError:
        return None


@router.get(
    "/due-diligence/red-flags",
    response_model=RedFlagsOut,
    summary="The red flags of each step, with their sources",
)
def red_flags(container: ContainerDep) -> dict[str, Any]:
    flags = container.red_flags
    return {
        "version": flags.version,
        "flags": [
            {
                "id": f.id,
                "step": f.step.value,
                "text": f.text,
                "key": f.key,
                "points_to": f.points_to,
                "guidance": f.guidance,
                "source": f.source,
                "verified": f.verified,
            }
            for f in flags.flags
        ],
    }


@router.post(
    "/due-diligence/cases", response_model=CaseOut, status_code=201, summary="Open a due-diligence case"
)
def open_case(body: CaseIn, principal: UserDep, container: ContainerDep, uow: UowDep) -> dict[str, Any]:
    case_id = svc.open_case(
        uow,
        principal,
        container.red_flags,
        title=body.title,
        transaction={
            "destination": body.destination,
            "end_user": body.end_user.model_dump(),
            "item": body.item.model_dump(),
        },
        list_source=container.list_source(),
    )
    return _case_out(container, uow, principal, case_id)


@router.get(
    "/due-diligence/cases/{case_id}",
    response_model=CaseOut,
    summary="A case: answers, progress, conclusion, notification",
)
def get_case(case_id: RowId, principal: UserDep, container: ContainerDep, uow: UowDep) -> dict[str, Any]:
    return _case_out(container, uow, principal, case_id)


@router.post(
    "/due-diligence/cases/{case_id}/steps/{step}",
    response_model=CaseOut,
    summary="Record one step's answers and evidence",
)
def record_step(
    case_id: RowId, step: str, body: StepIn, principal: UserDep, container: ContainerDep, uow: UowDep
) -> dict[str, Any]:
    svc.record_step(
        uow,
        principal,
        container.red_flags,
        case_id,
        step,
        answers={k: (v.answer, v.note) for k, v in body.answers.items()},
        note=body.note,
        evidence=[e.model_dump() for e in body.evidence],
    )
    return _case_out(container, uow, principal, case_id)


@router.post("/due-diligence/cases/{case_id}/conclusion", response_model=CaseOut, summary="Conclude the case")
def conclude(
    case_id: RowId, body: ConclusionIn, principal: UserDep, container: ContainerDep, uow: UowDep
) -> dict[str, Any]:
    svc.conclude(uow, principal, container.red_flags, case_id, body.conclusion, body.reason)
    return _case_out(container, uow, principal, case_id)


@router.post(
    "/due-diligence/cases/{case_id}/reopen", response_model=CaseOut, summary="Reopen a case when facts change"
)
def reopen(
    case_id: RowId, body: ReasonIn, principal: UserDep, container: ContainerDep, uow: UowDep
) -> dict[str, Any]:
    svc.reopen(uow, principal, container.red_flags, case_id, body.reason)
    return _case_out(container, uow, principal, case_id)


@router.post(
    "/due-diligence/cases/{case_id}/notification",
    response_model=CaseOut,
    status_code=201,
    summary="Notify the authority (Art. 5(2))",
)
def notify(case_id: RowId, principal: UserDep, container: ContainerDep, uow: UowDep) -> dict[str, Any]:
    svc.notify(
        uow,
        principal,
        container.red_flags,
        case_id,
        decision_working_days=container.settings.notification_decision_working_days,
    )
    return _case_out(container, uow, principal, case_id)


@router.get(
    "/due-diligence/cases/{case_id}/report.pdf",
    summary="The case as a PDF record",
    response_class=Response,
    responses=PDF,
)
def report(case_id: RowId, principal: UserDep, container: ContainerDep, uow: UowDep) -> Response:
    view = svc.get_case(uow, principal, container.red_flags, case_id)
    pdf = case_report_pdf(view, container.red_flags)
    audit.record_download(uow, principal, "due_diligence_pdf", case_id, view.case.organisation_id)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="due-diligence-{case_id}.pdf"'},
    )


@router.get(
    "/notifications",
    response_model=list[NotificationOut],
    summary="Notifications addressed to your authority",
)
def notifications(principal: UserDep, uow: UowDep) -> list[dict[str, Any]]:
    return [plain(n) for n in svc.notifications_for_authority(uow, principal)]


@router.post(
    "/notifications/{notification_id}/decision",
    response_model=NotificationDecisionOut,
    summary="Decide whether an authorisation is required",
)
def decide(
    notification_id: RowId, body: NotificationDecisionIn, principal: UserDep, uow: UowDep
) -> dict[str, Any]:
    requirement_id = svc.decide_notification(
        uow,
        principal,
        notification_id,
        required=body.authorisation_required,
        reason=body.reason,
        member_states=svc.authority_states(uow),
    )
    return {
        "notification": plain(svc.get_notification(uow, principal, notification_id)),
        "requirement_id": requirement_id,
    }


@router.get(
    "/art5-requirements",
    response_model=list[RequirementWithViewsOut],
    summary="Requirements your authority imposed or is consulted on, with views",
)
def requirements(principal: UserDep, uow: UowDep) -> list[dict[str, Any]]:
    return [
        {**plain(r), "views": [plain(v) for v in views]}
        for r, views in svc.requirements_for_authority(uow, principal)
    ]


@router.post(
    "/art5-requirements/{requirement_id}/views",
    response_model=StatusOut,
    summary="Record your member state's view",
)
def record_view(requirement_id: RowId, body: ViewIn, principal: UserDep, uow: UowDep) -> dict[str, str]:
    return {"status": svc.record_view(uow, principal, requirement_id, body.view, body.reason)}


@router.get(
    "/art5-requirements/published",
    response_model=list[RequirementOut],
    summary="Requirements published for the whole Union (public)",
)
def published(uow: UowDep) -> list[dict[str, Any]]:
    return [plain(r) for r in svc.published_requirements(uow)]


@router.get(
    "/risk-profiles",
    response_model=list[RiskProfileOut],
    summary="Human-rights risk profiles of destinations and end-users",
)
def risk_profiles(principal: UserDep, uow: UowDep) -> list[dict[str, Any]]:
    return [plain(p) for p in svc.profiles(uow, principal)]


@router.post(
    "/risk-profiles",
    response_model=CreatedOut,
    status_code=201,
    summary="Record a risk profile (authorities)",
)
def add_profile(body: ProfileIn, principal: UserDep, uow: UowDep) -> dict[str, int]:
    profile_id = svc.add_profile(
        uow,
        principal,
        subject_kind=body.subject_kind,
        subject=body.subject,
        level=body.level,
        summary=body.summary,
        sources=[s.model_dump() for s in body.sources],
    )
    return {"id": profile_id}


@router.post(
    "/submissions",
    response_model=SubmissionCreatedOut,
    status_code=201,
    summary="A civil-society submission (public; moderated before use)",
)
def submit(body: SubmissionIn, uow: UowDep, container: ContainerDep, request: Request) -> dict[str, Any]:
    limit = container.access_policy.submissions_per_client
    with limited(container, request, limit, refusal="too many reports from your network in the last hour"):
        submission_id = svc.submit(
            uow,
            organisation_name=body.organisation_name,
            contact_email=body.contact_email,
            subject_kind=body.subject_kind,
            subject=body.subject,
            what_happened=body.what_happened,
            sources=body.sources,
            name_publicly=body.name_publicly,
        )
    return {"id": submission_id, "status": "pending"}


@router.post(
    "/submissions/{submission_id}/moderation",
    response_model=StatusOut,
    summary="Accept or reject a submission (authorities)",
)
def moderate(submission_id: RowId, body: ModerationIn, principal: UserDep, uow: UowDep) -> dict[str, str]:
    svc.moderate(uow, principal, submission_id, accept=body.accept, note=body.note, level=body.level)
    return {"status": "accepted" if body.accept else "rejected"}


@router.put(
    "/icp",
    response_model=IcpOut,
    response_model_exclude_unset=True,
    summary="Your organisation's ICP self-assessment (Rec. 2019/1318)",
)
def save_icp(body: dict[str, str], principal: UserDep, uow: UowDep) -> dict[str, Any]:
    svc.save_icp(uow, principal, body)
    assert principal.organisation_id is not None  # noqa: S101 - save_icp checked it
    saved: dict[str, Any] = plain(svc.latest_icp(uow, principal, principal.organisation_id)) or {}
    return saved


@router.get(
    "/organisations/{organisation_id}/icp",
    response_model=IcpOut,
    response_model_exclude_unset=True,
    summary="An exporter's latest ICP self-assessment",
)
def get_icp(organisation_id: RowId, principal: UserDep, uow: UowDep) -> dict[str, Any]:
    latest: dict[str, Any] = plain(svc.latest_icp(uow, principal, organisation_id)) or {}
    return latest
