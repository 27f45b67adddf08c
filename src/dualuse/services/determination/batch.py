"""The batch CSV engine: order lines (one item per line) to result lines, fast, with the same answers as
``determine_case`` (``dualuse.services.determination.service``) on every line.

Batch CSV (``determine_batch``): one line per item, UTF-8, a header row, columns in any order.

Input columns (``INPUT_COLUMNS``; required ones marked *)::

    order_id              the order the line belongs to (copied through)
    date                  YYYY-MM-DD; blank = today
    activity              export | transfer | brokering | technical_assistance | transit; blank = export
    exporter_member_state * ISO 3166-1 alpha-2 code of an EU member state
    destination           * ISO 3166-1 alpha-2 code
    end_user_name         matched against published Art. 5 requirements and authority notices
    end_user_country      blank = no end-user given (the destination is used)
    end_user_type         government | military | commercial | research | individual | other | unknown
    end_user_listed_in    semicolon-separated entity lists the end-user is on (ru_833_annex_iv;
                          by_765_annex_v); blank = not screened, "none" = screened and not listed
    item_id               * unique within its order
    description           matched against published Art. 5 requirements and transaction notices
    control_code          * column required; blank = the item is not listed in Annex I
    cyber_surveillance    true/false (also yes/no, 1/0); blank = false
    quantity, value_eur   numbers; blank allowed
    item_kinds            semicolon-separated ItemKind values; blank = not stated, "none" = none of them
    cn_code               the item's CN code; blank allowed
    informed, aware       semicolon-separated: wmd; military_end_use;
                          parts_of_illegally_exported_military_items; internal_repression
    national_codes        semicolon-separated national control list entries (Art. 9)
    circumstances         semicolon-separated: repair_replacement; exhibition; intra_group

Output columns: every input column in the input's order, then ``OUTPUT_COLUMNS``: ``outcome``,
``legal_basis``, ``general_authorisations``, ``customs_codes`` (lists joined with ``"; "``),
``explanation`` (the one-line summary, or the full explanation with ``full_explanations=True``) and
``error`` (``column: problem`` for a line that could not be determined; its outcome is then blank). A bad
line never stops the run. The list and rulebook versions used are reported once per run (``versions``),
not on every line. A line whose control code is not listed in the version in force on its date gets an
error with "did you mean", as on every other path; a line a published Art. 5 requirement or a notice to the
asking organisation covers is answered by the determination service itself (``determine_facts``).
"""

from __future__ import annotations

import functools
import operator
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from datetime import date
from itertools import compress, count
from typing import Any, Generic, TypeVar, cast

from dualuse.domain.duediligence.art5 import normalise_end_user
from dualuse.domain.errors import ValidationError
from dualuse.domain.rules.engine import ItemDetermination, PreparedTransaction
from dualuse.domain.rules.facts import OrderItem
from dualuse.domain.rules.rulebook import EmbargoScope
from dualuse.services.clock import today_in_brussels
from dualuse.services.determination.reader import facts_from_dict, item_from_dict
from dualuse.services.determination.service import DeterminationInputs, code_problem, determine_facts

INPUT_COLUMNS = (
    "order_id",
    "date",
    "activity",
    "exporter_member_state",
    "destination",
    "end_user_name",
    "end_user_country",
    "end_user_type",
    "item_id",
    "description",
    "control_code",
    "cyber_surveillance",
    "quantity",
    "value_eur",
    "informed",
    "aware",
    "national_codes",
    "circumstances",
    "item_kinds",
    "cn_code",
    "end_user_listed_in",
)
REQUIRED_COLUMNS = ("exporter_member_state", "destination", "item_id", "control_code")
OUTPUT_COLUMNS = (
    "outcome",
    "legal_basis",
    "general_authorisations",
    "customs_codes",
    "explanation",
    "error",
)
# the columns a line's determination depends on (the transaction's, then the item's); the others are
# copied through or checked on their own
_TRANSACTION_COLUMNS = (
    "date",
    "activity",
    "exporter_member_state",
    "destination",
    "end_user_country",
    "end_user_type",
    "end_user_listed_in",
    "informed",
    "aware",
    "circumstances",
)
_ITEM_COLUMNS = ("control_code", "cyber_surveillance", "national_codes", "item_kinds", "cn_code")
_KEY_COLUMNS = (*_TRANSACTION_COLUMNS, *_ITEM_COLUMNS)
# what a published Art. 5 requirement or an authority notice may also look at: where there are any, these
# columns join the keys of a line
_BOUND_TRANSACTION_COLUMNS = ("end_user_name",)
_BOUND_ITEM_COLUMNS = ("description",)
_TRUE = frozenset({"true", "yes", "1", "y"})
_FALSE = frozenset({"false", "no", "0", "n", ""})
PROGRESS_EVERY = 10_000
_GOOD_AMOUNTS_KEPT = 10_000

_T = TypeVar("_T")
Cells = list[str] | list[bytes]
"""The cells of one CSV line, as text or as UTF-8 bytes (the batch file adapter reads bytes)."""
Progress = Callable[[int], None]
"""Called with the number of lines done so far, every few thousand lines and at the end."""


# --- a batch of order lines ------------------------------------------------------------------------------
_FIELD_TO_COLUMN = {
    "activity": "activity",
    "date": "date",
    "destination": "destination",
    "exporter.member_state": "exporter_member_state",
    "end_user.country": "end_user_country",
    "end_user.type": "end_user_type",
    "end_user.listed_in": "end_user_listed_in",
    "knowledge.informed": "informed",
    "knowledge.aware": "aware",
    "circumstances": "circumstances",
}


def _column_of(field: str | None) -> str:
    if field is None:
        return "line"
    if field.startswith("items[0]."):
        return field.removeprefix("items[0].").split("[")[0]
    base = field.split("[")[0]
    return _FIELD_TO_COLUMN.get(base, base)


class BatchDeterminer:
    """Determines order lines fast. A line's answer depends only on its transaction columns and its item
    columns: each distinct transaction is prepared once (and transactions that differ only in what does not
    matter, such as the end-user type where no embargo looks at it, or whose items all answer alike, share
    one preparation), each distinct item is checked once, and each (transaction, item) pair is determined
    once; a line whose key cells were seen before is answered with two dictionary look-ups, and each
    distinct answer is encoded once. The rest of a line (ids, names, amounts) is copied through or checked
    on its own, on every line."""

    def __init__(
        self,
        inputs: DeterminationInputs,
        *,
        today: date | None = None,
        full_explanations: bool = False,
    ) -> None:
        self._full_explanations = full_explanations
        self._inputs = inputs
        self._rulebook = rulebook = inputs.rulebook
        self._list_source = inputs.list_source
        self._bound = bool(inputs.bindings)
        self._today = today or today_in_brussels()
        self._prepared: list[PreparedTransaction] = []
        self._signatures: dict[tuple[object, ...], int] = {}
        self._items: list[OrderItem] = []
        self._item_ids: dict[OrderItem, int] = {}
        self._normal: dict[tuple[object, ...], int | tuple[str, ...]] = {}
        # countries where the end-user's type changes an answer: those under an embargo on
        # non-governmental end-users only
        self._type_matters = (
            frozenset(e.country for e in rulebook.embargoes if e.scope is EmbargoScope.NON_GOVERNMENTAL)
            | rulebook.end_user_type_countries()
        )
        self._answers: dict[tuple[int, int], tuple[str, ...]] = {}
        self._tallies: list[_Tally[Any]] = []
        self._line_errors = 0

    @property
    def versions(self) -> dict[str, list[str]]:
        """The rulebook version and the list versions the answers so far were made with."""
        lists = sorted({prepared.view.version_id for prepared in self._prepared})
        return {"rules_version": [self._rulebook.version], "list_versions": lists}

    @property
    def outcomes(self) -> Counter[str]:
        """Lines answered so far per outcome; lines with an error count under ``""``."""
        counted: Counter[str] = Counter()
        for tally in self._tallies:
            if tally.lines:
                counted[tally.answer[0]] += tally.lines
        if self._line_errors:
            counted[""] += self._line_errors
        return counted

    @property
    def errors(self) -> int:
        """Lines answered with an error so far."""
        return self.outcomes.get("", 0)

    @property
    def lines(self) -> int:
        """Lines answered so far."""
        return self.outcomes.total()

    def output_header(self, header: Sequence[str]) -> list[str]:
        """The output columns for an input header: the input's own, then ``OUTPUT_COLUMNS``."""
        return [*header, *OUTPUT_COLUMNS]

    def bind(self, header: Sequence[str]) -> Callable[[Cells], tuple[str, ...]]:
        """A function that answers one line (its cells in ``header``'s order, as text or as UTF-8 bytes)
        with the output cells, line errors included, and counts it. ``ValidationError`` naming the column
        if a required column is missing."""
        return self._bind(header, _same, split=False)[0]

    def bind_encoded(
        self, header: Sequence[str], encode: Callable[[tuple[str, ...]], _T]
    ) -> Callable[[Cells], _T]:
        """``bind``, answering with ``encode(output cells)``, which is called once per distinct answer
        (and once per line with an error of its own)."""
        return self._bind(header, encode, split=False)[0]

    def bind_split(
        self, header: Sequence[str], encode: Callable[[tuple[str, ...]], _T]
    ) -> tuple[Callable[[list[bytes]], _T], Callable[[list[list[bytes]]], list[_T]]]:
        """``bind_encoded`` for lines read as UTF-8 bytes and split at every comma (so no cell holds one:
        lines without a quoted cell), with one cell per column: a function answering one line, and one
        answering a block of lines at once, faster, with the same answers."""
        return self._bind(header, encode, split=True)

    def _bind(
        self, header: Sequence[str], encode: Callable[[tuple[str, ...]], _T], *, split: bool
    ) -> tuple[Callable[[Any], _T], Callable[[list[Any]], list[_T]]]:
        """A line's and a block's answer function (``bind_split`` with ``split``, else ``bind_encoded``)."""
        missing = [c for c in REQUIRED_COLUMNS if c not in header]
        if missing:
            raise ValidationError(f"the CSV has no {missing[0]!r} column", field=missing[0])
        width = len(header)
        # one dictionary key of a line's key cells: split lines have no comma in a cell to make it ambiguous
        join: Callable[[tuple[Any, ...]], Hashable] = b",".join if split else tuple
        blank = b"" if split else ""  # a missing cell, of the kind of the line's
        position = {name: index for index, name in enumerate(header)}
        bound = self._bound
        transaction_columns = [
            c
            for c in (*_TRANSACTION_COLUMNS, *(_BOUND_TRANSACTION_COLUMNS if bound else ()))
            if c in position
        ]
        item_columns = [c for c in (*_ITEM_COLUMNS, *(_BOUND_ITEM_COLUMNS if bound else ())) if c in position]
        take_transaction = _tuple_getter([position[c] for c in transaction_columns])
        take_item = _tuple_getter([position[c] for c in item_columns])
        item_at = position["item_id"]
        take_item_id = operator.itemgetter(item_at)
        quantity_at, value_at = position.get("quantity"), position.get("value_eur")
        good_quantities: set[str | bytes] = {"", b""}  # blank is allowed
        good_values: set[str | bytes] = {"", b""}
        items: dict[Hashable, int | tuple[str, ...]] = {}
        answers = self._answers
        # a line's tally (its answer, encoded, and the lines it answered) by the line's transaction key,
        # then its item key: two look-ups for a line whose key cells were seen before. Transaction keys
        # that come to the same prepared transaction (or error) share the tallies by item key.
        tallied: dict[Hashable, _ByItem[_T]] = {}
        by_transaction: dict[Hashable, _ByItem[_T]] = {}
        tallies: dict[int, _Tally[_T]] = {}  # by the id of the answer (the tally holds the answer)

        get_tally: Callable[[_ByItem[_T], Hashable], _Tally[_T] | None] = dict.get

        def by_item_of(key: Hashable, row: Cells) -> _ByItem[_T]:
            by_item = tallied.get(key)
            if by_item is None:
                cells = _cells(transaction_columns, take_transaction(row))
                transaction = self._transaction(cells)
                # where something may bind a line, lines of different end-users never share answers
                group: Hashable = transaction
                if bound and not isinstance(cells, str):
                    group = (transaction, normalise_end_user(cells.get("end_user_name") or ""))
                by_item = by_transaction.get(group)
                if by_item is None:
                    by_item = by_transaction[group] = _ByItem(transaction)
                tallied[key] = by_item
            return by_item

        def tally_of(by_item: _ByItem[_T], key: Hashable, row: Cells) -> _Tally[_T]:
            tally = by_item.get(key)
            if tally is not None:
                return tally
            item = items.get(key)
            if item is None:
                item = items[key] = self._item(_cells(item_columns, take_item(row)))
            transaction = by_item.transaction
            if isinstance(transaction, tuple):
                answer = transaction
            elif isinstance(item, tuple):
                answer = item
            else:
                bound_answer = (
                    self._bound_answer(
                        _cells(transaction_columns, take_transaction(row)),
                        _cells(item_columns, take_item(row)),
                    )
                    if bound
                    else None
                )
                found = bound_answer or answers.get((transaction, item))
                answer = found if found is not None else self._answer(transaction, item)
            tally = tallies.get(id(answer))
            if tally is None:
                tally = tallies[id(answer)] = _Tally(answer, encode(answer))
                self._tallies.append(tally)
            by_item[key] = tally
            return tally

        def line_error(message: str) -> _T:
            self._line_errors += 1
            return encode(self._error_answer(message))

        def answer_line(row: Cells) -> _T:
            if len(row) != width:
                row = [*row, *[blank] * width][:width]  # blank cells of the line's own kind
            by_item = tallied.get(key := join(take_transaction(row)))
            if by_item is None:
                by_item = by_item_of(key, row)
            tally = by_item.get(key := join(take_item(row)))
            if tally is None:
                tally = tally_of(by_item, key, row)
            # the line's own cells, checked on every line (texts found fine before are not parsed again)
            if not row[item_at].strip():
                return line_error("item_id: every line needs an item id")
            if quantity_at is not None and (text := row[quantity_at]) not in good_quantities:
                try:
                    amount = float(text)
                except ValueError:
                    amount = -1.0
                if not amount > 0:  # NaN fails too
                    return line_error(f"quantity: {_amount_problem(text, 'quantity')}")
                if len(good_quantities) < _GOOD_AMOUNTS_KEPT:
                    good_quantities.add(text)
            if value_at is not None and (text := row[value_at]) not in good_values:
                try:
                    amount = float(text)
                except ValueError:
                    amount = -1.0
                if not amount >= 0:  # NaN fails too
                    return line_error(f"value_eur: {_amount_problem(text, 'value_eur')}")
                if len(good_values) < _GOOD_AMOUNTS_KEPT:
                    good_values.add(text)
            tally.lines += 1
            return tally.encoded

        strip = bytes.strip if split else _strip  # split lines are bytes: the faster call
        amounts = [
            (operator.itemgetter(index), good, above)
            for index, good, above in (
                (quantity_at, good_quantities, _ZERO.__lt__),
                (value_at, good_values, _ZERO.__le__),
            )
            if index is not None
        ]

        def all_fine(rows: list[Cells]) -> bool:
            """True if no line of ``rows`` has an error of its own (the checks of ``answer_line``)."""
            if not all(map(strip, map(take_item_id, rows))):
                return False
            for take, good, above in amounts:
                texts = list(map(take, rows))
                if good.issuperset(texts):
                    continue
                try:  # float() fails on a text that is not a number; a blank cell is allowed
                    if not all(map(above, map(float, filter(None, texts)))):  # NaN fails too
                        return False
                except ValueError:
                    return False
                if len(good) < _GOOD_AMOUNTS_KEPT:
                    good.update(texts)
            return True

        def answer_block(rows: list[Cells]) -> list[_T]:
            """``answer_line`` for each of ``rows`` (of ``width`` cells each), with the loop over the lines
            in C where the caches answer them and every line is fine."""
            keys = list(map(join, map(take_transaction, rows)))
            found = list(map(tallied.get, keys))
            for index in compress(count(), map(_is_none, found)):  # a transaction key not seen before
                found[index] = by_item_of(keys[index], rows[index])
            by_items = cast(list[_ByItem[_T]], found)
            keys = list(map(join, map(take_item, rows)))
            found_tallies = list(map(get_tally, by_items, keys))
            for index in compress(count(), map(_is_none, found_tallies)):
                found_tallies[index] = tally_of(by_items[index], keys[index], rows[index])
            block_tallies = cast(list[_Tally[_T]], found_tallies)
            if not all_fine(rows):  # a line with an error of its own: line by line
                return [answer_line(row) for row in rows]
            for tally, lines in Counter(block_tallies).items():
                tally.lines += lines
            return list(map(_encoded, block_tallies))

        return answer_line, answer_block

    def run(
        self, header: Sequence[str], rows: Iterable[list[str]], progress: Progress | None = None
    ) -> Iterator[list[str]]:
        """Determine each line (a list of cells in ``header``'s order) and yield it with the output cells
        appended. ``ValidationError`` naming the column if a required column is missing."""
        answer_line = self.bind(header)
        count = 0
        for row in rows:
            row.extend(answer_line(row))
            yield row
            count += 1
            if progress is not None and count % PROGRESS_EVERY == 0:
                progress(count)
        if progress is not None:
            progress(count)

    def _transaction(self, cells: Mapping[str, str] | str) -> int | tuple[str, ...]:
        """The id of a line's prepared transaction (shared by all with its signature), or an error answer."""
        if isinstance(cells, str):
            return self._error_answer(cells)
        # the same transaction written differently (or with an end-user type no embargo looks at) is
        # prepared once
        normal = self._normal_key(cells)
        known = self._normal.get(normal)
        if known is None:
            known = self._normal[normal] = self._prepare(cells)
        return known

    def _normal_key(self, cells: Mapping[str, str]) -> tuple[object, ...]:
        country = (cells.get("end_user_country") or cells.get("destination") or "").strip().upper()
        destination = (cells.get("destination") or "").strip().upper()
        kind = (cells.get("end_user_type") or "").strip().lower()
        if not {country, destination} & self._type_matters:
            kind = "-"
        return (
            (cells.get("date") or "").strip(),
            (cells.get("activity") or "").strip().lower(),
            (cells.get("exporter_member_state") or "").strip().upper(),
            destination,
            country if cells.get("end_user_country", "").strip() else "",
            kind,
            frozenset(_split(cells.get("end_user_listed_in") or "")),
            *(frozenset(_split(cells.get(c) or "")) for c in ("informed", "aware", "circumstances")),
        )

    def _prepare(self, cells: Mapping[str, str]) -> int | tuple[str, ...]:
        try:
            facts = facts_from_dict(_transaction_case(cells), today=self._today)
            prepared = PreparedTransaction(facts, self._rulebook, self._list_source)
        except ValidationError as error:
            return self._error_answer(f"{_column_of(error.field)}: {error.detail}")
        # transactions whose items all answer alike share one preparation: with one-line summaries, more
        # of them do
        signature = prepared.signature if self._full_explanations else prepared.summary_signature
        known = self._signatures.get(signature)
        if known is not None:
            return known
        self._prepared.append(prepared)
        self._signatures[signature] = len(self._prepared) - 1
        return len(self._prepared) - 1

    def _item(self, cells: Mapping[str, str] | str) -> int | tuple[str, ...]:
        """The id of a line's checked item, or an error answer."""
        if isinstance(cells, str):
            return self._error_answer(cells)
        try:
            item = item_from_dict(_item_case(cells, with_description=self._bound), 0)
        except ValidationError as error:
            return self._error_answer(f"{_column_of(error.field)}: {error.detail}")
        known = self._item_ids.get(item)  # the same item written differently is checked once
        if known is None:
            self._items.append(item)
            known = self._item_ids[item] = len(self._items) - 1
        return known

    def _answer(self, transaction: int, item: int) -> tuple[str, ...]:
        prepared = self._prepared[transaction]
        order_item = self._items[item]
        # a code must be listed in the version in force on the line's date (as on every other path)
        problem = code_problem(prepared.view, order_item.control_code) if order_item.control_code else None
        if problem is not None:
            answer = self._error_answer(f"control_code: {problem}")
        else:
            try:
                result = prepared.determine_item(order_item, explain=self._full_explanations)
            except ValidationError as error:  # kept with the line's transaction, whose date it names
                answer = self._error_answer(f"{_column_of(error.field)}: {error.detail}")
            else:
                answer = self._cells_of(result)
        self._answers[transaction, item] = answer
        return answer

    def _cells_of(self, result: ItemDetermination) -> tuple[str, ...]:
        return (
            result.outcome.value,
            "; ".join(result.legal_basis),
            "; ".join(result.general_authorisations),
            "; ".join(result.customs_codes),
            result.explanation if self._full_explanations else result.summary,
            "",
        )

    def _bound_answer(
        self, transaction: Mapping[str, str] | str, item: Mapping[str, str] | str
    ) -> tuple[str, ...] | None:
        """The answer for a line a published requirement or a notice covers (by the determination
        service, as on every other path); None for a line nothing binds."""
        if isinstance(transaction, str) or isinstance(item, str):
            return None
        case = _transaction_case(transaction)
        case["items"] = [_item_case(item, with_description=True)]
        name = (transaction.get("end_user_name") or "").strip()
        if name:
            case.setdefault("end_user", {"country": case["destination"], "type": None})["name"] = name
        try:
            facts = facts_from_dict(case, today=self._today)
            if not any(b.covers(facts, facts.items[0]) for b in self._inputs.bindings):
                return None
            result = determine_facts(self._inputs, facts).determination.items[0]
        except ValidationError:
            return None  # the line's error comes from the ordinary path
        return self._cells_of(result)

    def _error_answer(self, message: str) -> tuple[str, ...]:
        return ("", "", "", "", "", message)


class _Tally(Generic[_T]):
    """One distinct answer of a bound batch: its output cells, them encoded, and the lines it answered."""

    __slots__ = ("answer", "encoded", "lines")

    def __init__(self, answer: tuple[str, ...], encoded: _T) -> None:
        self.answer = answer
        self.encoded = encoded
        self.lines = 0


class _ByItem(dict[Hashable, _Tally[_T]]):
    """The tallies of the lines of one transaction key by their item key, and the transaction: the id of
    its preparation, or its error answer."""

    __slots__ = ("transaction",)

    def __init__(self, transaction: int | tuple[str, ...]) -> None:
        super().__init__()
        self.transaction = transaction


_is_none = functools.partial(operator.is_, None)
_strip = operator.methodcaller("strip")
_encoded = operator.attrgetter("encoded")
_ZERO = 0.0


def _same(answer: tuple[str, ...]) -> tuple[str, ...]:
    return answer


def _cells(columns: Sequence[str], values: Sequence[str | bytes]) -> dict[str, str] | str:
    """Column names to cell texts (cells read as bytes are decoded), or the problem if one is not UTF-8."""
    cells = {}
    for column, value in zip(columns, values, strict=True):
        try:
            cells[column] = value.decode("utf-8") if isinstance(value, bytes) else value
        except UnicodeDecodeError:
            return f"{column}: not UTF-8 text"
    return cells


def _tuple_getter(indices: Sequence[int]) -> Callable[[Cells], tuple[str | bytes, ...]]:
    """A fast function picking ``indices`` out of a line, always as a tuple."""
    if len(indices) == 1:
        only = indices[0]
        return lambda row: (row[only],)
    return operator.itemgetter(*indices)


def _amount_problem(text: str | bytes, column: str) -> str | None:
    if not text:
        return None
    shown = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    try:
        value = float(text)
    except ValueError:
        return f"{shown!r} is not a number"
    if value != value or value < 0 or (value == 0 and column == "quantity"):
        return f"{shown!r} must be {'above' if column == 'quantity' else 'at least'} zero"
    return None


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]


def _flag(text: str) -> bool | str:
    lowered = text.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    return text  # refused by OrderItem with the field named


def _transaction_case(cells: Mapping[str, str]) -> dict[str, Any]:
    """The transaction columns of an order line as a JSON case with one placeholder item."""
    get = cells.get
    end_user_country = (get("end_user_country") or "").strip()
    case: dict[str, Any] = {
        "activity": (get("activity") or "").strip() or None,
        "date": (get("date") or "").strip() or None,
        "exporter": {"member_state": get("exporter_member_state") or None},
        "destination": get("destination") or None,
        "items": [{"id": "line"}],
        "knowledge": {"informed": _split(get("informed") or ""), "aware": _split(get("aware") or "")},
        "circumstances": _split(get("circumstances") or ""),
    }
    listed = (get("end_user_listed_in") or "").strip()
    if end_user_country or listed or (get("end_user_type") or "").strip():
        case["end_user"] = {
            "country": end_user_country or get("destination") or None,
            "type": (get("end_user_type") or "").strip() or None,
        }
        if listed:
            case["end_user"]["listed_in"] = [] if listed.lower() == "none" else _split(listed)
    return case


def _item_case(cells: Mapping[str, str], *, with_description: bool = False) -> dict[str, Any]:
    """The item columns of an order line as a JSON item (with its description where something may bind
    it)."""
    get = cells.get
    item = {
        "id": "line",
        "control_code": (get("control_code") or "").strip() or None,
        "cyber_surveillance": _flag(get("cyber_surveillance") or ""),
        "national_codes": _split(get("national_codes") or ""),
        **_item_kinds_cell(get("item_kinds") or ""),
        "cn_code": (get("cn_code") or "").strip() or None,
    }
    if with_description:
        item["description"] = (get("description") or "").strip()
    return item


def _item_kinds_cell(text: str) -> dict[str, list[str]]:
    """The ``item_kinds`` cell: blank = not stated (no key), ``none`` = none of the kinds."""
    text = text.strip()
    if not text:
        return {}
    return {"item_kinds": [] if text.lower() == "none" else _split(text)}


def determine_batch(
    rows: Iterable[Mapping[str, str]],
    inputs: DeterminationInputs,
    *,
    today: date | None = None,
    progress: Progress | None = None,
) -> Iterator[dict[str, str]]:
    """Determine order lines (mappings of column to cell, as ``csv.DictReader`` gives) and yield each with
    the output columns added (layout in the module docstring). A bad line gets an ``error`` and the run
    goes on; a missing required column raises ``ValidationError`` naming it."""
    iterator = iter(rows)
    first = next(iterator, None)
    if first is None:
        return
    header = list(first.keys())
    determiner = BatchDeterminer(inputs, today=today)
    out_header = determiner.output_header(header)

    def as_lists() -> Iterator[list[str]]:
        yield [str(first.get(c) or "") for c in header]
        for row in iterator:
            yield [str(row.get(c) or "") for c in header]

    for values in determiner.run(header, as_lists(), progress):
        yield dict(zip(out_header, values, strict=False))
