"""determine-batch: a CSV of order lines in, one result line per item out; bad lines get an error and the
run goes on."""

from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from dualuse.adapters.batch.orders_csv import count_lines, determine_batch_file
from dualuse.adapters.sources.rulebook import load_rulebook
from dualuse.domain.errors import ImportFailedError
from dualuse.services.determination import INPUT_COLUMNS, OUTPUT_COLUMNS, DeterminationInputs, determine_batch
from tests.unit.rules.fakes import FakeListSource

TODAY = date(2026, 12, 1)


def _line(**cells: str) -> dict[str, str]:
    line = dict.fromkeys(INPUT_COLUMNS, "")
    line.update(
        order_id="PO-1", date="2026-12-01", activity="export", exporter_member_state="DE", destination="CN",
        end_user_name="Customer", end_user_country="CN", end_user_type="commercial", item_id="1",
        description="machine", control_code="2B001", cyber_surveillance="false", quantity="2", value_eur="1000",
    )  # fmt: skip
    line.update(cells)
    return line


LINES = [
    _line(),
    _line(item_id="2", control_code="5A002.a", destination="US", end_user_country="US"),
    _line(item_id="3", control_code="", description='plain "valve", 2" bore\nspare'),
    _line(item_id="4", destination="RU", end_user_country="RU"),
    _line(item_id="5", destination="XX"),
    _line(item_id="6", control_code="5Z001"),
    _line(item_id="7", quantity="-3"),
    _line(item_id="8", control_code="", cyber_surveillance="yes", informed="internal_repression"),
    _line(item_id="9", control_code="4A506", date="2025-10-01"),
    _line(item_id="", control_code=""),
    _line(item_id="11", activity="transfer", destination="FR", end_user_country="FR"),
    _line(item_id="12", control_code="", aware="wmd;military_end_use"),
]
EXPECTED = [
    ("licence_required", ""),
    ("general_authorisation_available", ""),
    ("no_licence_required", ""),
    ("prohibited", ""),
    ("", "destination:"),
    ("", "control_code:"),
    ("", "quantity:"),
    ("licence_required", ""),
    ("", "control_code:"),
    ("", "item_id:"),
    ("no_licence_required", ""),
    ("notify_authority", ""),
]


def _write(path: Path, lines: list[dict[str, str]], *, bom: bool = False) -> Path:
    with path.open("w", newline="", encoding="utf-8-sig" if bom else "utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=INPUT_COLUMNS)
        writer.writeheader()
        writer.writerows(lines)
    return path


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("bom", [False, True])
def test_one_result_line_per_item_with_row_level_errors(tmp_path: Path, bom: bool) -> None:
    orders = _write(tmp_path / "orders.csv", LINES, bom=bom)
    seen: list[tuple[int, int]] = []
    summary = determine_batch_file(
        orders, tmp_path / "results.csv", DeterminationInputs(load_rulebook(), FakeListSource()), today=TODAY,
        progress=lambda done, expected: seen.append((done, expected)),
    )  # fmt: skip
    results = _read(tmp_path / "results.csv")
    assert list(results[0]) == [*INPUT_COLUMNS, *OUTPUT_COLUMNS]
    assert len(results) == len(LINES)
    for result, line, (outcome, error) in zip(results, LINES, EXPECTED, strict=True):
        assert {k: result[k] for k in INPUT_COLUMNS} == line  # copied through as written
        assert result["outcome"] == outcome, result
        assert result["error"].startswith(error), result
        if outcome:
            assert result["legal_basis"].startswith(("Regulation", "Council"))
            assert result["explanation"]
    assert results[1]["general_authorisations"] == "EU001"
    assert results[1]["customs_codes"] == "X061"
    assert summary.lines == len(LINES)
    assert summary.errors == 5
    assert summary.outcomes["prohibited"] == 1
    assert summary.versions["list_versions"] == ["2024-11", "2025-11"]
    assert seen[-1] == (len(LINES), count_lines(orders))


def test_full_explanations_on_request(tmp_path: Path) -> None:
    orders = _write(tmp_path / "orders.csv", LINES[:2])
    determine_batch_file(
        orders, tmp_path / "short.csv", DeterminationInputs(load_rulebook(), FakeListSource()), today=TODAY
    )
    determine_batch_file(
        orders,
        tmp_path / "full.csv",
        DeterminationInputs(load_rulebook(), FakeListSource()),
        today=TODAY,
        full_explanations=True,
    )
    short, full = _read(tmp_path / "short.csv"), _read(tmp_path / "full.csv")
    assert len(full[1]["explanation"]) > len(short[1]["explanation"])
    # Annex II Part 3: EU001's first use is notified within 30 days after the first export (or before it
    # where the member state requires that); the test used to look for "before first use" alone
    assert "within 30 days after the first export" in full[1]["explanation"]


def test_a_missing_required_column_stops_the_run_naming_it(tmp_path: Path) -> None:
    orders = tmp_path / "orders.csv"
    orders.write_text("order_id,item_id,control_code\nPO-1,1,2B001\n", encoding="utf-8")
    with pytest.raises(ImportFailedError) as raised:
        determine_batch_file(
            orders,
            tmp_path / "results.csv",
            DeterminationInputs(load_rulebook(), FakeListSource()),
            today=TODAY,
        )
    assert raised.value.field == "exporter_member_state"


def test_short_lines_are_padded_and_columns_in_any_order(tmp_path: Path) -> None:
    orders = tmp_path / "orders.csv"
    orders.write_text(
        "item_id,control_code,destination,exporter_member_state,quantity\n1,5A002.a,US,DE\n2,,CN,FR,1\n",
        encoding="utf-8",
    )
    determine_batch_file(
        orders, tmp_path / "results.csv", DeterminationInputs(load_rulebook(), FakeListSource()), today=TODAY
    )
    results = _read(tmp_path / "results.csv")
    assert [r["outcome"] for r in results] == ["general_authorisation_available", "no_licence_required"]
    assert results[0]["quantity"] == ""


def test_the_mapping_interface_answers_line_by_line() -> None:
    done: list[int] = []
    results = list(
        determine_batch(
            LINES, DeterminationInputs(load_rulebook(), FakeListSource()), today=TODAY, progress=done.append
        )
    )
    assert [(r["outcome"], r["error"].split(":")[0]) for r in results] == [
        (outcome, error.rstrip(":")) for outcome, error in EXPECTED
    ]
    assert done[-1] == len(LINES)


def _encode_lines(lines: list[dict[str, str]], terminator: str) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=INPUT_COLUMNS, lineterminator=terminator)
    writer.writerows(lines)
    return out.getvalue().encode("utf-8")


def test_blocks_of_lines_answer_as_line_by_line(tmp_path: Path) -> None:
    """A large file is answered in blocks (those of plain lines at once): every line as the mapping
    interface answers it line by line, line endings, quoted line breaks, blank and short lines included."""
    good = [
        line for line, (_, error) in zip(LINES, EXPECTED, strict=True) if not error and '"' not in str(line)
    ]
    plain = [
        {**good[n % len(good)], "item_id": str(n), "quantity": str(n % 7 + 1), "value_eur": f"{n * 3.5:.2f}"}
        for n in range(1_200)
    ]
    unquoted = [{**line, "order_id": f"PO-{n}"} for n, line in enumerate(LINES * 60) if '"' not in str(line)]
    mixed = [{**line, "order_id": f"PO-{n}"} for n, line in enumerate(LINES * 50)]
    mixed += [_line(item_id="x1", value_eur="0"), _line(item_id="x2", quantity="0")]  # not a quantity
    orders = tmp_path / "orders.csv"
    orders.write_bytes(
        ",".join(INPUT_COLUMNS).encode() + b"\n"
        + _encode_lines(plain[:700], "\n") + _encode_lines(plain[700:], "\r\n")
        + _encode_lines(unquoted, "\r\n")  # blocks of plain lines, some with errors
        + b"\r\n" + b"PO-9,2026-12-01,export,DE,US\n"  # a blank line, a short line
        + _encode_lines(mixed, "\r\n") + _encode_lines(plain[:10], "\n")
    )  # fmt: skip
    summary = determine_batch_file(
        orders, tmp_path / "results.csv", DeterminationInputs(load_rulebook(), FakeListSource()), today=TODAY
    )
    with orders.open(newline="", encoding="utf-8") as handle:
        read = [{k: v or "" for k, v in line.items()} for line in csv.DictReader(handle)]
    expected = list(
        determine_batch(read, DeterminationInputs(load_rulebook(), FakeListSource()), today=TODAY)
    )
    results = _read(tmp_path / "results.csv")
    assert len(results) == len(expected) == len(plain) + len(unquoted) + 1 + len(mixed) + 10
    assert results == expected
    assert summary.lines == len(expected)
    assert summary.errors == sum(1 for r in expected if r["error"])
    assert summary.outcomes == dict(Counter(r["outcome"] for r in expected if r["outcome"]))
    assert results[-11]["error"].startswith("quantity:")


def test_f1_batch_reads_item_kinds_cn_code_and_entity_lists() -> None:
    """The batch CSV reads the new facts: an item's kinds (blank = not stated, "none" = none of them), its CN
    code, and the end-user's entity lists; the answers match the single determination."""
    lines = [
        _line(item_id="1", control_code="", destination="VE", end_user_country="VE", end_user_type="government",
              item_kinds="monitoring_interception_equipment", cn_code="8517 62 00"),
        _line(item_id="2", control_code="", destination="VE", end_user_country="VE", item_kinds="none"),
        _line(item_id="3", control_code="", destination="VE", end_user_country="VE"),
        _line(item_id="4", end_user_listed_in="ru_833_annex_iv"),
        _line(item_id="5", control_code="", destination="JP", end_user_country="JP", aware="military_end_use"),
        _line(item_id="6", control_code="", informed="parts_of_illegally_exported_military_items"),
        _line(item_id="7", control_code="", item_kinds="teapots"),
    ]  # fmt: skip
    out = list(determine_batch(lines, DeterminationInputs(load_rulebook(), FakeListSource()), today=TODAY))
    answers = [(row["outcome"], row["legal_basis"].split("; ")[0], row["error"].split(":")[0]) for row in out]
    assert answers == [
        ("licence_required", "Council Regulation (EU) 2017/2063, Art. 6(1)", ""),
        ("no_licence_required", "Regulation (EU) 2021/821, Art. 3(2)", ""),
        ("licence_required", "Council Regulation (EU) 2017/2063, Art. 6(1)", ""),
        ("prohibited", "Council Regulation (EU) No 833/2014, Art. 2b(1)", ""),
        ("no_licence_required", "Regulation (EU) 2021/821, Art. 3(2)", ""),
        ("licence_required", "Regulation (EU) 2021/821, Art. 4(1)(c)", ""),
        ("", "", "item_kinds"),
    ]


def test_batch_answers_by_end_user_type_where_a_regime_looks_at_it() -> None:
    """The batch shares work between lines whose answers cannot differ; the end-user's type now matters in
    Belarus (monitoring equipment for the authorities is prohibited) and North Korea (Art. 5)."""
    lines = [
        _line(item_id="1", control_code="", destination="BY", end_user_country="BY", end_user_type="government",
              item_kinds="monitoring_interception_equipment"),
        _line(item_id="2", control_code="", destination="BY", end_user_country="BY", end_user_type="commercial",
              item_kinds="monitoring_interception_equipment"),
        _line(item_id="3", control_code="", destination="KP", end_user_country="KP", end_user_type="military",
              item_kinds="none"),
        _line(item_id="4", control_code="", destination="KP", end_user_country="KP", end_user_type="commercial",
              item_kinds="none"),
    ]  # fmt: skip
    out = list(determine_batch(lines, DeterminationInputs(load_rulebook(), FakeListSource()), today=TODAY))
    assert [row["outcome"] for row in out] == [
        "prohibited",
        "licence_required",
        "prohibited",
        "no_licence_required",
    ]
