"""The penalty data loader (``adapters.sources.penalties``): the shipped data loads; a value that does not fit
is refused naming the file, the line and the field; nothing else is accepted silently (Art. 25(1), 23(1)(b))."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dualuse.adapters.sources.penalties import load_penalties, shipped_enforcement_dir
from dualuse.domain.enforcement import compare
from dualuse.domain.errors import ImportFailedError

GOOD_RANGE = """\
member_state: DE
version: "t"
penalties:
  - violation: export_without_authorisation
    criminal:
      max_imprisonment_years: 5
    administrative:
      fine_max_eur: 500000
    sources:
      - law: "AWG"
        article: "§ 18"
        url: "https://example.org/awg"
    verified: false
"""


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "enforcement"
    shutil.copytree(shipped_enforcement_dir(), target)
    return target


def _only_de(tmp_path: Path, text: str) -> Path:
    directory = _copy(tmp_path)
    for path in (directory / "penalties").glob("*.yaml"):
        path.unlink()
    (directory / "penalties" / "DE.yaml").write_text(text, encoding="utf-8")
    return directory


def test_the_shipped_data_loads_with_a_source_and_a_mark_on_every_range() -> None:
    catalogue = load_penalties()
    assert {"DE", "FR", "NL", "IT"} <= set(catalogue.member_states)
    assert catalogue.violation("export_without_authorisation") is not None
    for penalty in catalogue.ranges:
        assert penalty.sources
        assert all(s.url.startswith("https://") for s in penalty.sources)
        # nothing in ../shared/reference verifies a national penalty: every range is unverified
        assert penalty.verified is False
    export = next(c for c in compare(catalogue) if c.violation.id == "export_without_authorisation")
    assert [s.member_state for s in export.states] == sorted(s.member_state for s in export.states)


def test_a_directory_copy_loads_the_same(tmp_path: Path) -> None:
    assert load_penalties(_copy(tmp_path)) == load_penalties()


@pytest.mark.parametrize(
    ("old", "new", "line", "field"),
    [
        ("max_imprisonment_years: 5", "max_imprisonment_years: five", 6, "criminal.max_imprisonment_years"),
        ("fine_max_eur: 500000", "fine_max_eur: -3", 8, "administrative.fine_max_eur"),
        ("violation: export_without_authorisation", "violation: smuggling", 4, "violation"),
        ("verified: false", "verified: 'no'", 13, "verified"),
        ('url: "https://example.org/awg"', 'url: "ftp://example.org/awg"', 12, "sources[0].url"),
        ("    verified: false", "    verified: false\n    colour: red", 14, "colour"),
    ],
)
def test_a_bad_value_is_refused_with_file_line_and_field(
    tmp_path: Path, old: str, new: str, line: int, field: str
) -> None:
    assert old in GOOD_RANGE
    directory = _only_de(tmp_path, GOOD_RANGE.replace(old, new))
    with pytest.raises(ImportFailedError) as refused:
        load_penalties(directory)
    where = refused.value.location or ""
    assert "penalties/DE.yaml" in where
    assert f"line {line}" in where
    assert field in where


def test_the_good_range_itself_loads(tmp_path: Path) -> None:
    catalogue = load_penalties(_only_de(tmp_path, GOOD_RANGE))
    (penalty,) = catalogue.ranges
    assert penalty.max_fine_eur == Decimal(500000)
    assert penalty.max_imprisonment_years == Decimal(5)


def test_a_file_named_for_another_state_is_refused(tmp_path: Path) -> None:
    directory = _only_de(tmp_path, GOOD_RANGE)
    (directory / "penalties" / "DE.yaml").rename(directory / "penalties" / "FR.yaml")
    with pytest.raises(ImportFailedError, match=r"named DE\.yaml"):
        load_penalties(directory)


def test_a_violation_given_twice_is_refused(tmp_path: Path) -> None:
    doubled = GOOD_RANGE + GOOD_RANGE.split("penalties:\n", 1)[1]
    with pytest.raises(ImportFailedError, match="given twice"):
        load_penalties(_only_de(tmp_path, doubled))


def test_a_missing_catalogue_is_refused(tmp_path: Path) -> None:
    directory = _copy(tmp_path)
    (directory / "violations.yaml").unlink()
    with pytest.raises(ImportFailedError, match="missing"):
        load_penalties(directory)


def test_a_min_above_the_max_is_refused(tmp_path: Path) -> None:
    text = GOOD_RANGE.replace("fine_max_eur: 500000", "fine_min_eur: 900000\n      fine_max_eur: 500000")
    with pytest.raises(ImportFailedError, match="above the maximum"):
        load_penalties(_only_de(tmp_path, text))


_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
)
_values = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
_FIELDS = ("violation", "criminal", "administrative", "sources", "verified", "note")


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(field=st.sampled_from(_FIELDS), value=_values)
def test_any_value_in_any_field_is_either_read_or_refused_with_its_file(
    tmp_path_factory: pytest.TempPathFactory, field: str, value: object
) -> None:
    """Whatever a writer puts in a field, the loader answers with a catalogue or an ``ImportFailedError``
    naming the file: never another exception, never a half-read catalogue."""
    document = yaml.safe_load(GOOD_RANGE)
    document["penalties"][0][field] = value
    directory = _only_de(tmp_path_factory.mktemp("h"), yaml.safe_dump(document, allow_unicode=True))
    try:
        catalogue = load_penalties(directory)
    except ImportFailedError as refused:
        where = refused.location or ""
    else:
        where = ""
    if where:
        assert "penalties/DE.yaml" in where
        return
    (penalty,) = catalogue.ranges
    assert penalty.member_state == "DE"
    assert penalty.criminal is not None or penalty.administrative is not None
    assert penalty.sources


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    years=st.decimals(min_value=Decimal("0.1"), max_value=Decimal(99), places=1),
    fine=st.integers(min_value=1, max_value=10**9),
)
def test_figures_survive_the_round_trip(
    tmp_path_factory: pytest.TempPathFactory, years: Decimal, fine: int
) -> None:
    text = GOOD_RANGE.replace("max_imprisonment_years: 5", f"max_imprisonment_years: {years}").replace(
        "fine_max_eur: 500000", f"fine_max_eur: {fine}"
    )
    (penalty,) = load_penalties(_only_de(tmp_path_factory.mktemp("r"), text)).ranges
    assert penalty.max_imprisonment_years == years
    assert penalty.max_fine_eur == Decimal(fine)
