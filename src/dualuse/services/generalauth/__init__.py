"""Union general export authorisations EU001-EU008 (Art. 12(1)(d), Annex II): registration or notification of first use, and reports of use."""

from __future__ import annotations

from dualuse.services.generalauth.registrations import (
    ENTITY_REGISTRATION,
    ENTITY_REPORT,
    MAX_SHIPMENTS,
    MAX_VALUE_EUR,
    AuthorityView,
    exports_covered_from,
    for_authority,
    register,
    registered_on,
    registrations,
    report_use,
    reports,
    timing,
    union_authorisation,
)

__all__ = [
    "ENTITY_REGISTRATION",
    "ENTITY_REPORT",
    "MAX_SHIPMENTS",
    "MAX_VALUE_EUR",
    "AuthorityView",
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
