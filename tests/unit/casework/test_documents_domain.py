"""Documents of the casework as data (issue 19, point 4): each state's letter wording and appeal route with
its source, falling back to the EU default where a state has none; end-user statement templates per state,
with the EU model for the others; the kinds and titles of supporting documents."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dualuse.adapters.sources.casework_rules import load_casework_rules, shipped_casework_dir
from dualuse.adapters.sources.statement_templates import load_statement_templates
from dualuse.domain.casework.rules import WORDING_KEYS, LetterText
from dualuse.domain.casework.supporting import SupportingKind, supporting_kind, supporting_title
from dualuse.domain.errors import ImportFailedError, ValidationError
from dualuse.domain.union import EU_MEMBER_STATES

RULES = load_casework_rules()
TEMPLATES = load_statement_templates()


@pytest.mark.parametrize(
    ("state", "language", "own", "refusal_title"),
    [
        ("DE", "de", True, "Ablehnung Ihres Antrags auf Ausfuhrgenehmigung"),
        ("FR", "fr", True, "Refus de votre demande de licence d'exportation"),
        ("NL", "nl", True, "Weigering van uw aanvraag voor een uitvoervergunning"),
        ("IT", "en", False, "Refusal of your application for an export authorisation"),
    ],
)
def test_each_state_writes_its_letters_in_its_wording_or_the_eu_default(
    state: str, language: str, own: bool, refusal_title: str
) -> None:
    text = RULES.letter_text(state)
    assert (text.state == state) is own
    assert text.language == language
    assert text.say("refusal_title") == refusal_title
    assert all(text.say(key) for key in WORDING_KEYS)  # a missing part falls back to the default's
    assert text.appeal_source  # Art. 16 leaves the remedy to national law: every route names its basis
    assert text.verified is False  # written from memory of the national codes, not checked


def test_a_states_missing_wording_is_the_defaults() -> None:
    default = RULES.letter_text("IT")
    assert RULES.letter_text("DE").say("no_licence_basis") == default.say("no_licence_basis")
    assert "Art. 3(1)" in default.say("no_licence_basis")


def test_unknown_wording_is_refused() -> None:
    with pytest.raises(ValidationError, match="unknown wording"):
        LetterText("c", "a", "s", False, wording={"greeting": "Hello"})


def test_a_default_wording_without_every_part_is_refused(tmp_path: Path) -> None:
    for source in shipped_casework_dir().glob("*.yaml"):
        (tmp_path / source.name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    letters = tmp_path / "letters.yaml"
    text = letters.read_text(encoding="utf-8")
    letters.write_text(text.replace("    ruling_title: Ruling on your enquiry\n", ""), encoding="utf-8")
    with pytest.raises(ImportFailedError, match="ruling_title"):
        load_casework_rules(tmp_path)


@given(st.sampled_from(sorted(EU_MEMBER_STATES)))
def test_every_member_state_has_a_statement_template(state: str) -> None:
    template = TEMPLATES.for_state(state.lower())
    assert template.state == (state if TEMPLATES.own(state) else "EU")
    assert template.required


@given(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=2, max_size=2))
def test_a_code_that_is_no_member_state_has_no_template(code: str) -> None:
    if code in EU_MEMBER_STATES or code == "EU":
        assert TEMPLATES.for_state(code).state in (code, "EU")
    else:
        with pytest.raises(ValidationError):
            TEMPLATES.for_state(code)


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("contract", SupportingKind.CONTRACT),
        ("technical_specification", SupportingKind.TECHNICAL_SPECIFICATION),
        ("other", SupportingKind.OTHER),
    ],
)
def test_the_kinds_of_supporting_document(kind: str, expected: SupportingKind) -> None:
    assert supporting_kind(kind) is expected
    assert expected.label


@pytest.mark.parametrize("kind", ["", "invoice", "CONTRACT"])
def test_an_unknown_kind_is_refused(kind: str) -> None:
    with pytest.raises(ValidationError) as refused:
        supporting_kind(kind)
    assert refused.value.field == "kind"


@given(st.text(max_size=300), st.text(min_size=1, max_size=50).filter(lambda s: s.strip()))
def test_a_title_is_what_was_given_or_the_files_name_and_never_too_long(given_title: str, name: str) -> None:
    if len(" ".join(given_title.split())) > 200:
        with pytest.raises(ValidationError) as refused:
            supporting_title(given_title, name)
        assert refused.value.field == "title"
        return
    title = supporting_title(given_title, name)
    assert 0 < len(title) <= 200
    assert title == (" ".join(given_title.split()) or " ".join(name.split()))
