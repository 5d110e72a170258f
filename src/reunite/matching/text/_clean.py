"""Clean a name as written in a list: apostrophes, hyphens, look-alike letters, case."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Final

from reunite.matching.text._case import normalise_case
from reunite.matching.text._letters import APOSTROPHE, APOSTROPHES, DASHES, MARKS, clean_text
from reunite.matching.text._scripts import LETTER, repair_lookalikes

__all__ = ["clean_name", "has_letters"]

# What precedes may be a letter or the combining mark ending one: whether
# «ŏ» is one code point or two must not change the result.
_AFTER_LETTER: Final = rf"(?<={LETTER}|[{MARKS}])"
_APOSTROPHE_RE: Final = re.compile(rf"{_AFTER_LETTER}[{APOSTROPHES}](?={LETTER})")
_DASH_RE: Final = re.compile(rf"{_AFTER_LETTER}\s*[{DASHES}]\s*(?={LETTER})")
# Cheap pre-checks: most names have neither, and the lookbehind regexes are slow.
_ANY_APOSTROPHE_RE: Final = re.compile(f"[{APOSTROPHES}]")
_ANY_DASH_RE: Final = re.compile(f"[{DASHES}]")
# Stress marks («Мари́я») are not part of the spelling; after NFC a combining
# acute or grave can only be such a mark.
_STRESS_RE: Final = re.compile("[\u0300\u0301]")
_HAS_LETTER_RE: Final = re.compile(LETTER)


def has_letters(value: str) -> bool:
    """Tell whether a text has at least one letter (an apostrophe is not one)."""
    # Most words are letters only; the regex (which must not count apostrophes, letters
    # to Unicode) is slow.
    if value.isalpha() and _ANY_APOSTROPHE_RE.search(value) is None:
        return True
    return _HAS_LETTER_RE.search(value) is not None


@lru_cache(maxsize=1 << 16)
def clean_name(value: str) -> str:
    """Clean a name: apostrophes, hyphens, look-alike letters and shouting case."""
    value = clean_text(value)
    if not value:
        return ""
    if not value.isascii() and _STRESS_RE.search(value):
        # Again after removal: a mark may have separated spaces or letters
        # that now collapse or compose.
        value = clean_text(_STRESS_RE.sub("", value))
        if not value:
            return ""
    if _ANY_APOSTROPHE_RE.search(value):
        value = _APOSTROPHE_RE.sub(APOSTROPHE, value)
    if _ANY_DASH_RE.search(value):
        value = _DASH_RE.sub("-", value)
    value = normalise_case(value)
    if value.isascii():
        return value
    # The repair comes after the case change, since lowering can turn a letter
    # into a look-alike («İ» -> «i» and a combining dot), while the repair keeps
    # each letter's case. Case mapping can also leave a letter and a combining
    # mark that compose.
    value = repair_lookalikes(unicodedata.normalize("NFC", value))
    if _STRESS_RE.search(value):
        # The repair turned a Latin «á» into Cyrillic «а» + a stress mark.
        value = clean_text(_STRESS_RE.sub("", value))
    return value
