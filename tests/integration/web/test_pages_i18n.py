"""Every text the pages show has a Ukrainian and a Russian translation, with the same blanks."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

import reunite
from reunite.records import filing
from reunite.web.i18n import catalogue, translate

PACKAGE = Path(reunite.__file__).parent
# `_("…")` in templates; `N_("…")` (possibly split over lines) in Python label tables.
TEMPLATE_RE = re.compile(r"""\b_\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')""")
MARKED_RE = re.compile(r"""\bN_\(\s*((?:"(?:[^"\\]|\\.)*"\s*)+)\)""", re.S)


def message_ids() -> set[str]:
    """Collect the English message ids of the templates and of the marked Python strings."""
    found: set[str] = set()
    for path in (PACKAGE / "web" / "templates").rglob("*.html"):
        for match in TEMPLATE_RE.finditer(path.read_text(encoding="utf-8")):
            found.add(match.group(1) if match.group(1) is not None else match.group(2))
    for path in PACKAGE.rglob("*.py"):
        for match in MARKED_RE.finditer(path.read_text(encoding="utf-8")):
            found.add("".join(re.findall(r'"((?:[^"\\]|\\.)*)"', match.group(1))))
    # The family form's messages come from its service, which knows nothing of the web.
    found.update(filing.MESSAGES)
    return found


def _blanks(text: str) -> set[str]:
    return {name for _t, name, _f, _c in string.Formatter().parse(text) if name}


def test_the_extraction_finds_the_pages_texts() -> None:
    ids = message_ids()
    assert len(ids) > 250
    assert {"Log in", "File a tracing request", "Surname", "a namesake"} <= ids


@pytest.mark.parametrize("language", ["uk", "ru"])
def test_every_message_is_translated_with_the_same_blanks(language: str) -> None:
    translations = catalogue(language)
    missing = sorted(i for i in message_ids() if not translations.get(i))
    assert missing == []
    for msgid in message_ids():
        assert _blanks(translations[msgid]) == _blanks(msgid), msgid
        # A translation that still reads as English was forgotten, not translated.
        assert re.search("[а-яіїєґё]", translations[msgid], re.IGNORECASE), msgid
    assert translate(language, "File a tracing request") != "File a tracing request"
    assert translate("en", "File a tracing request") == "File a tracing request"


@pytest.mark.parametrize("language", ["uk", "ru"])
def test_a_text_in_two_catalogues_reads_the_same_in_both(language: str) -> None:
    from reunite.web.i18n import catalogue_files, read_catalogue

    seen: dict[str, tuple[str, str]] = {}
    for path in catalogue_files(language):
        for msgid, text in read_catalogue(path, language).items():
            if msgid in seen:
                assert seen[msgid][1] == text, (msgid, seen[msgid][0], path.name)
            seen[msgid] = (path.name, text)
