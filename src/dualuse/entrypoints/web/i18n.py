"""The reader's language: English, German or French (gettext catalogues under ``locale/``, made with Babel).

The language is chosen by ``?lang=`` (remembered in a cookie), else the cookie, else the browser's
Accept-Language; English when none of these names a language we have. Pages and the plain-language answer
call ``gettext``; the catalogues translate the public pages and the licence check (issue #13).
Extract and compile: ``pybabel extract -F babel.cfg -k N_ -o messages.pot src/dualuse/entrypoints/web`` then
``pybabel update -i messages.pot -d src/dualuse/entrypoints/web/locale`` and ``pybabel compile -d …``.
"""

from __future__ import annotations

from contextvars import ContextVar
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations

LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = {"en": "English", "de": "Deutsch", "fr": "Français"}
DEFAULT = "en"
COOKIE = "lang"

_current: ContextVar[str] = ContextVar("dualuse_language", default=DEFAULT)


def N_(text: str) -> str:
    return text


@cache
def _translations(language: str) -> NullTranslations:
    if language == DEFAULT:
        return NullTranslations()
    return Translations.load(str(LOCALE_DIR), [language], domain="messages")


def current() -> str:
    return _current.get()


def gettext(text: str) -> str:
    return _translations(current()).gettext(text)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translations(current()).ngettext(singular, plural, n)


def local_date(day: date | str) -> str:
    """A date as the reader's locale writes it (5 December 2026, 5. Dezember 2026, 5 décembre 2026)."""
    value = date.fromisoformat(day) if isinstance(day, str) else day
    return format_date(value, format="long", locale=current())


def local_number(value: float | int | str) -> str:
    return format_decimal(value, locale=current())


def choose(query: str | None, cookie: str | None, accept: str) -> str:
    """The language of the request: ``?lang=``, then the cookie, then Accept-Language, then English."""
    for given in (query, cookie):
        if given in LANGUAGES:
            return given
    for part in accept.split(","):
        tag = part.split(";", 1)[0].strip()
        if not tag:
            continue
        try:
            language = Locale.parse(tag, sep="-").language
        except (ValueError, TypeError):
            continue
        if language in LANGUAGES:
            return language
    return DEFAULT


class Language:
    """ASGI middleware: sets the request's language; ``?lang=`` is remembered in a cookie for a year."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        from urllib.parse import parse_qs

        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        query = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("lang", [None])[0]
        cookies = dict(c.strip().split("=", 1) for c in headers.get("cookie", "").split(";") if "=" in c)
        language = choose(query, cookies.get(COOKIE), headers.get("accept-language", ""))
        token = _current.set(language)

        async def send_with_cookie(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start" and query in LANGUAGES:
                cookie = f"{COOKIE}={language}; Path=/; Max-Age=31536000; SameSite=Lax"
                message = {
                    **message,
                    "headers": [*message.get("headers", []), (b"set-cookie", cookie.encode())],
                }
            await send(message)

        try:
            await self.app(scope, receive, send_with_cookie)
        finally:
            _current.reset(token)


# words the pages translate from data (activities, kinds of end-user), marked here so extraction keeps them
_FROM_DATA = (
    N_("Export"),
    N_("Transfer"),
    N_("Brokering"),
    N_("Technical assistance"),
    N_("Transit"),
    N_("Government"),
    N_("Military"),
    N_("Commercial"),
    N_("Research"),
    N_("Individual"),
    N_("Other"),
    N_("Unknown"),
)
