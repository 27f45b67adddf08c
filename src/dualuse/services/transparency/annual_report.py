"""The annual report (Art. 26(2)): computed by the database from the recorded decisions, registrations and
reports of use; each member state's authority reviews its part (the live figures, a draft) and submits it,
which freezes the figures; the Union report is composed of the submitted parts, naming the states that have
not submitted. The public sees it with the confidentiality rule applied (``publish``).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from dualuse.domain.errors import PermissionDeniedError, ValidationError
from dualuse.domain.identity import OrganisationKind, Permission, Principal, authorize
from dualuse.domain.rules.engine import ListView
from dualuse.domain.rules.rulebook import Rulebook
from dualuse.domain.transparency import (
    AnnualReport,
    ConfidentialityRule,
    Figure,
    PartStatus,
    Suppressed,
    Table,
    build,
    check_part_transition,
    compose,
    part_to_json,
    suppress,
)
from dualuse.domain.union import EU_MEMBER_STATES
from dualuse.services import audit
from dualuse.services.clock import today_in_brussels
from dualuse.services.transparency.ports import StoredPart
from dualuse.services.unit_of_work import UnitOfWork

ENTITY_PART = "annual_report_part"
MEMBER_STATES: tuple[str, ...] = tuple(sorted(EU_MEMBER_STATES))
FIRST_YEAR = 2021  # Reg. (EU) 2021/821 applies from 9 September 2021

IsCyber = Callable[[str], bool]


def cyber_surveillance_in(list_view: ListView | None) -> IsCyber:
    """Whether a code is a cyber-surveillance item (Art. 2(20)) as the list version marks it (itself or an
    entry above it); with no list in force, none is (the report then says so)."""

    def is_cyber(code: str) -> bool:
        flags = list_view.flags_for(code) if list_view is not None else None
        return bool(flags and flags.cyber_surveillance)

    return is_cyber


def listed_in(list_view: ListView | None) -> Callable[[str], bool] | None:
    """Whether a code is an entry of the list version; None when no list is in force."""
    if list_view is None:
        return None
    view = list_view
    return lambda code: view.flags_for(code) is not None


def confidentiality_rule(min_exporters: int, dominance_percent: int) -> ConfidentialityRule:
    """The rule set in the settings (``transparency_min_exporters``, ``transparency_dominance_percent``)."""
    return ConfidentialityRule(
        min_exporters=min_exporters,
        dominance_percent=Decimal(dominance_percent),
        source="settings: transparency_min_exporters, transparency_dominance_percent (project defaults 3, 85)",
    )


def national_ids(rulebook: Rulebook) -> list[str]:
    """The national general export authorisations of the rulebook (Art. 12(6))."""
    return [g.id for g in rulebook.general_authorisations if g.is_national]


def check_year(year: int) -> int:
    """A report year: from the Regulation's first year to the current one."""
    last = today_in_brussels().year
    if not FIRST_YEAR <= year <= last:
        raise ValidationError(f"the report years run from {FIRST_YEAR} to {last}", field="year")
    return year


def compute(
    uow: UnitOfWork, year: int, is_cyber: IsCyber, national_ids: Collection[str] = ()
) -> AnnualReport:
    """Every member state's live figures for ``year``, summed by the database (GROUP BY): cyber-surveillance
    items are the codes ``is_cyber`` says are (Art. 2(20), as the control list marks them)."""
    repo = uow.transparency
    cyber_codes = {code for code in repo.decision_codes(year) if is_cyber(code)}
    decided = repo.decision_figures(year, cyber_codes)
    per_state: dict[str, int] = {}
    for f in decided:
        if f.table == "decisions":
            per_state[f.row] = per_state.get(f.row, 0) + f.count
    figures: list[Figure] = [
        *decided,
        *repo.general_figures(year, national_ids),
        *repo.administration_figures(year),
        *(
            Figure("administration", s, "decisions", n, Decimal(0), 0, Decimal(0))
            for s, n in per_state.items()
        ),
    ]
    states = sorted({*MEMBER_STATES, *(f.row for f in figures)})
    return build(year, states, figures)


def _authority(principal: Principal) -> str:
    authorize(principal, Permission.ASSESS_CASE)
    if principal.organisation_kind is not OrganisationKind.AUTHORITY or principal.member_state is None:
        raise PermissionDeniedError("only a competent authority reviews its part of the annual report")
    return principal.member_state


@dataclass(frozen=True)
class Part:
    """A member state's part for a year: the live draft, or the figures frozen at submission."""

    member_state: str
    year: int
    status: PartStatus
    report: AnnualReport
    submitted: StoredPart | None


def part(
    uow: UnitOfWork, principal: Principal, year: int, is_cyber: IsCyber, national_ids: Collection[str] = ()
) -> Part:
    """The principal's authority's part of ``year``: frozen if submitted, else the live draft."""
    state = _authority(principal)
    check_year(year)
    stored = uow.transparency.part(state, year)
    if stored is not None:
        frozen = compose(year, [state], {state: stored.figures})
        return Part(state, year, PartStatus(stored.status), frozen, stored)
    live = compute(uow, year, is_cyber, national_ids).for_state(state)
    return Part(state, year, PartStatus.DRAFT, live, None)


def submit(
    uow: UnitOfWork, principal: Principal, year: int, is_cyber: IsCyber, national_ids: Collection[str] = ()
) -> int:
    """Submit the authority's part of ``year`` to the Commission: its figures are frozen as they are now (one
    person submits; no countersignature). Submitting twice is a conflict."""
    current = part(uow, principal, year, is_cyber, national_ids)
    check_part_transition(current.status, PartStatus.SUBMITTED)
    figures = part_to_json(current.report)
    part_id = uow.transparency.add_part(
        member_state=current.member_state, year=year, figures=figures, by=principal.label
    )
    audit.record(
        uow,
        actor=principal.label,
        action="annual_report.part_submitted",
        entity_type=ENTITY_PART,
        entity_id=part_id,
        after={"member_state": current.member_state, "year": year, "figures": len(figures["figures"])},
    )
    uow.commit()
    return part_id


def union_report(uow: UnitOfWork, year: int) -> AnnualReport:
    """The Union report of ``year`` composed of the parts submitted; the others named as not submitted."""
    check_year(year)
    parts = {p.member_state: p.figures for p in uow.transparency.parts(year)}
    return compose(year, MEMBER_STATES, parts)


def submissions(uow: UnitOfWork, principal: Principal, year: int) -> Sequence[StoredPart]:
    """The parts submitted for ``year`` (the Commission's view of who has submitted and when)."""
    authorize(principal, Permission.VIEW_UNION_AGGREGATES)
    check_year(year)
    return uow.transparency.parts(year)


def years(uow: UnitOfWork) -> list[int]:
    """The years with figures, newest first; the current year at least."""
    return sorted({today_in_brussels().year, *uow.transparency.years()}, reverse=True)


def submitted_years(uow: UnitOfWork) -> list[int]:
    return sorted({p.year for p in uow.transparency.parts()}, reverse=True)


@dataclass(frozen=True)
class Published:
    """A table as the public sees it: the cells withheld under the confidentiality rule marked."""

    table: Table
    suppressed: Suppressed


def publish(report: AnnualReport, rule: ConfidentialityRule) -> Mapping[str, Published]:
    """Apply the confidentiality rule to every table of exporters' trade (primary and complementary
    suppression); the administration table is published as it is."""
    out = {}
    for key, table in report.tables.items():
        if table.confidential:
            out[key] = Published(table, suppress(table, rule))
        else:
            out[key] = Published(table, Suppressed(frozenset(), frozenset()))
    return out


def year_on_year(uow: UnitOfWork) -> list[tuple[int, AnnualReport]]:
    """The Union reports of every year with a submitted part, oldest first."""
    return [(y, union_report(uow, y)) for y in sorted(submitted_years(uow))]


def submitted_at(stored: StoredPart | None) -> datetime | None:
    return stored.submitted_at if stored else None
