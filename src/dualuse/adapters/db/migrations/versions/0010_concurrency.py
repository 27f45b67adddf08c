"""Concurrent writers (security review F4, F20): unique indexes that keep one notification per
due-diligence case, one requirement per notification, one view per consulted state and requirement, one
report of use per registration and period start, and one open hit per party and listed entity; and a
counter per member state and year from which licence numbers are taken.

The indexes are the database's backstop behind the use cases' own serialisation (conditional writes and
row locks). A database that already holds duplicates from before is refused with the rows to resolve,
rather than having any of them deleted here.

Revision ID: 0010
Revises: 0007
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

# (index, table, columns, only the rows where): what the upgrade makes unique
UNIQUE: tuple[tuple[str, str, tuple[str, ...], str | None], ...] = (
    ("uq_notifications_case", "notifications", ("case_id",), None),
    ("uq_art5_requirements_notification", "art5_requirements", ("notification_id",), None),
    ("uq_art5_views_requirement_state", "art5_views", ("requirement_id", "member_state"), None),
    ("uq_eugea_reports_period", "eugea_reports", ("organisation_id", "eugea_id", "period_start"), None),
    (
        "uq_hits_open",
        "hits",
        ("organisation_id", "party_fingerprint", "source", "entity_id"),
        "status = 'open'",
    ),
)


def _refuse_duplicates(table: str, columns: tuple[str, ...], where: str | None) -> None:
    names = ", ".join(columns)
    condition = f" WHERE {where}" if where else ""
    query = f"SELECT {names}, COUNT(*) FROM {table}{condition} GROUP BY {names} HAVING COUNT(*) > 1"  # noqa: S608 - names from UNIQUE above
    duplicates = op.get_bind().execute(sa.text(query)).all()
    if duplicates:
        shown = "; ".join(
            ", ".join(f"{c}={v}" for c, v in zip(columns, row[:-1], strict=True)) for row in duplicates[:10]
        )
        raise RuntimeError(
            f"{table} holds {len(duplicates)} group(s) of rows that must be unique by ({names}), left by "
            f"concurrent requests before this version: {shown}. Keep one row of each (the audit trail says "
            "which came first), then run the upgrade again."
        )


def upgrade() -> None:
    # Every check before any change: SQLite runs DDL outside the transaction, so a refusal half-way
    # through would leave some indexes made.
    for _name, table, columns, where in UNIQUE:
        _refuse_duplicates(table, columns, where)
    for name, table, columns, where in UNIQUE:
        partial = sa.text(where) if where else None
        op.create_index(
            name, table, list(columns), unique=True, postgresql_where=partial, sqlite_where=partial
        )
    op.create_table(
        "licence_number_counters",
        sa.Column("member_state", sa.String(2), primary_key=True),
        sa.Column("year", sa.Integer, primary_key=True),
        sa.Column("last_sequence", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("licence_number_counters")
    for name, table, _columns, _where in reversed(UNIQUE):
        op.drop_index(name, table_name=table)
