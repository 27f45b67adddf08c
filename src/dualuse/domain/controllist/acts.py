"""The acts that made each list version: the original Annex I and the delegated regulations amending it.

Annex I of Regulation (EU) 2021/821 has applied since 9 September 2021 and is amended by Commission
delegated regulations (Art. 17(1)), each in force from the day after its publication in the Official Journal.
An ``AmendingAct`` records what one act changed, code by code, with the source each fact was read in and a
``verified`` mark. An act whose changes are not all itemised says so (``complete`` false): a code it may have
touched is then answered on the safe side (see ``ActHistory.unverified_for``).

The shipped list data holds one full version (the base); the versions before it are rebuilt by undoing the
acts one by one (``revert``) and the later ones by applying them, and every step is checked: a code an act
added must be listed after it and not before, a code it removed the other way round.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from types import MappingProxyType

from dualuse.domain.controllist.codes import ControlCode
from dualuse.domain.controllist.entries import ControlEntry, Note, NoteKind
from dualuse.domain.controllist.versions import (
    ControlList,
    ControlListError,
    ControlListHistory,
    ListVersion,
)


class ChangeKind(StrEnum):
    """What an act did to a code of Annex I."""

    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"


@dataclass(frozen=True, slots=True)
class DeclaredChange:
    """One change an act made, as a source describes it (in our own words), with that source."""

    code: ControlCode
    kind: ChangeKind
    text: str
    source: str
    verified: bool = False


@dataclass(frozen=True)
class AmendingAct:
    """The act that made one list version, and what it changed relative to the version before.

    ``effective_from_verified`` says whether the date of entry into force was seen in a source;
    ``complete`` whether every change of the act is itemised in ``changes`` (false: some are not).
    ``removed_entries`` holds the entries the act removed as they read before it, so that the version
    before can be rebuilt.
    """

    version_id: str
    title: str
    celex: str
    official_journal: str
    effective_from: date
    effective_from_verified: bool
    summary: str
    sources: tuple[str, ...]
    complete: bool
    changes: tuple[DeclaredChange, ...] = ()
    removed_entries: tuple[ControlEntry, ...] = ()
    verified: bool = False

    @property
    def short_title(self) -> str:
        """``Del. Reg. (EU) 2025/2003`` from the full title (for notes and review reasons)."""
        marker = "(EU) "
        at = self.title.find(marker)
        if at < 0:
            return self.title
        number = self.title[at + len(marker) :].split(" ", 1)[0]
        if self.title.startswith("Commission Delegated Regulation"):
            return f"Del. Reg. (EU) {number}"
        return f"Reg. (EU) {number}"

    def codes(self, kind: ChangeKind) -> tuple[ControlCode, ...]:
        """The codes the act declares with one kind of change, in code order."""
        return tuple(sorted(c.code for c in self.changes if c.kind is kind))

    def touching(self, code: ControlCode) -> tuple[DeclaredChange, ...]:
        """The act's changes at, above or below ``code`` (a change to ``3A001`` touches ``3A001.b.2``)."""
        return tuple(
            c
            for c in self.changes
            if c.code == code or c.code.is_ancestor_of(code) or code.is_ancestor_of(c.code)
        )

    def note_for(self, change: DeclaredChange) -> Note:
        """The note a changed or added entry carries from this act (what changed, when, where it was read)."""
        mark = "" if change.verified else " [not verified]"
        return Note(
            NoteKind.NOTE,
            f"{self.short_title} (in force {self.effective_from.isoformat()}), {change.kind.value}: "
            f"{change.text}{mark}",
        )


def annotate(control_list: ControlList, act: AmendingAct) -> ControlList:
    """The list with a note on every listed entry the act added or changed (the entry's own history).

    Entries deeper than the list data are not annotated: their change shows in the official code sets."""
    notes: dict[ControlCode, list[Note]] = {}
    for change in act.changes:
        if change.kind is not ChangeKind.REMOVED and control_list.get(change.code) is not None:
            notes.setdefault(change.code, []).append(act.note_for(change))
    if not notes:
        return control_list
    entries = [
        entry.replace(notes=entry.notes + tuple(notes[entry.code])) if entry.code in notes else entry
        for entry in control_list
    ]
    return ControlList(control_list.version, entries)


def revert(later: ControlList, act: AmendingAct, before: ListVersion) -> ControlList:
    """The list as it stood before ``act``: its additions taken out, its removals put back and its notes
    taken off. Raises ``ControlListError`` naming every declared change that does not fit ``later``."""
    if later.version_id != act.version_id:
        raise ControlListError(
            f"the act for {act.version_id} cannot be undone from list version {later.version_id}"
        )
    problems: list[str] = []
    entries = {entry.code: entry for entry in later}
    for code in act.codes(ChangeKind.REMOVED):
        if code in entries:
            problems.append(f"{code}: removed by {act.short_title} but listed in {later.version_id}")
    for code in act.codes(ChangeKind.ADDED):
        for gone in [c for c in entries if c == code or code.is_ancestor_of(c)]:
            del entries[gone]
    removed_entries = {e.code: e for e in act.removed_entries}
    for code in act.codes(ChangeKind.REMOVED):
        entry = removed_entries.get(code)
        if entry is not None:
            entries[code] = entry
    act_notes = {act.note_for(c) for c in act.changes}
    for code, entry in list(entries.items()):
        kept = tuple(n for n in entry.notes if n not in act_notes)
        if len(kept) != len(entry.notes):
            entries[code] = entry.replace(notes=kept)
    if problems:
        raise ControlListError(f"{act.short_title} cannot be undone from {later.version_id}:", problems)
    try:
        return ControlList(before, entries.values())
    except ControlListError as exc:
        raise ControlListError(
            f"{act.short_title} undone from {later.version_id} leaves an unsound list:", exc.problems
        ) from exc


def _under(code: str, roots: Iterable[str]) -> bool:
    return any(code == root or code.startswith(root + ".") for root in roots)


def codes_before(codes_after_act: Iterable[str], act: AmendingAct) -> frozenset[str]:
    """The official codes before ``act`` from those after it: its additions (and what lies below them)
    out, its removals back. Raises ``ControlListError`` if a declared change does not fit."""
    after = frozenset(codes_after_act)
    added = tuple(map(str, act.codes(ChangeKind.ADDED)))
    removed = tuple(map(str, act.codes(ChangeKind.REMOVED)))
    problems = [
        f"{c}: added by {act.short_title} but not in the text after it" for c in added if c not in after
    ]
    problems += [
        f"{c}: removed by {act.short_title} but still in the text after it" for c in removed if c in after
    ]
    if problems:
        raise ControlListError(f"{act.short_title} does not fit the codes of {act.version_id}:", problems)
    kept = {c for c in after if not _under(c, added)}
    return frozenset(kept | set(removed))


def codes_after(
    codes_before_act: Iterable[str], act: AmendingAct, official_after: Iterable[str]
) -> frozenset[str]:
    """The codes after ``act`` rebuilt from those before it: additions (with the codes below them in the
    official text after it) in, removals (with the codes below them) out. The test of the history: this
    must give back the official codes of the act's version."""
    added = tuple(map(str, act.codes(ChangeKind.ADDED)))
    removed = tuple(map(str, act.codes(ChangeKind.REMOVED)))
    rebuilt = {c for c in codes_before_act if not _under(c, removed)}
    rebuilt |= {c for c in official_after if _under(c, added)}
    return frozenset(rebuilt)


@dataclass(frozen=True)
class ActHistory:
    """The acts behind the list versions, by version id, oldest first; the origin has no changes."""

    acts: tuple[AmendingAct, ...]
    _by_id: Mapping[str, AmendingAct] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        ids = [a.version_id for a in self.acts]
        dates = [a.effective_from for a in self.acts]
        if not ids or len(set(ids)) != len(ids) or dates != sorted(set(dates)):
            raise ControlListError("acts must have distinct version ids and strictly increasing dates")
        object.__setattr__(self, "_by_id", MappingProxyType({a.version_id: a for a in self.acts}))

    def get(self, version_id: str) -> AmendingAct | None:
        """The act that made a version, or None (a version imported at run time has none)."""
        return self._by_id.get(version_id)

    def between(self, from_id: str, to_id: str) -> tuple[AmendingAct, ...]:
        """The acts after version ``from_id`` up to and including ``to_id`` (either direction: the acts
        separating the two versions), oldest first."""
        ids = [a.version_id for a in self.acts]
        if from_id not in ids or to_id not in ids:
            return ()
        lo, hi = sorted((ids.index(from_id), ids.index(to_id)))
        return self.acts[lo + 1 : hi + 1]

    def unverified_for(self, code: ControlCode, from_id: str, to_id: str) -> tuple[str, ...]:
        """Why the history of ``code`` between two versions is not certain: each act in between that
        declares an unverified change touching the code, or that does not itemise all its changes and
        declares none touching it."""
        reasons: list[str] = []
        for act in self.between(from_id, to_id):
            touching = act.touching(code)
            unverified = [c for c in touching if not c.verified]
            if unverified:
                reasons.append(
                    f"{act.short_title}: the change to {unverified[0].code} is not verified against the act"
                )
            elif not touching and not act.complete:
                reasons.append(f"{act.short_title}: not every change of the act is itemised in the data")
        return tuple(reasons)

    def added_later(self, code: ControlCode, from_id: str, to_id: str) -> AmendingAct | None:
        """The act after version ``from_id`` (up to ``to_id``) with a verified addition of ``code`` or of
        an entry above it: in ``from_id`` the code was not listed, for certain. None if there is none."""
        for act in self.between(from_id, to_id):
            if any(
                c.verified and c.kind is ChangeKind.ADDED and (c.code == code or c.code.is_ancestor_of(code))
                for c in act.touching(code)
            ):
                return act
        return None


def version_of(act: AmendingAct) -> ListVersion:
    """The list version an act made (the origin: the Annex I the regulation began to apply with)."""
    if act.title.startswith("Commission Delegated Regulation"):
        title = f"Annex I as amended by {act.short_title}"
    else:
        title = f"Annex I of {act.short_title} as it began to apply"
    return ListVersion(
        id=act.version_id,
        title=title,
        effective_from=act.effective_from,
        legal_source=f"{act.title} ({act.official_journal})",
        verified=act.verified and act.effective_from_verified,
    )


def with_acts(
    history: ControlListHistory, acts: ActHistory, official: Mapping[str, frozenset[str]] | None = None
) -> ControlListHistory:
    """The full history: the versions before the first one held as a list rebuilt by undoing the acts,
    every version carrying the notes of the acts that changed its entries, and the official codes of
    every version derived from the latest known text through the acts (``codes_before``).

    Raises ``ControlListError`` naming every problem: a version without its act, an act's date that
    differs from its version's, or a declared change that does not fit the lists."""
    problems: list[str] = []
    ids = [a.version_id for a in acts.acts]
    for control_list in history.lists:
        act = acts.get(control_list.version_id)
        if act is None:
            problems.append(f"list version {control_list.version_id} has no act in the history")
        elif act.effective_from != control_list.version.effective_from:
            problems.append(
                f"list version {control_list.version_id} takes effect on "
                f"{control_list.version.effective_from.isoformat()}, its act on {act.effective_from.isoformat()}"
            )
    if problems:
        raise ControlListError("the acts do not fit the list versions:", problems)
    for before, after in zip(history.lists, history.lists[1:], strict=False):
        act = acts.get(after.version_id)
        if act is None:  # pragma: no cover - every version's act was checked above
            continue
        problems += [
            f"{code}: added by {act.short_title} but already listed in {before.version_id}"
            for code in act.codes(ChangeKind.ADDED)
            if before.get(code) is not None
        ]
        problems += [
            f"{code}: removed by {act.short_title} but still listed in {after.version_id}"
            for code in act.codes(ChangeKind.REMOVED)
            if after.get(code) is not None
        ]
    lists: list[ControlList] = []
    for control_list in history.lists:
        upto = ids.index(control_list.version_id)
        annotated = control_list
        for act in acts.acts[1 : upto + 1]:
            annotated = annotate(annotated, act)
        lists.append(annotated)
    earlier: list[ControlList] = []
    current = lists[0]
    for index in range(ids.index(history.lists[0].version_id), 0, -1):
        try:
            current = revert(current, acts.acts[index], version_of(acts.acts[index - 1]))
        except ControlListError as exc:
            problems += list(exc.problems) or [exc.detail]
            break
        earlier.append(current)
    codes: dict[str, frozenset[str]] = {}
    known = [v for v in ids if official is not None and v in official]
    if known and official is not None:
        latest = ids.index(known[-1])
        codes[ids[latest]] = official[ids[latest]]
        for index in range(latest, 0, -1):
            try:
                codes[ids[index - 1]] = codes_before(codes[ids[index]], acts.acts[index])
            except ControlListError as exc:
                problems += list(exc.problems)
                break
    if problems:
        raise ControlListError("the history of the list does not fit its acts:", problems)
    return ControlListHistory((*reversed(earlier), *lists), acts=acts, official_codes=MappingProxyType(codes))
