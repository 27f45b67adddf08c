"""The handbook built from the shipped data (pure: no database), its edition hash and what changed between
two snapshots."""

from __future__ import annotations

import copy
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dualuse.adapters.sources.annex_i import load_history
from dualuse.adapters.sources.casework_rules import load_casework_rules
from dualuse.adapters.sources.duediligence import load_red_flags
from dualuse.adapters.sources.handbook import load_glossary, load_penalties, load_time_limits
from dualuse.adapters.sources.rulebook import load_rulebook
from dualuse.domain.handbook import (
    Edition,
    PenaltyFile,
    Snapshot,
    between,
    build,
    celex,
    cite,
    content_hash,
)
from dualuse.services.handbook import HandbookSources, current, list_change_lines, publish, snapshot_of

DAY = date(2026, 12, 5)


def _sources(penalties: tuple[PenaltyFile, ...] | None = None) -> HandbookSources:
    return HandbookSources(
        rulebook=load_rulebook(),
        history=load_history(),
        red_flags=load_red_flags(),
        time_limits=load_time_limits(load_casework_rules()),
        glossary=load_glossary(),
        penalties=penalties,
    )


@pytest.fixture(scope="module")
def snapshot() -> Snapshot:
    return snapshot_of(_sources(), DAY)


def _edition(snapshot: Snapshot, number: int = 1) -> Edition:
    return Edition(
        number, DAY, content_hash(snapshot), snapshot["list_version"]["id"], snapshot["rules_version"]
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Regulation (EU) 2021/821, Art. 5(2)", "32021R0821"),
        ("Council Regulation (EU) No 833/2014, Art. 2(1)", "32014R0833"),
        ("Council Regulation (EU) 2017/2063, Art. 6(1)", "32017R2063"),
        ("Commission Recommendation (EU) 2024/2659", "32024H2659"),
        ("Council Decision (CFSP) 2022/266, Art. 1(1)", "32022D0266"),
        ("national law", None),
    ],
)
def test_a_legal_basis_names_its_act_on_eur_lex(text: str, expected: str | None) -> None:
    assert celex(text) == expected


def test_an_article_of_the_regulation_links_to_its_anchor() -> None:
    """Art. 5(2) of Reg. 2021/821 → the article's anchor on EUR-Lex; an Annex II section → the annex's."""
    assert cite("Regulation (EU) 2021/821, Art. 5(2)").url == (
        "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32021R0821#art_5"
    )
    assert str(cite("Annex II Section A").url).endswith("32021R0821#anx_II")
    assert cite("national law").url is None
    # a national act's article is not the regulation's
    assert cite("Danish Executive Order No 694 of 29 May 2024, Art. 3(1)").url is None


@given(st.text(max_size=80))
def test_any_text_gives_a_citation_or_none_without_failing(text: str) -> None:
    citation = cite(text)
    assert citation.text == text
    assert citation.url is None or citation.url.startswith("https://eur-lex.europa.eu/")


def test_every_union_general_authorisation_has_its_part_with_items_destinations_conditions(
    snapshot: Snapshot,
) -> None:
    """Annex II Sections A-H: EU001-EU008 each with its customs code, items, destinations, conditions."""
    book = build(snapshot, _edition(snapshot))
    section = book.section("general-authorisations")
    assert section is not None
    anchors = [p.anchor for p in section.parts]
    assert anchors[:8] == [f"eu00{n}" for n in range(1, 9)]
    eu002 = section.parts[1]
    text = " ".join(getattr(b, "text", "") for b in eu002.blocks)
    assert "Türkiye (TR)" in text
    assert "Argentina (AR)" in text
    assert any(c.url and c.url.endswith("#art_12") for c in eu002.citations)


def test_every_rule_of_the_rulebook_is_explained_with_its_legal_basis(snapshot: Snapshot) -> None:
    book = build(snapshot, _edition(snapshot))
    section = book.section("when-you-need-an-authorisation")
    assert section is not None
    parts = {p.anchor: p for p in section.parts}
    regimes = parts["sanctions-regimes"].blocks[1]
    assert len(regimes.rows) == len(load_rulebook().regimes)  # type: ignore[union-attr]
    for rule in load_rulebook().rules:
        assert rule.id in parts
        assert [c.text for c in parts[rule.id].citations] == list(rule.legal_basis)
        assert "{" not in " ".join(getattr(b, "text", "") for b in parts[rule.id].blocks)


def test_the_cyber_surveillance_section_lists_the_flagged_entries_and_the_art5_rules(
    snapshot: Snapshot,
) -> None:
    book = build(snapshot, _edition(snapshot))
    section = book.section("cyber-surveillance")
    assert section is not None
    flagged = {str(e.code) for e in load_history().as_of(DAY) if e.cyber_surveillance}
    table = section.parts[0].blocks[1]
    assert {row[0] for row in table.rows} == flagged  # type: ignore[union-attr]
    assert {"art5-1-informed-cyber", "art5-2-aware-cyber"} <= {p.anchor for p in section.parts}


def test_penalties_are_listed_when_the_data_has_them_and_said_missing_otherwise() -> None:
    without = snapshot_of(_sources(None), DAY)
    section = build(without, _edition(without)).section("penalties")
    assert section is not None
    assert not section.parts
    assert "not yet in the data" in section.intro[1].text  # type: ignore[union-attr]
    given_ = (
        PenaltyFile("DE", {"offences": [{"offence": "export without licence", "maximum": "10 years"}]}),
    )
    with_data = snapshot_of(_sources(given_), DAY)
    section = build(with_data, _edition(with_data)).section("penalties")
    assert section is not None
    assert [p.title for p in section.parts] == ["Germany (DE)"]
    assert "maximum: 10 years" in section.parts[0].blocks[0].items[0]  # type: ignore[union-attr]


def test_the_hash_is_stable_and_moves_with_any_input(snapshot: Snapshot) -> None:
    assert content_hash(snapshot) == content_hash(copy.deepcopy(snapshot))
    changed = copy.deepcopy(snapshot)
    changed["due_diligence"]["flags"][0]["text"] += "?"
    assert content_hash(changed) != content_hash(snapshot)


def test_changes_name_the_countries_that_left_a_general_authorisation(snapshot: Snapshot) -> None:
    after = copy.deepcopy(snapshot)
    eu002 = next(g for g in after["general_authorisations"] if g["id"] == "EU002")
    eu002["destinations"] = [c for c in eu002["destinations"] if c != "TR"] + ["BR"]
    after["rules"] = [r for r in after["rules"] if r["id"] != "art7-baseline"]
    changes = between(snapshot, after)
    lines = {(c.area, c.subject, c.what) for c in changes}
    assert (
        "General authorisation",
        "EU002",
        "destinations: added Brazil (BR); removed Türkiye (TR).",
    ) in lines
    assert ("Rule", "art7-baseline", "removed.") in lines
    assert between(snapshot, copy.deepcopy(snapshot)) == ()


def test_the_changes_section_says_first_edition_or_lists_the_changes(snapshot: Snapshot) -> None:
    first = build(snapshot, _edition(snapshot)).section("changes")
    assert first is not None
    assert "no earlier recorded edition" in first.intro[0].text
    after = copy.deepcopy(snapshot)
    after["glossary"] = after["glossary"][1:]
    changes = between(snapshot, after)
    section = build(after, _edition(after, 2), changes, _edition(snapshot)).section("changes")
    assert section is not None
    rows = section.intro[1].rows  # type: ignore[union-attr]
    assert ("Glossary", "dual-use items", "removed.") in rows


def test_the_shipped_glossary_quotes_art_2_with_sources() -> None:
    terms = load_glossary()
    assert {t.legal_basis for t in terms} >= {"Regulation (EU) 2021/821, Art. 2(20)"}
    assert all(t.source and t.verified for t in terms)


def test_penalties_folder_absent_reads_as_none(tmp_path: object) -> None:
    from pathlib import Path

    assert load_penalties(Path(str(tmp_path)) / "nowhere") is None


def test_an_edition_made_on_the_earlier_list_is_followed_by_one_naming_the_list_changes() -> None:
    """A new list version (2024-11 → 2025-11, Art. 17 delegated act) is a change of the handbook with its
    entries added, removed and changed taken from the list's version diff."""
    from tests.fakes import FakeEditionStore

    store = FakeEditionStore()
    sources = _sources()
    first, new = publish(sources, store, date(2025, 1, 10))
    assert new
    assert first.edition.list_version == "2024-11"
    draft = current(sources, store, DAY)
    assert draft.edition.number == 2
    assert not draft.edition.published
    assert draft.previous == first.edition
    control = [c for c in draft.changes if c.area == "Control list"]
    assert control[0].subject == "version 2025-11"
    assert any("entries added" in c.what for c in control)
    diff = load_history().diff("2024-11", "2025-11")
    assert {c.what for c in control[1:]} == set(list_change_lines(diff))
    second, new = publish(sources, store, DAY)
    assert new
    assert second.edition.published
    assert second.changes == draft.changes
    unchanged = current(sources, store, DAY)
    assert unchanged.edition == second.edition
    assert unchanged.changes == draft.changes


def test_the_penalties_section_reads_the_catalogue_the_penalties_page_compares() -> None:
    from dualuse.adapters.sources.penalties import load_penalties
    from dualuse.services.handbook.penalties import penalty_files

    catalogue = load_penalties()
    files = {f.member_state: f for f in penalty_files(catalogue)}
    assert set(files) == set(catalogue.member_states)
    for penalty in catalogue.ranges:
        title = catalogue.violation(penalty.violation).title  # type: ignore[union-attr]
        [line] = [x for x in files[penalty.member_state].content["penalties"] if x.startswith(f"{title}:")]
        assert all(source.law in line for source in penalty.sources)
        if penalty.max_imprisonment_years is not None:
            assert f"up to {penalty.max_imprisonment_years.normalize():f} years" in line.lower()
    assert not any(f.content["verified"] for f in files.values())  # none is verified yet, and it says so
