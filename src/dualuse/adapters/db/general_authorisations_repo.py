"""Persistence of Union general export authorisation registrations and reports of use, and the dates of
every record an exporter keeps (Art. 27). Rows come back as plain mappings; the services give them
meaning."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, and_, func, select
from sqlalchemy.exc import IntegrityError

from dualuse.adapters.db import tables as t
from dualuse.adapters.db.rows import aware, new_id
from dualuse.domain.errors import ConflictError
from dualuse.domain.transparency import UseLine, category_of
from dualuse.services.clock import SYSTEM_CLOCK, Clock

Row = Mapping[str, Any]


def _rows(connection: Connection, query: Any) -> list[Row]:
    return [dict(r) for r in connection.execute(query).mappings()]


def _day(value: date | datetime) -> date:
    """The UTC calendar day of a timestamp (a date stays as it is)."""
    return aware(value).astimezone(UTC).date() if isinstance(value, datetime) else value


class SqlGeneralAuthorisations:
    def __init__(self, connection: Connection, clock: Clock = SYSTEM_CLOCK) -> None:
        self._c = connection
        self._clock = clock  # dates the registrations and reports

    # --- registrations ----------------------------------------------------------------------------
    def add_registration(
        self, *, organisation_id: int, eugea_id: str, member_state: str, by: str, at: datetime | None = None
    ) -> int:
        """Registered ``at`` (now when None). Raises ``ConflictError`` when the organisation already
        registered for ``eugea_id``."""
        try:
            result = self._c.execute(
                t.eugea_registrations.insert().values(
                    organisation_id=organisation_id,
                    eugea_id=eugea_id,
                    member_state=member_state,
                    registered_by=by,
                    registered_at=at or self._clock.now(),
                )
            )
        except IntegrityError:
            # The transaction is spoilt either way: the unit of work rolls the registration back.
            raise ConflictError(f"already registered for {eugea_id}", field="eugea_id") from None
        return new_id(result)

    def registration(self, organisation_id: int, eugea_id: str) -> Row | None:
        r = t.eugea_registrations
        row = (
            self._c.execute(select(r).where(r.c.organisation_id == organisation_id, r.c.eugea_id == eugea_id))
            .mappings()
            .first()
        )
        return dict(row) if row else None

    def lock_registration(self, registration_id: int) -> None:
        """A write that changes nothing, holding the registration to the end of the transaction (the row
        lock on PostgreSQL, the database's write lock on SQLite): its reports of use are recorded one at a
        time, each checked against those committed before it."""
        r = t.eugea_registrations
        self._c.execute(r.update().where(r.c.id == registration_id).values(registered_by=r.c.registered_by))

    def registrations(
        self, *, organisation_id: int | None = None, member_state: str | None = None
    ) -> Sequence[Row]:
        r = t.eugea_registrations
        query = select(r).order_by(r.c.id)
        if organisation_id is not None:
            query = query.where(r.c.organisation_id == organisation_id)
        if member_state is not None:
            query = query.where(r.c.member_state == member_state)
        return _rows(self._c, query)

    # --- reports ----------------------------------------------------------------------------------
    def add_report(
        self,
        *,
        organisation_id: int,
        eugea_id: str,
        period_start: date,
        period_end: date,
        shipments: int,
        value_eur: Decimal,
        destinations: Sequence[str],
        by: str,
        items: Sequence[UseLine] = (),
    ) -> int:
        report_id = new_id(
            self._c.execute(
                t.eugea_reports.insert().values(
                    organisation_id=organisation_id,
                    eugea_id=eugea_id,
                    period_start=period_start,
                    period_end=period_end,
                    shipments=shipments,
                    value_eur=str(value_eur),
                    destinations=list(destinations),
                    submitted_by=by,
                    submitted_at=self._clock.now(),
                )
            )
        )
        if items:
            self._c.execute(
                t.eugea_report_items.insert(),
                [
                    {
                        "report_id": report_id,
                        "line": line,
                        "control_code": item.control_code.strip(),
                        "category": category_of(item.control_code),
                        "quantity": str(item.quantity),
                        "unit": item.unit.strip(),
                        "value_cents": int((item.value_eur * 100).to_integral_value()),
                    }
                    for line, item in enumerate(items, start=1)
                ],
            )
        return report_id

    def overlapping_reports(
        self, organisation_id: int, eugea_id: str, period_start: date, period_end: date
    ) -> Sequence[Row]:
        p = t.eugea_reports
        return _rows(
            self._c,
            select(p).where(
                p.c.organisation_id == organisation_id,
                p.c.eugea_id == eugea_id,
                and_(p.c.period_start <= period_end, p.c.period_end >= period_start),
            ),
        )

    def reports(
        self, *, organisation_id: int | None = None, member_state: str | None = None
    ) -> Sequence[Row]:
        """Reports of one exporter, or of the exporters registered in ``member_state``."""
        p, r = t.eugea_reports, t.eugea_registrations
        query = select(p).order_by(p.c.period_start, p.c.id)
        if organisation_id is not None:
            query = query.where(p.c.organisation_id == organisation_id)
        if member_state is not None:
            query = query.join(
                r, and_(r.c.organisation_id == p.c.organisation_id, r.c.eugea_id == p.c.eugea_id)
            ).where(r.c.member_state == member_state)
        return self._with_items(_rows(self._c, query))

    def _with_items(self, reports: list[Row]) -> list[Row]:
        """Each report with its item lines (``items``: empty for reports made before items were asked)."""
        i = t.eugea_report_items
        ids = [r["id"] for r in reports]
        lines: dict[int, list[Row]] = {}
        if ids:
            query = select(i).where(i.c.report_id.in_(ids)).order_by(i.c.report_id, i.c.line)
            for row in self._c.execute(query).mappings():
                lines.setdefault(row["report_id"], []).append(
                    {
                        "line": row["line"],
                        "control_code": row["control_code"],
                        "quantity": row["quantity"],
                        "unit": row["unit"],
                        "value_eur": str((Decimal(row["value_cents"]) / 100).quantize(Decimal("0.01"))),
                    }
                )
        return [{**r, "items": lines.get(r["id"], [])} for r in reports]

    # --- Art. 27 records --------------------------------------------------------------------------
    def record_dates(self) -> Sequence[tuple[str, int, date]]:
        """Every record an exporter keeps, as (kind, id, date of the record). A licence is dated by its
        last use (the latest of its issue and its shipments); a report by the later of its period's end
        and its submission."""
        found: list[tuple[str, int, date]] = []

        def add(kind: str, query: Any) -> None:
            for row_id, *values in self._c.execute(query).all():
                found.append((kind, int(row_id), max(_day(v) for v in values if v is not None)))

        c, li, s = t.licensing_cases, t.licences, t.shipments
        add("licensing_case", select(c.c.id, c.c.updated_at))
        last_shipment = (
            select(s.c.licence_id, func.max(s.c.shipped_on).label("last")).group_by(s.c.licence_id).subquery()
        )
        add(
            "licence",
            select(li.c.id, li.c.issued_at, last_shipment.c.last).outerjoin(
                last_shipment, last_shipment.c.licence_id == li.c.id
            ),
        )
        add("shipment", select(s.c.id, s.c.shipped_on))
        r, p = t.eugea_registrations, t.eugea_reports
        add("eugea_registration", select(r.c.id, r.c.registered_at))
        add("eugea_report", select(p.c.id, p.c.period_end, p.c.submitted_at))
        add("classification", select(t.classifications.c.id, t.classifications.c.updated_at))
        add("dd_case", select(t.dd_cases.c.id, t.dd_cases.c.updated_at))
        add("screening", select(t.screenings.c.id, t.screenings.c.screened_at))
        return sorted(found, key=lambda f: (f[2], f[0], f[1]))
