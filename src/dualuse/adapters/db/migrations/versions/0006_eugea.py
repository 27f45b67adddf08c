"""Union general export authorisations (Art. 12(1)(d), Annex II): the exporters' registrations and their
reports of use.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "eugea_registrations",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("organisation_id", sa.Integer, sa.ForeignKey("organisations.id"), nullable=False),
        sa.Column("eugea_id", sa.String(10), nullable=False),
        sa.Column("member_state", sa.String(2), nullable=False),
        sa.Column("registered_by", sa.String(254), nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("organisation_id", "eugea_id", name="uq_eugea_registrations_organisation_eugea"),
    )
    op.create_index("ix_eugea_registrations_organisation_id", "eugea_registrations", ["organisation_id"])
    op.create_index("ix_eugea_registrations_member_state", "eugea_registrations", ["member_state"])
    op.create_table(
        "eugea_reports",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("organisation_id", sa.Integer, sa.ForeignKey("organisations.id"), nullable=False),
        sa.Column("eugea_id", sa.String(10), nullable=False),
        sa.Column("period_start", sa.Date, nullable=False),
        sa.Column("period_end", sa.Date, nullable=False),
        sa.Column("shipments", sa.Integer, nullable=False),
        sa.Column("value_eur", sa.String(40), nullable=False),
        sa.Column("destinations", sa.JSON, nullable=False),
        sa.Column("submitted_by", sa.String(254), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_eugea_reports_organisation_id", "eugea_reports", ["organisation_id"])


def downgrade() -> None:
    op.drop_table("eugea_reports")
    op.drop_table("eugea_registrations")
