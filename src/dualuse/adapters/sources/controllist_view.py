"""The control list (``ControlListHistory``) seen through the determination engine's ``ListSource`` port."""

from __future__ import annotations

import difflib
import functools
from dataclasses import dataclass
from datetime import date

from dualuse.adapters.sources.annex_i import load_history, shipped_data_dir
from dualuse.domain.controllist import ControlCode, ControlList, ControlListHistory, InvalidControlCodeError
from dualuse.domain.controllist.acts import ActHistory
from dualuse.domain.errors import NotFoundError
from dualuse.domain.rules.engine import ItemFlags


@dataclass(frozen=True)
class OfficialCodes:
    """The control codes of one official (consolidated) text of Annex I: what a code deeper than the list
    data is checked against (``data/controllist/official/<version>.txt``)."""

    version_id: str
    valid_from: date
    source: str
    verified: bool
    codes: frozenset[str]


@functools.lru_cache(maxsize=1)
def shipped_official_codes() -> dict[str, OfficialCodes]:
    """The official code lists shipped, by list version id."""
    found: dict[str, OfficialCodes] = {}
    for path in sorted((shipped_data_dir() / "official").glob("*.txt")):
        header: dict[str, str] = {}
        codes: set[str] = set()
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("#"):
                key, colon, value = line[1:].partition(":")
                if colon and key.strip() in {"version", "valid_from", "source", "verified"}:
                    header[key.strip()] = value.strip()
            elif line.strip():
                codes.add(line.strip())
        found[header["version"]] = OfficialCodes(
            version_id=header["version"],
            valid_from=date.fromisoformat(header["valid_from"]),
            source=header["source"],
            verified=header.get("verified") == "true",
            codes=frozenset(codes),
        )
    return found


class ControlListView:
    """One list version as a ``ListView``: flags of a code, inherited from the entries above it; with the
    official codes of the same text, a real code deeper than the list data is listed under its entry."""

    __slots__ = ("_acts", "_below", "_codes", "_flags", "_later", "_list", "_official")

    def __init__(
        self,
        control_list: ControlList,
        official: OfficialCodes | None = None,
        *,
        later: ControlListView | None = None,
        acts: ActHistory | None = None,
    ) -> None:
        """``later`` and ``acts``: the latest version's view and the acts in between. A code this version
        lacks but the later one lists is read as listed (the safe side) unless an act in between verifiably
        added it; the answer says what in the code's history is not verified."""
        self._list = control_list
        self._later = later
        self._acts = acts
        self._flags: dict[str, ItemFlags | None] = {}
        self._codes: tuple[str, ...] | None = None
        self._below: dict[str, dict[str, ItemFlags]] = {}
        in_force = official is not None and (
            official.version_id == control_list.version_id
            and official.valid_from == control_list.version.effective_from
        )
        self._official = official if in_force else None

    @property
    def version_id(self) -> str:
        """The id of the list version (``2025-11``)."""
        return self._list.version_id

    def flags_for(self, code: str) -> ItemFlags | None:
        """The flags of ``code`` (Art. 2(20), Cat. 5 Part 2, Annex II Section I, Annex IV); None if not even
        its top-level entry is in this version."""
        try:
            return self._flags[code]
        except KeyError:
            pass
        try:
            effective = self._list.effective_flags(code)
        except (NotFoundError, InvalidControlCodeError):
            flags: ItemFlags | None = None
        else:
            flags = ItemFlags(
                cyber_surveillance=effective.cyber_surveillance,
                information_security=effective.information_security,
                eugea_excluded=effective.eugea_excluded,
                annex_iv=effective.annex_iv,
            )
        if flags is None and self._uncertain(code) and self._later is not None:
            flags = self._later.flags_for(code)
        self._flags[code] = flags
        return flags

    def history_caveats(self, code: str) -> tuple[str, ...]:
        """Why this version's reading of ``code`` may be wrong (acts between it and the latest version that
        are unverified or not itemised for the code), as sentences for the answer; () if certain."""
        if self._acts is None or self._later is None or not _parses(code):
            return ()
        reasons = self._acts.unverified_for(ControlCode.parse(code), self.version_id, self._later.version_id)
        if not reasons:
            return ()
        listed_here = self._list.resolve(code) is not None if _parses(code) else False
        reading = (
            "this version's reading is used"
            if listed_here
            else f"the code is read as listed, as it is in list version {self._later.version_id} (the safe side)"
        )
        return (
            f"The history of {code} between list version {self.version_id} (in force on the transaction's date) "
            f"and {self._later.version_id} is not fully verified ({'; '.join(reasons)}); {reading}. "
            "Check the Official Journal text in force on that date.",
        )

    def _uncertain(self, code: str) -> bool:
        """Whether a code this version lacks may still have been listed (its history is not verified and
        no act in between verifiably added it)."""
        if self._acts is None or self._later is None or not _parses(code):
            return False
        parsed, later_id = ControlCode.parse(code), self._later.version_id
        if self._acts.added_later(parsed, self.version_id, later_id) is not None:
            return False
        return bool(self._acts.unverified_for(parsed, self.version_id, later_id))

    def flagged_below(self, code: str) -> dict[str, ItemFlags]:
        """The listed entries below ``code`` whose flags differ from its own (``1C450.a.1`` in Annex II
        Section I below ``1C450``; ``5D001.e``, cyber-surveillance, below ``5D001``), with their flags."""
        cached = self._below.get(code)
        if cached is not None:
            return cached
        own = self.flags_for(code)
        try:
            below = self._list.descendants(code)
        except (NotFoundError, InvalidControlCodeError):
            below = ()
        found = {}
        for entry in below:
            flags = self.flags_for(str(entry.code))
            if flags is not None and flags != own:
                found[str(entry.code)] = flags
        self._below[code] = found
        return found

    def title_of(self, code: str) -> str | None:
        """The title of the entry listed under exactly ``code`` in this version; None if there is none (a
        code deeper than the list, or one the list does not hold)."""
        try:
            entry = self._list.get(code)
        except InvalidControlCodeError:
            return None
        if entry is None and self._later is not None and self._uncertain(code):
            return self._later.title_of(code)
        return entry.title if entry is not None else None

    def listed_under(self, code: str) -> tuple[str, str] | None:
        """For a code of the official text that the list data holds only as a part of an entry above it
        (``2B001.a`` under ``2B001``): that entry and the official text's source; None otherwise."""
        if self._official is None or code not in self._official.codes:
            if self._later is not None and self._uncertain(code):
                return self._later.listed_under(code)
            return None
        try:
            parsed = ControlCode.parse(code)
        except InvalidControlCodeError:
            return None
        above = next((str(c) for c in reversed(parsed.ancestors) if self._list.get(c) is not None), None)
        return (above, self._official.source) if above is not None else None

    def near(self, code: str, limit: int = 5) -> tuple[str, ...]:
        """Listed codes close to ``code``: its nearest listed entry above it first, then look-alikes."""
        if self._codes is None:
            self._codes = tuple(str(entry.code) for entry in self._list)
        found: list[str] = []
        children: list[str] = []
        try:
            parsed = ControlCode.parse(code)
        except InvalidControlCodeError:
            parsed = None
        official = self._official.codes if self._official is not None else frozenset()
        if parsed is not None:
            above = next(
                (
                    str(c)
                    for c in reversed(parsed.ancestors)
                    if self._list.get(c) is not None or str(c) in official
                ),
                None,
            )
            if above is not None:
                found.append(above)
                children = [str(child.code) for child in self._list.children(above)]
                # the official text's sub-items of it, in its order, come first where the data stops above
                depth = above.count(".") + 1
                real = sorted(
                    (c for c in official if c.startswith(above + ".") and c.count(".") == depth),
                    key=lambda c: ControlCode.parse(c),
                )
                found.extend(real)
            code = str(parsed)
        found.extend(difflib.get_close_matches(code, self._codes, n=limit, cutoff=0.6))
        found.extend(children)
        return tuple(dict.fromkeys(found))[:limit]


class ControlListSource:
    """Every list version as a ``ListSource``; views are made once per version and kept."""

    def __init__(self, history: ControlListHistory, official: dict[str, OfficialCodes] | None = None) -> None:
        self._history = history
        self._views: dict[str, ControlListView] = {}
        self._official = dict(shipped_official_codes() if official is None else official)
        for control_list in history.lists:  # earlier texts: their codes derived through the acts
            codes = history.official_codes.get(control_list.version_id)
            if control_list.version_id not in self._official and codes is not None:
                self._official[control_list.version_id] = OfficialCodes(
                    version_id=control_list.version_id,
                    valid_from=control_list.version.effective_from,
                    source=(
                        f"consolidated Annex I in force from {control_list.version.effective_from.isoformat()} "
                        "(codes derived from the 2025-11-15 text through the amending acts, acts.yaml)"
                    ),
                    verified=False,
                    codes=codes,
                )

    def as_of(self, day: date) -> ControlListView:
        """The version in force on ``day``; ``NotFoundError`` (field ``date``) before the first one."""
        return self._view(self._history.as_of(day))

    def _view(self, control_list: ControlList) -> ControlListView:
        view = self._views.get(control_list.version_id)
        if view is not None:
            return view
        latest = self._history.latest
        later = self._view(latest) if control_list.version_id != latest.version_id else None
        view = self._views[control_list.version_id] = ControlListView(
            control_list, self._official.get(control_list.version_id), later=later, acts=self._history.acts
        )
        return view


@functools.lru_cache(maxsize=1)
def shipped_list_source() -> ControlListSource:
    """The shipped control list history as a ``ListSource`` (read once per process)."""
    return ControlListSource(load_history())


def _parses(code: str) -> bool:
    try:
        ControlCode.parse(code)
    except InvalidControlCodeError:
        return False
    return True
