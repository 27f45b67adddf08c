"""The steps of a due-diligence case, in the order Recommendation (EU) 2024/2659 sets them out.

Kept apart from ``case`` so that ``redflags`` (which tags each flag with its step) and ``case`` (which
reads the flags) do not import each other; both re-export from here.
"""

from __future__ import annotations

from enum import StrEnum


class Step(StrEnum):
    """A step of the due diligence for cyber-surveillance items (Rec. 2024/2659).

    Classify the item, review its potential for misuse, assess the stakeholders (screen every end-user and
    consignee; assess the risk of each transaction), prevent or mitigate what was found, and conclude —
    which may mean notifying the competent authority (Art. 5(2)).
    """

    CLASSIFICATION = "classification"
    MISUSE = "misuse"
    STAKEHOLDERS = "stakeholders"
    MITIGATION = "mitigation"
    CONCLUSION = "conclusion"


STEPS: tuple[Step, ...] = (
    Step.CLASSIFICATION,
    Step.MISUSE,
    Step.STAKEHOLDERS,
    Step.MITIGATION,
    Step.CONCLUSION,
)
"""The steps in the order they are worked through."""


def next_step(step: Step) -> Step | None:
    """The step after ``step``; ``None`` after the conclusion."""
    index = STEPS.index(Step(step))
    return STEPS[index + 1] if index + 1 < len(STEPS) else None
