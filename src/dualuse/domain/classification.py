"""Classification records: an exporter's decision that a product falls under an entry, or is not listed.

When a new list version enters into force, every record whose entry (or an entry above or below it)
changed or disappeared needs a person to look at it again (Art. 3(1) applies to the list in force).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from dualuse.domain.controllist.codes import ControlCode
from dualuse.domain.controllist.versions import ListDiff


class ClassificationStatus(StrEnum):
    CURRENT = "current"
    REVIEW_NEEDED = "review_needed"


@dataclass(frozen=True)
class Classification:
    id: int
    organisation_id: int
    product_name: str
    description: str
    parameters: Mapping[str, object]
    control_code: str | None  # None: the exporter decided the product is not listed
    rationale: str
    list_version: str
    status: ClassificationStatus
    review_reason: str | None
    created_by: str
    created_at: datetime
    updated_at: datetime


def _related(a: ControlCode, b: ControlCode) -> bool:
    return a == b or a.is_ancestor_of(b) or b.is_ancestor_of(a)


def review_reason(control_code: str | None, diff: ListDiff) -> str | None:
    """Why a record under ``control_code`` needs review after ``diff``, or None if it is unaffected.

    A removed entry at, above or below the recorded code, or a changed one, affects the record; so does
    a change an amending act between the two versions declares at, above or below it (deeper than the
    list's entries too). The reason cites the act that made the change where the history knows it.
    Records of products that are not listed are unaffected by changes to entries (new entries may still
    catch them: the impact list shows the added entries for a person to check).
    """
    if control_code is None:
        return None
    code = ControlCode.parse(control_code)
    to_id = diff.to_version.id
    act = diff.act_changing(code)
    by = (
        f" by {act.short_title} (in force {act.effective_from.isoformat()}, list version {act.version_id})"
        if act is not None
        else f" in list version {to_id}"
    )
    for entry in diff.removed:
        if _related(entry.code, code):
            return f"entry {entry.code} was removed{by}"
    if act is not None:
        declared = act.touching(code)[0]
        mark = "" if declared.verified else " [not verified]"
        return f"entry {declared.code} {declared.kind.value}{by}: {declared.text}{mark}"
    for change in diff.changed:
        if _related(change.code, code):
            fields = ", ".join(c.field for c in change.changes)
            return f"entry {change.code} changed{by} ({fields})"
    for entry in diff.added:
        if code.is_ancestor_of(entry.code):
            return f"new sub-item {entry.code} was added under {code}{by}"
    return None
