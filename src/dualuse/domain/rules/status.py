"""How far the rules of a rulebook are verified, area by area: what ``dualuse rules status`` prints."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from dualuse.domain.rules.rulebook import Rulebook

_CATCH_ALL = re.compile(r", Art\. [45]\(")


@dataclass(frozen=True, slots=True)
class AreaStatus:
    """One area of the rulebook: how many rules, how many verified, the ids of the unverified ones and the
    distinct sources named. ``unverified_sources`` holds, in the order of ``unverified``, what each
    unverified rule's record says about its source (the reason it is not verified, where the data gives one)."""

    area: str
    rules: int
    verified: int
    unverified: tuple[str, ...]
    sources: tuple[str, ...]
    unverified_sources: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, object]:
        """The area as JSON-ready data."""
        return {
            "area": self.area,
            "rules": self.rules,
            "verified": self.verified,
            "unverified": list(self.unverified),
            "sources": list(self.sources),
        }


def _area(
    name: str, entries: Iterable[tuple[str, bool, str]], why: Mapping[str, str] | None = None
) -> AreaStatus:
    """An area from (rule id, verified, source); ``why`` adds to an unverified rule's source what is
    missing (e.g. the elements of a sanctions regime not yet checked)."""
    listed = list(entries)
    reasons = why or {}
    return AreaStatus(
        area=name,
        rules=len(listed),
        verified=sum(1 for _, ok, _ in listed if ok),
        unverified=tuple(rule_id for rule_id, ok, _ in listed if not ok),
        sources=tuple(dict.fromkeys(source for _, _, source in listed)),
        unverified_sources=tuple(
            f"{source} ({reasons[rule_id]})" if rule_id in reasons else source
            for rule_id, ok, source in listed
            if not ok
        ),
    )


def rulebook_status(rulebook: Rulebook) -> tuple[AreaStatus, ...]:
    """Per area (Annex I and the controls of Arts. 3, 6-8, 11; general authorisations; arms embargoes;
    sanctions regimes; catch-alls of Arts. 4-5; national measures), the rules and how many are verified.
    A general authorisation or sanctions regime counts as verified only when every element is."""
    control = [r for r in rulebook.rules if not _CATCH_ALL.search(r.legal_basis[0])]
    catch_all = [r for r in rulebook.rules if _CATCH_ALL.search(r.legal_basis[0])]
    return (
        _area("Annex I (Arts. 3, 6-8, 11)", ((r.id, r.verified, r.source) for r in control)),
        _area(
            "General authorisations (Art. 12, Annex II)",
            ((g.id, g.verified, g.source) for g in rulebook.general_authorisations),
        ),
        _area(
            "Arms embargoes (Art. 2(19), 4(1)(b))",
            ((f"embargo-{e.country}", e.verified, e.source) for e in rulebook.embargoes),
        ),
        _area(
            "Sanctions regimes",
            (
                *((p.id, p.verified, p.source) for p in rulebook.sanctions),
                *((r.id, r.is_verified, r.source) for r in rulebook.regimes),
            ),
            {
                r.id: "elements not verified: " + ", ".join(r.unverified)
                for r in rulebook.regimes
                if r.unverified
            },
        ),
        _area("Catch-alls (Arts. 4, 5)", ((r.id, r.verified, r.source) for r in catch_all)),
        _area(
            "National measures (Arts. 4(3), 5(3), 9, 10)",
            (
                *((c.id, c.verified, c.source) for c in rulebook.national_controls),
                *(
                    (f"settings-{s.member_state}", s.verified, s.source)
                    for s in rulebook.member_states.values()
                ),
            ),
        ),
    )
