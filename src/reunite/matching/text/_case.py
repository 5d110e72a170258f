"""Letter case of names: shouting and all-lower-case parts become title case."""

from __future__ import annotations

import re
from typing import Final

from reunite.matching.text._letters import APOSTROPHE, MARKS

__all__ = ["normalise_case", "title"]

_PART_SEPARATOR_RE: Final = re.compile(r"([\s-]+)")
# A word starts at a letter that follows neither a letter nor a combining
# mark. U+02BC is a letter, so «Деʼяненко» keeps its «я» lower case, and
# str.title() (which also capitalises after marks) is only used for ASCII.
_MARK_RE: Final = re.compile(f"[{MARKS}]")
_WORD_START_RE: Final = re.compile(rf"(?<![^\W\d_]|[{MARKS}])[^\W\d_]")


def _capitalise(match: re.Match[str]) -> str:
    letter = match.group()
    # Title case, not upper case: «ß» must become «Ss», not «SS» (which would
    # be shouting on the next run). «ŉ» would become «ʼN»: leave it.
    titled = letter.title()
    return titled if titled[0].isupper() else letter


def title(text: str) -> str:
    """Title-case a text: each word's first letter upper case, the others lower case."""
    lower = text.lower()
    if lower.isascii():
        return lower.title()
    return _WORD_START_RE.sub(_capitalise, lower)


def normalise_case(value: str) -> str:
    """Title-case the parts of a name written all upper or all lower case."""
    if (
        value.istitle()
        and APOSTROPHE not in value
        and (value.isascii() or not _MARK_RE.search(value))
    ):
        # Fast path for the usual «Лисенко Олександр»: no part is all upper
        # (except initials, which title-case to themselves) or all lower.
        # str.istitle() treats a combining mark as a word boundary, title() not.
        return value
    if value.isupper() or value.islower():
        return title(value)
    pieces = _PART_SEPARATOR_RE.split(value)
    for index in range(0, len(pieces), 2):
        piece = pieces[index]
        # Only shouting and all-lowercase parts are rewritten; «McDonald»,
        # «DeLuca» and «OʼNeil» are written that way on purpose.
        if piece.isupper() or piece.islower():
            pieces[index] = title(piece)
    return "".join(pieces)
