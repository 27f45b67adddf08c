"""The access matrix: every route of the app × every kind of principal × own, foreign and missing objects,
on SQLite and PostgreSQL.

The routes come from the app's route table, so a new route is covered the moment it exists: a route with no
line in ``EXPECTED`` fails ``test_access_matrix_classifies_every_route`` until its developer says who may
reach it. One line per route: who may reach it for tenant A's object (the tenants are A, an exporter and the
authority of DE, and B, an exporter and the authority of FR; the Commission and the public have none).

For each route and principal the request is sent with the ids of tenant A's objects and with ids that exist
nowhere. A principal in ``EXPECTED`` must get through (2xx/3xx, or 400/409/422 when the minimal body fails
the use case's own checks); any other must be refused (401/403/404, or the web's redirect to /login, or a
request-validation 422 before the handler runs) and, for a route about an object, refused exactly as for a
missing one (F16): same status, same problem detail.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from sqlalchemy import text

from dualuse.adapters.db import migrate
from dualuse.adapters.db.engine import make_engine
from dualuse.bootstrap import Container, bootstrap, load_demo_world
from dualuse.config import Environment, Settings
from dualuse.domain.casework.supporting import SupportingKind
from dualuse.domain.documents import DocumentKind
from dualuse.domain.duediligence import FlagAnswer, Step
from dualuse.domain.identity import Principal, Role
from dualuse.entrypoints.http.app import create_app
from dualuse.services import demo, duediligence, generalauth, identity, licensing, notices
from dualuse.services.casework import tracks
from dualuse.services.denials import consultations as denial_consultations
from dualuse.services.denials.ports import DenialQuery
from dualuse.services.determination import saved
from dualuse.services.licensing import check_code_secret
from tests.factories import token_for

# --- principals -----------------------------------------------------------------------------------------
EMAILS = {
    "exp_a": "exporter@demo.dualuse.eu",
    "clerk_a": "clerk@demo.dualuse.eu",
    "off_a": "officer-de@demo.dualuse.eu",
    "sen_a": "senior-de@demo.dualuse.eu",
    "exp_b": "exporter-fr@demo.dualuse.eu",
    "off_b": "officer-fr@demo.dualuse.eu",
    "sen_b": "senior-fr@demo.dualuse.eu",
    "com": "commission@demo.dualuse.eu",
}
PRINCIPALS = ("anon", *EMAILS)
EVERYONE = frozenset(PRINCIPALS)
SIGNED_IN = EVERYONE - {"anon"}
EXP_A = frozenset({"exp_a", "clerk_a"})
EXP_B = frozenset({"exp_b"})
EXPORTERS = EXP_A | EXP_B
ADMINS = frozenset({"exp_a", "exp_b"})
AUTH_A = frozenset({"off_a", "sen_a"})
AUTH_B = frozenset({"off_b", "sen_b"})
AUTHORITIES = AUTH_A | AUTH_B
SENIORS = frozenset({"sen_a", "sen_b"})
COM = frozenset({"com"})
NOBODY: frozenset[str] = frozenset()


@dataclass(frozen=True)
class R:
    """Who may reach a route for tenant A's object (or at all, for a route about no object)."""

    who: frozenset[str]
    body: dict[str, Any] | None = None  # a minimal JSON body for an API write (else {})
    public_object: bool = False  # the object is public (a control-list entry, a licence to verify)
    query: str = ""  # a query string the route needs to reach its use case
    note: str = field(default="", compare=False)


V = {"expected_version": 999_999}
# fmt: off
EXPECTED: dict[str, R] = {
    "GET /openapi.json": R(EVERYONE),
    "GET /docs": R(EVERYONE),
    "GET /healthz": R(EVERYONE),
    "GET /api/v1/me": R(SIGNED_IN),
    "GET /api/v1/organisations/{organisation_id}": R(EXP_A | AUTH_A | COM),
    "GET /api/v1/organisations/{organisation_id}/users": R({"exp_a"}),
    "GET /api/v1/control-list/versions": R(EVERYONE),
    "GET /api/v1/control-list/entries/{code}": R(EVERYONE, public_object=True),
    "GET /api/v1/control-list/search": R(EVERYONE, query="q=imsi"),
    "POST /api/v1/control-list/classify": R(EVERYONE, {"description": "x"}),
    "GET /api/v1/control-list/diff": R(EVERYONE, query="from=2024-11&to=2025-11"),
    "GET /api/v1/control-list/provisions/{code}": R(EVERYONE, public_object=True),
    "POST /api/v1/control-list/assess": R(EVERYONE, {"code": "5A002.d", "parameters": {"bandwidth": 600}}),
    "GET /api/v1/reference/status": R(EVERYONE),
    "GET /api/v1/control-list/cn/{cn}": R(EVERYONE, public_object=True),
    "GET /api/v1/control-list/export": R(EVERYONE),
    "POST /api/v1/control-list/amendments": R(COM, {"content": "x: ["}),
    "GET /api/v1/classifications": R(EXPORTERS),
    "POST /api/v1/classifications": R(EXPORTERS, {"product_name": "x", "control_code": "NOPE", "rationale": "x"}),
    "POST /api/v1/classifications/{classification_id}/confirm": R(EXP_A, {"note": ""}),
    "POST /api/v1/determinations": R(EVERYONE),
    "POST /match/{dataset}": R(SIGNED_IN - COM, {"queries": {"q": {"schema": "Person", "properties": {"name": ["x"]}}}}, public_object=True),
    "GET /api/v1/screening/lists": R(EVERYONE),
    "GET /api/v1/screening/formats": R(EVERYONE),
    "POST /api/v1/screening/lists/{format_name}": R(COM, query="filename=list.jsonl"),
    "POST /api/v1/screening/screen": R(SIGNED_IN - COM, {"name": "Nobody In Particular"}),
    "GET /api/v1/screening/parties": R(SIGNED_IN - COM),
    "POST /api/v1/screening/parties": R(SIGNED_IN - COM, {"name": "x", "role": "nonsense"}),
    "GET /api/v1/screening/hits": R(SIGNED_IN - COM),
    "POST /api/v1/screening/hits/{hit_id}/decision": R(EXP_A, {"decision": "open", "reason": "x"}),
    "PUT /api/v1/screening/settings": R(ADMINS | SENIORS, {"threshold": 0.99}),
    "GET /api/v1/due-diligence/red-flags": R(EVERYONE),
    "POST /api/v1/due-diligence/cases": R(EXPORTERS, {"title": " ", "destination": "EG", "end_user": {"name": "x"}, "item": {"description": "x"}}),
    "GET /api/v1/due-diligence/cases/{case_id}": R(EXP_A),
    "POST /api/v1/due-diligence/cases/{case_id}/steps/{step}": R(EXP_A, {"answers": {}}),
    "POST /api/v1/due-diligence/cases/{case_id}/conclusion": R(EXP_A, {"conclusion": "bogus"}),
    "POST /api/v1/due-diligence/cases/{case_id}/reopen": R(EXP_A, {"reason": " "}),
    "POST /api/v1/due-diligence/cases/{case_id}/notification": R(EXP_A),
    "GET /api/v1/due-diligence/cases/{case_id}/report.pdf": R(EXP_A),
    "GET /api/v1/notifications": R(AUTHORITIES),
    "POST /api/v1/notifications/{notification_id}/decision": R(AUTH_A, {"authorisation_required": False, "reason": " "}),
    "GET /api/v1/art5-requirements": R(AUTHORITIES | COM),
    "POST /api/v1/art5-requirements/{requirement_id}/views": R(AUTH_B, {"view": "agree", "reason": ""}),
    "GET /api/v1/art5-requirements/published": R(EVERYONE),
    "GET /api/v1/risk-profiles": R(SIGNED_IN),
    "POST /api/v1/risk-profiles": R(AUTHORITIES, {"subject_kind": "country", "subject": "x", "level": "bogus", "sources": [{"title": "x"}]}),
    "POST /api/v1/submissions": R(EVERYONE, {"organisation_name": " ", "subject_kind": "country", "subject": "x", "what_happened": "x", "sources": ["x"]}),
    "POST /api/v1/submissions/{submission_id}/moderation": R(AUTHORITIES, {"accept": False}, public_object=True),
    "PUT /api/v1/icp": R(ADMINS, {"bogus": "x"}),
    "GET /api/v1/organisations/{organisation_id}/icp": R(EXP_A | AUTH_A),
    "POST /api/v1/applications": R(EXPORTERS, {"application_type": "bogus"}),
    "GET /api/v1/applications": R(EXPORTERS),
    "GET /api/v1/applications/{case_id}": R(EXP_A | AUTH_A),
    "PUT /api/v1/applications/{case_id}": R(EXP_A, {**V, "reason": "x"}),
    "POST /api/v1/applications/{case_id}/submit": R(EXP_A, V),
    "POST /api/v1/applications/{case_id}/withdraw": R(EXP_A, V),
    "GET /api/v1/applications/{case_id}/messages": R(EXP_A | AUTH_A),
    "POST /api/v1/applications/{case_id}/messages": R(EXP_A | AUTH_A, {"body": "matrix"}),
    "GET /api/v1/cases": R(AUTHORITIES),
    "GET /api/v1/cases/{case_id}": R(EXP_A | AUTH_A, note="the exporter gets its own case, without the assessment"),
    "POST /api/v1/cases/{case_id}/actions/{action}": R(AUTH_A, V),
    "GET /api/v1/cases/{case_id}/evidence": R(AUTH_A),
    "POST /api/v1/cases/{case_id}/assessment": R(AUTH_A, {**V, "findings": []}),
    "POST /api/v1/cases/{case_id}/recommendation": R(AUTH_A, {**V, "kind": "grant", "reasoning": "x"}),
    "POST /api/v1/cases/{case_id}/decision": R({"sen_a"}, {**V, "outcome": "granted"}),
    "GET /api/v1/licences": R(EXPORTERS | AUTHORITIES, note="the Commission reads licence figures, not licences (issue #18)"),
    "GET /api/v1/licences/{number}": R(EXP_A | AUTH_A),
    "POST /api/v1/licences/{number}/actions/{action}": R(AUTH_A, {**V, "reason": "x"}),
    "POST /api/v1/licences/{number}/shipments": R(EXP_A, {"item_line": 99, "quantity": "1", "value_eur": "1", "customs_reference": "x"}),
    "GET /api/v1/licences/{number}/remaining": R(EXP_A | AUTH_A),
    "GET /api/v1/verify/{number}": R(EVERYONE, public_object=True, query="code=WRONG"),
    # after the decision (issue 19): the seeded request is an enquiry of A's exporter, not yet answered
    "POST /api/v1/licences/{number}/change-requests": R(EXP_A, {"kind": "bogus", "reason": "x"}),
    "POST /api/v1/applications/{case_id}/appeal": R(EXP_A, {"grounds": "x"}, note="409: the case is not refused"),
    "POST /api/v1/enquiries": R(EXPORTERS, {"question": "matrix"}),
    "GET /api/v1/requests": R(EXPORTERS | AUTHORITIES),
    "GET /api/v1/requests/{track_id}": R(EXP_A | AUTH_A),
    "POST /api/v1/requests/{track_id}/recommendation": R(AUTH_A, {"outcome": "grant", "reasoning": "x"}),
    "POST /api/v1/requests/{track_id}/return": R({"sen_a"}, {"reasoning": "x"}),
    "POST /api/v1/requests/{track_id}/decision": R({"sen_a"}, {"outcome": "grant", "reasoning": "x"}),
    "POST /api/v1/requests/{track_id}/ruling": R(AUTH_A, {"outcome": "bogus", "binding": False, "answer": "x", "legal_basis": "x"}),
    # customs (issue 19): a customs role of its own; none of the matrix's principals is customs
    "GET /api/v1/customs/licences/{number}": R(NOBODY),
    "GET /api/v1/customs/registrations/{number}": R(NOBODY),
    "GET /api/v1/customs/licence-feed": R(NOBODY),
    "POST /api/v1/customs/usage": R(NOBODY, {"format": "dualuse-usage", "version": 1, "records": []}),
    "POST /api/v1/customs/holds": R(NOBODY, {"declaration": "x", "ground": "b", "note": "x"}),
    "GET /api/v1/customs/holds": R(AUTHORITIES, note="the authority sees the holds it is consulted on"),
    "POST /api/v1/customs/holds/{hold_id}/decision": R(NOBODY, {"action": "release", "note": "x"}, note="no hold exists in the matrix world: 404 for all"),
    "POST /api/v1/general-authorisations/registrations": R(ADMINS, {"eugea_id": "EU999"}),
    "GET /api/v1/general-authorisations/registrations": R(EXPORTERS),
    "POST /api/v1/general-authorisations/reports": R(EXPORTERS, {"eugea_id": "EU999", "period_start": "2026-01-01", "period_end": "2026-02-01", "shipments": 1, "value_eur": "1"}),
    "GET /api/v1/general-authorisations/reports": R(EXPORTERS),
    "GET /api/v1/authority/general-authorisations": R(AUTHORITIES),
    "GET /api/v1/organisations/{organisation_id}/records": R(EXP_A | AUTH_A),
    "GET /api/v1/me/tokens": R(SIGNED_IN),
    "GET /api/v1/audit/events": R(ADMINS | SENIORS),
    "POST /api/v1/authority-notices": R(AUTH_A, {"organisation_id": "{organisation_id}", "article": "bogus", "scope": "transaction", "destination": "EG", "reason": "x"}),
    "GET /api/v1/authority-notices": R(EXPORTERS | AUTHORITIES),
    "POST /api/v1/authority-notices/{notice_id}/withdrawal": R(AUTH_A, {"reason": " "}),
    # the yente API: matching needs an organisation to log for; reading the lists needs a key
    "GET /search/{dataset}": R(SIGNED_IN, public_object=True, query="q=nobody"),
    "GET /entities/{entity_id}": R(SIGNED_IN, public_object=True),
    "GET /entities/{entity_id}/adjacent": R(SIGNED_IN, public_object=True),
    "GET /entities/{entity_id}/adjacent/{prop}": R(SIGNED_IN, public_object=True),
    "GET /catalog": R(SIGNED_IN),
    "GET /algorithms": R(EVERYONE),
    "GET /readyz": R(EVERYONE),
    # the web: pages signed-out users may see, and the rest behind the session and CSRF token
    "GET /": R(EVERYONE),
    "GET /login": R(EVERYONE),
    "POST /login": R(EVERYONE),
    "POST /logout": R(EVERYONE),
    "GET /account": R(SIGNED_IN),
    "GET /control-list": R(EVERYONE),
    "GET /control-list/search": R(EVERYONE),
    "GET /control-list/changes": R(EVERYONE),
    "GET /control-list/cn": R(EVERYONE, query="cn=8542"),
    "GET /control-list/{code}": R(EVERYONE, public_object=True),
    "GET /reference/status": R(EVERYONE),
    "GET /handbook": R(EVERYONE),
    "GET /handbook.pdf": R(EVERYONE),
    "GET /handbook/{section}": R(EVERYONE, public_object=True),
    "GET /classifications": R(EXPORTERS),
    "GET /classifications/new": R(EXPORTERS),
    "POST /classifications/new": R(EXPORTERS),
    "POST /classifications/{classification_id}/confirm": R(EXP_A),
    "GET /determinations/new": R(EVERYONE),
    "POST /determinations/new": R(EVERYONE),
    "POST /determinations/saved": R(EXPORTERS),
    "GET /determinations/saved": R(EXPORTERS),
    "GET /determinations/saved/{saved_id}": R(EXP_A),
    "GET /screening": R(SIGNED_IN - COM),
    "POST /screening": R(SIGNED_IN - COM),
    "GET /screening/hits": R(SIGNED_IN - COM),
    "POST /screening/hits/{hit_id}": R(EXP_A),
    "GET /screening/lists": R(EVERYONE),
    "GET /due-diligence": R(SIGNED_IN - COM),
    "POST /due-diligence": R(EXPORTERS),
    "GET /due-diligence/{case_id}": R(EXP_A),
    "GET /due-diligence/{case_id}/steps/{step}": R(EXP_A),
    "POST /due-diligence/{case_id}/steps/{step}": R(EXP_A),
    "POST /due-diligence/{case_id}/conclusion": R(EXP_A),
    "POST /due-diligence/{case_id}/notify": R(EXP_A),
    "POST /due-diligence/{case_id}/reopen": R(EXP_A),
    "GET /due-diligence/{case_id}/report.pdf": R(EXP_A),
    "GET /due-diligence/{case_id}/evidence/{sha256}": R(EXP_A),
    "GET /authority/notifications": R(AUTHORITIES),
    "POST /authority/notifications/{notification_id}": R(AUTH_A),
    "POST /authority/requirements/{requirement_id}": R(AUTH_B),
    "POST /authority/risk-profiles": R(AUTHORITIES),
    "POST /authority/submissions/{submission_id}": R(AUTHORITIES, public_object=True),
    "GET /requirements": R(EVERYONE),
    "GET /submissions/new": R(EVERYONE),
    "POST /submissions/new": R(EVERYONE),
    "GET /icp": R(EXPORTERS),
    "POST /icp": R(ADMINS),
    "GET /applications": R(EXPORTERS),
    "GET /applications/new": R(EXPORTERS),
    "POST /applications/new": R(EXPORTERS),
    "GET /applications/{case_id}/check": R(EXP_A),
    "POST /applications/{case_id}/submit": R(EXP_A, note="400: no declaration in the matrix's form"),
    "GET /applications/{case_id}/type": R(EXP_A),
    "POST /applications/{case_id}/type": R(EXP_A, note="400: no type chosen"),
    "GET /applications/{case_id}/items": R(EXP_A),
    "GET /applications/{case_id}/items/new": R(EXP_A),
    "GET /applications/{case_id}/items/{line}": R(EXP_A),
    "POST /applications/{case_id}/items": R(EXP_A, note="400: an empty item"),
    "POST /applications/{case_id}/items/{line}": R(EXP_A, note="400: an empty item"),
    "POST /applications/{case_id}/items/{line}/remove": R(EXP_A, note="409: the case is submitted, its content frozen"),
    "GET /applications/{case_id}/parties": R(EXP_A),
    "GET /applications/{case_id}/parties/new": R(EXP_A),
    "GET /applications/{case_id}/parties/{line}": R(EXP_A),
    "POST /applications/{case_id}/parties": R(EXP_A, note="400: an empty party"),
    "POST /applications/{case_id}/parties/{line}": R(EXP_A, note="400: an empty party"),
    "POST /applications/{case_id}/parties/{line}/remove": R(EXP_A, note="409: the case is submitted, its content frozen"),
    "GET /applications/{case_id}/end-use": R(EXP_A),
    "POST /applications/{case_id}/end-use": R(EXP_A, note="400: no destination or end use"),
    "GET /applications/{case_id}/withdraw": R(EXP_A),
    "POST /applications/{case_id}/withdraw": R(EXP_A),
    "GET /applications/{case_id}": R(EXP_A | AUTH_A),
    "POST /applications/{case_id}/messages": R(EXP_A | AUTH_A),
    "POST /applications/{case_id}/actions/{action}": R(AUTH_A),
    "POST /applications/{case_id}/assessment": R(AUTH_A),
    "POST /applications/{case_id}/decision": R({"sen_a"}),
    "POST /applications/{case_id}/evidence": R(AUTH_A),
    "POST /applications/{case_id}/flags": R(AUTH_A),
    "POST /applications/{case_id}/flags/{flag_id}/clear": R(AUTH_A),
    "POST /applications/{case_id}/assignment": R(AUTH_A),
    "POST /applications/{case_id}/statements": R(EXP_A),
    "GET /statements/sign/{token}": R(NOBODY, note="a link's secret: a wrong one is refused as missing, for everyone"),
    "POST /statements/sign/{token}": R(NOBODY),
    "GET /statements/verify/{number}": R(EVERYONE, public_object=True, query="code=WRONG"),
    "POST /licences/{number}/shipments": R(EXP_A),
    "GET /licences/{number}.pdf": R(EXP_A | AUTH_A),
    "GET /applications/{case_id}/refusal.pdf": R(EXP_A | AUTH_A, note="409 for a case not refused"),
    "GET /requests/{track_id}/ruling.pdf": R(EXP_A | AUTH_A, note="409: not answered yet"),
    # casework documents, tracks and customs on the web (issue 19)
    "GET /applications/{case_id}/documents/new": R(EXP_A),
    "POST /applications/{case_id}/documents": R(EXP_A, note="400: no file in the matrix's form"),
    "GET /applications/{case_id}/documents/{document_id}": R(EXP_A | AUTH_A),
    "GET /applications/{case_id}/end-user-statement.pdf": R(EXP_A | AUTH_A),
    "GET /end-user-statements/{state}.pdf": R(EVERYONE, public_object=True),
    "GET /requests": R(EXPORTERS | AUTHORITIES),
    "GET /requests/{track_id}": R(EXP_A | AUTH_A),
    "POST /requests/{track_id}/recommendation": R(AUTH_A),
    "POST /requests/{track_id}/return": R({"sen_a"}),
    "POST /requests/{track_id}/decision": R({"sen_a"}),
    "POST /requests/{track_id}/ruling": R(AUTH_A),
    "GET /licences/{number}/change": R(EXP_A),
    "POST /licences/{number}/change": R(EXP_A),
    "GET /enquiries/new": R(EXPORTERS),
    "POST /enquiries/new": R(EXPORTERS),
    "GET /applications/{case_id}/appeal": R(EXP_A),
    "POST /applications/{case_id}/appeal": R(EXP_A),
    "GET /customs": R(NOBODY, note="customs only; none of the matrix's principals is customs"),
    "POST /customs/usage": R(NOBODY),
    "POST /customs/holds": R(NOBODY),
    "GET /authority/cases": R(AUTHORITIES),
    "GET /verify": R(EVERYONE),
    "GET /verify/{number}": R(EVERYONE, public_object=True),
    "GET /general-authorisations": R(EXPORTERS),
    "POST /general-authorisations/registrations": R(ADMINS),
    "POST /general-authorisations/reports": R(EXPORTERS),
    "GET /authority/general-authorisations": R(AUTHORITIES),
    "POST /account/users/{user_id}/role": R({"exp_a"}),
    "POST /account/users/{user_id}/deactivate": R({"exp_a"}),
    "POST /account/users/{user_id}/activate": R({"exp_a"}),
    "POST /account/tokens/{token_id}/revoke": R({"exp_a"}),
    "POST /account/sessions/sign-out-others": R(SIGNED_IN),
    "GET /authority/notices": R(AUTHORITIES),
    "POST /authority/notices": R(AUTHORITIES),
    "POST /authority/notices/{notice_id}/withdraw": R(AUTH_A),
    "GET /notices": R(EXPORTERS),
    "GET /reminders": R(SIGNED_IN),
    "GET /audit": R(ADMINS | SENIORS),
    # exchange between deployments: other deployments post without a session (the signature authenticates;
    # a bogus document is refused with 422); the key set and the schema are public
    "POST /exchange/inbox": R(EVERYONE, {"schema": "bogus"}),
    "GET /exchange/keys.json": R(EVERYONE),
    "GET /exchange/schema.json": R(EVERYONE),
    "GET /authority/received": R(AUTHORITIES),
    "GET /api/v1/list-changes": R(EVERYONE),
    "GET /api/v1/list-changes/{change_id}": R(EVERYONE, public_object=True),
    "POST /api/v1/list-changes/{change_id}/comments": R(EVERYONE, {"author_name": " ", "organisation_type": "other", "text": "x"}, public_object=True),
    "GET /list-changes": R(EVERYONE),
    "GET /list-changes/notifications": R(SIGNED_IN),
    "POST /list-changes/notifications/{list_notice_id}/read": R(EXP_A),
    "GET /list-changes/manage": R(COM | AUTHORITIES, note="the Commission its amendments, an authority its state's national measures"),
    "GET /list-changes/new": R(COM | AUTHORITIES),
    "POST /list-changes/new": R(COM | AUTHORITIES),
    "GET /list-changes/{change_id}/manage": R(COM, public_object=True, note="the demo's change is open: public, managed by the Commission"),
    "POST /list-changes/{change_id}/open": R(COM, public_object=True),
    "POST /list-changes/{change_id}/close": R(COM, public_object=True),
    "POST /list-changes/{change_id}/withdraw": R(COM, public_object=True),
    "POST /list-changes/{change_id}/adopt": R(COM, public_object=True),
    "POST /list-changes/{change_id}/comments/{comment_id}/moderation": R(COM, public_object=True),
    "GET /list-changes/{change_id}": R(EVERYONE, public_object=True),
    "POST /list-changes/{change_id}/comments": R(EVERYONE, public_object=True),
    # denials between member states (issue 18): every authority and the Commission read the denials; the
    # denial is the demo's FR denial, the consultation DE's (tenant A's) consultation of FR on it
    "GET /api/v1/denials": R(AUTHORITIES | COM),
    "GET /api/v1/denials/{denial_id}": R(AUTHORITIES | COM, public_object=True, note="notified to every authority and the Commission"),
    "GET /api/v1/denial-consultations": R(AUTHORITIES),
    "POST /api/v1/denial-consultations/{consultation_id}/answer": R(AUTH_B, {"answer": "bogus"}, note="only the consulted state (FR) answers"),
    "GET /authority/denials": R(AUTHORITIES),
    "GET /commission/denials": R(COM),
    "GET /authority/denials/{denial_id}": R(AUTHORITIES | COM, public_object=True, note="notified to every authority and the Commission"),
    "POST /authority/denials/{denial_id}/review": R(AUTH_B, note="only the issuing state (FR) reviews; 400 without an action"),
    "GET /authority/consultations": R(AUTHORITIES),
    "POST /authority/consultations/{consultation_id}/answer": R(AUTH_B, note="only the consulted state (FR) answers; 400 without an answer"),
    "POST /authority/consultations/{consultation_id}/lapse": R(AUTH_A, note="only the consulting state (DE); 409 before the deadline"),
    "POST /applications/{case_id}/denials/{denial_id}/consult": R(AUTH_A, note="409: the denial does not match this case"),
    "POST /applications/{case_id}/denials/check": R(AUTH_A),
    "POST /applications/{case_id}/consultations": R(AUTH_A, note="422 without a subject"),
    # penalties and enforcement (issue #18, item 6): the comparison and the anonymised figures are public
    "GET /api/v1/penalties": R(EVERYONE),
    "GET /api/v1/enforcement/cases": R(EVERYONE),
    "GET /api/v1/enforcement/statistics": R(EVERYONE),
    "POST /api/v1/enforcement/cases": R(AUTHORITIES, {"violation": "bogus", "decision": "fine", "decision_date": "2026-01-01"}),
    "GET /api/v1/organisations/{organisation_id}/compliance-visits": R(EXP_A | AUTH_A),
    "POST /api/v1/organisations/{organisation_id}/compliance-visits": R(AUTH_A, {"visit_date": "2099-01-01", "findings": []}, note="422: a visit in the future"),
    "GET /api/v1/commission/figures": R(COM, note="figures without exporters (issue #18)"),
    "GET /penalties": R(EVERYONE),
    "GET /authority/enforcement": R(AUTHORITIES),
    "POST /authority/enforcement/cases": R(AUTHORITIES),
    "POST /authority/enforcement/visits": R(AUTHORITIES),
    "GET /transparency": R(EVERYONE),
    "GET /transparency/cyber-surveillance": R(EVERYONE),
    "GET /transparency/data.csv": R(EVERYONE),
    "GET /transparency/data.json": R(EVERYONE),
    "GET /transparency/schema": R(EVERYONE),
    "GET /transparency/schema.json": R(EVERYONE),
    "GET /authority/annual-report": R(AUTHORITIES),
    "POST /authority/annual-report": R(AUTHORITIES),
    "GET /commission/annual-report": R(COM),
    "GET /api/v1/transparency/years": R(EVERYONE),
    "GET /api/v1/transparency/report": R(EVERYONE),
    "GET /api/v1/transparency/schema": R(EVERYONE),
    "GET /api/v1/authority/annual-report": R(AUTHORITIES),
    "POST /api/v1/authority/annual-report": R(AUTHORITIES, {"year": 2026}),
    "GET /api/v1/commission/annual-report": R(COM),
}
# fmt: on
MISSING_ID = "999999"
# what only tenant B's own pages may show: its licence numbers, its name and EORI (the demo's FR exporter)
TENANT_A = EXP_A | AUTH_A
OFFICER_MARKS = re.compile(r"(officer|senior)-[a-z]{2}@demo\.dualuse\.eu")
TENANT_B_MARKS = re.compile(r"FR-\d{4}-\d{6}|Lumi[eè]re R[eé]seaux|FR98765432100011")

# Routes this matrix finds refusing too late, each with why, while it is being fixed (strict: the test fails
# once the route is fixed, so that its line here is removed). Empty: keep it so.
KNOWN_GAPS: dict[str, str] = {}


# --- the route table ------------------------------------------------------------------------------------
def app_routes() -> list[tuple[str, str]]:
    """(method, path) of every route of the app, read from its route table (mounts excepted)."""
    settings = Settings(env=Environment.TEST, database_url="sqlite://", secret_key="s" * 40)
    app = create_app(container=bootstrap(settings))
    out: list[tuple[str, str]] = []
    for route in iter_route_contexts(app.routes):
        for method in sorted((route.methods or set()) - {"HEAD"}):
            out.append((method, str(route.path)))
    return out


ROUTES = app_routes()
KEYS = [f"{m} {p}" for m, p in ROUTES]


def test_access_matrix_classifies_every_route() -> None:
    unclassified = [k for k in KEYS if k not in EXPECTED]
    assert not unclassified, (
        "routes without a line in tests/integration/test_access_matrix.py EXPECTED; say who may reach each: "
        + ", ".join(unclassified)
    )
    stale = [k for k in EXPECTED if k not in KEYS]
    assert not stale, f"EXPECTED names routes the app no longer has: {stale}"


# --- the world: one of each object per tenant -------------------------------------------------------------
@dataclass
class World:
    container: Container
    ids: dict[str, str]
    clients: dict[str, TestClient]
    csrf: dict[str, str]


def _seed(container: Container) -> tuple[dict[str, str], dict[str, str]]:
    logins = {login.email: login.password for login in load_demo_world(container)}
    flags = container.red_flags
    with container.uow() as uow:
        people = {k: identity.principal_for(uow, uow.users.by_email(e)) for k, e in EMAILS.items()}  # type: ignore[arg-type]
        exp_a, off_a = people["exp_a"], people["off_a"]
        # tenant B's own objects, the same kinds as the demo gives tenant A
        demo.load_demo_due_diligence(uow, flags, people["exp_b"])
        demo.load_demo_licensing(
            uow,
            check_code_secret(container.settings.secret_key),
            {"exporter": people["exp_b"], "officer": people["off_b"], "senior": people["sen_b"]},
        )
        generalauth.register(uow, exp_a, container.rulebook, "EU001")
        # a notification of A's authority, and the requirement it imposes (sent to B's authority)
        case_id = _notified_case(uow, exp_a, flags)
        notification_id = duediligence.notify(uow, exp_a, flags, case_id)
        requirement_id = duediligence.decide_notification(
            uow, off_a, notification_id, required=True, reason="matrix", member_states=["DE", "FR"]
        )
        # officers' traces that only authorities see by name (F13)
        demo_cases = uow.licensing.cases(organisation_id=exp_a.organisation_id)  # type: ignore[arg-type]
        waiting = next(c for c in demo_cases if c.submitted_at is not None and c.case.decision is None)
        licensing.post_message(uow, off_a, waiting.id, "A question from the officer")
        duediligence.add_profile(
            uow,
            off_a,
            subject_kind="country",
            subject="AE",
            level="high",
            summary="matrix",
            sources=[{"title": "report", "url": "", "published": "2025-01-01"}],
        )
        submission_id = duediligence.submit(
            uow,
            organisation_name="Matrix NGO",
            contact_email=None,
            subject_kind="country",
            subject="EG",
            what_happened="x",
            sources=["https://example.org"],
        )
        org_a = exp_a.organisation_id
        # a member of A whose account the administrator manages (the principals' own accounts stay usable)
        identity.create_user(
            uow,
            container.hasher,
            actor="matrix",
            email="spare@demo.dualuse.eu",
            full_name="Spare",
            password=secrets.token_urlsafe(18),
            role=Role.EXPORTER_USER,
            organisation_id=org_a,  # type: ignore[arg-type]
        )
        spare = uow.users.by_email("spare@demo.dualuse.eu")
        identity.create_token(uow, actor="matrix", email="spare@demo.dualuse.eu", name="matrix")
        spare_token = uow.tokens.listing(spare.id)[0]  # type: ignore[union-attr]
        notice_id = notices.issue(
            uow,
            off_a,
            organisation_id=org_a,  # type: ignore[arg-type]
            article="4(1)",
            scope="destination",
            destination="EG",
            reason="matrix",
        )
        engine, _versions = container.screening_index.engine(uow)
        listed = engine.snapshots[0].entities[0]
        dd_case = uow.duediligence.cases(org_a)[0].id  # type: ignore[arg-type]
        # an evidence file of that case, kept in the document store (issue #16)
        kept = uow.documents.put(
            owner_organisation_id=org_a,  # type: ignore[arg-type]
            kind=DocumentKind.EVIDENCE,
            title="matrix.txt",
            media_type="text/plain; charset=utf-8",
            content=b"matrix evidence",
            created_by="matrix",
        )
        uow.duediligence.add_entry(
            case_id=dd_case,
            step="classification",
            answers={},
            note="matrix",
            evidence=[{"title": "matrix.txt", "file": f"{kept.sha256}.txt", "sha256": kept.sha256}],
            by="matrix",
        )
        evidence_sha = kept.sha256
        cases = uow.licensing.cases(organisation_id=org_a)  # type: ignore[arg-type]
        submitted = next(c for c in cases if c.submitted_at is not None and c.case.decision is None)
        supporting = uow.casework.add_supporting(  # a contract filed with it (issue 19)
            case_id=submitted.id,
            document_id=kept.id,
            kind=SupportingKind.CONTRACT,
            title="matrix contract",
            uploaded_by="matrix",
        )
        licence = uow.licensing.licences(organisation_id=org_a)[0]  # type: ignore[arg-type]
        classification = uow.classifications.for_organisation(org_a)[0]  # type: ignore[arg-type]
        hit = uow.screening.hits(organisation_id=org_a)[0]  # type: ignore[call-arg]
        uow.commit()
        saved_determination = saved.save(
            uow,
            container.determination_inputs(uow, org_a),  # type: ignore[arg-type]
            exp_a,
            {
                "exporter": {"member_state": "DE"},
                "destination": "CN",
                "items": [{"id": "1", "control_code": "5A001.j"}],
            },
        )
        # the demo's list change (open for comment), its comment waiting for moderation, and a notification of
        # a change in force sent to A (issue 15)
        demo_change = uow.list_changes.list()[0].change.id
        pending_comment = uow.list_changes.comments(demo_change)[-1].id
        list_notice = uow.list_changes.add_notice(
            change_id=demo_change,
            organisation_id=org_a,
            audience="exporter",
            subject="matrix",
            body="matrix",  # type: ignore[arg-type]
        )
        uow.commit()
        enquiry = tracks.enquire(uow, exp_a, question="Is a matrix listed?")
    with container.uow() as uow:  # denials (issue 18): DE consults FR on the demo's matching case
        fr_denial = next(
            d
            for d in uow.denials.denials(DenialQuery(issuing_state="FR"))
            if d.case_reference == "FR/SBDU/2026-0147"
        )  # the demo's Nordwind denial (the demo exchange also brings FR denials)
        similar = next(
            c
            for c in uow.licensing.cases(organisation_id=org_a)  # type: ignore[arg-type]
            if c.case.application.parties and c.case.application.parties[0].name == "NORDWIND SURVEILANCE"
        )
        consultation = denial_consultations.consult_on_denial(uow, off_a, similar.id, fr_denial.id)
    ids = {
        "organisation_id": str(org_a),
        "dd_case_id": str(dd_case),
        "sha256": evidence_sha,
        "case_id": str(submitted.id),
        "number": licence.licence.number,
        "classification_id": str(classification.id),
        "hit_id": str(hit.id),
        "notification_id": str(notification_id),
        "requirement_id": str(requirement_id),
        "submission_id": str(submission_id),
        "user_id": str(spare.id),  # type: ignore[union-attr]
        "token_id": str(spare_token.id),
        "notice_id": str(notice_id),
        "flag_id": "1",
        "document_id": str(supporting.id),
        "token": "not-a-signing-link",
        "hold_id": "999998",
        "track_id": str(enquiry.id),
        "entity_id": f"{listed.source}-{listed.entity_id}",
        "saved_id": str(saved_determination.id),
        "change_id": str(demo_change),
        "comment_id": str(pending_comment),
        "list_notice_id": str(list_notice),
        "denial_id": str(fr_denial.id),
        "consultation_id": str(consultation.id),
    }
    return ids, logins


def _notified_case(uow: Any, exporter: Principal, flags: Any) -> int:
    case_id = duediligence.open_case(
        uow,
        exporter,
        flags,
        title="Matrix case",
        transaction={
            "destination": "EG",
            "end_user": {"name": "Matrix Directorate", "type": "government"},
            "item": {"description": "Monitoring software", "control_code": None, "cyber_surveillance": True},
        },
    )
    for step in (Step.CLASSIFICATION, Step.MISUSE, Step.STAKEHOLDERS, Step.MITIGATION):
        answers = {f.id: (FlagAnswer.NO, "") for f in flags.for_step(step)}
        duediligence.record_step(uow, exporter, flags, case_id, step, answers=answers)
    duediligence.conclude(uow, exporter, flags, case_id, "notify_authority", "matrix")
    return case_id


def _database(request: pytest.FixtureRequest, tmp: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp / 'matrix.db'}"
    url: str = request.getfixturevalue("postgres_server_url")
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url


@pytest.fixture(
    scope="module",
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
    ],
)
def world(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    tmp = tmp_path_factory.mktemp("matrix")
    settings = Settings(
        env=Environment.TEST,
        database_url=_database(request, tmp),
        secret_key="test-secret-key-" + "x" * 32,
        upload_dir=tmp / "uploads",
    )
    container = bootstrap(settings)
    migrate.upgrade(container.engine)
    ids, passwords = _seed(container)
    app = create_app(container=container)
    clients: dict[str, TestClient] = {}
    csrf: dict[str, str] = {}
    for name in PRINCIPALS:
        web = TestClient(app)
        token = web.get("/login").text.split('name="csrftoken" value="')[1].split('"')[0]
        if name != "anon":
            email = EMAILS[name]
            signed = web.post(
                "/login", data={"email": email, "password": passwords[email], "csrftoken": token}
            )
            assert signed.status_code == 200, signed.text
            csrf[f"{name}:bearer"] = token_for(container, email)
        clients[name] = web
        csrf[name] = token
    clients["api"] = TestClient(app)
    yield World(container, ids, clients, csrf)
    container.engine.dispose()


# --- requests -------------------------------------------------------------------------------------------
PARAM = re.compile(r"\{(\w+)\}")


def fill(path: str, ids: dict[str, str] | None) -> str:
    """The path with tenant A's ids (``ids``) or ids that exist nowhere (None)."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "step":
            return "classification"
        if name == "line":
            return "1"
        if name == "action":
            return "suspend" if "/licences/" in path else "start_assessment"
        if name == "code":
            return "5A001"
        if name == "cn":
            return "8542"
        if name == "dataset":
            return "default"
        if name == "section":
            return "glossary"
        if name == "prop":
            return "sanctions"
        if name == "sha256" and ids is None:
            return "0" * 64
        if name == "format_name":
            return "ftm"
        if name == "state":
            return "DE"
        if name == "case_id" and "due-diligence" in path:
            name = "dd_case_id"
        if ids is None:
            return "DE-2026-999999" if name == "number" else MISSING_ID
        return ids[name]

    return PARAM.sub(value, path)


def send(world: World, who: str, method: str, path: str, rule: R) -> Any:
    api = path.startswith(
        ("/api/", "/match/", "/search/", "/entities/", "/catalog", "/algorithms", "/readyz", "/exchange/")
    )
    client = world.clients[who]
    headers = {}
    if api:  # a client of its own, without the web's cookies
        client = world.clients["api"]
        headers = {"Authorization": f"Bearer {world.csrf[who + ':bearer']}"} if who != "anon" else {}
    elif method == "POST" and path in ("/login", "/logout"):  # not the session the matrix goes on with
        client = TestClient(world.clients["api"].app)
        token = client.get("/login").text.split('name="csrftoken" value="')[1].split('"')[0]
        return client.post(path, data={"csrftoken": token}, follow_redirects=False)
    if rule.query:
        path = f"{path}?{rule.query}"
    if method == "GET":
        return client.get(path, headers=headers, follow_redirects=False)
    if api:
        body = {  # "{organisation_id}": tenant A's organisation, known once the world is seeded
            k: int(world.ids["organisation_id"]) if v == "{organisation_id}" else v
            for k, v in (rule.body or {}).items()
        }
        return client.request(method, path, json=body, headers=headers, follow_redirects=False)
    return client.request(method, path, data={"csrftoken": world.csrf[who]}, follow_redirects=False)


def refused(response: Any) -> bool:
    if response.status_code in (401, 403, 404):
        return True
    if response.status_code in (302, 303, 307) and response.headers.get("location", "").startswith("/login"):
        return True
    # rejected by the request's schema before the handler ran (nothing can have happened)
    return schema_refused(response)


def schema_refused(response: Any) -> bool:
    """Refused by the request's schema before the handler ran (a problem document listing ``errors`` and no
    ``field`` of its own: a use case that lists several mistakes names the first as its ``field``)."""
    body = _json(response)
    return response.status_code == 422 and "errors" in body and "field" not in body


def allowed(response: Any) -> bool:
    if response.status_code in (302, 303, 307):
        return not response.headers.get("location", "").startswith("/login")
    return response.status_code < 300 or response.status_code in (400, 409, 422)


def _json(response: Any) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


# WeasyPrint warns when the system lacks HarfBuzz-Subset; the PDFs still render, and what is tested here is
# who gets them
@pytest.mark.filterwarnings("ignore:HarfBuzz-Subset:DeprecationWarning")
@pytest.mark.parametrize(
    "key",
    [
        pytest.param(k, marks=pytest.mark.xfail(strict=True, reason=KNOWN_GAPS[k])) if k in KNOWN_GAPS else k
        for k in KEYS
    ],
)
def test_access_matrix(world: World, key: str) -> None:
    if key not in EXPECTED:
        pytest.fail(f"{key} is not classified in EXPECTED")
    rule = EXPECTED[key]
    method, path = key.split(" ", 1)
    about_object = bool(PARAM.search(path)) and not rule.public_object
    problems: list[str] = []
    # writes by those who may make them come last, so that what they change cannot mask a refusal
    order = sorted(PRINCIPALS, key=lambda p: p in rule.who)
    for who in order:
        response = send(world, who, method, fill(path, world.ids), rule)
        if who in rule.who:
            if not allowed(response):
                problems.append(f"{who}: expected access, got {response.status_code} {response.text[:160]}")
            elif schema_refused(response):
                problems.append(
                    f"{who}: the body fails the request's schema, so the use case is never reached; "
                    f"give the route a body in EXPECTED: {response.text[:160]}"
                )
            elif who in TENANT_A and (leak := TENANT_B_MARKS.search(response.text)):
                problems.append(f"{who}: tenant B's {leak.group(0)!r} in the answer")
            elif who not in AUTHORITIES and (leak := OFFICER_MARKS.search(response.text)):
                problems.append(f"{who}: an officer's address {leak.group(0)!r} in the answer (F13)")
            continue
        if not refused(response):
            problems.append(f"{who}: expected refusal, got {response.status_code} {response.text[:160]}")
            continue
        if about_object:  # F16: another tenant's object answers as a missing one
            missing = send(world, who, method, fill(path, None), rule)
            same = missing.status_code == response.status_code and (
                _json(missing).get("detail") == _json(response).get("detail")
            )
            if not same:
                problems.append(
                    f"{who}: tenant A's object answers {response.status_code} {_json(response).get('detail')!r}, "
                    f"a missing one {missing.status_code} {_json(missing).get('detail')!r}"
                )
    assert not problems, f"{key}:\n  " + "\n  ".join(problems)


def test_access_matrix_tenant_b_is_there_to_leak(world: World) -> None:
    """The leak check means something only if tenant B's own users do see its marks."""
    bearer = {"Authorization": f"Bearer {world.csrf['off_b:bearer']}"}
    assert TENANT_B_MARKS.search(world.clients["api"].get("/api/v1/licences", headers=bearer).text)
    assert TENANT_B_MARKS.search(world.clients["exp_b"].get("/applications").text)
