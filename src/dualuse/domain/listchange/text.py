"""A draft's amendment in the amendment file format (``data/controllist/README.md``): the version block the
platform writes from the draft's fields, and the ``add``/``change``/``remove`` sections the drafter writes.

The version block is rewritten at adoption with the effective date adopted, so that the amendment imported
is the one drafted, dated as adopted."""

from __future__ import annotations

import json
import re
from datetime import date

from dualuse.domain.errors import ValidationError

_RESERVED = re.compile(r"^(kind|version)\s*:", re.MULTILINE)
_SECTIONS = re.compile(r"^(add|change|remove)\s*:", re.MULTILINE)
VERSION_ID = re.compile(r"^[0-9]{4}-[0-9]{2}[A-Za-z0-9.-]{0,20}$")


def check_body(body: str) -> str:
    """The drafter's sections: at least one of ``add``, ``change``, ``remove`` at the top level, and no
    ``kind`` or ``version`` of their own (the platform writes those)."""
    text = body.replace("\r\n", "\n").strip("\n")
    if _RESERVED.search(text):
        raise ValidationError(
            "leave out kind and version: they are written from the draft's title and dates", field="body"
        )
    if not _SECTIONS.search(text):
        raise ValidationError(
            "give the entries to add, change or remove (add:, change:, remove:)", field="body"
        )
    return text + "\n"


def check_version_id(version_id: str) -> str:
    value = version_id.strip()
    if not VERSION_ID.match(value):
        raise ValidationError(
            "name the list version the change makes like 2027-06 (year and month)", field="version_id"
        )
    return value


def amendment_text(*, version_id: str, title: str, legal_source: str, effective_from: date, body: str) -> str:
    """The whole amendment file: the version block (strings quoted as JSON, which YAML reads as quoted
    scalars) and the drafter's sections."""
    header = "\n".join(
        [
            "kind: amendment",
            "version:",
            f"  id: {json.dumps(version_id)}",
            f"  title: {json.dumps(title)}",
            f"  effective_from: {effective_from.isoformat()}",
            f"  legal_source: {json.dumps(legal_source)}",
            "  verified: false",
        ]
    )
    return header + "\n" + check_body(body)
