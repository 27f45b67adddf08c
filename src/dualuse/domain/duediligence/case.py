"""The conclusion of a due-diligence case and the rules it must respect.

Recommendation (EU) 2024/2659 asks the exporter of cyber-surveillance items to classify, review the
potential for misuse, assess the stakeholders, prevent or mitigate, and then decide. Art. 5(2) of
Regulation (EU) 2021/821 turns one outcome into a duty: an exporter *aware, according to its due diligence
findings*, that non-listed cyber-surveillance items are intended for internal repression or serious
violations of human rights or international humanitarian law must notify the competent authority.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

# Step, STEPS and next_step live in _steps (redflags needs Step too); they are re-exported from here.
from dualuse.domain.duediligence._steps import STEPS, Step, next_step
from dualuse.domain.duediligence.redflags import INTERNAL_REPRESSION, FlagAnswer, RedFlag, RedFlagSet
from dualuse.domain.errors import ValidationError

__all__ = [
    "STEPS",
    "Conclusion",
    "Step",
    "awareness",
    "check_answers",
    "check_conclusion",
    "next_step",
    "raised_repression_flags",
    "suggested_conclusion",
    "unresolved_key_flags",
]


class Conclusion(StrEnum):
    """What the exporter decides at the end of its due diligence (Rec. 2024/2659; Art. 5(2))."""

    PROCEED = "proceed"
    PROCEED_WITH_MITIGATION = "proceed_with_mitigation"
    DO_NOT_PROCEED = "do_not_proceed"
    NOTIFY_AUTHORITY = "notify_authority"


_ANSWER_VALUES = frozenset(a.value for a in FlagAnswer)


def _answer(answers: Mapping[str, FlagAnswer], flag: RedFlag) -> FlagAnswer:
    """The answer to ``flag``; a flag not answered counts as ``unknown``."""
    return FlagAnswer(answers.get(flag.id, FlagAnswer.UNKNOWN))


def unresolved_key_flags(flags: RedFlagSet, answers: Mapping[str, FlagAnswer]) -> tuple[RedFlag, ...]:
    """The key flags answered ``unknown`` or not answered at all (Rec. 2024/2659)."""
    return tuple(f for f in flags.flags if f.key and _answer(answers, f) is FlagAnswer.UNKNOWN)


def raised_repression_flags(flags: RedFlagSet, answers: Mapping[str, FlagAnswer]) -> tuple[RedFlag, ...]:
    """The flags answered ``yes`` that point to internal repression or serious human-rights violations:
    each makes the exporter aware in the sense of Art. 5(2)."""
    return tuple(
        f for f in flags.flags if f.points_to == INTERNAL_REPRESSION and _answer(answers, f) is FlagAnswer.YES
    )


def _ids(flags: tuple[RedFlag, ...]) -> str:
    return ", ".join(f.id for f in flags)


def check_answers(flags: RedFlagSet, answers: Mapping[str, object]) -> None:
    """Refuse answers to flags the set does not have, or answers other than yes, no and unknown.

    Not part of ``check_conclusion``: a case answered against an older set may carry ids the current set
    dropped; call this when recording answers against ``flags``.
    """
    for flag_id, answer in answers.items():
        flags.get(flag_id)
        if not isinstance(answer, str) or answer not in _ANSWER_VALUES:
            raise ValidationError(
                f"the answer to red flag {flag_id!r} must be yes, no or unknown, not {answer!r}",
                field="answers",
            )


def check_conclusion(conclusion: Conclusion, flags: RedFlagSet, answers: Mapping[str, FlagAnswer]) -> None:
    """Refuse a conclusion the answers do not allow (Rec. 2024/2659; Art. 5(2)).

    - "proceed" needs every key flag answered: a key flag answered ``unknown`` (or not answered) is an open
      question the exporter has not resolved (Rec. 2024/2659, stakeholder assessment and risk per
      transaction).
    - "proceed" and "proceed with mitigation" are refused once a flag pointing to internal repression or
      serious human-rights violations is answered ``yes``: the exporter is then aware, according to its due
      diligence findings, of the Art. 5(1) use, and must notify the competent authority (Art. 5(2)) or not
      proceed.

    Raises ``ValidationError(field="conclusion")`` naming the flags.
    """
    conclusion = Conclusion(conclusion)
    if conclusion is Conclusion.PROCEED:
        open_flags = unresolved_key_flags(flags, answers)
        if open_flags:
            raise ValidationError(
                "cannot conclude 'proceed' while key red flags are unknown or unanswered: "
                f"{_ids(open_flags)} (Rec. 2024/2659)",
                field="conclusion",
            )
    if conclusion in (Conclusion.PROCEED, Conclusion.PROCEED_WITH_MITIGATION):
        raised = raised_repression_flags(flags, answers)
        if raised:
            raise ValidationError(
                f"cannot conclude '{conclusion}': red flags answered yes point to internal repression or "
                f"serious human-rights violations ({_ids(raised)}); the exporter is aware and must notify "
                "the competent authority or not proceed (Art. 5(2))",
                field="conclusion",
            )


def suggested_conclusion(flags: RedFlagSet, answers: Mapping[str, FlagAnswer]) -> Conclusion:
    """The conclusion the answers point to; the exporter decides, within ``check_conclusion``.

    In this order:

    1. ``notify_authority`` when a flag pointing to internal repression is answered yes — the exporter is
       aware (Art. 5(2));
    2. ``do_not_proceed`` when a key flag is unknown or unanswered. This is the chosen reading of "until
       answered": proceeding needs the key questions resolved, and mitigation cannot be designed against a
       risk nobody has looked at, so the suggestion is not to go ahead yet. Answering the key flags changes
       the suggestion. (``check_conclusion`` itself still lets the exporter choose "proceed with
       mitigation" with unknown key flags, on its own responsibility.);
    3. ``proceed_with_mitigation`` when any other flag is yes, or a non-key flag is unknown (Rec. 2024/2659,
       prevent and mitigate);
    4. ``proceed`` when every flag is answered no.
    """
    if raised_repression_flags(flags, answers):
        return Conclusion.NOTIFY_AUTHORITY
    if unresolved_key_flags(flags, answers):
        return Conclusion.DO_NOT_PROCEED
    if any(_answer(answers, f) is not FlagAnswer.NO for f in flags.flags):
        return Conclusion.PROCEED_WITH_MITIGATION
    return Conclusion.PROCEED


def awareness(conclusion: Conclusion) -> frozenset[str]:
    """What the determination's ``knowledge.aware`` becomes after the conclusion (Art. 5(2)).

    Concluding "notify the authority" records that the exporter is aware of the Art. 5(1) use
    (``{"internal_repression"}``); every other conclusion adds no awareness.
    """
    if Conclusion(conclusion) is Conclusion.NOTIFY_AUTHORITY:
        return frozenset({INTERNAL_REPRESSION})
    return frozenset()
