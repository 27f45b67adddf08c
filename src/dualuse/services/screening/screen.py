"""Restricted-party screening as use cases: import list versions, screen and save parties, re-screen on
list changes, and record reviewers' decisions on hits. Every screening is logged with the list versions,
the algorithm and the threshold used."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Protocol

from dualuse.domain.errors import ConflictError, NotFoundError, ValidationError
from dualuse.domain.identity import Permission, Principal, authorize
from dualuse.domain.ownership.screen import OwnershipFinding, OwnershipScreen
from dualuse.domain.screening.delta import Delta, diff_snapshots
from dualuse.domain.screening.engine import ScreeningEngine
from dualuse.domain.screening.model import (
    EntityFilter,
    EntitySchema,
    ListedEntity,
    ListSnapshot,
    Match,
    ScreeningQuery,
)
from dualuse.domain.screening.review import (
    ALGORITHM,
    DEFAULT_THRESHOLD,
    HitStatus,
    Party,
    PartyRole,
    StoredHit,
    Suppression,
    check_decision,
    check_threshold,
    query_fingerprint,
    suppressed,
)
from dualuse.domain.screening.versions import ImportVerdict, VersionStamp, as_of, judge_import
from dualuse.services import audit
from dualuse.services.unit_of_work import UnitOfWork


class ScreeningIndex(Protocol):
    """Port: an in-memory engine over the newest version of every list, rebuilt when a list changes."""

    def engine(self, uow: UnitOfWork) -> tuple[ScreeningEngine, Mapping[str, str]]: ...

    def ownership(self, uow: UnitOfWork) -> OwnershipScreen: ...


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
        **({"other_birth_dates": list(query.other_birth_dates)} if query.other_birth_dates else {}),
        **({"other_countries": list(query.other_countries)} if query.other_countries else {}),
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
    unchanged: bool = False
    """The file was the version already held: nothing was stored (re-imports are idempotent)."""
    rescreen_job: int | None = None
    """The queued job that re-screens the saved parties (an import ``in_background``)."""


# The job that re-screens every saved party after a list import (``services.jobs.rescreen``).
RESCREEN_JOB = "screening.rescreen"


def import_snapshot(
    uow: UnitOfWork,
    principal: Principal,
    snapshot: ListSnapshot,
    *,
    format_name: str,
    filename: str,
    force_reason: str | None = None,
    in_background: bool = False,
) -> ImportReport:
    """Store a new version of a list with its delta against the previous one, then re-screen every saved
    party of every organisation against the changed entities only; new hits raise alerts. One transaction.

    A list only moves forward: a version published before the newest one held, or an undated one after a dated
    one, is refused unless ``force_reason`` says why (recorded in the audit trail); the version already held
    is not stored again (the report says ``unchanged``).

    ``in_background``: the re-screening is queued as a job (run by ``dualuse worker``, in steps that report
    progress) in this transaction instead of being done in it; the report then counts no parties yet."""
    authorize(principal, Permission.IMPORT_SANCTIONS_LISTS)
    if force_reason is not None and not force_reason.strip():
        raise ValidationError("a forced import says why", field="reason")
    # One import of a list at a time: two at once would each judge against, and diff with, the same version.
    uow.screening.hold_list(snapshot.source)
    previous_id = uow.screening.latest_version_ids().get(snapshot.source)
    previous = uow.screening.snapshot(previous_id) if previous_id is not None else None
    delta = diff_snapshots(previous, snapshot)
    held_count = len(previous) if previous is not None else 0
    verdict = judge_import(
        VersionStamp(previous.version, previous.published) if previous else None,
        VersionStamp(snapshot.version, snapshot.published),
        # a version whose ownership relations changed is new even if its entities are not
        same_entities=delta.is_empty and (previous is None or previous.relations == snapshot.relations),
        held_count=held_count,
        removed=len(delta.removed),
    )
    if verdict is not ImportVerdict.NEW and force_reason is None:
        if verdict is ImportVerdict.IDENTICAL and previous_id is not None:
            return ImportReport(
                previous_id, snapshot.source, snapshot.version, len(snapshot), delta, 0, 0, unchanged=True
            )
        held = _describe(previous)
        if verdict is ImportVerdict.SHRUNK:
            raise ConflictError(
                f"{snapshot.source} {snapshot.version} would remove {len(delta.removed)} of the "
                f"{held_count} entities of the {held}: a file cut short, or a partial export, is "
                "likelier than that many delistings at once. Check the file; if the list really shrank so, "
                "force it and give the reason",
                field="version",
            )
        if verdict is ImportVerdict.OLDER:
            problem = f"{snapshot.source} {snapshot.version} is older than the {held} already imported"
        else:
            problem = f"{snapshot.source} {snapshot.version} has no date, so it cannot be shown newer than the {held}"
        raise ConflictError(
            f"{problem}: importing it would make designations published since stop being hits. "
            "If this is really meant (say, to undo a bad file), force it and give the reason",
            field="version",
        )
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
    job_id: int | None = None
    if in_background:
        parties, alerts = 0, 0
        at = uow.clock.now()
        job_id = uow.jobs.add(
            RESCREEN_JOB,
            {"version_id": version_id, "actor": principal.label},
            run_after=at,
            max_attempts=5,
            at=at,
        )
    else:
        parties, alerts = rescreen(uow, delta, versions, actor=principal.label)
    audit.record(
        uow,
        actor=principal.label,
        action="sanctions_list.imported" if force_reason is None else "sanctions_list.imported_by_force",
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
            "verdict": verdict.value,
            **({"rescreen_job": job_id} if job_id is not None else {}),
        },
        reason=filename if force_reason is None else f"{filename}: forced ({verdict.value}): {force_reason}",
    )
    uow.commit()
    return ImportReport(
        version_id,
        snapshot.source,
        snapshot.version,
        len(snapshot),
        delta,
        parties,
        alerts,
        rescreen_job=job_id,
    )


def _describe(held: ListSnapshot | None) -> str:
    if held is None:  # pragma: no cover - only the first version of a list has none before it, and it is new
        return "nothing"
    day = as_of(VersionStamp(held.version, held.published))
    return f"version {held.version}" + (
        f" of {day.isoformat()}" if day and day.isoformat() != held.version else ""
    )


def rescreen(
    uow: UnitOfWork,
    delta: Delta,
    versions: Mapping[str, str],
    *,
    actor: str,
    parties: Sequence[Party] | None = None,
) -> tuple[int, int]:
    """Screen every saved party (or those of ``parties``) against the added and changed entities of ``delta``;
    (parties, new alerts). With no party to screen, no index of the delta is built."""
    entities = delta.to_screen()
    if not entities:
        return 0, 0
    if parties is None:
        parties = uow.screening.parties()
    if not parties:
        return 0, 0
    by_source: dict[str, list[Any]] = {}
    for entity in entities:
        by_source.setdefault(entity.source, []).append(entity)
    engine = ScreeningEngine(
        ListSnapshot(source=source, version=versions.get(source, "delta"), entities=tuple(group))
        for source, group in by_source.items()
    )
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


@dataclass(frozen=True)
class Freshness:
    """How old the newest version of one list is: days since it was published (or, without a publication
    date, since it was imported) — what a screening's answer is only as good as."""

    source: str
    version: str
    as_of: date
    days: int


def freshness(versions: Sequence[Mapping[str, Any]], today: date) -> list[Freshness]:
    """The newest version of each list and its age in days, stalest first."""
    newest: dict[str, Mapping[str, Any]] = {}
    for version in versions:  # newest last per source
        newest[str(version["source"])] = version
    found = []
    for source, version in newest.items():
        published = version.get("published")
        if isinstance(published, str) and published:
            published = date.fromisoformat(published[:10])
        as_of = published if isinstance(published, date) else version["imported_at"].date()
        found.append(Freshness(source, str(version["version"]), as_of, max(0, (today - as_of).days)))
    return sorted(found, key=lambda f: (-f.days, f.source))


# --- screening ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ScreeningOutcome:
    screening_id: int | None
    threshold: float
    versions: Mapping[str, str]
    matches: tuple[Match, ...]
    new_hits: tuple[int, ...] = field(default=())
    suppressed: int = 0
    ownership: tuple[OwnershipFinding, ...] = ()
    """Companies of the lists' ownership graphs the party matches, with what listed parties hold in them."""


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
    return _store_screening(
        uow,
        query,
        matches,
        organisation_id=organisation_id,
        party=party,
        threshold=threshold,
        versions=versions,
        trigger=trigger,
        actor=actor,
        alert=alert,
    )


def _store_screening(
    uow: UnitOfWork,
    query: ScreeningQuery,
    matches: Sequence[Match],
    *,
    organisation_id: int,
    party: Party | None,
    threshold: float,
    versions: Mapping[str, str],
    trigger: str,
    actor: str,
    alert: bool,
) -> ScreeningOutcome:
    """Log a screening with its list versions, algorithm and threshold, and keep its new hits."""
    fingerprint = party.fingerprint if party else query_fingerprint(query)
    kept = _unsuppressed(matches, uow.screening.suppressions(organisation_id), fingerprint)
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
    new_hits = _keep_new_hits(uow, organisation_id, screening_id, party, fingerprint, kept, alert=alert)
    return ScreeningOutcome(
        screening_id, threshold, versions, tuple(kept), tuple(new_hits), suppressed=len(matches) - len(kept)
    )


def _unsuppressed(
    matches: Sequence[Match], suppressions: Sequence[Suppression], fingerprint: str
) -> list[Match]:
    """The matches not marked false positives for this party (and unchanged since)."""
    return [
        m
        for m in matches
        if not suppressed(
            suppressions, fingerprint, m.entity.source, m.entity.entity_id, m.entity.fingerprint
        )
    ]


def _keep_new_hits(
    uow: UnitOfWork,
    organisation_id: int,
    screening_id: int,
    party: Party | None,
    fingerprint: str,
    kept: Sequence[Match],
    *,
    alert: bool,
) -> list[int]:
    """A hit for each kept match the organisation has no open hit for yet."""
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
    return new_hits


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
    outcome = _with_ownership(uow, index, query, outcome, actor=principal.label)
    uow.commit()
    return outcome


def _with_ownership(
    uow: UnitOfWork, index: ScreeningIndex, query: ScreeningQuery, outcome: ScreeningOutcome, *, actor: str
) -> ScreeningOutcome:
    """The outcome with the companies of the lists' ownership graphs the party matches: one owned 50% or more
    by listed parties, alone or together, is flagged with the chains of holdings, and the flag is recorded in
    the audit trail against the screening (in the screening's transaction)."""
    findings = index.ownership(uow).check(query, threshold=outcome.threshold)
    flagged = [f for f in findings if f.control.flagged]
    if flagged and outcome.screening_id is not None:
        audit.record(
            uow,
            actor=actor,
            action="screening.ownership_flagged",
            entity_type="screening",
            entity_id=outcome.screening_id,
            after={
                "companies": [
                    {
                        "source": f.source,
                        "company_id": f.control.company,
                        "company": f.control.company_name,
                        "listed_share": round(f.control.share, 4),
                        "paths": [p.describe() for p in f.control.paths],
                    }
                    for f in flagged
                ]
            },
        )
    return replace(outcome, ownership=findings)


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
    outcome = _with_ownership(uow, index, party.query(), outcome, actor=principal.label)
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


# --- matching by example, for clients of the yente API -----------------------------------------------------
@dataclass(frozen=True)
class MatchOptions:
    """How a batch of queries is matched: the score from which candidates come back (``cutoff``; None, or
    one above the threshold: the threshold, as yente takes it), the score from which they are hits
    (``threshold``), how many per query, and which listed entities count. Filters are applied before the
    limit, so a filter never hides an entity that exists."""

    cutoff: float | None = None
    threshold: float | None = None
    limit: int = 5
    only: EntityFilter = field(default_factory=EntityFilter)
    """The lists (yente's datasets), kinds and entities looked at."""


@dataclass(frozen=True)
class QueryResult:
    """One query's candidates (from the cutoff, best first) and the threshold that makes one a hit."""

    candidates: tuple[Match, ...]
    threshold: float
    screening_id: int | None
    hits: int = 0
    """How many of the entities found score at least the threshold, before the limit."""


def match_queries(
    uow: UnitOfWork,
    principal: Principal,
    index: ScreeningIndex,
    queries: Sequence[ScreeningQuery],
    options: MatchOptions,
    *,
    record: bool = True,
    kinds: Sequence[frozenset[EntitySchema]] | None = None,
) -> tuple[list[QueryResult], Mapping[str, str]]:
    """Match a batch of parties in one transaction. Each query is logged as a screening of the caller's
    organisation with the list versions, and what passes the threshold is kept as hits, as for any
    screening; ``record=False`` (anonymous use on a private network, where the operator allows it) logs
    nothing. ``kinds``, per query, the kinds of listed entity it may match (a person is matched against
    persons, not ships): the others are left out before the limit."""
    if not queries:
        raise ValidationError("send at least one query", field="queries")
    if options.cutoff is not None and not 0.0 <= options.cutoff <= 1.0:
        raise ValidationError("the cutoff is a score between 0 and 1", field="cutoff")
    organisation_id = _organisation_of(principal) if record else None
    engine, versions = index.engine(uow)
    unknown = (options.only.sources or frozenset()) - set(versions)
    if unknown:
        raise NotFoundError(
            f"no dataset {', '.join(sorted(unknown))}; known: default, {', '.join(sorted(versions))}",
            field="dataset",
        )
    threshold = (
        threshold_for(uow, organisation_id, options.threshold)
        if organisation_id is not None
        else check_threshold(options.threshold if options.threshold is not None else DEFAULT_THRESHOLD)
    )
    floor = threshold if options.cutoff is None else min(options.cutoff, threshold)
    only = options.only
    found: list[list[Match]] = []
    totals: list[int] = []
    for number, q in enumerate(queries):
        matched: list[Match] = []
        count = 0
        narrowed = only if kinds is None else _narrowed(only, kinds[number])
        if narrowed is not None:
            matched, count = engine.screen_counted(
                q, threshold=floor, limit=options.limit, only=narrowed, count_from=threshold
            )
        found.append([c for c in matched if c.score >= floor])
        totals.append(count)
    if organisation_id is None:
        return [
            QueryResult(tuple(c), threshold, None, n) for c, n in zip(found, totals, strict=True)
        ], versions
    # The batch is logged in one go: one read of the organisation's false positives, one insert of its
    # screenings, then the (few) new hits.
    suppressions = uow.screening.suppressions(organisation_id)
    fingerprints = [query_fingerprint(q) for q in queries]
    kept = [
        _unsuppressed([c for c in candidates if c.score >= threshold], suppressions, fingerprint)
        for candidates, fingerprint in zip(found, fingerprints, strict=True)
    ]
    screening_ids = uow.screening.add_screenings(
        organisation_id=organisation_id,
        queries=[(query_json(q), len(k)) for q, k in zip(queries, kept, strict=True)],
        list_versions=versions,
        algorithm=ALGORITHM,
        threshold=threshold,
        trigger="match_api",
        screened_by=principal.label,
    )
    for screening_id, fingerprint, new in zip(screening_ids, fingerprints, kept, strict=True):
        _keep_new_hits(uow, organisation_id, screening_id, None, fingerprint, new, alert=False)
    uow.commit()
    return [
        QueryResult(tuple(c), threshold, i, n) for c, i, n in zip(found, screening_ids, totals, strict=True)
    ], versions


def _narrowed(only: EntityFilter, kinds: frozenset[EntitySchema]) -> EntityFilter | None:
    """``only`` less the kinds of entity outside ``kinds``; None where no kind is left to match."""
    if not kinds - only.exclude_schemata:
        return None
    left_out = frozenset(EntitySchema) - kinds
    return (
        only
        if left_out <= only.exclude_schemata
        else replace(only, exclude_schemata=only.exclude_schemata | left_out)
    )


def listed_entity(uow: UnitOfWork, index: ScreeningIndex, source: str, entity_id: str) -> ListedEntity:
    """One entity of the newest version of a list, as listed."""
    engine, _versions = index.engine(uow)
    for snapshot in engine.snapshots:
        if snapshot.source == source:
            for entity in snapshot.entities:
                if entity.entity_id == entity_id:
                    return entity
    raise NotFoundError(f"no listed entity {source}-{entity_id} in the newest list versions")


#: the least score of a name a search box finds
SEARCH_CUTOFF = 0.5


def search_entities(
    uow: UnitOfWork, index: ScreeningIndex, text: str, only: EntityFilter, *, at_least: int
) -> tuple[list[ListedEntity], bool]:
    """Listed entities for a search box, and whether they are all there are. Without ``text``, every entity
    ``only`` lets through, in list order (all of them). With it, those listing it as an identifier, then
    those whose names resemble it, best first: ``at_least`` of those if there are as many (then perhaps not
    all)."""
    engine, _versions = index.engine(uow)
    if not text.strip():
        snapshots = sorted(engine.snapshots, key=lambda s: s.source)
        return [e for s in snapshots for e in s.entities if only.accepts(e)], True
    found = {entity.key: entity for entity in engine.with_identifier(text, only=only)}
    matches = engine.screen(ScreeningQuery(name=text), threshold=SEARCH_CUTOFF, limit=at_least, only=only)
    for match in matches:
        found.setdefault(match.entity.key, match.entity)
    return list(found.values()), len(matches) < at_least


def list_sources(uow: UnitOfWork, index: ScreeningIndex) -> list[ListSnapshot]:
    """The newest version of every list the screening index holds."""
    engine, _versions = index.engine(uow)
    return sorted(engine.snapshots, key=lambda s: s.source)
