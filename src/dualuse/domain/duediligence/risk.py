"""Risk profiles of destinations and end-users: the human-rights context an exporter weighs in its
stakeholder assessment (Rec. 2024/2659). A rating is entered by a person and rests on dated, named sources;
without them the level stays ``unknown``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from dualuse.domain.errors import ValidationError

SUBJECT_KINDS = frozenset({"country", "end_user"})


class RiskLevel(StrEnum):
    """How likely misuse for internal repression or serious human-rights violations is (Art. 5(1))."""

    LOW = "low"
    ELEVATED = "elevated"
    HIGH = "high"
    VERY_HIGH = "very_high"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Source:
    """A public document a profile rests on; ``published`` is its date, when it has one."""

    title: str
    url: str
    published: date | None


@dataclass(frozen=True)
class RiskProfile:
    """The risk of a country (ISO 3166-1 alpha-2 code) or a named end-user, with its sources and who
    entered it. ``verified`` means a second person (an authority) has checked it."""

    subject_kind: str
    subject: str
    level: RiskLevel
    summary: str
    sources: tuple[Source, ...]
    entered_by: str
    verified: bool


def check_profile(profile: RiskProfile) -> None:
    """Refuse a profile without a source, or rated (any level but ``unknown``) without a dated source:
    a rating must say what it rests on and as of when (Rec. 2024/2659, stakeholder assessment)."""
    if profile.subject_kind not in SUBJECT_KINDS:
        raise ValidationError(
            f"a risk profile is about a country or an end_user, not {profile.subject_kind!r}",
            field="subject_kind",
        )
    if not profile.subject.strip():
        raise ValidationError("a risk profile needs a subject", field="subject")
    if profile.subject_kind == "country" and not (
        len(profile.subject) == 2 and profile.subject.isascii() and profile.subject.isupper()
    ):
        raise ValidationError(
            f"a country is written as its ISO 3166-1 alpha-2 code, not {profile.subject!r}", field="subject"
        )
    try:
        level = RiskLevel(profile.level)
    except ValueError:
        raise ValidationError(f"unknown risk level {profile.level!r}", field="level") from None
    if not profile.entered_by.strip():
        raise ValidationError("a risk profile must say who entered it", field="entered_by")
    if not profile.sources:
        raise ValidationError(f"the risk profile of {profile.subject!r} needs a source", field="sources")
    for source in profile.sources:
        if not source.title.strip():
            raise ValidationError(f"a source of {profile.subject!r} has no title", field="sources")
    if level is not RiskLevel.UNKNOWN and not any(s.published for s in profile.sources):
        raise ValidationError(
            f"the risk profile of {profile.subject!r} is rated {level} but no source is dated; "
            "a rating needs at least one dated source",
            field="sources",
        )
