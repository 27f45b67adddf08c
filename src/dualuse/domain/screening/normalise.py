"""Normalisation of names and secondary facts for screening.

Names in any script are transliterated to ASCII (rigour), case-folded and split into tokens; person
names lose their honorifics, organisation names their legal forms (kept aside: "Gazprom OOO" and
"ООО Газпром" are both the tokens ``gazprom`` with legal form ``ooo``). Each token also has keys that
survive spelling variation: a phonetic key (metaphone) and a consonant skeleton, which is what a
vowel-less transliteration from Arabic script leaves (``محمد`` → ``mhmd`` ~ ``mohammed``).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from fingerprints.types import replace_types
from fingerprints.types.replacer import get_replacer
from rapidfuzz.distance import OSA
from rigour._core import org_name_prefixes_list, person_name_prefixes_list  # no public accessor
from rigour.names import extract_org_types, remove_org_prefixes, remove_org_types, remove_person_prefixes
from rigour.territories import lookup_territory
from rigour.text.phonetics import metaphone
from rigour.text.translit import ascii_text

from dualuse.domain.screening.model import EntitySchema

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
# apostrophes and ayn/hamza marks sit inside one name part: "Sa'ud", "Myo’ng"
# ("?" is what the transliterator leaves for an ayn it cannot spell)
_INNER_MARKS = str.maketrans("", "", "'`’‘ʼʻʿʾ?")
_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_VOWELS = str.maketrans("", "", "aeiouyw")  # w and y also write the long vowels of Arabic
_REPEATS = re.compile(r"(.)\1+")
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
# single letters each followed by a dot, written together: "A.B.C.", "N.A.", "G.m.b.H."
_DOTTED = re.compile(r"(?<![^\W\d_])(?:[^\W\d_]\.){2,}(?:[^\W\d_](?![^\W\d_]))?")
_ORDINAL_SUFFIX = re.compile(r"^(\d+)(?:st|nd|rd|th)$")
#: a legal form written together with the name before it, and that name, are this long at least
_MIN_GLUED_FORM_LEN = 3
_MIN_UNGLUED_LEN = 3

# number words written out, so that "First" meets "1st" and "Forty-Four" meets "44" (English, as the
# lists write them); tens followed by a unit are one number
_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90, "twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50,
}  # fmt: skip
# "ibn", "bin", "ben" and "bint" say "son/daughter of" in Arabic names, spelled as the transliterator likes
_PARTICLES = {"ibn": "bin", "ben": "bin", "bn": "bin", "ibni": "bin", "binti": "bint"}

# Honorifics and religious or military titles common on sanctions lists that rigour's
# person-prefix list does not strip; they say nothing about who the person is.
_PERSON_TITLES = frozenset(
    {
        "haji",
        "hajji",
        "mullah",
        "mulla",
        "maulavi",
        "mawlawi",
        "maulvi",
        "sheikh",
        "shaikh",
        "sheik",
        "qari",
        "hafiz",
        "imam",
        "general",
        "gen",
        "colonel",
        "col",
        "major",
        "captain",
        "capt",
        "lt",
    }
)


@dataclass(frozen=True, slots=True)
class NameForm:
    """A name as the matcher sees it: ASCII tokens without honorifics or legal forms."""

    original: str
    tokens: tuple[str, ...]
    legal_forms: tuple[str, ...] = ()

    @property
    def compact(self) -> str:
        return "".join(self.tokens)


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """Transliterate to ASCII, case-fold and reduce everything but letters and digits to single spaces."""
    return _NON_ALNUM.sub(" ", _ascii(text.translate(_INNER_MARKS)).lower().translate(_INNER_MARKS)).strip()


def _ascii(text: str) -> str:
    """`ascii_text`, word by word: ASCII text is left as it is (the transliterator would leave it so), and
    the words of other scripts, which recur from name to name, are transliterated once each."""
    if text.isascii():
        return text
    return " ".join(_ascii_word(word) for word in text.split())


@lru_cache(maxsize=100_000)
def _ascii_word(word: str) -> str:
    return ascii_text(word)


def load_reference_data() -> None:
    """Load the territory names and the transliterator now rather than on the first query that needs them."""
    lookup_territory("de")
    ascii_text("Щ ش 李")


#: what a ship's papers write before its name: motor vessel, tanker, yacht or ship, steamship, fishing vessel
#: ("M/V GRACEFUL", "MT ALVAN", "M.Y. AMADEA"), folded; a vessel's name is what follows (something must)
_VESSEL_PREFIX = re.compile(r"^(?:m ?[vtys]|mts|ss|fv) (?=\S)")
#: written with a slash, the prefix says a vessel is meant even where the query does not say so
_SLASHED_VESSEL = re.compile(r"^\s*M\s*/\s*[VTYS]\b", re.IGNORECASE)


def name_form(text: str, schema: EntitySchema | None = None) -> NameForm:
    """Normalise a name of a person, organisation or object into tokens.

    With no schema (a party of unknown kind) both honorifics and legal forms are removed, as long as
    something is left of the name.

    Names are folded word by word, each distinct word once (a million listed names share a vocabulary
    of some tens of thousands of words), and the whole-name rules (honorifics, legal forms, number
    words) run only where a word of the name could set one off; the tokens are those of
    `reference_name_form`, which does every step on the whole name.
    """
    return _name_form(text, schema, _fold_by_word, _strip_titles_if_any, _org_words_if_any, _words_if_any)


def reference_name_form(text: str, schema: EntitySchema | None = None) -> NameForm:
    """`name_form` with every step done on the whole name: slower, and what `name_form` must equal."""
    return _name_form(text, schema, fold, _strip_titles, _org_words, _words)


def _name_form(
    text: str,
    schema: EntitySchema | None,
    fold_name: Callable[[str], str],
    strip_titles: Callable[[str], str],
    org_words: Callable[[str], str],
    words: Callable[[str], tuple[str, ...]],
) -> NameForm:
    organisation = may_be_organisation(schema)
    # a company's bracket says where it is ("Bank of China (Hong Kong)"): part of its name; a person's
    # holds remarks ("(born 1960)")
    cleaned = (
        _BRACKETS.sub(_bracket_kept if schema == EntitySchema.ORGANIZATION else " ", text)
        if "(" in text or "[" in text
        else text
    )
    if organisation and "." in cleaned:
        cleaned = _DOTTED.sub(_undot, cleaned)
    folded = fold_name(cleaned) or fold_name(text)
    if schema == EntitySchema.VESSEL or (
        schema in (EntitySchema.UNKNOWN, None) and _SLASHED_VESSEL.match(text)
    ):
        folded = _VESSEL_PREFIX.sub("", folded, count=1)
    legal_forms: tuple[str, ...] = ()
    if schema == EntitySchema.PERSON:
        folded = strip_titles(folded)
    elif schema in (EntitySchema.UNKNOWN, None):
        folded = _titles_stripped_from_a_name_of_any_kind(folded, strip_titles)
    if organisation:
        folded = _type_words_spelt(folded)
        # legal forms are stripped as written and once more in one spelling: fingerprints writes some
        # that rigour strips in a spelling it does not ("PJSC" and "PAO" as "rao", "Public Joint Stock
        # Company" as "public ao"), and writes others in one that it does
        folded, legal_forms = _legal_forms_stripped(folded, schema)
        folded = org_words(folded)
        folded, more = _legal_forms_stripped(folded, schema)
        legal_forms = tuple(sorted({*legal_forms, *more}))
    return NameForm(original=text, tokens=words(folded), legal_forms=legal_forms)


def _titles_stripped_from_a_name_of_any_kind(folded: str, strip_titles: Callable[[str], str]) -> str:
    """A name of unknown kind without its honorifics where it reads as a person's: two name parts or
    more left and no legal form or type word ("General Ali Hassan" → "ali hassan"); a company's name keeps its first
    word ("General Dynamics", "President Hotel", "General Electric Company")."""
    stripped = strip_titles(folded)
    if (
        stripped == folded
        or len(stripped.split()) < 2
        or not _single_type_words().isdisjoint(folded.split())
        or _strip_legal_forms(folded)[1]
    ):
        return folded
    return stripped


@lru_cache(maxsize=1)
def _single_type_words() -> frozenset[str]:
    """The words that fingerprints writes as a type on their own ("company" → "co", "export" → "exp"): a
    name holding one is an organisation's."""
    replaced: dict[str, str] = get_replacer().replacements  # type: ignore[attr-defined]  # the table
    return frozenset(form for form in replaced if form.isalpha())


def _legal_forms_stripped(folded: str, schema: EntitySchema | None) -> tuple[str, tuple[str, ...]]:
    if schema == EntitySchema.ORGANIZATION:
        return _strip_legal_forms(folded)
    # a name of unknown kind: "Sá", "Ag" and "As" are names as well as legal forms, so strip only the
    # unambiguous ones
    stripped, forms = _strip_legal_forms(folded)
    if all(len(f) >= 3 for f in forms):
        return stripped, forms
    return folded, ()


def may_be_organisation(schema: EntitySchema | None) -> bool:
    """Whether a name of this schema may be an organisation's, and so lose its legal forms."""
    return schema in (EntitySchema.ORGANIZATION, EntitySchema.UNKNOWN, None)


@lru_cache(maxsize=100_000)
def without_glued_legal_form(token: str) -> tuple[tuple[str, ...], ...]:
    """The tokens of what may be left of a token that ends in a legal form written together with the
    name before it ("factoringltd" → "factoring", "enterpriseltd" → "ent", as `name_form` writes
    "enterprise"), the longest form first ("babultd": "bab" + "ultd", "babu" + "ltd"); none where it
    ends in no form.

    The form is one that names lose (`name_form`) and is 3 letters at least, as `name_form` strips of a
    name of unknown kind ("sa" or "as" ends too many names); what is left is 3 letters at least."""
    return tuple(
        name_form(token[:cut], EntitySchema.ORGANIZATION).tokens
        for cut in range(_MIN_UNGLUED_LEN, len(token) - _MIN_GLUED_FORM_LEN + 1)
        if not remove_org_types(token[cut:]).strip()
    )


#: a type word written together with the name before it is read in its short spelling from this length on
_MIN_GLUED_TYPE_LEN = 6


def _fold_by_word(text: str) -> str:
    """`fold`, word by word: the same string, as no step of folding reaches across a space."""
    marked = text.translate(_INNER_MARKS)
    # `fold` transliterates every word of a text that is not all ASCII, and no word of one that is
    fold_word = _fold_ascii_word if marked.isascii() else _fold_word
    return " ".join([folded for word in marked.split() if (folded := fold_word(word))])


@lru_cache(maxsize=300_000)
def _fold_ascii_word(word: str) -> str:
    return _NON_ALNUM.sub(" ", word.lower()).strip()


@lru_cache(maxsize=300_000)
def _fold_word(word: str) -> str:
    return _NON_ALNUM.sub(" ", _ascii_word(word).lower().translate(_INNER_MARKS)).strip()


def _first_words(phrases: Iterable[str]) -> frozenset[str]:
    return frozenset(p.lower().split()[0] for p in phrases if p.strip())


@lru_cache(maxsize=1)
def _triggers() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """The words that can start an honorific (rigour), an article before a company name (rigour), and
    the words of the legal-form spellings that fingerprints replaces: a folded name holding none of
    them is left as it is by that step. Read from the libraries, so their updates count."""
    replaced = get_replacer().replacements  # type: ignore[attr-defined]  # the Replacer's table
    type_words = frozenset(w for form in replaced for w in _NON_ALNUM.split(form.lower()) if w)
    return (
        _first_words(person_name_prefixes_list()),
        _first_words(org_name_prefixes_list()),
        type_words,
    )


#: a type word is read in a word one letter off it where the type word is this long at least ("compay",
#: "comany", "limted"); shorter ones are too near other words ("expert" / "export", "berhan" / "berhad")
_MIN_MISSPELT_TYPE_LEN = 7


def one_letter_deletions(token: str, *, itself: bool = False) -> set[str]:
    """The token less one letter, each way (and with ``itself``, the token too): two strings one edit
    apart share one of these keys (SymSpell)."""
    found = {token[:i] + token[i + 1 :] for i in range(len(token))}
    if itself:
        found.add(token)
    return found


@lru_cache(maxsize=1)
def _misspelt_types() -> dict[str, frozenset[str]]:
    """The one-word type words (`_single_type_words`) of `_MIN_MISSPELT_TYPE_LEN` letters or more, keyed
    by each of their one-letter deletions and themselves (`one_letter_deletions`)."""
    keys: dict[str, set[str]] = {}
    for form in _single_type_words():
        if len(form) >= _MIN_MISSPELT_TYPE_LEN:
            for key in one_letter_deletions(form, itself=True):
                keys.setdefault(key, set()).add(form)
    return {key: frozenset(forms) for key, forms in keys.items()}


def _type_words_spelt(folded: str) -> str:
    """An organisation's name with a word one letter off a type word (a letter missing, wrong, added or
    two swapped: "PROGRESS SHIPPING COMPAY", "DUBAI TRADING COMANY") written as that type word, so that
    it becomes the legal form or short type word the correct spelling would."""
    words = folded.split()
    if not any(len(word) >= _MIN_MISSPELT_TYPE_LEN - 1 for word in words):
        return folded
    return " ".join(_type_word_spelt(word) for word in words)


@lru_cache(maxsize=100_000)
def _type_word_spelt(word: str) -> str:
    """The type word that ``word`` is a misspelling of (`_type_words_spelt`), if exactly one; else ``word``."""
    if len(word) < _MIN_MISSPELT_TYPE_LEN - 1 or not word.isalpha() or word in _single_type_words():
        return word
    keys = _misspelt_types()
    found = {
        form
        for key in one_letter_deletions(word, itself=True)
        for form in keys.get(key, ())
        if OSA.distance(word, form, score_cutoff=1) <= 1
    }
    return next(iter(found)) if len(found) == 1 else word


@lru_cache(maxsize=1)
def _glued_types() -> tuple[re.Pattern[str], dict[str, str]]:
    """The type words of one word, six letters or more, that fingerprints writes shorter ("export" →
    "exp", "international" → "intl"), also as `simplify` writes them, found where they end a longer
    token: four letters or more before."""
    replaced: dict[str, str] = get_replacer().replacements  # type: ignore[attr-defined]  # the table
    forms = {
        form: short
        for form, short in replaced.items()
        if len(form) >= _MIN_GLUED_TYPE_LEN and form.isalpha() and short.isalpha()
    }
    # and as `simplify` writes them ("eksport" → "eksp"), for names compared in that spelling
    forms.update(
        {simplify(form): simplify(short) for form, short in forms.items() if simplify(form) not in forms}
    )
    alternatives = "|".join(sorted(forms, key=lambda form: (-len(form), form)))
    return re.compile(rf"(?<=[a-z0-9]{{4}})({alternatives})$"), forms


@lru_cache(maxsize=300_000)
def glued_type_written_apart(token: str) -> str:
    """A token that ends in a type word written together with the name before it, that word in the
    spelling `name_form` gives it written apart ("rosoboronexport" → "rosoboronexp", as "Rosoboron
    Export" is "rosoboron exp"); any other token as it is. For comparing names written together."""
    if len(token) < _MIN_GLUED_TYPE_LEN + 4:
        return token
    pattern, forms = _glued_types()
    return pattern.sub(lambda match: forms[match.group(1)], token)


def _strip_titles_if_any(folded: str) -> str:
    tokens = folded.split(" ", 1)
    if tokens[0] in _triggers()[0] or tokens[0] in _PERSON_TITLES:
        return _strip_titles(folded)
    return folded


def _org_words_if_any(folded: str) -> str:
    _, articles, type_words = _triggers()
    tokens = folded.split()
    if (tokens and tokens[0] in articles) or not type_words.isdisjoint(tokens):
        return _org_words(folded)
    return folded


_WORD_TRIGGERS = frozenset([*_UNITS, *_TENS, *_PARTICLES])


def _words_if_any(folded: str) -> tuple[str, ...]:
    tokens = folded.split()
    if _WORD_TRIGGERS.isdisjoint(tokens) and not any(t[0].isdigit() for t in tokens):
        return tuple(tokens)
    return _words(folded)


def _bracket_kept(match: re.Match[str]) -> str:
    """A company's bracket that says where it is ("Bank of China (Hong Kong)") is part of its name;
    a longer one, or one that names a former name, is a remark ("(formerly ACME Trading)")."""
    inner = match.group(0)[1:-1]
    words = inner.split()
    if len(words) > 2 or not words or words[0].lower().strip(".:") in _BRACKET_REMARKS:
        return " "
    return f" {inner} "


_BRACKET_REMARKS = frozenset({"formerly", "fka", "f.k.a", "aka", "a.k.a", "previously", "ex", "in", "now"})


def _undot(match: re.Match[str]) -> str:
    return match.group(0).replace(".", "")


@lru_cache(maxsize=100_000)
def _org_words(folded: str) -> str:
    """Legal forms in one spelling ("Corporation" and "Corp." → ``corp``, fingerprints), without a
    leading article ("The World Bank", rigour)."""
    replaced = " ".join(replace_types(folded).split())
    without = " ".join(remove_org_prefixes(replaced).split())
    return without or replaced or folded


@lru_cache(maxsize=100_000)
def _words(folded: str) -> tuple[str, ...]:
    """The tokens of a folded name, with number words as digits and Arabic particles in one spelling."""
    tokens = folded.split()
    if not any(
        t in _UNITS or t in _TENS or t in _PARTICLES or (t[0].isdigit() and t[-2:] in _SUFFIXES)
        for t in tokens
    ):
        return tuple(tokens)
    words: list[str] = []
    # a tens word followed by a unit as a word or a digit is one number ("forty-four", "forty 4"); tens
    # written in digits are not ("40 4" may be two numbers)
    tens_word = False
    for token in tokens:
        token = _PARTICLES.get(token, token)
        ordinal = _ORDINAL_SUFFIX.match(token)
        unit = _UNITS.get(token, int(token) if tens_word and token in _DIGITS else None)
        if ordinal:
            token = ordinal.group(1)
        elif unit is not None:
            if tens_word and unit < 10:
                words[-1] = str(int(words[-1]) + unit)
                tens_word = False
                continue
            token = str(unit)
        elif token in _TENS:
            words.append(str(_TENS[token]))
            tens_word = True
            continue
        tens_word = False
        words.append(token)
    return tuple(words)


_SUFFIXES = frozenset({"st", "nd", "rd", "th"})
_DIGITS = frozenset("123456789")


def _strip_titles(folded: str) -> str:
    stripped = remove_person_prefixes(folded)
    if stripped != folded:
        stripped = fold(stripped)  # folding a folded name would leave it as it is
    tokens = stripped.split()
    while len(tokens) > 1 and tokens[0] in _PERSON_TITLES:
        tokens.pop(0)
    return " ".join(tokens) if tokens else folded


@lru_cache(maxsize=100_000)
def _strip_legal_forms(folded: str) -> tuple[str, tuple[str, ...]]:
    remainder = " ".join(remove_org_types(folded).split())
    if not remainder:
        return folded, ()
    forms = (
        tuple(sorted({fold(compare) for _, compare in extract_org_types(folded)} - {""}))
        if remainder != folded
        else ()
    )
    return remainder, forms


@lru_cache(maxsize=300_000)
def phonetic_key(token: str) -> str:
    """Metaphone of a token, or the token itself where metaphone has nothing to say (digits)."""
    if token.isdigit():
        return token
    key = str(metaphone(token)) or token
    # a "y" or "w" sound before a vowel is what spellings of one name add or leave out ("Alyaksandr" /
    # "Aleksandr", "Yevgeniy" / "Evgeniy"): kept only where the key starts with it
    return key[0] + key[1:].replace("Y", "").replace("W", "") if len(key) > 1 else key


# spellings that transliterations of one sound differ by (Джабер → Dzhaber ~ Jaber, Khan ~ Han; German writes
# ч "tsch" and в "w": Викторович → Wiktorowitsch ~ Viktorovich)
_SIMPLIFY = (
    ("tsch", "ch"),
    ("dzh", "j"),
    ("dj", "j"),
    ("zh", "j"),
    ("kh", "h"),
    ("ph", "f"),
    ("th", "t"),
    ("sch", "sh"),
    ("tch", "ch"),
    ("ck", "k"),
    ("q", "k"),
    ("w", "v"),
    ("ou", "u"),
    ("oo", "u"),
    ("ee", "i"),
    ("y", "i"),
    ("x", "ks"),
)


@lru_cache(maxsize=300_000)
def simplify(token: str) -> str:
    """A token with transliteration variants folded together: ``dzhaber`` and ``jaber`` → ``jaber``."""
    for old, new in _SIMPLIFY:
        if old in token:
            token = token.replace(old, new)
    simple = _single(token)
    if len(simple) > 1 and simple[-1] == "h" and simple[-2] in "aeiou":
        simple = simple[:-1]
    return simple or token


@lru_cache(maxsize=300_000)
def skeleton(token: str) -> str:
    """The first letter and the consonants, doubled letters once: ``mohammed`` → ``mhmd``.

    ``w`` and ``y`` go with the vowels, as Arabic script writes long vowels with them (سعود → ``swd``).
    """
    if len(token) < 2:
        return token
    # a leading vowel is spelled as the transliterator hears it (Osama ~ Usama), and Arabic script
    # has no p (بيريز → byryz for Pérez)
    first = "a" if token[0] in "aeiou" else token[0]
    return _single((first + token[1:].translate(_VOWELS)).replace("p", "b"))


def _single(text: str) -> str:
    """Doubled letters once: ``mohammed`` → ``mohamed`` (most tokens have none: no substitution then)."""
    return _REPEATS.sub(_first, text) if _REPEATS.search(text) else text


def _first(match: re.Match[str]) -> str:
    return match.group(1)


def normalise_identifier(number: str) -> str:
    """Upper-case letters and digits only: ``AB-123 456`` → ``AB123456``; an IMO number without the
    ``IMO`` some lists and parties write before its seven digits (``IMO 9187629`` → ``9187629``)."""
    found = "".join(ch for ch in ascii_text(number).upper() if ch.isalnum())
    if len(found) == 10 and found.startswith("IMO") and found[3:].isdigit():
        return found[3:]
    return found


@lru_cache(maxsize=10_000)
def normalise_country(text: str | None) -> str | None:
    """An ISO 3166 alpha-2 code (lower case) for a country name or code, or None if unknown."""
    if not text or not text.strip():
        return None
    territory = lookup_territory(text.strip())
    if territory is None:
        return None
    return str(territory.ftm_country or territory.code)


def normalise_date(text: str | None) -> str | None:
    """A partial ISO date (``1965``, ``1965-07``, ``1965-07-17``) from the forms lists use, or None."""
    if not text:
        return None
    text = text.strip()[:10]
    match = _DATE.match(text)
    if not match:
        return None
    year, month, day = match.groups()
    if not 1800 <= int(year) <= 2100:
        return None
    try:
        if day:
            date(int(year), int(month), int(day))
        elif month and not 1 <= int(month) <= 12:
            return f"{year}"
    except ValueError:
        return f"{year}-{month}" if 1 <= int(month) <= 12 else year
    return text


def partial_date_problem(text: str) -> str | None:
    """What is wrong with a date of birth (or of incorporation) as a party gives it, in words for the
    person who typed it; None where it is a real date: a year, a year and month, or a whole date
    (YYYY, YYYY-MM, YYYY-MM-DD), in the years lists record (1800 to 2100)."""
    match = _DATE.match(text.strip())
    if match is None:
        return "Enter the date of birth as year-month-day, e.g. 1970-05-31, or only the year"
    year, month, day = match.groups()
    if not 1800 <= int(year) <= 2100:
        return "The year of the date of birth must be between 1800 and 2100"
    if month is not None and not 1 <= int(month) <= 12:
        return "The month of the date of birth must be between 01 and 12"
    if day is not None and not 1 <= int(day) <= calendar.monthrange(int(year), int(month))[1]:
        return f"Date of birth must be a real date: {calendar.month_name[int(month)]} {year} has no day {int(day)}"
    return None


def forget_words() -> None:
    """Empty the caches of words and tokens. Building an index fills them with the listed names' words,
    which queries seldom meet again; and a cache hit rewrites the cache's order, so in a forked worker
    every hit on an entry made before the fork copies a page of the index it shares with the others."""
    for cached in (
        fold,
        _ascii_word,
        _fold_ascii_word,
        _fold_word,
        _org_words,
        _words,
        _strip_legal_forms,
        without_glued_legal_form,
        _type_word_spelt,
        phonetic_key,
        simplify,
        skeleton,
    ):
        cached.cache_clear()
