"""Documents the entry points hand out (the due-diligence record as PDF)."""

from __future__ import annotations

from dualuse.adapters.documents.render import render_pdf
from dualuse.domain.duediligence import STEPS, RedFlagSet
from dualuse.services.clock import today_in_brussels
from dualuse.services.duediligence import CaseView


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
