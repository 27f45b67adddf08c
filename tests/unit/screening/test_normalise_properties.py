"""Properties of name normalisation that hold for any text (Hypothesis)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from dualuse.domain.screening import EntitySchema
from dualuse.domain.screening.normalise import (
    fold,
    name_form,
    reference_name_form,
    simplify,
    skeleton,
    without_glued_legal_form,
)

SCHEMAS = st.sampled_from([None, *EntitySchema])
NAMES = st.text(
    alphabet=st.characters(categories=("L", "N", "Zs", "P"), exclude_characters="\x00"), max_size=40
)
LATIN_WORDS = st.lists(st.from_regex(r"[A-Za-z]{2,10}", fullmatch=True), min_size=1, max_size=5)


@settings(max_examples=300, deadline=None)
@given(NAMES, SCHEMAS)
def test_tokens_are_lower_case_ascii_letters_and_digits(raw: str, schema: EntitySchema | None) -> None:
    form = name_form(raw, schema)
    for token in form.tokens:
        assert token
        assert token.isascii()
        assert token.isalnum()
        assert token == token.lower()


@settings(max_examples=300, deadline=None)
@given(NAMES, SCHEMAS)
def test_normalising_is_stable(raw: str, schema: EntitySchema | None) -> None:
    """The same text always gives the same tokens (the caches must not change the answer)."""
    assert name_form(raw, schema) == name_form(raw, schema)
    assert fold(raw) == fold(fold(raw))


@settings(max_examples=200, deadline=None)
@given(LATIN_WORDS)
def test_case_and_punctuation_do_not_matter_to_an_organisation(words: list[str]) -> None:
    plain = " ".join(words)
    shouted = ", ".join(w.upper() for w in words)
    schema = EntitySchema.ORGANIZATION
    assert name_form(plain, schema).tokens == name_form(shouted, schema).tokens


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.from_regex(r"[A-Z]", fullmatch=True), min_size=2, max_size=5),
    st.from_regex(r"[A-Z][a-z]{3,9}", fullmatch=True),
)
def test_dotted_abbreviation_is_the_same_as_written_together(letters: list[str], word: str) -> None:
    schema = EntitySchema.ORGANIZATION
    dotted = name_form(".".join(letters) + ". " + word, schema).tokens
    together = name_form("".join(letters) + " " + word, schema).tokens
    assert dotted == together


@settings(max_examples=200, deadline=None)
@given(
    st.from_regex(r"(?:[bdfgkmnprstvz][aeiou]){2,5}", fullmatch=True),
    st.sampled_from(["ltd", "llc", "gmbh", "limited", "ooo", "inc", "bhd", "jsc", "sarl"]),
)
def test_a_legal_form_written_together_is_cut_off_as_written_apart(word: str, form: str) -> None:
    """Among the ways of cutting a form off (a name's end and the form may make a longer form:
    "babu" + "ltd" or "bab" + "ultd") is the name as written apart."""
    written_apart = name_form(f"{word} {form}", EntitySchema.ORGANIZATION).tokens
    assert written_apart in without_glued_legal_form(word + form)


@settings(max_examples=300, deadline=None)
@given(st.from_regex(r"[a-z]{1,15}", fullmatch=True))
def test_spelling_keys_are_short_ascii_and_stable(token: str) -> None:
    for key in (simplify(token), skeleton(token)):
        assert key
        assert key.isascii()
        assert len(key) <= 2 * len(token)  # "x" becomes "ks"
    assert skeleton(token) == skeleton(token)


# words that set off the whole-name rules (honorifics, articles, legal forms, number words, particles),
# in the cases and spellings lists write them, and words of other scripts
RULE_WORDS = st.sampled_from(
    [
        "Dr", "dr.", "Mr", "Sheikh", "Haji", "General", "Associate", "Professor", "Prof. Dr", "Rt. Hon.",
        "His", "Excellency", "The", "La", "le", "LLC", "Ltd.", "Limited", "Liability", "Company", "Co",
        "GmbH", "Gesellschaft", "mit", "beschränkter", "Haftung", "S.A.", "S.A.R.L.", "OOO", "ООО", "ОАО",
        "Aktiengesellschaft", "AG", "Sá", "As", "Inc", "Corporation", "Corp", "JSC", "Joint", "Stock",
        "Twenty", "one", "First", "44th", "1st", "ibn", "Bin", "BEN", "bint", "binti", "Forty-Four",
        "Мухаммад", "محمد", "李", "Αθήνα", "Sa'ud", "Myo’ng", "(Hong Kong)", "[born 1960]", "A.B.C.", "/",
    ]
)  # fmt: skip
MIXED_NAMES = st.lists(
    st.one_of(
        RULE_WORDS, st.text(alphabet=st.characters(categories=("L", "N", "P")), min_size=1, max_size=8)
    ),
    min_size=1,
    max_size=6,
).map(" ".join)


@settings(max_examples=500, deadline=None)
@given(st.one_of(NAMES, MIXED_NAMES), SCHEMAS)
def test_name_form_equals_the_whole_name_path(raw: str, schema: EntitySchema | None) -> None:
    """Folding word by word and running the whole-name rules only where a word sets one off gives
    the tokens and legal forms of doing every step on the whole name, in any script."""
    assert name_form(raw, schema) == reference_name_form(raw, schema)
