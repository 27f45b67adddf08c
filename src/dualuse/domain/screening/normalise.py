"""Normalisation of names and secondary facts for screening.

Names in any script are transliterated to ASCII (rigour), case-folded and split into tokens; person
names lose their honorifics, organisation names their legal forms (kept aside: "Gazprom OOO" and
"ООО Газпром" are both the tokens ``gazprom`` with legal form ``ooo``). Each token also has keys that
survive spelling variation: a phonetic key (metaphone) and a consonant skeleton, which is what a
vowel-less transliteration from Arabic script leaves (``محمد`` → ``mhmd`` ~ ``mohammed``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from rigour.names import extract_org_types, remove_org_types, remove_person_prefixes
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


def name_form(text: str, schema: EntitySchema | None = None) -> NameForm:
    """Normalise a name of a person, organisation or object into tokens.

    With no schema (a party of unknown kind) both honorifics and legal forms are removed, as long as
    something is left of the name.
    """
    cleaned = _BRACKETS.sub(" ", text) if "(" in text or "[" in text else text
    folded = fold(cleaned) or fold(text)
    legal_forms: tuple[str, ...] = ()
    if schema in (EntitySchema.PERSON, EntitySchema.UNKNOWN, None):
        folded = _strip_titles(folded)
    if schema == EntitySchema.ORGANIZATION:
        folded, legal_forms = _strip_legal_forms(folded)
    elif schema in (EntitySchema.UNKNOWN, None):
        # "Sá", "Ag" and "As" are names as well as legal forms: strip only the unambiguous ones
        stripped, forms = _strip_legal_forms(folded)
        if all(len(f) >= 3 for f in forms):
            folded, legal_forms = stripped, forms
    return NameForm(original=text, tokens=tuple(folded.split()), legal_forms=legal_forms)


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
    return str(metaphone(token)) or token


# spellings that transliterations of one sound differ by (Джабер → Dzhaber ~ Jaber, Khan ~ Han)
_SIMPLIFY = (
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
    return _single(token[0] + token[1:].translate(_VOWELS))


def _single(text: str) -> str:
    """Doubled letters once: ``mohammed`` → ``mohamed`` (most tokens have none: no substitution then)."""
    return _REPEATS.sub(_first, text) if _REPEATS.search(text) else text


def _first(match: re.Match[str]) -> str:
    return match.group(1)


def normalise_identifier(number: str) -> str:
    """Upper-case letters and digits only: ``AB-123 456`` → ``AB123456``."""
    return "".join(ch for ch in ascii_text(number).upper() if ch.isalnum())


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
