"""The correlation between Combined Nomenclature (CN) codes and Annex I entries, as a lookup aid.

A row says that an item declared under a CN code beginning with ``cn`` may fall under ``entries``. It is
never a classification: the exporter decides whether the item meets an entry's parameters (Art. 3(1)), and
an item may be listed under an entry no row names. Candidates come with the rows' sources and ``verified``
marks, longest (most specific) CN code first.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from dualuse.domain.controllist.codes import ControlCode
from dualuse.domain.rules.facts import canonical_cn_code


@dataclass(frozen=True, slots=True)
class CorrelationRow:
    """CN codes beginning with ``cn`` (2 to 8 digits) and the Annex I entries such items may fall under."""

    cn: str
    entries: tuple[ControlCode, ...]
    note: str
    source: str
    verified: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "cn", canonical_cn_code(self.cn))
        if not self.entries:
            raise ValueError(f"CN {self.cn}: a correlation row names at least one Annex I entry")

    def covers(self, cn_code: str) -> bool:
        """True if ``cn_code`` (canonical digits) begins with this row's CN code."""
        return cn_code.startswith(self.cn)


@dataclass(frozen=True)
class CnCorrelation:
    """Every correlation row, searchable by CN code and by Annex I entry."""

    rows: tuple[CorrelationRow, ...]
    source: str = ""
    verified: bool = False

    @classmethod
    def of(cls, rows: Iterable[CorrelationRow], *, source: str = "", verified: bool = False) -> CnCorrelation:
        """The rows in CN order; raises ``ValueError`` on a CN code given twice."""
        ordered = tuple(sorted(rows, key=lambda r: r.cn))
        seen = [r.cn for r in ordered]
        if len(set(seen)) != len(seen):
            raise ValueError("a CN code appears in more than one correlation row")
        return cls(ordered, source, verified)

    def for_cn(self, cn_code: str) -> tuple[CorrelationRow, ...]:
        """The rows covering ``cn_code`` (2 to 10 digits, spaces and dots allowed), most specific first;
        a shorter query also finds the rows below it (``85`` finds ``8517`` and ``8542``)."""
        wanted = canonical_cn_code(cn_code)
        found = [r for r in self.rows if r.covers(wanted) or r.cn.startswith(wanted)]
        return tuple(sorted(found, key=lambda r: (-len(r.cn) if r.covers(wanted) else 0, r.cn)))

    def candidates(self, cn_code: str) -> tuple[ControlCode, ...]:
        """The Annex I entries a CN code correlates with, most specific row first, each once."""
        codes: dict[ControlCode, None] = {}
        wanted = canonical_cn_code(cn_code)
        for row in self.for_cn(wanted):
            if row.covers(wanted):
                codes.update(dict.fromkeys(row.entries))
        return tuple(codes)

    def for_entry(self, code: ControlCode) -> tuple[CorrelationRow, ...]:
        """The rows naming ``code``, an entry above it or below it."""
        return tuple(
            r
            for r in self.rows
            if any(e == code or e.is_ancestor_of(code) or code.is_ancestor_of(e) for e in r.entries)
        )

    def advice(self, cn_code: str) -> str | None:
        """A sentence for an answer: the candidate entries of a CN code and how sure the correlation is."""
        rows = [r for r in self.for_cn(cn_code) if r.covers(canonical_cn_code(cn_code))]
        if not rows:
            return None
        entries = ", ".join(str(c) for c in self.candidates(cn_code))
        sure = (
            "verified against the Commission's correlation table"
            if all(r.verified for r in rows)
            else "not verified against the Commission's correlation table"
        )
        return (
            f"CN {canonical_cn_code(cn_code)} correlates with Annex I {entries} ({sure}): check whether the item "
            "meets one of these entries; a correlation is a lookup aid, not a classification."
        )
