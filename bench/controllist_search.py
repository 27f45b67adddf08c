"""Benchmark: control list search against a naive rapidfuzz scan, measured in the same run.

Targets: p95 ≤ 5 ms per query over the whole list, and ≥ 20× faster than scoring every entry
(code + title + summary) with rapidfuzz for every query.

    .venv/bin/python bench/controllist_search.py [--data DIR] [--version 2025-11] [--queries 1000]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from rapidfuzz import fuzz, process, utils

from dualuse.adapters.sources.annex_i import load_history, load_synonyms
from dualuse.domain.controllist import ControlEntry
from dualuse.domain.controllist.search import SearchIndex
from dualuse.domain.controllist.text import words

P95_TARGET_MS = 5.0
SPEEDUP_TARGET = 20.0


def typo(word: str, rng: random.Random) -> str:
    """One random edit: a swap, a dropped letter, a doubled letter or a wrong letter."""
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    edit = rng.choice(("swap", "drop", "double", "replace"))
    if edit == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if edit == "drop":
        return word[:i] + word[i + 1 :]
    if edit == "double":
        return word[:i] + word[i] + word[i:]
    return word[:i] + rng.choice("abcdefghijklmnopqrstuvwxyz") + word[i + 1 :]


def make_queries(
    entries: Sequence[ControlEntry], synonyms: dict[str, list[str]], count: int, seed: int
) -> list[str]:
    """Seeded queries: titles with typos, synonyms, code fragments and plain words."""
    rng = random.Random(seed)
    vocabulary = sorted({w for e in entries for w in words(f"{e.title} {e.summary}") if w.isalpha()})
    phrases = sorted(synonyms) or ["encryption"]
    queries: list[str] = []
    for _ in range(count):
        kind = rng.random()
        entry = rng.choice(entries)
        if kind < 0.3:
            title_words = entry.title.split()
            start = rng.randrange(len(title_words))
            chosen = title_words[start : start + rng.randint(2, 5)]
            queries.append(" ".join(typo(w, rng) if rng.random() < 0.3 else w for w in chosen))
        elif kind < 0.5:
            phrase = rng.choice(phrases)
            queries.append(" ".join(typo(w, rng) if rng.random() < 0.2 else w for w in phrase.split()))
        elif kind < 0.7:
            code = str(entry.code)
            forms = (code, code.lower().replace(".", ""), code.replace(".", " "), code[: rng.randint(3, 5)])
            queries.append(rng.choice(forms))
        else:
            queries.append(" ".join(rng.sample(vocabulary, rng.randint(1, 4))))
    return queries


def time_each(search: Callable[[str], object], queries: Sequence[str]) -> list[float]:
    """Milliseconds per query."""
    for query in queries[:20]:  # warm up
        search(query)
    timings: list[float] = []
    for query in queries:
        start = time.perf_counter_ns()
        search(query)
        timings.append((time.perf_counter_ns() - start) / 1e6)
    return timings


def percentile(values: Sequence[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--data", type=Path, default=None, help="control list data directory (default: shipped)"
    )
    parser.add_argument("--version", default="2025-11")
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=821)
    args = parser.parse_args(argv)

    start = time.perf_counter()
    history = load_history(args.data)
    control_list = history.get_version(args.version)
    synonyms_path = args.data / "synonyms.yaml" if args.data else None
    synonyms = load_synonyms(synonyms_path) if synonyms_path is None or synonyms_path.exists() else {}
    load_seconds = time.perf_counter() - start
    entries = list(control_list)

    start = time.perf_counter()
    index = SearchIndex.build(entries, synonyms)
    build_seconds = time.perf_counter() - start
    print(f"list {control_list.version_id}: {len(entries)} entries, {len(synonyms)} synonyms")
    print(
        f"load {load_seconds * 1000:.0f} ms; index build {build_seconds * 1000:.0f} ms, "
        f"vocabulary {index.vocabulary_size} words"
    )

    queries = make_queries(entries, synonyms, args.queries, args.seed)

    # the baseline: score every entry with rapidfuzz for every query (texts prepared once, in its favour)
    documents = [utils.default_process(f"{e.code} {e.title} {e.summary}") for e in entries]

    def naive(query: str) -> object:
        return process.extract(
            utils.default_process(query), documents, scorer=fuzz.WRatio, processor=None, limit=10
        )

    ours = time_each(lambda q: index.search(q, limit=10), queries)
    baseline = time_each(naive, queries)

    rows = (("index", ours), ("naive scan", baseline))
    print(f"{len(queries)} queries (seed {args.seed})")
    print(f"{'':12} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'mean ms':>8}")
    for name, timings in rows:
        print(
            f"{name:12} {percentile(timings, 50):8.3f} {percentile(timings, 95):8.3f} "
            f"{percentile(timings, 99):8.3f} {statistics.fmean(timings):8.3f}"
        )
    speedup = statistics.fmean(baseline) / statistics.fmean(ours)
    speedup_p95 = percentile(baseline, 95) / percentile(ours, 95)
    p95 = percentile(ours, 95)
    print(f"speed ratio: {speedup:.1f}× on the mean, {speedup_p95:.1f}× at p95")
    latency_ok = p95 <= P95_TARGET_MS
    speed_ok = speedup >= SPEEDUP_TARGET
    print(f"{'PASS' if latency_ok else 'FAIL'}: p95 {p95:.3f} ms (target ≤ {P95_TARGET_MS} ms)")
    print(
        f"{'PASS' if speed_ok else 'FAIL'}: {speedup:.1f}× faster than the naive scan (target ≥ {SPEEDUP_TARGET}×)"
    )
    return 0 if latency_ok and speed_ok else 1


if __name__ == "__main__":
    sys.exit(main())
