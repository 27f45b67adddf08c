"""Persistence of sanctions list versions, parties, screenings, hits and decisions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Connection, RowMapping, func, insert, select, text

from dualuse.adapters.db import tables as t
from dualuse.adapters.db.rows import aware, insert_or, new_id
from dualuse.domain.errors import ConflictError
from dualuse.domain.ownership.model import Relation, RelationKind
from dualuse.domain.screening.model import EntitySchema, Identifier, ListedEntity, ListSnapshot
from dualuse.domain.screening.review import HitStatus, Party, PartyRole, StoredHit, Suppression
from dualuse.services.clock import SYSTEM_CLOCK, Clock


def entity_to_json(e: ListedEntity) -> dict[str, Any]:
    return {
        "source": e.source,
        "entity_id": e.entity_id,
        "schema": e.schema.value,
        "names": list(e.names),
        "birth_dates": list(e.birth_dates),
        "countries": list(e.countries),
        "identifiers": [[i.kind, i.number, i.country] for i in e.identifiers],
        "programs": list(e.programs),
        "listed_on": e.listed_on.isoformat() if e.listed_on else None,
    }


def entity_from_json(d: Mapping[str, Any]) -> ListedEntity:
    return ListedEntity(
        source=d["source"],
        entity_id=d["entity_id"],
        schema=EntitySchema(d["schema"]),
        names=tuple(d["names"]),
        birth_dates=tuple(d["birth_dates"]),
        countries=tuple(d["countries"]),
        identifiers=tuple(Identifier(k, n, c) for k, n, c in d["identifiers"]),
        programs=tuple(d["programs"]),
        listed_on=date.fromisoformat(d["listed_on"]) if d["listed_on"] else None,
    )


def _party(r: RowMapping) -> Party:
    return Party(
        id=r["id"],
        organisation_id=r["organisation_id"],
        name=r["name"],
        schema=EntitySchema(r["schema"]) if r["schema"] else None,
        country=r["country"],
        birth_date=r["birth_date"],
        identifiers=tuple(r["identifiers"] or ()),
        role=PartyRole(r["role"]),
        fingerprint=r["fingerprint"],
    )


def _hit(r: RowMapping) -> StoredHit:
    return StoredHit(
        id=r["id"],
        organisation_id=r["organisation_id"],
        screening_id=r["screening_id"],
        party_id=r["party_id"],
        party_fingerprint=r["party_fingerprint"],
        source=r["source"],
        entity_id=r["entity_id"],
        entity_name=r["entity_name"],
        entity_fingerprint=r["entity_fingerprint"],
        score=float(r["score"]),
        explanation=r["explanation"] or {},
        status=HitStatus(r["status"]),
        alert=bool(r["alert"]),
        created_at=aware(r["created_at"]),
    )


class SqlScreening:
    """Everything screening keeps, on the unit of work's connection."""

    def __init__(self, connection: Connection, clock: Clock = SYSTEM_CLOCK) -> None:
        self._c = connection
        self._clock = clock  # dates imports, screenings, hits and decisions

    # --- list versions ---------------------------------------------------------------------------
    def hold_list(self, source: str) -> None:
        """On PostgreSQL a transaction-level advisory lock on the list's name; on SQLite the database's write
        lock (a write that changes nothing). Held to the end of the transaction."""
        if self._c.dialect.name == "postgresql":
            self._c.execute(text("SELECT pg_advisory_xact_lock(7001, hashtext(:source))"), {"source": source})
        else:
            v = t.sanctions_list_versions
            self._c.execute(
                v.update().where(v.c.source == source).where(v.c.id < 0).values(source=v.c.source)
            )

    def latest_version_ids(self) -> dict[str, int]:
        """The newest imported version of each source: source → version row id."""
        v = t.sanctions_list_versions
        rows = self._c.execute(select(v.c.source, func.max(v.c.id)).group_by(v.c.source)).all()
        return {str(source): int(version_id) for source, version_id in rows}

    def versions(self) -> Sequence[Mapping[str, Any]]:
        v = t.sanctions_list_versions
        return [dict(r) for r in self._c.execute(select(v).order_by(v.c.source, v.c.id)).mappings()]

    def version(self, version_id: int) -> Mapping[str, Any] | None:
        v = t.sanctions_list_versions
        row = self._c.execute(select(v).where(v.c.id == version_id)).mappings().first()
        return dict(row) if row else None

    def snapshot(self, version_id: int) -> ListSnapshot:
        meta = self.version(version_id)
        if meta is None:
            raise LookupError(version_id)
        rows = self._c.execute(
            select(t.listed_entities.c.data).where(t.listed_entities.c.list_version_id == version_id)
        ).scalars()
        entities = tuple(entity_from_json(d) for d in rows)
        r = t.sanctions_relations
        relations = tuple(
            Relation(
                RelationKind(row["kind"]),
                row["holder_id"],
                row["holder_name"],
                row["held_id"],
                row["held_name"],
                row["share"],
                row["relation_id"],
            )
            for row in self._c.execute(
                select(r).where(r.c.list_version_id == version_id).order_by(r.c.id)
            ).mappings()
        )
        return ListSnapshot(
            source=meta["source"],
            version=meta["version"],
            entities=entities,
            published=meta["published"],
            relations=relations,
        )

    def add_version(
        self,
        snapshot: ListSnapshot,
        *,
        format_name: str,
        filename: str,
        counts: tuple[int, int, int],
        imported_by: str,
        delta_rows: Iterable[tuple[str, ListedEntity]],
    ) -> int:
        result = self._c.execute(
            t.sanctions_list_versions.insert().values(
                source=snapshot.source,
                format=format_name,
                version=snapshot.version,
                published=snapshot.published,
                filename=filename,
                entity_count=len(snapshot),
                added=counts[0],
                removed=counts[1],
                changed=counts[2],
                warnings=list(snapshot.warnings),
                imported_by=imported_by,
                imported_at=self._clock.now(),
            )
        )
        version_id = new_id(result)
        if snapshot.entities:
            self._c.execute(
                insert(t.listed_entities),
                [
                    {
                        "list_version_id": version_id,
                        "entity_id": e.entity_id,
                        "fingerprint": e.fingerprint,
                        "data": entity_to_json(e),
                    }
                    for e in snapshot.entities
                ],
            )
        if snapshot.relations:
            self._c.execute(
                insert(t.sanctions_relations),
                [
                    {
                        "list_version_id": version_id,
                        "kind": rel.kind.value,
                        "relation_id": rel.relation_id[:200],
                        "holder_id": rel.holder,
                        "holder_name": rel.holder_name[:500],
                        "held_id": rel.held,
                        "held_name": rel.held_name[:500],
                        "share": rel.share,
                    }
                    for rel in snapshot.relations
                ],
            )
        deltas = [
            {
                "list_version_id": version_id,
                "change": change,
                "entity_id": e.entity_id,
                "name": e.primary_name[:500],
            }
            for change, e in delta_rows
        ]
        if deltas:
            self._c.execute(insert(t.sanctions_deltas), deltas)
        return version_id

    def delta(self, version_id: int) -> Sequence[Mapping[str, Any]]:
        d = t.sanctions_deltas
        rows = self._c.execute(select(d).where(d.c.list_version_id == version_id).order_by(d.c.id)).mappings()
        return [dict(r) for r in rows]

    # --- parties -----------------------------------------------------------------------------------
    def add_party(
        self,
        *,
        organisation_id: int,
        name: str,
        schema: EntitySchema | None,
        country: str | None,
        birth_date: str | None,
        identifiers: Sequence[str],
        role: PartyRole,
        fingerprint: str,
    ) -> Party:
        result = self._c.execute(
            t.parties.insert().values(
                organisation_id=organisation_id,
                name=name,
                schema=schema.value if schema else None,
                country=country,
                birth_date=birth_date,
                identifiers=list(identifiers),
                role=role.value,
                fingerprint=fingerprint,
                created_at=self._clock.now(),
            )
        )
        party = self.party(new_id(result))
        assert party is not None  # noqa: S101 - inserted just now
        return party

    def party(self, party_id: int) -> Party | None:
        row = self._c.execute(select(t.parties).where(t.parties.c.id == party_id)).mappings().first()
        return _party(row) if row else None

    def parties(self, organisation_id: int | None = None) -> Sequence[Party]:
        query = select(t.parties).order_by(t.parties.c.id)
        if organisation_id is not None:
            query = query.where(t.parties.c.organisation_id == organisation_id)
        return [_party(r) for r in self._c.execute(query).mappings()]

    # --- screenings and hits ----------------------------------------------------------------------
    def add_screening(
        self,
        *,
        organisation_id: int,
        party_id: int | None,
        query: Mapping[str, Any],
        list_versions: Mapping[str, str],
        algorithm: str,
        threshold: float,
        hits: int,
        trigger: str,
        screened_by: str,
    ) -> int:
        row = _screening_row(
            organisation_id, party_id, query, hits, list_versions, algorithm, threshold, trigger
        )
        return new_id(
            self._c.execute(
                t.screenings.insert().values(**row, screened_by=screened_by, screened_at=self._clock.now())
            )
        )

    def add_screenings(
        self,
        *,
        organisation_id: int,
        queries: Sequence[tuple[Mapping[str, Any], int]],
        list_versions: Mapping[str, str],
        algorithm: str,
        threshold: float,
        trigger: str,
        screened_by: str,
    ) -> list[int]:
        if not queries:
            return []
        at = self._clock.now()
        rows = [
            _screening_row(organisation_id, None, query, hits, list_versions, algorithm, threshold, trigger)
            | {"screened_by": screened_by, "screened_at": at}
            for query, hits in queries
        ]
        s = t.screenings
        # one statement for the batch (SQLAlchemy's "insertmanyvalues"), ids in the order of the rows
        result = self._c.execute(s.insert().returning(s.c.id, sort_by_parameter_order=True), rows)
        return [int(i) for i in result.scalars()]

    def screenings(self, organisation_id: int) -> Sequence[Mapping[str, Any]]:
        s = t.screenings
        rows = self._c.execute(
            select(s).where(s.c.organisation_id == organisation_id).order_by(s.c.id.desc())
        )
        return [dict(r) for r in rows.mappings()]

    def add_hit(
        self,
        *,
        organisation_id: int,
        screening_id: int,
        party_id: int | None,
        party_fingerprint: str,
        source: str,
        entity_id: str,
        entity_name: str,
        entity_fingerprint: str,
        score: float,
        explanation: Mapping[str, Any],
        alert: bool,
    ) -> int | None:
        """The new open hit's id, or None when the party has an open hit on that entity already: the
        unique index on open hits decides between concurrent screenings, the later one adds nothing."""
        h = t.hits
        result = self._c.execute(
            insert_or(self._c, h)
            .values(
                organisation_id=organisation_id,
                screening_id=screening_id,
                party_id=party_id,
                party_fingerprint=party_fingerprint,
                source=source,
                entity_id=entity_id,
                entity_name=entity_name[:500],
                entity_fingerprint=entity_fingerprint,
                score=score,
                explanation=dict(explanation),
                status=HitStatus.OPEN.value,
                alert=alert,
                created_at=self._clock.now(),
            )
            .on_conflict_do_nothing(
                index_elements=[h.c.organisation_id, h.c.party_fingerprint, h.c.source, h.c.entity_id],
                index_where=h.c.status == HitStatus.OPEN.value,
            )
            .returning(h.c.id)
        )
        inserted = result.scalar()
        return int(inserted) if inserted is not None else None

    def hit(self, hit_id: int) -> StoredHit | None:
        row = self._c.execute(select(t.hits).where(t.hits.c.id == hit_id)).mappings().first()
        return _hit(row) if row else None

    def hits(
        self, organisation_id: int, *, status: HitStatus | None = None, alerts_only: bool = False
    ) -> Sequence[StoredHit]:
        h = t.hits
        query = select(h).where(h.c.organisation_id == organisation_id).order_by(h.c.id.desc())
        if status is not None:
            query = query.where(h.c.status == status.value)
        if alerts_only:
            query = query.where(h.c.alert.is_(True))
        return [_hit(r) for r in self._c.execute(query).mappings()]

    def open_hit_exists(
        self, organisation_id: int, party_fingerprint: str, source: str, entity_id: str
    ) -> bool:
        h = t.hits
        found = self._c.execute(
            select(h.c.id).where(
                h.c.organisation_id == organisation_id,
                h.c.party_fingerprint == party_fingerprint,
                h.c.source == source,
                h.c.entity_id == entity_id,
                h.c.status == HitStatus.OPEN.value,
            )
        ).first()
        return found is not None

    def decide(self, hit: StoredHit, decision: HitStatus, reason: str, decided_by: str) -> None:
        """Record the decision on a hit still open: the check and the write are one statement, so of
        concurrent reviewers exactly one decides; ``ConflictError`` for the others."""
        h = t.hits
        result = self._c.execute(
            h.update()
            .where(h.c.id == hit.id, h.c.status == HitStatus.OPEN.value)
            .values(status=decision.value)
        )
        if result.rowcount != 1:
            raise ConflictError("this hit has already been decided")
        self._c.execute(
            t.hit_decisions.insert().values(
                organisation_id=hit.organisation_id,
                hit_id=hit.id,
                party_fingerprint=hit.party_fingerprint,
                source=hit.source,
                entity_id=hit.entity_id,
                entity_fingerprint=hit.entity_fingerprint,
                decision=decision.value,
                reason=reason,
                decided_by=decided_by,
                decided_at=self._clock.now(),
            )
        )

    def suppressions(self, organisation_id: int) -> Sequence[Suppression]:
        d = t.hit_decisions
        rows = self._c.execute(
            select(d.c.party_fingerprint, d.c.source, d.c.entity_id, d.c.entity_fingerprint).where(
                d.c.organisation_id == organisation_id, d.c.decision == HitStatus.FALSE_POSITIVE.value
            )
        ).all()
        return [Suppression(*row) for row in rows]

    # --- settings ---------------------------------------------------------------------------------
    def threshold(self, organisation_id: int) -> float | None:
        value = self._c.execute(
            select(t.screening_settings.c.threshold).where(
                t.screening_settings.c.organisation_id == organisation_id
            )
        ).scalar()
        return float(value) if value is not None else None

    def set_threshold(self, organisation_id: int, threshold: float) -> None:
        """Insert or replace in one statement, so that concurrent first settings do not collide."""
        s = t.screening_settings
        self._c.execute(
            insert_or(self._c, s)
            .values(organisation_id=organisation_id, threshold=threshold)
            .on_conflict_do_update(index_elements=[s.c.organisation_id], set_={"threshold": threshold})
        )


def _screening_row(
    organisation_id: int,
    party_id: int | None,
    query: Mapping[str, Any],
    hits: int,
    list_versions: Mapping[str, str],
    algorithm: str,
    threshold: float,
    trigger: str,
) -> dict[str, Any]:
    """A screening's log row: what was screened, against which list versions, how, and with how many hits."""
    return {
        "organisation_id": organisation_id,
        "party_id": party_id,
        "query": dict(query),
        "list_versions": dict(list_versions),
        "algorithm": algorithm,
        "threshold": threshold,
        "hits": hits,
        "trigger": trigger,
    }
