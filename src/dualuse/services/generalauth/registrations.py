"""Union general export authorisations EU001-EU008 (Regulation (EU) 2021/821, Art. 12(1)(d), Annex II):
the exporter's notification of the first use to (or registration with) its competent authority, and its
reports of use.

When the first use is notified follows Annex II and the member state's choice
(``dualuse.domain.rules.first_use``): EU001-EU006 within 30 days after the first export, or before the first
use where the state requires it (and, where the state's choice is not verified, before the first export:
the safe reading); EU007 at least 30 days and EU008 at least 10 days before the first export. A
registration here records the day the authority was told; a report of use is refused for a period that
ended before the first day exports under the authorisation are covered.

Exporters see only their organisation's registrations and reports; the authority of a member state sees
those of the exporters registered with it (``for_authority``) and no others.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from dualuse.domain.errors import ConflictError, PermissionDeniedError, ValidationError
from dualuse.domain.identity import OrganisationKind, Permission, Principal, Role, authorize
from dualuse.domain.licensing.model import check_country
from dualuse.domain.rules.first_use import FirstUseTiming, first_use_timing
from dualuse.domain.rules.rulebook import GeneralAuthorisation, MemberStateSettings, Rulebook
from dualuse.domain.transparency import UseLine
from dualuse.services import audit
from dualuse.services.clock import brussels_day
from dualuse.services.unit_of_work import Row, UnitOfWork

ENTITY_REGISTRATION = "eugea_registration"
ENTITY_REPORT = "eugea_report"
MAX_SHIPMENTS = 2**31 - 1
MAX_VALUE_EUR = Decimal(10) ** 16  # what the reports' column holds, to the cent


def _exporter(principal: Principal) -> int:
    authorize(principal, Permission.ACT_FOR_EXPORTER)
    if principal.organisation_kind is not OrganisationKind.EXPORTER or principal.organisation_id is None:
        raise PermissionDeniedError("only an exporter registers for and reports on general authorisations")
    return principal.organisation_id


def union_authorisation(rulebook: Rulebook, eugea_id: str) -> GeneralAuthorisation:
    """The Union general export authorisation ``eugea_id`` of the rulebook (national ones are not Union
    authorisations: they are registered under national law, Art. 12(6))."""
    wanted = eugea_id.strip().upper()
    found = next((g for g in rulebook.general_authorisations if g.id == wanted and not g.is_national), None)
    if found is None:
        known = ", ".join(g.id for g in rulebook.general_authorisations if not g.is_national)
        raise ValidationError(
            f"{eugea_id!r} is not a Union general export authorisation (known: {known})", field="eugea_id"
        )
    return found


def registered_on(registration: Row) -> date:
    """The day a registration was made, in the Union's time (`brussels_day`): the day the rest of the
    system calls today, so that a notice given at 23:30 UTC in winter (00:30 in Brussels) dates from the
    day on which the exporter and the authority see it, and its waiting period counts from that day."""
    at: datetime = registration["registered_at"]
    return brussels_day(at)


def timing(rulebook: Rulebook, eugea_id: str, member_state: str | None) -> FirstUseTiming:
    """When the first use of ``eugea_id`` is notified by an exporter of ``member_state`` (Annex II Part 3
    and the state's choice); an unknown member state gets the safe reading."""
    authorisation = union_authorisation(rulebook, eugea_id)
    state = rulebook.member_states.get(member_state or "")
    if state is None:  # no member state to look up: the reading of a state whose choice is not known
        state = MemberStateSettings(
            member_state="", name="your member state", source="no member state", verified=False
        )
    return first_use_timing(authorisation, state)


def exports_covered_from(rulebook: Rulebook, registration: Row) -> date:
    """The first day exports under a registered authorisation are covered, given when it was notified."""
    found = timing(rulebook, str(registration["eugea_id"]), str(registration["member_state"]))
    return found.earliest_export(registered_on(registration))


def register(uow: UnitOfWork, principal: Principal, rulebook: Rulebook, eugea_id: str) -> int:
    """Record that the principal's organisation notified the authority of its member state of the first
    use of (or registered for) a Union general export authorisation today. Whether exports made before
    today are covered is for ``report_use`` (Annex II Part 3: EU001-EU006 may be notified within 30 days
    after the first export where the state allows it). Only the exporter's admin registers; registering
    twice is a conflict."""
    organisation_id = _exporter(principal)
    if principal.role is not Role.EXPORTER_ADMIN:
        raise PermissionDeniedError("only the exporter's administrator registers for a general authorisation")
    if principal.member_state is None:
        raise ValidationError("the organisation has no member state to register in", field="member_state")
    authorisation = union_authorisation(rulebook, eugea_id)
    if uow.general_authorisations.registration(organisation_id, authorisation.id) is not None:
        raise ConflictError(f"already registered for {authorisation.id}", field="eugea_id")
    registration_id = uow.general_authorisations.add_registration(
        organisation_id=organisation_id,
        eugea_id=authorisation.id,
        member_state=principal.member_state,
        by=principal.label,
        at=uow.clock.now(),
    )
    audit.record(
        uow,
        actor=principal.label,
        action="eugea.registered",
        entity_type=ENTITY_REGISTRATION,
        entity_id=registration_id,
        after={
            "organisation_id": organisation_id,
            "eugea_id": authorisation.id,
            "member_state": principal.member_state,
        },
    )
    uow.commit()
    return registration_id


def registrations(uow: UnitOfWork, principal: Principal) -> Sequence[Row]:
    """The principal's organisation's registrations."""
    return uow.general_authorisations.registrations(organisation_id=_exporter(principal))


def _check_report(
    today: date,
    period_start: date,
    period_end: date,
    shipments: int,
    value_eur: Decimal | str,
    destinations: Sequence[str],
) -> tuple[Decimal, list[str]]:
    if period_end < period_start:
        raise ValidationError("the period ends before it starts", field="period_end")
    if period_end > today:
        raise ValidationError(
            f"the period ends after today ({today.isoformat()}): report the use of exports already made",
            field="period_end",
        )
    if isinstance(shipments, bool) or not 0 <= shipments <= MAX_SHIPMENTS:
        raise ValidationError(
            "give the number of shipments as a non-negative whole number", field="shipments"
        )
    try:
        value = Decimal(str(value_eur).strip())
    except InvalidOperation:
        raise ValidationError("give the value in euro as a number", field="value_eur") from None
    if not value.is_finite() or value < 0:
        raise ValidationError("the value in euro must be a non-negative number", field="value_eur")
    if value >= MAX_VALUE_EUR:
        raise ValidationError(f"the value in euro must be below {MAX_VALUE_EUR:,.0f}", field="value_eur")
    codes = sorted({check_country(d.strip().upper(), field="destinations") for d in destinations})
    if shipments > 0 and not codes:
        raise ValidationError("name the destinations shipped to", field="destinations")
    return value, codes


def report_use(
    uow: UnitOfWork,
    principal: Principal,
    rulebook: Rulebook,
    eugea_id: str,
    period_start: date,
    period_end: date,
    shipments: int,
    value_eur: Decimal | str,
    destinations: Sequence[str],
    items: Sequence[UseLine] = (),
    is_listed: Callable[[str], bool] | None = None,
) -> int:
    """Report the use of a Union general export authorisation over a period. Refused unless the
    organisation notified (registered) its first use, for a period that ends on or after the first day
    exports under it are covered (Annex II Part 3 and the member state's choice: up to 30 days before the
    notification for EU001-EU006 where the state takes notice after the first export; the day of the
    notification where it requires notice or registration before, or where its choice is not verified;
    30 days after it for EU007 and 10 days after it for EU008), that does not overlap one already
    reported, with non-negative numbers and ISO 3166-1 alpha-2 destinations.

    The items exported (``items``: control code, quantity, unit, value) feed the annual report (Art. 26(2));
    each code must be on the control list in force (``is_listed``) and, when items are given, their values
    add up to the report's value."""
    organisation_id = _exporter(principal)
    value, codes = _check_report(
        uow.clock.today(), period_start, period_end, shipments, value_eur, destinations
    )
    _check_items(items, value, is_listed)
    wanted = union_authorisation(rulebook, eugea_id).id
    registration = uow.general_authorisations.registration(organisation_id, wanted)
    if registration is None:
        raise ValidationError(
            f"register for {wanted} before using it and reporting its use", field="eugea_id"
        )
    since = registered_on(registration)
    rule = timing(rulebook, wanted, str(registration["member_state"]))
    earliest = rule.earliest_export(since)
    if period_end < earliest:
        raise ValidationError(_too_early(wanted, rule, since, earliest), field="period_end")
    # Reports under one registration are recorded one at a time, so that of two overlapping ones sent at
    # the same moment the second is checked against the first.
    uow.general_authorisations.lock_registration(registration["id"])
    overlapping = uow.general_authorisations.overlapping_reports(
        organisation_id, wanted, period_start, period_end
    )
    if overlapping:
        other = overlapping[0]
        raise ConflictError(
            f"the use of {wanted} from {other['period_start'].isoformat()} to "
            f"{other['period_end'].isoformat()} is already reported: the periods overlap",
            field="period_start",
        )
    report_id = uow.general_authorisations.add_report(
        organisation_id=organisation_id,
        eugea_id=wanted,
        period_start=period_start,
        period_end=period_end,
        shipments=shipments,
        value_eur=value,
        destinations=codes,
        by=principal.label,
        items=items,
    )
    audit.record(
        uow,
        actor=principal.label,
        action="eugea.use_reported",
        entity_type=ENTITY_REPORT,
        entity_id=report_id,
        after={
            "organisation_id": organisation_id,
            "eugea_id": wanted,
            "period_start": period_start.isoformat(),
            "period_end": period_end.isoformat(),
            "shipments": shipments,
            "value_eur": str(value),
            "destinations": codes,
            "items": [
                [i.control_code.strip(), str(i.quantity), i.unit.strip(), str(i.value_eur)] for i in items
            ],
        },
    )
    uow.commit()
    return report_id


MAX_ITEMS = 200


def _check_items(items: Sequence[UseLine], value: Decimal, is_listed: Callable[[str], bool] | None) -> None:
    if not items:
        return
    if len(items) > MAX_ITEMS:
        raise ValidationError(f"report at most {MAX_ITEMS} items", field="items")
    if is_listed is None:
        raise ValidationError("no control list is in force to check the items' codes against", field="items")
    for number, item in enumerate(items, start=1):
        if not is_listed(item.control_code.strip()):
            raise ValidationError(
                f"item {number}: {item.control_code.strip()!r} is not an entry of the control list in force",
                field="items",
            )
    total = sum((i.value_eur for i in items), Decimal(0))
    if total != value:
        raise ValidationError(
            f"the items' values add up to {total:.2f} euro, not the {value:.2f} euro reported", field="items"
        )


def _too_early(eugea_id: str, rule: FirstUseTiming, since: date, earliest: date) -> str:
    """Why a period that ended before ``earliest`` was not under the authorisation."""
    if rule.offset_days > 0:
        return (
            f"{eugea_id}: the first use was notified on {since.isoformat()}, and the first export may be "
            f"made only {rule.offset_days} days after the notice, from {earliest.isoformat()}; the period "
            "ended before then. " + rule.rule
        )
    if rule.offset_days < 0:
        return (
            f"{eugea_id}: the first use was notified on {since.isoformat()}, which covers exports from "
            f"{earliest.isoformat()} ({-rule.offset_days} days before the notice) on; the period ended "
            "before then. " + rule.rule
        )
    return (
        f"registered for {eugea_id} on {since.isoformat()}, after the period ended: an export before "
        "registration was not made under it. " + rule.rule
    )


def reports(uow: UnitOfWork, principal: Principal) -> Sequence[Row]:
    """The principal's organisation's reports of use."""
    return uow.general_authorisations.reports(organisation_id=_exporter(principal))


@dataclass(frozen=True)
class AuthorityView:
    registrations: Sequence[Row]
    reports: Sequence[Row]


def for_authority(uow: UnitOfWork, principal: Principal) -> AuthorityView:
    """The registrations and reports of the exporters registered with the principal's authority."""
    authorize(principal, Permission.ASSESS_CASE)
    if principal.organisation_kind is not OrganisationKind.AUTHORITY or principal.member_state is None:
        raise PermissionDeniedError("only a competent authority sees the registrations made with it")
    state = principal.member_state
    return AuthorityView(
        uow.general_authorisations.registrations(member_state=state),
        uow.general_authorisations.reports(member_state=state),
    )
