"""Documents the entry points hand out (the due-diligence record as PDF)."""

from __future__ import annotations

from collections.abc import Mapping

from dualuse.adapters.documents.render import render_pdf
from dualuse.domain.duediligence import STEPS, RedFlagSet
from dualuse.domain.identity import Organisation
from dualuse.services.clock import today_in_brussels
from dualuse.services.duediligence import CaseView
from dualuse.services.unit_of_work import StoredCase, StoredLicence


def case_report_pdf(view: CaseView, flags: RedFlagSet) -> bytes:
    answers: dict[str, Mapping[str, str]] = {}
    for entry in view.entries:
        answers.update(entry.answers)
    return render_pdf(
        "dd_report.html",
        {
            "case": view.case,
            "steps": [(step, flags.for_step(step)) for step in STEPS],
            "answers": answers,
            "notes": view.notes,
            "entries": view.entries,
            "notification": view.notification,
            "generated": today_in_brussels().isoformat(),
        },
    )


def licence_pdf(stored: StoredLicence, case: StoredCase, holder: Organisation | None) -> bytes:
    """The licence document, with its check code and where to verify it."""
    licence = stored.licence
    application = case.case.current_application
    customs = {"individual": "X060", "global": "X070"}.get(licence.licence_type.value, "X060")
    return render_pdf(
        "licence.html",
        {
            "licence": licence,
            "member_state": stored.member_state,
            "legal_basis": licence.licence_type.legal_basis,
            "title": f"{licence.licence_type.value.replace('_', ' ').capitalize()} authorisation",
            "holder": holder or {"name": licence.holder_id, "eori": None},
            "destinations": application.destinations,
            "end_users": [p.name for p in application.parties if p.role.value == "end_user"],
            "customs_code": customs,
            "code": stored.check_code,
            "verify_url": f"/verify/{licence.number}",
            "issued_on": stored.issued_at.date().isoformat(),
        },
    )
