"""Red flags and red-flag sets for due-diligence tests."""

from __future__ import annotations

from dualuse.domain.duediligence import INTERNAL_REPRESSION, RedFlag, RedFlagSet, Step


def red_flag(
    flag_id: str,
    *,
    step: Step = Step.STAKEHOLDERS,
    key: bool = False,
    repression: bool = False,
) -> RedFlag:
    return RedFlag(
        id=flag_id,
        text=f"Is {flag_id} the case?",
        step=step,
        key=key,
        points_to=INTERNAL_REPRESSION if repression else None,
        guidance="Ask.",
        source="test",
        verified=False,
    )


def flag_set(*flags: RedFlag, version: str = "test-1") -> RedFlagSet:
    return RedFlagSet(version=version, flags=flags)


def standard_set() -> RedFlagSet:
    """A key flag, a key repression flag, a non-key flag and a non-key repression flag."""
    return flag_set(
        red_flag("key", step=Step.MISUSE, key=True),
        red_flag("repression", key=True, repression=True),
        red_flag("minor", step=Step.MITIGATION),
        red_flag("minor-repression", repression=True),
    )
