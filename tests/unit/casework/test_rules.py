"""Flagging and routing rules as data (issue 19): the shipped rules load with a source and a verified mark;
a rule raises a flag on the subjects its conditions held for; routing takes the first rule that holds;
unknown conditions, levels and teams are refused when the rules are loaded, not when a case is flagged."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dualuse.adapters.sources.casework_rules import load_casework_rules, shipped_casework_dir
from dualuse.domain import casework as cw
from dualuse.domain.duediligence.risk import RiskLevel
from dualuse.domain.errors import ConflictError, ImportFailedError, ValidationError

RULES = load_casework_rules()


def facts(
    *,
    hits: int = 0,
    cyber: bool = False,
    risk: RiskLevel = RiskLevel.UNKNOWN,
    party_type: str = "commercial",
    on_list: bool | None = True,
    end_user_risk: RiskLevel = RiskLevel.UNKNOWN,
) -> cw.CaseFacts:
    return cw.CaseFacts(
        case_id="7",
        exporter_id="3",
        items=(cw.ItemFacts("5A001.j", cyber, on_list),),
        parties=(
            cw.PartyFacts("Acme Telecom", "end_user", "AE", party_type, hits, end_user_risk),
            cw.PartyFacts("Forwarder Ltd", "intermediary", "TR", "commercial", 0),
        ),
        destination_risk={"AE": risk},
    )


def raised(case: cw.CaseFacts) -> set[tuple[str, str, bool]]:
    return {(p.rule_id, p.subject, p.blocking) for p in cw.evaluate_flags(RULES.flag_rules, case)}


def test_every_shipped_rule_names_its_source_and_whether_it_was_verified() -> None:
    assert RULES.flag_rules
    for rule in (*RULES.flag_rules, *RULES.routing_rules):
        assert rule.source.strip()
        assert isinstance(rule.verified, bool)


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        # Art. 15(1)(b): a party matched on a sanctions list: blocking, on that party only
        (facts(hits=1), {("sanctions-hit", "Acme Telecom", True)}),
        # Art. 5(1), 15(1): a cyber-surveillance item to a destination rated high
        (facts(cyber=True, risk=RiskLevel.HIGH), {("cyber-high-risk", "AE", True)}),
        (facts(cyber=True, risk=RiskLevel.VERY_HIGH), {("cyber-high-risk", "AE", True)}),
        (facts(cyber=True, risk=RiskLevel.ELEVATED), set()),
        (facts(cyber=False, risk=RiskLevel.HIGH), set()),
        (facts(end_user_risk=RiskLevel.HIGH), {("end-user-high-risk", "Acme Telecom", False)}),
        # Annex I: a code not in the list in force; None (no list to check against) raises nothing
        (facts(on_list=False), {("code-not-on-list", "5A001.j", False)}),
        (facts(on_list=None), set()),
        (facts(party_type="military"), {("military-end-user", "Acme Telecom", False)}),
        (facts(), set()),
    ],
)
def test_flagging_rules(case: cw.CaseFacts, expected: set[tuple[str, str, bool]]) -> None:
    assert raised(case) == expected


def test_routing_takes_the_first_rule_that_holds() -> None:
    with_hit = cw.CaseFacts(
        case_id="1",
        exporter_id="2",
        items=(cw.ItemFacts("5A001.j", True, True),),
        active_flag_rules=frozenset({"sanctions-hit"}),
    )
    assert cw.route(RULES.routing_rules, with_hit, RULES.default_team) == ("sanctions", "route-sanctions")
    cyber = cw.CaseFacts(case_id="1", exporter_id="2", items=(cw.ItemFacts("5A001.j", True, True),))
    assert cw.route(RULES.routing_rules, cyber, RULES.default_team) == ("cyber", "route-cyber")
    plain = cw.CaseFacts(case_id="1", exporter_id="2", items=(cw.ItemFacts("3A001.a.5", False, True),))
    assert cw.route(RULES.routing_rules, plain, RULES.default_team) == ("licensing", "")


def _copy(tmp_path: Path, name: str, text: str) -> Path:
    for source in shipped_casework_dir().glob("*.yaml"):
        (tmp_path / source.name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        (
            "flagging_rules.yaml",
            "rules:\n  - {id: x, label: X, level: party, blocking: true, when: {full_moon: true}, source: s, verified: false}\n",
            "unknown condition",
        ),
        (
            "flagging_rules.yaml",
            "rules:\n  - {id: x, label: X, level: planet, blocking: true, when: {party_screening_hit: true}, source: s, verified: false}\n",
            "unknown level",
        ),
        (
            "flagging_rules.yaml",
            "rules:\n  - {id: x, label: X, level: party, blocking: true, when: {party_screening_hit: true}, verified: false}\n",
            "source",
        ),
        (
            "flagging_rules.yaml",
            "rules:\n  - {id: x, label: X, level: party, blocking: yes-ish, when: {party_screening_hit: true}, source: s, verified: false}\n",
            "blocking",
        ),
        (
            "flagging_rules.yaml",
            "rules:\n  - {id: x, label: X, level: party, blocking: true, when: {destination_risk_at_least: dire}, source: s, verified: false}\n",
            "risk level",
        ),
        (
            "routing_rules.yaml",
            "default_team: licensing\nteams: [{id: licensing, name: L}]\nrules:\n  - {id: r, team: ghosts, when: {cyber_surveillance_item: true}, source: s, verified: false}\n",
            "no team",
        ),
        (
            "routing_rules.yaml",
            "default_team: licensing\nteams: [{id: licensing, name: L}]\nrules:\n  - {id: r, team: licensing, when: {flag: nonexistent}, source: s, verified: false}\n",
            "no flagging rule",
        ),
        ("time_limits.yaml", "source: s\nverified: false\ndefault: {submitted: 0}\n", "1 to 365"),
    ],
)
def test_bad_rules_are_refused_when_loaded(tmp_path: Path, name: str, text: str, message: str) -> None:
    with pytest.raises(ImportFailedError, match=message):
        load_casework_rules(_copy(tmp_path, name, text))


def test_a_state_without_its_own_limits_uses_the_default() -> None:
    assert RULES.limits_for("DE")["under_assessment"] == 20
    assert RULES.limits_for("MT") == RULES.limits_for("default")


def _file(status: str = "submitted", since: datetime | None = None) -> cw.CaseFile:
    return cw.CaseFile(
        case_id=7,
        member_state="DE",
        team="licensing",
        routed_by="",
        assignee="",
        status=status,
        status_since=since or datetime(2026, 12, 1, 9, tzinfo=UTC),
    )


@given(
    days=st.integers(min_value=1, max_value=365),
    status=st.sampled_from(["submitted", "under_assessment", "recommended"]),
)
def test_the_deadline_is_the_status_start_plus_the_states_limit(days: int, status: str) -> None:
    limits = cw.TimeLimits("DE", {status: days}, "test", False)
    since = datetime(2026, 12, 1, 9, tzinfo=UTC)
    assert cw.deadline(_file(status, since), limits) == since + timedelta(days=days)
    assert cw.deadline(_file("awaiting_exporter", since), limits) is None


@pytest.mark.parametrize("days", [0, 366, -1, True, "5"])
def test_a_time_limit_out_of_range_is_refused(days: object) -> None:
    with pytest.raises(ValidationError):
        cw.TimeLimits("DE", {"submitted": days}, "test", False)  # type: ignore[dict-item]


def test_a_flag_is_cleared_once_with_a_reason_and_then_no_longer_blocks() -> None:
    file, event = cw.raise_flag(
        _file(), level="party", subject="Acme", label="Check", blocking=True, raised_by="o", reason="why"
    )
    assert event.name == "FlagRaised"
    assert file.version == 2
    assert [f.id for f in file.blocking_flags] == [1]
    with pytest.raises(ValidationError):
        cw.clear(file, 1, actor_id="o", reason="  ")
    with pytest.raises(ConflictError):
        cw.clear(file, 1, actor_id="o", reason="ok", expected_version=1)
    cleared, event = cw.clear(file, 1, actor_id="o", reason="false positive")
    assert (event.name, event.before, event.after) == (
        "FlagCleared",
        cw.FlagStatus.ACTIVE,
        cw.FlagStatus.CLEARED,
    )
    assert cleared.blocking_flags == ()
    with pytest.raises(ConflictError):
        cw.clear(cleared, 1, actor_id="o", reason="again")


def test_a_person_raising_a_flag_says_why_and_a_rule_flag_is_not_raised_twice() -> None:
    with pytest.raises(ValidationError):
        cw.raise_flag(_file(), level="case", subject="7", label="x", blocking=False, raised_by="o", reason="")
    with pytest.raises(ValidationError):
        cw.raise_flag(
            _file(), level="moon", subject="7", label="x", blocking=False, raised_by="o", reason="r"
        )
    file, _ = cw.raise_flag(
        _file(),
        level="party",
        subject="A",
        label="x",
        blocking=True,
        raised_by="system",
        reason="",
        rule_id="r1",
    )
    with pytest.raises(ConflictError):
        cw.raise_flag(
            file,
            level="party",
            subject="A",
            label="x",
            blocking=True,
            raised_by="system",
            reason="",
            rule_id="r1",
        )


@given(
    hits=st.lists(st.integers(min_value=0, max_value=3), min_size=1, max_size=5),
    cyber=st.booleans(),
    risk=st.sampled_from(list(RiskLevel)),
)
def test_a_sanctions_flag_is_raised_exactly_for_the_parties_with_a_hit(
    hits: list[int], cyber: bool, risk: RiskLevel
) -> None:
    parties = tuple(cw.PartyFacts(f"P{i}", "end_user", "AE", "commercial", h) for i, h in enumerate(hits))
    case = cw.CaseFacts("1", "2", (cw.ItemFacts("5A001.j", cyber, True),), parties, {"AE": risk})
    flagged = {p.subject for p in cw.evaluate_flags(RULES.flag_rules, case) if p.rule_id == "sanctions-hit"}
    assert flagged == {f"P{i}" for i, h in enumerate(hits) if h > 0}


def test_a_statement_is_signed_once_with_the_declaration_and_in_force_for_its_validity() -> None:
    statement, event = cw.new_statement(
        "EUS-DE-2026-000001",
        case_id=1,
        member_state="DE",
        exporter="Acme",
        end_user="Operadora",
        country="BR",
        items=("5A001.j: system (2 pieces)",),
        end_use="network",
        requested_by="acme",
    )
    assert event.name == "StatementRequested"
    now = datetime(2026, 12, 5, 10, tzinfo=UTC)
    with pytest.raises(ValidationError):
        cw.sign_statement(statement, signer="Ana", title="CTO", declared=False, now=now, today=now.date())
    with pytest.raises(ValidationError):
        cw.sign_statement(statement, signer=" ", title="CTO", declared=True, now=now, today=now.date())
    signed, event = cw.sign_statement(
        statement, signer="Ana", title="CTO", declared=True, now=now, today=now.date(), validity_days=30
    )
    assert (event.before, event.after) == (cw.StatementStatus.AWAITING_SIGNATURE, cw.StatementStatus.SIGNED)
    assert signed.in_force(now.date())
    assert signed.in_force(now.date() + timedelta(days=30))
    assert not signed.in_force(now.date() + timedelta(days=31))
    with pytest.raises(ConflictError):
        cw.sign_statement(signed, signer="Ana", title="CTO", declared=True, now=now, today=now.date())
    withdrawn, _ = cw.withdraw_statement(signed, actor="acme")
    assert not withdrawn.in_force(now.date())
    assert cw.statement_number("DE", 2026, 7) == "EUS-DE-2026-000007"
