"""Persistence of enforcement cases and compliance visits (``domain.enforcement``): rows in, records out."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, select

from dualuse.adapters.db import tables as t
from dualuse.adapters.db.rows import new_id, now
from dualuse.domain.enforcement import (
    ComplianceVisit,
    EnforcementCase,
    EnforcementDecision,
    Finding,
    FindingSeverity,
)

_c = t.enforcement_cases
_v = t.compliance_visits


def _case(row: Mapping[Any, Any]) -> EnforcementCase:
    return EnforcementCase(
        id=row["id"],
        member_state=row["member_state"],
        violation=row["violation"],
        decision_date=row["decision_date"],
        decision=EnforcementDecision(row["decision"]),
        amount_eur=Decimal(row["amount_eur"]) if row["amount_eur"] is not None else None,
        imprisonment_months=row["imprisonment_months"],
        organisation_id=row["organisation_id"],
        summary=row["summary"],
        recorded_by=row["recorded_by"],
    )


def _visit(row: Mapping[Any, Any]) -> ComplianceVisit:
    return ComplianceVisit(
        id=row["id"],
        organisation_id=row["organisation_id"],
        member_state=row["member_state"],
        visit_date=row["visit_date"],
        findings=tuple(
            Finding(icp_element=f["icp_element"], severity=FindingSeverity(f["severity"]), text=f["text"])
            for f in row["findings"]
        ),
        recorded_by=row["recorded_by"],
    )


class SqlEnforcement:
    """Enforcement cases and compliance visits in SQL (SQLAlchemy Core)."""

    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def add_case(
        self,
        *,
        member_state: str,
        violation: str,
        decision_date: date,
        decision: EnforcementDecision,
        amount_eur: Decimal | None,
        imprisonment_months: int | None,
        organisation_id: int | None,
        summary: str,
        recorded_by: str,
    ) -> int:
        result = self._c.execute(
            _c.insert().values(
                member_state=member_state,
                violation=violation,
                decision_date=decision_date,
                decision=decision.value,
                amount_eur=str(amount_eur) if amount_eur is not None else None,
                imprisonment_months=imprisonment_months,
                organisation_id=organisation_id,
                summary=summary,
                recorded_by=recorded_by,
                created_at=now(),
            )
        )
        return new_id(result)

    def cases(self, *, member_state: str | None = None) -> Sequence[EnforcementCase]:
        query = select(_c)
        if member_state is not None:
            query = query.where(_c.c.member_state == member_state)
        query = query.order_by(_c.c.decision_date.desc(), _c.c.id.desc())
        return [_case(r) for r in self._c.execute(query).mappings()]

    def add_visit(
        self,
        *,
        organisation_id: int,
        member_state: str,
        visit_date: date,
        findings: Sequence[Finding],
        recorded_by: str,
    ) -> int:
        result = self._c.execute(
            _v.insert().values(
                organisation_id=organisation_id,
                member_state=member_state,
                visit_date=visit_date,
                findings=[
                    {"icp_element": f.icp_element, "severity": f.severity.value, "text": f.text}
                    for f in findings
                ],
                recorded_by=recorded_by,
                created_at=now(),
            )
        )
        return new_id(result)

    def visits(
        self, *, organisation_id: int | None = None, member_state: str | None = None
    ) -> Sequence[ComplianceVisit]:
        query = select(_v)
        if organisation_id is not None:
            query = query.where(_v.c.organisation_id == organisation_id)
        if member_state is not None:
            query = query.where(_v.c.member_state == member_state)
        query = query.order_by(_v.c.visit_date.desc(), _v.c.id.desc())
        return [_visit(r) for r in self._c.execute(query).mappings()]
