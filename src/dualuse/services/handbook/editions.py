"""Use cases of the handbook: gather its inputs from the data the system runs on, build the edition the data
gives now (compared with the last recorded edition), and record a new edition when the data changed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from dualuse.domain.controllist.versions import ControlList, ControlListHistory, ListDiff
from dualuse.domain.duediligence import RedFlagSet
from dualuse.domain.errors import NotFoundError
from dualuse.domain.handbook import (
    Edition,
    GlossaryTerm,
    Handbook,
    PenaltyFile,
    Snapshot,
    TimeLimits,
    between,
    build,
    content_hash,
    take,
)
from dualuse.domain.licensing.records import RETENTION_YEARS
from dualuse.domain.rules.rulebook import Rulebook
from dualuse.services.handbook.ports import EditionStore, RecordedEdition

LISTED_CODES_MAX = 40  # codes named one by one in a change line; beyond, a count


@dataclass(frozen=True)
class HandbookSources:
    """What the handbook is built from: the rules, the control list's history, the red flags, the
    authorities' time limits, the glossary and (where the data has them) the penalties."""

    rulebook: Rulebook
    history: ControlListHistory
    red_flags: RedFlagSet
    time_limits: TimeLimits
    glossary: Sequence[GlossaryTerm]
    penalties: Sequence[PenaltyFile] | None


def list_in_force(history: ControlListHistory, today: date) -> ControlList:
    """The list in force ``today`` (the latest, before the first version's date)."""
    try:
        return history.as_of(today)
    except NotFoundError:
        return history.latest


def snapshot_of(sources: HandbookSources, today: date) -> Snapshot:
    """The snapshot of the sources on ``today`` (the list in force that day)."""
    control_list = list_in_force(sources.history, today)
    return take(
        rulebook=sources.rulebook,
        list_version=control_list.version,
        cyber_surveillance=[e for e in control_list if e.cyber_surveillance],
        red_flags=sources.red_flags,
        time_limits=sources.time_limits,
        retention_years=RETENTION_YEARS,
        glossary=sources.glossary,
        penalties=sources.penalties,
    )


def _edition(snapshot: Snapshot, number: int, day: date, *, published: bool) -> Edition:
    return Edition(
        number=number,
        made_on=day,
        content_hash=content_hash(snapshot),
        list_version=str(snapshot["list_version"]["id"]),
        rules_version=str(snapshot["rules_version"]),
        published=published,
    )


def list_change_lines(diff: ListDiff) -> tuple[str, ...]:
    """The control list's changes between two versions, a line per kind of change."""
    lines = []
    for label, codes in (
        ("entries added", [str(e.code) for e in diff.added]),
        ("entries removed", [str(e.code) for e in diff.removed]),
        ("entries changed", [str(e.code) for e in diff.changed]),
    ):
        if codes:
            shown = ", ".join(codes[:LISTED_CODES_MAX])
            more = f" and {len(codes) - LISTED_CODES_MAX} more" if len(codes) > LISTED_CODES_MAX else ""
            lines.append(f"{len(codes)} {label}: {shown}{more}.")
    for act in diff.acts:
        lines.append(f"Amended by {act}.")
    return tuple(lines)


def _list_changes(history: ControlListHistory, before: str, after: str) -> tuple[str, ...]:
    if before == after:
        return ()
    try:
        return list_change_lines(history.diff(before, after))
    except NotFoundError:
        return (f"Version {before} is no longer in the list's history: its entries cannot be compared.",)


def _handbook(
    sources: HandbookSources, snapshot: Snapshot, edition: Edition, previous: RecordedEdition | None
) -> Handbook:
    if previous is None:
        return build(snapshot, edition)
    changes = between(
        previous.snapshot,
        snapshot,
        _list_changes(sources.history, previous.edition.list_version, edition.list_version),
    )
    return build(snapshot, edition, changes, previous.edition)


def current(sources: HandbookSources, store: EditionStore, today: date) -> Handbook:
    """The handbook the data gives ``today``: the last recorded edition if the data has not changed since
    (compared with the one before it), else a draft of the next edition compared with the last recorded."""
    snapshot = snapshot_of(sources, today)
    digest = content_hash(snapshot)
    latest = store.latest()
    if latest is not None and latest.edition.content_hash == digest:
        before = store.get(latest.edition.number - 1)
        return _handbook(sources, snapshot, latest.edition, before)
    number = 1 if latest is None else latest.edition.number + 1
    return _handbook(sources, snapshot, _edition(snapshot, number, today, published=False), latest)


def publish(sources: HandbookSources, store: EditionStore, today: date) -> tuple[Handbook, bool]:
    """Record the edition the data gives ``today`` if it differs from the last recorded one; the handbook
    and whether a new edition was recorded."""
    snapshot = snapshot_of(sources, today)
    digest = content_hash(snapshot)
    latest = store.latest()
    if latest is not None and latest.edition.content_hash == digest:
        return current(sources, store, today), False
    number = 1 if latest is None else latest.edition.number + 1
    edition = _edition(snapshot, number, today, published=True)
    store.record(edition, snapshot)
    return _handbook(sources, snapshot, edition, latest), True
