"""``dualuse worker`` runs background jobs; ``dualuse jobs`` shows them (status, progress, last error)."""

from __future__ import annotations

import os
import signal
import socket
import threading
from types import FrameType
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from dualuse.adapters.exchange_courier import HttpCourier
from dualuse.entrypoints.cli.common import JsonOption, container, show_table
from dualuse.services.exchange import outbox as exchange_outbox
from dualuse.services.jobs import queue, reminders

app = typer.Typer(help="Background jobs.", no_args_is_help=True)
console = Console(width=160)


def worker(
    burst: Annotated[bool, typer.Option(help="run the jobs due now, then exit (for cron and tests)")] = False,
    poll_seconds: Annotated[
        float, typer.Option(min=0.1, max=600, help="how long to wait when no job is due")
    ] = 2.0,
) -> None:
    """Run background jobs (re-screening after a list import, deadline reminders once a day, delivering
    outgoing documents) from the database's queue. Run one or more on
    any machine that reaches the database; two workers never take the same job."""
    name = f"{socket.gethostname()}:{os.getpid()}"
    stop = threading.Event()

    def _stop(_signum: int, _frame: FrameType | None) -> None:
        stop.set()  # finish the job in hand, then exit

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    with container() as c:
        handlers = {**c.job_handlers(), exchange_outbox.SEND_JOB: exchange_outbox.send_job(HttpCourier())}
        with c.uow() as uow:  # the periodic deadline reminders run from the first worker's start on
            reminders.schedule(uow, handlers, clock=c.clock.now)
            uow.commit()
        console.print(f"worker [bold]{name}[/] is waiting for jobs ({', '.join(sorted(handlers))})")
        taken = queue.work(
            c.uow,
            handlers,
            worker=name,
            burst=burst,
            wait=lambda: not stop.wait(poll_seconds),
            clock=c.clock.now,
        )
    console.print(f"worker {name} stopped after {taken} job(s)")


@app.command("list")
def list_jobs(limit: Annotated[int, typer.Option(min=1, max=1000)] = 20, as_json: JsonOption = False) -> None:
    """The newest jobs: kind, status, attempts, progress, message or last error."""
    with container() as c, c.uow() as uow:
        jobs = queue.recent(uow, limit)
    table = Table(title="Jobs")
    for column in ("id", "kind", "status", "attempts", "progress", "message", "last error", "created"):
        table.add_column(column)
    for job in jobs:
        progress = f"{job.progress_done}/{job.progress_total}" if job.progress_total is not None else "-"
        table.add_row(
            str(job.id),
            job.kind,
            job.status.value,
            f"{job.attempts}/{job.max_attempts}",
            progress,
            job.message,
            job.last_error or "",
            job.created_at.strftime("%Y-%m-%d %H:%M:%S"),
        )
    show_table(console, table, as_json)
