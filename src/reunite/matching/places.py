"""Compare places of birth written in Ukrainian, Russian or Latin, under any of their names.

Families write «м. Бахмут, Донецька обл.»; the custodial party writes «г. Артёмовск, ДНР»;
a volunteer writes "Bakhmut, Donetsk oblast". This module reduces each to gazetteer ids
(``reunite.matching.gazetteer``) and an oblast, and compares those; places the gazetteer
does not know are compared by their folded spelling.

How a text is read:

1. It is cut into segments at commas, semicolons, slashes and brackets, and each segment
   into words; words naming the kind of settlement («м.», «смт», «село», "city"), the
   country, a street or "unknown" are dropped.
2. «обл.», «області», "oblast", «республика» mark the word next to them as an oblast
   ("Донецкой области", "Donetsk oblast", "Республика Крым", "Донецкая Народная
   Республика"); «р-н», «район» mark a district, which is dropped with its name. Words
   like «Донеччина», «ДНР», «АРК» name an oblast wherever they stand.
3. The first segment left with words names the settlement; later segments only add an
   oblast ("Mariupol, Donetsk"). A trailing oblast adjective without a marker
   ("Мариуполь Донецкой") is recognised too.
4. The settlement is looked up by its folded spelling among every name of every gazetteer
   entry, then among the former names shared by many places (only with the oblast named),
   then by a cautious fuzzy match (one edit, two in names of 12 letters or more, never
   a change of the first letter, of the ending or a suffix, as «Покровське», «Лозове»
   and «Полтавка» are other places than Покровськ, Лозова and Полтава).
5. If the text names an oblast, ids elsewhere are dropped (this is how «Первомайськ,
   Луганська обл.» is told from Первомайськ of Mykolaiv oblast); if none is left, the place
   counts as unknown rather than as a wrong match.

Folding (``fold``) turns Ukrainian, Russian and Latin spellings into one ASCII skeleton
in which и/і/ї/й/ы/y/i, е/є/э/e, г/ґ/х/h/g/kh, and ия/ія/ya/ia agree, so that «Маріуполь»,
«Мариуполь» and "Mariupol" give the same key; the differences between Ukrainian and
Russian vowels («Харків»/«Харьков») are not folded but covered by the gazetteer's names.
This place key is coarser than the names' phonetic fold (``names.fold``) on purpose: it drops
glides (ія/ия/ia/ya all give "a"), which joins the spellings of a place name that the
gazetteer, its oblast adjectives and its one-edit typo search are keyed on. Letters,
apostrophes, dashes and letters typed in the wrong script follow ``reunite.matching.text``.

Kyiv city (UA-30) counts as the same region as Kyiv oblast (UA-32), and Sevastopol (UA-40)
as Crimea (UA-43), for "same_oblast" and for checking a stated oblast.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import Final, Literal, NamedTuple

from rapidfuzz import process
from rapidfuzz.distance import OSA, JaroWinkler

from reunite.matching.gazetteer import OBLASTS, REGION_WORDS, SETTLEMENTS
from reunite.matching.text import APOSTROPHES, DASHES, repair_lookalikes

__all__ = [
    "PLACE_LEVELS",
    "PlaceKey",
    "PlaceLevel",
    "compare_place_keys",
    "compare_places",
    "fold",
    "normalise_place",
    "oblast_of",
    "place_ids",
    "place_key",
]

PlaceLevel = Literal["missing", "same", "similar", "same_oblast", "different"]

MISSING: Final = "missing"
SAME: Final = "same"
SIMILAR: Final = "similar"
SAME_OBLAST: Final = "same_oblast"
DIFFERENT: Final = "different"

PLACE_LEVELS: Final[tuple[PlaceLevel, ...]] = (MISSING, SAME, SIMILAR, SAME_OBLAST, DIFFERENT)

# Jaro-Winkler of two folded names of unknown places from which they count as "similar":
# «Зайцеве»/«Зайцево» (0.95) are, «Зайцеве»/«Займище» (0.79) are not.
SIMILAR_THRESHOLD: Final = 0.9

_CACHE_SIZE: Final = 1 << 16

# ---------------------------------------------------------------------------
# Folding

# Letters whose decomposition would lose a sound (š → s) or that do not decompose (ł).
_PRE_FOLD: Final = str.maketrans(
    {"š": "sh", "č": "ch", "ž": "zh", "ł": "l", "ß": "ss", "æ": "ae", "ø": "o", "đ": "d"}
)

# Ukrainian and Russian letters to Latin, after NFKD has turned й into и, ї into і and
# ё into е. Iotated vowels keep their "i" so that я/ya/ia agree once glides are dropped.
_CYRILLIC_TO_LATIN: Final = str.maketrans(
    {
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
        "и": "i",
        "і": "i",
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
        "ы": "i",
        "ь": "",
        "э": "e",
        "ю": "iu",
        "я": "ia",
    }
)

# Latin spellings of one sound, longest first so that a regex alternation prefers them.
_LATIN_RULES: Final[dict[str, str]] = {
    "shch": "shch",
    "tch": "ch",
    "sh": "sh",
    "sz": "sh",
    "ch": "ch",
    "cz": "ch",
    "zh": "zh",
    "ts": "ts",
    "tz": "ts",
    "kh": "h",
    "gh": "h",
    "ck": "k",
    "ph": "f",
    "g": "h",
    "x": "ks",
    "q": "k",
    "w": "v",
    "y": "i",
    "j": "i",
    "c": "k",
}
_LATIN_RE: Final = re.compile("|".join(sorted(_LATIN_RULES, key=len, reverse=True)))
_NOT_LETTER_RE: Final = re.compile("[^a-z]+")
_DOUBLE_RE: Final = re.compile(r"([a-z])\1+")
# An i before another vowel is a glide (ia/ya/я, ie/ye/є, iu/yu/ю) that transliterations
# write in different ways or not at all.
_GLIDE_RE: Final = re.compile("i(?=[aeou])")


def _fold_word(word: str) -> str:
    text = word.lower().translate(_PRE_FOLD)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = text.translate(_CYRILLIC_TO_LATIN)
    text = _LATIN_RE.sub(lambda match: _LATIN_RULES[match.group()], text)
    text = _NOT_LETTER_RE.sub("", text)
    text = _DOUBLE_RE.sub(r"\1", text)
    text = _GLIDE_RE.sub("", text)
    return _DOUBLE_RE.sub(r"\1", text)


@lru_cache(maxsize=_CACHE_SIZE)
def fold(text: str) -> str:
    """Fold Ukrainian, Russian or Latin text to its ASCII skeleton, words joined by spaces."""
    return " ".join(word for word in map(_fold_word, _repaired_words(text)) if word)


# ---------------------------------------------------------------------------
# Words

# A word: letters, with apostrophes and hyphens inside it («Слов'янськ», «р-н»,
# "Ivano-Frankivsk"); digits and other signs separate words. Apostrophes, dashes and the
# repair of letters typed in the wrong script are the text rules of the whole project.
_JOINERS: Final = re.escape(APOSTROPHES + DASHES)
_WORD_RE: Final = re.compile(rf"[^\W\d_]+(?:[{_JOINERS}][^\W\d_]+)*")
_SEGMENT_RE: Final = re.compile(r"[,;/|()\[\]{}\n\r\t]+")


def _repaired_words(text: str) -> list[str]:
    return _WORD_RE.findall(repair_lookalikes(text))


def _folded_set(words: Iterable[str]) -> frozenset[str]:
    return frozenset(_fold_word(word) for word in words)


# Kinds of settlement, countries, "unknown": dropped wherever they stand.
_DROP: Final = _folded_set(
    (
        "місто", "міста", "місті", "город", "города", "гор", "misto", "gorod", "city", "town",
        "смт", "пгт", "smt", "pgt", "селище", "селища", "сщ", "с-ще", "поселок", "посёлок",
        "пос", "міського", "городского", "типу", "типа", "urban-type", "urban", "type",
        "settlement", "село", "села", "селі", "сел", "selo", "village", "хутір", "хутор",
        "округ", "округа", "муниципальный", "городской", "міська", "городская", "громада",
        "hromada", "україна", "україни", "украина", "украины", "ukraine", "росія", "россия",
        "рф", "российская", "російська", "федерация", "федерація", "russia", "russian",
        "federation", "невідомо", "неизвестно", "невідоме", "unknown", "немає", "нет", "нд",
    )
)  # fmt: skip
# Words after which a segment is an address, not a place: its rest is dropped.
_STREET: Final = _folded_set(
    (
        "вул", "вулиця", "ул", "улица", "пр", "просп", "проспект", "пров", "провулок", "пер",
        "переулок", "бул", "бульвар", "street", "str", "st", "avenue", "мкр", "мікрорайон",
        "микрорайон", "квартал", "кв", "буд", "будинок", "дом",
    )
)  # fmt: skip
# Words that make their neighbour an oblast name.
_OBLAST_MARKERS: Final = _folded_set(
    (
        "обл", "область", "області", "области", "областю", "oblast", "oblasti", "obl",
        "region", "регион", "регіон", "республіка", "республика", "республіки", "республики",
        "республиці", "республике", "republic", "respublika",
    )
)  # fmt: skip
# «АР Крим»: «АР» folds like «Яр» (of «Часів Яр»), so it is recognised before folding;
# «Крим» then names the oblast on its own.
_CRIMEA_AR: Final = frozenset({"ар", "ar"})
# Words that make their neighbour a district name, dropped with it.
_DISTRICT_MARKERS: Final = _folded_set(
    (
        "р-н", "р-ну", "р-не", "район", "району", "района", "районі", "районе", "raion",
        "rayon", "district", "сільрада", "сельсовет", "міськрада", "горсовет",
    )
)  # fmt: skip
_MARKERS: Final = _OBLAST_MARKERS | _DISTRICT_MARKERS
# Words between an oblast name and its marker: «Донецкая Народная Республика».
_FILLERS: Final = _folded_set(
    (
        "народна", "народная", "народної", "народной", "автономна", "автономная",
        "автономної", "автономной", "peoples", "people", "autonomous", "avtonomna",
    )
)  # fmt: skip

# Case endings a folded oblast adjective may carry after its stem (Донецьк|а, Донецьк|ої,
# Донецк|ой, Донецьк|ій, Донецк|ую, Донецьк|ою); "" only next to a marker, where the
# bare form "Donetsk oblast" is normal.
_ADJECTIVE_ENDINGS: Final = frozenset({"a", "oi", "i", "u", "ou"})
# Endings of a noun naming an oblast: «Крым|а», «Крим|у». Not "e": «Луганське» and
# «Донецьке» are villages, not Luhansk or Donetsk oblast.
_NOUN_ENDINGS: Final = frozenset({"", "a", "u"})

# Kyiv city belongs with Kyiv oblast, Sevastopol with Crimea.
_REGION_GROUP: Final = {"UA-30": "UA-32", "UA-40": "UA-43"}


def _group(oblast: str) -> str:
    return _REGION_GROUP.get(oblast, oblast)


def _groups(oblasts: Iterable[str]) -> frozenset[str]:
    return frozenset(map(_group, oblasts))


# ---------------------------------------------------------------------------
# Indexes, built once from the gazetteer


def _key(text: str) -> str:
    """Return the lookup key of a name: its folded words run together."""
    return fold(text).replace(" ", "")


def _build_index(
    names: Iterable[tuple[str, str]],
) -> dict[str, frozenset[str]]:
    index: dict[str, set[str]] = {}
    for name, settlement_id in names:
        key = _key(name)
        if key:
            index.setdefault(key, set()).add(settlement_id)
    return {key: frozenset(ids) for key, ids in index.items()}


_OBLAST_OF: Final[dict[str, str]] = {entry.id: entry.oblast for entry in SETTLEMENTS}
_INDEX: Final = _build_index(
    (name, entry.id)
    for entry in SETTLEMENTS
    for name in (entry.uk, entry.ru, entry.latin, *entry.other, *entry.former)
)
_LOCAL_INDEX: Final = _build_index(
    (name, entry.id) for entry in SETTLEMENTS for name in entry.former_local
)
_FUZZY_KEYS: Final = tuple(_INDEX)

_REGION_INDEX: Final[dict[str, frozenset[str]]] = {
    _key(word): frozenset(oblasts) for word, oblasts in REGION_WORDS.items()
}
# Stems of oblast adjectives ("донецьк" of «Донецька», "doneck" of "Donetska") and nouns.
_ADJECTIVE_STEMS: Final[tuple[tuple[str, str], ...]] = tuple(
    (stem[:-1] if stem.endswith("a") else stem, oblast.id)
    for oblast in OBLASTS
    if oblast.kind == "oblast"
    for stem in {_key(name) for name in (oblast.uk, oblast.ru, oblast.latin, *oblast.other)}
)
_NOUNS: Final[tuple[tuple[str, str], ...]] = tuple(
    (noun, oblast.id) for oblast in OBLASTS for noun in {_key(name) for name in oblast.nouns}
)


@lru_cache(maxsize=4096)
def _oblast_word(word: str, marked: bool) -> frozenset[str]:
    """Return the oblasts a folded word names, if it is an oblast adjective, noun or region."""
    found = _REGION_INDEX.get(word)
    if found:
        return found
    oblasts: set[str] = set()
    for noun, oblast in _NOUNS:
        if word.startswith(noun) and word[len(noun) :] in _NOUN_ENDINGS:
            oblasts.add(oblast)
    for stem, oblast in _ADJECTIVE_STEMS:
        if word.startswith(stem):
            ending = word[len(stem) :]
            if ending in _ADJECTIVE_ENDINGS or (marked and not ending):
                oblasts.add(oblast)
    return frozenset(oblasts)


# ---------------------------------------------------------------------------
# Reading a place


class _Reading(NamedTuple):
    name: str  # lookup key of the settlement named, "" if none
    ids: frozenset[str]
    oblasts: frozenset[str]  # oblasts named in the text itself
    words: tuple[str, ...]  # folded words without kinds, markers, countries


_NOTHING: Final = _Reading("", frozenset(), frozenset(), ())


def _neighbour(words: list[str], taken: list[bool], index: int, step: int) -> int | None:
    """Return the nearest word in one direction that is no filler, marker or taken word."""
    position = index + step
    while 0 <= position < len(words):
        word = words[position]
        if not taken[position] and word not in _FILLERS:
            if word in _OBLAST_MARKERS or word in _DISTRICT_MARKERS:
                return None
            return position
        position += step
    return None


def _strip_markers(words: list[str], oblasts: set[str]) -> list[str]:
    """Drop marker words with the oblast or district names they mark; collect the oblasts."""
    taken = [False] * len(words)
    for index, word in enumerate(words):
        if word in _OBLAST_MARKERS:
            taken[index] = True
            for step in (-1, 1):
                position = _neighbour(words, taken, index, step)
                if position is None:
                    continue
                named = _oblast_word(words[position], True)
                if named:
                    oblasts.update(named)
                    taken[position] = True
                    break
        elif word in _DISTRICT_MARKERS:
            taken[index] = True
            position = _neighbour(words, taken, index, -1)
            if position is None:
                position = _neighbour(words, taken, index, 1)
            if position is not None:
                taken[position] = True
        elif word in _FILLERS:
            taken[index] = True
        elif word in _REGION_INDEX:
            oblasts.update(_REGION_INDEX[word])
            taken[index] = True
    return [word for index, word in enumerate(words) if not taken[index]]


def _segment_words(segment: str) -> list[str]:
    words: list[str] = []
    for raw in _repaired_words(segment):
        if raw.lower() in _CRIMEA_AR:
            continue
        word = _fold_word(raw)
        if word in _STREET:
            break
        # One-letter words are abbreviations («м.», «г.», «с.»), never a place.
        if len(word) > 1 and word not in _DROP:
            words.append(word)
    return words


def _plausible_typo(key: str, candidate: str) -> bool:
    """Tell whether a near miss looks like a typo rather than another place's name.

    Ukrainian villages are often named after a town with another ending or suffix
    («Лозове»/«Лозова», «Полтавка»/«Полтава», «Покровське»/«Покровськ»,
    «Орлівка»/«Горлівка»): the first and last letters must agree (or the last two be
    swapped), and the key may not be the candidate extended or with a letter slipped in
    before its last one.
    """
    if key[0] != candidate[0] or key.startswith(candidate):
        return False
    if key[-1] != candidate[-1]:
        return len(key) == len(candidate) and key[-2:] == candidate[-2:][::-1]
    return not (len(key) == len(candidate) + 1 and key[:-2] == candidate[:-1])


def _fuzzy(key: str) -> frozenset[str]:
    """Return the ids of the one gazetteer name within an edit or two of a key, if any."""
    if len(key) < 5:
        return frozenset()
    limit = 1 if len(key) < 12 else 2
    best: int | None = None
    found: set[frozenset[str]] = set()
    for candidate, distance, _ in process.extract(
        key, _FUZZY_KEYS, scorer=OSA.distance, score_cutoff=limit, limit=10
    ):
        if not _plausible_typo(key, candidate):
            continue
        if best is None or distance < best:
            best = int(distance)
            found = set()
        if distance == best:
            found.add(_INDEX[candidate])
    # Two different places equally close: a guess would be a coin toss.
    return next(iter(found)) if len(found) == 1 else frozenset()


def _within(ids: frozenset[str], oblasts: frozenset[str]) -> frozenset[str]:
    groups = _groups(oblasts)
    return frozenset(i for i in ids if _group(_OBLAST_OF[i]) in groups)


@lru_cache(maxsize=_CACHE_SIZE)
def _read(text: str) -> _Reading:
    if not text or text.isspace():
        return _NOTHING
    oblasts: set[str] = set()
    all_words: list[str] = []
    name_words: list[str] | None = None
    for segment in _SEGMENT_RE.split(text):
        words = _segment_words(segment)
        all_words.extend(word for word in words if word not in _MARKERS)
        words = _strip_markers(words, oblasts)
        if not words:
            continue
        key = "".join(words)
        if name_words is not None or key not in _INDEX:
            named = _oblast_word(key, False) if len(words) == 1 else frozenset()
            if named:
                oblasts.update(named)
                continue
            if name_words is not None:
                continue  # an address or a note after the settlement
            if len(words) > 1 and (named := _oblast_word(words[-1], False)):
                oblasts.update(named)
                words = words[:-1]
        if name_words is None:
            name_words = words
    named_oblasts = frozenset(oblasts)
    name = "".join(name_words or ())
    ids = _INDEX.get(name, frozenset())
    if not ids and name and named_oblasts:
        ids = _within(_LOCAL_INDEX.get(name, frozenset()), named_oblasts)
    if not ids and name:
        ids = _fuzzy(name)
    if ids and named_oblasts:
        # A stated oblast that contradicts every candidate means another place of the
        # same name: better unknown than a wrong "same".
        ids = _within(ids, named_oblasts)
    return _Reading(name, ids, named_oblasts, tuple(all_words))


# ---------------------------------------------------------------------------
# Public API


def normalise_place(text: str) -> str:
    """Fold a place to its skeleton without kinds of settlement, markers and countries."""
    return " ".join(_read(text).words)


def place_ids(text: str) -> frozenset[str]:
    """Return the gazetteer ids a place may be; empty when it is unknown or ambiguous."""
    return _read(text).ids


class PlaceKey(NamedTuple):
    """What a comparison needs of a place: the settlement named, its ids, the oblasts named."""

    name: str
    ids: frozenset[str]
    oblasts: frozenset[str]


def _oblasts(reading: _Reading | PlaceKey) -> frozenset[str]:
    if reading.ids:
        return frozenset(_OBLAST_OF[i] for i in reading.ids)
    return reading.oblasts


def oblast_of(text: str) -> str | None:
    """Return the ISO 3166-2:UA code of a place's oblast, or None if unknown or ambiguous."""
    oblasts = _oblasts(_read(text))
    return next(iter(oblasts)) if len(oblasts) == 1 else None


@lru_cache(maxsize=_CACHE_SIZE)
def place_key(text: str) -> PlaceKey:
    """Return a place's comparison key; many spellings of one place share one key."""
    reading = _read(text)
    return PlaceKey(reading.name, reading.ids, reading.oblasts)


@lru_cache(maxsize=_CACHE_SIZE)
def compare_place_keys(left: PlaceKey, right: PlaceKey) -> PlaceLevel:
    """Compare two places by their keys (see compare_places); memoised, keys repeat."""
    if not (left.name or left.oblasts) or not (right.name or right.oblasts):
        return MISSING
    if left.ids and right.ids:
        if left.ids & right.ids:
            return SAME
        return SAME_OBLAST if _groups(_oblasts(left)) & _groups(_oblasts(right)) else DIFFERENT
    left_groups = _groups(_oblasts(left))
    right_groups = _groups(_oblasts(right))
    if left_groups and right_groups and not left_groups & right_groups:
        return DIFFERENT
    if left.name and right.name:
        if left.name == right.name:
            return SAME
        if JaroWinkler.similarity(left.name, right.name) >= SIMILAR_THRESHOLD:
            return SIMILAR
    return SAME_OBLAST if left_groups & right_groups else DIFFERENT


def compare_places(a: str, b: str) -> PlaceLevel:
    """Compare two places of birth and return the agreement level (see PLACE_LEVELS)."""
    return compare_place_keys(place_key(a), place_key(b))
