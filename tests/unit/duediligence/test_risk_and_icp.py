"""Risk profiles (Rec. 2024/2659, stakeholder assessment) and the ICP self-assessment (Rec. 2019/1318)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from dualuse.domain.duediligence import (
    ICP_ELEMENTS,
    IcpLevel,
    RiskLevel,
    RiskProfile,
    Source,
    check_profile,
    icp_summary,
)
from dualuse.domain.errors import ValidationError

DATED = Source(title="A dated report", url="https://example.org/report", published=date(2026, 1, 15))
UNDATED = Source(title="An undated page", url="https://example.org/page", published=None)


def profile(**changes: object) -> RiskProfile:
    base = RiskProfile(
        subject_kind="country",
        subject="XK",
        level=RiskLevel.UNKNOWN,
        summary="",
        sources=(UNDATED,),
        entered_by="officer@example.org",
        verified=False,
    )
    return replace(base, **changes)  # type: ignore[arg-type]  # test factory: fields vary by case


@pytest.mark.parametrize(
    "ok",
    [
        profile(),
        profile(level=RiskLevel.HIGH, sources=(UNDATED, DATED)),
        profile(subject_kind="end_user", subject="Acme Systems", level=RiskLevel.LOW, sources=(DATED,)),
        profile(level="elevated", sources=(DATED,)),
    ],
)
def test_acceptable_profiles(ok: RiskProfile) -> None:
    check_profile(ok)


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        (profile(sources=()), "sources"),
        (profile(level=RiskLevel.VERY_HIGH), "sources"),
        (profile(level=RiskLevel.LOW, sources=(UNDATED,)), "sources"),
        (profile(sources=(Source(title=" ", url="", published=None),)), "sources"),
        (profile(subject_kind="region"), "subject_kind"),
        (profile(subject="Germany"), "subject"),
        (profile(subject=" ", subject_kind="end_user"), "subject"),
        (profile(entered_by=""), "entered_by"),
        (profile(level="catastrophic"), "level"),
    ],
    ids=[
        "no source",
        "rated without a dated source",
        "rated with only undated sources",
        "a source without a title",
        "unknown subject kind",
        "a country by name",
        "no subject",
        "nobody entered it",
        "unknown level",
    ],
)
def test_refused_profiles(bad: RiskProfile, field: str) -> None:
    with pytest.raises(ValidationError) as raised:
        check_profile(bad)
    assert raised.value.field == field


def test_the_seven_core_elements_in_order() -> None:
    assert [e.id for e in ICP_ELEMENTS] == [
        "commitment",
        "organisation",
        "training",
        "screening",
        "review",
        "recordkeeping",
        "security",
    ]
    assert all(
        e.source.startswith("Recommendation (EU) 2019/1318") and e.question.endswith("?")
        for e in ICP_ELEMENTS
    )


@pytest.mark.parametrize(
    ("answers", "in_place", "gaps"),
    [
        (
            {},
            0,
            ("commitment", "organisation", "training", "screening", "review", "recordkeeping", "security"),
        ),
        ({e.id: IcpLevel.IN_PLACE for e in ICP_ELEMENTS}, 7, ()),
        (
            {
                **{e.id: IcpLevel.IN_PLACE for e in ICP_ELEMENTS},
                "training": IcpLevel.PARTLY,
                "security": "not_in_place",
            },
            5,
            ("training", "security"),
        ),
        (
            {"screening": IcpLevel.IN_PLACE},
            1,
            ("commitment", "organisation", "training", "review", "recordkeeping", "security"),
        ),
    ],
    ids=["nothing assessed", "all in place", "partly and missing", "one in place"],
)
def test_icp_summary(answers: dict[str, IcpLevel], in_place: int, gaps: tuple[str, ...]) -> None:
    assert icp_summary(answers) == (in_place, gaps)


def test_icp_summary_refuses_unknown_elements_and_levels() -> None:
    with pytest.raises(ValidationError, match="ethics"):
        icp_summary({"ethics": IcpLevel.IN_PLACE})
    with pytest.raises(ValidationError, match="sometimes"):
        icp_summary({"training": "sometimes"})  # type: ignore[dict-item]  # the point of the test
