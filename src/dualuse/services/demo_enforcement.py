"""The demo world's enforcement (issue #18, item 6): a few decisions in DE and FR, one compliance visit to the
DE exporter with findings against its ICP. Fictional; loaded once (kept apart from ``services.demo`` to keep
that module's merges simple)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from dualuse.domain.enforcement import Finding, FindingSeverity, PenaltyCatalogue
from dualuse.domain.identity import OrganisationKind
from dualuse.services import identity
from dualuse.services.enforcement import cases, visits
from dualuse.services.unit_of_work import UnitOfWork

DE_OFFICER = "officer-de@demo.dualuse.eu"
FR_OFFICER = "officer-fr@demo.dualuse.eu"
DE_EXPORTER = "exporter@demo.dualuse.eu"


def load_demo_enforcement(uow: UnitOfWork, catalogue: PenaltyCatalogue) -> None:
    """Decisions and one visit, unless the demo's enforcement is there already."""
    if uow.enforcement.cases():
        return
    officers = {}
    for state, email in (("DE", DE_OFFICER), ("FR", FR_OFFICER)):
        user = uow.users.by_email(email)
        if user is None:
            return
        officers[state] = identity.principal_for(uow, user)
    exporter_user = uow.users.by_email(DE_EXPORTER)
    exporter = uow.organisations.get(exporter_user.organisation_id) if exporter_user else None
    if exporter is None or exporter.kind is not OrganisationKind.EXPORTER:
        return
    de, fr = officers["DE"], officers["FR"]
    cases.record_case(
        uow,
        de,
        catalogue,
        violation="export_without_authorisation",
        decision="fine",
        decision_date=date(2025, 6, 12),
        amount_eur=Decimal("120000"),
        summary="Fictional demo: 5A002 modules shipped to a distributor before the licence was granted.",
    )
    cases.record_case(
        uow,
        de,
        catalogue,
        violation="failure_to_keep_records",
        decision="fine",
        decision_date=date(2025, 11, 3),
        amount_eur=Decimal("8000"),
        organisation_id=exporter.id,
        summary="Fictional demo: dispatch documents for 2021 exports could not be produced.",
    )
    cases.record_case(
        uow,
        fr,
        catalogue,
        violation="export_without_authorisation",
        decision="imprisonment",
        decision_date=date(2024, 11, 5),
        imprisonment_months=18,
        summary="Fictional demo: repeated exports of listed machine tools through a third country.",
    )
    cases.record_case(
        uow,
        fr,
        catalogue,
        violation="breach_of_licence_conditions",
        decision="warning",
        decision_date=date(2025, 2, 20),
        summary="Fictional demo: a shipment went to a consignee not named on the licence.",
    )
    visits.record_visit(
        uow,
        de,
        organisation_id=exporter.id,
        visit_date=date(2026, 10, 14),
        findings=(
            Finding(
                "screening",
                FindingSeverity.SHORTCOMING,
                "End-use checks were skipped for repeat customers; screen every transaction.",
            ),
            Finding(
                "recordkeeping",
                FindingSeverity.OBSERVATION,
                "Records are kept, but the retention period is not written down (Art. 27(3): five years).",
            ),
        ),
    )
