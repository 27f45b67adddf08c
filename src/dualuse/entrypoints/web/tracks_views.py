"""After the decision, on the web (issue 19, point 5): the holder asks to extend or amend its licence, the
applicant appeals a refusal; the authority's officer recommends, a senior other than the officer decides or
returns the recommendation (four eyes); an enquiry is answered with a ruling. The use cases are
``services.casework.tracks``; these pages only collect and show."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from dualuse.domain.casework.tracks import OUTCOMES, Track
from dualuse.domain.errors import DualUseError
from dualuse.domain.identity import OrganisationKind, Permission
from dualuse.entrypoints.http.deps import ContainerDep, PrincipalDep, RowId, UserDep
from dualuse.entrypoints.web.access import refused, require
from dualuse.entrypoints.web.forms import FormErrors
from dualuse.entrypoints.web.views import render
from dualuse.services import licensing as licensing_service
from dualuse.services.casework import tracks as svc

router = APIRouter(include_in_schema=False)
Number = Annotated[str, Path(max_length=30)]
Text = Annotated[str, Form(max_length=5000)]
Version = Annotated[int, Form(ge=0, le=2**31 - 1)]
OUTCOME_LABELS = {
    "grant": "Grant the request",
    "refuse": "Refuse the request",
    "allow": "Allow the appeal (the refusal is withdrawn)",
    "dismiss": "Dismiss the appeal (the refusal stands)",
    "listed": "The item is listed in Annex I",
    "not_listed": "The item is not listed in Annex I",
    "licence_required": "The export requires an authorisation",
    "no_licence_required": "No licence required",
}
ORDER = tuple(OUTCOME_LABELS)


def _outcomes(track: Track) -> list[tuple[str, str]]:
    return [(o, OUTCOME_LABELS[o]) for o in ORDER if o in OUTCOMES[track.kind]]


def _authority(principal: Any) -> bool:
    return principal.organisation_kind is OrganisationKind.AUTHORITY


# --- the list ------------------------------------------------------------------------------------------
@router.get("/requests", response_class=HTMLResponse)
def requests_page(request: Request, container: ContainerDep, principal: UserDep) -> Response:
    """The exporter's own requests, or those the authority's state handles."""
    with container.uow() as uow:
        found = svc.listing(uow, principal)
    return render(
        request,
        "tracks/list.html",
        {"principal": principal, "tracks": found, "authority": _authority(principal)},
    )


# --- the exporter asks ---------------------------------------------------------------------------------
def _change_page(
    request: Request, principal: Any, stored: Any, form: dict[str, str], errors: list[Any], status: int = 200
) -> HTMLResponse:
    context = {"principal": principal, "stored": stored, "form": form, "errors": errors}
    return render(request, "tracks/change.html", context, status_code=status)


@router.get("/licences/{number}/change", response_class=HTMLResponse)
def change_page(request: Request, number: Number, container: ContainerDep, principal: UserDep) -> Response:
    require(principal, Permission.ACT_FOR_EXPORTER)
    with container.uow() as uow:
        stored = licensing_service.get_licence(uow, principal, number)
    form = {"kind": "", "valid_until": "", "conditions": "", "reason": ""}
    return _change_page(request, principal, stored, form, [])


@router.post("/licences/{number}/change", response_class=HTMLResponse)
def request_change(
    request: Request,
    number: Number,
    container: ContainerDep,
    principal: PrincipalDep,
    kind: Annotated[str, Form(max_length=20)] = "",
    valid_until: Annotated[str, Form(max_length=20)] = "",
    conditions: Text = "",
    reason: Text = "",
) -> Response:
    require(principal, Permission.ACT_FOR_EXPORTER)
    form = {"kind": kind, "valid_until": valid_until, "conditions": conditions, "reason": reason}
    errors = FormErrors(default="kind-extension", ids={"kind": "kind-extension"})
    with container.uow() as uow:  # a refusal first: only the holder sees the form again
        stored = licensing_service.get_licence(uow, principal, number)
    if kind not in ("extension", "amendment"):
        errors.add("kind-extension", "Choose whether to extend or amend the licence")
    until: date | None = None
    if kind == "extension":
        try:
            until = date.fromisoformat(valid_until.strip())
        except ValueError:
            errors.add("valid_until", "Enter the new expiry date as YYYY-MM-DD, for example 2028-06-30")
    if kind == "amendment" and not conditions.strip():
        errors.add("conditions", "Enter the conditions the licence should carry, one a line")
    if not reason.strip():
        errors.add("reason", "Say why you ask for the change")
    if not errors:
        try:
            with container.uow() as uow:
                track = svc.request_change(
                    uow,
                    principal,
                    number,
                    kind=kind,
                    reason=reason,
                    valid_until=until,
                    conditions=conditions.splitlines() if kind == "amendment" else None,
                )
            return RedirectResponse(f"/requests/{track.id}", status_code=303)
        except DualUseError as exc:
            if refused(exc):
                raise
            errors.add_exception(exc)
    return _change_page(request, principal, stored, form, errors.as_list(), status=400)


def _appeal_page(
    request: Request,
    container: Any,
    principal: Any,
    stored: Any,
    grounds: str,
    errors: list[Any],
    status: int = 200,
) -> HTMLResponse:
    context = {
        "principal": principal,
        "stored": stored,
        "grounds": grounds,
        "errors": errors,
        "route": container.casework_rules.letter_text(stored.member_state),
    }
    return render(request, "tracks/appeal.html", context, status_code=status)


@router.get("/applications/{case_id}/appeal", response_class=HTMLResponse)
def appeal_page(request: Request, case_id: RowId, container: ContainerDep, principal: UserDep) -> Response:
    """The appeal form of a refused application, with the state's appeal route (data, with its source)."""
    require(principal, Permission.ACT_FOR_EXPORTER)
    with container.uow() as uow:
        stored = licensing_service.get_application(uow, principal, case_id)
    return _appeal_page(request, container, principal, stored, "", [])


@router.post("/applications/{case_id}/appeal", response_class=HTMLResponse)
def appeal(
    request: Request, case_id: RowId, container: ContainerDep, principal: PrincipalDep, grounds: Text = ""
) -> Response:
    require(principal, Permission.ACT_FOR_EXPORTER)
    errors = FormErrors(default="grounds", ids={"reason": "grounds"})
    with container.uow() as uow:  # a refusal first: only the applicant sees the form again
        stored = licensing_service.get_application(uow, principal, case_id)
    if not grounds.strip():
        errors.add("grounds", "Give your grounds for the appeal")
    if not errors:
        try:
            with container.uow() as uow:
                track = svc.appeal(uow, principal, case_id, grounds=grounds)
            return RedirectResponse(f"/requests/{track.id}", status_code=303)
        except DualUseError as exc:
            if refused(exc):
                raise
            errors.add_exception(exc)
    return _appeal_page(request, container, principal, stored, grounds, errors.as_list(), status=400)


def _enquiry_page(
    request: Request, principal: Any, form: dict[str, str], errors: list[Any], status: int = 200
) -> HTMLResponse:
    context = {"principal": principal, "form": form, "errors": errors}
    return render(request, "tracks/enquiry.html", context, status_code=status)


@router.get("/enquiries/new", response_class=HTMLResponse)
def enquiry_page(request: Request, principal: UserDep) -> Response:
    """Ask before applying: is this item listed, would this export need a licence?"""
    require(principal, Permission.ACT_FOR_EXPORTER)
    form = {"question": "", "control_code": "", "description": "", "destination": ""}
    return _enquiry_page(request, principal, form, [])


@router.post("/enquiries/new", response_class=HTMLResponse)
def enquire(
    request: Request,
    container: ContainerDep,
    principal: PrincipalDep,
    question: Text = "",
    control_code: Annotated[str, Form(max_length=40)] = "",
    description: Annotated[str, Form(max_length=1000)] = "",
    destination: Annotated[str, Form(max_length=2)] = "",
) -> Response:
    require(principal, Permission.ACT_FOR_EXPORTER)
    form = {
        "question": question,
        "control_code": control_code,
        "description": description,
        "destination": destination,
    }
    errors = FormErrors(default="question", ids={"reason": "question"})
    if not question.strip():
        errors.add("question", "Enter your question")
    if not errors:
        try:
            with container.uow() as uow:
                track = svc.enquire(
                    uow,
                    principal,
                    question=question,
                    control_code=control_code,
                    description=description,
                    destination=destination,
                )
            return RedirectResponse(f"/requests/{track.id}", status_code=303)
        except DualUseError as exc:
            if refused(exc):
                raise
            errors.add_exception(exc)
    return _enquiry_page(request, principal, form, errors.as_list(), status=400)


# --- one request, and the authority's moves --------------------------------------------------------------
def _track_page(
    request: Request,
    principal: Any,
    track: Track,
    errors: list[Any] | None = None,
    form: dict[str, str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    context = {
        "principal": principal,
        "track": track,
        "authority": _authority(principal),
        "senior": Permission.COUNTERSIGN in principal.permissions,
        "outcomes": _outcomes(track),
        "errors": errors or [],
        "form": form or {},
    }
    return render(request, "tracks/track.html", context, status_code=status)


@router.get("/requests/{track_id}", response_class=HTMLResponse)
def track_page(request: Request, track_id: RowId, container: ContainerDep, principal: UserDep) -> Response:
    with container.uow() as uow:
        track = svc.get(uow, principal, track_id)
    return _track_page(request, principal, track)


def _move(
    request: Request,
    container: Any,
    principal: Any,
    track_id: int,
    form: dict[str, str],
    errors: FormErrors,
    move: Any,
) -> Response:
    """Run ``move`` (a use case on the track) unless the form has errors; show the page again with them."""
    if not errors:
        try:
            with container.uow() as uow:
                move(uow)
            return RedirectResponse(f"/requests/{track_id}", status_code=303)
        except DualUseError as exc:
            if refused(exc):
                raise
            errors.add_exception(exc)
    with container.uow() as uow:
        track = svc.get(uow, principal, track_id)
    return _track_page(request, principal, track, errors.as_list(), form, status=400)


def _first_outcome(prefix: str, track: Track) -> str:
    """The id of the first outcome's radio button, where the error of the group is shown."""
    return f"{prefix}-outcome-{_outcomes(track)[0][0]}"


def _verdict_errors(prefix: str, track: Track, outcome: str, reasoning: str) -> FormErrors:
    first = _first_outcome(prefix, track)
    errors = FormErrors(
        default=f"{prefix}-reasoning", ids={"reasoning": f"{prefix}-reasoning", "outcome": first}
    )
    if outcome not in OUTCOME_LABELS:
        errors.add(first, "Choose an outcome")
    if not reasoning.strip():
        errors.add(f"{prefix}-reasoning", "Give your reasons")
    return errors


@router.post("/requests/{track_id}/recommendation", response_class=HTMLResponse)
def recommend(
    request: Request,
    track_id: RowId,
    container: ContainerDep,
    principal: PrincipalDep,
    version: Version = 0,
    outcome: Annotated[str, Form(max_length=30)] = "",
    reasoning: Text = "",
) -> Response:
    require(principal, Permission.ASSESS_CASE)
    with container.uow() as uow:  # a refusal first: only the handling authority sees the form again
        track = svc.get(uow, principal, track_id)
    errors = _verdict_errors("rec", track, outcome, reasoning)
    return _move(
        request,
        container,
        principal,
        track_id,
        {"rec-outcome": outcome, "rec-reasoning": reasoning},
        errors,
        lambda uow: svc.recommend(
            uow, principal, track_id, outcome=outcome, reasoning=reasoning, expected_version=version
        ),
    )


@router.post("/requests/{track_id}/return", response_class=HTMLResponse)
def send_back(
    request: Request,
    track_id: RowId,
    container: ContainerDep,
    principal: PrincipalDep,
    version: Version = 0,
    reasoning: Text = "",
) -> Response:
    require(principal, Permission.COUNTERSIGN)
    with container.uow() as uow:
        svc.get(uow, principal, track_id)
    errors = FormErrors(default="ret-reasoning", ids={"reasoning": "ret-reasoning"})
    if not reasoning.strip():
        errors.add("ret-reasoning", "Say why you return the recommendation")
    return _move(
        request,
        container,
        principal,
        track_id,
        {"ret-reasoning": reasoning},
        errors,
        lambda uow: svc.send_back(uow, principal, track_id, reasoning=reasoning, expected_version=version),
    )


@router.post("/requests/{track_id}/decision", response_class=HTMLResponse)
def decide(
    request: Request,
    track_id: RowId,
    container: ContainerDep,
    principal: PrincipalDep,
    version: Version = 0,
    outcome: Annotated[str, Form(max_length=30)] = "",
    reasoning: Text = "",
) -> Response:
    require(principal, Permission.COUNTERSIGN)
    with container.uow() as uow:
        track = svc.get(uow, principal, track_id)
    errors = _verdict_errors("dec", track, outcome, reasoning)
    return _move(
        request,
        container,
        principal,
        track_id,
        {"dec-outcome": outcome, "dec-reasoning": reasoning},
        errors,
        lambda uow: svc.decide(
            uow, principal, track_id, outcome=outcome, reasoning=reasoning, expected_version=version
        ),
    )


@router.post("/requests/{track_id}/ruling", response_class=HTMLResponse)
def ruling(
    request: Request,
    track_id: RowId,
    container: ContainerDep,
    principal: PrincipalDep,
    version: Version = 0,
    outcome: Annotated[str, Form(max_length=30)] = "",
    binding: Annotated[str, Form(max_length=3)] = "",
    answer: Text = "",
    legal_basis: Annotated[str, Form(max_length=300)] = "",
) -> Response:
    require(principal, Permission.ASSESS_CASE)
    with container.uow() as uow:
        track = svc.get(uow, principal, track_id)
    first = _first_outcome("rul", track)
    errors = FormErrors(
        default="rul-answer",
        ids={"outcome": first, "answer": "rul-answer", "legal_basis": "rul-legal_basis"},
    )
    if outcome not in OUTCOME_LABELS:
        errors.add(first, "Choose the answer")
    if binding not in ("yes", "no"):
        errors.add("rul-binding-yes", "Say whether the ruling binds the authority")
    if not answer.strip():
        errors.add("rul-answer", "Write the answer")
    if not legal_basis.strip():
        errors.add("rul-legal_basis", "Name the legal basis, for example Art. 3(1) and Annex I")
    form = {
        "rul-outcome": outcome,
        "rul-binding": binding,
        "rul-answer": answer,
        "rul-legal_basis": legal_basis,
    }
    return _move(
        request,
        container,
        principal,
        track_id,
        form,
        errors,
        lambda uow: svc.answer(
            uow,
            principal,
            track_id,
            outcome=outcome,
            binding=binding == "yes",
            answer_text=answer,
            legal_basis=legal_basis,
            expected_version=version,
        ),
    )
