"""Candidate generation against the scorer itself: what screening misses that scoring every listed name finds.

Screening scores only the candidates the index proposes (names whose bound reaches a floor, the best
40 of them). This bench checks that choice the slow way on the real lists (OFAC SDN 2024-05-03, OFAC
consolidated 2018, UN 2018 under ../shared/data/sanctions, about 17,000 entities): for each query it
scores every listed name with the scorer the engine uses (every reading of the query, the best name of
each entity, the facts, schemata that cannot match left out) and compares the entities at or above the
threshold with what `ScreeningEngine.screen` returns.

Queries: those of `bench/screening_scale.py` (real listed names, half with a letter dropped).

Printed: the true matches (scoring every name), those screening returns, the recall of screening, and
each match it misses with why: the name was cut by the candidate limit, or its bound fell below the floor
(or no query part reached it); and how the scorer reached its score: by aligning parts, or by comparing the
names written together (a route the index models only through parts joined or cut apart).

Run: PYTHONPATH=src .venv/bin/python bench/screening_recall.py [--queries 200] [--show 40]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter

from screening_scale import queries, real_lists

from dualuse.domain.screening import ScreeningEngine
from dualuse.domain.screening.engine import _INCOMPATIBLE
from dualuse.domain.screening.normalise import may_be_organisation
from dualuse.domain.screening.scoring import MAX_FACT_BONUS, explain_name, name_similarity, score_entity

THRESHOLD = 0.7
WRITTEN_TOGETHER = "parts joined or split differently"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--queries", type=int, default=200, help="how many of the queries (2,000 at most)")
    parser.add_argument("--show", type=int, default=40, help="misses listed")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    lists = real_lists()
    if lists is None:
        return 2
    snapshots, real = lists
    engine = ScreeningEngine(snapshots)
    index = engine.index
    listed_tokens = [index.tokens_of(n) for n in range(index.name_count)]
    started = time.perf_counter()
    true_matches = returned = 0
    misses: list[tuple[str, str, float, str, str]] = []
    for query in queries(real, args.seed)[: args.queries]:
        found = {m.entity.key for m in engine.screen(query, threshold=THRESHOLD, limit=10_000)}
        prepared = engine.prepare(query)
        readings = index.readings(prepared.form.tokens, legal_forms=may_be_organisation(query.schema))
        incompatible = _INCOMPATIBLE.get(query.schema, set()) if query.schema else set()
        # every listed name scored: the best name of each entity
        best: dict[int, tuple[float, int]] = {}
        scored: dict[tuple[str, ...], float] = {}
        for name_no, tokens in enumerate(listed_tokens):
            score = scored.get(tokens)
            if score is None:
                score = scored[tokens] = max(name_similarity(r, tokens, index.weight) for r in readings)
            entity_no = index.entity_of(name_no)
            if entity_no not in best or score > best[entity_no][0]:
                best[entity_no] = (score, name_no)
        proposed: dict[int, float] | None = None
        for entity_no, (name_score, name_no) in best.items():
            if name_score + MAX_FACT_BONUS < THRESHOLD or index.schema_of(entity_no) in incompatible:
                continue
            entity = index.entities[entity_no]
            score, _ = score_entity(prepared, entity, name_score, "", index.entity_identifiers[entity_no])
            if score < THRESHOLD:
                continue
            true_matches += 1
            if entity.key in found:
                returned += 1
                continue
            if proposed is None:  # every name above the floor, no candidate limit
                floor = THRESHOLD - MAX_FACT_BONUS
                proposed = dict(
                    index.candidates(
                        prepared.form.tokens,
                        limit=10**9,
                        floor=floor,
                        legal_forms=may_be_organisation(query.schema),
                    )
                )
            why = "cut by the candidate limit" if name_no in proposed else "bound below the floor"
            route = max(
                (explain_name(r, listed_tokens[name_no], index.weight) for r in readings), key=lambda x: x[0]
            )[1]
            how = "written together" if route == WRITTEN_TOGETHER else "parts aligned"
            misses.append((query.name, index.name_as_listed(name_no, entity), round(score, 4), why, how))
    elapsed = time.perf_counter() - started
    recall = returned / true_matches if true_matches else 1.0
    print(
        f"{args.queries} queries against {len(real):,} listed entities ({index.name_count:,} names), "
        f"every name scored, in {elapsed:.0f} s"
    )
    print(
        f"  matches at or above {THRESHOLD}: {true_matches} scoring every name, {returned} returned by "
        f"screening: recall {recall:.3f}"
    )
    for (why, how), count in sorted(Counter((m[3], m[4]) for m in misses).items()):
        print(f"  missed: {count:3d}  {why}; scored by {how}")
    for query_name, listed_name, score, why, how in misses[: args.show]:
        print(f"    {score:.2f}  {query_name!r} / {listed_name!r}  ({why}; {how})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
