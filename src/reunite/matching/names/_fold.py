"""The fold: a script-independent phonetic skeleton of a name in lower-case ASCII."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache, partial
from typing import Final

from reunite.matching.names._common import CACHE_SIZE as _CACHE_SIZE
from reunite.matching.text import APOSTROPHES, DASHES

#
# The skeleton: vowels a e i o u; every i-like sound and glide (і и ы й ї, y j i)
# is "i"; г ґ х and h g kh are all "h" (Ukrainian г is h in KMU 2010, Russian г
# is g, х is kh in both); ш щ sh shch sch are "sh"; ч ch tch tsch are "ch";
# ж zh are "zh"; ц ts tz cz are "ts"; soft/hard signs and apostrophes vanish;
# doubled letters collapse; a glide before e is dropped (є/е, ye/e), "io"
# after a consonant is "e" (Russian ё written е or yo) and "ei" before a back
# vowel is "i" (ICAO ъ). Inside a pass the four hushing consonants are
# upper-case placeholders, so no digraph rule can re-read them; the pass is
# repeated to a fixed point, which makes fold idempotent.

_FOLD_CYRILLIC: Final = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "h", "д": "d", "е": "e", "є": "ie",
    "ё": "io", "ж": "Z", "з": "z", "и": "i", "і": "i", "ї": "ii", "й": "i", "к": "k",
    "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ў": "u", "ф": "f", "х": "h", "ц": "T", "ч": "C", "ш": "S", "щ": "S",
    "ъ": "", "ы": "i", "ь": "", "э": "e", "ю": "iu", "я": "ia",
}  # fmt: skip
# Latin letters with diacritics of the scholarly systems (ISO 9, DSTU 9112 A,
# Czech/Polish spellings); anything else loses its marks.
_FOLD_LATIN: Final = {
    "š": "S", "ž": "Z", "č": "C", "ŝ": "S", "ć": "C", "ś": "s", "ź": "z", "ż": "Z",
    "ł": "l", "ğ": "h", "ĥ": "h", "ǵ": "h", "ß": "s", "æ": "ae", "ø": "o", "œ": "oe",
}  # fmt: skip
# Apostrophes vanish, and so do the double quotes BGN/PCGN writes for ъ and ь.
_APOSTROPHES: Final = APOSTROPHES + '\u201d"'
# Dashes, white space and list punctuation separate the words of a name.
SEPARATORS: Final = DASHES + "\t\n\r\xa0,;/"
_FOLD_TABLE: Final = str.maketrans(
    _FOLD_CYRILLIC | _FOLD_LATIN | dict.fromkeys(_APOSTROPHES, "") | dict.fromkeys(SEPARATORS, " ")
)
# Latin digraphs, longest first. "cz" and "c" before e/i/y are ц as in GOST
# 7.79 system B; "sch"/"tsch" are the German spellings of ш/ч and "ou" the
# French у of Soviet-era passports («Iouri»).
_FOLD_DIGRAPHS: Final = (
    ("shch", "S"), ("szcz", "S"), ("tsch", "C"), ("sch", "S"), ("shh", "S"), ("tch", "C"),
    ("zh", "Z"), ("kh", "h"), ("gh", "h"), ("sh", "S"), ("ch", "C"), ("ts", "T"),
    ("tz", "T"), ("cz", "T"), ("sz", "S"), ("ph", "f"), ("ck", "k"), ("ou", "u"), ("ce", "Te"),
    ("ci", "Ti"), ("cy", "Ti"), ("cj", "Ti"),
)  # fmt: skip
_FOLD_SINGLE: Final = str.maketrans(
    {"g": "h", "y": "i", "j": "i", "w": "v", "q": "k", "c": "k", "x": "ks"}
)
_FOLD_OUT: Final = str.maketrans({"S": "sh", "Z": "zh", "C": "ch", "T": "ts"})
_FOLD_VALID: Final = frozenset("abcdefghijklmnopqrstuvwxyzSZCT ")
_FOLD_DROP_RE = re.compile(r"[^a-zSZCT ]+")
_FOLD_DOUBLE_RE = re.compile(r"([a-zSZCT])\1+")
_FOLD_IE_RE = re.compile(r"i+e")
_FOLD_IO_RE = re.compile(r"(?<=[b-df-hj-np-tv-zSZCT])io")
# ICAO writes ъ as "ie" (Подъячев, Podieiachev): e before a glide and a back
# vowel goes, which also joins Russian -ея to Ukrainian -ія (Пелагея/Пелагія).
_FOLD_EI_RE = re.compile(r"ei(?=[aou])")
# Output sequences a further pass would read differently; without one of them
# the first pass is already the fixed point.
_FOLD_UNSTABLE_RE = re.compile(
    r"kh|gh|sch|tch|shh|shch|sz|cz|tz|ph|ck|ou|c[eiyj]|ie|ei[aou]|[b-df-hj-np-tv-z]io"
    r"|(sh|ch|zh|ts|[a-z])\1"
)


def _first_group(match: re.Match[str]) -> str:
    return match.group(1)


def _fold_pass(text: str) -> str:
    s = text.lower().translate(_FOLD_TABLE)
    if not s.isascii():
        s = _FOLD_DROP_RE.sub("", unicodedata.normalize("NFD", s))
    elif not _FOLD_VALID.issuperset(s):
        s = _FOLD_DROP_RE.sub("", s)
    for digraph, symbol in _FOLD_DIGRAPHS:
        if digraph in s:
            s = s.replace(digraph, symbol)
    s = _FOLD_DOUBLE_RE.sub(_first_group, s.translate(_FOLD_SINGLE))
    if "ie" in s:
        s = _FOLD_DOUBLE_RE.sub(_first_group, _FOLD_IE_RE.sub("e", s))
    if "ei" in s:
        s = _FOLD_EI_RE.sub("i", s)
    if "io" in s:
        s = _FOLD_IO_RE.sub("e", s)
    s = s.translate(_FOLD_OUT)
    if "  " in s or s[:1] == " " or s[-1:] == " ":
        s = " ".join(s.split())
    return s


@lru_cache(maxsize=_CACHE_SIZE)
def fold(text: str) -> str:
    """Reduce a name in any script to its lower-case ASCII phonetic skeleton."""
    result = _fold_pass(text)
    # Each further pass can only merge letters; a handful always suffices.
    for _ in range(10):
        if _FOLD_UNSTABLE_RE.search(result) is None:
            break
        again = _fold_pass(result)
        if again == result:
            break
        result = again
    return result


# Letters a few tables spell against the common reading: x for х (GOST 7.79
# B), j for ж and c for к (the 2004 passport table), Polish cz for ч. fold
# keeps the common reading; these are tried on their own and then together
# (the 2004 table has both: «Juravcin» is Журавкін).
_ALT_LATIN: Final = (
    (re.compile(r"x"), {"x": "kh"}),
    (re.compile(r"j"), {"j": "zh"}),
    (re.compile(r"cz|c(?=[eiy])"), {"cz": "ch", "c": "k"}),
)


def _reread(text: str, readings: Iterable[tuple[re.Pattern[str], dict[str, str]]]) -> str:
    for pattern, letters in readings:
        text = pattern.sub(partial(_letter_for, letters), text)
    return text


def _letter_for(letters: dict[str, str], match: re.Match[str]) -> str:
    return letters[match.group()]


_NO_APOSTROPHES: Final = str.maketrans(dict.fromkeys(_APOSTROPHES, ""))


@lru_cache(maxsize=_CACHE_SIZE)
def alternative_folds(text: str) -> tuple[str, ...]:
    """Fold a Latin spelling again with its rarer letter readings."""
    lower = text.lower().translate(_NO_APOSTROPHES)
    if not lower.isascii():
        return ()
    readings = [(pattern, letters) for pattern, letters in _ALT_LATIN if pattern.search(lower)]
    variants = [[reading] for reading in readings]
    if len(readings) > 1:
        variants.append(readings)
    primary = fold(text)
    found: list[str] = []
    for variant in variants:
        alternative = fold(_reread(lower, variant))
        if alternative != primary and alternative not in found:
            found.append(alternative)
    return tuple(found)
