"""Control list codes: the identifiers of Annex I entries, such as ``5A001.f.1``.

A code is a category digit (0-9), a product group letter (A-E), three digits, then sub-items that
alternate letters and numbers (``5A001.b.3.b``). A few entries number their first sub-items directly
(``1C350.1``), so the first sub-item may be a letter or a number; after it the kinds alternate.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from dualuse.domain.errors import ValidationError

PRODUCT_GROUPS = "ABCDE"
"""Product groups of Annex I: A systems and equipment, B test and production equipment, C materials,
D software, E technology."""

_SEPARATORS = re.compile(r"[\s.\-_]+")
_RUN = re.compile(r"[a-z]+|[0-9]+")
_MAX_LETTERS = 2  # Annex I letters run a..z; two letters leave room for a long list, never more
_MAX_DIGITS = 3


class InvalidControlCodeError(ValidationError):
    """Text that cannot be read as a control list code; the message says what is wrong."""

    code = "invalid-control-code"
    title = "Invalid control list code"

    def __init__(self, text: str, problem: str) -> None:
        super().__init__(f"{text!r} is not a control list code: {problem}", field="code")
        self.text = text
        self.problem = problem


_SortKey = tuple[int, str, str, tuple[tuple[int, int, str], ...]]


def _part_key(part: str) -> tuple[int, int, str]:
    # numbers sort numerically (f.2 before f.10), letters alphabetically with short before long (z before aa)
    if part.isdigit():
        return (0, int(part), "")
    return (1, len(part), part)


@functools.total_ordering
@dataclass(frozen=True, slots=True)
class ControlCode:
    """A control list code such as ``5A001.f.1``.

    Codes order as the list does: by category, product group, number, then sub-items, where
    numbered sub-items sort numerically and a parent sorts before its sub-items.
    """

    category: int
    group: str
    number: str
    parts: tuple[str, ...] = ()
    _key: _SortKey = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        text = f"{self.category}{self.group}{self.number}{'.' if self.parts else ''}{'.'.join(self.parts)}"
        problem = _problem_with_fields(self.category, self.group, self.number, self.parts)
        if problem is not None:
            raise InvalidControlCodeError(text, problem)
        # sorting codes is frequent (every snapshot, every diff): work the key out once
        key = (self.category, self.group, self.number, tuple(_part_key(p) for p in self.parts))
        object.__setattr__(self, "_key", key)

    @classmethod
    def parse(cls, text: str) -> ControlCode:
        """Read a code as people type it: ``5A001.f.1``, ``5a001f1``, ``5A001 f 1``, ``5A001.f.1.``.

        Raises ``InvalidControlCodeError`` saying what is wrong (never another exception).
        """
        return _parse(text)

    def format(self) -> str:
        """The canonical form: ``5A001.f.1`` (upper-case group, lower-case letters, dots between parts)."""
        head = f"{self.category}{self.group}{self.number}"
        return ".".join((head, *self.parts))

    def __str__(self) -> str:
        return self.format()

    def __repr__(self) -> str:
        return f"ControlCode({self.format()!r})"

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, ControlCode):
            return NotImplemented
        return self._key < other._key

    @property
    def top_level(self) -> ControlCode:
        """The top-level entry this code belongs to (``5A001`` for ``5A001.f.1``)."""
        if not self.parts:
            return self
        return ControlCode(self.category, self.group, self.number)

    @property
    def is_top_level(self) -> bool:
        """True for a code without sub-items, such as ``5A001``."""
        return not self.parts

    @property
    def parent(self) -> ControlCode | None:
        """The code one level up (``5A001.f`` for ``5A001.f.1``); None for a top-level code."""
        if not self.parts:
            return None
        return ControlCode(self.category, self.group, self.number, self.parts[:-1])

    @property
    def ancestors(self) -> tuple[ControlCode, ...]:
        """Every code above this one, top level first and the parent last (``5A001``, ``5A001.f``)."""
        return tuple(
            ControlCode(self.category, self.group, self.number, self.parts[:n])
            for n in range(len(self.parts))
        )

    @property
    def depth(self) -> int:
        """How many sub-items deep the code is: 0 for ``5A001``, 2 for ``5A001.f.1``."""
        return len(self.parts)

    def is_ancestor_of(self, other: ControlCode) -> bool:
        """True if ``other`` lies strictly below this code (``5A001`` is an ancestor of ``5A001.f``)."""
        return (
            self.category == other.category
            and self.group == other.group
            and self.number == other.number
            and len(self.parts) < len(other.parts)
            and other.parts[: len(self.parts)] == self.parts
        )

    def child(self, part: str) -> ControlCode:
        """The sub-item ``part`` of this code (``5A001.f`` → ``5A001.f.1`` for ``"1"``)."""
        return ControlCode(self.category, self.group, self.number, (*self.parts, part))


def _problem_with_fields(category: int, group: str, number: str, parts: tuple[str, ...]) -> str | None:
    if isinstance(category, bool) or not isinstance(category, int) or not 0 <= category <= 9:
        return "category must be a digit 0-9"
    if not isinstance(group, str) or len(group) != 1 or group not in PRODUCT_GROUPS:
        return "product group must be one of A-E"
    if not isinstance(number, str) or len(number) != 3 or not number.isascii() or not number.isdigit():
        return "expected three digits after the product group"
    previous_is_letter: bool | None = None
    for part in parts:
        problem = _problem_with_part(part)
        if problem is not None:
            return problem
        is_letter = part.isalpha()
        if previous_is_letter is not None and is_letter == previous_is_letter:
            return "sub-items must alternate letters and numbers"
        previous_is_letter = is_letter
    return None


def _problem_with_part(part: str) -> str | None:
    if not isinstance(part, str) or not part or not part.isascii():
        return f"sub-item {part!r} must be a letter a-z or a number"
    if part.isalpha():
        if not part.islower():
            return f"sub-item {part!r} must be written in lower case"
        if len(part) > _MAX_LETTERS:
            return "sub-items must alternate letters and numbers"
        return None
    if part.isdigit():
        if len(part) > _MAX_DIGITS:
            return f"sub-item number {part!r} is too long"
        if part.startswith("0"):
            return f"sub-item number {part!r} must start at 1 without leading zeros"
        return None
    return f"sub-item {part!r} must be a letter a-z or a number"


def _parse(text: str) -> ControlCode:
    if not isinstance(text, str):
        raise InvalidControlCodeError(repr(text), "a code must be text")
    stripped = text.strip().strip(".").strip()
    if not stripped:
        raise InvalidControlCodeError(text, "empty code")
    head = stripped[:5]
    if not head[0].isascii() or not head[0].isdigit():
        raise InvalidControlCodeError(text, "category must be a digit 0-9")
    if len(head) < 2 or head[1].upper() not in PRODUCT_GROUPS or not head[1].isascii():
        raise InvalidControlCodeError(text, "product group must be one of A-E")
    number = head[2:5]
    if len(number) != 3 or not number.isascii() or not number.isdigit():
        raise InvalidControlCodeError(text, "expected three digits after the product group")
    rest = _SEPARATORS.sub(".", stripped[5:].lower()).strip(".")
    parts: list[str] = []
    for chunk in rest.split(".") if rest else ():
        runs = _RUN.findall(chunk)
        if "".join(runs) != chunk:
            bad = next(ch for ch in chunk if not (ch.isascii() and ch.isalnum()))
            raise InvalidControlCodeError(text, f"unexpected character {bad!r} in the sub-items")
        parts.extend(runs)
    normalised = tuple(str(int(p)) if p.isdigit() and p.strip("0") else p for p in parts)
    problem = _problem_with_fields(int(head[0]), head[1].upper(), number, normalised)
    if problem is not None:
        raise InvalidControlCodeError(text, problem)
    return ControlCode(int(head[0]), head[1].upper(), number, normalised)
