"""What the CSV sanctions lists share: reading a whole file into rows with their line numbers, and telling a
file cut short from a complete one by its structure, never by a trailing byte.

A complete file may or may not end in a line break or in the 0x1A end-of-file byte some publishers add; both
are accepted. A file cut inside a record is refused: its last row has too few columns or an unclosed quote.
A file cut on a line boundary can only be told where the format says how many records it holds (a count in
the file, a cross-reference to another file): each importer checks what its format declares.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from dualuse.adapters.sources.sanctions_formats import refuse_packed
from dualuse.domain.errors import ImportFailedError

_END_BYTES = b"\x1a\r\n\t "


@dataclass(frozen=True, slots=True)
class Row:
    """One CSV record: the line it starts on and its cells by column name."""

    line: int
    cells: dict[str, str]

    def get(self, column: str) -> str:
        return self.cells.get(column, "").strip()

    def location(self, name: str, column: str | None = None) -> str:
        return f"{name}:line {self.line}" + (f", column {column!r}" if column else "")


def decode(data: bytes, name: str) -> str:
    """The text of a list file: UTF-8 (with or without its byte-order mark), else Windows-1252; whatever
    end-of-file bytes trail it removed.

    A file that is not UTF-8 is read as Windows-1252 only if it does not look like UTF-8 with damage: one
    stray byte in a UTF-8 file would otherwise turn every non-Latin name into mojibake (``Иван`` into
    ``Ð˜Ð²Ð°Ð½``) without a word, so such a file is refused naming the byte. A compressed file, an archive
    or UTF-16 text is refused saying what it is.
    """
    refuse_packed(data[:256], name)
    data = data.rstrip(_END_BYTES)
    skipped = 0
    if data.startswith(_UTF8_BOM):
        data, skipped = data[len(_UTF8_BOM) :], len(_UTF8_BOM)
    try:
        content = data.decode("utf-8")
    except UnicodeDecodeError as error:
        if _damaged_utf8(data):
            line = data.count(b"\n", 0, error.start) + 1
            cut = error.reason == "unexpected end of data"
            raise ImportFailedError(
                f"UTF-8 text with a byte that is not UTF-8 (0x{data[error.start]:02X} at byte offset "
                f"{error.start + skipped})"
                + ("; the file ends inside a character: cut short?" if cut else "; the file is damaged"),
                location=f"{name}:line {line}",
            ) from error
        try:
            content = data.decode("cp1252")
        except UnicodeDecodeError as error:
            raise ImportFailedError(
                f"neither UTF-8 nor Windows-1252 text (byte {error.start + skipped})", location=name
            ) from error
    if "\x00" in content:
        raise ImportFailedError("NUL byte in a text file", location=name)
    return content


_UTF8_BOM = b"\xef\xbb\xbf"
#: a well-formed UTF-8 sequence of two to four bytes (RFC 3629, section 4)
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
_ASCII = bytes(range(0x80))


def _damaged_utf8(data: bytes) -> bool:
    """Whether text that is not valid UTF-8 is UTF-8 with damage rather than Windows-1252: it holds
    well-formed multi-byte sequences, at least as many as the bytes outside them that are not ASCII. (In
    Windows-1252 text such sequences are rare accidents, like ``Ã`` before ``©``, among many lone accented
    letters.)"""
    sequences = _UTF8_MULTIBYTE.findall(data)
    if not sequences:
        return False
    stray = len(data.translate(None, _ASCII)) - sum(len(s) for s in sequences)
    return len(sequences) >= stray


def records(
    text: str, name: str, *, delimiter: str = ",", first_line: int = 1
) -> Iterator[tuple[int, list[str]]]:
    """The non-blank records of CSV text with the line each starts on; a quote left open (a file cut inside a
    quoted cell) fails the file naming the line."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    line = first_line
    try:
        for row in reader:
            if row and any(cell.strip() for cell in row):
                yield line, row
            line = first_line + reader.line_num
    except csv.Error as error:
        raise ImportFailedError(f"malformed CSV ({error})", location=f"{name}:line {line}") from error


def table(
    text: str,
    name: str,
    *,
    required: Sequence[str],
    delimiter: str = ",",
    first_line: int = 1,
) -> list[Row]:
    """The rows of a CSV table whose first record is its header; every row must have the header's width (a
    row cut short has fewer cells and fails the file, naming its line)."""
    found = records(text, name, delimiter=delimiter, first_line=first_line)
    try:
        header_line, header = next(found)
    except StopIteration:
        raise ImportFailedError("the file is empty", location=name) from None
    header = [h.strip().lstrip("\ufeff") for h in header]
    missing = [c for c in required if c not in header]
    if missing:
        raise ImportFailedError(
            f"not the expected header: missing column(s) {', '.join(missing)}",
            location=f"{name}:line {header_line}",
        )
    rows: list[Row] = []
    for line, cells in found:
        if len(cells) != len(header):
            raise ImportFailedError(
                f"expected {len(header)} columns as in the header, found {len(cells)}"
                + (" (the file ends inside this record: cut short?)" if len(cells) < len(header) else ""),
                location=f"{name}:line {line}",
            )
        rows.append(Row(line, dict(zip(header, cells, strict=True))))
    return rows


def split(value: str, separator: str) -> list[str]:
    """The non-empty parts of a cell holding several values."""
    return [part.strip() for part in value.split(separator) if part.strip()]
