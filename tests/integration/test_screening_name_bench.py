"""The must-pass pairs of nomenklatura's name benchmark, screened end to end (index and scorer).

Data: ../shared/data/screening-bench/name_bench/cases.csv, nomenklatura's ``contrib/name_bench/cases.csv``
(OpenSanctions, MIT). The pairs of quality STRONG are the ones its authors say any matcher must get right.
Every ``name2`` of the file is listed in one index (as the list a screening runs against); ``name1`` is
screened against it, and its ``name2`` must come back at the default threshold if and only if the pair is
a match. bench/screening_names.py measures precision, recall and F1 on all pairs, with logic-v2 beside.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from dualuse.domain.screening import EntitySchema, ListedEntity, ListSnapshot, ScreeningEngine, ScreeningQuery
from dualuse.domain.screening.engine import DEFAULT_THRESHOLD

pytestmark = pytest.mark.realdata

SCHEMAS = {
    "Person": EntitySchema.PERSON,
    "Company": EntitySchema.ORGANIZATION,
    "Organization": EntitySchema.ORGANIZATION,
    "LegalEntity": EntitySchema.UNKNOWN,
    "Vessel": EntitySchema.VESSEL,
}


def test_every_must_pass_pair_of_the_name_benchmark(shared_data: Path) -> None:
    with (shared_data / "screening-bench" / "name_bench" / "cases.csv").open(
        newline="", encoding="utf-8"
    ) as f:
        rows = list(csv.DictReader(f))
    ids: dict[tuple[str, str], str] = {}
    entities = []
    for row in rows:
        key = (row["schema"], row["name2"])
        if key not in ids:
            ids[key] = f"nb-{len(ids)}"
            entities.append(ListedEntity("name-bench", ids[key], SCHEMAS[row["schema"]], (row["name2"],)))
    engine = ScreeningEngine([ListSnapshot("name-bench", "1", tuple(entities))])
    strong = [row for row in rows if row["quality"] == "STRONG"]
    assert len(strong) == 47
    wrong = []
    for row in strong:
        query = ScreeningQuery(name=row["name1"], schema=SCHEMAS[row["schema"]])
        found = {m.entity.entity_id for m in engine.screen(query, threshold=DEFAULT_THRESHOLD, limit=1000)}
        expected = row["is_match"] == "true"
        if (ids[(row["schema"], row["name2"])] in found) != expected:
            wrong.append((row["name1"], row["name2"], expected))
    assert wrong == []
