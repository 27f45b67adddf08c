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
