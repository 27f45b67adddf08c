"""The Commission's home: what the member states send it under the Regulation, as figures without the
exporters' identities (F15, issue #18).

What it receives: the Art. 5(4) requirements (read through ``services.duediligence``); the authorities'
notices that an authorisation is required, counted per state and article (Art. 4 and 5 information; the
Art. 4 wording is [M] in the reference, Art. 5(4) [V]); licensing figures per state, type and status
(Art. 23(2)(a) [V], Art. 26(2) [V]); and enforcement figures (Art. 26(2)). Each read is audited
(``services.oversight.record_read``); and the denials notified to it (Art. 16(1), verified), counted per
issuing state, kind and status, with the newest few by reference (the register's page has them whole).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from dualuse.domain.enforcement import EnforcementLine
from dualuse.domain.errors import PermissionDeniedError
from dualuse.domain.identity import Permission, Principal, authorize
from dualuse.domain.union import EU_MEMBER_STATES
from dualuse.services import oversight
from dualuse.services.denials.ports import DenialQuery
from dualuse.services.enforcement import cases as enforcement_cases
from dualuse.services.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class LicenceFigure:
    """How many licences of one state, type and status (no holder, no number)."""

    member_state: str
    licence_type: str
    status: str
    count: int


@dataclass(frozen=True)
class NoticeFigure:
    """How many notices one state's authority issued under one article, and how many are in force."""

    member_state: str
    article: str
    issued: int
    in_force: int


@dataclass(frozen=True)
class DenialFigure:
    """How many denials one state notified, of one kind and status (Art. 16(1))."""

    member_state: str
    kind: str
    status: str
    count: int


@dataclass(frozen=True)
class CommissionHome:
    licences: tuple[LicenceFigure, ...]
    notices: tuple[NoticeFigure, ...]
    enforcement: tuple[EnforcementLine, ...]
    denials: tuple[DenialFigure, ...] = ()


def _check(principal: Principal) -> None:
    authorize(principal, Permission.VIEW_UNION_AGGREGATES)
    if not oversight.is_commission(principal):
        raise PermissionDeniedError("these figures are the Commission's")


def licence_figures(uow: UnitOfWork, principal: Principal) -> tuple[LicenceFigure, ...]:
    """Licences counted per member state, type and status (Art. 23(2)(a), 26(2)); audited."""
    _check(principal)
    counts = Counter(
        (s.member_state, s.licence.licence_type.value, s.licence.status.value)
        for s in uow.licensing.licences()
    )
    oversight.record_read(
        uow, principal, entity_type="licence_figures", entity_id="*", legal_basis="Art. 23(2)(a), 26(2)"
    )
    return tuple(LicenceFigure(state, kind, status, n) for (state, kind, status), n in sorted(counts.items()))


def notice_figures(uow: UnitOfWork, principal: Principal) -> tuple[NoticeFigure, ...]:
    """The authorities' notices counted per member state and article (Art. 4, 5 information); audited."""
    _check(principal)
    issued: Counter[tuple[str, str]] = Counter()
    in_force: Counter[tuple[str, str]] = Counter()
    for state in sorted(EU_MEMBER_STATES):
        for notice in uow.notices.issued_by_state(state):
            key = (state, notice.article.value)
            issued[key] += 1
            in_force[key] += int(notice.in_force)
    oversight.record_read(
        uow, principal, entity_type="notice_figures", entity_id="*", legal_basis="Art. 4, 5(4)"
    )
    return tuple(NoticeFigure(s, a, n, in_force[(s, a)]) for (s, a), n in sorted(issued.items()))


def denial_figures(uow: UnitOfWork, principal: Principal) -> tuple[DenialFigure, ...]:
    """The denials notified to the Commission, counted per issuing state, kind and status; audited."""
    _check(principal)
    counts = Counter(
        (d.issuing_state, d.kind.value, d.status.value) for d in uow.denials.denials(DenialQuery())
    )
    oversight.record_read(
        uow, principal, entity_type="denial_figures", entity_id="*", legal_basis="Art. 16(1)"
    )
    return tuple(DenialFigure(s, k, st, n) for (s, k, st), n in sorted(counts.items()))


def commission_home(uow: UnitOfWork, principal: Principal) -> CommissionHome:
    """Everything the Commission's home shows beside its to-do list."""
    return CommissionHome(
        licences=licence_figures(uow, principal),
        notices=notice_figures(uow, principal),
        enforcement=enforcement_cases.public_statistics(uow, principal),
        denials=denial_figures(uow, principal),
    )
