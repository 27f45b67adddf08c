"""Benchmark: the annual report (Art. 26(2)) over 1,000,000 decisions on PostgreSQL, summed by the database,
against a naive aggregation in Python over every row, measured in the same run.

Target: the whole report of a year (every table of ``services.transparency.annual_report.compute``) in at
most 5 s. The script makes a fresh database on the server, fills it with
``generate_series`` (one INSERT ... SELECT), times the report, then fetches the year's rows and sums them in
Python as the baseline, checks both give the same figures, prints the ratio and drops the database. It exits
non-zero when the report takes longer than the target.

    .venv/bin/python bench/transparency.py [--url postgresql+psycopg://postgres@127.0.0.1:5432/postgres]
                                           [--rows 1000000] [--target 5.0]
"""

from __future__ import annotations

import argparse
import sys
import time
import uuid
from collections import defaultdict
from decimal import Decimal

from sqlalchemy import create_engine, make_url, select, text

from dualuse.adapters.db import migrate
from dualuse.adapters.db import tables as t
from dualuse.adapters.db.engine import make_engine
from dualuse.adapters.db.uow import SqlUnitOfWork
from dualuse.bootstrap import bootstrap
from dualuse.config import Environment, Settings
from dualuse.domain.transparency import Cell
from dualuse.services.transparency import annual_report

TARGET_SECONDS = 5.0
STATES = sorted(annual_report.MEMBER_STATES)
CODES = [
    "5A002.a",
    "5A001.f.1",
    "5A001.j",
    "1C350.a",
    "3A001.a",
    "4A003.b",
    "6A003.b",
    "9A004",
    "2B001",
    "0B001",
]
DESTINATIONS = [
    "US",
    "CN",
    "IN",
    "BR",
    "JP",
    "KR",
    "TR",
    "AE",
    "EG",
    "MX",
    "ZA",
    "SG",
    "AU",
    "CA",
    "CH",
    "NO",
]
TYPES = ["individual", "global", "large_project", "brokering", "technical_assistance"]
YEARS = [2024, 2025, 2026]
EXPORTERS = 5000


def fill(url: str, rows: int) -> float:
    """Insert ``rows`` decisions in one statement; returns the seconds it took."""
    engine = make_engine(url)
    started = time.perf_counter()

    def pick(values: list[str], expr: str) -> str:
        array = "ARRAY[" + ",".join(f"'{v}'" for v in values) + "]"
        return f"({array})[1 + ({expr}) % {len(values)}]"

    code = pick(CODES, "(g::bigint * 69069) % 1000033")
    # built from the constants above and an int (no outside text)
    statement = f"""
        INSERT INTO transparency_decisions (case_id, line, member_state, year, decided_on, organisation_id,
            application_type, outcome, control_code, category, destination, case_count, category_count,
            value_cents)
        SELECT g, 1, {pick(STATES, f"(1 + (g::bigint * 7919) % {EXPORTERS})")}, {YEARS[0]} + g % {len(YEARS)},
               make_date({YEARS[0]} + g % {len(YEARS)}, 1 + g % 12, 1 + g % 28),
               1 + (g::bigint * 7919) % {EXPORTERS}, {pick(TYPES, "g / 3")},
               CASE WHEN g % 20 = 0 THEN 'denied' WHEN g % 20 = 1 THEN 'partially_granted' ELSE 'granted' END,
               {code}, left({code}, 1), {pick(DESTINATIONS, "(g::bigint * 40503) % 999983")}, 1, 1,
               (g::bigint * 104729) % 100000000
        FROM generate_series(1, {rows}) AS g
    """  # noqa: S608
    with engine.begin() as conn:
        conn.execute(text(statement))
    with engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE transparency_decisions"))
    engine.dispose()
    return time.perf_counter() - started


def naive(uow: SqlUnitOfWork, year: int, cyber: set[str]) -> dict[tuple[str, str, str], Cell]:
    """The baseline: every row of the year fetched and summed in Python, per exporter and then per cell."""
    d = t.transparency_decisions
    per_exporter: dict[tuple[str, str, str, int], list[int]] = defaultdict(lambda: [0, 0])
    query = select(
        d.c.member_state,
        d.c.organisation_id,
        d.c.application_type,
        d.c.outcome,
        d.c.control_code,
        d.c.category,
        d.c.destination,
        d.c.value_cents,
        d.c.case_id,
    ).where(d.c.year == year)
    granted = {"granted", "partially_granted"}
    for state, org, kind, outcome, code, category, destination, cents, _case in uow.execute(query):
        keys = [("decisions", outcome)]
        if outcome in granted:
            keys += [("licence_types", kind), ("destinations", destination), ("categories", category)]
        if outcome == "denied":
            keys.append(("denials", destination))
        if code in cyber:
            keys += [("cyber_decisions", outcome), ("cyber_destinations", destination)]
        for table, column in keys:
            figure = per_exporter[(table, state, column, org)]
            figure[0] += 1
            figure[1] += cents
    cells: dict[tuple[str, str, str], Cell] = {}
    for (table, state, column, _org), (n, cents) in per_exporter.items():
        value = Decimal(cents) / 100
        cells[(table, state, column)] = cells.get((table, state, column), Cell()) + Cell(n, value, 1, value)
    return cells


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--target", type=float, default=TARGET_SECONDS)
    args = parser.parse_args()

    server = make_url(args.url)
    name = f"dualuse_bench_transparency_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = server.set(database=name).render_as_string(hide_password=False)
    try:
        container = bootstrap(Settings(env=Environment.TEST, database_url=url, secret_key="b" * 40))
        migrate.upgrade(container.engine)
        print(f"inserting {args.rows:,} decisions ...", flush=True)
        print(f"  inserted in {fill(url, args.rows):.1f} s")
        is_cyber = annual_report.cyber_surveillance_in(container.list_view_today())
        year = YEARS[-1]

        with container.uow() as uow:  # a first connection, so that connecting is not timed
            uow.transparency.years()
        started = time.perf_counter()
        with container.uow() as uow:
            report = annual_report.compute(uow, year, is_cyber)
        sql_seconds = time.perf_counter() - started

        started = time.perf_counter()
        with container.uow() as uow:
            cyber = {c for c in uow.transparency.decision_codes(year) if is_cyber(c)}
            baseline = naive(uow, year, cyber)
        naive_seconds = time.perf_counter() - started

        mismatches = [
            key
            for key, cell in baseline.items()
            if (got := report.table(key[0]).cell(key[1], key[2])).count != cell.count
            or got.value_eur != cell.value_eur
            or got.exporters != cell.exporters
            or got.top_value_eur != cell.top_value_eur
        ]
        rows_in_year = sum(c.count for k, c in baseline.items() if k[0] == "decisions")
        print(f"report of {year}: {rows_in_year:,} decisions of that year ({args.rows:,} in all)")
        print(f"  SQL (GROUP BY) report:     {sql_seconds:6.2f} s   (target <= {args.target:.1f} s)")
        print(f"  naive Python aggregation:  {naive_seconds:6.2f} s   (baseline, same run)")
        print(f"  speed-up:                  {naive_seconds / sql_seconds:6.1f}x")
        print(f"  cyber-surveillance codes:  {sorted(cyber)}")
        if mismatches:
            print(f"MISMATCH between SQL and the baseline in {len(mismatches)} cells, e.g. {mismatches[:3]}")
            return 2
        container.engine.dispose()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    if sql_seconds > args.target:
        print(f"FAIL: the report took {sql_seconds:.2f} s, more than {args.target:.1f} s")
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
