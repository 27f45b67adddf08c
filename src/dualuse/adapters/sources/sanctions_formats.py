"""The sanctions-list formats dualuse imports, by name, and what their parsers share.

Every parser reads a whole file and returns a `ListSnapshot`, or raises `ImportFailedError` naming the
line or element that is wrong; it never returns part of a list, so a caller's transaction keeps the
previous version in place. XML is read with defusedxml (no entity expansion, no external resources).
"""

from __future__ import annotations

import calendar
import hashlib
import importlib
import re
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import parse as parse_xml

from dualuse.domain.errors import DualUseError, ImportFailedError
from dualuse.domain.screening.model import ListSnapshot

Parser = Callable[[Path], ListSnapshot]

#: format name → module in this package whose ``parse(path)`` reads it
FORMATS: dict[str, str] = {
    "eu-fsf": "eu_fsf",
    "ofac-sdn-csv": "ofac_sdn_csv",
    "ofac-xml": "ofac_xml",
    "un-xml": "un_consolidated",
    "uk-xml": "uk_sanctions",
    "ftm": "ftm",
    "us-csl": "us_csl",
    "eu-833-annex-iv": "eu_annex_iv",
    "ofac-advanced-xml": "ofac_advanced",
    "uk-csv": "uk_csv",
    "eu-fsf-csv": "eu_fsf_csv",
    "opensanctions-csv": "os_targets",
}


def parser_for(format_name: str) -> Parser:
    """The parser of a format name (eu-fsf, ofac-sdn-csv, ofac-xml, un-xml, uk-xml, ftm)."""
    module_name = FORMATS.get(format_name)
    if module_name is None:
        raise ImportFailedError(
            f"unknown list format {format_name!r}; known: {', '.join(sorted(FORMATS))}", field="format"
        )
    module = importlib.import_module(f"{__package__}.{module_name}")
    parser: Parser = module.parse
    return parser


def parse(format_name: str, path: Path) -> ListSnapshot:
    """Read a list file of the named format into a snapshot, all or nothing."""
    return parser_for(format_name)(path)


def guarded(parser: Parser) -> Parser:
    """Turn anything a parser did not foresee into an ImportFailedError: a bad file must not crash."""

    def run(path: Path) -> ListSnapshot:
        try:
            return parser(path)
        except DualUseError as error:
            if isinstance(error, ImportFailedError):
                raise
            raise ImportFailedError(error.detail, location=path.name) from error
        except (ValueError, KeyError, IndexError, TypeError, AttributeError, RecursionError) as error:
            raise ImportFailedError(f"unreadable content ({error})", location=path.name) from error

    run.__doc__ = parser.__doc__
    run.__name__ = parser.__name__
    return run


def refuse_packed(head: bytes, name: str, *, utf16: bool = True) -> None:
    """Refuse, saying what it is, a file that is not plain text: gzip-compressed, a ZIP archive, or (unless
    ``utf16`` is False, as for XML, whose parser reads UTF-16 itself) UTF-16 text."""
    if head.startswith(b"\x1f\x8b"):
        raise ImportFailedError("the file is gzip-compressed; unpack it first", location=name)
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        raise ImportFailedError("the file is a ZIP archive; unpack it first", location=name)
    if utf16 and is_utf16(head):
        raise ImportFailedError(
            "the file is UTF-16 text; save it as UTF-8 and import it again", location=name
        )


def is_utf16(head: bytes) -> bool:
    """Whether a file's first bytes are UTF-16: its byte-order mark, or a NUL in every other byte (the text of
    a Latin-script list saved as UTF-16 without a mark)."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    sample = head[:256]
    if len(sample) < 8:
        return False
    return any(half.count(0) >= 0.9 * len(half) for half in (sample[0::2], sample[1::2]))


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise ImportFailedError(f"cannot read the file ({error.strerror})", location=str(path)) from error


def content_version(data: bytes) -> str:
    """A version label for a file that carries no date of its own: a digest of its bytes."""
    return "sha256:" + hashlib.sha256(data).hexdigest()[:16]


def read_xml_root(path: Path) -> Element:
    """Parse an XML file safely; a syntax error reports its line and column, a compressed file says so."""
    try:
        with path.open("rb") as handle:
            head = handle.read(256)
            refuse_packed(head, path.name, utf16=False)
            handle.seek(0)
            tree = parse_xml(handle)
    except OSError as error:
        raise ImportFailedError(f"cannot read the file ({error.strerror})", location=str(path)) from error
    except ParseError as error:
        line, column = error.position
        # expat reads UTF-16 with its byte-order mark; one that fails anyway is worth naming
        hint = "; the file is UTF-16 text: save it as UTF-8" if is_utf16(head) else ""
        raise ImportFailedError(
            f"malformed XML ({error.msg if hasattr(error, 'msg') else error}){hint}",
            location=f"{path.name}:{line}:{column}",
        ) from error
    except DefusedXmlException as error:
        raise ImportFailedError(f"unsafe XML refused ({error})", location=path.name) from error
    except (ValueError, UnicodeError) as error:
        raise ImportFailedError(f"malformed XML ({error})", location=path.name) from error
    root: Element = tree.getroot()
    return root


def local(tag: str | object) -> str:
    """An element's tag without its namespace."""
    text = tag if isinstance(tag, str) else ""
    return text.rsplit("}", 1)[-1]


def children(element: Element, name: str) -> Iterator[Element]:
    """Child elements with this local name, in any namespace."""
    return (c for c in element if local(c.tag) == name)


def child(element: Element, name: str) -> Element | None:
    return next(children(element, name), None)


def descendants(element: Element, name: str) -> Iterator[Element]:
    return (c for c in element.iter() if local(c.tag) == name)


def text(element: Element | None, name: str | None = None) -> str | None:
    """The stripped text of an element (or of its first child so named); None when empty."""
    if element is not None and name is not None:
        element = child(element, name)
    if element is None or element.text is None:
        return None
    value = " ".join(element.text.split())
    return value or None


_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")


def parse_day(value: str | None, *, location: str) -> date | None:
    """A date written ISO (2016-11-30, with or without time) or day-first (30/11/2016)."""
    if not value:
        return None
    value = value.strip()
    try:
        if match := _DAY_MONTH_YEAR.match(value):
            day, month, year = (int(g) for g in match.groups())
            return date(year, month, day)
        return datetime.fromisoformat(value[:10]).date()
    except ValueError as error:
        raise ImportFailedError(f"invalid date {value!r}", location=location) from error


#: the widest span of years a period of birth is listed as year by year (OFAC's "DOB 1960 to 1962")
MAX_YEARS_OF_BIRTH = 10

Day = tuple[int, int, int]


def period_dates(first: Day, last: Day) -> list[str]:
    """What a period a date lies in (its first and last possible day, as year, month, day) says of the date,
    as partial ISO dates: one day is that date (``1962-05-03``), a period within one month is that month
    (``1962-05``), a longer one each year it touches (``1962``; ``1960``, ``1961``, ``1962``), or only its
    first year when it spans more than `MAX_YEARS_OF_BIRTH` years."""
    if first == last:
        return [f"{first[0]:04d}-{first[1]:02d}-{first[2]:02d}"]
    if first[:2] == last[:2]:
        return [f"{first[0]:04d}-{first[1]:02d}"]
    if 0 <= last[0] - first[0] <= MAX_YEARS_OF_BIRTH:
        return [f"{year:04d}" for year in range(first[0], last[0] + 1)]
    return [f"{first[0]:04d}"]


def whole_day(year: int, month: int | None, day: int | None, *, last: bool) -> Day:
    """The first (or ``last``) day a date given as year, year and month, or full date can be."""
    if month is None or not 1 <= month <= 12:
        return (year, 12, 31) if last else (year, 1, 1)
    if day is None:
        return (year, month, calendar.monthrange(year, month)[1] if last else 1)
    return (year, month, day)


def dedupe(values: list[str]) -> tuple[str, ...]:
    """Keep the first of equal values, in order."""
    return tuple(dict.fromkeys(v for v in values if v))
