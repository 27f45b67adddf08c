"""Reading Annex I's thresholds from the way the list writes them (quantity, comparison, threshold, unit).

The phrases are those of Annex I (consolidated 2025-11-15); the cases name the entry they come from.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dualuse.domain.controllist.entries import NoteKind
from dualuse.domain.controllist.provisions import Combination, DefinedTerm, read_provisions
from dualuse.domain.controllist.quantities import Comparison, Threshold, Unit, read_thresholds

GT, GE, LT, LE = Comparison.GT, Comparison.GE, Comparison.LT, Comparison.LE


@pytest.mark.parametrize(
    ("entry", "text", "expected"),
    [
        ("5A002.d.1", "A bandwidth exceeding 500 MHz; or", [("bandwidth", GT, 500, "MHz")]),
        ("3A001.e.2.b.1", "A voltage rating equal to or more than 5 kV;", [("voltage_rating", GE, 5, "kV")]),
        (
            "3A001.b.3.b.3",
            "A peak saturated power output greater than 40 W (46 dBm) at any frequency exceeding 12 GHz up to "
            "and including 16 GHz; or",
            [
                ("peak_saturated_power_output", GT, 40, "W"),
                ("frequency", GT, 12, "GHz"),
                ("frequency", LE, 16, "GHz"),
            ],
        ),
        (
            "3A001.a.14.a.1",
            "A resolution of 8 bit or more, but less than 10 bit, with a sample rate greater than 1,3 GSPS;",
            [("resolution", GE, 8, "bit"), ("resolution", LT, 10, "bit"), ("sample_rate", GT, 1.3, "GSPS")],
        ),
        ("6A007.b.2", 'An "accuracy" of less (better) than 0,7 mGal;', [("accuracy", LT, 0.7, "mGal")]),
        (
            "6C002.a",
            "Elemental tellurium (Te) of purity levels of 99,9995 % or more;",
            [("purity_levels", GE, 99.9995, "%")],
        ),
        (
            "6A203.a.2",
            "Electronic streak cameras capable of 50 ns or less time resolution;",
            [("time_resolution", LE, 50, "ns")],
        ),
        (
            "3A001.a.1.c",
            "A fluence (integrated flux) of neutrons (1 MeV equivalent) of 5 × 1013 n/cm2 or higher on silicon;",
            [("neutrons", GE, 5e13, "n/cm2")],
        ),
        (
            "6A005.d.1.b.2",
            "Wavelength equal to or greater than 780 nm and less than 1100 nm;",
            [("wavelength", GE, 780, "nm"), ("wavelength", LT, 1100, "nm")],
        ),
        (
            "0B001.c.1",
            "with a pore size of 10 to 100 nm;",
            [("pore_size", GE, 10, "nm"), ("pore_size", LE, 100, "nm")],
        ),
        ("8A002.o.4", "having a power output exceeding 0.1 MW.", [("power_output", GT, 0.1, "MW")]),
        ("3E002.a", "designed for 3A001 items exceeding 6 000 W", [("items", GT, 6000, "W")]),
    ],
)
def test_thresholds_are_read_as_the_list_writes_them(
    entry: str, text: str, expected: list[tuple[str, Comparison, float, str]]
) -> None:
    found = [(t.quantity, t.comparison, t.threshold, t.unit) for t in read_thresholds(text).thresholds]
    assert found == [(q, c, pytest.approx(v), u) for q, c, v, u in expected], entry


def test_a_code_is_not_a_number_of_amperes() -> None:
    assert read_thresholds("equipment specified in 3A001 or 5A002").thresholds == ()
    assert read_thresholds("equipment specified in 3A001 or 5A002").unplaced == ()


def test_a_number_with_a_unit_and_no_comparison_is_reported_not_guessed() -> None:
    reading = read_thresholds("Radiation hardened | 5× 103 Gy (silicon);")
    assert reading.thresholds == ()
    assert reading.unplaced


def test_alternatives_inside_one_provision_are_marked() -> None:
    reading = read_thresholds("Rated for operation at an ambient temperature below 228 K or above 358 K; or")
    assert [t.comparison for t in reading.thresholds] == [LT, GT]
    assert reading.alternatives


@pytest.mark.parametrize(
    ("value", "unit", "threshold", "met"),
    [
        (0.6, "GHz", Threshold("bandwidth", GT, 500, "MHz"), True),
        (0.4, "GHz", Threshold("bandwidth", GT, 500, "MHz"), False),
        (500, "MHz", Threshold("bandwidth", GT, 500, "MHz"), False),  # "exceeding": strictly above
        (500, "MHz", Threshold("bandwidth", GE, 500, "MHz"), True),
        (-270, "°C", Threshold("temperature", LE, 4.5, "K"), True),  # 3.15 K
        (1.2, "ms", Threshold("response_time", LT, 1, "ms"), False),
    ],
)
def test_a_value_in_another_unit_is_converted(
    value: float, unit: str, threshold: Threshold, met: bool
) -> None:
    assert threshold.met_by(value, unit) is met


def test_units_of_different_kinds_are_refused() -> None:
    with pytest.raises(ValueError, match="measured in MHz"):
        Threshold("bandwidth", GT, 500, "MHz").met_by(3, "W")


_UNITS = st.sampled_from(["MHz", "GHz", "W", "kW", "nm", "μm", "ns", "bit", "dB", "K", "%", "mJ", "kV"])
_PHRASES = st.sampled_from(
    [
        ("exceeding {n} {u}", GT),
        ("greater than {n} {u}", GT),
        ("more than {n} {u}", GT),
        ("in excess of {n} {u}", GT),
        ("less than {n} {u}", LT),
        ("less (better) than {n} {u}", LT),
        ("equal to or more than {n} {u}", GE),
        ("equal to or greater than {n} {u}", GE),
        ("equal to or less than {n} {u}", LE),
        ("not exceeding {n} {u}", LE),
        ("of {n} {u} or more", GE),
        ("of {n} {u} or less", LE),
    ]
)


def _written(number: float) -> str:
    """A number as the Official Journal writes it: decimal comma, spaces between thousands."""
    whole, _, decimals = f"{number:.3f}".rstrip("0").rstrip(".").partition(".")
    grouped = f"{int(whole):,}".replace(",", " ")
    return grouped + (f",{decimals}" if decimals else "")


@given(
    st.floats(min_value=0.001, max_value=9_999_999, allow_nan=False).map(lambda x: round(x, 3)),
    _UNITS,
    _PHRASES,
    st.sampled_from(["Peak output power", "A 'fractional bandwidth'", "Operating frequency", "An energy"]),
)
def test_any_threshold_phrase_reads_back(
    number: float, unit: str, phrase: tuple[str, Comparison], head: str
) -> None:
    """Whatever the number, unit and comparison, the written phrase reads back to the same threshold."""
    template, comparison = phrase
    text = f"{head} {template.format(n=_written(number), u=unit)};"
    reading = read_thresholds(text)
    assert len(reading.thresholds) == 1, text
    found = reading.thresholds[0]
    assert found.comparison is comparison, text
    assert found.threshold == pytest.approx(number), text
    assert found.unit == unit, text
    assert reading.unplaced == ()


@given(
    st.sampled_from(["Hz", "kHz", "MHz", "GHz"]),
    st.sampled_from(["Hz", "kHz", "MHz", "GHz"]),
    st.floats(0.001, 1e6),
)
def test_conversion_round_trips(a: str, b: str, value: float) -> None:
    there = Unit.parse(a).to(value, Unit.parse(b))
    assert Unit.parse(b).to(there, Unit.parse(a)) == pytest.approx(value)


TERMS = {"information security": DefinedTerm("Information security", "Annex I, definitions", (5,))}


def test_provisions_keep_structure_notes_terms_and_problems() -> None:
    text = "\n".join(
        [
            '5A002 "Information security" systems, as follows:',
            "5A002.d Items having any of the following:",
            "5A002.d.1 A bandwidth exceeding 500 MHz; or",
            "5A002.d.2 A 'fractional bandwidth' of 20 % or more;",
            "5A002.d Technical Note: For the purposes of 5A002.d, 'fractional bandwidth' means a ratio.",
            "5A002.e Not used",
            "5A002.f Items operating at 20 °C with 3 dB margin | 5× 103 Gy;",
        ]
    )
    found = {str(p.code): p for p in read_provisions("5A002", text, TERMS)}
    assert list(found) == ["5A002", "5A002.d", "5A002.d.1", "5A002.d.2", "5A002.e", "5A002.f"]
    assert found["5A002"].terms == ("information security",)
    assert found["5A002.d"].children_combine is Combination.ANY
    assert found["5A002.d"].notes[0].kind is NoteKind.TECHNICAL_NOTE
    assert found["5A002.d"].notes[0].defines == ("fractional bandwidth",)
    assert found["5A002.d.2"].thresholds == (Threshold("fractional_bandwidth", GE, 20, "%"),)
    assert found["5A002.e"].not_used
    assert found["5A002.d.1"].verified
    assert not found["5A002.f"].verified  # the dose has no comparison: reported, never guessed
    assert found["5A002.f"].conditions  # "at 20 °C" is a condition of measurement


def test_cumulative_sub_items_are_recognised() -> None:
    text = "\n".join(
        [
            "3A504 Cryocoolers having all of the following:",
            "3A504.a Cooling power equal to or more than 600 μW; and",
            "3A504.b Temperature of 0,1 K or less.",
        ]
    )
    found = {str(p.code): p for p in read_provisions("3A504", text, {})}
    assert found["3A504"].children_combine is Combination.ALL


def test_a_decontrol_note_is_told_from_a_note() -> None:
    text = "\n".join(
        [
            "0A001 Reactors as follows:",
            "0A001.i Heat exchangers as follows:",
            "0A001.i Note: 0A001.i. does not control heat exchangers for supporting systems.",
            "0A001.i N.B. See also 0A001.e.",
            "0A001.i.1 Steam generators;",
        ]
    )
    found = {str(p.code): p for p in read_provisions("0A001", text, {})}
    assert [n.kind for n in found["0A001.i"].notes] == [NoteKind.DECONTROL, NoteKind.NOTE]


def test_a_continuation_line_joins_the_provision_it_continues() -> None:
    text = "\n".join(
        [
            "3B001 Equipment as follows:",
            "3B001.f Lithography equipment capable of a resolution of 45 nm or less;",
            "3B001.f Technical Note:",
            "3B001.f For the purposes of 3B001.f, 'resolution' is measured at 20 °C.",
        ]
    )
    found = {str(p.code): p for p in read_provisions("3B001", text, {})}
    assert found["3B001.f"].verified
    assert found["3B001.f"].notes[0].defines == ("resolution",)
