"""Authority notices: the competent authority informs an exporter, broker or provider that an authorisation
is required (Reg. (EU) 2021/821 Art. 4(1), 5(1), 6(1), 7, 8(1)), for a transaction, an end-user or a
destination; in force until withdrawn.

Revision ID: 0012
Revises: 0009
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "authority_notices",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("member_state", sa.String(2), nullable=False),
        sa.Column("organisation_id", sa.Integer, sa.ForeignKey("organisations.id"), nullable=False),
        sa.Column("article", sa.String(10), nullable=False),
        sa.Column("scope", sa.String(20), nullable=False),
        sa.Column("destination", sa.String(2), nullable=False),
        sa.Column("end_user", sa.String(300), nullable=False),
        sa.Column("item", sa.String(300), nullable=False),
        sa.Column("control_code", sa.String(40), nullable=True),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("issued_on", sa.Date, nullable=False),
        sa.Column("issued_by", sa.String(254), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("withdrawn_on", sa.Date, nullable=True),
        sa.Column("withdrawn_by", sa.String(254), nullable=True),
        sa.Column("withdrawal_reason", sa.Text, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_authority_notices_member_state", "authority_notices", ["member_state"])
    op.create_index("ix_authority_notices_organisation_id", "authority_notices", ["organisation_id"])


def downgrade() -> None:
    op.drop_index("ix_authority_notices_organisation_id", table_name="authority_notices")
    op.drop_index("ix_authority_notices_member_state", table_name="authority_notices")
    op.drop_table("authority_notices")
