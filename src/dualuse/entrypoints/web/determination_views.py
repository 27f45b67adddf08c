"""The exporter's page: does this shipment need a licence? A form, and the answer with its legal basis."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from dualuse.domain.countries import country_choices, resolve_country
from dualuse.domain.errors import DualUseError
from dualuse.domain.identity import Principal
from dualuse.domain.rules.facts import ITEM_KIND_HELP, ItemKind, country_name
from dualuse.domain.union import EU_MEMBER_STATES
from dualuse.entrypoints.http.deps import ContainerDep, PrincipalDep
from dualuse.entrypoints.web.access import refused
from dualuse.entrypoints.web.answer import present
from dualuse.entrypoints.web.forms import FormErrors
from dualuse.entrypoints.web.views import render
from dualuse.services import determination, generalauth
from dualuse.services.determination import saved

router = APIRouter(include_in_schema=False)

ACTIVITIES = ("export", "transfer", "brokering", "technical_assistance", "transit")
END_USER_TYPES = ("government", "military", "commercial", "research", "individual", "other", "unknown")
KNOWLEDGE = (
    ("wmd", "Weapons of mass destruction or their delivery (Art. 4(1)(a))"),
    (
        "military_end_use",
        "A military end-use; needs an authorisation only under an arms embargo (Art. 4(1)(b))",
    ),
    (
        "parts_of_illegally_exported_military_items",
        "Parts or components of military items exported without authorisation (Art. 4(1)(c))",
    ),
    ("internal_repression", "Internal repression or serious violations of human rights (Art. 5)"),
    (
        "public_security",
        "A use of concern for public security, including terrorism (Art. 10: another state's national list)",
    ),
)


# What the item is, in plain words: what sanctions regimes list items by (the engine asks when one applies)
ITEM_KINDS = tuple((kind.value, ITEM_KIND_HELP.get(kind, kind.value.replace("_", " "))) for kind in ItemKind)
NONE_OF_THESE = "none"


def _item_kinds(chosen: list[str] | None) -> list[str] | None:
    """The item kinds ticked: none ticked = not stated (the answer asks where it matters); "none of these"
    = stated as none of them."""
    if not chosen:
        return None
    if NONE_OF_THESE in chosen:
        return []
    return chosen


def _context(
    principal: object, form: dict[str, Any], result: object = None, errors: list[dict[str, str]] | None = None
) -> dict[str, Any]:
    return {
        "principal": principal,
        "form": form,
        "result": result,
        "errors": errors or [],
        "activities": ACTIVITIES,
        "end_user_types": END_USER_TYPES,
        "knowledge": KNOWLEDGE,
        "item_kinds": ITEM_KINDS,
        "countries": country_choices(),
        "member_states": sorted((code, country_name(code)) for code in EU_MEMBER_STATES),
    }


@router.get("/determinations/new", response_class=HTMLResponse)
def form_page(request: Request, principal: PrincipalDep) -> HTMLResponse:
    member_state = principal.member_state or "DE"
    form = {
        "activity": "export",
        "member_state": member_state,
        "destination": "",
        "quantity": "1",
        "informed": [],
        "aware": [],
        "item_kinds": [],
    }
    return render(request, "determination.html", _context(principal, form))


@router.post("/determinations/new", response_class=HTMLResponse)
def determine_page(
    request: Request,
    container: ContainerDep,
    principal: PrincipalDep,
    activity: Annotated[str, Form()] = "export",
    member_state: Annotated[str, Form()] = "",
    destination: Annotated[str, Form()] = "",
    end_user_name: Annotated[str, Form()] = "",
    end_user_type: Annotated[str, Form()] = "unknown",
    control_code: Annotated[str, Form()] = "",
    cn_code: Annotated[str, Form()] = "",
    national_codes: Annotated[str, Form()] = "",
    cyber_surveillance: Annotated[str, Form()] = "",
    description: Annotated[str, Form()] = "",
    quantity: Annotated[str, Form()] = "",
    value_eur: Annotated[str, Form()] = "",
    informed: Annotated[list[str] | None, Form()] = None,
    aware: Annotated[list[str] | None, Form()] = None,
    item_kinds: Annotated[list[str] | None, Form()] = None,
) -> HTMLResponse:
    form = {
        "activity": activity,
        "member_state": member_state,
        "destination": destination,
        "end_user_name": end_user_name,
        "end_user_type": end_user_type,
        "control_code": control_code,
        "cn_code": cn_code,
        "national_codes": national_codes,
        "cyber_surveillance": cyber_surveillance,
        "description": description,
        "quantity": quantity,
        "value_eur": value_eur,
        "informed": informed or [],
        "aware": aware or [],
        "item_kinds": item_kinds or [],
    }
    item: dict[str, Any] = {
        "id": "1",
        "description": description,
        "control_code": control_code.strip() or None,
        "cyber_surveillance": bool(cyber_surveillance),
    }
    if cn_code.strip():
        item["cn_code"] = cn_code.strip()
    if national_codes.strip():
        item["national_codes"] = [c.strip() for c in national_codes.split(",") if c.strip()]
    if (kinds := _item_kinds(item_kinds)) is not None:
        item["item_kinds"] = kinds
    errors = FormErrors(
        default="destination",
        ids={
            "member_state": "member_state",
            "control_code": "control_code",
            "cn_code": "cn_code",
            "national_codes": "national_codes",
            "destination": "destination",
            "country": "destination",
            "quantity": "quantity",
            "value_eur": "value_eur",
            "item_kinds": "item_kinds-" + ITEM_KINDS[0][0],
            "activity": "activity",
            "type": "end_user_type",
        },
    )
    if not destination.strip():
        errors.add("destination", "Enter the destination country")
    for name, text, what in (("quantity", quantity, "quantity"), ("value_eur", value_eur, "value in euro")):
        if not text.strip():
            continue
        try:
            number = float(text)
        except ValueError:
            errors.add(name, f"Enter the {what} as a number, e.g. 12.5")
            continue
        if number < 0 or number != number or number in (float("inf"), float("-inf")):
            errors.add(name, f"Enter the {what} as a number of 0 or more")
            continue
        item[name] = number
    country = ""
    if destination.strip():
        try:
            # a country picker's name (any EU language) or a code; never cut short
            country = resolve_country(destination, "destination")
        except DualUseError as exc:
            errors.add_exception(exc)
    if not errors:
        try:
            case: dict[str, Any] = {
                "activity": activity,
                "exporter": {"name": "web form", "member_state": member_state},
                "destination": country,
                "items": [item],
                "knowledge": {"informed": informed or [], "aware": aware or []},
            }
            if end_user_name.strip():
                case["end_user"] = {"name": end_user_name, "country": country, "type": end_user_type}
            with container.uow() as uow:
                inputs = container.determination_inputs(uow, principal.organisation_id)
                answer = determination.determine_case(inputs, case)
        except DualUseError as exc:
            if refused(exc):
                raise
            errors.add_exception(exc)
    if errors:
        return render(
            request, "determination.html", _context(principal, form, errors=errors.as_list()), status_code=400
        )
    form["destination"] = f"{country_name(country)} ({country})"
    result = answer.to_dict()
    exporter = _is_exporter(principal)
    registered: list[str] | None = None
    if exporter:
        with container.uow() as uow:
            registered = [str(r["eugea_id"]) for r in generalauth.registrations(uow, principal)]
    context = _context(principal, form, result=result)
    context["plain"] = present(result, container.rulebook, signed_in_exporter=exporter, registered=registered)
    context["can_save"] = exporter
    context["case_json"] = json.dumps(case, ensure_ascii=False, sort_keys=True)
    return render(request, "determination.html", context)


def _is_exporter(principal: Principal) -> bool:
    return bool(
        principal.is_authenticated
        and principal.organisation_kind is not None
        and principal.organisation_kind.value == "exporter"
    )


@router.post("/determinations/saved", response_class=HTMLResponse)
def save_determination(
    container: ContainerDep, principal: PrincipalDep, case: Annotated[str, Form()] = ""
) -> Response:
    """Keep the answer shown as a dated record: the case is determined again, never taken as answered."""
    try:
        data: object = json.loads(case)
    except json.JSONDecodeError:
        data = None  # the service refuses it, once it has checked who asks
    with container.uow() as uow:
        kept = saved.save(
            uow, container.determination_inputs(uow, principal.organisation_id), principal, data
        )
    return RedirectResponse(f"/determinations/saved/{kept.id}?saved=1", status_code=303)


@router.get("/determinations/saved", response_class=HTMLResponse)
def saved_list(request: Request, container: ContainerDep, principal: PrincipalDep) -> HTMLResponse:
    with container.uow() as uow:
        records = saved.saved_determinations(uow, principal)
    return render(request, "determinations/saved_list.html", {"principal": principal, "records": records})


@router.get("/determinations/saved/{saved_id}", response_class=HTMLResponse)
def saved_page(
    request: Request, container: ContainerDep, principal: PrincipalDep, saved_id: int
) -> HTMLResponse:
    with container.uow() as uow:
        record = saved.saved_determination(uow, principal, saved_id)
        registered = [str(r["eugea_id"]) for r in generalauth.registrations(uow, principal)]
    result = dict(record.answer)
    return render(
        request,
        "determinations/saved.html",
        {
            "principal": principal,
            "record": record,
            "result": result,
            "plain": present(result, container.rulebook, signed_in_exporter=True, registered=registered),
            "just_saved": request.query_params.get("saved") == "1",
        },
    )
