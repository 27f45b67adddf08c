"""The authority's queue in SQL: each case's submission time as a column, and its destinations and the
control codes of its items beside the case's JSON, so that the queue is filtered, ordered and paged by
the database (and not by loading every case of a state).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_cases = sa.table(
    "licensing_cases",
    sa.column("id", sa.Integer),
    sa.column("data", sa.JSON),
    sa.column("status", sa.String),
    sa.column("submitted_at", sa.DateTime(timezone=True)),
    sa.column("created_at", sa.DateTime(timezone=True)),
)


def _current_application(case: dict[str, Any]) -> dict[str, Any]:
    """The application with the latest amendment applied, read from the JSON ``licensing_repo`` writes."""
    amendments = case.get("amendments") or []
    application: dict[str, Any] = amendments[-1]["application"] if amendments else case["application"]
    return application


def upgrade() -> None:
    op.add_column("licensing_cases", sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index(
        "ix_licensing_cases_queue", "licensing_cases", ["member_state", "status", "submitted_at", "id"]
    )
    op.create_table(
        "licensing_case_destinations",
        sa.Column("case_id", sa.Integer, sa.ForeignKey("licensing_cases.id"), primary_key=True),
        sa.Column("country", sa.String(2), primary_key=True),
    )
    op.create_index(
        "ix_licensing_case_destinations_country", "licensing_case_destinations", ["country", "case_id"]
    )
    op.create_table(
        "licensing_case_items",
        sa.Column("case_id", sa.Integer, sa.ForeignKey("licensing_cases.id"), primary_key=True),
        sa.Column("control_code", sa.String(40), primary_key=True),
    )
    op.create_index(
        "ix_licensing_case_items_control_code", "licensing_case_items", ["control_code", "case_id"]
    )
    connection = op.get_bind()
    destinations: list[dict[str, Any]] = []
    items: list[dict[str, Any]] = []
    rows = connection.execute(sa.select(_cases.c.id, _cases.c.status, _cases.c.data, _cases.c.created_at))
    for case_id, status, data, created_at in rows:
        if not data or "case" not in data:
            continue
        application = _current_application(data["case"])
        destinations += [
            {"case_id": case_id, "country": c} for c in dict.fromkeys(application["destinations"])
        ]
        codes = dict.fromkeys(i["control_code"].strip() for i in application["items"])
        items += [{"case_id": case_id, "control_code": code} for code in codes]
        # A case past its draft has been submitted: without a recorded time, it queues from its creation.
        submitted = data.get("submitted_at") or (created_at if status != "draft" else None)
        if submitted:
            connection.execute(
                _cases.update()
                .where(_cases.c.id == case_id)
                .values(
                    submitted_at=datetime.fromisoformat(submitted)
                    if isinstance(submitted, str)
                    else submitted
                )
            )
    if destinations:
        op.bulk_insert(
            sa.table("licensing_case_destinations", sa.column("case_id"), sa.column("country")), destinations
        )
    if items:
        op.bulk_insert(
            sa.table("licensing_case_items", sa.column("case_id"), sa.column("control_code")), items
        )


def downgrade() -> None:
    op.drop_table("licensing_case_items")
    op.drop_table("licensing_case_destinations")
    op.drop_index("ix_licensing_cases_queue", table_name="licensing_cases")
    with op.batch_alter_table("licensing_cases") as batch:
        batch.drop_column("submitted_at")
