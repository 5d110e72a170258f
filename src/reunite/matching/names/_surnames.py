"""Surnames: gender-neutral keys across scripts and orthographies, Russian forms."""

from __future__ import annotations

import re
from functools import cache, lru_cache
from importlib import resources
from typing import Any, Final

from names_translator.dicts import default_dicts, normalize_key

from reunite.matching.names._common import CACHE_SIZE as _CACHE_SIZE
from reunite.matching.names._common import EMPTY as _EMPTY
from reunite.matching.names._common import detect_script
from reunite.matching.names._fold import SEPARATORS as _SEPARATORS
from reunite.matching.names._fold import alternative_folds as _alternative_folds
from reunite.matching.names._fold import fold

_SK_RE = re.compile(r"^(.+[sz])k(?:i|a|aia|oi)$")  # -ський/-ська/-ская/-ской, -цький, -зький
_POSSESSIVE_RE = re.compile(r"^(.+(?:ov|ev|in))a$")  # -ова/-ева/-ина
_ADJECTIVE_RE = re.compile(r"^(.+[^aeiou])(?:i?aia|oi|ia|a)$")  # -ая/-яя/-ой, -на/-ня
_HUSHED_O_RE = re.compile(r"(?<=[csz]h)o")
_SOFT_OV_RE = re.compile(r"[lnrdtzs]ov$")


def _neutral_keys(key: str) -> list[str]:
    """Gender-neutral (masculine) forms of a folded surname word."""
    match = _SK_RE.match(key)
    if match:
        # Ковальська, Ковальская, Kovalskyi -> kovalski
        return [match.group(1) + "ki"]
    match = _POSSESSIVE_RE.match(key)
    if match:
        # Петрова -> petrov, Ільїна -> ilin; -ова/-ева may also be an adjective
        # (Лозова, Лозовий, Лозовая -> lozovi).
        stem = match.group(1)
        return [stem, stem + "i"] if stem.endswith("v") else [stem]
    match = _ADJECTIVE_RE.match(key)
    if match:
        # Гуменна, Гуменная -> humeni (= Гуменний); Толстая/Толстой -> tolsti.
        # A noun in -а (Ворона) gains a key only an adjective would share.
        return [match.group(1) + "i"]
    if key.endswith("iv"):
        # Ukrainian possessive -ів is Russified as -ов/-ев (Ковалів, Ковалев).
        return [key[:-2] + "ov", key[:-2] + "ev"]
    return []


def _surname_word_keys(key: str) -> set[str]:
    keys = {key, *_neutral_keys(key)}
    # Ukrainian о after ч/ш/ж is Russian е/ё: Чорновол/Черновол, Пугачов/Пугачев.
    hushed = _HUSHED_O_RE.sub("e", key)
    if hushed != key:
        keys.update((hushed, *_neutral_keys(hushed)))
    # Ukrainian -ьов/-ьова is written -ov/-ova in Latin and Russified as -ёв,
    # which Russian records spell -ев: Журавльов, Zhuravlov, Журавлев.
    keys.update([k[:-2] + "ev" for k in keys if _SOFT_OV_RE.search(k)])
    return keys


# A Ukrainian spelling whose Russian form folds differently in ways no rule
# above covers: і in a closed syllable (Олійник/Олейник, Підгорний/Подгорный),
# ьо/йо (Золоторьов/Золотарев), ї, and ця (Кисилиця/Кисилица). Measured on the
# names_translator surname dictionary, this catches ~91% of the surnames that
# need the dictionary while consulting it for ~27% of them.
_RUSSIFIABLE_RE = re.compile(r"і(?=[^аеєиіїоуюяьв])|ів(?=.)|[ьй]о|ця|ї")
_LATIN_RUSSIFIABLE_RE = re.compile(r"i(?![aeiouy])|io|tsia|yi")
_SPLIT_RE = re.compile(f"[\\s{re.escape(_SEPARATORS)}]+")
_PUNCTUATION: Final = " .,;:()[]\"'\t\n"


def _russian_forms(word: str) -> list[str]:
    """Russian forms of a Ukrainian Cyrillic surname from names_translator."""
    lower = word.lower()
    if _RUSSIFIABLE_RE.search(lower) is None:
        return []
    return [str(ru) for ru in default_dicts().lookup_key(normalize_key(lower), "last", 3)]


# Latin (KMU 2010 and older passport spellings) back to Ukrainian Cyrillic
# candidates; each candidate is checked letter by letter against the surname
# DAWG, so only spellings names_translator knows survive. Soft signs are not
# written in Latin, hence the optional «ь» after л н с т д з ц.
_LATIN_SEGMENTS: Final = (
    ("shch", ("щ",)), ("zgh", ("зг",)), ("zh", ("ж",)), ("kh", ("х",)), ("ts", ("ц", "ць")),
    ("ch", ("ч",)), ("sh", ("ш",)), ("ie", ("є", "ьє")), ("iu", ("ю", "ью")),
    ("ia", ("я", "ья")), ("io", ("ьо", "йо")), ("ye", ("є",)), ("yi", ("ї", "ий")),
    ("yu", ("ю",)), ("ya", ("я",)), ("yo", ("йо",)), ("i", ("і", "й", "ї")),
    ("y", ("и", "й")), ("h", ("г",)), ("g", ("ґ", "г")), ("a", ("а",)), ("b", ("б",)),
    ("v", ("в",)), ("w", ("в",)), ("d", ("д", "дь")), ("e", ("е",)), ("z", ("з", "зь")),
    ("k", ("к",)), ("l", ("л", "ль")), ("m", ("м",)), ("n", ("н", "нь")), ("o", ("о",)),
    ("p", ("п",)), ("r", ("р",)), ("s", ("с", "сь")), ("t", ("т", "ть")), ("u", ("у",)),
    ("f", ("ф",)), ("x", ("кс",)), ("c", ("ц",)), ("j", ("й",)), ("q", ("к",)),
)  # fmt: skip
_MAX_CYRILLIC_CANDIDATES: Final = 3


@cache
def surname_dawg() -> Any:
    """names_translator's surname DAWG, read with the dawg_python reader it uses."""
    try:
        import dawg_python  # type: ignore[import-untyped]

        path = resources.files("names_translator") / "data" / "last.dawg"
        return dawg_python.RecordDAWG(">BH").load(str(path)).dct
    except Exception:
        # Reconstruction is an optional refinement: without it Latin surnames
        # keep their folded keys.
        return None


_LATIN_SEGMENT_MAP: Final = dict(_LATIN_SEGMENTS)
# Alternation in table order (longest spellings first), so a regex scan
# tokenises like a greedy left-to-right reading.
_LATIN_SEGMENT_RE = re.compile("|".join(re.escape(latin) for latin, _ in _LATIN_SEGMENTS))


def _latin_segments(word: str) -> list[tuple[str, ...]] | None:
    tokens = _LATIN_SEGMENT_RE.findall(word)
    if sum(map(len, tokens)) != len(word):
        return None  # a letter no Ukrainian spelling explains
    return [_LATIN_SEGMENT_MAP[token] for token in tokens]


def cyrillic_candidates(word: str) -> list[str]:
    """Ukrainian Cyrillic surnames names_translator knows that a Latin word may spell."""
    dct = surname_dawg()
    segments = _latin_segments(word.lower().replace("'", ""))
    if dct is None or not segments:
        return []
    found: list[str] = []
    separator = b"\x01"

    def walk(position: int, index: int, prefix: str) -> None:
        if len(found) >= _MAX_CYRILLIC_CANDIDATES:
            return
        if position == len(segments):
            if dct.follow_bytes(separator, index) is not None:
                found.append(prefix)
            return
        for letters in segments[position]:
            following = dct.follow_bytes(letters.encode(), index)
            if following is not None:
                walk(position + 1, following, prefix + letters)

    try:
        walk(0, dct.ROOT, "")
    except Exception:
        return []
    return found


@lru_cache(maxsize=_CACHE_SIZE)
def _word_keys(word: str) -> frozenset[str]:
    key = fold(word)
    if not key:
        return _EMPTY
    keys = _surname_word_keys(key)
    script = detect_script(word)
    russian: list[str] = []
    if script == "cyrillic":
        russian = _russian_forms(word)
    elif script == "latin" and word.isascii():
        for alternative in _alternative_folds(word):
            keys |= _surname_word_keys(alternative)
        if _LATIN_RUSSIFIABLE_RE.search(word.lower()):
            for candidate in cyrillic_candidates(word):
                russian += _russian_forms(candidate)
    for form in russian:
        keys |= _surname_word_keys(fold(form))
    keys.discard("")
    return frozenset(keys)


@lru_cache(maxsize=_CACHE_SIZE)
def surname_keys(surname: str) -> frozenset[str]:
    """Return the folded, gender-neutral keys of a surname written in any script."""
    key = fold(surname)
    if not key:
        return _EMPTY
    if " " not in key:
        return _word_keys(surname.strip(_PUNCTUATION))
    words = [w.strip(_PUNCTUATION) for w in _SPLIT_RE.split(surname) if fold(w)]
    # A double surname matches either of its parts (one is often dropped) and
    # the whole.
    per_word = [_word_keys(word) for word in words]
    whole = " ".join(_primary_surname_key(word) for word in words)
    return frozenset().union(*per_word) | {whole}


def _primary_surname_key(word: str) -> str:
    key = fold(word)
    neutral = _neutral_keys(key)
    return neutral[0] if neutral else key


# Productive surname suffixes; two surnames that differ in them are different
# families however alike the stems (Шевчук/Шевченко, Бойко/Бойченко).
_SURNAME_FAMILIES: Final = (
    ("enko", "enko"), ("chuk", "uk"), ("uk", "uk"), ("ski", "ski"), ("vich", "vich"),
    ("ets", "ets"), ("ik", "ik"), ("ak", "ak"), ("ko", "ko"), ("ov", "ov"), ("ev", "ov"),
    ("in", "ov"), ("iv", "ov"), ("ovi", "ov"), ("evi", "ov"), ("ova", "ov"), ("eva", "ov"),
    ("ina", "ov"), ("ska", "ski"), ("skaia", "ski"),
)  # fmt: skip


def surname_family(key: str) -> str:
    for suffix, family in _SURNAME_FAMILIES:
        if key.endswith(suffix):
            return family
    return ""
