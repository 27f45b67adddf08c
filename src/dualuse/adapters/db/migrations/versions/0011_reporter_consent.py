"""F13: a civil-society reporter is named where its accepted report is shown only if it asked to be;
existing submissions stay anonymous.

Revision ID: 0011
Revises: 0007 (re-chained by the integrator)
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("submissions") as batch:
        batch.add_column(sa.Column("name_publicly", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("submissions") as batch:
        batch.drop_column("name_publicly")
