"""Enforcement: decisions on violations of Reg. (EU) 2021/821 (Art. 25, reported under Art. 26(2)) and the
authority's compliance visits with their findings against ICP elements (Art. 28).

Revision ID: 0020
Revises: 0017
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "enforcement_cases",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("member_state", sa.String(2), nullable=False),
        sa.Column("violation", sa.String(60), nullable=False),
        sa.Column("decision_date", sa.Date, nullable=False),
        sa.Column("decision", sa.String(20), nullable=False),
        sa.Column("amount_eur", sa.String(40), nullable=True),
        sa.Column("imprisonment_months", sa.Integer, nullable=True),
        sa.Column("organisation_id", sa.Integer, sa.ForeignKey("organisations.id"), nullable=True),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("recorded_by", sa.String(254), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_enforcement_cases_member_state", "enforcement_cases", ["member_state"])
    op.create_table(
        "compliance_visits",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("organisation_id", sa.Integer, sa.ForeignKey("organisations.id"), nullable=False),
        sa.Column("member_state", sa.String(2), nullable=False),
        sa.Column("visit_date", sa.Date, nullable=False),
        sa.Column("findings", sa.JSON, nullable=False),
        sa.Column("recorded_by", sa.String(254), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_compliance_visits_organisation_id", "compliance_visits", ["organisation_id"])
    op.create_index("ix_compliance_visits_member_state", "compliance_visits", ["member_state"])


def downgrade() -> None:
    op.drop_index("ix_compliance_visits_member_state", table_name="compliance_visits")
    op.drop_index("ix_compliance_visits_organisation_id", table_name="compliance_visits")
    op.drop_table("compliance_visits")
    op.drop_index("ix_enforcement_cases_member_state", table_name="enforcement_cases")
    op.drop_table("enforcement_cases")
