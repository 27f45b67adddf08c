"""The audit trail made append-only and anchored (issue 11, F8 and F9).

- ``audit_anchors``: the head of the hash chain signed with a key the database does not hold.
- ``audit_events.organisation_id`` / ``member_state``: whose trail an event belongs to, so that an
  organisation reads its own events and an authority those of its member state.
- Triggers that refuse UPDATE and DELETE (and on PostgreSQL TRUNCATE) of audit events and anchors, for
  every role including the owner, which must drop them first (and leaves that visible: the chain and the
  anchors then tell what was changed). Grant the application role INSERT and SELECT only (README).

Revision ID: 0009
Revises: 0007
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0007"
branch_labels = None
depends_on = None

APPEND_ONLY = ("audit_events", "audit_anchors")

_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION dualuse_refuse_audit_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only: % on % is refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$
"""


def upgrade() -> None:
    op.add_column("audit_events", sa.Column("organisation_id", sa.Integer, nullable=True))
    op.add_column("audit_events", sa.Column("member_state", sa.String(2), nullable=True))
    op.create_index("ix_audit_events_organisation_id", "audit_events", ["organisation_id"])
    op.create_index("ix_audit_events_member_state", "audit_events", ["member_state"])
    op.create_table(
        "audit_anchors",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("head_sequence", sa.Integer, nullable=False),
        sa.Column("head_hash", sa.String(64), nullable=False),
        sa.Column("event_count", sa.Integer, nullable=False),
        sa.Column("anchored_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("mac", sa.String(64), nullable=False),
    )
    op.create_index("ix_audit_anchors_head_sequence", "audit_anchors", ["head_sequence"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_PG_FUNCTION)
        for table in APPEND_ONLY:
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION dualuse_refuse_audit_change()"
            )
            op.execute(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION dualuse_refuse_audit_change()"
            )
    else:
        for table in APPEND_ONLY:
            for operation in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_no_{operation.lower()} BEFORE {operation} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only: {operation} on {table} "
                    "is refused'); END"
                )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in APPEND_ONLY:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
        op.execute("DROP FUNCTION IF EXISTS dualuse_refuse_audit_change()")
    else:
        for table in APPEND_ONLY:
            for operation in ("update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{operation}")
    op.drop_index("ix_audit_anchors_head_sequence", table_name="audit_anchors")
    op.drop_table("audit_anchors")
    op.drop_index("ix_audit_events_member_state", table_name="audit_events")
    op.drop_index("ix_audit_events_organisation_id", table_name="audit_events")
    with op.batch_alter_table("audit_events") as batch:
        batch.drop_column("member_state")
        batch.drop_column("organisation_id")
