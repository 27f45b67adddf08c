"""Union general export authorisations EU001-EU008 (Art. 12(1)(d), Annex II): registration or notification of first use, and reports of use."""

from __future__ import annotations

from dualuse.services.generalauth.registrations import (
    union_authorisation,
    registered_on,
    timing,
    exports_covered_from,
    register,
    registrations,
    report_use,
    reports,
    AuthorityView,
    for_authority,
    ENTITY_REGISTRATION,
    ENTITY_REPORT,
    MAX_SHIPMENTS,
    MAX_VALUE_EUR,
)

__all__ = [
    "AuthorityView",
    "ENTITY_REGISTRATION",
    "ENTITY_REPORT",
    "MAX_SHIPMENTS",
    "MAX_VALUE_EUR",
    "exports_covered_from",
    "for_authority",
    "register",
    "registered_on",
    "registrations",
    "report_use",
    "reports",
    "timing",
    "union_authorisation",
]
