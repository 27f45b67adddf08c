"""Words for searching the control list: tokens, stop words and a light English stemmer.

The stemmer is deliberately small: it folds plurals and the common verb and noun endings
(``jammers``/``jamming`` → ``jam``, ``interception`` → ``intercept``) so that the words exporters type
meet the words the list uses. It is applied the same way to the list and to queries.
"""

from __future__ import annotations

import re
import unicodedata

_STOP_WORD_TEXT = (
    "a an and any are as at be been being but by can could do does for from has have having how if in "
    "into is it its may more most must no nor not of off on or other our per such than that the their "
    "them then there these they this those thus to under up upon via was we were what when where "
    "which while who whom whose why will with within without would you your i me my"
)
STOP_WORDS = frozenset(_STOP_WORD_TEXT.split())
"""Words too common to tell entries apart."""

_WORD = re.compile(r"[a-z0-9]+")
_VOWELS = frozenset("aeiouy")


def _fold(text: str) -> str:
    # strip accents so that "Kühlung" and "Kuhlung" meet; drop what is not ASCII after that
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    """The words of a text in order, lower-case and without accents, stop words and lone letters."""
    return [w for w in _WORD.findall(_fold(text)) if w not in STOP_WORDS and (len(w) > 1 or w.isdigit())]


def _has_vowel(text: str) -> bool:
    return any(ch in _VOWELS for ch in text)


def _undouble(word: str) -> str:
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz" and word[-1] not in _VOWELS:
        return word[:-1]
    return word


def stem(word: str) -> str:
    """A light stem of a lower-case word: plurals, -ing, -ed, -er, -tion/-ation and a final -e folded."""
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith(("sses", "shes", "ches", "xes", "zes")):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix, replacement, min_len in (("ing", "", 6), ("ed", "", 6), ("er", "", 6)):
        if word.endswith(suffix) and len(word) >= min_len:
            base = word[: -len(suffix)] + replacement
            if len(base) >= 3 and _has_vowel(base):
                word = _undouble(base)
            break
    if (word.endswith("ation") and len(word) > 7) or (word.endswith("tion") and len(word) > 6):
        word = word[:-3]
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    return word


def terms(text: str) -> list[str]:
    """The stemmed search terms of a text, in order."""
    return [stem(w) for w in words(text)]
