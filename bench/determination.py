"""Benchmark: batch licence determination against bare CSV parsing, in the same run.

Generates 1,000,000 order lines (``bench/out/orders.csv``, or ``--lines``/``--out``), then times
1. merely parsing the file with Python's ``csv`` module (``csv.reader``, every row touched), and
2. the ``determine-batch`` logic on it (read, determine against the shipped rulebook and control list,
   write ``results.csv``).
Prints lines/s for both, their ratio, and PASS/FAIL against the target: determination at >= 25% of the bare
parsing speed.

    .venv/bin/python bench/determination.py [--lines 1000000] [--out bench/out] [--seed 7]
"""

from __future__ import annotations

import argparse
import csv
import random
import time
from datetime import date
from pathlib import Path

from dualuse.adapters.batch.orders_csv import determine_batch_file
from dualuse.adapters.sources.controllist_view import shipped_list_source
from dualuse.adapters.sources.rulebook import load_rulebook
from dualuse.services.determination import INPUT_COLUMNS, DeterminationInputs

TARGET_RATIO = 0.25
MEMBER_STATES = ["DE", "FR", "NL", "IT"]
THIRD_COUNTRIES = [
    "US", "GB", "CH", "NO", "JP", "AU", "CA", "CN", "HK", "IN", "BR", "MX", "ZA", "KR", "TR", "AE", "SG",
    "IL", "SA", "EG", "MA", "AR", "CL", "TH", "MY", "RU", "BY", "KP", "IR", "VE", "UA", "RS", "KZ", "ID",
]  # fmt: skip
EU_DESTINATIONS = ["AT", "BE", "ES", "PL", "SE", "CZ"]
END_USER_TYPES = ["commercial", "commercial", "commercial", "government", "research", "military"]
ACTIVITIES = ["export"] * 90 + ["transfer"] * 5 + ["brokering", "technical_assistance", "transit"] * 1
KNOWLEDGE = [""] * 96 + ["wmd", "military_end_use", "internal_repression", "military_end_use;wmd"]
WORDS = [
    "controller",
    "module",
    "router",
    "sensor",
    "valve",
    "pump",
    "laser",
    "software",
    "kit",
    "spare part",
]


def generate(path: Path, lines: int, seed: int) -> None:
    """Write ``lines`` order lines: a catalogue of listed and non-listed products sold to many customers."""
    rng = random.Random(seed)
    latest = shipped_list_source()._history.latest  # the list's codes, to pick a realistic catalogue
    listed = [str(entry.code) for entry in latest]
    catalogue = [*rng.sample(listed, 60), "5A001.f", "5A002.a", "4A005", "5D001.e", *[""] * 30]
    dates = ["2026-11-30", "2026-12-01"]
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(INPUT_COLUMNS)
        order = 0
        written = 0
        while written < lines:
            order += 1
            activity = rng.choice(ACTIVITIES)
            destination = rng.choice(EU_DESTINATIONS if activity == "transfer" else THIRD_COUNTRIES)
            member_state = rng.choice(MEMBER_STATES)
            end_user_type = rng.choice(END_USER_TYPES)
            day = rng.choice(dates)
            informed, aware = rng.choice(KNOWLEDGE), rng.choice(KNOWLEDGE)
            for item in range(min(rng.randint(1, 5), lines - written)):
                code = rng.choice(catalogue)
                writer.writerow(
                    (
                        f"PO-{order:07d}",
                        day,
                        activity,
                        member_state,
                        destination,
                        f"Customer {rng.randint(1, 5000)}",
                        destination,
                        end_user_type,
                        str(item + 1),
                        f"{rng.choice(WORDS)} {rng.randint(100, 999)}",
                        code,
                        "true" if not code and rng.random() < 0.05 else "false",
                        str(rng.randint(1, 50)),
                        f"{rng.uniform(100, 250000):.2f}",
                        informed,
                        aware,
                        "",  # national_codes
                        "",  # circumstances
                        "",  # item_kinds (not stated)
                        "",  # cn_code
                        "",  # end_user_listed_in (not screened)
                    )
                )
                written += 1


def time_parsing(path: Path) -> tuple[int, float]:
    """Lines and seconds to parse the file with ``csv.reader``, touching every row."""
    start = time.perf_counter()
    lines = 0
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        next(reader)
        for _row in reader:
            lines += 1
    return lines, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "out")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    orders, results = args.out / "orders.csv", args.out / "results.csv"

    start = time.perf_counter()
    generate(orders, args.lines, args.seed)
    print(f"generated {args.lines:,} lines in {time.perf_counter() - start:.1f} s -> {orders}")

    start = time.perf_counter()
    rulebook, list_source = load_rulebook(), shipped_list_source()
    print(f"loaded rulebook {rulebook.version} and control list in {time.perf_counter() - start:.2f} s")

    parsed, parse_seconds = time_parsing(orders)
    start = time.perf_counter()
    summary = determine_batch_file(
        orders, results, DeterminationInputs(rulebook, list_source), today=date(2026, 12, 1)
    )
    determine_seconds = time.perf_counter() - start

    parse_rate, determine_rate = parsed / parse_seconds, summary.lines / determine_seconds
    ratio = determine_rate / parse_rate
    print(f"csv parsing only:       {parse_rate:>12,.0f} lines/s ({parsed:,} lines, {parse_seconds:.2f} s)")
    print(
        f"determine-batch:        {determine_rate:>12,.0f} lines/s ({summary.lines:,} lines, {determine_seconds:.2f} s)"
    )
    print(f"ratio:                  {ratio:>12.1%} (target >= {TARGET_RATIO:.0%})")
    print(f"outcomes: {dict(sorted(summary.outcomes.items()))}; line errors: {summary.errors}")
    print("PASS" if ratio >= TARGET_RATIO else "FAIL")


if __name__ == "__main__":
    main()
