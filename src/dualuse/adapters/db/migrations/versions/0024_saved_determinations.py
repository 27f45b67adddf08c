"""Determinations an exporter saved as dated records.

Revision ID: 0024
Revises: 0017
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "saved_determinations",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("organisation_id", sa.Integer, sa.ForeignKey("organisations.id"), nullable=False),
        sa.Column("saved_by", sa.String(254), nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("outcome", sa.String(40), nullable=False),
        sa.Column("case_data", sa.JSON, nullable=False),
        sa.Column("answer", sa.JSON, nullable=False),
    )
    op.create_index(
        "ix_saved_determinations_organisation", "saved_determinations", ["organisation_id", "saved_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_saved_determinations_organisation", table_name="saved_determinations")
    op.drop_table("saved_determinations")
