"""``rules status``: each unverified rule comes with what its record says about its source (the reason)."""

from __future__ import annotations

import dataclasses

from dualuse.adapters.sources.rulebook import load_rulebook
from dualuse.domain.rules.status import rulebook_status


def test_each_unverified_rule_carries_its_own_source_in_order() -> None:
    shipped = load_rulebook()
    rules = list(shipped.rules)
    first = next(i for i, r in enumerate(rules) if r.verified)
    rules[first] = dataclasses.replace(rules[first], verified=False, source="only seen in a blog [M]")
    rulebook = dataclasses.replace(shipped, rules=tuple(rules))
    for area in rulebook_status(rulebook):
        assert len(area.unverified_sources) == len(area.unverified)
    annex = rulebook_status(rulebook)[0]
    assert dict(zip(annex.unverified, annex.unverified_sources, strict=True))[rules[first].id] == (
        "only seen in a blog [M]"
    )
    assert annex.verified == rulebook_status(shipped)[0].verified - 1


def test_an_unverified_sanctions_regime_names_the_elements_not_yet_checked() -> None:
    rulebook = load_rulebook()
    regime = next(r for r in rulebook.regimes if r.unverified)
    area = next(a for a in rulebook_status(rulebook) if a.area == "Sanctions regimes")
    why = dict(zip(area.unverified, area.unverified_sources, strict=True))[regime.id]
    assert why.startswith(regime.source)
    assert why.endswith(f"(elements not verified: {', '.join(regime.unverified)})")
