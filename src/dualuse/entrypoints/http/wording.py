"""Words on pages that web forms and error pages share: internal names said in plain language, and the only
places a sign-in may send someone back to (local paths)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import urlsplit

# internal names the domain uses in its messages, in the words a page uses
LABELS: Mapping[str, str] = {
    "control_code": "control code",
    "value_eur": "value in euro",
    "end_user": "end-user",
    "end_user_name": "end-user's name",
    "end_user_type": "kind of end-user",
    "end_use": "end use",
    "member_state": "member state",
    "item_line": "item line",
    "item_kinds": "kind of item",
    "shipped_on": "date of the shipment",
    "customs_reference": "customs reference",
    "birth_date": "date of birth",
    "organisation_id": "party",
    "organisation_name": "organisation's name",
    "application_type": "type of authorisation",
    "period_start": "start of the period",
    "period_end": "end of the period",
    "true_match": "true match",
    "false_positive": "false positive",
    "cyber_surveillance": "cyber-surveillance",
    "exporter_id": "exporter",
}
_NAME = re.compile(r"\b(" + "|".join(sorted(map(re.escape, LABELS), key=len, reverse=True)) + r")\b")
_EMPTY = re.compile(r"^(?:the )?([\w -]+?) must not be empty$")


def plain(text: str) -> str:
    """A message for a page: internal names replaced by their labels, "x must not be empty" said as
    "Enter the x", first letter capital, no trailing full stop or semicolon clutter."""
    text = _NAME.sub(lambda m: LABELS[m.group(1)], text.strip())
    text = text.replace("_", " ")
    if found := _EMPTY.match(text):
        text = f"enter the {found.group(1)}"
    return text[:1].upper() + text[1:] if text else "Check what you entered"


def safe_next(target: str | None) -> str | None:
    """``target`` if it is a path on this site (``/x``, not ``//host`` or ``/\\host`` or a scheme), else None:
    a sign-in never sends anyone to another site (an open redirect)."""
    if not target or len(target) > 2000 or not target.startswith("/") or target.startswith(("//", "/\\")):
        return None
    if any(c in target for c in "\\\r\n\t") or any(ord(c) < 32 for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target
