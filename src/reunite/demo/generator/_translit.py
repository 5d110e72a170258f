"""Latin spellings of Cyrillic names (own tables; checked against translitua in the tests)."""

from __future__ import annotations

from functools import lru_cache

from reunite.demo.generator._names import APOSTROPHES

_KMU = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "h",
    "ґ": "g",
    "д": "d",
    "е": "e",
    "є": "ie",
    "ж": "zh",
    "з": "z",
    "и": "y",
    "і": "i",
    "ї": "i",
    "й": "i",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ь": "",
    "ю": "iu",
    "я": "ia",
    "'": "",
    "’": "",
    "ʼ": "",
}
_KMU_INITIAL = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}
# Ukrainian foreign passports of 2007-2010 used g for г and never the initial y- forms.
_UA2007 = {**_KMU, "г": "g"}
# Older passports often carried the Russian form of the name, transliterated.
_RU_LATIN = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ё": "e",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "y",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "yu",
    "я": "ya",
    "'": "",
}

SCRIPTS = ("cyr", "kmu", "ua2007", "legacy")


def _translit_word(word: str, scheme: str) -> str:
    low = word.lower()
    table = _RU_LATIN if scheme == "legacy" else (_UA2007 if scheme == "ua2007" else _KMU)
    parts = []
    for i, ch in enumerate(low):
        if scheme == "kmu" and i == 0 and ch in _KMU_INITIAL:
            parts.append(_KMU_INITIAL[ch])
        elif scheme == "kmu" and ch == "г" and i > 0 and low[i - 1] == "з":
            parts.append("gh")  # KMU 2010 keeps зг distinct from ж: Згорани → Zghorany
        else:
            parts.append(table.get(ch, ch))
    out = "".join(parts)
    if not out:
        return out
    letters = [c for c in word if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return out.upper()
    if word[0].isupper():
        return out[0].upper() + out[1:]
    return out


@lru_cache(maxsize=1 << 16)
def transliterate(text: str, scheme: str = "kmu") -> str:
    """Return text in Latin letters using "kmu" (KMU 2010), "ua2007" or "legacy" rules."""
    out: list[str] = []
    word: list[str] = []
    for ch in text:
        if ch.isalpha() or (ch in APOSTROPHES and word):
            word.append(ch)
            continue
        if word:
            out.append(_translit_word("".join(word), scheme))
            word = []
        out.append(ch)
    if word:
        out.append(_translit_word("".join(word), scheme))
    return "".join(out)
