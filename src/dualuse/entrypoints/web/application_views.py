"""The exporter's application as a task list (GOV.UK Design System: task list, question pages, check answers
with change links, declaration, confirmation): the exporter starts a draft by choosing the authorisation,
then adds its items, its parties, the destinations and the end use and its documents in any order, changes
or removes any of them while the application is a draft, withdraws the draft if it is not needed, and
submits after checking its answers and making the declaration.

Every change goes through ``services.licensing.update_application`` with the version of the case the page
was drawn from (optimistic locking), so two tabs cannot overwrite each other's changes unseen.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from dualuse.domain import licensing as lic
from dualuse.domain.countries import resolve_country
from dualuse.domain.errors import ConflictError, DualUseError, NotFoundError, ValidationError
from dualuse.domain.identity import Permission
from dualuse.domain.licensing.model import check_quantity, check_value_eur
from dualuse.domain.rules.facts import country_name
from dualuse.entrypoints.http.deps import ContainerDep, RowId, UserDep
from dualuse.entrypoints.web.access import refused, require
from dualuse.entrypoints.web.forms import FormErrors, required
from dualuse.entrypoints.web.views import render
from dualuse.services import licensing as svc
from dualuse.services.casework import supporting as casework_supporting

router = APIRouter(include_in_schema=False)
Row = TypeVar("Row")
Line = Annotated[int, Path(ge=1, le=999)]
Version = Annotated[int, Form(ge=0, le=10**9)]

TYPE_HINTS = {
    lic.ApplicationType.INDIVIDUAL: "For one end-user or consignee in a third country, one or more items "
    "(Art. 2(12)).",
    lic.ApplicationType.GLOBAL: "For a type or category of items, to one or more end-users or countries "
    "(Art. 2(13)).",
    lic.ApplicationType.LARGE_PROJECT: "An individual or global authorisation for a specified large-scale "
    "project (Art. 2(14), Art. 12(3)).",
    lic.ApplicationType.BROKERING: "For brokering services for listed items (Art. 13).",
    lic.ApplicationType.TECHNICAL_ASSISTANCE: "For technical assistance related to listed items (Art. 13).",
}
ROLE_LABELS = {
    lic.PartyRole.END_USER: "End-user",
    lic.PartyRole.CONSIGNEE: "Consignee",
    lic.PartyRole.ULTIMATE_END_USER: "Ultimate end-user",
    lic.PartyRole.INTERMEDIARY: "Intermediary (broker, freight forwarder or agent)",
}
DECLARATION = svc.APPLICANT_DECLARATION  # the checkbox of the check page, kept with the submission
ITEM_FIELDS = ("control_code", "description", "cn_code", "quantity", "unit", "value_eur")
PARTY_FIELDS = ("name", "role", "country", "party_type")
DRAFT_ONLY = "the application has been submitted: its content is frozen, and changes are amendments"


# --- reading the draft ------------------------------------------------------------------------------------
def _draft(uow: Any, principal: Any, case_id: int) -> Any:
    """The exporter's own application (as missing for anyone else, F16)."""
    require(principal, Permission.ACT_FOR_EXPORTER)
    return svc.get_application(uow, principal, case_id)  # another's: as missing (F16)


def _is_draft(stored: Any) -> bool:
    return bool(stored.case.status is lic.ApplicationStatus.DRAFT)


def _not_a_draft(case_id: int) -> Response:
    return RedirectResponse(f"/applications/{case_id}", status_code=303)


def _count(n: int, one: str, many: str) -> str:
    """The count in words ("1 item", "3 items"); nothing for none."""
    return f"{n} {one if n == 1 else many}" if n else ""


def task_list(stored: Any, documents: int) -> list[dict[str, Any]]:
    """The sections of a draft with their status, in the order the exporter usually answers them."""
    a = stored.case.current_application
    case = f"/applications/{stored.id}"
    has_end_user = bool(a.parties_in_role(lic.PartyRole.END_USER))
    items = {
        "title": "Items",
        "href": f"{case}/items",
        "done": bool(a.items),
        "detail": _count(len(a.items), "item", "items"),
    }
    parties = {
        "title": "End-user and other parties",
        "href": f"{case}/parties",
        "done": has_end_user,
        "detail": _count(len(a.parties), "party", "parties"),
        "started": bool(a.parties),
    }
    end_use = {
        "title": "Destinations and end use",
        "href": f"{case}/end-use",
        "done": bool(a.destinations) and bool(a.end_use.strip()),
        "started": bool(a.destinations) or bool(a.end_use.strip()),
    }
    sections: list[dict[str, Any]] = [
        {"title": "Type of authorisation", "href": f"{case}/type", "done": True},
        items,
        parties,
        end_use,
        {
            "title": "Supporting documents",
            "href": f"{case}/documents/new",
            "done": None,  # optional
            "detail": _count(documents, "document", "documents"),
        },
    ]
    for section in sections:
        section["status"] = (
            "Optional"
            if section["done"] is None
            else "Completed"
            if section["done"]
            else "In progress"
            if section.get("started")
            else "Not yet started"
        )
    return sections


def cn_hints(container: Any, application: lic.Application) -> dict[int, str]:
    """For each item line with a CN code, the Annex I entries the code correlates with (a lookup aid)."""
    hints: dict[int, str] = {}
    for line, item in enumerate(application.items, start=1):
        if item.cn_code:
            advice = container.cn_correlation.advice(item.cn_code)
            if advice:
                hints[line] = advice
    return hints


def _page(
    request: Request,
    template: str,
    principal: Any,
    stored: Any,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    base = {
        "principal": principal,
        "stored": stored,
        "errors": [],
        "application": stored.case.current_application,
    }
    return render(request, f"licensing/draft/{template}", base | context, status_code=status_code)


def _save(
    container: Any,
    principal: Any,
    case_id: int,
    version: int,
    change: Callable[[svc.ApplicationContent], svc.ApplicationContent],
) -> None:
    """Apply ``change`` to the draft as the page saw it (refused when the draft moved on since)."""
    with container.uow() as uow:
        stored = _draft(uow, principal, case_id)
        if not _is_draft(stored):
            raise ConflictError(DRAFT_ONLY)
        content = change(svc.ApplicationContent.of(stored.case.current_application))
        svc.update_application(uow, principal, case_id, content, expected_version=version or None)


def _saved_or_again(
    errors: FormErrors, save: Callable[[], None], again: Callable[[], Response], done: str
) -> Response:
    """Save when the form is right; otherwise (or when the use case refuses it) the form again, kept."""
    if not errors:
        try:
            save()
        except (DualUseError, ValueError) as exc:
            if isinstance(exc, DualUseError) and refused(exc):
                raise
            errors.add_exception(exc)
    if errors:
        return again()
    return RedirectResponse(done, status_code=303)


# --- start ------------------------------------------------------------------------------------------------
def _types() -> list[tuple[str, str]]:
    return [(t.value, t.value.replace("_", " ").capitalize()) for t in lic.ApplicationType]


@router.get("/applications/new", response_class=HTMLResponse)
def new_page(request: Request, principal: UserDep) -> Response:
    require(principal, Permission.ACT_FOR_EXPORTER)
    context = {"principal": principal, "errors": [], "types": _types(), "hints": TYPE_HINTS, "chosen": ""}
    return render(request, "licensing/draft/start.html", context)


@router.post("/applications/new", response_class=HTMLResponse)
def create(
    request: Request,
    container: ContainerDep,
    principal: UserDep,
    application_type: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    """Open a draft with the authorisation chosen; the task list follows."""
    require(principal, Permission.ACT_FOR_EXPORTER)
    errors = FormErrors(
        default="application_type-individual", ids={"application_type": "application_type-individual"}
    )
    if application_type not in {t.value for t in lic.ApplicationType}:
        errors.add("application_type-individual", "Choose the authorisation you are applying for")
    stored: Any = None

    def save() -> None:
        nonlocal stored
        with container.uow() as uow:
            stored = svc.create_application(uow, principal, svc.ApplicationContent(application_type))

    def again() -> Response:
        context = {
            "principal": principal,
            "errors": errors.as_list(),
            "types": _types(),
            "hints": TYPE_HINTS,
            "chosen": application_type,
        }
        return render(request, "licensing/draft/start.html", context, status_code=400)

    answer = _saved_or_again(errors, save, again, "")
    return RedirectResponse(f"/applications/{stored.id}", status_code=303) if stored else answer


def draft_page(request: Request, container: Any, principal: Any, case_id: int) -> HTMLResponse:
    """The task list of a draft (the case page of an application the exporter has not submitted)."""
    with container.uow() as uow:
        stored = _draft(uow, principal, case_id)
        documents = len(casework_supporting.listing(uow, principal, case_id))
    sections = task_list(stored, documents)
    required_sections = [s for s in sections if s["done"] is not None]
    done = sum(1 for s in required_sections if s["done"])
    return _page(
        request,
        "tasks.html",
        principal,
        stored,
        sections=sections,
        done=done,
        total=len(required_sections),
        complete=done == len(required_sections),
    )


# --- the type -----------------------------------------------------------------------------------------------
@router.get("/applications/{case_id}/type", response_class=HTMLResponse)
def type_page(request: Request, case_id: RowId, container: ContainerDep, principal: UserDep) -> Response:
    with container.uow() as uow:
        stored = _draft(uow, principal, case_id)
    if not _is_draft(stored):
        return _not_a_draft(case_id)
    chosen = stored.case.current_application.application_type.value
    return _page(request, "type.html", principal, stored, types=_types(), hints=TYPE_HINTS, chosen=chosen)


@router.post("/applications/{case_id}/type", response_class=HTMLResponse)
def change_type(
    request: Request,
    case_id: RowId,
    container: ContainerDep,
    principal: UserDep,
    version: Version = 0,
    application_type: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    errors = FormErrors(
        default="application_type-individual", ids={"application_type": "application_type-individual"}
    )
    if application_type not in {t.value for t in lic.ApplicationType}:
        errors.add("application_type-individual", "Choose the authorisation you are applying for")

    def again() -> Response:
        with container.uow() as uow:
            stored = _draft(uow, principal, case_id)
        return _page(
            request,
            "type.html",
            principal,
            stored,
            400,
            types=_types(),
            hints=TYPE_HINTS,
            chosen=application_type,
            errors=errors.as_list(),
        )

    def save() -> None:
        _save(container, principal, case_id, version, lambda c: replace(c, application_type=application_type))

    return _saved_or_again(errors, save, again, f"/applications/{case_id}")


# --- items --------------------------------------------------------------------------------------------------
def _amount(text: str, field: str, what: str, check: Callable[..., None]) -> Decimal:
    try:
        amount = Decimal(text.strip().replace(" ", ""))
    except InvalidOperation:
        raise ValidationError(f"Enter the {what} as a number, for example 12.5", field=field) from None
    check(amount, field=field, what=what)
    return amount


def _item(form: dict[str, str], errors: FormErrors) -> lic.ApplicationItem | None:
    """The item the form describes, with every mistake in ``errors`` (all at once)."""
    required(
        errors,
        form,
        {
            "control_code": "Enter the control code of the item, e.g. 5A002.a",
            "description": "Describe the item",
            "quantity": "Enter the quantity",
            "value_eur": "Enter the value in euro",
        },
    )
    amounts: dict[str, Decimal] = {}
    for name, what, check in (
        ("quantity", "quantity", check_quantity),
        ("value_eur", "value in euro", check_value_eur),
    ):
        if form[name].strip():
            try:
                amounts[name] = _amount(form[name], name, what, check)
            except ValidationError as exc:
                errors.add_exception(exc)
    cn_code = form["cn_code"].replace(" ", "").replace(".", "")
    if cn_code and not (len(cn_code) == 8 and cn_code.isdigit()):
        errors.add("cn_code", "Enter the CN code as 8 digits, for example 85176200, or leave it empty")
    errors.order(ITEM_FIELDS)
    if errors:
        return None
    try:
        return lic.ApplicationItem(
            form["control_code"].strip(),
            form["description"].strip(),
            amounts["quantity"],
            form["unit"].strip() or "pieces",
            amounts["value_eur"],
            cn_code,
        )
    except ValidationError as exc:
        errors.add_exception(exc)
        return None


def _item_form(item: lic.ApplicationItem | None) -> dict[str, str]:
    if item is None:
        return dict.fromkeys(ITEM_FIELDS, "") | {"unit": "pieces"}
    return {
        "control_code": item.control_code,
        "description": item.description,
        "cn_code": item.cn_code,
        "quantity": str(item.quantity),
        "unit": item.unit,
        "value_eur": str(item.value_eur),
    }


@router.get("/applications/{case_id}/items", response_class=HTMLResponse)
def items_page(request: Request, case_id: RowId, container: ContainerDep, principal: UserDep) -> Response:
    with container.uow() as uow:
        stored = _draft(uow, principal, case_id)
    if not _is_draft(stored):
        return _not_a_draft(case_id)
    hints = cn_hints(container, stored.case.current_application)
    return _page(request, "items.html", principal, stored, cn_hints=hints)


def _no_line(line: int) -> NotFoundError:
    return NotFoundError(f"the application has no line {line}")


def _put(rows: Sequence[Row], line: int | None, row: Row) -> tuple[Row, ...]:
    """``rows`` with ``row`` added at the end (no line) or in the place of line ``line`` (1-based)."""
    if line is None:
        return (*rows, row)
    if line > len(rows):
        raise _no_line(line)
    return (*rows[: line - 1], row, *rows[line:])


def _without(rows: Sequence[Row], line: int) -> tuple[Row, ...]:
    if line > len(rows):
        raise _no_line(line)
    return (*rows[: line - 1], *rows[line:])


def _remove(container: Any, principal: Any, case_id: int, version: int, line: int, part: str) -> Response:
    """Take line ``line`` out of the draft's items or parties (``part``), then back to their list."""

    def change(content: svc.ApplicationContent) -> svc.ApplicationContent:
        if part == "items":
            return replace(content, items=_without(content.items, line))
        return replace(content, parties=_without(content.parties, line))

    _save(container, principal, case_id, version, change)
    return RedirectResponse(f"/applications/{case_id}/{part}", status_code=303)


def _line_of(stored: Any, line: int | None, parties: bool = False) -> Any:
    """The item (or party) on ``line`` of the draft, or a refusal as for a missing one."""
    if line is None:
        return None
    a = stored.case.current_application
    rows = a.parties if parties else a.items
    if line > len(rows):
        raise _no_line(line)
    return rows[line - 1]


@router.get("/applications/{case_id}/items/new", response_class=HTMLResponse)
def new_item_page(request: Request, case_id: RowId, container: ContainerDep, principal: UserDep) -> Response:
    return _item_page(request, case_id, container, principal, None)


@router.get("/applications/{case_id}/items/{line}", response_class=HTMLResponse)
def item_page(
    request: Request, case_id: RowId, line: Line, container: ContainerDep, principal: UserDep
) -> Response:
    return _item_page(request, case_id, container, principal, line)


def _item_page(request: Request, case_id: int, container: Any, principal: Any, line: int | None) -> Response:
    with container.uow() as uow:
        stored = _draft(uow, principal, case_id)
    if not _is_draft(stored):
        return _not_a_draft(case_id)
    form = _item_form(_line_of(stored, line))
    return _page(request, "item.html", principal, stored, form=form, line=line)


@router.post("/applications/{case_id}/items", response_class=HTMLResponse)
async def add_item(request: Request, case_id: RowId, container: ContainerDep, principal: UserDep) -> Response:
    return await _write_item(request, case_id, container, principal, None)


@router.post("/applications/{case_id}/items/{line}", response_class=HTMLResponse)
async def change_item(
    request: Request, case_id: RowId, line: Line, container: ContainerDep, principal: UserDep
) -> Response:
    return await _write_item(request, case_id, container, principal, line)


async def _write_item(
    request: Request, case_id: int, container: Any, principal: Any, line: int | None
) -> Response:
    with container.uow() as uow:  # whose draft this is is settled before the form is read
        stored = _draft(uow, principal, case_id)
        _line_of(stored, line)
    async with request.form() as raw:
        form = {f: str(raw.get(f) or "")[:20000] for f in ITEM_FIELDS}
        version = _form_version(str(raw.get("version") or ""))
    errors = FormErrors(default="control_code")
    entered = _item(form, errors)

    def again() -> Response:
        return _page(
            request, "item.html", principal, stored, 400, form=form, line=line, errors=errors.as_list()
        )

    if entered is None:
        return again()
    item: lic.ApplicationItem = entered

    def change(content: svc.ApplicationContent) -> svc.ApplicationContent:
        return replace(content, items=_put(content.items, line, item))

    return _saved_or_again(
        errors,
        lambda: _save(container, principal, case_id, version, change),
        again,
        f"/applications/{case_id}/items",
    )


@router.post("/applications/{case_id}/items/{line}/remove")
def remove_item(
    case_id: RowId, line: Line, container: ContainerDep, principal: UserDep, version: Version = 0
) -> Response:
    return _remove(container, principal, case_id, version, line, "items")


# --- parties ------------------------------------------------------------------------------------------------
def _roles() -> list[tuple[str, str]]:
    return [(r.value, ROLE_LABELS[r]) for r in lic.PartyRole]


def _party_types() -> list[tuple[str, str]]:
    return [(t.value, t.value.capitalize()) for t in lic.PartyType]


def _party_form(party: lic.Party | None, application: lic.Application) -> dict[str, str]:
    if party is None:
        first = not application.parties_in_role(lic.PartyRole.END_USER)
        return {"name": "", "role": "end_user" if first else "", "country": "", "party_type": "commercial"}
    return {
        "name": party.name,
        "role": party.role.value,
        "country": f"{country_name(party.country)} ({party.country})",
        "party_type": party.party_type.value,
    }


@router.get("/applications/{case_id}/parties", response_class=HTMLResponse)
def parties_page(request: Request, case_id: RowId, container: ContainerDep, principal: UserDep) -> Response:
    with container.uow() as uow:
        stored = _draft(uow, principal, case_id)
    if not _is_draft(stored):
        return _not_a_draft(case_id)
    return _page(request, "parties.html", principal, stored, roles=dict(_roles()))


@router.get("/applications/{case_id}/parties/new", response_class=HTMLResponse)
def new_party_page(request: Request, case_id: RowId, container: ContainerDep, principal: UserDep) -> Response:
    return _party_page(request, case_id, container, principal, None)


@router.get("/applications/{case_id}/parties/{line}", response_class=HTMLResponse)
def party_page(
    request: Request, case_id: RowId, line: Line, container: ContainerDep, principal: UserDep
) -> Response:
    return _party_page(request, case_id, container, principal, line)


def _party_context(line: int | None) -> dict[str, Any]:
    return {"line": line, "roles": _roles(), "party_types": _party_types()}


def _party_page(request: Request, case_id: int, container: Any, principal: Any, line: int | None) -> Response:
    with container.uow() as uow:
        stored = _draft(uow, principal, case_id)
    if not _is_draft(stored):
        return _not_a_draft(case_id)
    form = _party_form(_line_of(stored, line, parties=True), stored.case.current_application)
    return _page(request, "party.html", principal, stored, form=form, **_party_context(line))


@router.post("/applications/{case_id}/parties", response_class=HTMLResponse)
async def add_party(
    request: Request, case_id: RowId, container: ContainerDep, principal: UserDep
) -> Response:
    return await _write_party(request, case_id, container, principal, None)


@router.post("/applications/{case_id}/parties/{line}", response_class=HTMLResponse)
async def change_party(
    request: Request, case_id: RowId, line: Line, container: ContainerDep, principal: UserDep
) -> Response:
    return await _write_party(request, case_id, container, principal, line)


def _party(form: dict[str, str], errors: FormErrors) -> lic.Party | None:
    """The party the form describes, with every mistake in ``errors`` (all at once, in the form's order)."""
    if not form["name"].strip():
        errors.add("name", "Enter the party's name")
    if form["role"] not in {r.value for r in lic.PartyRole}:
        errors.add("role-end_user", "Choose the party's role")
    country = ""
    if not form["country"].strip():
        errors.add("country", "Enter the party's country")
    else:
        try:
            country = resolve_country(form["country"], "country")
        except ValidationError as exc:
            errors.add_exception(exc)
    if form["party_type"] not in {t.value for t in lic.PartyType}:
        errors.add("party_type", "Choose what kind of body the party is")
    if errors:
        return None
    try:
        return lic.Party(
            form["name"].strip(), lic.PartyRole(form["role"]), country, lic.PartyType(form["party_type"])
        )
    except ValidationError as exc:
        errors.add_exception(exc)
        return None


async def _write_party(
    request: Request, case_id: int, container: Any, principal: Any, line: int | None
) -> Response:
    with container.uow() as uow:
        stored = _draft(uow, principal, case_id)
        _line_of(stored, line, parties=True)
    async with request.form() as raw:
        form = {f: str(raw.get(f) or "")[:2000] for f in PARTY_FIELDS}
        version = _form_version(str(raw.get("version") or ""))
    errors = FormErrors(default="name", ids={"role": "role-end_user"})
    entered = _party(form, errors)

    def again() -> Response:
        context = _party_context(line) | {"form": form, "errors": errors.as_list()}
        return _page(request, "party.html", principal, stored, 400, **context)

    if entered is None:
        return again()
    party: lic.Party = entered

    def change(content: svc.ApplicationContent) -> svc.ApplicationContent:
        destinations = content.destinations
        if party.role is lic.PartyRole.END_USER and not destinations:
            destinations = (party.country,)  # the end-user's country is the first guess of the destination
        return replace(content, parties=_put(content.parties, line, party), destinations=destinations)

    return _saved_or_again(
        errors,
        lambda: _save(container, principal, case_id, version, change),
        again,
        f"/applications/{case_id}/parties",
    )


@router.post("/applications/{case_id}/parties/{line}/remove")
def remove_party(
    case_id: RowId, line: Line, container: ContainerDep, principal: UserDep, version: Version = 0
) -> Response:
    return _remove(container, principal, case_id, version, line, "parties")


# --- destinations and end use -----------------------------------------------------------------------------
@router.get("/applications/{case_id}/end-use", response_class=HTMLResponse)
def end_use_page(request: Request, case_id: RowId, container: ContainerDep, principal: UserDep) -> Response:
    with container.uow() as uow:
        stored = _draft(uow, principal, case_id)
    if not _is_draft(stored):
        return _not_a_draft(case_id)
    a = stored.case.current_application
    form = {
        "destinations": ", ".join(f"{country_name(c)} ({c})" for c in a.destinations),
        "end_use": a.end_use,
    }
    return _page(request, "end_use.html", principal, stored, form=form)


def destinations_of(text: str) -> tuple[str, ...]:
    """The countries of a comma-separated list of names or codes, each once, in the order given."""
    found: list[str] = []
    for part in text.replace(";", ",").split(","):
        if part.strip():
            code = resolve_country(part, "destinations")
            if code not in found:
                found.append(code)
    return tuple(found)


@router.post("/applications/{case_id}/end-use", response_class=HTMLResponse)
def change_end_use(
    request: Request,
    case_id: RowId,
    container: ContainerDep,
    principal: UserDep,
    version: Version = 0,
    destinations: Annotated[str, Form(max_length=2000)] = "",
    end_use: Annotated[str, Form(max_length=20000)] = "",
) -> Response:
    form = {"destinations": destinations, "end_use": end_use}
    errors = FormErrors(default="end_use")
    required(
        errors,
        form,
        {
            "destinations": "Enter the country or countries the items go to",
            "end_use": "Say what the end-user will use the items for",
        },
    )
    codes: tuple[str, ...] = ()
    if destinations.strip():
        try:
            codes = destinations_of(destinations)
        except ValidationError as exc:
            errors.add_exception(exc)

    def again() -> Response:
        with container.uow() as uow:
            stored = _draft(uow, principal, case_id)
        return _page(request, "end_use.html", principal, stored, 400, form=form, errors=errors.as_list())

    def save() -> None:
        _save(
            container,
            principal,
            case_id,
            version,
            lambda c: replace(c, destinations=codes, end_use=end_use.strip()),
        )

    return _saved_or_again(errors, save, again, f"/applications/{case_id}")


# --- check your answers, declaration, submission ----------------------------------------------------------
def _missing(stored: Any) -> list[dict[str, str]]:
    """What submission still needs, each with the page that answers it."""
    pages = {"items": "items", "parties": "parties", "destinations": "end-use", "end_use": "end-use"}
    wording = {
        "items": "Add at least one item",
        "parties": "Add the end-user",
        "destinations": "Enter the destination",
        "end_use": "Describe the end use",
    }
    return [
        {
            "field": str(e.field),
            "text": wording[str(e.field)],
            "href": f"/applications/{stored.id}/{pages[str(e.field)]}",
        }
        for e in stored.case.current_application.missing()
    ]


def _check_page(
    request: Request,
    container: Any,
    principal: Any,
    case_id: int,
    errors: list[dict[str, str]],
    status: int = 200,
) -> Response:
    with container.uow() as uow:
        stored = _draft(uow, principal, case_id)
        documents = casework_supporting.listing(uow, principal, case_id)
    if not _is_draft(stored):
        return _not_a_draft(case_id)
    context = {
        "missing": _missing(stored),
        "documents": documents,
        "declaration": DECLARATION,
        "roles": dict(_roles()),
        "hints": TYPE_HINTS,
        "cn_hints": cn_hints(container, stored.case.current_application),
    }
    return _page(request, "check.html", principal, stored, status, errors=errors, **context)


@router.get("/applications/{case_id}/check", response_class=HTMLResponse)
def check_answers(request: Request, case_id: RowId, container: ContainerDep, principal: UserDep) -> Response:
    return _check_page(request, container, principal, case_id, [])


@router.post("/applications/{case_id}/submit", response_class=HTMLResponse)
def submit(
    request: Request,
    case_id: RowId,
    container: ContainerDep,
    principal: UserDep,
    version: Version = 0,
    declaration: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    with container.uow() as uow:
        stored = _draft(uow, principal, case_id)
    errors = FormErrors(default="declaration")
    for missing in _missing(stored):
        errors.add(missing["field"], missing["text"])
    if declaration != "yes":
        errors.add("declaration", "Confirm the declaration to submit the application")
    if not errors:
        try:
            with container.uow() as uow:
                svc.submit(uow, principal, case_id, expected_version=version or None, declaration=DECLARATION)
        except DualUseError as exc:
            if refused(exc):
                raise
            errors.add_exception(exc)
    if errors:
        return _check_page(request, container, principal, case_id, errors.as_list(), 400)
    container.gather_evidence_after_submission(case_id)
    return RedirectResponse(f"/applications/{case_id}", status_code=303)


# --- withdrawal -------------------------------------------------------------------------------------------
WITHDRAWABLE = (
    lic.ApplicationStatus.DRAFT,
    lic.ApplicationStatus.SUBMITTED,
    lic.ApplicationStatus.UNDER_ASSESSMENT,
    lic.ApplicationStatus.AWAITING_EXPORTER,
)


@router.get("/applications/{case_id}/withdraw", response_class=HTMLResponse)
def withdraw_page(request: Request, case_id: RowId, container: ContainerDep, principal: UserDep) -> Response:
    with container.uow() as uow:
        stored = _draft(uow, principal, case_id)
    if stored.case.status not in WITHDRAWABLE:
        return _not_a_draft(case_id)
    return _page(request, "withdraw.html", principal, stored)


@router.post("/applications/{case_id}/withdraw", response_class=HTMLResponse)
def withdraw(
    request: Request, case_id: RowId, container: ContainerDep, principal: UserDep, version: Version = 0
) -> Response:
    try:
        with container.uow() as uow:
            svc.withdraw(uow, principal, case_id, expected_version=version or None)
    except DualUseError as exc:
        if refused(exc):
            raise
        errors = FormErrors(default="withdraw")
        errors.add_exception(exc)
        with container.uow() as uow:
            stored = _draft(uow, principal, case_id)
        return _page(request, "withdraw.html", principal, stored, 400, errors=errors.as_list())
    return RedirectResponse(f"/applications/{case_id}", status_code=303)


def _form_version(text: str) -> int:
    """The case version a form was drawn with; 0 (no check) when the form lacks it."""
    text = text.strip()
    return int(text) if text.isdigit() and len(text) <= 9 else 0
