"""``determine-batch ORDERS.csv -o RESULTS.csv``: order lines in, one result line per item out.

The column layout is documented in ``dualuse.services.determination``. The input is UTF-8 CSV (a BOM is
accepted, quoted cells may hold commas, quotes and line breaks) and is streamed: memory does not grow with
the file. Each input line is copied to the output as it was written and the output cells are appended,
encoded once per distinct answer: a line is only split to find the cells its determination depends on.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import BinaryIO

from dualuse.domain.errors import ImportFailedError, ValidationError
from dualuse.domain.rules.engine import ListSource
from dualuse.domain.rules.rulebook import Rulebook
from dualuse.services.determination import PROGRESS_EVERY, BatchDeterminer

BatchProgress = Callable[[int, int], None]
"""Called with (lines done, lines expected) as the run goes on; the expectation counts physical lines."""

_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True, slots=True)
class BatchSummary:
    """What a batch run did: lines read, lines with an error, lines per outcome (errors not among them),
    and the rulebook and list versions used."""

    lines: int
    errors: int
    outcomes: dict[str, int] = field(default_factory=dict)
    versions: dict[str, list[str]] = field(default_factory=dict)


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
    full_explanations: bool = False,
    progress: BatchProgress | None = None,
) -> BatchSummary:
    """Determine every line of ``orders`` and write ``results``; bad lines get an ``error`` cell and the run
    goes on. ``ImportFailedError`` naming the file if it cannot be read or lacks a required column."""
    expected = count_lines(orders) if progress is not None else 0
    determiner = BatchDeterminer(rulebook, list_source, today=today, full_explanations=full_explanations)
    try:
        with orders.open("rb") as source, results.open("wb") as target:
            lines = iter(source)
            first = next(lines, b"")
            first = _complete(first.removeprefix(_BOM), lines)
            header = [name.strip() for name in next(csv.reader([first.decode("utf-8")]), [])]
            if not any(header):
                raise ImportFailedError("the file is empty: expected a header row", location=str(orders))
            target.write(_encode(determiner.output_header(header)))
            count = _run(lines, determiner, header, target, progress, expected)
            if progress is not None:
                progress(count, expected)
    except ValidationError as error:
        raise ImportFailedError(error.detail, location=str(orders), field=error.field) from error
    except UnicodeDecodeError as error:
        raise ImportFailedError(f"not UTF-8 text: {error}", location=str(orders)) from error
    except csv.Error as error:
        raise ImportFailedError(f"not readable as CSV: {error}", location=str(orders)) from error
    return BatchSummary(
        lines=determiner.lines,
        errors=determiner.errors,
        outcomes={outcome: n for outcome, n in determiner.outcomes.items() if outcome},
        versions=determiner.versions,
    )


def _run(
    lines: Iterator[bytes],
    determiner: BatchDeterminer,
    header: list[str],
    target: BinaryIO,
    progress: BatchProgress | None,
    expected: int,
) -> int:
    """The hot loop: answer each record, append the encoded answer to the line as read, write in blocks.

    A line without quotes is split at its commas (as bytes: only the cells a determination depends on
    are ever decoded); a line with quotes is read with ``csv``. Answers come from the determiner's caches,
    so one answer object stands for many lines: its encoding and its line count are kept by the object's
    id (the entry holds the object, so the id stays its own)."""
    answer_split = determiner.bind_split(header)
    answer_line = determiner.bind(header)
    width = len(header)
    encoded: dict[int, tuple[tuple[str, ...], bytes, list[int]]] = {}
    buffer: list[bytes] = []
    append = buffer.append
    count = 0
    for line in lines:
        if b'"' in line:
            if line.count(b'"') % 2:
                line = _complete(line, lines)
            text = line.rstrip(b"\r\n")
            cells: list[str] | list[bytes] = next(csv.reader([text.decode("utf-8", "replace")]))
            answer = answer_line(cells)
        else:
            text = line.rstrip(b"\r\n")
            if not text:
                continue
            cells = text.split(b",")
            answer = answer_split(cells) if len(cells) == width else answer_line(cells)
        entry = encoded.get(id(answer))
        if entry is not None:
            entry[2][0] += 1
            suffix = entry[1]
        elif answer[-1]:  # an error: counted and encoded line by line (errors are few)
            determiner.outcomes[""] += 1
            suffix = b"," + _encode(answer)
        else:
            entry = encoded[id(answer)] = (answer, b"," + _encode(answer), [1])
            suffix = entry[1]
        if len(cells) == width:
            append(text)
            append(suffix)
        else:  # a short or long line: write it in full so that the columns line up
            padded = [c.decode("utf-8", "replace") if isinstance(c, bytes) else c for c in cells]
            append(_encode([*(padded + [""] * width)[:width], *answer]))
        count += 1
        if count % PROGRESS_EVERY == 0:
            target.write(b"".join(buffer))
            buffer.clear()
            if progress is not None:
                progress(count, expected)
    target.write(b"".join(buffer))
    for answer, _, lines_answered in encoded.values():
        determiner.outcomes[answer[0]] += lines_answered[0]
    return count


def _complete(line: bytes, lines: Iterator[bytes]) -> bytes:
    """``line`` with the following physical lines until its quotes are balanced (a quoted line break)."""
    parts = [line]
    quotes = line.count(b'"')
    while quotes % 2:
        more = next(lines, None)
        if more is None:
            break
        parts.append(more)
        quotes += more.count(b'"')
    return b"".join(parts)


def _encode(cells: Iterable[str]) -> bytes:
    """Cells as one CSV line (quoted where needed) in UTF-8, ending in a line feed."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(cells)
    return out.getvalue().encode("utf-8")
