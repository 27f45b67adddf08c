"""Links from a legal basis to its text on EUR-Lex: the act's CELEX number and, for Regulation (EU)
2021/821, the article's anchor (EUR-Lex marks articles ``art_N`` and annexes ``anx_N``)."""

from __future__ import annotations

import re

from dualuse.domain.handbook.model import Citation

EUR_LEX = "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:"
DUAL_USE_CELEX = "32021R0821"
_ACT = re.compile(
    r"(?P<kind>Regulation|Council Regulation|Council Decision|Commission Recommendation|Recommendation|"
    r"Decision|Directive)\s*\((?P<org>EU|EC|CFSP|EEC)\)\s*(?:No\s*)?(?P<a>\d+)/(?P<b>\d+)"
)
_ARTICLE = re.compile(r"Art\.\s*(?P<n>\d+)")
_ANNEX = re.compile(r"Annex\s+(?P<n>[IVX]+)")
_TYPE_LETTER = {
    "Regulation": "R",
    "Council Regulation": "R",
    "Directive": "L",
    "Decision": "D",
    "Council Decision": "D",
    "Commission Recommendation": "H",
    "Recommendation": "H",
}


def celex(text: str) -> str | None:
    """The CELEX number of the act a legal basis names (``Regulation (EU) 2021/821`` → ``32021R0821``), or
    None where the text names no act in a form we can read."""
    match = _ACT.search(text)
    if match is None:
        return None
    first, second = match["a"], match["b"]
    # Acts from 2015 on are numbered year/number; older ones number/year.
    year, number = (first, second) if len(first) == 4 else (second, first)
    if len(year) != 4:
        return None
    return f"3{year}{_TYPE_LETTER[match['kind']]}{int(number):04d}"


def cite(text: str) -> Citation:
    """A legal basis with the address of its text on EUR-Lex (the article's anchor for Reg. 2021/821)."""
    number = celex(text)
    if number is None:
        if text.lstrip().startswith(("Annex", "Art.")):
            # "Annex II Section A" and a bare "Art. 5(2)" are of the regulation itself; a national act is not
            number = DUAL_USE_CELEX
        else:
            return Citation(text)
    url = EUR_LEX + number
    if number == DUAL_USE_CELEX:
        article = _ARTICLE.search(text)
        annex = _ANNEX.search(text)
        if article is not None:
            url += f"#art_{article['n']}"
        elif annex is not None:
            url += f"#anx_{annex['n']}"
    return Citation(text, url)


def article_url(article: int) -> str:
    """The address of an article of Regulation (EU) 2021/821 on EUR-Lex."""
    return f"{EUR_LEX}{DUAL_USE_CELEX}#art_{article}"
