"""Whether two party names given by people (not a name against a sanctions list) name the same party.

Used wherever the regulation asks for "the same end-user or consignee" — an essentially identical
transaction (Art. 2(22), verified in the EUR-Lex text of the regulation: "items with essentially identical
parameters or technical characteristics and involving the same end-user or consignee"): the Art. 16(5)
check of denials in force and the Art. 5 requirements (Art. 5(6)). Two applications rarely spell a
company alike ("Nordwind Surveillance GmbH", "NORD-WIND SURVEILANCE"), so names are compared with the
screening engine's normalisation (``normalise.name_form``) and token alignment (``scoring.name_similarity``),
never as exact strings.

The screening scorer is asymmetric (a query against a listed name); here neither name is the listed one, so
the score is the greater of both directions, which makes it symmetric. Every token weighs the same: there
is no list whose token frequencies could say which words are rare.
"""

from __future__ import annotations

from dataclasses import dataclass

from dualuse.domain.screening.model import EntitySchema
from dualuse.domain.screening.normalise import name_form
from dualuse.domain.screening.scoring import explain_name

__all__ = ["SAME_PARTY_THRESHOLD", "NameComparison", "compare_names", "name_score", "same_party"]

SAME_PARTY_THRESHOLD = 0.85
"""The least score at which two names are taken for the same party. The system's choice (not law): high
enough that "Acme Security" is not "Acme Systems", low enough for a dropped hyphen or a letter typed once."""


def _weight(_token: str) -> float:
    return 1.0


@dataclass(frozen=True)
class NameComparison:
    """Two names, their score in [0, 1] and how their parts were aligned."""

    first: str
    second: str
    score: float
    note: str

    def same(self, threshold: float = SAME_PARTY_THRESHOLD) -> bool:
        return self.score >= threshold


def compare_names(first: str, second: str, schema: EntitySchema | None = None) -> NameComparison:
    """Compare two party names (symmetric: ``compare_names(a, b).score == compare_names(b, a).score``)."""
    a = name_form(first, schema).tokens
    b = name_form(second, schema).tokens
    if not a or not b:
        return NameComparison(first, second, 0.0, "empty name")
    forward = explain_name(a, b, _weight)
    backward = explain_name(b, a, _weight)
    score, note = max(forward, backward, key=lambda pair: pair[0])
    return NameComparison(first, second, round(min(1.0, max(0.0, score)), 4), note)


def name_score(first: str, second: str, schema: EntitySchema | None = None) -> float:
    """The symmetric similarity of two party names, in [0, 1]."""
    return compare_names(first, second, schema).score


def same_party(
    first: str, second: str, *, threshold: float = SAME_PARTY_THRESHOLD, schema: EntitySchema | None = None
) -> bool:
    """Whether two names are taken for the same party (score at or above ``threshold``)."""
    return compare_names(first, second, schema).same(threshold)
