"""``determine-batch ORDERS.csv -o RESULTS.csv``: order lines in, one result line per item out.

The column layout is documented in ``dualuse.services.determination``. The input is read with the
standard ``csv`` module (UTF-8, a BOM is accepted) and streamed: memory does not grow with the file.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from dualuse.domain.errors import ImportFailedError, ValidationError
from dualuse.domain.rules.engine import ListSource
from dualuse.domain.rules.rulebook import Rulebook
from dualuse.services.determination import BatchDeterminer

BatchProgress = Callable[[int, int], None]
"""Called with (lines done, lines expected) as the run goes on; the expectation counts physical lines."""


@dataclass(frozen=True, slots=True)
class BatchSummary:
    """What a batch run did: lines read, lines with an error, and how many lines had each outcome."""

    lines: int
    errors: int
    outcomes: dict[str, int] = field(default_factory=dict)


def count_lines(path: Path) -> int:
    """The number of data lines in a CSV file (physical lines minus the header), for a progress bar."""
    newlines = 0
    last = b"\n"
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            newlines += chunk.count(b"\n")
            last = chunk[-1:]
    return max(newlines + (last != b"\n") - 1, 0)


def determine_batch_file(
    orders: Path,
    results: Path,
    rulebook: Rulebook,
    list_source: ListSource,
    *,
    today: date | None = None,
    progress: BatchProgress | None = None,
) -> BatchSummary:
    """Determine every line of ``orders`` and write ``results``; bad lines get an ``error`` cell and the run
    goes on. ``ImportFailedError`` naming the file if it cannot be read or lacks a required column."""
    expected = count_lines(orders) if progress is not None else 0
    determiner = BatchDeterminer(rulebook, list_source, today=today)
    try:
        with (
            orders.open(newline="", encoding="utf-8-sig") as source,
            results.open("w", newline="", encoding="utf-8") as target,
        ):
            reader = csv.reader(source)
            header = [name.strip() for name in next(reader, [])]
            if not header:
                raise ImportFailedError("the file is empty: expected a header row", location=str(orders))
            writer = csv.writer(target)
            writer.writerow(determiner.output_header(header))
            on_lines = None if progress is None else (lambda done: progress(done, expected))
            writer.writerows(determiner.run(header, reader, on_lines))
    except ValidationError as error:
        raise ImportFailedError(error.detail, location=str(orders), field=error.field) from error
    except UnicodeDecodeError as error:
        raise ImportFailedError(f"not UTF-8 text: {error}", location=str(orders)) from error
    except csv.Error as error:
        raise ImportFailedError(f"not readable as CSV: {error}", location=str(orders)) from error
    return BatchSummary(lines=determiner.lines, errors=determiner.errors, outcomes=dict(determiner.outcomes))
