"""What binds a determination from outside the transaction's own facts: a requirement the Union published for
essentially identical transactions (Art. 5(1) with Art. 5(6) [M: paragraph number unverified]) and an
authority's notice to the exporter that an authorisation is required (Arts. 4(1), 5(1), 6(1), 7, 8(1)).

A ``Binding`` says which transactions it covers, which facts the engine is to be given for them (the
exporter counts as *informed*: ``Knowledge`` and, for Art. 5, a non-listed cyber-surveillance item), and the
floor it puts under the answer: at least ``licence_required``, on its article, citing it. The engine is not
changed: the facts carry the binding in, ``bind_item`` makes sure the answer says so.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from dualuse.domain.duediligence.art5 import normalise_end_user, normalise_item
from dualuse.domain.rules.engine import INDIVIDUAL_AUTHORISATION_CODE, ItemDetermination
from dualuse.domain.rules.facts import Activity, Knowledge, OrderItem, TransactionFacts
from dualuse.domain.rules.outcome import Outcome
from dualuse.domain.screening.pairwise import same_party

REGULATION = "Regulation (EU) 2021/821"
ART_5_1 = f"{REGULATION}, Art. 5(1)"
ART_5_6 = f"{REGULATION}, Art. 5(6)"


@dataclass(frozen=True, slots=True)
class Binding:
    """One requirement that an authorisation is needed, for the transactions it covers.

    ``destination``, ``end_user`` (a normalised name, ``normalise_end_user``), ``item`` (a normalised
    description, ``normalise_item``) and ``control_code`` narrow what it covers; None covers any.
    ``listed_items=False`` covers only items not listed in Annex I (Art. 5 is about non-listed items)."""

    id: str
    legal_basis: str
    """The article under which the authorisation is required (``Regulation (EU) 2021/821, Art. 5(1)``)."""
    citation: str
    """What made it binding: the Union-wide publication, or the authority's notice by number and date."""
    explanation: str
    informed: frozenset[Knowledge] = frozenset()
    cyber_surveillance: bool = False
    activities: frozenset[Activity] = frozenset({Activity.EXPORT})
    destination: str | None = None
    end_user: str | None = None
    item: str | None = None
    control_code: str | None = None
    listed_items: bool = True

    def covers(self, facts: TransactionFacts, item: OrderItem) -> bool:
        """True if the transaction and the item are within the binding's scope."""
        if facts.activity not in self.activities:
            return False
        if not self.listed_items and item.listed:
            return False
        if self.destination is not None and self.destination not in {
            facts.destination,
            facts.end_user_country,
        }:
            return False
        if self.end_user is not None:
            name = facts.end_user.name if facts.end_user is not None else ""
            # the same end-user by the screening engine's name matching, not the same string (Art. 2(22))
            if not name or not same_party(name, self.end_user):
                return False
        if self.item is not None and (not item.description or normalise_item(item.description) != self.item):
            return False
        return self.control_code is None or item.control_code == self.control_code


def union_requirement(
    requirement_id: int, *, destination: str, end_user: str, item: str, imposing_state: str
) -> Binding:
    """A requirement published for the whole Union after all member states agreed (Art. 5(6) [M]): an
    exporter of an essentially identical transaction — same destination, end-user and non-listed item
    (Art. 2(22) [M]) — counts as informed (Art. 5(1))."""
    return Binding(
        id=f"art5-requirement-{requirement_id}",
        legal_basis=ART_5_1,
        citation=ART_5_6,
        explanation=(
            "An authorisation requirement for an essentially identical transaction was published for the whole "
            f"Union after all member states agreed (imposed by {imposing_state}; Art. 5(6) [paragraph number "
            "unverified]): you count as informed under Art. 5(1)."
        ),
        informed=frozenset({Knowledge.INTERNAL_REPRESSION}),
        cyber_surveillance=True,
        destination=destination.upper(),
        end_user=normalise_end_user(end_user),
        item=normalise_item(item),
        listed_items=False,
    )


def bound_facts(facts: TransactionFacts, bindings: Iterable[Binding]) -> TransactionFacts:
    """The facts as the engine is to see them under ``bindings``: informed of their uses, and each non-listed
    item a cyber-surveillance item where an Art. 5 binding says so."""
    chosen = tuple(bindings)
    if not chosen:
        return facts
    informed = facts.informed.union(*(b.informed for b in chosen))
    cyber = any(b.cyber_surveillance for b in chosen)
    items = tuple(
        dataclasses.replace(item, cyber_surveillance=True) if cyber and not item.listed else item
        for item in facts.items
    )
    return dataclasses.replace(facts, informed=informed, items=items)


def bind_item(
    determination: ItemDetermination, bindings: Sequence[Binding], activity: Activity
) -> ItemDetermination:
    """An item's answer with ``bindings`` applied: at least ``licence_required`` (a general authorisation is
    no longer offered: the authority required an authorisation of this exporter), on each binding's article,
    citing it."""
    if not bindings:
        return determination
    outcome = determination.outcome
    general = determination.general_authorisations
    customs = determination.customs_codes
    if Outcome.LICENCE_REQUIRED.is_more_restrictive_than(outcome):
        outcome = Outcome.LICENCE_REQUIRED
        general = ()
        customs = (INDIVIDUAL_AUTHORISATION_CODE,) if activity is Activity.EXPORT else ()
    legal_basis = tuple(
        dict.fromkeys(
            (*determination.legal_basis, *(x for b in bindings for x in (b.legal_basis, b.citation)))
        )
    )
    explanation = " ".join([determination.explanation, *(b.explanation for b in bindings)]).strip()
    summary = " ".join(
        [determination.summary, *(f"Bound by {b.citation}: authorisation required." for b in bindings)]
    ).strip()
    return dataclasses.replace(
        determination,
        outcome=outcome,
        general_authorisations=general,
        customs_codes=customs,
        legal_basis=legal_basis,
        explanation=explanation,
        summary=summary,
        rules_applied=(*determination.rules_applied, *(b.id for b in bindings)),
    )
