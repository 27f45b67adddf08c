"""Jinja2 templates shared by every page."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from fastapi import Request
from fastapi.templating import Jinja2Templates

import dualuse
from dualuse.domain.casework.flags import FlagStatus
from dualuse.domain.casework.statements import StatementStatus
from dualuse.domain.casework.tracks import TrackKind, TrackStatus
from dualuse.domain.controllist.provisions import Combination
from dualuse.domain.countries import country_choices
from dualuse.domain.denials.consultations import ConsultationStatus
from dualuse.domain.duediligence import Conclusion, FlagAnswer, Step, View
from dualuse.domain.duediligence.records import CaseStatus as DdCaseStatus
from dualuse.domain.duediligence.records import NotificationStatus
from dualuse.domain.identity import OrganisationKind, Permission, Role
from dualuse.domain.licensing import ApplicationStatus, DecisionOutcome
from dualuse.domain.licensing.assessment import RecommendationKind
from dualuse.domain.licensing.licences import LicenceStatus
from dualuse.domain.listchange.model import ListChangeStatus, ModerationStatus
from dualuse.domain.rules.facts import country_name
from dualuse.domain.transparency.model import PartStatus
from dualuse.entrypoints.web import charts, i18n
from dualuse.entrypoints.web.answer import is_working_note, link_acts, no_marks, public_source
from dualuse.services.duediligence.cases import ExportStatus

TEMPLATES_DIR = Path(__file__).parent / "templates"

# The enums templates compare against, by the name a template uses (``case.status ==
# ApplicationStatus.SUBMITTED``): a status renamed in the code is renamed in every page, never left behind as a
# copied string (``tests/unit/web/test_template_enums.py`` refuses such copies).
TEMPLATE_ENUMS: dict[str, type[StrEnum]] = {
    "ApplicationStatus": ApplicationStatus,
    "Combination": Combination,
    "Conclusion": Conclusion,
    "ConsultationStatus": ConsultationStatus,
    "DdCaseStatus": DdCaseStatus,
    "DecisionOutcome": DecisionOutcome,
    "ExportStatus": ExportStatus,
    "FlagAnswer": FlagAnswer,
    "FlagStatus": FlagStatus,
    "LicenceStatus": LicenceStatus,
    "ListChangeStatus": ListChangeStatus,
    "ModerationStatus": ModerationStatus,
    "NotificationStatus": NotificationStatus,
    "OrganisationKind": OrganisationKind,
    "PartStatus": PartStatus,
    "Permission": Permission,
    "RecommendationKind": RecommendationKind,
    "Role": Role,
    "StatementStatus": StatementStatus,
    "Step": Step,
    "TrackKind": TrackKind,
    "TrackStatus": TrackStatus,
    "View": View,
}
STATIC_DIR = Path(__file__).parent / "static"


def csrf_token(request: Request) -> str:
    get_token = request.scope.get("csrftoken")
    return str(get_token()) if callable(get_token) else ""


def make_templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
    templates.env.add_extension("jinja2.ext.i18n")
    templates.env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]
    templates.env.globals["current_language"] = i18n.current
    templates.env.globals["languages"] = i18n.LANGUAGES
    templates.env.filters["local_date"] = i18n.local_date
    templates.env.globals["csrf_token"] = csrf_token
    templates.env.globals["version"] = dualuse.__version__
    templates.env.globals["bar_chart"] = charts.bar_chart  # a chart drawn on the server (``_chart.html``)
    templates.env.globals["chart_bar"] = charts.Bar
    templates.env.filters["eurlex"] = link_acts  # a regulation cited is a link to its official text
    templates.env.filters["public_source"] = public_source  # provenance without working notes
    templates.env.filters["no_marks"] = no_marks
    templates.env.tests["working_note"] = is_working_note
    templates.env.globals["country_choices"] = country_choices  # what every country picker offers
    templates.env.globals["country_name"] = country_name  # a country's English name for its ISO code
    templates.env.globals.update(TEMPLATE_ENUMS)
    return templates
