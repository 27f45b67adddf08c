"""``determine-batch ORDERS.csv -o RESULTS.csv``: order lines in, one result line per item out.

The column layout is documented in ``dualuse.services.determination``. The input is read with the
standard ``csv`` module (UTF-8, a BOM is accepted) and streamed: memory does not grow with the file.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from dualuse.domain.errors import ImportFailedError, ValidationError
from dualuse.domain.rules.engine import ListSource
from dualuse.domain.rules.rulebook import Rulebook
from dualuse.services.determination import PROGRESS_EVERY, BatchDeterminer

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
    goes on. ``ImportFailedError`` naming the file if it cannot be read or lacks a required column.

    Each input line is copied to the output as it was written and the output cells are appended, encoded
    once per distinct answer: lines are parsed only to find the cells a determination depends on."""
    expected = count_lines(orders) if progress is not None else 0
    determiner = BatchDeterminer(rulebook, list_source, today=today)
    try:
        with (
            orders.open(newline="", encoding="utf-8-sig") as source,
            results.open("w", newline="", encoding="utf-8") as target,
        ):
            lines = iter(source)
            header = [name.strip() for name in next(csv.reader(_records(lines)), [])]
            if not header:
                raise ImportFailedError("the file is empty: expected a header row", location=str(orders))
            target.write(_encode(determiner.output_header(header)))
            answer_line = determiner.bind(header)
            width = len(header)
            suffixes: dict[tuple[str, ...], str] = {}
            buffer: list[str] = []
            count = 0
            for record in _records(lines):
                text = record.rstrip("\r\n")
                if not text:
                    continue
                cells = text.split(",") if '"' not in text else next(csv.reader([text]))
                answer = answer_line(cells)
                suffix = suffixes.get(answer)
                if suffix is None:
                    suffix = suffixes[answer] = _encode(answer)
                if len(cells) == width:
                    buffer.append(text)
                    buffer.append(",")
                    buffer.append(suffix)
                else:  # a short or long line: write it out in full so that the columns line up
                    buffer.append(_encode([*(cells + [""] * width)[:width], *answer]))
                count += 1
                if count % PROGRESS_EVERY == 0:
                    target.write("".join(buffer))
                    buffer.clear()
                    if progress is not None:
                        progress(count, expected)
            target.write("".join(buffer))
            if progress is not None:
                progress(count, expected)
    except ValidationError as error:
        raise ImportFailedError(error.detail, location=str(orders), field=error.field) from error
    except UnicodeDecodeError as error:
        raise ImportFailedError(f"not UTF-8 text: {error}", location=str(orders)) from error
    except csv.Error as error:
        raise ImportFailedError(f"not readable as CSV: {error}", location=str(orders)) from error
    return BatchSummary(lines=determiner.lines, errors=determiner.errors, outcomes=dict(determiner.outcomes))


def _records(lines: Iterator[str]) -> Iterator[str]:
    """Physical lines joined into CSV records: a quoted cell may hold a line break."""
    for line in lines:
        if '"' not in line or line.count('"') % 2 == 0:
            yield line
            continue
        parts = [line]
        quotes = line.count('"')
        for more in lines:
            parts.append(more)
            quotes += more.count('"')
            if quotes % 2 == 0:
                break
        yield "".join(parts)


def _encode(cells: Iterable[str]) -> str:
    """Cells as one CSV line (quoted where needed), ending in a line feed."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(cells)
    return out.getvalue()
