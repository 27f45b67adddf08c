"""Name-matching quality: our engine against nomenklatura's logic-v2 on nomenklatura's name benchmark, in one run.

Data: ../shared/data/screening-bench/name_bench/cases.csv, the 826 labelled name pairs of nomenklatura's
``contrib/name_bench/cases.csv`` (OpenSanctions, MIT). ``name2`` is the listed name, ``name1`` the query.

Ours is measured end to end, as a screening would run: every distinct ``name2`` becomes a listed entity
of the pair's schema in one index, each ``name1`` is screened against that index, and a pair is
predicted a match when its ``name2`` entity comes back at or above the threshold. So a pair our scorer
would accept but candidate generation never proposes counts as a miss. logic-v2 scores each pair
directly (it has no candidate generation of its own), at the same threshold.

Printed: precision, recall and F1 of both, the must-pass pairs (quality STRONG) each fails, and the
misses of ours split into "not proposed" and "scored below the threshold".

Run: PYTHONPATH=src .venv/bin/python bench/screening_names.py [--threshold 0.7] [--show-misses]
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from dualuse.domain.screening import EntitySchema, ListedEntity, ListSnapshot, ScreeningEngine, ScreeningQuery
from dualuse.domain.screening.scoring import name_similarity

THRESHOLD = 0.7
SOURCE = "nomenklatura contrib/name_bench/cases.csv (OpenSanctions, MIT)"

SCHEMAS = {
    "Person": EntitySchema.PERSON,
    "Company": EntitySchema.ORGANIZATION,
    "Organization": EntitySchema.ORGANIZATION,
    "LegalEntity": EntitySchema.UNKNOWN,
    "Vessel": EntitySchema.VESSEL,
}


def cases_path() -> Path:
    env = os.environ.get("DUALUSE_SHARED_DATA")
    data = Path(env) if env else Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
    return data / "screening-bench" / "name_bench" / "cases.csv"


@dataclass(frozen=True)
class Pair:
    group: str
    schema: str
    query: str
    listed: str
    is_match: bool
    quality: str


def read_pairs(path: Path) -> list[Pair]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [
            Pair(
                row["case_group"],
                row["schema"],
                row["name1"],
                row["name2"],
                row["is_match"].strip().lower() == "true",
                row["quality"],
            )
            for row in csv.DictReader(handle)
        ]


def listed_key(pair: Pair) -> tuple[str, str]:
    return (pair.schema, pair.listed)


def build_engine(pairs: list[Pair]) -> tuple[ScreeningEngine, dict[tuple[str, str], str]]:
    ids: dict[tuple[str, str], str] = {}
    entities: list[ListedEntity] = []
    for pair in pairs:
        key = listed_key(pair)
        if key not in ids:
            ids[key] = f"nb-{len(ids)}"
            entities.append(ListedEntity("name-bench", ids[key], SCHEMAS[pair.schema], (pair.listed,)))
    snapshot = ListSnapshot("name-bench", "1", tuple(entities))
    return ScreeningEngine([snapshot]), ids


def ours(pairs: list[Pair], threshold: float) -> tuple[list[bool], list[str]]:
    """Predictions of our engine, and per pair why a true match was missed ("" if not missed)."""
    engine, ids = build_engine(pairs)
    predictions: list[bool] = []
    why: list[str] = []
    index = engine.index
    for pair in pairs:
        query = ScreeningQuery(name=pair.query, schema=SCHEMAS[pair.schema])
        matches = engine.screen(query, threshold=threshold, limit=1000)
        wanted = ids[listed_key(pair)]
        found = any(m.entity.entity_id == wanted for m in matches)
        predictions.append(found)
        reason = ""
        if pair.is_match and not found:
            prepared = engine.prepare(query)
            listed_form = engine.prepare(ScreeningQuery(name=pair.listed, schema=SCHEMAS[pair.schema])).form
            direct = name_similarity(prepared.form.tokens, listed_form.tokens, index.weight)
            reason = "not proposed" if direct >= threshold else f"scored {direct:.2f}"
        why.append(reason)
    return predictions, why


def logic_v2(pairs: list[Pair], threshold: float) -> list[bool]:
    from followthemoney import model
    from nomenklatura.matching import LogicV2

    config = LogicV2.default_config()
    predictions: list[bool] = []
    for number, pair in enumerate(pairs):
        schema = "LegalEntity" if pair.schema == "LegalEntity" else pair.schema
        query = model.make_entity(schema)
        query.id = f"q{number}"
        query.add("name", pair.query)
        listed = model.make_entity(schema)
        listed.id = f"l{number}"
        listed.add("name", pair.listed)
        predictions.append(LogicV2.compare(query, listed, config).score >= threshold)
    return predictions


def figures(pairs: list[Pair], predictions: list[bool]) -> tuple[float, float, float]:
    tp = sum(p.is_match and y for p, y in zip(pairs, predictions, strict=True))
    fp = sum(not p.is_match and y for p, y in zip(pairs, predictions, strict=True))
    fn = sum(p.is_match and not y for p, y in zip(pairs, predictions, strict=True))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--threshold", type=float, default=THRESHOLD)
    parser.add_argument("--show-misses", action="store_true", help="list every pair ours gets wrong")
    args = parser.parse_args()
    return run(args.threshold, show_misses=args.show_misses)


def run(threshold: float = THRESHOLD, *, show_misses: bool = False) -> int:
    """Print both matchers' figures; 0 if ours has the higher F1, 1 if not, 2 without the data."""
    path = cases_path()
    if not path.is_file():
        print(f"name benchmark not found at {path} (set DUALUSE_SHARED_DATA)")
        return 2
    pairs = read_pairs(path)
    print(f"name benchmark: {len(pairs)} pairs ({sum(p.is_match for p in pairs)} matches) from {SOURCE}")
    ours_pred, why = ours(pairs, threshold)
    logic_pred = logic_v2(pairs, threshold)
    results = {}
    for label, predictions in (("ours (index + scorer)", ours_pred), ("nomenklatura logic-v2", logic_pred)):
        precision, recall, f1 = figures(pairs, predictions)
        results[label] = f1
        must = [
            p for p, y in zip(pairs, predictions, strict=True) if p.quality == "STRONG" and y != p.is_match
        ]
        strong = sum(p.quality == "STRONG" for p in pairs)
        print(
            f"  {label:24s} P {precision:.3f}  R {recall:.3f}  F1 {f1:.3f}  "
            f"must-pass {strong - len(must)}/{strong}  (threshold {threshold})"
        )
        for p in must:
            print(f"      must-pass fails: {p.query!r} / {p.listed!r} (match={p.is_match})")
    not_proposed = sum(w == "not proposed" for w in why)
    below = sum(w.startswith("scored") for w in why)
    print(
        f"  our misses: {not_proposed} not proposed by candidate generation, {below} scored below the threshold"
    )
    if show_misses:
        for p, y, w in zip(pairs, ours_pred, why, strict=True):
            if y != p.is_match:
                kind = f"FN {w}" if p.is_match else "FP"
                print(f"    {kind:18s} {p.schema:12s} {p.query!r} / {p.listed!r}")
    ahead = results["ours (index + scorer)"] > results["nomenklatura logic-v2"]
    print(f"  {'PASS' if ahead else 'FAIL'}  our F1 above logic-v2's in the same run")
    return 0 if ahead else 1


if __name__ == "__main__":
    sys.exit(main())
