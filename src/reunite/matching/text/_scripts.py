"""Scripts: which alphabet a text is written in, and letters typed in the wrong one."""

from __future__ import annotations

import re
import unicodedata
from typing import Final

from reunite.matching.text._letters import APOSTROPHES, MARKS

__all__ = [
    "CYRILLIC_CLASS",
    "LATIN_CLASS",
    "LETTER",
    "repair_lookalikes",
    "script_of",
]

# Modifier-letter apostrophes count as letters for Unicode (\w), but must not count as
# the letters an apostrophe or a hyphen stands between.
LETTER: Final = rf"[^\W\d_{APOSTROPHES}]"

CYRILLIC_CLASS: Final = "\u0400-\u052f\u1c80-\u1c8f\u2de0-\u2dff\ua640-\ua69f"
LATIN_CLASS: Final = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff"

# Pairs of letters that look the same in Latin and Cyrillic. Both cases are listed, so
# that the repair never depends on case: «MАРІЯ» lowered by some program is «mарія», and
# its Latin «m» is still a Cyrillic «м» typed on the wrong keyboard. «Ї» and «Ё» are
# covered through their base letters (see repair_lookalikes).
_LOOKALIKE_PAIRS: Final = "AА BВ CС EЕ HН IІ KК MМ OО PР TТ XХ YУ"
_LATIN_LOOKS: Final = "".join(pair[0] for pair in _LOOKALIKE_PAIRS.split())
_CYRILLIC_LOOKS: Final = "".join(pair[1] for pair in _LOOKALIKE_PAIRS.split())
_ALL_LATIN_LOOKS: Final = _LATIN_LOOKS + _LATIN_LOOKS.lower()
_ALL_CYRILLIC_LOOKS: Final = _CYRILLIC_LOOKS + _CYRILLIC_LOOKS.lower()
_TO_CYRILLIC: Final = {
    ord(lat): cyr for lat, cyr in zip(_ALL_LATIN_LOOKS, _ALL_CYRILLIC_LOOKS, strict=True)
}
_TO_LATIN: Final = {
    ord(cyr): lat for lat, cyr in zip(_ALL_LATIN_LOOKS, _ALL_CYRILLIC_LOOKS, strict=True)
}

_CYRILLIC_RE: Final = re.compile(f"[{CYRILLIC_CLASS}]")
_LATIN_RE: Final = re.compile(f"[{LATIN_CLASS}]")
_CYRILLIC_LETTER_RE: Final = re.compile(rf"(?=[{CYRILLIC_CLASS}]){LETTER}")
_LATIN_LETTER_RE: Final = re.compile(rf"(?=[{LATIN_CLASS}]){LETTER}")
_CYRILLIC_UNAMBIGUOUS_RE: Final = re.compile(f"(?![{_ALL_CYRILLIC_LOOKS}])[{CYRILLIC_CLASS}]")
_LATIN_UNAMBIGUOUS_RE: Final = re.compile(f"(?![{_ALL_LATIN_LOOKS}])[{LATIN_CLASS}]")
# Combining marks stay inside a word: «о» + U+0306 is one letter to a reader.
_WORD_RE: Final = re.compile(rf"(?:[^\W\d_]|[{MARKS}])+")


def script_of(value: str) -> str:
    """Tell whether the letters of a value are "cyrillic", "latin", "mixed" or "none"."""
    has_cyrillic = _CYRILLIC_LETTER_RE.search(value) is not None
    has_latin = _LATIN_LETTER_RE.search(value) is not None
    if has_cyrillic and has_latin:
        return "mixed"
    if has_cyrillic:
        return "cyrillic"
    if has_latin:
        return "latin"
    return "none"


def _unambiguous_counts(text: str) -> tuple[int, int]:
    """Count the (Cyrillic, Latin) letters that have no look-alike in the other script."""
    return len(_CYRILLIC_UNAMBIGUOUS_RE.findall(text)), len(_LATIN_UNAMBIGUOUS_RE.findall(text))


def _repair_word(word: str, context: tuple[int, int]) -> str:
    cyrillic, latin = _unambiguous_counts(word)
    if cyrillic == latin:
        # A tie inside the word (often 0:0, e.g. «Bасс»): let the rest of the
        # value decide, then the letters as typed. Repairs only swap ambiguous
        # letters, so the counts, and the decision, are the same on a re-run.
        cyrillic, latin = context
        if cyrillic == latin:
            cyrillic = len(_CYRILLIC_RE.findall(word))
            latin = len(_LATIN_RE.findall(word))
    if cyrillic > latin:
        return word.translate(_TO_CYRILLIC)
    if latin > cyrillic:
        return word.translate(_TO_LATIN)
    return word


def repair_lookalikes(value: str) -> str:
    """Replace letters typed in the wrong script inside words mixing Latin and Cyrillic."""
    if value.isascii() or not (_CYRILLIC_RE.search(value) and _LATIN_RE.search(value)):
        return value
    # Work on base letters: «ї» is «і» + U+0308, «ĭ» is «i» + U+0306. Then
    # whether a letter and a mark happen to compose never changes a count, a
    # word boundary or a decision, and the repair is idempotent.
    decomposed = unicodedata.normalize("NFD", value)
    context = _unambiguous_counts(decomposed)
    parts: list[str] = []
    last = 0
    for match in _WORD_RE.finditer(decomposed):
        word = match.group()
        if _CYRILLIC_RE.search(word) and _LATIN_RE.search(word):
            parts.append(decomposed[last : match.start()])
            parts.append(_repair_word(word, context))
            last = match.end()
    if not parts:
        return value
    parts.append(decomposed[last:])
    return unicodedata.normalize("NFC", "".join(parts))
