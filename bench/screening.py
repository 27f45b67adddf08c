"""Screening benchmark: our engine against brute-force rapidfuzz and nomenklatura's LogicV2, in one run.

Lists: OFAC SDN 2024-05-03, OFAC consolidated 2018, UN 2018 (from ../shared/data or DUALUSE_SHARED_DATA).
Queries: the 683 UN persons of positives_un_untreated.csv, seeded variants of them (typo, respelling,
Cyrillic script, reordered, dropped middle part), and the 50,000 negatives of negatives_us.csv.

A positive (or variant) is recalled when the UN entity it was taken from (or an entity of another list
that lists exactly the same name) is among the matches at or above the threshold; positives whose name is not on the 2018 UN list (the positives come from a later list) are
counted and left out. A negative is a false positive when anything matches at or above the threshold.

Each mode of our engine is timed cold: on a freshly built engine, after the function-level caches of
our code and of the name libraries were emptied, so that no query profits from one run before it. A warm
second pass is printed for information only; the targets use the cold figures.

Then nomenklatura's name benchmark (bench/screening_names.py): precision, recall and F1 of ours and of
logic-v2 on its 826 labelled pairs, in the same run. The scale figures (1,000,000 entities) are
bench/screening_scale.py's.

Run: .venv/bin/python bench/screening.py [--baseline-sample 1000] [--seed 7]
"""

from __future__ import annotations

import argparse
import csv
import gc
import itertools
import random
import resource
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import screening_names  # bench/screening_names.py, beside this script
from screening_scale import found_shared_data, real_snapshots  # bench/screening_scale.py, beside it too

from dualuse.domain.screening import (
    EntitySchema,
    ListedEntity,
    ListSnapshot,
    ScreeningEngine,
    ScreeningQuery,
)
from dualuse.domain.screening.normalise import name_form

THRESHOLD = 0.7
TARGET_VARIANT_RECALL = 0.98
TARGET_FPR = 0.005
TARGET_SPEEDUP = 50.0
TARGET_BUILD_S = 5.0
TARGET_MEMORY_MB = 1024.0


@dataclass(frozen=True)
class Case:
    kind: str  # positive, typo, respelling, cyrillic, reordered, dropped, negative
    query: ScreeningQuery
    expected: frozenset[tuple[str, str]]


# --------------------------------------------------------------------------- variants

_RESPELLINGS = [
    ("mohammed", "muhammad"),
    ("muhammad", "mohamed"),
    ("mohammad", "muhamad"),
    ("abdul", "abdel"),
    ("abd al", "abdul"),
    ("ou", "u"),
    ("kh", "h"),
    ("sh", "sch"),
    ("dj", "j"),
    ("j", "dj"),
    ("ee", "i"),
    ("oo", "u"),
    ("q", "k"),
    ("ph", "f"),
    ("y", "i"),
    ("i", "y"),
    ("u", "ou"),
    ("w", "v"),
    ("ah", "a"),
    ("al-", "el-"),
    ("ch", "tch"),
    ("z", "s"),
]
_CYRILLIC = [
    ("shch", "щ"),
    ("kh", "х"),
    ("zh", "ж"),
    ("ch", "ч"),
    ("sh", "ш"),
    ("ts", "ц"),
    ("ya", "я"),
    ("yu", "ю"),
    ("yo", "ё"),
    ("a", "а"),
    ("b", "б"),
    ("v", "в"),
    ("w", "в"),
    ("g", "г"),
    ("d", "д"),
    ("e", "е"),
    ("z", "з"),
    ("i", "и"),
    ("y", "й"),
    ("j", "дж"),
    ("k", "к"),
    ("q", "к"),
    ("l", "л"),
    ("m", "м"),
    ("n", "н"),
    ("o", "о"),
    ("p", "п"),
    ("r", "р"),
    ("s", "с"),
    ("t", "т"),
    ("u", "у"),
    ("f", "ф"),
    ("h", "х"),
    ("c", "к"),
    ("x", "кс"),
]


def typo(name: str, rng: random.Random) -> str:
    tokens = name.split()
    long = [i for i, t in enumerate(tokens) if len(t) >= 4] or list(range(len(tokens)))
    i = rng.choice(long)
    word = tokens[i]
    pos = rng.randrange(1, len(word)) if len(word) > 1 else 0
    op = rng.choice(["sub", "del", "dup", "swap"])
    if op == "sub":
        word = word[:pos] + rng.choice("aeioulnrst") + word[pos + 1 :]
    elif op == "del":
        word = word[:pos] + word[pos + 1 :]
    elif op == "dup":
        word = word[:pos] + word[pos] + word[pos:]
    elif pos < len(word) - 1:
        word = word[:pos] + word[pos + 1] + word[pos] + word[pos + 2 :]
    tokens[i] = word
    return " ".join(tokens)


def respelling(name: str, rng: random.Random) -> str:
    lowered = name.lower()
    options = [(a, b) for a, b in _RESPELLINGS if a in lowered]
    if not options:
        return typo(name, rng)
    a, b = rng.choice(options)
    return lowered.replace(a, b, 1)


def cyrillic(name: str) -> str:
    out = name.lower()
    for latin, cyr in _CYRILLIC:
        out = out.replace(latin, cyr)
    return out


def variants(name: str, rng: random.Random) -> list[tuple[str, str]]:
    tokens = name.split()
    found = [("typo", typo(name, rng)), ("respelling", respelling(name, rng)), ("cyrillic", cyrillic(name))]
    if len(tokens) >= 2:
        found.append(("reordered", " ".join(tokens[1:] + tokens[:1])))
    if len(tokens) >= 3:
        drop = rng.randrange(1, len(tokens) - 1)
        found.append(("dropped", " ".join(tokens[:drop] + tokens[drop + 1 :])))
    return found


# --------------------------------------------------------------------------- cases


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def person_query(row: dict[str, str], name: str, *, facts: bool) -> ScreeningQuery:
    return ScreeningQuery(
        name=name,
        schema=EntitySchema.PERSON,
        birth_date=(row.get("date_of_birth") or None) if facts else None,
        country=(row.get("nationality") or None) if facts else None,
    )


def build_cases(
    data: Path, snapshots: Sequence[ListSnapshot], seed: int, *, facts: bool
) -> tuple[list[Case], int]:
    """Positives with the entities that list their exact name (the UN one, and the same name elsewhere)."""
    by_tokens: dict[tuple[str, ...], set[tuple[str, str]]] = {}
    for entity in (e for s in snapshots for e in s.entities):
        if entity.schema != EntitySchema.PERSON:
            continue
        for raw in entity.names:
            by_tokens.setdefault(tuple(sorted(name_form(raw, entity.schema).tokens)), set()).add(entity.key)
    rng = random.Random(seed)
    cases: list[Case] = []
    unknown = 0
    for row in read_rows(data / "screening-bench" / "positives_un_untreated.csv"):
        name = row["full_name"].strip()
        expected = frozenset(by_tokens.get(tuple(sorted(name_form(name, EntitySchema.PERSON).tokens)), ()))
        if not any(source == "un-sc" for source, _ in expected):
            unknown += 1
            continue
        cases.append(Case("positive", person_query(row, name, facts=facts), expected))
        for kind, variant in variants(name, rng):
            if variant.strip():
                cases.append(Case(kind, person_query(row, variant, facts=facts), expected))
    for row in read_rows(data / "screening-bench" / "negatives_us.csv"):
        cases.append(Case("negative", person_query(row, row["full_name"], facts=facts), frozenset()))
    return cases, unknown


# --------------------------------------------------------------------------- evaluation

Screen = Callable[[ScreeningQuery], set[tuple[str, str]]]


@dataclass
class Result:
    label: str
    recall_positive: float
    recall_variants: float
    per_kind: dict[str, float]
    fpr: float
    qps: float
    n_pos: int
    n_var: int
    n_neg: int


def evaluate(label: str, cases: Sequence[Case], screen: Screen) -> Result:
    hits: dict[str, list[bool]] = {}
    started = time.perf_counter()
    for case in cases:
        found = screen(case.query)
        ok = bool(found) if case.kind == "negative" else bool(found & case.expected)
        hits.setdefault(case.kind, []).append(ok)
    elapsed = time.perf_counter() - started
    rate = {k: sum(v) / len(v) for k, v in hits.items()}
    variant_hits = [ok for k, v in hits.items() if k not in ("positive", "negative") for ok in v]
    return Result(
        label=label,
        recall_positive=rate.get("positive", float("nan")),
        recall_variants=sum(variant_hits) / len(variant_hits) if variant_hits else float("nan"),
        per_kind={k: v for k, v in rate.items() if k not in ("positive", "negative")},
        fpr=rate.get("negative", float("nan")),
        qps=len(cases) / elapsed,
        n_pos=len(hits.get("positive", [])),
        n_var=len(variant_hits),
        n_neg=len(hits.get("negative", [])),
    )


def ours(engine: ScreeningEngine) -> Screen:
    def screen(query: ScreeningQuery) -> set[tuple[str, str]]:
        return {m.entity.key for m in engine.screen(query, threshold=THRESHOLD, limit=5)}

    return screen


def brute_force(entities: Sequence[ListedEntity]) -> Screen:
    from rapidfuzz import fuzz, process, utils

    owners: list[tuple[str, str]] = []
    choices: list[str] = []
    for entity in entities:
        for name in entity.names:
            owners.append(entity.key)
            choices.append(utils.default_process(name))

    def screen(query: ScreeningQuery) -> set[tuple[str, str]]:
        best = process.extractOne(
            utils.default_process(query.name),
            choices,
            scorer=fuzz.token_sort_ratio,
            processor=None,
            score_cutoff=THRESHOLD * 100,
        )
        return {owners[best[2]]} if best else set()

    return screen


def logic_v2(engine: ScreeningEngine) -> Screen:
    from followthemoney import EntityProxy, model
    from nomenklatura.matching import LogicV2

    config = LogicV2.default_config()
    schemata = {
        EntitySchema.PERSON: "Person",
        EntitySchema.ORGANIZATION: "Organization",
        EntitySchema.VESSEL: "Vessel",
        EntitySchema.AIRCRAFT: "Airplane",
        EntitySchema.UNKNOWN: "LegalEntity",
    }
    proxies: dict[int, EntityProxy] = {}
    counter = itertools.count()

    def proxy(entity_no: int) -> EntityProxy:
        if entity_no not in proxies:
            entity = engine.index.entities[entity_no]
            made = model.make_entity(schemata[entity.schema])
            made.id = f"{entity.source}-{entity.entity_id}"
            made.add("name", list(entity.names))
            if entity.schema == EntitySchema.PERSON:
                made.add("birthDate", list(entity.birth_dates))
                made.add("nationality", list(entity.countries))
            else:
                made.add("country", list(entity.countries))
            proxies[entity_no] = made
        return proxies[entity_no]

    def screen(query: ScreeningQuery) -> set[tuple[str, str]]:
        made = model.make_entity("Person")
        made.id = f"query-{next(counter)}"  # LogicV2 caches by entity id
        made.add("name", query.name)
        if query.birth_date:
            made.add("birthDate", query.birth_date)
        if query.country:
            made.add("nationality", query.country)
        prepared = engine.prepare(query)
        entity_nos = {engine.index.names[n][0] for n, _ in engine.index.candidates(prepared.form.tokens)}
        found: set[tuple[str, str]] = set()
        for entity_no in entity_nos:
            if LogicV2.compare(made, proxy(entity_no), config).score >= THRESHOLD:
                found.add(engine.index.entities[entity_no].key)
        return found

    return screen


def sample(cases: Sequence[Case], size: int, seed: int) -> list[Case]:
    rng = random.Random(seed)
    positives = [c for c in cases if c.kind == "positive"]
    variant_cases = [c for c in cases if c.kind not in ("positive", "negative")]
    negatives = [c for c in cases if c.kind == "negative"]
    return (
        rng.sample(positives, min(size, len(positives)))
        + rng.sample(variant_cases, min(size, len(variant_cases)))
        + rng.sample(negatives, min(size, len(negatives)))
    )


def max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def show(result: Result, note: str = "") -> None:
    kinds = ", ".join(f"{k} {v:.3f}" for k, v in sorted(result.per_kind.items()))
    print(
        f"  {result.label:<34} recall positives {result.recall_positive:.4f} (n={result.n_pos})  "
        f"variants {result.recall_variants:.4f} (n={result.n_var})  FPR {result.fpr:.4%} (n={result.n_neg})  "
        f"{result.qps:,.0f} q/s {note}"
    )
    print(f"  {'':<34} by variant: {kinds}")


def clear_caches() -> None:
    """Empty every function-level cache of our code and of the name libraries it calls."""
    prefixes = ("dualuse", "rigour", "rapidfuzz", "normality", "fingerprints", "jellyfish")
    for name, module in list(sys.modules.items()):
        if module is None or not name.startswith(prefixes):
            continue
        for value in list(vars(module).values()):
            clear = getattr(value, "cache_clear", None)
            if callable(clear):
                clear()


def cold_engine(snapshots: Sequence[ListSnapshot]) -> ScreeningEngine:
    """A freshly built engine with no cache warmed by earlier queries: the figures are honest."""
    clear_caches()
    gc.collect()
    return ScreeningEngine(snapshots)


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--baseline-sample", type=int, default=1000, help="queries per kind for the baselines"
    )
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    data = found_shared_data()
    if data is None:
        return 2
    started = time.perf_counter()
    snapshots = real_snapshots(data)
    parsed = time.perf_counter() - started
    started = time.perf_counter()
    engine = cold_engine(snapshots)
    build = time.perf_counter() - started
    entities = [e for s in snapshots for e in s.entities]
    print(
        f"lists: {', '.join(f'{s.source} {s.version} ({len(s)})' for s in snapshots)}; parsed in {parsed:.2f} s"
    )
    print(f"index: {len(engine.index)} entities, {len(engine.index.names)} names, built in {build:.2f} s")

    cases, unknown = build_cases(data, snapshots, args.seed, facts=True)
    name_only, _ = build_cases(data, snapshots, args.seed, facts=False)
    print(
        f"queries: {sum(c.kind == 'positive' for c in cases)} positives found on the 2018 UN list "
        f"({unknown} of the 683 are not on it and are left out), "
        f"{sum(c.kind not in ('positive', 'negative') for c in cases)} variants, "
        f"{sum(c.kind == 'negative' for c in cases)} negatives; threshold {THRESHOLD}"
    )
    print("our engine, all queries, one core, each mode COLD (fresh engine, caches cleared):")
    # building the cases normalised every name through the shared caches: clear them again
    del engine
    engine = cold_engine(snapshots)
    ours_facts = evaluate("ours (name + DOB + nationality)", cases, ours(engine))
    show(ours_facts, "(cold)")
    del engine
    engine = cold_engine(snapshots)
    ours_names = evaluate("ours (name only)", name_only, ours(engine))
    show(ours_names, "(cold)")
    rss_ours = max_rss_mb()
    print("our engine, second pass over the same queries (WARM, caches filled by the cold pass; info only):")
    warm_names = evaluate("ours (name only), warm", name_only, ours(engine))
    show(warm_names, "(warm)")
    del engine
    engine = cold_engine(snapshots)
    warm_facts_engine = ours(engine)
    evaluate("fill", cases, warm_facts_engine)
    warm_facts = evaluate("ours (name + DOB + nat.), warm", cases, warm_facts_engine)
    show(warm_facts, "(warm)")

    baseline_cases = sample(name_only, args.baseline_sample, args.seed)
    fact_cases = sample(cases, args.baseline_sample, args.seed)
    print(
        f"baselines and ours on the same seeded sample ({args.baseline_sample} per kind, seed {args.seed}):"
    )
    del engine
    engine = cold_engine(snapshots)
    ours_sample = evaluate("ours (name only), sample", baseline_cases, ours(engine))
    show(ours_sample, "(cold)")
    brute = evaluate("brute force token_sort_ratio", baseline_cases, brute_force(entities))
    show(brute, "(rapidfuzz extractOne over every listed name, cutoff 70)")
    logic = evaluate("LogicV2 on our candidates", fact_cases, logic_v2(engine))
    show(logic, "(name + DOB + nationality)")

    print("name benchmark (nomenklatura's 826 labelled pairs), ours and logic-v2 in this run:")
    names_ok = screening_names.run(THRESHOLD) == 0

    speedup = ours_facts.qps / brute.qps
    speedup_names = ours_names.qps / brute.qps
    print("targets:")
    checks = [
        (
            f"recall on variants {ours_facts.recall_variants:.4f} >= {TARGET_VARIANT_RECALL}",
            ours_facts.recall_variants >= TARGET_VARIANT_RECALL,
        ),
        (f"false positives {ours_facts.fpr:.4%} <= {TARGET_FPR:.1%}", ours_facts.fpr <= TARGET_FPR),
        (
            f"throughput {speedup:.0f}x brute force (name + DOB + nationality, cold, full run vs sample) "
            f">= {TARGET_SPEEDUP:.0f}x",
            speedup >= TARGET_SPEEDUP,
        ),
        (f"index build {build:.2f} s < {TARGET_BUILD_S} s", build < TARGET_BUILD_S),
        (
            f"peak memory {rss_ours:.0f} MB after our engine ran (whole process, before baselines) "
            f"< {TARGET_MEMORY_MB:.0f} MB",
            rss_ours < TARGET_MEMORY_MB,
        ),
    ]
    checks.append(("our F1 above logic-v2's on the name benchmark (figures above)", names_ok))
    for text, ok in checks:
        print(f"  {verdict(ok)}  {text}")
    print(
        f"  info  name-only (cold): {speedup_names:.0f}x brute force, recall on variants "
        f"{ours_names.recall_variants:.4f}, FPR {ours_names.fpr:.4%}"
    )
    print(
        f"  info  warm second pass: {warm_facts.qps / brute.qps:.0f}x (name + DOB + nationality), "
        f"{warm_names.qps / brute.qps:.0f}x (name only); not used for PASS/FAIL"
    )
    print(f"  info  peak memory of the whole run, baselines included: {max_rss_mb():.0f} MB")
    return 0 if all(ok for _, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
