"""CSRF for multipart forms.

asgi-csrf protects every form, but its multipart parser no longer works with the python-multipart that
FastAPI uses (``FormParser`` lost its ``FileClass`` argument), so a multipart POST would fail with a server
error. The few multipart forms (evidence uploads) are let through the middleware and check the token here,
the same way the middleware does: the form's token must equal the signed ``csrftoken`` cookie.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from itsdangerous import BadSignature, URLSafeSerializer
from starlette.datastructures import FormData
from starlette.requests import Request

from dualuse.domain.errors import PermissionDeniedError

COOKIE = "csrftoken"
NAMESPACE = "csrftoken"
# paths whose handlers call ``check_multipart_token`` themselves
SELF_CHECKED_MULTIPART = (
    re.compile(r"^/due-diligence/\d+/steps/[a-z_]+$"),
    re.compile(r"^/applications/\d+/documents$"),  # supporting documents (issue 19)
)


def skip_multipart_self_checked(scope: dict[str, Any]) -> bool:
    """For asgi-csrf's ``skip_if_scope``: a multipart POST to a handler that checks the token itself."""
    headers = dict(scope.get("headers") or [])
    content_type = headers.get(b"content-type", b"").split(b";", 1)[0].strip()
    return content_type == b"multipart/form-data" and any(
        p.match(scope.get("path", "")) for p in SELF_CHECKED_MULTIPART
    )


def check_multipart_token(request: Request, form: FormData, secret: str) -> None:
    """Refuse the request unless the form carries the token of the signed cookie."""
    cookie = request.cookies.get(COOKIE, "")
    sent = str(form.get("csrftoken") or "")
    try:
        URLSafeSerializer(secret).loads(cookie, salt=NAMESPACE)
    except BadSignature:
        raise PermissionDeniedError("the form has expired: reload the page and try again") from None
    if not cookie or not secrets.compare_digest(cookie, sent):
        raise PermissionDeniedError("the form has expired: reload the page and try again")
