"""The annual report (Art. 26(2)): decision figures kept for summing, items of general-authorisation reports,
and member states' submitted parts.

Revision ID: 0021
Revises: 0017
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "transparency_decisions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("case_id", sa.Integer, nullable=False),
        sa.Column("line", sa.Integer, nullable=False),
        sa.Column("member_state", sa.String(2), nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("decided_on", sa.Date, nullable=False),
        sa.Column("organisation_id", sa.Integer, nullable=False),
        sa.Column("application_type", sa.String(30), nullable=False),
        sa.Column("outcome", sa.String(20), nullable=False),
        sa.Column("control_code", sa.String(40), nullable=False),
        sa.Column("category", sa.String(1), nullable=False),
        sa.Column("destination", sa.String(2), nullable=False),
        sa.Column("case_count", sa.Integer, nullable=False),
        sa.Column("category_count", sa.Integer, nullable=False),
        sa.Column("value_cents", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_transparency_decisions_case_id", "transparency_decisions", ["case_id"])
    op.create_index(
        "ix_transparency_decisions_year_state", "transparency_decisions", ["year", "member_state"]
    )
    op.create_table(
        "eugea_report_items",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("report_id", sa.Integer, sa.ForeignKey("eugea_reports.id"), nullable=False),
        sa.Column("line", sa.Integer, nullable=False),
        sa.Column("control_code", sa.String(40), nullable=False),
        sa.Column("category", sa.String(1), nullable=False),
        sa.Column("quantity", sa.String(40), nullable=False),
        sa.Column("unit", sa.String(40), nullable=False),
        sa.Column("value_cents", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_eugea_report_items_report_id", "eugea_report_items", ["report_id"])
    op.create_table(
        "annual_report_parts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("member_state", sa.String(2), nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("figures", sa.JSON, nullable=False),
        sa.Column("submitted_by", sa.String(254), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("member_state", "year", name="uq_annual_report_parts_state_year"),
    )


def downgrade() -> None:
    op.drop_table("annual_report_parts")
    op.drop_table("eugea_report_items")
    op.drop_index("ix_transparency_decisions_year_state", table_name="transparency_decisions")
    op.drop_table("transparency_decisions")
