"""Candidate generation prunes: does it lose a name that looking at every listed name would keep?

The index proposes the names whose bound reaches a floor without looking at most listed names (MaxScore,
sets of lookups intersected as bitmaps, names weighed, names left before their last lookups). This bench
checks that on real queries at several floors: for each query of `bench/screening_scale.py` (real listed
names, half with a letter dropped) and each floor, the names `CandidateIndex.candidates` proposes (one
reading of the query, no limit) against every listed name's bound (`CandidateIndex.unpruned_bounds`). A
higher threshold than the default asks for a higher floor (threshold less what the facts could add), so
floors up to 0.89 (threshold 1) are checked.

On the real lists (OFAC SDN 2024-05-03, OFAC consolidated 2018, UN 2018 under ../shared/data/sanctions,
about 17,000 entities) each name is looked at one by one; with ``--size``, on that many entities made as
`bench/screening_scale.py` makes them, all at once on arrays.

Printed per floor: the names the unpruned search keeps, and those the pruned one misses (with the first few).
Exit status 1 if any is missed.

Run: PYTHONPATH=src:bench .venv/bin/python bench/screening_pruning.py [--queries 2000] [--size 1000000]
       [--floors 0.3,0.49,0.59,0.66,0.75,0.89] [--seed 7]
"""

from __future__ import annotations

import argparse
import sys
import time

from screening_scale import Synthesiser, queries, real_lists

from dualuse.domain.screening import ScreeningEngine

#: bounds within this of the floor are a rounding error apart between the two ways of working them out
_ROUNDING = 1e-9


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--size", type=int, default=0, help="entities in all, synthetic ones added")
    parser.add_argument("--floors", default="0.3,0.49,0.59,0.66,0.75,0.89")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    lists = real_lists()
    if lists is None:
        return 2
    snapshots, real = lists
    query_set = queries(real, args.seed)[: args.queries]
    if args.size > len(real):
        snapshots = [*snapshots, Synthesiser(real, args.seed).snapshot(args.size - len(real))]
    engine = ScreeningEngine(snapshots)
    index = engine.index
    on_arrays = args.size > len(real)
    floors = [float(f) for f in args.floors.split(",")]
    kept = dict.fromkeys(floors, 0)
    missed: dict[float, list[str]] = {floor: [] for floor in floors}
    started = time.perf_counter()
    for query in query_set:
        tokens = engine.prepare(query).form.tokens
        if not tokens:
            continue
        for floor in floors:
            proposed = dict(index.candidates(tokens, limit=len(index.names) + 1, floor=floor))
            unpruned = index.unpruned_bounds(tokens, floor, on_arrays=on_arrays)
            for name_no, bound in unpruned.items():
                if bound <= 0.0 or bound < floor + _ROUNDING:
                    continue
                kept[floor] += 1
                if proposed.get(name_no, -1.0) < bound - _ROUNDING:
                    missed[floor].append(
                        f"{' '.join(tokens)} / {' '.join(index.tokens_of(name_no))} ({bound:.3f})"
                    )
    print(
        f"{len(query_set):,} queries on {len(index.entities):,} entities ({len(index.names):,} names), "
        f"{time.perf_counter() - started:.0f} s:"
    )
    for floor in floors:
        print(
            f"  floor {floor:.2f}: {kept[floor]:,} names kept by the unpruned search, {len(missed[floor])} missed"
        )
        for line in missed[floor][:5]:
            print(f"      missed: {line}")
    return 1 if any(missed.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
