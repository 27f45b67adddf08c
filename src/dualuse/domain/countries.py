"""Countries as people write them: an ISO 3166-1 alpha-2 code, or a name in English or in one of the Union's
official languages (pycountry's names, babel's CLDR territory names). A name is resolved to its code, never
cut short: "China" is CN, not "Ch" (Switzerland's code, CH)."""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata

import pycountry
from babel import Locale

from dualuse.domain.errors import ValidationError
from dualuse.domain.rules.facts import country_code, country_name

EU_LANGUAGES = (
    "bg", "cs", "da", "de", "el", "en", "es", "et", "fi", "fr", "ga", "hr", "hu", "it", "lt", "lv", "mt",
    "nl", "pl", "pt", "ro", "sk", "sl", "sv",
)  # fmt: skip
"""The 24 official languages of the Union (Regulation No 1/1958, as amended)."""
_CODE_IN_BRACKETS = re.compile(r"\(([A-Za-z]{2})\)\s*$")


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w]+", " ", bare).split())


@functools.cache
def _codes() -> frozenset[str]:
    return frozenset(c.alpha_2 for c in pycountry.countries) | {"XK"}


@functools.cache
def _names() -> dict[str, frozenset[str]]:
    """Folded name → the codes it names (a name shared by two countries stays ambiguous)."""
    names: dict[str, set[str]] = {}
    codes = _codes()
    for country in pycountry.countries:
        for attribute in ("name", "common_name", "official_name"):
            value = getattr(country, attribute, None)
            if value:
                names.setdefault(_fold(value), set()).add(country.alpha_2)
    for language in EU_LANGUAGES:
        for code, name in Locale(language).territories.items():
            if code in codes:
                names.setdefault(_fold(name), set()).add(code)
    return {name: frozenset(found) for name, found in names.items() if name}


@functools.cache
def country_choices() -> tuple[tuple[str, str], ...]:
    """(code, English name) of every country, by name: what a country picker offers."""
    return tuple(sorted(((code, country_name(code)) for code in _codes()), key=lambda pair: pair[1]))


def resolve_country(text: str, field: str) -> str:
    """The ISO 3166-1 alpha-2 code ``text`` means: a code (``cn``), a name in an EU language (``China``,
    ``Chine``, ``Volksrepublik China``) or a picker's ``China (CN)``. ``ValidationError`` naming ``field``
    with the names it may have meant if it is none of these, or names more than one country."""
    value = (text or "").strip()
    if not value:
        raise ValidationError("choose a country", field=field)
    bracketed = _CODE_IN_BRACKETS.search(value)
    if bracketed and bracketed.group(1).upper() in _codes():
        return bracketed.group(1).upper()
    if len(value) == 2 and value.isascii() and value.isalpha():
        return country_code(value, field)
    folded = _fold(value)
    found = _names().get(folded)
    if found is not None and len(found) == 1:
        return next(iter(found))
    if found:
        options = ", ".join(f"{country_name(c)} ({c})" for c in sorted(found))
        raise ValidationError(f"{value!r} may mean {options}: choose one", field=field)
    near = difflib.get_close_matches(folded, list(_names()), n=3, cutoff=0.75)
    codes = list(dict.fromkeys(c for name in near for c in sorted(_names()[name])))
    hint = f"; did you mean {', '.join(f'{country_name(c)} ({c})' for c in codes)}?" if codes else ""
    raise ValidationError(f"{value!r} is not a country we know{hint}", field=field)
