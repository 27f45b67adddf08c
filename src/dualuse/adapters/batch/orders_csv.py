"""``determine-batch ORDERS.csv -o RESULTS.csv``: order lines in, one result line per item out.

The column layout is documented in ``dualuse.services.determination.batch``. The input is UTF-8 CSV (a BOM is
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
from itertools import chain, islice, repeat
from pathlib import Path
from typing import BinaryIO

from dualuse.domain.errors import ImportFailedError, ValidationError
from dualuse.services.determination import PROGRESS_EVERY, BatchDeterminer, DeterminationInputs

BatchProgress = Callable[[int, int], None]
"""Called with (lines done, lines expected) as the run goes on; the expectation counts physical lines."""

_BOM = b"\xef\xbb\xbf"
_BLOCK = 500
"""Lines answered at once: enough for the loops over them to run in C, few enough for their cells to stay
in the processor's cache."""


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
    inputs: DeterminationInputs,
    *,
    today: date | None = None,
    full_explanations: bool = False,
    progress: BatchProgress | None = None,
) -> BatchSummary:
    """Determine every line of ``orders`` and write ``results``; bad lines get an ``error`` cell and the run
    goes on. ``inputs`` are those of every other path (``determination.inputs_for``): published Art. 5
    requirements and the party's notices apply to the lines they cover. ``ImportFailedError`` naming the file
    if it cannot be read or lacks a required column."""
    expected = count_lines(orders) if progress is not None else 0
    determiner = BatchDeterminer(inputs, today=today, full_explanations=full_explanations)
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
    """The hot loop: answer the records block by block, append each line's encoded answer to the line as
    read, write a block at a time.

    A block without quotes, of lines with one cell per column, is split at the commas as bytes (only the
    cells a determination depends on are ever decoded, once per distinct value) and answered at once;
    any other block goes line by line, a line with quotes read with ``csv``. The determiner encodes each
    distinct answer once, with ``_suffix``."""
    answer_split, answer_block = determiner.bind_split(header, _suffix)
    answer_line = determiner.bind_encoded(header, _suffix)
    width = len(header)
    count = reported = 0
    while block := list(islice(lines, _BLOCK)):
        rows: list[list[bytes]] = []
        if b'"' not in b"".join(block):
            texts = list(map(bytes.rstrip, block, repeat(b"\r\n")))
            rows = list(map(bytes.split, texts, repeat(b",")))
            if set(map(len, rows)) != {width}:  # a blank, short or long line
                rows = []
        if rows:
            target.write(b"".join(chain.from_iterable(zip(texts, answer_block(rows), strict=True))))
            count += len(rows)
        else:
            out, done = _answer_lines(block, lines, answer_split, answer_line, width)
            target.write(out)
            count += done
        if progress is not None and count - reported >= PROGRESS_EVERY:
            progress(count, expected)
            reported = count
    return count


def _answer_lines(
    block: list[bytes],
    lines: Iterator[bytes],
    answer_split: Callable[[list[bytes]], bytes],
    answer_line: Callable[[list[str] | list[bytes]], bytes],
    width: int,
) -> tuple[bytes, int]:
    """A block answered line by line: the output, and the records answered. A quoted line break may take
    the record past the block, into ``lines``."""
    buffer: list[bytes] = []
    append = buffer.append
    done = 0
    rest = iter(block)
    more = chain(rest, lines)  # where a record with a quoted line break goes on
    for line in rest:
        if b'"' not in line:
            text = line.rstrip(b"\r\n")
            split = text.split(b",")
            if len(split) == width:
                append(text)
                append(answer_split(split))
            elif not text:
                continue
            else:  # a short or long line: write it in full so that the columns line up
                append(_padded(split, width) + answer_line(split))
        else:
            if line.count(b'"') % 2:
                line = _complete(line, more)
            text = line.rstrip(b"\r\n")
            cells = next(csv.reader([text.decode("utf-8", "replace")]))  # a quoted cell
            if len(cells) == width:
                append(text)
                append(answer_line(cells))
            else:
                append(_padded(cells, width) + answer_line(cells))
        done += 1
    return b"".join(buffer), done


def _suffix(answer: tuple[str, ...]) -> bytes:
    """The output cells as they follow a line's own: a comma, the cells, a line feed."""
    return b"," + _encode(answer)


def _padded(cells: list[str] | list[bytes], width: int) -> bytes:
    """A line's cells cut or padded to ``width``, encoded without the line feed."""
    texts = [c.decode("utf-8", "replace") if isinstance(c, bytes) else c for c in cells]
    return _encode((texts + [""] * width)[:width])[:-1]


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
