"""Screening at scale: the candidate index over up to 1,000,000 synthetic listed entities, in one run.

Synthetic entities are made from the real lists' names (OFAC SDN 2024-05-03, OFAC consolidated 2018,
UN 2018 under ../shared/data/sanctions): each person joins a given name, sometimes a middle part, and a
family name drawn from the parts of real listed person names; each organisation joins two or three words
of real listed organisation names. So the vocabulary and the frequency of name parts are those of real
lists, at a volume like OpenSanctions' default collection.

For each size the bench prints: build time, memory of the index per listed name (resident memory after
the build less before it, the entities already made), queries per second on the same query set (the
best of 3 cold runs: every cache emptied before each), and the ratio to the figure at the real lists'
size (about 17,000 entities), measured in the same process with runs taking turns with those on the larger
index, so that the machine's speed, which varies from minute to minute, weighs on both alike. It then
forks worker processes on the largest index, has each run queries, and prints the memory each worker
holds on its own (private pages, from /proc/<pid>/smaps_rollup), which is what grows with the number
of workers: as it stands after the queries, and once the worker has handed the memory it freed back to
the system, as `dualuse serve --workers N` workers do every 10 s.
Per size it also prints what is left when candidate generation is taken out (`candidates_given`): the
queries/s of scoring and explaining the matches alone, and the candidates the index proposes and the scorer
keeps per query; so a reader sees how much of the slowdown is candidate generation and how much is the
larger number of names that match at that size. And per size, how many queries found the listed entity
they were made from among their 5 matches: the more names alike a list holds, the more a candidate
generation that ranks them badly loses the name itself among them.

Targets (issue 14): <= 1 KB per listed name; 1,000,000 entities built in <= 60 s; queries/s at 1,000,000
within 2x of the 17,000-entity figure; workers share one index.

Run: PYTHONPATH=src .venv/bin/python bench/screening_scale.py [--sizes 17000,100000,1000000] [--workers 2]
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from dualuse.adapters.sources.sanctions_formats import parse
from dualuse.domain.screening import (
    EntitySchema,
    ListedEntity,
    ListSnapshot,
    Match,
    ScreeningEngine,
    ScreeningQuery,
)
from dualuse.domain.screening.scoring import MAX_FACT_BONUS, name_similarity
from dualuse.entrypoints.cli.prefork import release_free_memory

THRESHOLD = 0.7
TARGET_BYTES_PER_NAME = 1024
TARGET_BUILD_S = 60.0
TARGET_SLOWDOWN = 2.0
QUERIES = 2000
#: cold runs of the queries per index, the best counted
ROUNDS = 3


def shared_data() -> Path:
    env = os.environ.get("DUALUSE_SHARED_DATA")
    return Path(env) if env else Path(__file__).resolve().parents[1] / ".." / "shared" / "data"


def found_shared_data() -> Path | None:
    """The shared data folder, or None (saying why) where its sanctions lists are not found."""
    data = shared_data()
    if (data / "sanctions").is_dir():
        return data
    print(f"shared data not found at {data} (set DUALUSE_SHARED_DATA)")
    return None


def real_lists() -> tuple[list[ListSnapshot], list[ListedEntity]] | None:
    """The real lists' snapshots (`real_snapshots`) and their entities; None (saying why) where the shared data
    is not found."""
    data = found_shared_data()
    if data is None:
        return None
    snapshots = real_snapshots(data)
    return snapshots, [e for s in snapshots for e in s.entities]


def rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def private_bytes(pid: int) -> int:
    """Private (not shared with any other process) resident memory of a process."""
    total = 0
    with open(f"/proc/{pid}/smaps_rollup") as f:
        for line in f:
            if line.startswith(("Private_Clean:", "Private_Dirty:")):
                total += int(line.split()[1]) * 1024
    return total


def real_snapshots(data: Path) -> list[ListSnapshot]:
    lists = data / "sanctions"
    return [
        parse("ofac-sdn-csv", lists / "ofac_sdn_csv_2024" / "sdn_2024-05-03.csv"),
        parse("ofac-xml", lists / "ofac_consolidated_2018" / "consolidated.xml"),
        parse("un-xml", lists / "un_2018" / "consolidated.xml"),
    ]


class Synthesiser:
    """Recombines the parts of real listed names into new names with the same part frequencies."""

    def __init__(self, entities: Sequence[ListedEntity], seed: int) -> None:
        self.rng = random.Random(seed)
        self.given: list[str] = []
        self.middle: list[str] = []
        self.family: list[str] = []
        self.words: list[str] = []
        for entity in entities:
            for name in entity.names:
                parts = name.replace(",", " ").split()
                if not parts:
                    continue
                if entity.schema == EntitySchema.PERSON:
                    if len(parts) >= 2:
                        self.given.append(parts[0])
                        self.family.append(parts[-1])
                        self.middle.extend(parts[1:-1])
                else:
                    self.words.extend(parts)

    def person(self) -> str:
        rng = self.rng
        parts = [rng.choice(self.given)]
        if self.middle and rng.random() < 0.4:
            parts.append(rng.choice(self.middle))
        parts.append(rng.choice(self.family))
        return " ".join(parts)

    def organisation(self) -> str:
        rng = self.rng
        return " ".join(rng.choice(self.words) for _ in range(rng.choice((2, 2, 3, 3, 4))))

    def entities(self, count: int) -> list[ListedEntity]:
        made: list[ListedEntity] = []
        for number in range(count):
            if self.rng.random() < 0.6:
                schema = EntitySchema.PERSON
                names = tuple(self.person() for _ in range(self.rng.choice((1, 1, 2, 3))))
            else:
                schema = EntitySchema.ORGANIZATION
                names = tuple(self.organisation() for _ in range(self.rng.choice((1, 1, 2))))
            made.append(ListedEntity("synthetic", f"s{number}", schema, names))
        return made

    def snapshot(self, count: int) -> ListSnapshot:
        """``count`` synthetic entities (`entities`) as a list of their own."""
        return ListSnapshot("synthetic", "1", tuple(self.entities(count)))


def queries(real: Sequence[ListedEntity], seed: int) -> list[ScreeningQuery]:
    """Real listed names, some with a typo: what a screening looks for."""
    return [query for query, _ in sourced_queries(real, seed)]


def sourced_queries(real: Sequence[ListedEntity], seed: int) -> list[tuple[ScreeningQuery, tuple[str, str]]]:
    """`queries`, each with the key of the listed entity it was made from."""
    rng = random.Random(seed)
    picked = rng.sample([e for e in real if e.names], QUERIES)
    made = []
    for entity in picked:
        name = rng.choice(entity.names)
        if rng.random() < 0.5 and len(name) > 6:
            i = rng.randrange(1, len(name) - 1)
            name = name[:i] + name[i + 1 :]
        made.append((ScreeningQuery(name=name, schema=entity.schema), entity.key))
    return made


def clear_caches() -> None:
    from dualuse.domain.screening import normalise, scoring

    for module in (normalise, scoring):
        for value in vars(module).values():
            if hasattr(value, "cache_clear"):
                value.cache_clear()


def measure(
    snapshots: list[ListSnapshot], query_set: Sequence[ScreeningQuery]
) -> tuple[ScreeningEngine, float, float, list[list[Match]]]:
    """Build time, index bytes per listed name, and what each query found (timed in `best_qps`)."""
    clear_caches()
    gc.collect()
    before = rss_bytes()
    started = time.perf_counter()
    engine = ScreeningEngine(snapshots)
    build = time.perf_counter() - started
    gc.collect()
    per_name = (rss_bytes() - before) / max(engine.index.name_count, 1)
    found = [engine.screen(query, threshold=THRESHOLD, limit=5) for query in cold(engine, query_set)]
    return engine, build, per_name, found


def cold(engine: ScreeningEngine, query_set: Sequence[ScreeningQuery]) -> Sequence[ScreeningQuery]:
    """The queries, once every cache they would fill is emptied: as on an index just built."""
    clear_caches()
    engine.index.forget_queries()
    return query_set


def best_qps(engines: Sequence[ScreeningEngine], query_set: Sequence[ScreeningQuery]) -> list[float]:
    """Per engine, the best cold queries/s of `ROUNDS` runs, the engines taking turns: what the machine's
    speed, varying from minute to minute, does to one it does to the others."""
    best = [0.0] * len(engines)
    for _ in range(ROUNDS):
        for number, engine in enumerate(engines):
            started = time.perf_counter()
            for query in cold(engine, query_set):
                engine.screen(query, threshold=THRESHOLD, limit=5)
            best[number] = max(best[number], len(query_set) / (time.perf_counter() - started))
    return best


def candidates_given(
    engine: ScreeningEngine, query_set: Sequence[ScreeningQuery]
) -> tuple[float, float, float]:
    """Queries/s with candidate generation taken out, and per query the candidates the index proposes and
    those the scorer keeps.

    The queries are run once to record what the index proposes for each name of a query; then again, each
    name handed only the candidates the scorer keeps (a name score of at least the threshold less the most
    the facts add) without asking the index. What the second run times is the work left after candidate
    generation, of scoring and explaining the matches themselves: how fast any candidate generation could
    make the engine on this index at best.
    """
    index = engine.index
    generate = index.candidates
    proposed: list[tuple[tuple[str, ...], bool, list[tuple[int, float]]]] = []

    def recording(tokens: tuple[str, ...], **options: Any) -> list[tuple[int, float]]:
        found = generate(tokens, **options)
        proposed.append((tokens, options.get("legal_forms", False), found))
        return found

    keep_from = THRESHOLD - MAX_FACT_BONUS
    try:
        index.candidates = recording  # type: ignore[method-assign]
        for query in query_set:
            engine.screen(query, threshold=THRESHOLD, limit=5)
        kept = []
        for tokens, legal_forms, found in proposed:
            readings = index.readings(tokens, legal_forms=legal_forms)
            kept.append(
                [
                    (name_no, bound)
                    for name_no, bound in found
                    if max(name_similarity(r, index.tokens_of(name_no), index.weight) for r in readings)
                    >= keep_from
                ]
            )
        handed = iter(kept)
        index.candidates = lambda _tokens, **_options: next(handed)  # type: ignore[method-assign]
        clear_caches()
        started = time.perf_counter()
        for query in query_set:
            engine.screen(query, threshold=THRESHOLD, limit=5)
        qps = len(query_set) / (time.perf_counter() - started)
    finally:
        del index.candidates  # the index's own method again
    count = len(query_set)
    return qps, sum(len(f) for _, _, f in proposed) / count, sum(len(k) for k in kept) / count


def figures(
    snapshots: list[ListSnapshot],
    query_set: Sequence[tuple[ScreeningQuery, tuple[str, str]]],
    worker_count: int,
    real: list[ListSnapshot] | None = None,
) -> tuple[float, ...]:
    """Names, build s, bytes per name, q/s, and with workers: own memory of the builder and of a worker
    (before and after it hands its free memory back); then q/s with the candidates given, and the candidates
    proposed and kept per query (`candidates_given`); how many queries found the listed entity they were
    made from among their 5 matches; last, the best q/s of `ROUNDS` cold runs, and with ``real`` (the real
    lists alone) that of an index of them, in runs taking turns with the first (`best_qps`)."""
    sources = [source for _, source in query_set]
    query_set = [query for query, _ in query_set]
    engine, build, per_name, found = measure(snapshots, query_set)
    sourced = sum(
        source in {m.entity.key for m in matches} for source, matches in zip(sources, found, strict=True)
    )
    parent = worker = trimmed = 0
    if worker_count:
        # as `dualuse serve --workers N` does before it forks
        gc.collect()
        release_free_memory()
        parent = private_bytes(os.getpid())
        found = workers(engine, query_set[:500], worker_count)
        worker = max(before for before, _ in found)
        trimmed = max(after for _, after in found)
    given = candidates_given(engine, query_set)
    # last, so that the other index is not counted in the memory measured above
    others = [ScreeningEngine(real)] if real else []
    qps, *base = best_qps([engine, *others], query_set)
    return (
        engine.index.name_count,
        build,
        per_name,
        qps,
        parent,
        worker,
        trimmed,
        *given,
        sourced,
        base[0] if base else qps,
    )


def in_child(task: Callable[[], tuple[float, ...]]) -> tuple[float, ...]:
    """Run a measurement in a forked process, so that each size starts from the same memory."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        try:
            os.write(write, repr(task()).encode())
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read) as handle:
        text = handle.read()
    os.waitpid(pid, 0)
    return tuple(float(x) for x in text.strip("()").split(","))


def workers(
    engine: ScreeningEngine, query_set: Sequence[ScreeningQuery], count: int
) -> list[tuple[int, int]]:
    """Fork workers on a built index; each runs the queries, then reports its private memory, and again
    once it has handed its free memory back (as a serving worker does every few seconds)."""
    gc.freeze()  # the collector's bookkeeping would otherwise write to every page it walks
    pids: list[int] = []
    readers: list[int] = []
    for _ in range(count):
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the worker
            os.close(read)
            for query in query_set:
                engine.screen(query, threshold=THRESHOLD, limit=5)
            before = private_bytes(os.getpid())
            release_free_memory()
            os.write(write, f"{before} {private_bytes(os.getpid())}".encode())
            os.close(write)
            os._exit(0)
        os.close(write)
        pids.append(pid)
        readers.append(read)
    found: list[tuple[int, int]] = []
    for pid, read in zip(pids, readers, strict=True):
        with os.fdopen(read) as handle:
            before, after = (handle.read() or "0 0").split()
            found.append((int(before), int(after)))
        os.waitpid(pid, 0)
    gc.unfreeze()
    return found


def sourced_line(sourced: float, count: int) -> str:
    return (
        f"      the listed entity a query was made from among its 5 matches: {sourced:,.0f} of {count:,} "
        "(the others crowded out by names alike, or not matched)"
    )


def given_line(qps: float, proposed: float, kept: float) -> str:
    return (
        f"      with the candidates given (scoring and explaining only): {qps:8,.0f} q/s; "
        f"candidates per query: {proposed:.1f} proposed, {kept:.1f} kept by the scorer"
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="100000,1000000", help="synthetic index sizes, comma-separated")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    lists = real_lists()
    if lists is None:
        return 2
    snapshots, real = lists
    query_set = sourced_queries(real, args.seed)
    synthesiser = Synthesiser(real, args.seed)
    print(f"real lists: {len(real)} entities; {len(query_set)} queries (real listed names, half with a typo)")
    base = in_child(lambda: figures(snapshots, query_set, 0))
    _, build, per_name, base_qps, _, _, _, base_given, proposed, kept, sourced, _ = base
    print(
        f"  real lists ({len(real):>9,} entities): built {build:6.2f} s, {per_name:7.0f} B/name, {base_qps:8,.0f} q/s"
    )
    print(given_line(base_given, proposed, kept))
    print(sourced_line(sourced, len(query_set)))
    sizes = [int(s) for s in args.sizes.split(",")]
    results = []
    for number, size in enumerate(sizes):
        last = number == len(sizes) - 1

        def run(size: int = size, last: bool = last) -> tuple[float, ...]:
            made = synthesiser.snapshot(size - len(real))
            return figures([*snapshots, made], query_set, args.workers if last else 0, snapshots)

        result = in_child(run)
        names, build, per_name, qps, parent, worker, trimmed, given, proposed, kept, sourced, real_qps = (
            result
        )
        results.append(result)
        print(
            f"  synthetic ({size:>9,} entities, {names:,.0f} names): built {build:6.2f} s, {per_name:7.0f} B/name, "
            f"{qps:8,.0f} q/s against {real_qps:,.0f} q/s on the real lists in turns with it: "
            f"{real_qps / qps:.2f}x slower"
        )
        print(given_line(given, proposed, kept))
        print(sourced_line(sourced, len(query_set)))
    _, build, per_name, qps, parent, worker, trimmed, given, _, _, _, real_qps = results[-1]
    size = sizes[-1]
    print(
        f"  {args.workers} forked workers on the largest index (the process that built it holds "
        f"{parent / 2**20:,.0f} MB of its own): after 500 queries the busiest worker holds "
        f"{worker / 2**20:,.0f} MB of its own, {trimmed / 2**20:,.0f} MB once it has handed its free memory "
        "back"
    )
    checks = [
        (
            f"memory {per_name:.0f} B per listed name <= {TARGET_BYTES_PER_NAME}",
            per_name <= TARGET_BYTES_PER_NAME,
        ),
        (f"{size:,} entities built in {build:.1f} s <= {TARGET_BUILD_S:.0f} s", build <= TARGET_BUILD_S),
        (
            f"queries {real_qps / qps:.2f}x slower at {size:,} than at {len(real):,} <= {TARGET_SLOWDOWN}x",
            real_qps / qps <= TARGET_SLOWDOWN,
        ),
        (
            f"a worker's own memory {trimmed / 2**20:,.0f} MB is under a tenth of the index's "
            f"{parent / 2**20:,.0f} MB",
            trimmed * 10 < parent,
        ),
    ]
    print(
        f"  (at {size:,}, with candidate generation taken out, queries would run at {given:,.0f} q/s, against "
        f"{real_qps:,.0f} q/s on the real lists with it: {real_qps / given:.2f}x; the rest of the slowdown is "
        "candidate generation)"
    )
    print("targets:")
    for text, ok in checks:
        print(f"  {'PASS' if ok else 'FAIL'}  {text}")
    return 0 if all(ok for _, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
