"""Restricted-party screening as use cases: import list versions, screen and save parties, re-screen on
list changes, and record reviewers' decisions on hits. Every screening is logged with the list versions,
the algorithm and the threshold used."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from dualuse.domain.errors import NotFoundError, ValidationError
from dualuse.domain.identity import Permission, Principal, authorize
from dualuse.domain.screening.delta import Delta, diff_snapshots
from dualuse.domain.screening.engine import ScreeningEngine
from dualuse.domain.screening.model import ListSnapshot, Match, ScreeningQuery
from dualuse.domain.screening.review import (
    ALGORITHM,
    DEFAULT_THRESHOLD,
    HitStatus,
    Party,
    PartyRole,
    StoredHit,
    check_decision,
    check_threshold,
    query_fingerprint,
    suppressed,
)
from dualuse.services import audit
from dualuse.services.unit_of_work import UnitOfWork


class ScreeningIndex(Protocol):
    """Port: an in-memory engine over the newest version of every list, rebuilt when a list changes."""

    def engine(self, uow: UnitOfWork) -> tuple[ScreeningEngine, Mapping[str, str]]: ...


def explanation_json(match: Match) -> dict[str, Any]:
    return {
        feature: {"value": round(value, 4), "note": note}
        for feature, (value, note) in match.explanation.items()
    }


def query_json(query: ScreeningQuery) -> dict[str, Any]:
    return {
        "name": query.name,
        "schema": query.schema.value if query.schema else None,
        "birth_date": query.birth_date,
        "country": query.country,
        "identifiers": list(query.identifiers),
    }


# --- list versions ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class ImportReport:
    version_id: int
    source: str
    version: str
    entities: int
    delta: Delta
    parties_rescreened: int
    alerts: int


def import_snapshot(
    uow: UnitOfWork, principal: Principal, snapshot: ListSnapshot, *, format_name: str, filename: str
) -> ImportReport:
    """Store a new version of a list with its delta against the previous one, then re-screen every saved
    party of every organisation against the changed entities only; new hits raise alerts. One transaction."""
    authorize(principal, Permission.IMPORT_SANCTIONS_LISTS)
    previous_id = uow.screening.latest_version_ids().get(snapshot.source)
    previous = uow.screening.snapshot(previous_id) if previous_id is not None else None
    delta = diff_snapshots(previous, snapshot)
    rows: list[tuple[str, Any]] = [("added", e) for e in delta.added]
    rows += [("removed", e) for e in delta.removed]
    rows += [("changed", new) for _old, new in delta.changed]
    version_id = uow.screening.add_version(
        snapshot,
        format_name=format_name,
        filename=filename,
        counts=(len(delta.added), len(delta.removed), len(delta.changed)),
        imported_by=principal.label,
        delta_rows=rows,
    )
    versions = {snapshot.source: snapshot.version}
    parties, alerts = rescreen(uow, delta, versions, actor=principal.label)
    audit.record(
        uow,
        actor=principal.label,
        action="sanctions_list.imported",
        entity_type="sanctions_list_version",
        entity_id=version_id,
        before={"version_id": previous_id} if previous_id else None,
        after={
            "source": snapshot.source,
            "version": snapshot.version,
            "entities": len(snapshot),
            "added": len(delta.added),
            "removed": len(delta.removed),
            "changed": len(delta.changed),
            "alerts": alerts,
        },
        reason=filename,
    )
    uow.commit()
    return ImportReport(version_id, snapshot.source, snapshot.version, len(snapshot), delta, parties, alerts)


def rescreen(uow: UnitOfWork, delta: Delta, versions: Mapping[str, str], *, actor: str) -> tuple[int, int]:
    """Screen every saved party against the added and changed entities of ``delta``; (parties, new alerts)."""
    entities = delta.to_screen()
    if not entities:
        return 0, 0
    by_source: dict[str, list[Any]] = {}
    for entity in entities:
        by_source.setdefault(entity.source, []).append(entity)
    engine = ScreeningEngine(
        ListSnapshot(source=source, version=versions.get(source, "delta"), entities=tuple(group))
        for source, group in by_source.items()
    )
    parties = uow.screening.parties()
    alerts = 0
    thresholds: dict[int, float] = {}
    for party in parties:
        if party.organisation_id not in thresholds:
            thresholds[party.organisation_id] = (
                uow.screening.threshold(party.organisation_id) or DEFAULT_THRESHOLD
            )
        outcome = _screen_and_store(
            uow,
            engine,
            party.query(),
            organisation_id=party.organisation_id,
            party=party,
            threshold=thresholds[party.organisation_id],
            versions=versions,
            trigger="list_update",
            actor=actor,
            alert=True,
        )
        alerts += len(outcome.new_hits)
    return len(parties), alerts


def list_status(uow: UnitOfWork) -> list[Mapping[str, Any]]:
    """Every imported version of every list, newest last per source (sources, versions, dates, counts)."""
    return list(uow.screening.versions())


# --- screening ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ScreeningOutcome:
    screening_id: int | None
    threshold: float
    versions: Mapping[str, str]
    matches: tuple[Match, ...]
    new_hits: tuple[int, ...] = field(default=())
    suppressed: int = 0


def _screen_and_store(
    uow: UnitOfWork,
    engine: ScreeningEngine,
    query: ScreeningQuery,
    *,
    organisation_id: int,
    party: Party | None,
    threshold: float,
    versions: Mapping[str, str],
    trigger: str,
    actor: str,
    alert: bool,
    limit: int = 10,
) -> ScreeningOutcome:
    matches = engine.screen(query, threshold=threshold, limit=limit)
    fingerprint = party.fingerprint if party else query_fingerprint(query)
    suppressions = uow.screening.suppressions(organisation_id)
    kept = [
        m
        for m in matches
        if not suppressed(
            suppressions, fingerprint, m.entity.source, m.entity.entity_id, m.entity.fingerprint
        )
    ]
    screening_id = uow.screening.add_screening(
        organisation_id=organisation_id,
        party_id=party.id if party else None,
        query=query_json(query),
        list_versions=versions,
        algorithm=ALGORITHM,
        threshold=threshold,
        hits=len(kept),
        trigger=trigger,
        screened_by=actor,
    )
    new_hits: list[int] = []
    for match in kept:
        if uow.screening.open_hit_exists(
            organisation_id, fingerprint, match.entity.source, match.entity.entity_id
        ):
            continue
        hit_id = uow.screening.add_hit(
            organisation_id=organisation_id,
            screening_id=screening_id,
            party_id=party.id if party else None,
            party_fingerprint=fingerprint,
            source=match.entity.source,
            entity_id=match.entity.entity_id,
            entity_name=match.entity.primary_name,
            entity_fingerprint=match.entity.fingerprint,
            score=round(match.score, 4),
            explanation=explanation_json(match),
            alert=alert,
        )
        if hit_id is not None:  # None: a concurrent screening of the party raised it a moment ago
            new_hits.append(hit_id)
    return ScreeningOutcome(
        screening_id, threshold, versions, tuple(kept), tuple(new_hits), suppressed=len(matches) - len(kept)
    )


def _organisation_of(principal: Principal) -> int:
    authorize(principal, Permission.SCREEN)
    if principal.organisation_id is None:
        raise ValidationError("screening is recorded for an organisation: use an organisation's account")
    return principal.organisation_id


def threshold_for(uow: UnitOfWork, organisation_id: int, override: float | None = None) -> float:
    if override is not None:
        return check_threshold(override)
    return uow.screening.threshold(organisation_id) or DEFAULT_THRESHOLD


def screen(
    uow: UnitOfWork,
    principal: Principal,
    index: ScreeningIndex,
    query: ScreeningQuery,
    *,
    threshold: float | None = None,
    limit: int = 10,
) -> ScreeningOutcome:
    """Screen one party against the newest version of every list; the screening and its hits are logged."""
    organisation_id = _organisation_of(principal)
    engine, versions = index.engine(uow)
    outcome = _screen_and_store(
        uow,
        engine,
        query,
        organisation_id=organisation_id,
        party=None,
        threshold=threshold_for(uow, organisation_id, threshold),
        versions=versions,
        trigger="manual",
        actor=principal.label,
        alert=False,
        limit=limit,
    )
    uow.commit()
    return outcome


def save_party(
    uow: UnitOfWork, principal: Principal, index: ScreeningIndex, query: ScreeningQuery, role: PartyRole | str
) -> tuple[Party, ScreeningOutcome]:
    """Keep a party on file (it is re-screened whenever a list changes) and screen it now."""
    organisation_id = _organisation_of(principal)
    try:
        party_role = PartyRole(role)
    except ValueError:
        raise ValidationError(f"unknown party role {role!r}", field="role") from None
    party = uow.screening.add_party(
        organisation_id=organisation_id,
        name=" ".join(query.name.split()),
        schema=query.schema,
        country=query.country,
        birth_date=query.birth_date,
        identifiers=query.identifiers,
        role=party_role,
        fingerprint=query_fingerprint(query),
    )
    audit.record(
        uow,
        actor=principal.label,
        action="party.saved",
        entity_type="party",
        entity_id=party.id,
        after=query_json(query) | {"role": party_role.value},
    )
    engine, versions = index.engine(uow)
    outcome = _screen_and_store(
        uow,
        engine,
        party.query(),
        organisation_id=organisation_id,
        party=party,
        threshold=threshold_for(uow, organisation_id),
        versions=versions,
        trigger="party_saved",
        actor=principal.label,
        alert=False,
    )
    uow.commit()
    return party, outcome


def parties(uow: UnitOfWork, principal: Principal) -> Sequence[Party]:
    return uow.screening.parties(_organisation_of(principal))


def hits(
    uow: UnitOfWork, principal: Principal, *, status: HitStatus | None = None, alerts_only: bool = False
) -> Sequence[StoredHit]:
    return uow.screening.hits(_organisation_of(principal), status=status, alerts_only=alerts_only)


def decide_hit(
    uow: UnitOfWork, principal: Principal, hit_id: int, decision: HitStatus | str, reason: str
) -> StoredHit:
    """A reviewer marks a hit a true match or a false positive, with a reason. A false positive is not
    raised again for that party and that listed entity until either changes."""
    hit = uow.screening.hit(hit_id)
    authorize(principal, Permission.SCREEN, organisation_id=hit.organisation_id if hit else -1)
    if hit is None:
        raise NotFoundError("no such hit")
    verdict = check_decision(decision, reason)
    uow.screening.decide(hit, verdict, reason.strip(), principal.label)
    audit.record(
        uow,
        actor=principal.label,
        action="hit.decided",
        entity_type="hit",
        entity_id=hit.id,
        before={"status": hit.status.value},
        after={"status": verdict.value, "source": hit.source, "entity_id": hit.entity_id},
        reason=reason.strip(),
    )
    uow.commit()
    decided = uow.screening.hit(hit.id)
    assert decided is not None  # noqa: S101 - it existed a moment ago
    return decided


def set_threshold(uow: UnitOfWork, principal: Principal, threshold: float) -> float:
    """An organisation's admin sets its screening threshold (scores at or above it are hits)."""
    organisation_id = _organisation_of(principal)
    authorize(principal, Permission.MANAGE_USERS, organisation_id=organisation_id)
    value = check_threshold(threshold)
    before = uow.screening.threshold(organisation_id)
    uow.screening.set_threshold(organisation_id, value)
    audit.record(
        uow,
        actor=principal.label,
        action="screening.threshold_set",
        entity_type="organisation",
        entity_id=organisation_id,
        before={"threshold": before},
        after={"threshold": value},
    )
    uow.commit()
    return value


def screen_rows(
    engine: ScreeningEngine, queries: Iterable[ScreeningQuery], threshold: float, limit: int = 5
) -> Iterable[list[Match]]:
    """Batch screening without records (``dualuse screen PARTIES.csv``): the matches of each query in turn."""
    for query in queries:
        yield engine.screen(query, threshold=threshold, limit=limit)
