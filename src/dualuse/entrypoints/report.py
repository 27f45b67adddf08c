"""Documents the entry points hand out (the due-diligence record as PDF)."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlencode

from dualuse.adapters.documents.render import render_pdf
from dualuse.domain.casework.statement_templates import StatementTemplate
from dualuse.domain.duediligence import STEPS, RedFlagSet
from dualuse.domain.licensing import PartyRole
from dualuse.services.casework.letters import LicenceSheet, RefusalLetter, RulingLetter
from dualuse.services.clock import brussels_day, today_in_brussels
from dualuse.services.duediligence import CaseView


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


def grouped(code: str) -> str:
    """A check code in groups of four, easier to read out and type (hyphens are ignored when checked)."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def verify_qr(url: str) -> str:
    """A QR code of ``url`` as an SVG data URI (inline: the PDF renderer fetches nothing)."""
    import segno

    return str(segno.make(url, error="m").svg_data_uri(scale=3, border=2))


def licence_pdf(sheet: LicenceSheet, site_url: str = "") -> bytes:
    """The licence in the layout of Annex III Section A (boxes 1-22), with its check code, where to verify it
    and a QR code that opens the check with the number and code filled in (``site_url``: this site's address)."""
    stored, case = sheet.stored, sheet.case
    licence = stored.licence
    application = case.case.current_application
    customs = {"individual": "X060", "global": "X070"}.get(licence.licence_type.value, "X060")
    requested = dict(enumerate(application.items, start=1))
    lines = [(item, requested[item.line].cn_code if item.line in requested else "") for item in licence.items]
    consignees = application.parties_in_role(PartyRole.CONSIGNEE)
    consignee_names = {p.name for p in consignees}
    return render_pdf(
        "licence.html",
        {
            "licence": licence,
            "case_id": case.id,
            "member_state": stored.member_state,
            "legal_basis": licence.licence_type.legal_basis,
            "title": f"{licence.licence_type.value.replace('_', ' ').capitalize()} export authorisation",
            "holder": sheet.holder,
            "holder_eori": sheet.holder_eori,
            "authority": sheet.authority,
            "contact": sheet.contact,
            "wording": sheet.wording,
            "consignees": consignees,
            "end_users": [
                p for p in application.parties_in_role(PartyRole.END_USER) if p.name not in consignee_names
            ],
            "intermediaries": application.parties_in_role(PartyRole.INTERMEDIARY),
            "destinations": application.destinations,
            "end_use": application.end_use,
            "lines": lines,
            "customs_code": customs,
            "code": grouped(stored.check_code),
            "verify_url": f"{site_url.rstrip('/')}/verify/{licence.number}",
            "qr": verify_qr(
                f"{site_url.rstrip('/')}/verify/{licence.number}?{urlencode({'code': stored.check_code})}"
            ),
            "issued_on": brussels_day(stored.issued_at).isoformat(),
        },
    )


def refusal_letter_pdf(letter: RefusalLetter) -> bytes:
    """The refusal letter: the Art. 15(1) considerations relied on, the reasons and the appeal route."""
    return render_pdf("refusal_letter.html", {"letter": letter})


def ruling_letter_pdf(letter: RulingLetter) -> bytes:
    """The ruling on a pre-application enquiry ("no licence required" with its legal basis)."""
    return render_pdf("ruling_letter.html", {"letter": letter})


def statement_template_pdf(
    template: StatementTemplate,
    *,
    filled: Mapping[str, str] | None = None,
    reference: str = "",
    fallback_for: str = "",
) -> bytes:
    """A state's end-user statement form, blank or with the application's particulars filled in
    (``filled``: box id to text); ``fallback_for`` names the state whose own template is missing."""
    return render_pdf(
        "end_user_statement.html",
        {"t": template, "filled": dict(filled or {}), "reference": reference, "fallback_for": fallback_for},
    )
