"""Enforcement cases: an authority records a decision on a violation in its member state; its own state's
cases it reads in full; the Commission and the public read them anonymised, and as figures (Art. 26(2)).

One permission check (``_check_officer``): an officer of a competent authority. A party named in a case must be
an exporter of the officer's state (another state's is answered as missing, F16). Each Commission read is
audited (``services.oversight``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from dualuse.domain import enforcement as enf
from dualuse.domain.errors import HiddenResourceError, NotFoundError, PermissionDeniedError, ValidationError
from dualuse.domain.identity import OrganisationKind, Permission, Principal, authorize
from dualuse.services import audit, oversight
from dualuse.services.clock import today_in_brussels
from dualuse.services.unit_of_work import UnitOfWork

NO_PARTY = "no such exporter in your member state"


def _check_officer(principal: Principal) -> str:
    authorize(principal, Permission.ASSESS_CASE)
    if principal.organisation_kind is not OrganisationKind.AUTHORITY or principal.member_state is None:
        raise PermissionDeniedError("only a competent authority records enforcement cases")
    return principal.member_state


def record_case(
    uow: UnitOfWork,
    principal: Principal,
    catalogue: enf.PenaltyCatalogue,
    *,
    violation: str,
    decision: str,
    decision_date: date,
    amount_eur: Decimal | None = None,
    imprisonment_months: int | None = None,
    organisation_id: int | None = None,
    summary: str = "",
) -> int:
    """Record a decision taken in the officer's member state on a violation of the catalogue."""
    state = _check_officer(principal)
    if catalogue.violation(violation) is None:
        raise ValidationError(f"choose a violation type (not {violation!r})", field="violation")
    try:
        chosen = enf.EnforcementDecision(decision)
    except ValueError:
        allowed = ", ".join(d.value for d in enf.EnforcementDecision)
        raise ValidationError(f"the decision is one of {allowed}", field="decision") from None
    enf.check_decision(chosen, amount_eur, imprisonment_months, decision_date, today_in_brussels())
    if organisation_id is not None:
        organisation = uow.organisations.get(organisation_id)
        if organisation is None or organisation.kind is not OrganisationKind.EXPORTER:
            raise NotFoundError(NO_PARTY)
        if organisation.member_state != state:
            raise HiddenResourceError(NO_PARTY)
    case_id = uow.enforcement.add_case(
        member_state=state,
        violation=violation,
        decision_date=decision_date,
        decision=chosen,
        amount_eur=amount_eur,
        imprisonment_months=imprisonment_months,
        organisation_id=organisation_id,
        summary=summary.strip(),
        recorded_by=principal.label,
    )
    audit.record(
        uow,
        actor=principal.label,
        action="enforcement_case.recorded",
        entity_type="enforcement_case",
        entity_id=case_id,
        after={
            "member_state": state,
            "violation": violation,
            "decision": chosen.value,
            "decision_date": decision_date.isoformat(),
            "amount_eur": str(amount_eur) if amount_eur is not None else None,
            "imprisonment_months": imprisonment_months,
            "organisation_id": organisation_id,
        },
    )
    uow.commit()
    return case_id


def state_cases(uow: UnitOfWork, principal: Principal) -> Sequence[enf.EnforcementCase]:
    """The cases of the officer's own state, in full (with the party)."""
    return uow.enforcement.cases(member_state=_check_officer(principal))


def public_cases(uow: UnitOfWork, principal: Principal) -> tuple[enf.PublicEnforcementCase, ...]:
    """Every state's cases without the party, the officer or the summary: for anyone; a Commission read is
    audited (Art. 26(2))."""
    authorize(principal, Permission.VIEW_PUBLIC)
    cases = tuple(enf.anonymised(c) for c in uow.enforcement.cases())
    oversight.record_read(
        uow, principal, entity_type="enforcement_case", entity_id="*", legal_basis="Art. 26(2)"
    )
    return cases


def public_statistics(uow: UnitOfWork, principal: Principal) -> tuple[enf.EnforcementLine, ...]:
    """Enforcement figures per state and violation type, from the anonymised cases."""
    return enf.statistics(public_cases(uow, principal))
