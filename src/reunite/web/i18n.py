"""Translations for the pages: English, Ukrainian and Russian, from gettext .po catalogues.

The catalogues (web/locale/<lang>/LC_MESSAGES/messages.po) are read with Babel when the
server starts: there is no compile step to forget. English is the source language.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po

from reunite.auth.enums import Language

LOCALE = Path(__file__).parent / "locale"
DEFAULT_LANGUAGE = "en"
LANGUAGE_NAMES = Language.labels()


@cache
def catalogue(language: str) -> dict[str, str]:
    """Return msgid → translation for a language (empty for English or a missing file)."""
    path = LOCALE / language / "LC_MESSAGES" / "messages.po"
    if language == DEFAULT_LANGUAGE or not path.is_file():
        return {}
    with path.open("rb") as handle:
        parsed = read_po(handle, locale=language)
    return {
        str(message.id): str(message.string)
        for message in parsed
        if message.id and isinstance(message.string, str) and message.string and not message.fuzzy
    }


def translate(language: str, text: str) -> str:
    """Translate a message; fall back to English where no translation exists."""
    return catalogue(language).get(text, text)


def pick_language(cookie: str | None, accept_language: str | None, preferred: str | None) -> str:
    """Choose the page language: the switch the person used, their profile, their browser."""
    for choice in (cookie, preferred):
        if choice in Language.values():
            return choice
    for part in (accept_language or "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in Language.values():
            return code
    return DEFAULT_LANGUAGE
