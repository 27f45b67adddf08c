"""List versions, amendments and the history of the control list.

Annex I is amended by Commission delegated regulations (Art. 17(1)); each amendment gives a new list
version in force from a date. A ``ControlList`` is one version as an immutable snapshot; a
``ControlListHistory`` holds every version and answers which one was in force on a date.
"""

from __future__ import annotations

import bisect
import dataclasses
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import TYPE_CHECKING

from dualuse.domain.controllist.codes import ControlCode, InvalidControlCodeError
from dualuse.domain.controllist.entries import CHANGEABLE_FIELDS, ControlEntry
from dualuse.domain.errors import NotFoundError, ValidationError

if TYPE_CHECKING:
    from dualuse.domain.controllist.acts import ActHistory, AmendingAct


class ControlListError(ValidationError):
    """A list version that breaks the rules of the list's shape; ``problems`` lists every one found."""

    code = "invalid-control-list"
    title = "Invalid control list"

    def __init__(self, detail: str, problems: Iterable[str] = ()) -> None:
        self.problems = tuple(problems)
        super().__init__(detail + ("".join(f"\n- {p}" for p in self.problems)))


class AmendmentError(ControlListError):
    """An amendment that cannot be applied to the list as it stands; nothing was changed."""

    code = "invalid-amendment"
    title = "Invalid amendment"


@dataclass(frozen=True, slots=True)
class ListVersion:
    """A version of the list, in force from ``effective_from`` (the delegated act's date of application)."""

    id: str
    title: str
    effective_from: date
    legal_source: str
    verified: bool = False


@dataclass(frozen=True, slots=True)
class EntryChange:
    """The fields one amendment changes on one entry (only those, keyed by field name)."""

    code: ControlCode
    fields: Mapping[str, object]

    def __post_init__(self) -> None:
        object.__setattr__(self, "fields", MappingProxyType(dict(self.fields)))


@dataclass(frozen=True, slots=True)
class Amendment:
    """A dated change to the list: entries added, changed and removed (Art. 17(1) delegated acts).

    Removing a code removes its sub-items with it.
    """

    version: ListVersion
    add: tuple[ControlEntry, ...] = ()
    change: tuple[EntryChange, ...] = ()
    remove: tuple[ControlCode, ...] = ()


@dataclass(frozen=True, slots=True)
class EffectiveFlags:
    """The flags that apply to a code: set on its entry or on any entry above it."""

    cyber_surveillance: bool = False
    information_security: bool = False
    annex_iv: str | None = None
    eugea_excluded: bool = False


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field of an entry, before and after."""

    field: str
    before: object
    after: object


@dataclass(frozen=True, slots=True)
class EntryDiff:
    """An entry present in both versions whose fields differ."""

    code: ControlCode
    before: ControlEntry
    after: ControlEntry
    changes: tuple[FieldChange, ...]


@dataclass(frozen=True, slots=True)
class CategoryChanges:
    """What a diff changed in one Annex I category."""

    category: int
    added: int
    removed: int
    changed: int
    codes: int  # codes of the official text added or removed (sub-items included)

    @property
    def entries(self) -> int:
        return self.added + self.removed + self.changed


@dataclass(frozen=True, slots=True)
class ListDiff:
    """What changed between two list versions, each part in code order."""

    from_version: ListVersion
    to_version: ListVersion
    added: tuple[ControlEntry, ...] = ()
    removed: tuple[ControlEntry, ...] = ()
    changed: tuple[EntryDiff, ...] = ()
    acts: tuple[AmendingAct, ...] = ()
    """The acts that separate the two versions (oldest first), where the history knows them."""
    codes_added: tuple[str, ...] = ()
    """Codes of the official text in the later version only (deeper than the entries too)."""
    codes_removed: tuple[str, ...] = ()
    """Codes of the official text in the earlier version only."""

    @property
    def is_empty(self) -> bool:
        """True if the two versions list the same entries with the same fields."""
        return not (self.added or self.removed or self.changed or self.codes_added or self.codes_removed)

    def by_category(self) -> tuple[CategoryChanges, ...]:
        """Entries added, removed and changed, and official-text codes added or removed, per Annex I category
        (0-9) in category order; categories without a change are left out."""
        counts: dict[int, list[int]] = {}

        def count(category: int, column: int) -> None:
            counts.setdefault(category, [0, 0, 0, 0])[column] += 1

        for entry in self.added:
            count(entry.code.category, 0)
        for entry in self.removed:
            count(entry.code.category, 1)
        for diff in self.changed:
            count(diff.code.category, 2)
        for code in (*self.codes_added, *self.codes_removed):
            if code[:1].isdigit():
                count(int(code[0]), 3)
        return tuple(CategoryChanges(c, *counts[c]) for c in sorted(counts))

    def act_changing(self, code: ControlCode) -> AmendingAct | None:
        """The latest act between the two versions that declares a change at, above or below ``code``."""
        for act in reversed(self.acts):
            if act.touching(code):
                return act
        return None


CodeLike = str | ControlCode


def _as_code(code: CodeLike) -> ControlCode:
    return code if isinstance(code, ControlCode) else ControlCode.parse(code)


def validate_list(entries: Iterable[ControlEntry]) -> list[str]:
    """Every problem with a list's shape: duplicate codes, sub-items without their parent entry, and
    related codes whose top-level entry is not listed. An empty list of problems means the list is sound."""
    problems: list[str] = []
    seen: set[ControlCode] = set()
    all_entries = list(entries)
    for entry in all_entries:
        if entry.code in seen:
            problems.append(f"{entry.code}: listed more than once")
        seen.add(entry.code)
    for entry in all_entries:
        parent = entry.code.parent
        if parent is not None and parent not in seen:
            problems.append(f"{entry.code}: its parent {parent} is not listed")
    top_levels = {code for code in seen if code.is_top_level}
    for entry in all_entries:
        for related in entry.related:
            if related.top_level not in top_levels:
                problems.append(f"{entry.code}: related code {related} has no listed top-level entry")
    return problems


class ControlList:
    """One version of Annex I as an immutable snapshot, its entries in code order."""

    __slots__ = ("_by_code", "_children", "_entries", "_version")

    def __init__(self, version: ListVersion, entries: Iterable[ControlEntry]) -> None:
        """Build the snapshot; raises ``ControlListError`` listing every problem ``validate_list`` finds."""
        ordered = sorted(entries, key=lambda e: e.code)
        problems = validate_list(ordered)
        if problems:
            raise ControlListError(f"list version {version.id} is not sound:", problems)
        self._version = version
        self._entries = tuple(ordered)
        self._by_code: Mapping[ControlCode, ControlEntry] = MappingProxyType({e.code: e for e in ordered})
        children: dict[ControlCode, list[ControlEntry]] = {}
        for entry in ordered:
            if entry.code.parent is not None:
                children.setdefault(entry.code.parent, []).append(entry)
        self._children = {code: tuple(kids) for code, kids in children.items()}

    @property
    def version(self) -> ListVersion:
        """The list version this snapshot is."""
        return self._version

    @property
    def version_id(self) -> str:
        """The short id of the version (``2025-11``)."""
        return self._version.id

    def __iter__(self) -> Iterator[ControlEntry]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, code: object) -> bool:
        if isinstance(code, str):
            try:
                code = ControlCode.parse(code)
            except InvalidControlCodeError:
                return False
        return code in self._by_code

    def __repr__(self) -> str:
        return f"<ControlList {self.version_id}: {len(self)} entries>"

    def get(self, code: CodeLike) -> ControlEntry | None:
        """The entry for exactly this code, or None; text is read as ``ControlCode.parse`` reads it (and
        raises ``InvalidControlCodeError`` if it is not a code at all)."""
        return self._by_code.get(_as_code(code))

    def resolve(self, code: CodeLike) -> ControlEntry | None:
        """The entry for the code or, where the code goes deeper than the list as shipped, the nearest
        listed entry above it (``5A001.f.2.a`` → ``5A001.f.2``); None if not even its top level is listed."""
        parsed = _as_code(code)
        for candidate in (parsed, *reversed(parsed.ancestors)):
            entry = self._by_code.get(candidate)
            if entry is not None:
                return entry
        return None

    def lineage(self, code: CodeLike) -> tuple[ControlEntry, ...]:
        """The listed entries from the top level down to the code (or its nearest listed ancestor)."""
        parsed = _as_code(code)
        found = (self._by_code.get(c) for c in (*parsed.ancestors, parsed))
        return tuple(entry for entry in found if entry is not None)

    def effective_flags(self, code: CodeLike) -> EffectiveFlags:
        """The flags that apply to a code: each is set if the entry or any entry above it sets it
        (cyber-surveillance, Art. 2(20); information security, Cat. 5 Part 2; Annex IV, Art. 11(1);
        Annex II Section I). The nearest ``annex_iv`` part wins. Raises ``NotFoundError`` if the code's
        top level is not listed."""
        lineage = self.lineage(code)
        if not lineage:
            raise NotFoundError(f"{_as_code(code)} is not in list version {self.version_id}", field="code")
        annex_iv = next((e.annex_iv for e in reversed(lineage) if e.annex_iv), None)
        return EffectiveFlags(
            cyber_surveillance=any(e.cyber_surveillance for e in lineage),
            information_security=any(e.information_security for e in lineage),
            annex_iv=annex_iv,
            eugea_excluded=any(e.eugea_excluded for e in lineage),
        )

    def children(self, code: CodeLike) -> tuple[ControlEntry, ...]:
        """The entries directly below a code, in code order."""
        return self._children.get(_as_code(code), ())

    def descendants(self, code: CodeLike) -> tuple[ControlEntry, ...]:
        """Every entry below a code, in code order."""
        parsed = _as_code(code)
        start = bisect.bisect_right(self._entries, parsed, key=lambda e: e.code)
        found: list[ControlEntry] = []
        for entry in self._entries[start:]:
            if not parsed.is_ancestor_of(entry.code):
                break
            found.append(entry)
        return tuple(found)

    @property
    def categories(self) -> tuple[int, ...]:
        """The categories (0-9) that have at least one entry."""
        return tuple(sorted({e.code.category for e in self._entries}))

    @property
    def top_level_entries(self) -> tuple[ControlEntry, ...]:
        """The entries without a parent (``5A001``, ``5A002``…), in code order."""
        return tuple(e for e in self._entries if e.code.is_top_level)

    def in_category(self, category: int) -> tuple[ControlEntry, ...]:
        """Every entry of one category, in code order."""
        return tuple(e for e in self._entries if e.code.category == category)

    def amended(self, amendment: Amendment) -> ControlList:
        """The list after an amendment; raises ``AmendmentError`` naming every problem, changing nothing.

        Order of application: removals (with their sub-items), then additions, then changes. A change or
        removal must name a code listed before the amendment; an addition must name one that is not
        listed once the removals are done.
        """
        problems: list[str] = []
        entries = dict(self._by_code)
        for code in amendment.remove:
            if code not in entries:
                problems.append(f"remove {code}: not listed in {self.version_id}")
                continue
            for gone in (code, *(e.code for e in self.descendants(code))):
                entries.pop(gone, None)
        added: set[ControlCode] = set()
        for entry in amendment.add:
            if entry.code in added:
                problems.append(f"add {entry.code}: added more than once")
            elif entry.code in entries:
                problems.append(f"add {entry.code}: already listed in {self.version_id}")
            added.add(entry.code)
            entries[entry.code] = entry
        changed: set[ControlCode] = set()
        for change in amendment.change:
            if change.code in changed:
                problems.append(f"change {change.code}: changed more than once")
            changed.add(change.code)
            if change.code not in self._by_code or change.code not in entries:
                problems.append(f"change {change.code}: not listed in {self.version_id}")
                continue
            unknown = sorted(set(change.fields) - set(CHANGEABLE_FIELDS))
            if unknown:
                problems.append(f"change {change.code}: cannot change {', '.join(unknown)}")
                continue
            try:
                entries[change.code] = entries[change.code].replace(**change.fields)
            except (ValidationError, TypeError) as exc:
                problems.append(f"change {change.code}: {exc}")
        if not problems:
            problems.extend(validate_list(entries.values()))
        if problems:
            raise AmendmentError(
                f"amendment {amendment.version.id} cannot be applied to {self.version_id}:", problems
            )
        return ControlList(amendment.version, entries.values())

    def diff(self, other: ControlList) -> ListDiff:
        """What changed from this version to ``other``: entries added, removed and changed field by field.

        An entry whose only changes are in its provenance (``source``, ``verified``: where and whether our
        data was checked) is not a change of the list and is left out; with another change, they show."""
        before, after = self._by_code, other._by_code
        added = tuple(other.get(c) for c in sorted(after.keys() - before.keys()))
        removed = tuple(self.get(c) for c in sorted(before.keys() - after.keys()))
        changed: list[EntryDiff] = []
        for code in sorted(before.keys() & after.keys()):
            old, new = before[code], after[code]
            changes = tuple(
                FieldChange(name, _plain(value), _plain(new_value))
                for (name, value), new_value in zip(
                    old.field_values().items(), new.field_values().values(), strict=True
                )
                if _plain(value) != _plain(new_value)
            )
            if any(c.field not in PROVENANCE_FIELDS for c in changes):
                changed.append(EntryDiff(code, old, new, changes))
        return ListDiff(
            self.version,
            other.version,
            added=tuple(e for e in added if e is not None),
            removed=tuple(e for e in removed if e is not None),
            changed=tuple(changed),
        )


PROVENANCE_FIELDS = frozenset({"source", "verified"})
"""Fields that say where our data comes from and whether it was checked, not what the list says."""


def _plain(value: object) -> object:
    # compare and report parameters as plain dicts, not read-only proxies
    return dict(value) if isinstance(value, Mapping) else value


@dataclass(frozen=True)
class ControlListHistory:
    """Every version of the list in order of effective date: a base and the amendments applied to it."""

    lists: tuple[ControlList, ...]
    acts: ActHistory | None = None
    """The acts that made the versions (shipped history); None for a history built from lists alone."""
    official_codes: Mapping[str, frozenset[str]] = field(default_factory=dict)
    """Codes of the official text of a version, by version id, where known (deeper than the entries)."""
    _dates: tuple[date, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.lists:
            raise ControlListError("a list history needs at least a base version")
        dates = tuple(cl.version.effective_from for cl in self.lists)
        ids = [cl.version_id for cl in self.lists]
        if list(dates) != sorted(set(dates)) or len(set(ids)) != len(ids):
            raise ControlListError("list versions must have distinct ids and strictly increasing dates")
        object.__setattr__(self, "_dates", dates)

    @classmethod
    def from_base(cls, version: ListVersion, entries: Iterable[ControlEntry]) -> ControlListHistory:
        """A history of one version, the base list."""
        return cls((ControlList(version, entries),))

    @classmethod
    def build(
        cls, version: ListVersion, entries: Iterable[ControlEntry], amendments: Iterable[Amendment] = ()
    ) -> ControlListHistory:
        """A base list with amendments applied in order."""
        history = cls.from_base(version, entries)
        for amendment in amendments:
            history = history.apply(amendment)
        return history

    @property
    def versions(self) -> tuple[ListVersion, ...]:
        """The list versions, oldest first."""
        return tuple(cl.version for cl in self.lists)

    @property
    def latest(self) -> ControlList:
        """The most recent version (which may not yet be in force)."""
        return self.lists[-1]

    def apply(self, amendment: Amendment) -> ControlListHistory:
        """A new history with ``amendment`` as its latest version; this one is left as it was.

        Raises ``AmendmentError`` if the amendment's date is not after the latest version's, its id is
        already used, or it does not fit the list (see ``ControlList.amended``).
        """
        latest = self.latest
        new_version = amendment.version
        if new_version.effective_from <= latest.version.effective_from:
            raise AmendmentError(
                f"amendment {new_version.id} takes effect on {new_version.effective_from.isoformat()}, "
                f"not after {latest.version_id} ({latest.version.effective_from.isoformat()})"
            )
        if new_version.id in {v.id for v in self.versions}:
            raise AmendmentError(f"amendment {new_version.id}: a version with this id already exists")
        return ControlListHistory(
            (*self.lists, latest.amended(amendment)), acts=self.acts, official_codes=self.official_codes
        )

    def as_of(self, day: date) -> ControlList:
        """The version in force on ``day`` (the latest whose effective date is on or before it).

        Raises ``NotFoundError`` for a day before the first version took effect."""
        index = bisect.bisect_right(self._dates, day)
        if index == 0:
            raise NotFoundError(
                f"no list version in force on {day.isoformat()}; the first takes effect on "
                f"{self._dates[0].isoformat()}",
                field="date",
            )
        return self.lists[index - 1]

    def get_version(self, version_id: str) -> ControlList:
        """The version with this id; raises ``NotFoundError`` naming the known ids."""
        for control_list in self.lists:
            if control_list.version_id == version_id:
                return control_list
        known = ", ".join(cl.version_id for cl in self.lists)
        raise NotFoundError(f"no list version {version_id!r} (known: {known})", field="version")

    def diff(self, from_id: str, to_id: str) -> ListDiff:
        """What changed from one version to another (either direction), with the acts in between and the
        codes of the official texts added and removed where both texts' codes are known."""
        changes = self.get_version(from_id).diff(self.get_version(to_id))
        acts = self.acts.between(from_id, to_id) if self.acts is not None else ()
        before, after = self.official_codes.get(from_id), self.official_codes.get(to_id)
        codes_added: tuple[str, ...] = ()
        codes_removed: tuple[str, ...] = ()
        if before is not None and after is not None:
            codes_added = tuple(sorted(after - before, key=ControlCode.parse))
            codes_removed = tuple(sorted(before - after, key=ControlCode.parse))
        return dataclasses.replace(changes, acts=acts, codes_added=codes_added, codes_removed=codes_removed)
