"""Translations for the pages: English, Ukrainian and Russian, from gettext .po catalogues.

The catalogues (web/locale/<lang>/LC_MESSAGES/*.po: `messages.po`, and one per part that
brings many texts of its own, such as `cases.po`) are read with Babel when the server starts:
there is no compile step to forget. English is the source language. A text translated in two
catalogues of a language must read the same in both (a test checks).
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
    if language == DEFAULT_LANGUAGE:
        return {}
    merged: dict[str, str] = {}
    for path in catalogue_files(language):
        merged.update(read_catalogue(path, language))
    return merged


def catalogue_files(language: str) -> list[Path]:
    """Return a language's catalogue files, `messages.po` first."""
    folder = LOCALE / language / "LC_MESSAGES"
    return sorted(folder.glob("*.po"), key=lambda path: (path.name != "messages.po", path.name))


def read_catalogue(path: Path, language: str) -> dict[str, str]:
    """Return msgid → translation of one catalogue file (fuzzy and empty ones left out)."""
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
