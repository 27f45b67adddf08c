"""The conclusion of a due-diligence case: what the answers allow (Art. 5(2); Rec. 2024/2659)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from dualuse.domain.duediligence import (
    STEPS,
    Conclusion,
    FlagAnswer,
    RedFlag,
    Step,
    awareness,
    check_answers,
    check_conclusion,
    next_step,
    suggested_conclusion,
)
from dualuse.domain.errors import ValidationError

from .factories import flag_set, red_flag, standard_set

Y, N, U = FlagAnswer.YES, FlagAnswer.NO, FlagAnswer.UNKNOWN
P, PM, DNP, NA = (
    Conclusion.PROCEED,
    Conclusion.PROCEED_WITH_MITIGATION,
    Conclusion.DO_NOT_PROCEED,
    Conclusion.NOTIFY_AUTHORITY,
)
ALL_NO = {"key": N, "repression": N, "minor": N, "minor-repression": N}


def answers(**changes: FlagAnswer | None) -> dict[str, FlagAnswer]:
    """All flags answered no, with ``changes`` (``None`` removes the answer)."""
    result = dict(ALL_NO)
    for name, answer in changes.items():
        flag_id = name.replace("_", "-")
        if answer is None:
            result.pop(flag_id)
        else:
            result[flag_id] = answer
    return result


@dataclass(frozen=True)
class Case:
    id: str
    basis: str
    conclusion: Conclusion
    answers: dict[str, FlagAnswer]
    refused_naming: tuple[str, ...] = field(default=())


CASES = [
    Case("proceed when every flag is no", "Rec. 2024/2659", P, answers()),
    Case("proceed blocked by an unknown key flag", "Rec. 2024/2659", P, answers(key=U), ("key",)),
    Case("proceed blocked by an unanswered key flag", "Rec. 2024/2659", P, answers(key=None), ("key",)),
    Case("an unknown non-key flag does not block proceed", "Rec. 2024/2659", P, answers(minor=U)),
    Case("a yes on a non-repression flag does not block proceed", "Rec. 2024/2659", P, answers(key=Y)),
    Case(
        "proceed refused on a yes to a repression flag",
        "Art. 5(2)",
        P,
        answers(repression=Y),
        ("repression",),
    ),
    Case(
        "mitigation refused on a yes to a repression flag",
        "Art. 5(2)",
        PM,
        answers(minor_repression=Y),
        ("minor-repression",),
    ),
    Case(
        "both problems are reported for proceed (unknown key first)",
        "Art. 5(2)",
        P,
        answers(key=U, repression=Y),
        ("key",),
    ),
    Case("mitigation allowed with an unknown key flag", "Rec. 2024/2659", PM, answers(key=U)),
    Case("notify on a yes to a repression flag", "Art. 5(2)", NA, answers(repression=Y)),
    Case("do not proceed is always allowed", "Art. 5(2)", DNP, answers(key=U, repression=Y)),
    Case("notify is allowed without any yes", "Art. 5(2)", NA, answers()),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_check_conclusion(case: Case) -> None:
    if not case.refused_naming:
        check_conclusion(case.conclusion, standard_set(), case.answers)
        return
    with pytest.raises(ValidationError) as raised:
        check_conclusion(case.conclusion, standard_set(), case.answers)
    assert raised.value.field == "conclusion"
    for flag_id in case.refused_naming:
        assert flag_id in raised.value.detail


def test_a_refusal_on_repression_cites_art_5_2() -> None:
    with pytest.raises(ValidationError, match=r"Art\. 5\(2\)"):
        check_conclusion(PM, standard_set(), answers(repression=Y))


def test_check_conclusion_accepts_plain_strings() -> None:
    with pytest.raises(ValidationError):
        check_conclusion("proceed", standard_set(), {"repression": "yes"})  # type: ignore[arg-type, dict-item]  # text from a form


SUGGESTIONS = [
    ("all no", answers(), P),
    ("a yes on a repression flag", answers(repression=Y), NA),
    ("a yes on a non-key repression flag", answers(minor_repression=Y), NA),
    ("repression wins over unknown key flags", answers(key=U, repression=Y), NA),
    ("an unknown key flag", answers(key=U), DNP),
    ("an unanswered key flag", answers(key=None), DNP),
    ("nothing answered", {}, DNP),
    ("a yes on another key flag", answers(key=Y), PM),
    ("an unknown non-key flag", answers(minor=U), PM),
    ("a yes on a non-key flag", answers(minor=Y), PM),
]


@pytest.mark.parametrize(
    ("given", "expected"), [(a, c) for _, a, c in SUGGESTIONS], ids=[s[0] for s in SUGGESTIONS]
)
def test_suggested_conclusion(given: dict[str, FlagAnswer], expected: Conclusion) -> None:
    assert suggested_conclusion(standard_set(), given) is expected


@pytest.mark.parametrize(("given", "_"), [(a, c) for _, a, c in SUGGESTIONS], ids=[s[0] for s in SUGGESTIONS])
def test_the_suggestion_is_always_allowed(given: dict[str, FlagAnswer], _: Conclusion) -> None:
    check_conclusion(suggested_conclusion(standard_set(), given), standard_set(), given)


@pytest.mark.parametrize(
    ("conclusion", "aware"),
    [(NA, frozenset({"internal_repression"})), (P, frozenset()), (PM, frozenset()), (DNP, frozenset())],
)
def test_awareness_follows_the_conclusion(conclusion: Conclusion, aware: frozenset[str]) -> None:
    """Art. 5(2): concluding "notify" records the exporter as aware of the Art. 5(1) use."""
    assert awareness(conclusion) == aware


def test_check_answers_refuses_unknown_flags_and_values() -> None:
    check_answers(standard_set(), {"key": "yes", "minor": FlagAnswer.UNKNOWN})
    with pytest.raises(ValidationError, match="nonsense"):
        check_answers(standard_set(), {"nonsense": "yes"})
    with pytest.raises(ValidationError, match="maybe"):
        check_answers(standard_set(), {"key": "maybe"})


def test_steps_run_in_order() -> None:
    assert STEPS[0] is Step.CLASSIFICATION
    assert [next_step(s) for s in STEPS] == [*STEPS[1:], None]


def test_a_flag_set_finds_flags_by_step_and_id() -> None:
    flags = standard_set()
    assert [f.id for f in flags.for_step(Step.STAKEHOLDERS)] == ["repression", "minor-repression"]
    assert flags.get("minor").step is Step.MITIGATION
    with pytest.raises(ValidationError, match="'absent'"):
        flags.get("absent")


def test_a_flag_set_refuses_duplicate_ids_and_bad_flags() -> None:
    with pytest.raises(ValidationError, match="twice"):
        flag_set(red_flag("a"), red_flag("a"))
    with pytest.raises(ValidationError, match="points to"):
        RedFlag(
            id="b",
            text="?",
            step=Step.MISUSE,
            key=False,
            points_to="weather",
            guidance="",
            source="s",
            verified=False,
        )
    with pytest.raises(ValidationError, match="step"):
        RedFlag(
            id="b",
            text="?",
            step="nowhere",  # type: ignore[arg-type]  # the point of the test
            key=False,
            points_to=None,
            guidance="",
            source="s",
            verified=False,
        )


def test_a_step_read_back_as_text_becomes_the_enum() -> None:
    flag = RedFlag(
        id="b",
        text="?",
        step="misuse",  # type: ignore[arg-type]  # as read from a database
        key=False,
        points_to=None,
        guidance="",
        source="s",
        verified=False,
    )
    assert flag.step is Step.MISUSE
