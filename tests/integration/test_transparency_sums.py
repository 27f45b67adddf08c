"""The database's sums (one pass with GROUPING SETS on PostgreSQL, one query per table on SQLite) equal a plain
sum in Python over the same decision lines: per exporter, then per cell (the exporters and the largest one's
value included, which the confidentiality rule reads)."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date
from decimal import Decimal

from dualuse.adapters.db import tables as t
from dualuse.bootstrap import Container
from dualuse.domain.transparency import Cell
from dualuse.services.transparency import annual_report

STATES = ["DE", "FR", "NL"]
CODES = ["5A002.a", "5A001.f.1", "1C350.a", "3A001.a"]
CYBER = {"5A001.f.1"}
GRANTED = {"granted", "partially_granted"}


def lines(seed: int, cases: int) -> list[dict[str, object]]:
    rng = random.Random(seed)
    out: list[dict[str, object]] = []
    for case_id in range(1, cases + 1):
        exporter = rng.randint(1, 12)
        state = STATES[exporter % len(STATES)]  # an exporter is established in one state
        kind = rng.choice(["individual", "global", "brokering"])
        outcome = rng.choice(["granted", "granted", "partially_granted", "denied"])
        destination = rng.choice(["US", "CN", "EG", "IN"])
        seen: set[str] = set()
        for line in range(1, rng.randint(1, 3) + 1):
            code = rng.choice(CODES)
            category = code[0]
            out.append(
                {
                    "case_id": case_id,
                    "line": line,
                    "member_state": state,
                    "year": 2025,
                    "decided_on": date(2025, 6, 1),
                    "organisation_id": exporter,
                    "application_type": kind,
                    "outcome": outcome,
                    "control_code": code,
                    "category": category,
                    "destination": destination,
                    "case_count": 1 if line == 1 else 0,
                    "category_count": 0 if category in seen else 1,
                    "value_cents": rng.randint(0, 10**7),
                }
            )
            seen.add(category)
    return out


def by_hand(rows: list[dict[str, object]]) -> dict[tuple[str, str, str], Cell]:
    """Per exporter: the cases (each once) and the value of their lines, per table, state and column."""
    cases: dict[tuple[str, str, str, int], set[int]] = defaultdict(set)
    cents: dict[tuple[str, str, str, int], int] = defaultdict(int)
    for r in rows:
        state, org, outcome = str(r["member_state"]), int(str(r["organisation_id"])), str(r["outcome"])
        keys = [("decisions", outcome)]
        if outcome in GRANTED:
            keys += [
                ("licence_types", str(r["application_type"])),
                ("destinations", str(r["destination"])),
                ("categories", str(r["category"])),
            ]
        if outcome == "denied":
            keys.append(("denials", str(r["destination"])))
        if r["control_code"] in CYBER:
            keys += [("cyber_decisions", outcome), ("cyber_destinations", str(r["destination"]))]
        for table, column in keys:
            cases[(table, state, column, org)].add(int(str(r["case_id"])))
            cents[(table, state, column, org)] += int(str(r["value_cents"]))
    cells: dict[tuple[str, str, str], Cell] = {}
    for key, found in cases.items():
        value = Decimal(cents[key]) / 100
        cell = Cell(len(found), value, 1, value)
        cells[key[:3]] = cells.get(key[:3], Cell()) + cell
    return cells


def test_the_databases_sums_equal_a_sum_by_hand(container: Container) -> None:
    rows = lines(seed=15, cases=400)
    with container.uow() as uow:
        uow.execute(t.transparency_decisions.insert().values(rows))
        uow.commit()
    with container.uow() as uow:
        report = annual_report.compute(uow, 2025, lambda code: code in CYBER)
    expected = by_hand(rows)
    assert expected
    for (table, state, column), cell in expected.items():
        assert report.table(table).cell(state, column) == cell, (table, state, column)
    computed = {
        (key, r, c)
        for key in {k[0] for k in expected}
        for (r, c), cell in report.table(key).cells.items()
        if not cell.empty
    }
    assert computed == set(expected)
