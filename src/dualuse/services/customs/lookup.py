"""Look up a Combined Nomenclature code: the Annex I entries it correlates with, as listed in the version in
force, with the correlation's sources (a lookup aid, not a classification)."""

from __future__ import annotations

from dataclasses import dataclass

from dualuse.domain.controllist.versions import ControlList
from dualuse.domain.customs import CnCorrelation, CorrelationRow
from dualuse.domain.errors import ValidationError
from dualuse.domain.rules.facts import canonical_cn_code


@dataclass(frozen=True)
class CnCandidate:
    """An Annex I entry a CN code correlates with, and its title in the list version asked about (None
    where that version does not list it, e.g. a 2025 entry asked about on an earlier date)."""

    code: str
    title: str | None
    verified: bool


@dataclass(frozen=True)
class CnAnswer:
    cn: str
    list_version: str
    rows: tuple[CorrelationRow, ...]
    candidates: tuple[CnCandidate, ...]
    advice: str | None


def look_up(correlation: CnCorrelation, control_list: ControlList, cn: str) -> CnAnswer:
    """The rows and candidate entries of ``cn`` (2 to 10 digits; a heading also finds the rows below it);
    ``ValidationError`` on ``cn`` for text that is not a CN code."""
    try:
        canonical = canonical_cn_code(cn)
    except ValidationError as exc:
        raise ValidationError(exc.detail, field="cn") from exc
    rows = correlation.for_cn(canonical)
    candidates: dict[str, CnCandidate] = {}
    for row in rows:
        for code in row.entries:
            entry = control_list.get(code)
            key = str(code)
            if key not in candidates:
                candidates[key] = CnCandidate(key, entry.title if entry else None, row.verified)
    return CnAnswer(
        cn=canonical,
        list_version=control_list.version_id,
        rows=rows,
        candidates=tuple(candidates.values()),
        advice=correlation.advice(canonical),
    )
