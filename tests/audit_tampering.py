"""Tampering with the audit trail as the database's owner would: the triggers that refuse UPDATE and DELETE
(migration 0009) are switched off for the statements and back on after, as an owner bent on it could."""

from __future__ import annotations

import dataclasses

from sqlalchemy import Engine, text

from dualuse.domain.audit import AuditEvent, hash_of

APPEND_ONLY = ("audit_events", "audit_anchors")


Step = str | tuple[str, list[dict[str, object]]]


def as_owner(engine: Engine, *steps: Step) -> None:
    """Run ``steps`` (SQL, or SQL with rows of parameters) on the trail with its append-only triggers off."""
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            for table in APPEND_ONLY:
                conn.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER USER"))
        else:
            triggers = conn.execute(
                text(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN "
                    "('audit_events', 'audit_anchors')"
                )
            ).all()
            for name, _ in triggers:
                conn.execute(text(f"DROP TRIGGER {name}"))
        for step in steps:
            if isinstance(step, str):
                conn.execute(text(step))
            else:
                conn.execute(text(step[0]), step[1])
        if conn.dialect.name == "postgresql":
            for table in APPEND_ONLY:
                conn.execute(text(f"ALTER TABLE {table} ENABLE TRIGGER USER"))
        else:
            for _, sql in triggers:
                conn.execute(text(sql))


def rewrite_from(engine: Engine, events: list[AuditEvent], first: int, **changes: object) -> None:
    """Edit event ``first`` and recompute the hashes of it and every later event, so the chain verifies."""
    rows: list[dict[str, object]] = []
    previous = events[first - 2].hash if first > 1 else "0" * 64
    for event in events[first - 1 :]:
        edited = dataclasses.replace(
            event, previous_hash=previous, **(changes if event.sequence == first else {})
        )
        edited = dataclasses.replace(edited, hash=hash_of(edited))
        previous = edited.hash
        rows.append(
            {"s": edited.sequence, "actor": edited.actor, "p": edited.previous_hash, "h": edited.hash}
        )
    # the hash column is unique: clear the rewritten ones first, then write the new chain
    as_owner(
        engine,
        ("UPDATE audit_events SET hash = 'x' || CAST(sequence AS TEXT) WHERE sequence >= :f", [{"f": first}]),
        ("UPDATE audit_events SET actor = :actor, previous_hash = :p, hash = :h WHERE sequence = :s", rows),
    )
