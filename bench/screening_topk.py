"""How much could candidate generation gain by knowing each query's 40th-best bound before it starts?

The engine scores the 40 names of best bound per name of a query (`ScreeningEngine`, ``candidates``), and
the index proposes them by finding every name whose bound reaches the floor, then keeping the best 40. A
retrieval that found the best 40 without bounding every name above the floor (raising the floor to the
40th-best bound as it goes, as top-k search engines do) could at best do as well as one told that bound in
advance. This bench measures that best case: for each query of `bench/screening_scale.py`, the candidates
are first found as the engine asks for them; then the same queries are timed cold with the plain floor and
with the floor raised to the 40th-best bound (less a rounding error) wherever 40 names reached it, and the
candidates compared (they must be the same). It prints per index (the real lists, and as many entities as
``--size``, made as `bench/screening_scale.py` makes them) the best of 4 cold runs of each, taking turns
(each going first in every other round, the garbage collector kept out of the timing). On the real lists
the floor rises for a few dozen queries only: what their figures differ by is the machine's noise.

So it says how far an exact top-k retrieval could bring query speed at 1,000,000 entities towards the 2x of
the 17,000-entity figure that issue 14 asks for: candidate generation is one part of a query's time, the
scoring of the candidates found the other.

Run: PYTHONPATH=src:bench .venv/bin/python bench/screening_topk.py [--size 1000000] [--seed 7]
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from collections.abc import Sequence

from screening_scale import THRESHOLD, Synthesiser, clear_caches, queries, real_lists

from dualuse.domain.screening import ScreeningEngine, ScreeningQuery
from dualuse.domain.screening.normalise import may_be_organisation
from dualuse.domain.screening.scoring import MAX_FACT_BONUS

#: the candidates the engine asks for per name of a query at the default limit of 5 matches
CANDIDATES = 40
#: the floor the engine asks candidates from at the bench's threshold, where the query gives no facts
FLOOR = THRESHOLD - MAX_FACT_BONUS
ROUNDS = 4
#: bounds worked out on arrays and one name at a time differ by a rounding error
_ROUNDING = 1e-9

#: a query's tokens, whether it may be an organisation's name, and its floor raised in advance
Work = tuple[tuple[str, ...], bool, float]


def oracle_floors(
    engine: ScreeningEngine, query_set: Sequence[ScreeningQuery]
) -> tuple[list[Work], list[dict[int, float]]]:
    """Per query, its floor raised to the 40th-best bound (where 40 names reach the floor), and the
    candidates found with the plain floor."""
    index = engine.index
    work: list[Work] = []
    found: list[dict[int, float]] = []
    for query in query_set:
        tokens = engine.prepare(query).form.tokens
        if not tokens:
            continue
        legal_forms = may_be_organisation(query.schema)
        best = index.candidates(tokens, limit=CANDIDATES, floor=FLOOR, legal_forms=legal_forms)
        # names are ranked by their bound capped at 1 (`CandidateIndex._best`)
        raised = min(min(bound, 1.0) for _, bound in best) - _ROUNDING if len(best) >= CANDIDATES else FLOOR
        work.append((tokens, legal_forms, max(FLOOR, raised)))
        found.append(dict(best))
    return work, found


def timed(
    engine: ScreeningEngine, work: Sequence[Work], oracle: bool
) -> tuple[float, list[dict[int, float]]]:
    """Milliseconds per query of candidate generation, cold, and the candidates found."""
    index = engine.index
    clear_caches()
    index.forget_queries()
    # the collector, which the other run's garbage would set off at other moments, is kept out of the timing
    gc.collect()
    gc.disable()
    try:
        started = time.perf_counter()
        found = [
            index.candidates(
                tokens, limit=CANDIDATES, floor=raised if oracle else FLOOR, legal_forms=legal_forms
            )
            for tokens, legal_forms, raised in work
        ]
        elapsed = (time.perf_counter() - started) * 1000 / len(work)
    finally:
        gc.enable()
    return elapsed, [dict(f) for f in found]


def same(found: dict[int, float], plain: dict[int, float]) -> bool:
    return found.keys() == plain.keys() and all(abs(found[n] - plain[n]) < _ROUNDING for n in found)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", type=int, default=1_000_000, help="entities in all, synthetic ones added")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    lists = real_lists()
    if lists is None:
        return 2
    snapshots, real = lists
    query_set = queries(real, args.seed)
    made = Synthesiser(real, args.seed).snapshot(max(args.size - len(real), 0))
    indexes = [
        (f"real lists ({len(real):,} entities)", ScreeningEngine(snapshots)),
        (
            f"{args.size:,} entities",
            ScreeningEngine([*snapshots, made]),
        ),
    ]
    failed = False
    for label, engine in indexes:
        work, plain = oracle_floors(engine, query_set)
        best = {False: float("inf"), True: float("inf")}
        differing = 0
        for round_no in range(ROUNDS):
            # each goes first in turn: a run after another may find the machine warmer
            for oracle in (False, True) if round_no % 2 == 0 else (True, False):
                elapsed, found = timed(engine, work, oracle)
                best[oracle] = min(best[oracle], elapsed)
                if oracle:
                    differing = max(differing, sum(not same(f, p) for f, p in zip(found, plain, strict=True)))
        rising = sum(raised > FLOOR for _, _, raised in work)
        print(
            f"  {label}: candidate generation {best[False]:.3f} ms/query; with each query's 40th-best bound "
            f"known in advance {best[True]:.3f} ms/query ({best[True] / best[False] - 1:+.0%}; floor raised "
            f"for {rising:,} of {len(work):,} queries; candidates differing in a run: {differing})"
        )
        failed = failed or differing > 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
