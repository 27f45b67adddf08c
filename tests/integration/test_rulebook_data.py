"""The shipped rulebook (dualuse/data/rules) loads, every rule carries its source and a verified mark, and
bad data is refused naming the file and the rule."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from dualuse.adapters.sources.rulebook import FILES, load_rulebook, shipped_rules_dir
from dualuse.domain.errors import ImportFailedError
from dualuse.domain.rules import EU_MEMBER_STATES
from dualuse.domain.rules.facts import EndUserType

RULE_LISTS = {
    "rulebook.yaml": "rules",
    "eugeas.yaml": "general_authorisations",
    "ngeas.yaml": "national_general_authorisations",
    "embargoes.yaml": "embargoes",
    "sanctions.yaml": "prohibitions",
    "sanctions_regimes.yaml": "regimes",
    "national_controls.yaml": "national_controls",
}
RULE_MAPS = {
    "member_states.yaml": "member_states",
    "country_groups.yaml": "groups",
    "customs_codes.yaml": "codes",
}


def _raw(name: str) -> Any:
    return yaml.safe_load((shipped_rules_dir() / name).read_text(encoding="utf-8"))


def test_the_shipped_rulebook_loads_with_a_version() -> None:
    rulebook = load_rulebook()
    assert rulebook.version
    assert len(rulebook.rules) >= 20
    assert set(rulebook.member_states) == EU_MEMBER_STATES


@pytest.mark.parametrize("name", sorted({**RULE_LISTS, **RULE_MAPS}))
def test_every_rule_has_a_source_and_a_verified_mark(name: str) -> None:
    key = {**RULE_LISTS, **RULE_MAPS}[name]
    entries = _raw(name)[key]
    values = entries.values() if isinstance(entries, dict) else entries
    for entry in values:
        assert isinstance(entry.get("source"), str), entry
        assert entry["source"].strip(), entry
        verified = entry.get("verified")
        assert isinstance(verified, bool) or (
            isinstance(verified, dict) and all(isinstance(v, bool) for v in verified.values())
        ), entry


def test_eu001_destinations_are_exactly_the_verified_ten() -> None:
    eu001 = next(g for g in load_rulebook().general_authorisations if g.id == "EU001")
    assert eu001.destinations == {"AU", "CA", "IS", "JP", "NZ", "NO", "CH", "LI", "GB", "US"}
    assert eu001.customs_code == "X061"
    assert "destinations" not in eu001.unverified


def test_union_general_authorisations_map_to_customs_codes_x061_to_x068() -> None:
    authorisations = [g for g in load_rulebook().general_authorisations if not g.is_national]
    assert [(g.id, g.customs_code) for g in authorisations] == [(f"EU00{n}", f"X06{n}") for n in range(1, 9)]


def test_unverified_aspects_are_marked(tmp_path: Path) -> None:
    # EU002's destinations and EU008's items are now verified against the consolidated Annex II
    # (CELEX 02021R0821-20251115); an aspect marked false still shows up as unverified
    by_id = {g.id: g for g in load_rulebook().general_authorisations}
    assert "destinations" not in by_id["EU002"].unverified
    assert "items" not in by_id["EU008"].unverified
    directory = _copy(tmp_path)
    text = (directory / "eugeas.yaml").read_text(encoding="utf-8")
    marked = text.replace(
        "verified: {items: true, destinations: true, conditions: true, first_use: true}",
        "verified: {items: false, destinations: true, conditions: true, first_use: true}",
    )
    (directory / "eugeas.yaml").write_text(marked, encoding="utf-8")
    assert all("items" in g.unverified for g in load_rulebook(directory).general_authorisations)


def test_sanctions_cover_russia_belarus_and_north_korea_with_dates() -> None:
    sanctions = load_rulebook().sanctions
    countries = {c for s in sanctions for c in s.countries}
    assert {"RU", "BY", "KP"} <= countries
    russia = next(s for s in sanctions if s.id == "ru-dual-use-export")
    assert russia.validity.start is not None
    assert russia.validity.start.isoformat() == "2022-02-26"
    assert russia.legal_basis == ("Council Regulation (EU) No 833/2014, Art. 2(1)",)


@pytest.mark.parametrize(
    ("prohibition", "basis"),
    [
        # Reg. 2017/1509 Art. 3(1)(b) is the aviation-fuel ban; services for Annex II goods are Art. 7(a)
        ("kp-dual-use-services", "Council Regulation (EU) 2017/1509, Art. 7(a)"),
        ("ru-dual-use-services", "Council Regulation (EU) No 833/2014, Art. 2(2)(a)"),
    ],
)
def test_services_bans_cite_the_article_that_holds_them(prohibition: str, basis: str) -> None:
    ban = next(s for s in load_rulebook().sanctions if s.id == prohibition)
    assert ban.legal_basis == (basis,)
    assert ban.verified
    assert "legalize-dev/legalize-eu" in ban.source


def test_sanctions_regimes_cover_the_regimes_of_issue_17_with_act_article_and_dates() -> None:
    regimes = {r.id: r for r in load_rulebook().regimes}
    expected = {
        "ve-2017-2063-art6-monitoring": ("Council Regulation (EU) 2017/2063", "VE", "2017-11-14"),
        "ir-359-2011-art1b-monitoring": ("Council Regulation (EU) No 359/2011", "IR", "2012-03-24"),
        "mm-401-2013-art3b-monitoring": ("Council Regulation (EU) No 401/2013", "MM", "2018-04-27"),
        "sy-36-2012-art4-monitoring": ("Council Regulation (EU) No 36/2012", "SY", "2012-01-19"),
        "by-765-2006-monitoring": ("Council Regulation (EC) No 765/2006", "BY", "2021-06-25"),
        "ir-267-2012-art2-reapplied": ("Council Regulation (EU) No 267/2012", "IR", "2025-09-30"),
        "ru-833-2014-art2a-annex-vii": ("Council Regulation (EU) No 833/2014", "RU", "2022-02-26"),
        "kp-2017-1509-art5-armed-forces": ("Council Regulation (EU) 2017/1509", "KP", "2017-09-01"),
    }
    for rule_id, (act, country, start) in expected.items():
        regime = regimes[rule_id]
        assert regime.act == act
        assert regime.legal_basis[0].startswith(act + ", Art. ")
        assert regime.destinations is not None
        assert country in regime.destinations
        assert regime.validity.start is not None
        assert regime.validity.start.isoformat() == start
    assert regimes["ru-833-2014-art12g-no-re-export"].excluded_destinations >= {"US", "JP", "GB", "NO", "CH"}
    assert regimes["ru-833-2014-annex-iv-entities"].listed_in == "ru_833_annex_iv"


def test_embargoes_are_dated() -> None:
    embargoes = load_rulebook().embargoes
    assert all(e.validity.start is not None for e in embargoes)
    assert {"RU", "BY", "KP"} <= {e.country for e in embargoes if e.verified or e.country == "KP"}


@pytest.mark.parametrize(
    ("country", "covered", "before"),
    [
        # SIPRI: the EU's full arms embargo on Iran dates from April 2007 (Common Position 2007/246/CFSP),
        # not from Decision 2010/413/CFSP
        ("IR", date(2008, 6, 1), date(2007, 3, 1)),
        # Art. 2(19) counts binding Security Council embargoes: UNSCR 733 (23.1.1992) on Somalia, UNSCR 2127
        # (5.12.2013) on the Central African Republic, before the EU acts implementing them
        ("SO", date(2000, 1, 1), date(1992, 1, 22)),
        ("CF", date(2013, 12, 10), date(2013, 12, 4)),
        # Common Position 2002/829/CFSP (21.10.2002) on the DRC
        ("CD", date(2003, 1, 15), date(2002, 10, 20)),
        # UNSCR 1970 (26.2.2011) on Libya, UNSCR 1718 (14.10.2006) on North Korea
        ("LY", date(2011, 2, 27), date(2011, 2, 25)),
        ("KP", date(2006, 11, 1), date(2006, 10, 13)),
    ],
)
def test_arms_embargoes_start_with_the_first_act_that_imposed_them(
    country: str, covered: date, before: date
) -> None:
    embargo = next(e for e in load_rulebook().embargoes if e.country == country)
    assert embargo.applies(covered, EndUserType.COMMERCIAL)
    assert not embargo.applies(before, EndUserType.COMMERCIAL)


def test_national_controls_are_those_verified_with_their_sources() -> None:
    """Art. 9(1): the national lists shipped (ES, NL from Information Note C/2023/441; DK from its executive
    order in force 1 Jul 2025), each with a source; none is applied by another state (Art. 10) yet."""
    controls = {c.id: c for c in load_rulebook().national_controls}
    assert set(controls) == {"es-2023-1b1901", "nl-2023-3b1001", "dk-2025-national-list"}
    assert all(c.source and c.verified and not c.applied_by for c in controls.values())
    assert controls["dk-2025-national-list"].validity.start == date(2025, 7, 1)


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(shipped_rules_dir(), target)
    return target


def _edit(directory: Path, name: str, old: str, new: str) -> None:
    path = directory / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "old", "new", "where"),
    [
        ("rulebook.yaml", "    verified: true\n", "", "rulebook.yaml: art3-1-listed"),
        ("rulebook.yaml", 'legal_basis: ["Regulation (EU) 2021/821, Art. 3(1)"]',
         'legal_basis: ["Regulation (EU) 2021/821, Article 3"]', "rulebook.yaml: art3-1-listed"),
        ("rulebook.yaml", "outcome: licence_required", "outcome: maybe", "rulebook.yaml: art3-1-listed"),
        ("eugeas.yaml", "customs_code: X062", "customs_code: X999", "rules: EU002"),
        ("eugeas.yaml", "destinations: [AR, ZA, KR, TR]", "destinations: [AR, ZZ]", "eugeas.yaml: EU002"),
        ("sanctions.yaml", "valid_from: 2022-02-26", "valid_from: soon", "sanctions.yaml: ru-dual-use-export"),
        ("embargoes.yaml", "country: RU", "country: XX", "embargoes.yaml: XX"),
        ("eugeas.yaml", "notify: before_first_export, days: 10", "notify: before_first_export, days: ten",
         "eugeas.yaml: EU008"),
        ("eugeas.yaml", "notify: before_first_export, days: 10", "notify: sometime, days: 10",
         "eugeas.yaml: EU008"),
        ("eugeas.yaml", "all_except_groups: [annex_ii_section_a_part_2, annex_ii_section_h_part_2_b]",
         "all_except_groups: [nowhere]", "eugeas.yaml: EU008"),
        ("member_states.yaml", "choice: after_first_export", "choice: sometimes", "member_states.yaml: DK"),
        ("member_states.yaml", "registration_before_first_use: false", "registration_before_first_use: maybe",
         "member_states.yaml: DK"),
        ("sanctions_regimes.yaml", "kinds: [monitoring_interception_equipment]", "kinds: [spyware]",
         "sanctions_regimes.yaml: ve-2017-2063-art6-monitoring"),
        ("sanctions_regimes.yaml", "dates: true, consequence: true}", "dates: true}",
         "sanctions_regimes.yaml: ve-2017-2063-art6-monitoring"),
        ("sanctions_regimes.yaml", "customs_codes: []", "customs_codes: [X999]", "rules: ve-2017-2063-art6-monitoring"),
        ("sanctions_regimes.yaml", "consequence: authorisation_required", "consequence: maybe",
         "sanctions_regimes.yaml: ve-2017-2063-art6-monitoring"),
        ("sanctions_regimes.yaml", "destinations: [VE]", "destinations: [VZ]",
         "sanctions_regimes.yaml: ve-2017-2063-art6-monitoring"),
        ("sanctions_regimes.yaml", 'legal_basis: ["Council Regulation (EU) 2017/2063, Art. 6(1)"]',
         'legal_basis: ["Council Regulation (EU) 2017/2063, Article 6"]',
         "sanctions_regimes.yaml: ve-2017-2063-art6-monitoring"),
    ],
)  # fmt: skip
def test_bad_data_names_the_file_and_the_rule(
    tmp_path: Path, name: str, old: str, new: str, where: str
) -> None:
    directory = _copy(tmp_path)
    _edit(directory, name, old, new)
    with pytest.raises(ImportFailedError) as raised:
        load_rulebook(directory)
    file, rule = where.split(": ", 1)
    # the file, the line of the value that is wrong (when one value is: not for a check across files), the rule
    assert re.search(rf"^{re.escape(file)}(, line \d+)?: {re.escape(rule)}\b", str(raised.value)), (
        raised.value
    )


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    directory = _copy(tmp_path)
    (directory / "sanctions.yaml").unlink()
    with pytest.raises(ImportFailedError, match=r"sanctions\.yaml"):
        load_rulebook(directory)
    assert "sanctions.yaml" in FILES
