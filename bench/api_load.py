"""API load test (issue 6): the real app on PostgreSQL under 50 concurrent clients.

1. Creates a fresh PostgreSQL database (``dualuse_bench_<timestamp>``), migrates it, registers the
   authorities of DE, FR and NL, ~30 exporters across those states, their users and API tokens (through
   ``services.identity``), and seeds 10,000 licensing cases in bulk: realistic domain cases built with
   the domain's own workflow (submitted, under assessment, awaiting the exporter, recommended, decided),
   stored through the repository's JSON codecs, with the licences of granted cases and a valid
   hash-chained audit trail.
2. Starts the app with uvicorn (``create_app`` as a factory, settings from the environment) in a separate
   process and waits for ``/healthz``.
3. Drives 50 concurrent clients (asyncio + aiohttp over loopback; aiohttp because httpx spends ~8 ms of
   CPU a request at this concurrency, which would starve the server of the cores it shares) after a
   short warm-up, each looping over a weighted mix: the authority's queue (``GET /api/v1/cases``
   filtered by status, and by status and destination), case pages (``GET /api/v1/cases/{id}`` by an
   officer of the case's state, ``GET /api/v1/applications/{id}`` by the exporter that owns it) and
   submissions (``POST /api/v1/applications`` then ``…/submit``). A small share of requests is
   ``GET /healthz``: the floor, measured under the same load. Two phases:
   - **target** (``--duration``, 30 s): the clients are users, pausing between turns for an
     exponentially distributed think time (``--think-ms``, mean 1 s: a brisk officer or exporter);
     PASS/FAIL against the target (0 errors, overall p95 ≤ 100 ms) is judged here;
   - **capacity** (``--capacity-duration``, 15 s): the same clients with no pause at all. This measures
     the throughput the machine sustains for this mix; the latency there is queueing (Little's law:
     mean latency = clients / throughput), printed for the record, not judged.
4. Prints per phase p50/p95/p99 latency, throughput and errors per request type and overall, the floor,
   and the CPU spent per request by the server, PostgreSQL and the load generator; then stops the server
   and drops the database.

Exit status: 0 when the run completed (PASS or FAIL, it is a report), 1 when the setup failed.

Run: .venv/bin/python bench/api_load.py [--duration 30] [--clients 50] [--think-ms 1000] [--workers N]
     [--capacity-duration 15] [--cases 10000]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import math
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import httpx
import psycopg
from psycopg import sql
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy import Engine, text

from dualuse.adapters.db import migrate
from dualuse.adapters.db import tables as t
from dualuse.adapters.db.engine import make_engine
from dualuse.adapters.db.licensing_repo import (
    _case_data,
    application_from_json,
    licence_to_json,
    queue_index_rows,
)
from dualuse.adapters.db.uow import SqlUnitOfWork
from dualuse.adapters.security import Argon2PasswordHasher
from dualuse.domain import licensing as lic
from dualuse.domain.audit import GENESIS_HASH, event_hash
from dualuse.domain.identity import OrganisationKind, Role
from dualuse.services import identity
from dualuse.services.licensing import ENTITY_CASE, ENTITY_LICENCE, check_code_secret
from dualuse.services.unit_of_work import StoredCase

TARGET_P95_MS = 100.0
STATES = ("DE", "FR", "NL")
STATE_WEIGHTS = (0.45, 0.33, 0.22)  # Germany files most applications
AUTHORITY_NAMES = {
    "DE": "Bundesamt für Wirtschaft und Ausfuhrkontrolle",
    "FR": "Service des biens à double usage",
    "NL": "Centrale Dienst voor In- en Uitvoer",
}
LEGAL_FORMS = {"DE": ("GmbH", "AG", "GmbH & Co. KG"), "FR": ("SAS", "SA", "SARL"), "NL": ("B.V.", "N.V.")}
NAME_STEMS = (
    "Optronik", "Sensorik", "Netzwerk", "Kryptotechnik", "Laser", "Vakuum", "Werkzeugmaschinen",
    "Avionique", "Réseaux", "Photonique", "Systèmes", "Chiffrement", "Precision", "Semicon", "Drone",
    "Telecom", "Analytics", "Materials", "Robotics", "Composites",
)  # fmt: skip
STATUS_MIX = {
    lic.ApplicationStatus.SUBMITTED: 0.25,
    lic.ApplicationStatus.UNDER_ASSESSMENT: 0.25,
    lic.ApplicationStatus.AWAITING_EXPORTER: 0.10,
    lic.ApplicationStatus.RECOMMENDED: 0.10,
    lic.ApplicationStatus.DECIDED: 0.30,
}
APPLICATION_TYPES = {"individual": 0.80, "global": 0.15, "large_project": 0.03, "brokering": 0.02}
DESTINATIONS = {
    "US": 14, "CN": 12, "IN": 7, "BR": 6, "AE": 6, "TR": 5, "JP": 5, "KR": 5, "SG": 5, "SA": 4, "IL": 4,
    "MX": 3, "ZA": 3, "EG": 3, "AU": 3, "CA": 3, "CH": 3, "GB": 3, "VN": 2, "TH": 2, "MY": 2, "ID": 2,
    "PK": 2, "KZ": 2, "QA": 2,
}  # fmt: skip
ITEMS = (
    ("5A001.j", "IP network communications surveillance system", "pieces", 250_000),
    ("5A001.f.2", "Portable IMSI catcher for lawful interception", "pieces", 180_000),
    ("5A002.a", "Network encryption appliance, AES-256, not mass-market", "pieces", 12_000),
    ("5D002.c.1", "Cryptographic software licence for secure messaging servers", "licences", 900),
    ("3A001.a.5", "Radiation-hardened ADC for space applications", "pieces", 4_000),
    ("3B001.f", "Lithography equipment component", "pieces", 1_200_000),
    ("4A003.b", "High-performance computing cluster node", "pieces", 60_000),
    ("6A003.b.4", "Uncooled thermal imaging camera core", "pieces", 3_500),
    ("6A005.b", "Pulsed fibre laser, 2 kW", "pieces", 95_000),
    ("1C010.b", "Carbon fibre prepreg", "kg", 180),
    ("2B001.b", "Five-axis machining centre", "pieces", 850_000),
    ("2B350.c", "Corrosion-resistant heat exchanger", "pieces", 45_000),
    ("9A012.a", "Unmanned aerial vehicle airframe with autopilot", "pieces", 70_000),
    ("7A003.a", "Inertial measurement unit, navigation grade", "pieces", 38_000),
)
END_USES = (
    "Lawful interception compliance of a public telecom network",
    "Civil research on materials for aerospace structures",
    "Production of automotive components for the domestic market",
    "Secure communications of a commercial bank's branch network",
    "Semiconductor fabrication for consumer electronics",
    "Environmental monitoring by a university institute",
    "Border surveillance by the civil coastguard",
    "Maintenance of civil aircraft of a national airline",
)
CUSTOMER_NAMES = (
    "Telecom Operator", "National University", "Advanced Materials", "Precision Industries",
    "Semiconductor Fab", "Aerospace Services", "Energy Holdings", "Research Institute",
)  # fmt: skip
QUEUE_STATUSES = {
    "submitted": 40,
    "under_assessment": 30,
    "awaiting_exporter": 10,
    "recommended": 15,
    "decided": 5,
}
# What a client does on each turn, and how often: (kind, weight). A submission is two requests.
MIX = (
    ("queue (status)", 10),
    ("queue (status+destination)", 15),
    ("case page (authority)", 30),
    ("application page (exporter)", 25),
    ("submission", 15),
    ("healthz", 5),
)
EVIDENCE = "case evidence (authority)"
KINDS_IN_REPORT = (
    "queue (status)",
    "queue (status+destination)",
    "case page (authority)",
    EVIDENCE,
    "application page (exporter)",
    "create application",
    "submit application",
)
FLOOR = "healthz"


def weighted(rng: random.Random, weights: dict[Any, float] | dict[Any, int]) -> Any:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


# --------------------------------------------------------------------------- the world
@dataclass
class Exporter:
    organisation_id: int
    state: str
    email: str
    token: str = ""
    case_ids: list[int] = field(default_factory=list)


@dataclass
class Authority:
    state: str
    officers: list[str]
    senior: str
    officer_tokens: list[str] = field(default_factory=list)


@dataclass
class World:
    exporters: list[Exporter]
    authorities: dict[str, Authority]
    cases_by_state: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    status_counts: Counter[tuple[str, str]] = field(default_factory=Counter)
    licences: int = 0
    audit_events: int = 0


class _HashOnce:
    """Argon2, but the one password all bench users share is hashed once (a real hash, stored for each)."""

    def __init__(self) -> None:
        self._argon2 = Argon2PasswordHasher()
        self._hashes: dict[str, str] = {}

    def hash(self, password: str) -> str:
        if password not in self._hashes:
            self._hashes[password] = self._argon2.hash(password)
        return self._hashes[password]

    def verify(self, password: str, password_hash: str) -> bool:
        return self._argon2.verify(password, password_hash)

    def dummy_hash(self) -> str:
        return self._argon2.dummy_hash()

    def is_common(self, password: str) -> bool:
        return self._argon2.is_common(password)


def create_identities(engine: Engine, rng: random.Random, exporters_n: int) -> World:
    """Authorities, exporters, their users and API tokens, through the identity use cases."""
    hasher = _HashOnce()
    password = secrets.token_urlsafe(18)
    actor = "bench-loader"
    exporters: list[Exporter] = []
    authorities: dict[str, Authority] = {}
    with SqlUnitOfWork(engine) as uow:

        def user(email: str, role: Role, organisation_id: int) -> str:
            identity.create_user(
                uow,
                hasher,
                actor=actor,
                email=email,
                full_name=email.split("@")[0].replace(".", " ").title(),
                password=password,
                role=role,
                organisation_id=organisation_id,
            )
            return email

        for state in STATES:
            org = identity.create_organisation(
                uow,
                actor=actor,
                kind=OrganisationKind.AUTHORITY,
                name=AUTHORITY_NAMES[state],
                member_state=state,
            )
            domain = f"authority-{state.lower()}.example.eu"
            officers = [user(f"officer{n}@{domain}", Role.AUTHORITY_OFFICER, org.id) for n in (1, 2)]
            senior = user(f"senior@{domain}", Role.AUTHORITY_SENIOR, org.id)
            authorities[state] = Authority(state, officers, senior)
        for n in range(exporters_n):
            state = STATES[n % len(STATES)]
            stem = NAME_STEMS[n % len(NAME_STEMS)]
            name = f"{stem} {n + 1:02d} {rng.choice(LEGAL_FORMS[state])}"
            eori = f"{state}{rng.randrange(10**11, 10**12)}"
            org = identity.create_organisation(
                uow, actor=actor, kind=OrganisationKind.EXPORTER, name=name, member_state=state, eori=eori
            )
            email = user(f"export.manager@exporter{n + 1:02d}.example.eu", Role.EXPORTER_ADMIN, org.id)
            exporters.append(Exporter(org.id, state, email))
        for exporter in exporters:
            exporter.token = identity.create_token(uow, actor=actor, email=exporter.email, name="bench").token
        for authority in authorities.values():
            authority.officer_tokens = [
                identity.create_token(uow, actor=actor, email=e, name="bench").token
                for e in authority.officers
            ]
        uow.commit()
    return World(exporters, authorities)


def application_body(rng: random.Random) -> dict[str, Any]:
    """An application as the API takes it: 1-3 lines, end user and consignee, 1-2 destinations."""
    destinations = [weighted(rng, DESTINATIONS)]
    if rng.random() < 0.1:
        second = weighted(rng, DESTINATIONS)
        if second not in destinations:
            destinations.append(second)
    items = []
    for code, description, unit, unit_price in rng.sample(ITEMS, rng.choice((1, 1, 1, 2, 2, 3))):
        quantity = rng.randint(1, 50) if unit != "kg" else rng.randint(100, 5000)
        items.append(
            {
                "control_code": code,
                "description": description,
                "quantity": str(quantity),
                "unit": unit,
                "value_eur": f"{quantity * unit_price * rng.uniform(0.8, 1.2):.2f}",
            }
        )
    customer = f"{rng.choice(CUSTOMER_NAMES)} {rng.randint(1, 999)}"
    party_type = rng.choice(("commercial", "commercial", "government", "research"))
    parties = [
        {"name": customer, "role": "end_user", "country": destinations[0], "party_type": party_type},
        {"name": customer, "role": "consignee", "country": destinations[0], "party_type": party_type},
    ]
    return {
        "application_type": weighted(rng, APPLICATION_TYPES),
        "items": items,
        "parties": parties,
        "destinations": destinations,
        "end_use": rng.choice(END_USES),
    }


def domain_application(case_id: int, exporter_id: int, body: dict[str, Any]) -> lic.Application:
    """The API's body is the stored application's JSON without its ids: read it with the same codec."""
    return application_from_json({**body, "id": str(case_id), "exporter_id": str(exporter_id)})


@dataclass
class Seeded:
    """One case's rows: the case, its licence if granted, and its audit events (time, actor, action…)."""

    case_row: dict[str, Any]
    licence_row: dict[str, Any] | None
    events: list[dict[str, Any]]
    destination_rows: list[dict[str, Any]]
    item_rows: list[dict[str, Any]]


def _assessment(rng: random.Random, officer: str, deny: bool) -> lic.Assessment:
    concerns = set(rng.sample([c.id for c in lic.CRITERIA], 1)) if deny else set()
    return lic.Assessment(
        officer_id=officer,
        findings=tuple(
            lic.Finding(
                c.id, c.id in concerns, "Risk of diversion to military end use" if c.id in concerns else ""
            )
            for c in lic.CRITERIA
        ),
    )


def seed_case(
    rng: random.Random,
    case_id: int,
    exporter: Exporter,
    authority: Authority,
    status: lic.ApplicationStatus,
    now: datetime,
    secret: bytes,
    licence_sequence: Counter[tuple[str, int]],
    licence_id: int,
) -> Seeded:
    """A case taken to ``status`` by the domain's own workflow, as the use cases would have stored it."""
    S, A, Actor = lic.ApplicationStatus, lic.CaseAction, lic.Actor
    exporter_id = str(exporter.organisation_id)
    officer = rng.choice(authority.officers)
    body = application_body(rng)
    application = domain_application(case_id, exporter.organisation_id, body)
    case = lic.new_case(str(case_id), application)
    created = now - timedelta(days=rng.uniform(2, 420))
    steps: list[tuple[str, str, dict[str, Any] | None, dict[str, Any], str | None]] = [
        (
            exporter.email,
            f"{ENTITY_CASE}.ApplicationDrafted",
            None,
            {"status": case.status.value, "type": application.application_type.value},
            None,
        )
    ]

    def move(moved: lic.Case, event: lic.CaseEvent, actor: str) -> lic.Case:
        steps.append(
            (
                actor,
                f"{ENTITY_CASE}.{event.name}",
                {"status": event.before.value, "version": moved.version - 1},
                {"status": event.after.value, "version": moved.version, "action": event.action},
                event.note or None,
            )
        )
        return moved

    case = move(*lic.transition(case, A.SUBMIT, Actor.EXPORTER, exporter_id), exporter.email)
    assessment: lic.Assessment | None = None
    licence_row: dict[str, Any] | None = None
    if status is not S.SUBMITTED:
        case = move(*lic.transition(case, A.START_ASSESSMENT, Actor.OFFICER, officer), officer)
        if status in (S.UNDER_ASSESSMENT, S.AWAITING_EXPORTER) and rng.random() < 0.08:
            amended = application_body(rng) | {"application_type": application.application_type.value}
            case = move(
                *lic.amend_application(
                    case,
                    domain_application(case_id, exporter.organisation_id, amended),
                    actor_id=exporter_id,
                    reason="Corrected quantities after the customer's revised order",
                ),
                exporter.email,
            )
        if status is S.AWAITING_EXPORTER:
            note = "Please provide the end-user statement signed by the end user."
            case = move(
                *lic.transition(case, A.REQUEST_INFORMATION, Actor.OFFICER, officer, note=note), officer
            )
    if (status is S.UNDER_ASSESSMENT and rng.random() < 0.5) or status in (S.RECOMMENDED, S.DECIDED):
        kind = weighted(rng, {"grant": 0.6, "grant_with_conditions": 0.2, "deny": 0.2})
        assessment = _assessment(rng, officer, deny=kind == "deny")
        recorded = replace(case, version=case.version + 1)
        event = lic.CaseEvent(
            "AssessmentRecorded", case.id, "assess", Actor.OFFICER, officer, case.status, case.status,
            recorded.version, ", ".join(sorted(assessment.concerns)),
        )  # fmt: skip
        case = move(recorded, event, officer)
        if status in (S.RECOMMENDED, S.DECIDED):
            recommendation = lic.Recommendation(
                kind=lic.RecommendationKind(kind),
                officer_id=officer,
                assessment=assessment,
                reasoning="Assessed against every criterion of Art. 15; see findings.",
                criteria_relied_on=tuple(sorted(assessment.concerns)) if kind == "deny" else (),
                conditions=("No re-export without prior written consent",)
                if kind == "grant_with_conditions"
                else (),
            )
            case = move(*lic.recommend(case, recommendation), officer)
            if status is S.DECIDED:
                outcome = lic.DecisionOutcome.DENIED if kind == "deny" else lic.DecisionOutcome.GRANTED
                decision = lic.countersign(
                    recommendation,
                    outcome=outcome,
                    countersigner_id=authority.senior,
                    countersigner_roles={Actor.SENIOR},
                    case_version=case.version,
                )
                case = move(*lic.decide(case, decision), authority.senior)
    submitted = created + timedelta(hours=rng.uniform(0.2, 72))
    updated = min(now - timedelta(minutes=5), submitted + timedelta(days=rng.uniform(0, 60)))
    if case.decision is not None and case.decision.outcome is not lic.DecisionOutcome.DENIED:
        start = updated.date()
        licence_sequence[(authority.state, start.year)] += 1
        number = lic.licence_number(
            authority.state, start.year, licence_sequence[(authority.state, start.year)]
        )
        current = case.current_application
        licence = lic.issue_licence(
            number=number,
            case_id=case.id,
            holder_id=exporter_id,
            licence_type=current.application_type,
            valid_from=start,
            valid_until=lic.latest_valid_until(current.application_type, start),
            items=tuple(
                lic.LicensedItem(n, i.control_code, i.description, i.unit, i.quantity, i.value_eur)
                for n, i in enumerate(current.items, start=1)
            ),
            conditions=case.decision.recommendation.conditions,
        )
        licence_row = {
            "id": licence_id,
            "case_id": case_id,
            "number": number,
            "member_state": authority.state,
            "status": licence.status.value,
            "version": licence.version,
            "data": licence_to_json(licence),
            "check_code": lic.check_code(number, secret),
            "issued_at": updated,
        }
        steps.append(
            (
                authority.senior,
                f"{ENTITY_LICENCE}.LicenceIssued",
                None,
                {
                    "case": case_id,
                    "valid_from": start.isoformat(),
                    "valid_until": licence.valid_until.isoformat(),
                    "items": len(licence.items),
                },
                None,
            )
        )
    stored = StoredCase(
        id=case_id,
        organisation_id=exporter.organisation_id,
        member_state=authority.state,
        case=case,
        assessment=assessment,
        submitted_at=submitted,
        created_at=created,
        updated_at=updated,
    )
    span = (updated - created) / max(1, len(steps) - 1)
    events = [
        {
            "occurred_at": created + span * n,
            "actor": actor,
            "action": action,
            "entity_type": ENTITY_LICENCE if action.startswith(ENTITY_LICENCE) else ENTITY_CASE,
            "entity_id": licence_row["number"]
            if action.startswith(ENTITY_LICENCE) and licence_row
            else str(case_id),
            "before": before,
            "after": after,
            "reason": reason,
        }
        for n, (actor, action, before, after, reason) in enumerate(steps)
    ]
    case_row = {
        "id": case_id,
        "organisation_id": exporter.organisation_id,
        "member_state": authority.state,
        "status": case.status.value,
        "version": case.version,
        "data": _case_data(stored),  # exactly what SqlLicensing writes
        "submitted_at": submitted,
        "created_at": created,
        "updated_at": updated,
    }
    return Seeded(case_row, licence_row, events, *queue_index_rows(stored))


def seed_cases(
    engine: Engine, world: World, rng: random.Random, cases: int, secret: bytes, console: Console
) -> None:
    """Build ``cases`` cases with the domain and bulk-insert them, their licences and audit events."""
    now = datetime.now(UTC)
    by_state: dict[str, list[Exporter]] = defaultdict(list)
    for exporter in world.exporters:
        by_state[exporter.state].append(exporter)
    licence_sequence: Counter[tuple[str, int]] = Counter()
    case_rows: list[dict[str, Any]] = []
    licence_rows: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    destination_rows: list[dict[str, Any]] = []
    item_rows: list[dict[str, Any]] = []
    batch = 1000
    columns = (
        TextColumn("{task.description:<28}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console) as progress:
        build = progress.add_task("building cases (domain)", total=cases)
        for case_id in range(1, cases + 1):
            state = rng.choices(STATES, weights=STATE_WEIGHTS)[0]
            exporter = rng.choice(by_state[state])
            status = weighted(rng, STATUS_MIX)
            seeded = seed_case(
                rng,
                case_id,
                exporter,
                world.authorities[state],
                status,
                now,
                secret,
                licence_sequence,
                len(licence_rows) + 1,
            )
            case_rows.append(seeded.case_row)
            if seeded.licence_row:
                licence_rows.append(seeded.licence_row)
            events.extend(seeded.events)
            destination_rows.extend(seeded.destination_rows)
            item_rows.extend(seeded.item_rows)
            exporter.case_ids.append(case_id)
            world.cases_by_state[state].append(case_id)
            world.status_counts[(state, status.value)] += 1
            if case_id % 250 == 0 or case_id == cases:
                progress.update(build, completed=case_id)
        insert = progress.add_task(
            "inserting rows (bulk)",
            total=len(case_rows) + len(licence_rows) + len(events) + len(destination_rows) + len(item_rows),
        )
        with engine.begin() as connection:
            last = connection.execute(
                text("SELECT sequence, hash FROM audit_events ORDER BY sequence DESC LIMIT 1")
            ).first()
            sequence, previous = (last[0], last[1]) if last else (0, GENESIS_HASH)
            events.sort(key=lambda e: e["occurred_at"])  # the trail reads in time order
            for event in events:
                sequence += 1
                event["sequence"] = sequence
                digest = event_hash(previous_hash=previous, **event)
                event["previous_hash"], event["hash"] = previous, digest
                previous = digest
            for table, rows in (
                (t.licensing_cases, case_rows),
                (t.licensing_case_destinations, destination_rows),
                (t.licensing_case_items, item_rows),
                (t.licences, licence_rows),
                (t.audit_events, events),
            ):
                for start in range(0, len(rows), batch):
                    chunk = rows[start : start + batch]
                    connection.execute(table.insert(), chunk)
                    progress.advance(insert, len(chunk))
            for table_name in ("licensing_cases", "licences"):
                connection.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table_name}', 'id'), "  # noqa: S608 - our own names
                        f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {table_name}), false)"
                    )
                )
    with engine.connect() as connection:
        connection.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))
    world.licences = len(licence_rows)
    world.audit_events = len(events)


# --------------------------------------------------------------------------- database and server
@contextmanager
def fresh_database(admin_url: str, console: Console) -> Iterator[str]:
    name = f"dualuse_bench_{datetime.now(UTC):%Y%m%d_%H%M%S}_{os.getpid()}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    console.print(f"database [bold]{name}[/] created")
    try:
        yield name
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        console.print(f"database {name} dropped")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def running_server(
    database_url: str, secret_key: str, workers: int, console: Console
) -> Iterator[tuple[str, int]]:
    port = free_port()
    env = os.environ | {
        "DUALUSE_ENV": "production",
        "DUALUSE_DATABASE_URL": database_url,
        "DUALUSE_SECRET_KEY": secret_key,
        "DUALUSE_DEMO": "false",
    }
    command = [
        sys.executable, "-m", "uvicorn", "dualuse.entrypoints.http.app:create_app", "--factory",
        "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
        "--no-access-log", "--log-level", "warning",
    ]  # fmt: skip
    log = tempfile.NamedTemporaryFile(prefix="dualuse-bench-", suffix=".log", delete=False)  # noqa: SIM115
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    try:
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the server exited ({process.returncode}):\n{_tail(log.name)}")
            if time.perf_counter() - started > 90:
                raise RuntimeError(f"the server did not answer /healthz within 90 s:\n{_tail(log.name)}")
            with suppress(httpx.HTTPError):
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            time.sleep(0.25)
        console.print(
            f"server up in {time.perf_counter() - started:.1f} s: uvicorn, {workers} worker(s), {base} (pid {process.pid})"
        )
        yield base, process.pid
    finally:
        _stop(process)
        log.close()
        problems = _tail(log.name, 40)
        if problems.strip():
            console.print(f"[yellow]server log (last lines):[/]\n{problems}")
        Path(log.name).unlink(missing_ok=True)


def _tail(path: str, lines: int = 25) -> str:
    return "\n".join(Path(path).read_text(errors="replace").splitlines()[-lines:])


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # the group we started (start_new_session)
        process.wait(timeout=10)


# --------------------------------------------------------------------------- CPU accounting (Linux /proc)
_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _proc_stats() -> list[tuple[int, int, str, float]]:
    """(pid, parent pid, command, CPU seconds) of every process."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with suppress(OSError, ValueError, IndexError):
            raw = (entry / "stat").read_text()
            command = raw[raw.index("(") + 1 : raw.rindex(")")]
            fields = raw[raw.rindex(")") + 2 :].split()
            found.append(
                (int(entry.name), int(fields[1]), command, (int(fields[11]) + int(fields[12])) / _TICKS)
            )
    return found


@dataclass(frozen=True)
class CpuSample:
    server: float  # the uvicorn process and its workers
    database: float  # every PostgreSQL process (the server's, not only our connections')
    generator: float  # this process: the load generator

    @staticmethod
    def take(server_pid: int) -> CpuSample:
        stats = _proc_stats()
        tree, server = {server_pid}, 0.0
        for _ in range(3):  # workers are children (or grandchildren) of the supervisor
            tree |= {pid for pid, parent, _, _ in stats if parent in tree}
        server = sum(cpu for pid, _, _, cpu in stats if pid in tree)
        database = sum(cpu for _, _, command, cpu in stats if command.startswith("postgres"))
        own = os.times()
        return CpuSample(server, database, own.user + own.system)

    def __sub__(self, other: CpuSample) -> CpuSample:
        return CpuSample(
            self.server - other.server, self.database - other.database, self.generator - other.generator
        )


# --------------------------------------------------------------------------- load
@dataclass
class Recorder:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    bytes: dict[str, int] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    examples: dict[str, str] = field(default_factory=dict)

    async def call(
        self, client: aiohttp.ClientSession, kind: str, method: str, url: str, **kwargs: Any
    ) -> Any:
        """One request, timed until its whole body is read; the JSON body when it succeeded."""
        started = time.perf_counter()
        try:
            async with client.request(method, url, **kwargs) as response:
                body = await response.read()
        except (aiohttp.ClientError, TimeoutError) as error:
            self.latencies[kind].append((time.perf_counter() - started) * 1000)
            self.errors[kind] += 1
            self.examples.setdefault(kind, f"{type(error).__name__}: {error}")
            return None
        self.latencies[kind].append((time.perf_counter() - started) * 1000)
        self.bytes[kind] += len(body)
        if not 200 <= response.status < 300:
            self.errors[kind] += 1
            self.examples.setdefault(kind, f"HTTP {response.status}: {body[:300].decode(errors='replace')}")
            return None
        return json.loads(body)


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def client_loop(
    client: aiohttp.ClientSession,
    world: World,
    recorder: Recorder,
    rng: random.Random,
    deadline: float,
    think: float,
    mix: Sequence[tuple[str, int]],
) -> None:
    kinds = [k for k, _ in mix]
    weights = [w for _, w in mix]
    if think:
        # Users arrive over one think time, not all in the same millisecond (a ramp-up, as people do).
        await asyncio.sleep(rng.uniform(0, think))
    while time.perf_counter() < deadline:
        kind = rng.choices(kinds, weights=weights)[0]
        if kind == FLOOR:
            await recorder.call(client, FLOOR, "GET", "/healthz")
        elif kind.startswith("queue"):
            authority = world.authorities[rng.choices(STATES, weights=STATE_WEIGHTS)[0]]
            params = {"status": weighted(rng, QUEUE_STATUSES)}
            if "destination" in kind:
                params["destination"] = weighted(rng, DESTINATIONS)
            token = rng.choice(authority.officer_tokens)
            await recorder.call(client, kind, "GET", "/api/v1/cases", params=params, headers=_bearer(token))
        elif kind == "case page (authority)":
            state = rng.choices(STATES, weights=STATE_WEIGHTS)[0]
            case_id = rng.choice(world.cases_by_state[state])
            token = rng.choice(world.authorities[state].officer_tokens)
            await recorder.call(client, kind, "GET", f"/api/v1/cases/{case_id}", headers=_bearer(token))
            # the case page shows its evidence beside it (issue 19): screening, flags, queue, precedents
            await recorder.call(
                client, EVIDENCE, "GET", f"/api/v1/cases/{case_id}/evidence", headers=_bearer(token)
            )
        elif kind == "application page (exporter)":
            exporter = rng.choice(world.exporters)
            case_id = rng.choice(exporter.case_ids)
            await recorder.call(
                client, kind, "GET", f"/api/v1/applications/{case_id}", headers=_bearer(exporter.token)
            )
        else:
            exporter = rng.choice(world.exporters)
            headers = _bearer(exporter.token)
            body = application_body(rng)
            created = await recorder.call(
                client, "create application", "POST", "/api/v1/applications", json=body, headers=headers
            )
            if created is not None:
                case_id = created["id"]
                submitted = await recorder.call(
                    client,
                    "submit application",
                    "POST",
                    f"/api/v1/applications/{case_id}/submit",
                    json={"declaration": True},
                    headers=headers,
                )
                if submitted is not None:
                    exporter.case_ids.append(case_id)
                    world.cases_by_state[exporter.state].append(case_id)
        if think:
            await asyncio.sleep(rng.expovariate(1 / think))


async def drive(
    base: str,
    world: World,
    args: argparse.Namespace,
    console: Console,
    *,
    clients: int,
    think_ms: float,
    duration: float,
    seed: int,
    label: str,
) -> tuple[Recorder, float]:
    mix = [(kind, weight) for kind, weight in MIX if not any(w in kind for w in args.without)]
    think = think_ms / 1000
    recorder = Recorder()
    # Idle connections are let go after 2 s, before the server's keep-alive timeout (5 s) closes them:
    # otherwise a request can race the server's close and fail with a reset connection.
    connector = aiohttp.TCPConnector(limit=clients + 10, keepalive_timeout=2)
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(base, connector=connector, timeout=timeout) as client:
        started = time.perf_counter()
        deadline = started + duration
        tasks = [
            asyncio.create_task(
                client_loop(client, world, recorder, random.Random(seed * 1000 + n), deadline, think, mix)
            )
            for n in range(clients)
        ]
        columns = (
            TextColumn("{task.description:<28}"),
            BarColumn(),
            TextColumn("{task.fields[done]} requests"),
        )
        with Progress(*columns, TimeElapsedColumn(), console=console, transient=True) as progress:
            bar = progress.add_task(label, total=duration, done=0)
            while not all(task.done() for task in tasks):
                await asyncio.sleep(0.5)
                done = sum(len(v) for v in recorder.latencies.values())
                progress.update(bar, completed=min(duration, time.perf_counter() - started), done=done)
        await asyncio.gather(*tasks)
        elapsed = time.perf_counter() - started
    return recorder, elapsed


# --------------------------------------------------------------------------- report
def percentile(ordered: Sequence[float], p: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    if not ordered:
        return math.nan
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


@dataclass(frozen=True)
class Stats:
    count: int
    rate: float
    p50: float
    p95: float
    p99: float
    maximum: float
    errors: int
    kb: float


def stats(latencies: Sequence[float], errors: int, size: int, elapsed: float) -> Stats:
    ordered = sorted(latencies)
    return Stats(
        count=len(ordered),
        rate=len(ordered) / elapsed,
        p50=percentile(ordered, 50),
        p95=percentile(ordered, 95),
        p99=percentile(ordered, 99),
        maximum=ordered[-1] if ordered else math.nan,
        errors=errors,
        kb=size / len(ordered) / 1024 if ordered else math.nan,
    )


def report(
    recorder: Recorder,
    elapsed: float,
    title: str,
    cpu: CpuSample,
    console: Console,
    *,
    clients: int,
    verdict: bool,
) -> bool:
    """The table of one phase; with ``verdict``, PASS/FAIL against the target (the return value)."""
    table = Table(title=title)
    for header in ("request", "count", "req/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "avg KB", "errors"):
        table.add_column(header, justify="left" if header == "request" else "right")

    def row(label: str, s: Stats, style: str = "") -> None:
        table.add_row(
            label, f"{s.count}", f"{s.rate:.1f}", f"{s.p50:.1f}", f"{s.p95:.1f}", f"{s.p99:.1f}",
            f"{s.maximum:.1f}", f"{s.kb:.1f}", f"{s.errors}", style=style,
        )  # fmt: skip

    app_latencies: list[float] = []
    app_errors = app_bytes = 0
    per_kind: dict[str, Stats] = {}
    for kind in KINDS_IN_REPORT:
        values = recorder.latencies.get(kind, [])
        per_kind[kind] = stats(values, recorder.errors[kind], recorder.bytes[kind], elapsed)
        row(kind, per_kind[kind])
        app_latencies.extend(values)
        app_errors += recorder.errors[kind]
        app_bytes += recorder.bytes[kind]
    overall = stats(app_latencies, app_errors, app_bytes, elapsed)
    table.add_section()
    row("overall (app requests)", overall, "bold")
    floor = stats(recorder.latencies.get(FLOOR, []), recorder.errors[FLOOR], recorder.bytes[FLOOR], elapsed)
    row("/healthz (floor)", floor, "dim")
    console.print(table)
    total = sum(len(v) for v in recorder.latencies.values())
    errors = sum(recorder.errors.values())
    console.print(
        f"throughput: {total / elapsed:.1f} requests/s in all ({overall.rate:.1f}/s app, {floor.rate:.1f}/s /healthz); "
        f"errors: {errors} of {total}"
    )
    console.print(
        f"floor: /healthz p50 {floor.p50:.1f} ms, p95 {floor.p95:.1f} ms under the same load "
        f"(app p95 is {overall.p95 / floor.p95:.1f}× the floor)"
    )
    per_request = 1000 / total if total else math.nan
    console.print(
        f"CPU per request: server {cpu.server * per_request:.1f} ms, PostgreSQL {cpu.database * per_request:.1f} ms, "
        f"load generator {cpu.generator * per_request:.1f} ms "
        f"(cores busy: {(cpu.server + cpu.database + cpu.generator) / elapsed:.2f} of {os.cpu_count()})"
    )
    for kind, example in sorted(recorder.examples.items()):
        console.print(f"[red]first error of {kind}:[/] {example}")
    if not verdict:
        # Little's law: clients that never pause keep every one of them waiting, so the mean latency
        # is the number of clients over the throughput, whatever the code does.
        console.print(
            f"saturated: {total / elapsed:.0f} requests/s is the capacity of this machine for this mix; "
            f"with {clients} clients that never pause, the mean latency is clients / throughput = "
            f"{1000 * clients / (total / elapsed):.0f} ms (Little's law), whatever the code does"
        )
        return errors == 0
    slow = [k for k, s in per_kind.items() if s.p95 > TARGET_P95_MS]
    if slow:
        console.print(f"request types above {TARGET_P95_MS:.0f} ms at p95: {', '.join(slow)}")
    passed = errors == 0 and overall.p95 <= TARGET_P95_MS
    verdict = "[bold green]PASS[/]" if passed else "[bold red]FAIL[/]"
    console.print(
        f"{verdict}: errors {errors} (target 0), overall p95 {overall.p95:.1f} ms (target ≤ {TARGET_P95_MS:.0f} ms)"
    )
    return passed


# --------------------------------------------------------------------------- main
def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of measured load (default 30)")
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients (default 50)")
    parser.add_argument(
        "--warmup", type=float, default=5.0, help="seconds of unmeasured load first, as the users (default 5)"
    )
    parser.add_argument(
        "--think-ms",
        type=float,
        default=1000.0,
        help="mean think time of a user between two turns, exponentially distributed (default 1000)",
    )
    parser.add_argument(
        "--capacity-duration",
        type=float,
        default=15.0,
        help="seconds of the second phase, the same clients with no think time (capacity); 0 skips it",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=2 * (os.cpu_count() or 1),
        help="uvicorn worker processes (default: two per core, so that a request waiting for the "
        "database or another thread's turn at the GIL leaves the core to another process)",
    )
    parser.add_argument("--cases", type=int, default=10_000, help="cases to seed (default 10000)")
    parser.add_argument("--exporters", type=int, default=30, help="exporters across DE, FR, NL (default 30)")
    parser.add_argument("--seed", type=int, default=6, help="random seed (default 6)")
    parser.add_argument(
        "--without",
        action="append",
        default=[],
        metavar="KIND",
        help="leave request kinds containing KIND out of the mix, e.g. --without queue (to find where time goes)",
    )
    parser.add_argument(
        "--postgres",
        default=os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432"),
        help="PostgreSQL server, without a database (default postgresql://postgres@127.0.0.1:5432)",
    )
    return parser.parse_args(argv)


def timed(console: Console, what: str, work: Callable[[], Any]) -> Any:
    started = time.perf_counter()
    result = work()
    console.print(f"{what} in {time.perf_counter() - started:.1f} s")
    return result


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    console = Console()
    if not console.is_terminal and console.width < 130:
        console = Console(width=130)  # the report table stays readable when the output is captured
    rng = random.Random(args.seed)
    secret_key = secrets.token_urlsafe(32)
    server = args.postgres.rstrip("/")
    setup_done = False
    try:
        with fresh_database(f"{server}/postgres", console) as name:
            url = f"{server.replace('postgresql://', 'postgresql+psycopg://', 1)}/{name}"
            engine = make_engine(url)
            try:
                timed(console, "migrated", lambda: migrate.upgrade(engine))
                world = timed(
                    console,
                    f"{len(STATES)} authorities, {args.exporters} exporters, users and tokens created",
                    lambda: create_identities(engine, rng, args.exporters),
                )
                timed(
                    console,
                    f"seeded {args.cases} cases",
                    lambda: seed_cases(
                        engine, world, rng, args.cases, check_code_secret(secret_key), console
                    ),
                )
            finally:
                engine.dispose()
            statuses = sorted({s for _, s in world.status_counts})
            mix = Table(title="seeded cases", show_edge=False)
            mix.add_column("state")
            for status in statuses:
                mix.add_column(status, justify="right")
            mix.add_column("total", justify="right")
            for state in STATES:
                counts = [world.status_counts[(state, s)] for s in statuses]
                mix.add_row(state, *map(str, counts), str(sum(counts)))
            console.print(mix)
            console.print(f"{world.licences} licences, {world.audit_events} audit events")
            with running_server(url.replace("+psycopg", ""), secret_key, args.workers, console) as (
                base,
                pid,
            ):

                def phase(
                    think_ms: float, duration: float, seed: int, label: str
                ) -> tuple[Recorder, float, CpuSample]:
                    before = CpuSample.take(pid)
                    recorder, elapsed = asyncio.run(
                        drive(
                            base,
                            world,
                            args,
                            console,
                            clients=args.clients,
                            think_ms=think_ms,
                            duration=duration,
                            seed=seed,
                            label=label,
                        )
                    )
                    return recorder, elapsed, CpuSample.take(pid) - before

                # The load generator's own pauses would count as latency: what the set-up left behind
                # is collected now and the rest frozen, so no full collection stalls a phase.
                gc.collect()
                gc.freeze()
                if args.warmup > 0:
                    phase(args.think_ms, args.warmup, args.seed + 1, "warm-up")
                setup_done = True
                users = phase(args.think_ms, args.duration, args.seed, "users")
                capacity = (
                    phase(0, args.capacity_duration, args.seed + 2, "capacity")
                    if args.capacity_duration > 0
                    else None
                )
            where = f"{args.workers} uvicorn worker(s), {os.cpu_count()} cores shared with PostgreSQL and the load generator"
            recorder, elapsed, cpu = users
            report(
                recorder,
                elapsed,
                f"Target: {args.clients} users, mean think time {args.think_ms:.0f} ms, {elapsed:.1f} s; {where}",
                cpu,
                console,
                clients=args.clients,
                verdict=True,
            )
            if capacity is not None:
                recorder, elapsed, cpu = capacity
                console.print()
                report(
                    recorder,
                    elapsed,
                    f"Capacity: {args.clients} clients with no think time, {elapsed:.1f} s; {where}",
                    cpu,
                    console,
                    clients=args.clients,
                    verdict=False,
                )
    except Exception as error:
        if setup_done:
            raise
        console.print(f"[bold red]setup failed:[/] {type(error).__name__}: {error}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
