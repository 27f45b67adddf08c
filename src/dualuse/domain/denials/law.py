"""The legal facts the denial functions rest on, each with its source and whether it was checked.

Checked against /work/shared/reference (regulation-articles.md, regulation.md and the EUR-Lex JSON of the
regulation's text in annex-i-eurlex/) on 2026-12-05:

- Art. 2(22) "essentially identical transaction" — verified (EUR-Lex text, definitions).
- Art. 14(1) consultation when the items are in another member state: objections within 10 working days,
  binding — verified (Romanian consolidated text, regulation-articles.md [V]).
- Art. 14(2) essential-security consultation, 10 working days, non-binding — NOT verified ([M]).
- Art. 15(1)(a)-(d) considerations — verified (German text [V]).
- Art. 16(1) notice of refusals, annulments, suspensions, substantial limitations and revocations to the
  other member states and the Commission — verified (Romanian text [V]).
- Art. 16(2) review within three years, denials not revoked stay valid — NOT verified ([M]).
- Art. 16(5) check of denials in force and consultation of the denying state before granting — verified
  (Romanian text [V]); that it sets no time limit for the reply — NOT verified (absence not confirmed);
  the notice with reasons when granting anyway — NOT verified ([M], consistent with 1334/2000 Art. 9(3)).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "ART_2_22",
    "ART_14_1",
    "ART_14_2",
    "ART_14_WORKING_DAYS",
    "ART_16_1",
    "ART_16_2",
    "ART_16_5",
    "ART_16_5_GRANT",
    "ART_16_5_REPLY_DAYS",
    "REVIEW_PERIOD_YEARS",
    "LegalFact",
]


@dataclass(frozen=True)
class LegalFact:
    citation: str
    fact: str
    source: str
    verified: bool


_REF = "shared/reference/regulation-articles.md"
ART_2_22 = LegalFact(
    "Art. 2(22)",
    "essentially identical transaction: items with essentially identical parameters or technical "
    "characteristics, involving the same end-user or consignee",
    "EUR-Lex text of Reg. 2021/821 (shared/reference/annex-i-eurlex, definitions)",
    True,
)
ART_14_1 = LegalFact(
    "Art. 14(1)",
    "items located in another member state: that state's objections within 10 working days bind",
    f"{_REF} Art 14 [V] (Romanian consolidated text)",
    True,
)
ART_14_2 = LegalFact(
    "Art. 14(2)",
    "essential-security request: non-binding consultation concluded within 10 working days",
    f"{_REF} Art 14 [M]",
    False,
)
ART_16_1 = LegalFact(
    "Art. 16(1)",
    "refusals, annulments, suspensions, substantial limitations and revocations are notified to the other "
    "member states and the Commission",
    f"{_REF} Art 16 [V] (Romanian consolidated text)",
    True,
)
ART_16_2 = LegalFact(
    "Art. 16(2)",
    "denials are reviewed within three years of notification; those not revoked remain valid",
    f"{_REF} Art 16 [M]; predecessor Reg. 1334/2000 Art. 9(3) used a three-year window [V]",
    False,
)
ART_16_5 = LegalFact(
    "Art. 16(5)",
    "before granting, the authority takes into account all denials in force and consults the state that "
    "denied an essentially identical transaction",
    f"{_REF} Art 16 [V] (Romanian consolidated text)",
    True,
)
ART_16_5_GRANT = LegalFact(
    "Art. 16(5)",
    "granting after consultation is notified to the other member states and the Commission with the reasons",
    f"{_REF} Art 16 [M]",
    False,
)

ART_14_WORKING_DAYS = 10
"""Art. 14(1): the consulted states' objections within 10 working days (verified)."""

ART_16_5_REPLY_DAYS = 10
"""The system's default reply time for an Art. 16(5) consultation, in the consulted state's working days.
Not law: no time limit was found in Art. 16 (unverified absence); configurable per consultation."""

REVIEW_PERIOD_YEARS = 3
"""Art. 16(2) review period (unverified [M]). The only period the references give; no shorter one was found,
so the review falls due three years after notification at the latest."""
