"""Documents the entry points hand out (the due-diligence record as PDF)."""

from __future__ import annotations

from urllib.parse import urlencode

from dualuse.adapters.documents.render import render_pdf
from dualuse.domain.duediligence import STEPS, RedFlagSet
from dualuse.domain.identity import Organisation
from dualuse.services.clock import today_in_brussels
from dualuse.services.duediligence import CaseView
from dualuse.services.unit_of_work import StoredCase, StoredLicence


def case_report_pdf(view: CaseView, flags: RedFlagSet) -> bytes:
    answers: dict[str, dict[str, str]] = {}
    for entry in view.entries:
        answers.update(entry["answers"])
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


def grouped(code: str) -> str:
    """A check code in groups of four, easier to read out and type (hyphens are ignored when checked)."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def verify_qr(url: str) -> str:
    """A QR code of ``url`` as an SVG data URI (inline: the PDF renderer fetches nothing)."""
    import segno

    return str(segno.make(url, error="m").svg_data_uri(scale=3, border=2))


def licence_pdf(
    stored: StoredLicence, case: StoredCase, holder: Organisation | None, site_url: str = ""
) -> bytes:
    """The licence document, with its check code, where to verify it and a QR code that opens the check
    with the number and code filled in (``site_url``: this site's address, e.g. https://dualuse.example/)."""
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
            "code": grouped(stored.check_code),
            "verify_url": f"{site_url.rstrip('/')}/verify/{licence.number}",
            "qr": verify_qr(
                f"{site_url.rstrip('/')}/verify/{licence.number}?{urlencode({'code': stored.check_code})}"
            ),
            "issued_on": stored.issued_at.date().isoformat(),
        },
    )
