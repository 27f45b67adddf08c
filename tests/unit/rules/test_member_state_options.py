"""Member states' choices and national measures as shipped (data/rules): the first-use notice for EU001-EU006
per state (Annex II Part 3), licence validity and extension (Art. 12(3) and national law), and national
control lists (Art. 9(1)) with their application by another state (Art. 10(1)). Each case names its source."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from dualuse.adapters.sources.rulebook import load_rulebook
from dualuse.domain.rules import Outcome, determine
from dualuse.domain.rules.first_use import first_use_timing
from dualuse.domain.rules.rulebook import GeneralAuthorisation
from tests.unit.rules.fakes import FakeListSource, facts

NOTIFIED = date(2026, 6, 30)

# state, notice relative to the first export (days), source of the state's choice
FIRST_USE = [
    ("DK", -30, "Danish Business Authority: no later than 30 days after the first export"),
    ("SE", -30, "ISP: within 30 days from the first use"),
    ("FR", 0, "SBDU: a Union general authorisation is requested through Egide before use"),
    ("IE", 0, "DETE guidance: register before first use"),
    ("IT", 0, "Legislative Decree 221/2017 Art. 12(2): notify before the first use"),
]


def _timing(authorisation: str, state: str):  # type: ignore[no-untyped-def]  # test helper
    rulebook = load_rulebook()
    found: GeneralAuthorisation = next(g for g in rulebook.general_authorisations if g.id == authorisation)
    return first_use_timing(found, rulebook.settings_of(state))


@pytest.mark.parametrize("authorisation", ["EU001", "EU002", "EU003", "EU004", "EU005", "EU006"])
@pytest.mark.parametrize(("state", "offset", "source"), FIRST_USE)
def test_annex_ii_part_3_first_use_notice_per_member_state(
    authorisation: str, state: str, offset: int, source: str
) -> None:
    """Annex II Sections A-F Part 3: notice within 30 days after the first export, or before the first use
    where the member state requires it (its choice, with its source)."""
    timing = _timing(authorisation, state)
    assert timing.earliest_export(NOTIFIED) == NOTIFIED + timedelta(days=offset), source
    assert not timing.check_with_authority


def test_every_state_without_a_verified_choice_is_answered_on_the_safe_side() -> None:
    """Annex II Part 3: where the state's choice is not verified here, notify before the first export and
    check with the authority (never "within 30 days after" on a guess)."""
    rulebook = load_rulebook()
    verified = {state for state, _, _ in FIRST_USE}
    for state, settings in rulebook.member_states.items():
        timing = _timing("EU001", state)
        if state in verified:
            continue
        assert not settings.first_use.known_after, state
        assert timing.earliest_export(NOTIFIED) >= NOTIFIED, state


@pytest.mark.parametrize(("authorisation", "days"), [("EU007", 30), ("EU008", 10)])
@pytest.mark.parametrize("state", ["DK", "SE", "FR", "IT", "DE"])
def test_eu007_and_eu008_waiting_periods_hold_in_every_state(
    authorisation: str, days: int, state: str
) -> None:
    """Annex II Section G Part 3 (notice no later than 30 days before the first export) and Section H Part 3
    (no later than 10 days before), whatever the member state chose for EU001-EU006."""
    assert _timing(authorisation, state).earliest_export(NOTIFIED) == NOTIFIED + timedelta(days=days)


# --- licence validity (Art. 12(3) and national law) ------------------------------------------------------
def test_france_two_years_and_up_to_six_months_extension() -> None:
    """Arrêté du 13 décembre 2001: individual and global licences two years, large projects four; extended on
    a reasoned request by at most six months in total."""
    validity = load_rulebook().member_states["FR"].licence_validity
    assert validity is not None
    assert validity.verified
    assert (validity.individual_months, validity.global_months, validity.large_project_months) == (24, 24, 48)
    assert validity.latest_extended_until(24, date(2026, 1, 15)) == date(2028, 7, 14)
    assert validity.latest_extended_until(24, date(2025, 8, 31)) == date(2028, 2, 29)


def test_denmark_two_years_without_a_known_extension() -> None:
    validity = load_rulebook().member_states["DK"].licence_validity
    assert validity is not None
    assert validity.individual_months == 24
    assert validity.latest_extended_until(24, date(2026, 1, 15)) is None


# --- national control lists (Art. 9(1)) and their application by others (Art. 10(1)) ---------------------
REG = "Regulation (EU) 2021/821, "

# (case, exporter's state, national code, date, informed, outcome)
NATIONAL = [
    ("DK list from 1 Jul 2025: 2B910 metal AM equipment", "DK", "DK-2B910", date(2025, 8, 1), (), "licence"),
    ("DK list: 2B910 not yet in the list before 1 Jul 2025", "DK", "DK-2B910", date(2025, 6, 1), (), "none"),
    ("NL list (C/2023/441): 3B1001.l EUV pellicles", "NL", "NL-3B1001.l", date(2024, 3, 1), (), "licence"),
    (
        "ES list (C/2023/441): 1B1901 AM for energetic materials",
        "ES",
        "ES-1B1901",
        date(2024, 3, 1),
        (),
        "licence",
    ),
    ("NL list does not bind a French exporter", "FR", "NL-3B1001.l", date(2024, 3, 1), (), "none"),
    (
        "Art. 10(1): no state is recorded as applying the NL list, even when informed",
        "DE",
        "NL-3B1001.l",
        date(2024, 3, 1),
        ("public_security",),
        "none",
    ),
]


@pytest.mark.parametrize(
    ("state", "code", "day", "informed", "expected"),
    [pytest.param(*row[1:], id=row[0]) for row in NATIONAL],
)
def test_national_control_lists_of_member_states(
    state: str, code: str, day: date, informed: tuple[str, ...], expected: str
) -> None:
    case = facts(
        code=None, destination="CN", member_state=state, day=day, national_codes=[code], informed=informed
    )
    item = determine(case, load_rulebook(), FakeListSource()).items[0]
    if expected == "licence":
        assert item.outcome is Outcome.LICENCE_REQUIRED
        assert REG + "Art. 9(1)" in item.legal_basis
        assert item.customs_codes == ("X060",)
    else:
        assert item.outcome is not Outcome.LICENCE_REQUIRED
