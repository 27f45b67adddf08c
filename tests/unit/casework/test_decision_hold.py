"""A blocking flag holds the decision (issue 19), through the in-memory unit of work: the countersignature
is refused while the flag is active, nothing is recorded, and it goes through once the flag is cleared;
the status clock of the case file restarts at each move of the case."""

from __future__ import annotations

import pytest

from dualuse.domain import casework as cw
from dualuse.domain.errors import ConflictError
from dualuse.services import licensing as svc
from dualuse.services.casework import flags
from tests.fakes import FakeUnitOfWork
from tests.unit.licensing.test_services_in_memory import OFFICER, SECRET, SENIOR, act, recommended


def test_a_blocking_flag_holds_the_countersignature_until_cleared() -> None:
    uow = FakeUnitOfWork()
    case = recommended(uow)
    with uow:
        file = cw.CaseFile(
            case_id=case.id,
            member_state=case.member_state,
            team="sanctions",
            routed_by="route-sanctions",
            assignee="",
            status=case.case.status.value,
            status_since=case.updated_at,
        )
        file, _ = cw.raise_flag(
            file,
            level="party",
            subject="X Ltd",
            label="Party with a sanctions hit",
            blocking=True,
            raised_by="system",
            reason="",
            rule_id="sanctions-hit",
        )
        uow.casework.add_file(file, ["x ltd"])
        uow.commit()
    with pytest.raises(ConflictError, match="blocking flag"):
        act(
            uow,
            svc.decide,
            SENIOR,
            case.id,
            outcome="granted",
            expected_version=case.case.version,
            secret=SECRET,
        )
    with uow:
        stored = uow.licensing.case(case.id)
        assert stored is not None
        assert stored.case.status.value == "recommended"
        assert uow.licensing.licence_for_case(case.id) is None
    act(uow, flags.clear_flag, OFFICER, case.id, 1, reason="different company", expected_version=None)
    decided, licence = act(
        uow, svc.decide, SENIOR, case.id, outcome="granted", expected_version=case.case.version, secret=SECRET
    )
    assert decided.case.status.value == "decided"
    assert licence is not None
    with uow:
        after = uow.casework.file(case.id)
    assert after is not None
    assert after.status == "decided"  # the clock follows the case's moves
    assert after.status_since >= file.status_since
