"""The pure enforcement rules: the comparison across states (Art. 25(1)), enforcement decisions and their
anonymised view and figures (Art. 26(2)), compliance-visit findings against ICP elements (Art. 28)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from dualuse.domain.enforcement import (
    ICP_ELEMENT_IDS,
    AdministrativePenalty,
    CriminalPenalty,
    EnforcementCase,
    EnforcementDecision,
    Finding,
    FindingSeverity,
    LegalSource,
    PenaltyCatalogue,
    PenaltyRange,
    ViolationType,
    anonymised,
    check_decision,
    check_visit,
    compare,
    statistics,
)
from dualuse.domain.errors import ValidationError

SRC = (LegalSource("law", "art. 1", "https://example.org"),)
EXPORT = ViolationType("export", "Export", "x", "Art. 3", "ref", True)
RECORDS = ViolationType("records", "Records", "x", "Art. 27", "ref", True)
TODAY = date(2026, 12, 5)


def _range(state: str, violation: str = "export", **kw: object) -> PenaltyRange:
    return PenaltyRange(
        member_state=state,
        violation=violation,
        criminal=kw.get("criminal"),  # type: ignore[arg-type]
        administrative=kw.get("administrative"),  # type: ignore[arg-type]
        sources=SRC,
        verified=False,
    )


def test_comparison_normalises_each_state_and_names_the_states_without_data() -> None:
    catalogue = PenaltyCatalogue(
        "t",
        (EXPORT, RECORDS),
        (
            _range("FR", criminal=CriminalPenalty(Decimal(3), None, "1 to 2 times the value")),
            _range(
                "DE",
                criminal=CriminalPenalty(Decimal(5)),
                administrative=AdministrativePenalty(fine_max_eur=Decimal(500000)),
            ),
            _range("IT", criminal=CriminalPenalty(Decimal(6), Decimal(250000))),
            _range("DE", "records", administrative=AdministrativePenalty(fine_max_eur=Decimal(30000))),
        ),
    )
    export, records = compare(catalogue)
    assert [s.member_state for s in export.states] == ["DE", "FR", "IT"]
    de, fr, it = export.states
    assert (de.max_fine_eur, de.max_imprisonment_years, de.has_criminal, de.has_administrative) == (
        Decimal(500000),
        Decimal(5),
        True,
        True,
    )
    assert fr.max_fine_eur is None
    assert fr.fine_formulas == ("1 to 2 times the value",)
    assert it.max_fine_eur == Decimal(250000)  # the criminal fine counts when no administrative one
    assert export.highest_fine_eur == Decimal(500000)
    assert [export.bar_percent(s) for s in export.states] == [100, 0, 50]
    assert records.missing == ("FR", "IT")  # no data, not no penalty
    assert [s.member_state for s in records.states] == ["DE"]
    assert not records.states[0].has_criminal


@pytest.mark.parametrize(
    ("ranges", "field"),
    [
        ((_range("DE", "smuggling", criminal=CriminalPenalty(Decimal(1))),), "violation"),
        ((_range("XX", criminal=CriminalPenalty(Decimal(1))),), "member_state"),
        ((_range("DE"),), "criminal"),  # neither criminal nor administrative
        (
            (
                _range("DE", criminal=CriminalPenalty(Decimal(1))),
                _range("DE", criminal=CriminalPenalty(Decimal(2))),
            ),
            "violation",
        ),
    ],
)
def test_a_catalogue_refuses_what_cannot_be_compared(ranges: tuple[PenaltyRange, ...], field: str) -> None:
    with pytest.raises(ValidationError) as refused:
        PenaltyCatalogue("t", (EXPORT,), ranges)
    assert refused.value.field == field


@pytest.mark.parametrize(
    ("decision", "amount", "months", "field"),
    [
        (EnforcementDecision.FINE, None, None, "amount_eur"),
        (EnforcementDecision.FINE, Decimal(0), None, "amount_eur"),
        (EnforcementDecision.IMPRISONMENT, None, None, "imprisonment_months"),
        (EnforcementDecision.WARNING, Decimal(10), None, "amount_eur"),
        (EnforcementDecision.ACQUITTAL, None, 3, "imprisonment_months"),
    ],
)
def test_a_decision_carries_what_its_kind_needs(
    decision: EnforcementDecision, amount: Decimal | None, months: int | None, field: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        check_decision(decision, amount, months, date(2026, 1, 1), TODAY)
    assert refused.value.field == field


def test_a_decision_cannot_be_dated_in_the_future() -> None:
    with pytest.raises(ValidationError, match="future"):
        check_decision(EnforcementDecision.WARNING, None, None, date(2027, 1, 1), TODAY)
    check_decision(EnforcementDecision.FINE, Decimal(5), None, TODAY, TODAY)


def _case(i: int, state: str, decision: EnforcementDecision, amount: str | None) -> EnforcementCase:
    return EnforcementCase(
        i,
        state,
        "export",
        date(2025, 1, i),
        decision,
        Decimal(amount) if amount else None,
        None,
        42,
        "secret summary",
        "officer@x",
    )


def test_the_public_view_names_no_party_and_figures_add_up() -> None:
    cases = [
        _case(1, "DE", EnforcementDecision.FINE, "1000"),
        _case(2, "DE", EnforcementDecision.FINE, "4000"),
        _case(3, "DE", EnforcementDecision.WARNING, None),
        _case(4, "FR", EnforcementDecision.ACQUITTAL, None),
    ]
    public = [anonymised(c) for c in cases]
    assert not any(
        hasattr(p, "organisation_id") or hasattr(p, "summary") or hasattr(p, "recorded_by") for p in public
    )
    de, fr = statistics(public)
    assert (de.member_state, de.cases, de.fines_total_eur, de.largest_fine_eur) == (
        "DE",
        3,
        Decimal(5000),
        Decimal(4000),
    )
    assert de.decisions == {"fine": 2, "imprisonment": 0, "warning": 1, "acquittal": 0}
    assert (fr.cases, fr.largest_fine_eur, fr.decisions["acquittal"]) == (1, None, 1)


def test_each_finding_names_one_of_the_seven_icp_elements() -> None:
    assert len(ICP_ELEMENT_IDS) == 7
    check_visit(TODAY, (Finding("screening", FindingSeverity.SHORTCOMING, "x"),), TODAY)
    with pytest.raises(ValidationError) as refused:
        check_visit(
            TODAY,
            (
                Finding("screening", FindingSeverity.BREACH, "x"),
                Finding("catering", FindingSeverity.OBSERVATION, "x"),
            ),
            TODAY,
        )
    assert refused.value.field == "findings[1].icp_element"
    with pytest.raises(ValidationError, match="describe"):
        check_visit(TODAY, (Finding("training", FindingSeverity.OBSERVATION, "  "),), TODAY)
    with pytest.raises(ValidationError, match="future"):
        check_visit(date(2027, 1, 1), (), TODAY)
