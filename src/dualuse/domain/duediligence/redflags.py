"""Red flags: the yes/no questions an exporter answers about a cyber-surveillance transaction.

A flag is data (``dualuse/data/duediligence/red_flags.yaml``) with its legal source and whether that source
was checked; this module only says what a flag is (Rec. 2024/2659; Art. 5(2)).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from dualuse.domain.duediligence._steps import Step
from dualuse.domain.errors import ValidationError

INTERNAL_REPRESSION = "internal_repression"
"""What a flag points to when a yes means the items are or may be intended for internal repression or
serious violations of human rights or international humanitarian law (Art. 5(1)); the same word as
``Knowledge.INTERNAL_REPRESSION`` in the determination facts."""

POINTS_TO: frozenset[str] = frozenset({INTERNAL_REPRESSION})


class FlagAnswer(StrEnum):
    """The exporter's answer to a red flag. ``unknown`` is an answer: the exporter could not find out."""

    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class RedFlag:
    """One red flag (Rec. 2024/2659).

    ``key`` flags matter enough that an unknown answer blocks the conclusion "proceed"; ``points_to`` is
    ``"internal_repression"`` when a yes makes the exporter aware of the Art. 5(1) use (Art. 5(2)).
    ``verified`` is false where the flag's content was not checked against ``source``.
    """

    id: str
    text: str
    step: Step
    key: bool
    points_to: str | None
    guidance: str
    source: str
    verified: bool

    def __post_init__(self) -> None:
        if not self.id.strip():
            raise ValidationError("a red flag needs an id", field="id")
        if not self.text.strip():
            raise ValidationError(f"red flag {self.id!r} needs a question", field="text")
        if not self.source.strip():
            raise ValidationError(f"red flag {self.id!r} needs a source", field="source")
        try:
            # a step read back as text becomes the enum, so that comparisons and for_step hold
            object.__setattr__(self, "step", Step(self.step))
        except ValueError:
            raise ValidationError(
                f"red flag {self.id!r} has an unknown step {self.step!r}", field="step"
            ) from None
        if self.points_to is not None and self.points_to not in POINTS_TO:
            raise ValidationError(
                f"red flag {self.id!r} points to {self.points_to!r}; known: {', '.join(sorted(POINTS_TO))}",
                field="points_to",
            )

    @property
    def points_to_repression(self) -> bool:
        """A yes to this flag points to internal repression or serious human-rights violations (Art. 5(1))."""
        return self.points_to == INTERNAL_REPRESSION


@dataclass(frozen=True)
class RedFlagSet:
    """A versioned set of red flags. A due-diligence case records the version it was answered against."""

    version: str
    flags: tuple[RedFlag, ...]

    def __post_init__(self) -> None:
        if not self.version.strip():
            raise ValidationError("a red-flag set needs a version", field="version")
        seen: set[str] = set()
        for flag in self.flags:
            if flag.id in seen:
                raise ValidationError(f"red flag {flag.id!r} appears twice", field="flags")
            seen.add(flag.id)

    def for_step(self, step: Step) -> tuple[RedFlag, ...]:
        """The flags answered at ``step``, in their order in the set."""
        return tuple(flag for flag in self.flags if flag.step == step)

    def get(self, flag_id: str) -> RedFlag:
        """The flag with id ``flag_id``; a ``ValidationError`` naming it if the set has no such flag."""
        for flag in self.flags:
            if flag.id == flag_id:
                return flag
        raise ValidationError(
            f"red flag {flag_id!r} is not in red-flag set {self.version!r}", field="flag_id"
        )

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(flag.id for flag in self.flags)
