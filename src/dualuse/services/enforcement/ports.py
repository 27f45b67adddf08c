"""The enforcement port: enforcement cases and compliance visits (``adapters.db.enforcement_repo``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Protocol

from dualuse.domain.enforcement import ComplianceVisit, EnforcementCase, EnforcementDecision, Finding


class EnforcementRepository(Protocol):
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
    ) -> int: ...

    def cases(self, *, member_state: str | None = None) -> Sequence[EnforcementCase]:
        """Enforcement cases (of one state, or all), newest decision first."""
        ...

    def add_visit(
        self,
        *,
        organisation_id: int,
        member_state: str,
        visit_date: date,
        findings: Sequence[Finding],
        recorded_by: str,
    ) -> int: ...

    def visits(
        self, *, organisation_id: int | None = None, member_state: str | None = None
    ) -> Sequence[ComplianceVisit]:
        """Compliance visits of one organisation or by one state's authority, newest first."""
        ...
