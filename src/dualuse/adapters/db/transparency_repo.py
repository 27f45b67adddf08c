"""Persistence of the annual report (Art. 26(2)): the decision figures written beside each decided case, the
sums the report is made of (GROUP BY in the database, per exporter and then per cell, so that the
confidentiality rule sees how many exporters contribute and the largest one's share), and the member states'
submitted parts."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Connection,
    Numeric,
    RowMapping,
    and_,
    case,
    cast,
    delete,
    distinct,
    func,
    literal,
    literal_column,
    select,
    text,
    union,
)
from sqlalchemy.exc import IntegrityError

from dualuse.adapters.db import tables as t
from dualuse.adapters.db.rows import aware, new_id, now
from dualuse.domain.errors import ConflictError
from dualuse.domain.identity import Role
from dualuse.domain.licensing import ApplicationStatus, DecisionOutcome, PartyRole
from dualuse.domain.transparency import Figure, category_of
from dualuse.services.clock import brussels_day
from dualuse.services.transparency.ports import StoredPart
from dualuse.services.unit_of_work import StoredCase

CENT = Decimal("0.01")
GRANTED = (DecisionOutcome.GRANTED.value, DecisionOutcome.PARTIALLY_GRANTED.value)


def cents(value: Decimal) -> int:
    return int((value / CENT).to_integral_value())


def euro(value: Any) -> Decimal:
    return (Decimal(int(value or 0)) * CENT).quantize(CENT)


def decision_rows(stored: StoredCase, decided_on: date) -> list[dict[str, Any]]:
    """The figures of a decided case, one per item line of its current application. The destination of a
    case is the country of its end-user when that is one of the destinations, else the first destination
    (a case counts once, under one destination)."""
    case = stored.case
    if case.decision is None:
        return []
    application = case.current_application
    end_users = [p.country for p in application.parties_in_role(PartyRole.END_USER)]
    destinations = list(application.destinations)
    destination = next((c for c in end_users if c in destinations), destinations[0] if destinations else "--")
    seen: set[str] = set()
    rows = []
    for line, item in enumerate(application.items, start=1):
        category = category_of(item.control_code)
        rows.append(
            {
                "case_id": stored.id,
                "line": line,
                "member_state": stored.member_state,
                "year": decided_on.year,
                "decided_on": decided_on,
                "organisation_id": stored.organisation_id,
                "application_type": application.application_type.value,
                "outcome": case.decision.outcome.value,
                "control_code": item.control_code.strip(),
                "category": category,
                "destination": destination,
                "case_count": 1 if line == 1 else 0,
                "category_count": 0 if category in seen else 1,
                "value_cents": cents(item.value_eur),
            }
        )
        seen.add(category)
    return rows


def record_decision(connection: Connection, stored: StoredCase) -> None:
    """Write the figures of a case the moment it is decided (once: a later save keeps the first day)."""
    if stored.case.status is not ApplicationStatus.DECIDED or stored.case.decision is None:
        return
    d = t.transparency_decisions
    if connection.execute(select(d.c.id).where(d.c.case_id == stored.id).limit(1)).first() is not None:
        return
    rows = decision_rows(stored, brussels_day(now()))
    if rows:
        connection.execute(d.insert(), rows)


def _year_bounds(year: int) -> tuple[datetime, datetime]:
    return datetime(year, 1, 1, tzinfo=UTC), datetime(year + 1, 1, 1, tzinfo=UTC)


def _figures(connection: Connection, key: str, per_exporter: Any) -> list[Figure]:
    """Sum a per-exporter subquery (columns ``row``, ``col``, ``exporter``, ``n``, ``v``) per cell."""
    s = per_exporter.subquery()
    query = select(
        s.c.row,
        s.c.col,
        func.sum(s.c.n),
        func.sum(s.c.v),
        func.count(),
        func.max(s.c.v),
    ).group_by(s.c.row, s.c.col)
    return [
        Figure(key, str(row), str(col), int(n or 0), euro(v), int(e), euro(top))
        for row, col, n, v, e, top in connection.execute(query)
    ]


_GRANTED_SQL = "('granted', 'partially_granted')"
# g = GROUPING(application_type, destination, category): 3 by type, 5 by destination, 6 by category
_ONE_PASS = text(
    f"""
    WITH s AS (
        SELECT member_state, organisation_id, outcome, application_type, destination, category,
               GROUPING(application_type, destination, category) AS g,
               SUM(case_count) AS n_case, SUM(category_count) AS n_category, SUM(value_cents) AS v
        FROM transparency_decisions
        WHERE year = :year
        GROUP BY GROUPING SETS (
            (member_state, organisation_id, outcome, application_type),
            (member_state, organisation_id, outcome, destination),
            (member_state, organisation_id, outcome, category)
        )
    ), per_exporter AS (
        SELECT 'licence_types' AS key, member_state, organisation_id, application_type AS col,
               SUM(n_case) AS n, SUM(v) AS v
        FROM s WHERE g = 3 AND outcome IN {_GRANTED_SQL}
        GROUP BY member_state, organisation_id, application_type
        UNION ALL
        SELECT 'decisions', member_state, organisation_id, outcome, SUM(n_case), SUM(v)
        FROM s WHERE g = 3 GROUP BY member_state, organisation_id, outcome
        UNION ALL
        SELECT 'destinations', member_state, organisation_id, destination, SUM(n_case), SUM(v)
        FROM s WHERE g = 5 AND outcome IN {_GRANTED_SQL}
        GROUP BY member_state, organisation_id, destination
        UNION ALL
        SELECT 'denials', member_state, organisation_id, destination, n_case, v
        FROM s WHERE g = 5 AND outcome = 'denied'
        UNION ALL
        SELECT 'categories', member_state, organisation_id, category, SUM(n_category), SUM(v)
        FROM s WHERE g = 6 AND outcome IN {_GRANTED_SQL}
        GROUP BY member_state, organisation_id, category
    )
    SELECT key, member_state, col, SUM(n), SUM(v), COUNT(*), MAX(v)
    FROM per_exporter GROUP BY key, member_state, col
    """  # noqa: S608 - constants of this module only; the year is a bound parameter
)


class SqlTransparency:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def _room_to_sum(self) -> None:
        """Give PostgreSQL's hash aggregation the memory to keep one group per exporter and cell (a
        million decisions make a few hundred thousand) without spilling to disk, for this transaction only."""
        if self._c.dialect.name == "postgresql":
            self._c.execute(text("SET LOCAL work_mem = '256MB'"))

    def years(self) -> Sequence[int]:
        d, p = t.transparency_decisions, t.annual_report_parts
        query = union(select(d.c.year).distinct(), select(p.c.year).distinct())
        return sorted({int(y) for (y,) in self._c.execute(query)}, reverse=True)

    def decision_codes(self, year: int) -> Collection[str]:
        d = t.transparency_decisions
        codes = {c for (c,) in self._c.execute(select(d.c.control_code).where(d.c.year == year).distinct())}
        start, end = _year_bounds(year)
        c, i = t.licensing_cases, t.licensing_case_items
        submitted = (
            select(i.c.control_code)
            .join(c, c.c.id == i.c.case_id)
            .where(c.c.submitted_at >= start, c.c.submitted_at < end)
            .distinct()
        )
        codes.update(code for (code,) in self._c.execute(submitted))
        return codes

    def _by(
        self, year: int, column: ColumnElement[Any], *where: ColumnElement[bool], count: str = "case"
    ) -> Any:
        """Per exporter: the decisions (each case once) and their value, by member state and ``column``.
        ``count``: ``case`` for a breakdown constant over a case (type, outcome, destination), ``category``
        for one by the items' category."""
        d = t.transparency_decisions
        counted = {
            "case": func.sum(d.c.case_count),
            "category": func.sum(d.c.category_count),
        }[count]
        return (
            select(
                d.c.member_state.label("row"),
                column.label("col"),
                d.c.organisation_id.label("exporter"),
                counted.label("n"),
                func.sum(d.c.value_cents).label("v"),
            )
            .where(d.c.year == year, *where)
            .group_by(d.c.member_state, column, d.c.organisation_id)
        )

    def decision_figures(self, year: int, cyber_codes: Collection[str]) -> Sequence[Figure]:
        self._room_to_sum()
        d = t.transparency_decisions
        if self._c.dialect.name == "postgresql":
            out = self._decision_figures_in_one_pass(year)
        else:
            granted = d.c.outcome.in_(GRANTED)
            denied = d.c.outcome == DecisionOutcome.DENIED.value
            out = [
                *_figures(self._c, "licence_types", self._by(year, d.c.application_type, granted)),
                *_figures(self._c, "decisions", self._by(year, d.c.outcome)),
                *_figures(self._c, "destinations", self._by(year, d.c.destination, granted)),
                *_figures(self._c, "categories", self._by(year, d.c.category, granted, count="category")),
                *_figures(self._c, "denials", self._by(year, d.c.destination, denied)),
            ]
        if cyber_codes:
            # each case once (its cyber-surveillance lines summed), grouped by hashing rather than by the
            # sort COUNT(DISTINCT) needs
            cases = (
                select(
                    d.c.member_state,
                    d.c.organisation_id,
                    d.c.outcome,
                    d.c.destination,
                    d.c.case_id,
                    func.sum(d.c.value_cents).label("v"),
                )
                .where(d.c.year == year, d.c.control_code.in_(sorted(cyber_codes)))
                .group_by(d.c.member_state, d.c.organisation_id, d.c.outcome, d.c.destination, d.c.case_id)
                .subquery()
            )
            for key, column in (
                ("cyber_decisions", cases.c.outcome),
                ("cyber_destinations", cases.c.destination),
            ):
                per_exporter = select(
                    cases.c.member_state.label("row"),
                    column.label("col"),
                    cases.c.organisation_id.label("exporter"),
                    func.count().label("n"),
                    func.sum(cases.c.v).label("v"),
                ).group_by(cases.c.member_state, column, cases.c.organisation_id)
                out += _figures(self._c, key, per_exporter)
            start, end = _year_bounds(year)
            c, i = t.licensing_cases, t.licensing_case_items
            applications = (
                select(
                    c.c.member_state.label("row"),
                    i.c.control_code.label("col"),
                    c.c.organisation_id.label("exporter"),
                    func.count(distinct(c.c.id)).label("n"),
                    literal(0).label("v"),
                )
                .join(i, i.c.case_id == c.c.id)
                .where(
                    c.c.submitted_at >= start,
                    c.c.submitted_at < end,
                    i.c.control_code.in_(sorted(cyber_codes)),
                )
                .group_by(c.c.member_state, i.c.control_code, c.c.organisation_id)
            )
            out += _figures(self._c, "cyber_applications", applications)
        return out

    def _decision_figures_in_one_pass(self, year: int) -> list[Figure]:
        """The same five tables as the portable queries, in one scan of the year's decisions (PostgreSQL's
        GROUPING SETS: one pass, one hash table per breakdown), summed per exporter and then per cell."""
        rows = self._c.execute(_ONE_PASS, {"year": year}).all()
        return [
            Figure(str(key), str(row), str(col), int(n or 0), euro(v), int(e), euro(top))
            for key, row, col, n, v, e, top in rows
        ]

    def general_figures(self, year: int, national_ids: Collection[str]) -> Sequence[Figure]:
        r, p, i = t.eugea_registrations, t.eugea_reports, t.eugea_report_items
        start, end = _year_bounds(year)
        registered = (
            select(
                r.c.member_state.label("row"),
                r.c.eugea_id.label("col"),
                r.c.organisation_id.label("exporter"),
                func.count().label("n"),
                literal(0).label("v"),
            )
            .where(r.c.registered_at < end)
            .group_by(r.c.member_state, r.c.eugea_id, r.c.organisation_id)
        )
        joined = p.join(r, and_(r.c.organisation_id == p.c.organisation_id, r.c.eugea_id == p.c.eugea_id))
        in_year = and_(p.c.period_end >= start.date(), p.c.period_end < end.date())
        # the value of a report is the sum of its items where it has them, else the total it gave (older ones)
        item_sum = (
            select(i.c.report_id, func.sum(i.c.value_cents).label("v")).group_by(i.c.report_id).subquery()
        )
        reported_value = func.coalesce(
            item_sum.c.v, cast(cast(p.c.value_eur, Numeric(20, 2)) * 100, BigInteger)
        )

        def use(column: ColumnElement[Any]) -> Any:
            return (
                select(
                    r.c.member_state.label("row"),
                    column.label("col"),
                    p.c.organisation_id.label("exporter"),
                    func.count().label("n"),
                    func.sum(reported_value).label("v"),
                )
                .select_from(joined.outerjoin(item_sum, item_sum.c.report_id == p.c.id))
                .where(in_year)
                .group_by(r.c.member_state, column, p.c.organisation_id)
            )

        # constants written into the SQL (not bound), so that PostgreSQL sees the same expression in the
        # select list and in GROUP BY; the ids are the rulebook's, checked to be plain words
        national: list[ColumnElement[Any]] = [
            literal_column(f"'{g}'") for g in sorted(national_ids) if re.fullmatch(r"[\w-]+", g)
        ]
        kind: ColumnElement[Any] = case(
            (p.c.eugea_id.in_(national or [literal_column("''")]), literal_column("'national_general'")),
            else_=literal_column("'union_general'"),
        )
        by_category = (
            select(
                r.c.member_state.label("row"),
                i.c.category.label("col"),
                p.c.organisation_id.label("exporter"),
                func.count(distinct(p.c.id)).label("n"),
                func.sum(i.c.value_cents).label("v"),
            )
            .select_from(joined.join(i, i.c.report_id == p.c.id))
            .where(in_year)
            .group_by(r.c.member_state, i.c.category, p.c.organisation_id)
        )
        return [
            *_figures(self._c, "registered_users", registered),
            *_figures(self._c, "general_use", use(p.c.eugea_id)),
            *_figures(self._c, "general_use_categories", by_category),
            *_figures(self._c, "licence_types", use(kind)),
        ]

    def administration_figures(self, year: int) -> Sequence[Figure]:
        start, end = _year_bounds(year)
        o, u, c, n, h = t.organisations, t.users, t.licensing_cases, t.authority_notices, t.customs_holds
        queries: list[tuple[str, Any]] = [
            (
                "authority_staff",
                select(o.c.authority_state, func.count())
                .select_from(u.join(o, o.c.id == u.c.organisation_id))
                .where(
                    o.c.authority_state.is_not(None),
                    u.c.is_active.is_(True),
                    u.c.role.in_([Role.AUTHORITY_OFFICER.value, Role.AUTHORITY_SENIOR.value]),
                )
                .group_by(o.c.authority_state),
            ),
            (
                "applications_received",
                select(c.c.member_state, func.count())
                .where(c.c.submitted_at >= start, c.c.submitted_at < end)
                .group_by(c.c.member_state),
            ),
            (
                "notices_issued",
                select(n.c.member_state, func.count())
                .where(n.c.issued_on >= start.date(), n.c.issued_on < end.date())
                .group_by(n.c.member_state),
            ),
            (
                "customs_holds",
                select(h.c.authority_state, func.count())
                .where(h.c.created_at >= start, h.c.created_at < end)
                .group_by(h.c.authority_state),
            ),
        ]
        return [
            Figure("administration", str(state), column, int(count), Decimal(0), 0, Decimal(0))
            for column, query in queries
            for state, count in self._c.execute(query)
        ]

    # --- submitted parts ------------------------------------------------------------------------------
    @staticmethod
    def _part(row: RowMapping) -> StoredPart:
        return StoredPart(
            id=row["id"],
            member_state=row["member_state"],
            year=row["year"],
            status=row["status"],
            figures=row["figures"],
            submitted_by=row["submitted_by"],
            submitted_at=aware(row["submitted_at"]),
        )

    def part(self, member_state: str, year: int) -> StoredPart | None:
        p = t.annual_report_parts
        row = (
            self._c.execute(select(p).where(p.c.member_state == member_state, p.c.year == year))
            .mappings()
            .first()
        )
        return self._part(row) if row else None

    def parts(self, year: int | None = None) -> Sequence[StoredPart]:
        p = t.annual_report_parts
        query = select(p).order_by(p.c.year, p.c.member_state)
        if year is not None:
            query = query.where(p.c.year == year)
        return [self._part(r) for r in self._c.execute(query).mappings()]

    def add_part(self, *, member_state: str, year: int, figures: Mapping[str, Any], by: str) -> int:
        try:
            return new_id(
                self._c.execute(
                    t.annual_report_parts.insert().values(
                        member_state=member_state,
                        year=year,
                        status="submitted",
                        figures=dict(figures),
                        submitted_by=by,
                        submitted_at=now(),
                    )
                )
            )
        except IntegrityError:  # the transaction is spoilt: the unit of work rolls it back
            raise ConflictError(f"the part of {member_state} for {year} is already submitted") from None


def clear_decisions(connection: Connection) -> None:
    """Forget every decision figure (the benchmark's fresh start)."""
    connection.execute(delete(t.transparency_decisions))
