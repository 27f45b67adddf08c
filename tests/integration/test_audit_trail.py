"""Audit events join the hash chain when their transaction commits (SQLite and PostgreSQL): a rolled-back
transaction leaves none, and concurrent writers still make one unbroken trail."""

from __future__ import annotations

import threading

from dualuse.bootstrap import Container
from dualuse.services import audit


def record(container: Container, n: int, *, commit: bool = True) -> None:
    with container.uow() as uow:
        audit.record(uow, actor="tester", action="test.done", entity_type="test", entity_id=n)
        audit.record(uow, actor="tester", action="test.checked", entity_type="test", entity_id=n)
        if commit:
            uow.commit()


def test_events_are_written_at_commit_and_not_at_all_on_rollback(container: Container) -> None:
    record(container, 1, commit=False)
    with container.uow() as uow:
        assert audit.verify(uow) == (0, [])
    record(container, 2)
    with container.uow() as uow:
        audit.record(uow, actor="tester", action="test.pending", entity_type="test", entity_id=3)
        # read in the same transaction, the pending event is part of the trail already
        assert [e.action for e in uow.audit.for_entity("test", "3")] == ["test.pending"]
        uow.rollback()
    with container.uow() as uow:
        count, problems = audit.verify(uow)
        events = uow.audit.all()
    assert (count, problems) == (2, [])
    assert [(e.sequence, e.action, e.entity_id) for e in events] == [
        (1, "test.done", "2"),
        (2, "test.checked", "2"),
    ]


def test_concurrent_writers_make_one_trail(container: Container) -> None:
    """Eight transactions commit at the same moment; the lock at commit chains them one after another."""
    writers = 8
    start = threading.Barrier(writers)
    failures: list[BaseException] = []

    def write(n: int) -> None:
        try:
            with container.uow() as uow:
                audit.record(uow, actor=f"writer{n}", action="test.done", entity_type="test", entity_id=n)
                start.wait(timeout=30)
                uow.commit()
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    with container.uow() as uow:
        count, problems = audit.verify(uow)
    assert problems == []
    assert count == writers
