"""In-app reminders of deadlines, recorded by the periodic reminder job (one row per subject, deadline and
stage).

Revision ID: 0025
Revises: 0017
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reminders",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key", sa.String(200), nullable=False, unique=True),
        sa.Column("organisation_id", sa.Integer, sa.ForeignKey("organisations.id"), nullable=False),
        sa.Column("subject_type", sa.String(40), nullable=False),
        sa.Column("subject_id", sa.Integer, nullable=False),
        sa.Column("due", sa.Date, nullable=False),
        sa.Column("stage", sa.String(20), nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("href", sa.String(300), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_reminders_organisation_id", "reminders", ["organisation_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_reminders_organisation_id", table_name="reminders")
    op.drop_table("reminders")
