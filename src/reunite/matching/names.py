"""Compare personal names across Ukrainian Cyrillic, Russian Cyrillic and Latin.

Families write their tracing requests in Ukrainian Cyrillic («Олександр
Миколайович Лисенко») or in Latin as printed in Ukrainian passports
(«Oleksandr Lysenko»); the custodial party discloses records in Russian Cyrillic
with Russified names («Александр Николаевич Лысенко»). This module turns any of
these spellings into keys that agree:

* ``fold`` — a script-independent phonetic skeleton in lower-case ASCII;
* ``given_name_ids`` — canonical identities of a given name (full forms, Russian
  and Ukrainian forms, transliterations, diminutives);
* ``patronymic_father_ids`` — the father's given-name identities implied by a
  patronymic;
* ``surname_keys`` — gender-neutral folded keys of a surname, with the Russian
  forms of Ukrainian surnames;
* ``given_name_relation``/``surname_relation`` — a verdict for two names.

Sources (all installed packages, read offline; nothing is downloaded):

* names_translator (MIT): compiled uk->ru dictionaries of ~11k first names,
  ~17k patronymics and ~120k surnames. First names are read whole, once, on
  first use; patronymics and surnames are looked up key by key.
* translitua (MIT): the Ukrainian tables — KMU 2010 (Cabinet of Ministers of
  Ukraine resolution No. 55 of 27.01.2010, the passport standard since 2010),
  the passport tables of 2007 and 2004, BGN/PCGN 1965, National 1996, …
* iuliia (MIT): the Russian schemas — ICAO Doc 9303 (Russian passports since
  2013), GOST 7.79-2000 system B, BGN/PCGN, MVD order 310 of 1997 (passports
  1997-2010) and MVD order 782 (2010-2013).
* rapidfuzz (MIT): Jaro-Winkler similarity.
* reunite.matching.name_tables: the project's own small tables (diminutives,
  Western spellings, irregular patronymics).

Decisions callers must know:

* Identities are strings: a dictionary name's identity is the lower-case
  Cyrillic representative of its group («олександр»); a name unknown to the
  dictionaries gets ``"fold:" + fold(name)`` so that equal spellings still agree.
* The sex of a name is part of its identity: «Іван»/«Іванна», «Ян»/«Яна» and
  «Олександр»/«Олександра» are "different" even though they look alike; twins
  and siblings are told apart by exactly these pairs.
* «Лисенко» and «Лисенков» are "different" surnames: -ов is a Russian suffix that
  makes a new surname (names_translator lists «Лисенков» as a surname of its own,
  and Russification keeps -енко as it is); likewise «Шевчук»/«Шевченко» and
  «Ковальчук»/«Коваленко», whose productive suffixes differ.
* Everything is a pure function of its arguments; per-string results are
  memoised with ``lru_cache``, dictionaries are built once per process.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache, lru_cache, partial
from importlib import resources
from pathlib import Path
from typing import Any, Final

import iuliia
import translitua
from names_translator.dicts import default_dicts, normalize_key
from rapidfuzz.distance import JaroWinkler

from reunite.matching import name_tables
from reunite.matching.disk_cache import cached
from reunite.matching.name_tables import (
    DIMINUTIVES,
    FEMININE_CONSONANT_NAMES,
    IRREGULAR_PATRONYMICS,
    MASCULINE_A_NAMES,
    WESTERN_GIVEN,
)
from reunite.records.cleaning import script_of

__all__ = [
    "RU_STANDARDS",
    "UK_STANDARDS",
    "detect_script",
    "father_ids_from_name",
    "fold",
    "given_name_from_full",
    "given_name_ids",
    "given_name_relation",
    "name_similarity",
    "patronymic_father_ids",
    "person_given_ids",
    "person_surname_keys",
    "surname_keys",
    "surname_relation",
    "transliterate",
]

_EMPTY: Final[frozenset[str]] = frozenset()

# Thresholds of the relations (Jaro-Winkler on folded strings).
SIMILAR_GIVEN: Final = 0.88
SIMILAR_SURNAME: Final = 0.9

_CACHE_SIZE: Final = 1 << 18

# ---------------------------------------------------------------------------
# Scripts


@lru_cache(maxsize=_CACHE_SIZE)
def detect_script(text: str) -> str:
    """Tell whether the letters of a text are "cyrillic", "latin", "mixed" or "none"."""
    # The same rule as when lists are cleaned: one definition of a script's letters.
    return script_of(text)


# ---------------------------------------------------------------------------
# Transliteration

_Translit = Callable[[str], str]


def _translitua_table(table: Any) -> _Translit:
    def run(word: str) -> str:
        return str(translitua.translit(word, table, preserve_case=False))

    return run


def _iuliia_schema(schema: Any) -> _Translit:
    def run(word: str) -> str:
        return str(schema.translate(word))

    return run


# Ukrainian tables of translitua. KMU 2010 = Cabinet of Ministers of Ukraine
# resolution No. 55 of 27.01.2010 (passports since 2010; adopted as-is by
# BGN/PCGN in 2019 and UNGEGN in 2012). "bgn" is the older BGN/PCGN 1965 system
# seen in documents issued abroad before 2019.
UK_STANDARDS: Final[dict[str, _Translit]] = {
    "kmu2010": _translitua_table(translitua.UkrainianKMU),
    "passport2007": _translitua_table(translitua.UkrainianPassport2007),
    "passport2004": _translitua_table(translitua.UkrainianPassport2004Alt),
    "bgn": _translitua_table(translitua.UkrainianBGN),
    "bgn2019": _translitua_table(translitua.UkrainianBGN2019),
    "national1996": _translitua_table(translitua.UkrainianNational1996),
    "gost1986": _translitua_table(translitua.UkrainianGOST1986),
    "gost1971": _translitua_table(translitua.UkrainianGOST1971),
    "german": _translitua_table(translitua.UkrainianGerman),
    "french": _translitua_table(translitua.UkrainianFrench),
    "simple": _translitua_table(translitua.UkrainianSimple),
    "dstu9112b": _translitua_table(translitua.UkrainianDSTU9112B),
    "iso9": _translitua_table(translitua.UkrainianISO9),
    "dstu9112a": _translitua_table(translitua.UkrainianDSTU9112A),
}

# Russian schemas of iuliia. ICAO Doc 9303 = Russian passports since 2013
# (MID order No. 4271); GOST 7.79-2000 system B = ISO 9:1995 without
# diacritics; "passport1997" = MVD order No. 310 of 26.05.1997 (passports
# 1997-2010); "passport2010" = MVD order No. 782 (2010-2013).
RU_STANDARDS: Final[dict[str, _Translit]] = {
    "icao": _iuliia_schema(iuliia.ICAO_DOC_9303),
    "gost": _iuliia_schema(iuliia.GOST_779_ALT),
    "bgn": _iuliia_schema(iuliia.BGN_PCGN),
    "passport1997": _iuliia_schema(iuliia.MVD_310),
    "passport2010": _iuliia_schema(iuliia.MVD_782),
    "telegram": _iuliia_schema(iuliia.TELEGRAM),
    "gost_a": _iuliia_schema(iuliia.GOST_779),
}

# Letters one language's tables do not know (Russian text given to a Ukrainian
# table and the reverse), spelled the plain passport way.
_FOREIGN_LETTERS: Final = {
    "uk": {"ы": "y", "э": "e", "ё": "yo", "ъ": ""},
    "ru": {"і": "i", "ї": "yi", "є": "ye", "ґ": "g"},
}
_FOREIGN_TABLES: Final = {
    lang: str.maketrans(letters | {k.upper(): v.capitalize() for k, v in letters.items()})
    for lang, letters in _FOREIGN_LETTERS.items()
}
# iuliia's BGN/PCGN schema leaves «ё» as is (BGN writes «ë»); typographic
# apostrophes and quotes of BGN become their ASCII forms.
_ASCII_PUNCT: Final = str.maketrans(
    {"ё": "e", "Ё": "E", "\u2019": "'", "\u02bc": "'", "\u201d": '"', "\u201c": '"'}
)
_WORD_RE = re.compile(r"[^\W\d_]+(?:['\u2019\u02bc`][^\W\d_]+)*")
_MARK_RE = re.compile("[\u0300-\u036f\ufe20-\ufe2f]")


_UK_ALPHABET: Final = "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя"
_RU_ALPHABET: Final = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"


def _diacritic_standards() -> frozenset[tuple[str, str]]:
    """Find the standards that spell with diacritics by design (ISO 9, DSTU A, GOST 1986)."""
    found = set()
    for language, tables, alphabet in (
        ("uk", UK_STANDARDS, _UK_ALPHABET),
        ("ru", RU_STANDARDS, _RU_ALPHABET),
    ):
        for name, table in tables.items():
            if not table(alphabet).translate(_ASCII_PUNCT).isascii():
                found.add((language, name))
    return frozenset(found)


# Their output is returned as is; every other standard is reduced to ASCII.
_DIACRITIC_STANDARDS: Final = _diacritic_standards()


def _to_ascii(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.translate(_ASCII_PUNCT))
    text = _MARK_RE.sub("", text)
    return text.encode("ascii", "ignore").decode("ascii")


@lru_cache(maxsize=_CACHE_SIZE)
def transliterate(text: str, *, language: str, standard: str) -> str:
    """Transliterate Cyrillic text into Latin by a Ukrainian or Russian standard."""
    if language == "uk":
        tables = UK_STANDARDS
    elif language == "ru":
        tables = RU_STANDARDS
    else:
        raise ValueError(f"unknown language {language!r}, expected 'uk' or 'ru'")
    table = tables.get(standard)
    if table is None:
        raise ValueError(
            f"unknown {language} standard {standard!r}, expected one of {sorted(tables)}"
        )
    foreign = _FOREIGN_TABLES[language]

    def word(match: re.Match[str]) -> str:
        original = match.group()
        # Tables capitalise digraphs («Щ» -> «Shch»); a word in capitals must
        # stay in capitals («ЩУР» -> «SHCHUR», not «ShchUR»).
        upper = original.isupper() and len(original) > 1
        result = table(original.lower() if upper else original).translate(foreign)
        return result.upper() if upper else result

    result = _WORD_RE.sub(word, unicodedata.normalize("NFC", text))
    if (language, standard) in _DIACRITIC_STANDARDS:
        return result
    return _to_ascii(result)


# ---------------------------------------------------------------------------
# Fold
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
_APOSTROPHES: Final = "'\u2019\u02bc`\u00b4\u2018\u02b9\u2032\uff07\u201b\u02bb\u02c8\u201d\""
_SEPARATORS: Final = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\t\n\r\xa0,;/"
_FOLD_TABLE: Final = str.maketrans(
    _FOLD_CYRILLIC | _FOLD_LATIN | dict.fromkeys(_APOSTROPHES, "") | dict.fromkeys(_SEPARATORS, " ")
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
def _alternative_folds(text: str) -> tuple[str, ...]:
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


# ---------------------------------------------------------------------------
# Given names: the index


@dataclass(frozen=True, slots=True)
class _GivenIndex:
    full: dict[str, frozenset[str]]  # fold -> identities of full names
    dims: dict[str, frozenset[str]]  # fold -> identities a short form stands for
    sex: dict[str, str]  # identity -> "m", "f" or "u"
    form_id: dict[str, str]  # Cyrillic form -> identity
    common: frozenset[str]  # identities of the names in the project's own tables


_UKRAINIAN_LETTERS = frozenset("іїєґ")
_VOWEL_ENDINGS = ("а", "я")


def _form_sex(form: str) -> str:
    if form in MASCULINE_A_NAMES:
        return "m"
    if form in FEMININE_CONSONANT_NAMES:
        return "f"
    if form.endswith(_VOWEL_ENDINGS):
        return "f"
    if form.endswith("ь") or "-" in form or " " in form:
        return "u"
    return "m"


def _component_sex(forms: set[str]) -> str:
    # The listed exceptions outweigh the endings of the group's other
    # spellings («Ілля» with «Ілья», «Іл'я»).
    if not forms.isdisjoint(MASCULINE_A_NAMES):
        return "m"
    if not forms.isdisjoint(FEMININE_CONSONANT_NAMES):
        return "f"
    sexes = {_form_sex(form) for form in forms} - {"u"}
    return sexes.pop() if len(sexes) == 1 else "u"


def _risky_letters(table: _Translit, alphabet: str) -> frozenset[str]:
    """Letters whose spelling by a table does not fold like the letter itself."""
    risky = set()
    for letter in alphabet:
        for sample in (
            letter + "а",
            "а" + letter,
            "н" + letter + "а",
            *("а" + letter + vowel for vowel in "аеиі"),
        ):
            if fold(table(sample)) != fold(sample):
                risky.add(letter)
                break
    return frozenset(risky)


# Tables whose spellings are folded into the index where fold alone does not
# bring them together (typically х as x, ж as j, к as c).
_INDEX_TABLES: Final = (
    ("uk", ("kmu2010", "passport2007", "passport2004", "bgn", "national1996", "german")),
    ("ru", ("icao", "gost", "bgn", "passport1997", "passport2010")),
)


# The names the project's own tables are written with are the preferred
# representatives; the dictionary also carries misspelt keys («андрєй»).
_CANONICAL_FORMS: Final = frozenset(DIMINUTIVES) | frozenset(
    name for names in WESTERN_GIVEN.values() for name in names
)
_NON_UKRAINIAN_RE = re.compile(r"[ыэёъ]|(?<![аеєиіїоуюя'])є|ий$")


def _pick_representative(forms: set[str], first: dict[str, list[str]], russian: set[str]) -> str:
    """Choose the most plausible standard Ukrainian spelling of a name group."""

    def score(form: str) -> tuple[int, int, int, int, int, int, str]:
        translations = first.get(form)
        return (
            0 if form in _CANONICAL_FORMS else 1,
            0 if translations is not None else 1,
            1 if _NON_UKRAINIAN_RE.search(form) else 0,
            0 if form in russian else 1,
            -len(translations or ()),
            len(form),
            form,
        )

    return min(forms, key=score)


@cache
def _given_index() -> _GivenIndex:
    """Return the given-name index, from the cache file when it is current (see disk_cache)."""
    sources = [Path(__file__), Path(name_tables.__file__ or "")]
    return cached("given-names", sources, _build_given_index)


def _build_given_index() -> _GivenIndex:
    """Build the given-name index from names_translator's first names."""
    first: dict[str, list[str]] = default_dicts().as_dict("first")
    parent: dict[str, str] = {}

    def find(form: str) -> str:
        root = parent.setdefault(form, form)
        while root != parent[root]:
            parent[root] = parent[parent[root]]
            root = parent[root]
        return root

    ukrainian: set[str] = set()
    russian: set[str] = set()
    for key, translations in first.items():
        ukrainian.add(key)
        root = find(key)
        for translation in translations:
            form = normalize_key(translation)
            russian.add(form)
            other = find(form)
            if other != root:
                parent[other] = root

    groups: dict[str, set[str]] = {}
    for form in parent:
        groups.setdefault(find(form), set()).add(form)

    form_id: dict[str, str] = {}
    sex: dict[str, str] = {}
    for forms in groups.values():
        identity = _pick_representative(forms, first, russian)
        sex[identity] = _component_sex(forms)
        for form in forms:
            form_id[form] = identity

    full: dict[str, set[str]] = {}

    def add(index: dict[str, set[str]], key: str, identity: str) -> None:
        if key:
            index.setdefault(key, set()).add(identity)

    for form, identity in form_id.items():
        add(full, fold(form), identity)
    for language, names in _INDEX_TABLES:
        sources = ukrainian if language == "uk" else russian
        alphabet = _UK_ALPHABET if language == "uk" else _RU_ALPHABET
        tables = UK_STANDARDS if language == "uk" else RU_STANDARDS
        for name in names:
            table = tables[name]
            risky = _risky_letters(table, alphabet)
            for form in sources:
                if not risky.isdisjoint(form):
                    add(full, fold(table(form)), form_id[form])

    for latin, targets in WESTERN_GIVEN.items():
        for target in targets:
            if target in form_id:
                add(full, fold(latin), form_id[target])

    dims: dict[str, set[str]] = {}
    dim_sexes: dict[str, set[str]] = {}
    for target, short_forms in DIMINUTIVES.items():
        target_id = form_id.get(target)
        if target_id is None:
            continue
        for short in short_forms:
            add(dims, fold(short), target_id)
            dim_sexes.setdefault(short, set()).add(sex[target_id])
    # A short form the dictionary lists as a name of its own («Саша», «Женя»)
    # has the sex of the names it stands for, not the one of its ending.
    for short, sexes in dim_sexes.items():
        short_id = form_id.get(short)
        if short_id is not None:
            sex[short_id] = sexes.pop() if len(sexes) == 1 else "u"

    return _GivenIndex(
        full={key: frozenset(ids) for key, ids in full.items()},
        dims={key: frozenset(ids) for key, ids in dims.items()},
        sex=sex,
        form_id=form_id,
        common=frozenset(form_id[name] for name in _CANONICAL_FORMS if name in form_id),
    )


# ---------------------------------------------------------------------------
# Given names: lookups


@dataclass(frozen=True, slots=True)
class _Given:
    key: str  # fold of the name
    full: frozenset[str]  # identities as a full name (a fold id when unknown)
    dims: frozenset[str]  # identities it is a short form of
    sex: str  # "m", "f" or "u"
    known: bool


_NO_GIVEN: Final = _Given("", _EMPTY, _EMPTY, "u", False)


def _fold_id(key: str) -> str:
    return "fold:" + key


def _lookup_given(key: str) -> tuple[frozenset[str], frozenset[str]]:
    index = _given_index()
    return index.full.get(key, _EMPTY), index.dims.get(key, _EMPTY)


@lru_cache(maxsize=_CACHE_SIZE)
def _given(name: str) -> _Given:
    key = fold(name)
    if not key:
        return _NO_GIVEN
    full, dims = _lookup_given(key)
    if not full and not dims and " " in key:
        # «Анна-Марія», «Анна Марія»: a double name stands for both names.
        parts = [_given(part) for part in key.split() if len(part) > 1]
        full = frozenset().union(*(p.full for p in parts if p.known))
        dims = frozenset().union(*(p.dims for p in parts if p.known))
    for alternative in () if full or dims else _alternative_folds(name):
        full, dims = _lookup_given(alternative)
        if full or dims:
            break
    known = bool(full or dims)
    if not known:
        return _Given(key, frozenset({_fold_id(key)}), _EMPTY, "u", False)
    index = _given_index()
    # When the spelling also reads as a rare name of the other sex (Ілля and a
    # feminine «Ілія»), the common name in the project's tables decides.
    ids = full | dims
    sexes = {index.sex.get(identity, "u") for identity in (ids & index.common) or ids}
    return _Given(key, full, dims, sexes.pop() if len(sexes) == 1 else "u", True)


def given_name_ids(name: str) -> frozenset[str]:
    """Return the canonical identities of a given name written in any script."""
    info = _given(name)
    return info.full | info.dims


# ---------------------------------------------------------------------------
# Patronymics

# Suffixes on folded patronymics, longest first: Russian -инична/-ична
# (Ильинична, Саввична), -ович/-евич, Ukrainian -івна/-ївна, Russian
# -овна/-евна and the short -ич (Ілліч, Кузьмич, Лукич).
_PATRONYMIC_SUFFIXES: Final = ("inichna", "ichna", "ovich", "evich", "ivna", "ovna", "evna", "ich")
_STRONG_PATRONYMIC_RE = re.compile(r"(?:ovich|evich|ovna|evna|ivna|ichna)$")
# Endings that rebuild the father's name from the stem: Іван-ович (""),
# Петр-ович (о), Кузьм-ич (а), Илл-ич (я), Юр-ьевич (ий), Серг-еевич (ей).
_FATHER_ENDINGS: Final = ("", "o", "a", "ia", "i", "ei")


@cache
def _irregular_patronymics() -> dict[str, frozenset[str]]:
    index = _given_index()
    table: dict[str, frozenset[str]] = {}
    for patronymic, father in IRREGULAR_PATRONYMICS.items():
        identity = index.form_id.get(father)
        if identity is not None:
            table[fold(patronymic)] = frozenset({identity})
    return table


def _patronymic_stem(key: str) -> str:
    for suffix in _PATRONYMIC_SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix) + 1:
            return key[: -len(suffix)]
    return ""


def _fathers_from_fold(key: str) -> tuple[frozenset[str], str]:
    """Father identities a folded patronymic points to, and the bare stem."""
    irregular = _irregular_patronymics().get(key)
    if irregular:
        return irregular, ""
    stem = _patronymic_stem(key)
    if not stem:
        return _EMPTY, ""
    index = _given_index()
    found: set[str] = set()
    for ending in _FATHER_ENDINGS:
        for identity in index.full.get(fold(stem + ending), _EMPTY):
            # A father's name is masculine: «Іван-ович» is not «Іван-а».
            if index.sex.get(identity, "u") != "f":
                found.add(identity)
    # Several endings may hit a name («Юр-ій», «Юр-а», «Юр»): when one of them
    # is a common name, the rare ones are spelling accidents.
    common = found & index.common
    return frozenset(common or found), stem


@lru_cache(maxsize=_CACHE_SIZE)
def patronymic_father_ids(patronymic: str) -> frozenset[str]:
    """Return the identities of the father's given name implied by a patronymic."""
    words = fold(patronymic).split()
    if not words:
        return _EMPTY
    key = words[-1]
    forms = [key]
    if detect_script(patronymic) == "cyrillic":
        # names_translator's patronymic dictionary gives the Russian forms of
        # a Ukrainian patronymic; the suffix rules then read all of them.
        word = patronymic.split()[-1]
        forms += [
            fold(ru) for ru in default_dicts().lookup_key(normalize_key(word), "patronymic", 3)
        ]
    found: set[str] = set()
    stem = ""
    for form in forms:
        fathers, form_stem = _fathers_from_fold(form)
        found |= fathers
        stem = stem or form_stem
    if found:
        return frozenset(found)
    # An unknown father's name still agrees with given_name_ids of its spelling.
    return frozenset({_fold_id(stem)}) if stem else _EMPTY


# ---------------------------------------------------------------------------
# Surnames

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
def _surname_dawg() -> Any:
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


def _cyrillic_candidates(word: str) -> list[str]:
    """Ukrainian Cyrillic surnames names_translator knows that a Latin word may spell."""
    dct = _surname_dawg()
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
            for candidate in _cyrillic_candidates(word):
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


def _surname_family(key: str) -> str:
    for suffix, family in _SURNAME_FAMILIES:
        if key.endswith(suffix):
            return family
    return ""


# ---------------------------------------------------------------------------
# Full names

_PATRONYMIC_SHAPE_RE = re.compile(r"(?:ovich|evich|ovna|evna|ivna|ichna|ich)$")
_SURNAME_SHAPE_RE = re.compile(
    r"(?:enko|uk|ski|ska|skaia|tski|ov|ova|ev|eva|in|ina|iv|ets|nik|ak|iak|ishin|ko|ovich|evich)$"
)


@dataclass(frozen=True, slots=True)
class _FullName:
    given: str
    patronymic: str
    surnames: tuple[str, ...]


def _is_patronymic(token: str) -> bool:
    key = fold(token)
    if _STRONG_PATRONYMIC_RE.search(key):
        return True
    return _PATRONYMIC_SHAPE_RE.search(key) is not None and key in _irregular_patronymics()


@lru_cache(maxsize=_CACHE_SIZE)
def _is_known_surname(token: str) -> bool:
    """Tell whether names_translator lists the word as a Ukrainian surname."""
    if detect_script(token) == "latin":
        return bool(token.isascii() and _cyrillic_candidates(token))
    dct = _surname_dawg()
    key = normalize_key(token).encode() + b"\x01"
    return dct is not None and dct.follow_bytes(key, dct.ROOT) is not None


def _given_score(token: str) -> int:
    """Score a word as a given name: +2 when known as one, -1 when it looks like a surname."""
    info = _given(token)
    if _SURNAME_SHAPE_RE.search(info.key):
        return (2 if info.known else 0) - 1
    if info.known:
        return 2
    # An unknown word that is no listed surname is more likely a rare given
    # name («Айгерім») than a surname.
    return -1 if _is_known_surname(token) else 1


@lru_cache(maxsize=_CACHE_SIZE)
def _split_full(full_name: str) -> _FullName:
    text = full_name.replace(".", ". ")
    surname_part, comma, rest = text.partition(",")
    tokens = [t.strip(".") for t in (rest if comma else text).split()]
    # Initials («О.», «M.») name nobody on their own.
    tokens = [t for t in tokens if len(fold(t)) > 1]
    fixed_surnames = tuple(t for t in surname_part.split() if len(fold(t)) > 1) if comma else ()
    if not tokens:
        return _FullName("", "", fixed_surnames)

    patronymic_at = -1
    for position, token in enumerate(tokens):
        if position > 0 and _is_patronymic(token):
            patronymic_at = position
    if patronymic_at < 0 and len(tokens) == 1 and _is_patronymic(tokens[0]):
        return _FullName("", tokens[0], fixed_surnames)

    if patronymic_at > 0:
        given_at = patronymic_at - 1
    else:
        scores = [_given_score(token) for token in tokens]
        best = max(scores)
        if best <= 0:
            given_at = -1
        elif len(tokens) == 1 or comma:
            given_at = 0
        else:
            candidates = [i for i, score in enumerate(scores) if score == best]
            # Ties keep the usual order: «Прізвище Ім'я» in Cyrillic lists,
            # «Given Surname» in Latin.
            latin = detect_script(full_name) == "latin"
            given_at = candidates[0] if latin or len(candidates) == 1 else candidates[-1]

    given = tokens[given_at] if given_at >= 0 else ""
    patronymic = tokens[patronymic_at] if patronymic_at > 0 else ""
    surnames = fixed_surnames + tuple(
        t for i, t in enumerate(tokens) if i not in (given_at, patronymic_at)
    )
    return _FullName(given, patronymic, surnames)


def given_name_from_full(full_name: str) -> str:
    """Return the given-name word of a full name («Лисенко Микола Іванович» -> «Микола»)."""
    return _split_full(full_name).given


def person_given_ids(full_name: str) -> frozenset[str]:
    """Return the given-name identities of the person a full-name field names."""
    given = _split_full(full_name).given
    return given_name_ids(given) if given else _EMPTY


def father_ids_from_name(full_name: str) -> frozenset[str]:
    """Return the given-name identities of a father from his name field."""
    return person_given_ids(full_name)


def person_surname_keys(full_name: str) -> frozenset[str]:
    """Return the surname keys of the person a full-name field names."""
    surnames = _split_full(full_name).surnames
    if not surnames:
        return _EMPTY
    return frozenset().union(*(surname_keys(word) for word in surnames))


# ---------------------------------------------------------------------------
# Similarity and relations


def name_similarity(a: str, b: str) -> float:
    """Score two names by Jaro-Winkler similarity of their folds, from 0 to 1."""
    fa, fb = fold(a), fold(b)
    if not fa or not fb:
        return 0.0
    return float(JaroWinkler.similarity(fa, fb))


def _sex_pair(a: str, b: str) -> bool:
    """Tell whether two folded names are a masculine/feminine pair (Іван/Іванна)."""
    short, long = sorted((a, b), key=len)
    return long in (short + "a", short + "ia")


@lru_cache(maxsize=_CACHE_SIZE)
def given_name_relation(a: str, b: str) -> str:
    """Classify two given names as same, diminutive, similar, different or missing."""
    ga, gb = _given(a), _given(b)
    if not ga.key or not gb.key:
        return "missing"
    if ga.key == gb.key:
        return "same"
    if "u" not in (ga.sex, gb.sex) and ga.sex != gb.sex:
        return "different"
    if ga.full & gb.full:
        return "same"
    if (ga.full | ga.dims) & (gb.full | gb.dims):
        return "diminutive"
    if _sex_pair(ga.key, gb.key):
        return "different"
    if JaroWinkler.similarity(ga.key, gb.key) >= SIMILAR_GIVEN:
        return "similar"
    return "different"


@lru_cache(maxsize=_CACHE_SIZE)
def surname_relation(a: str, b: str) -> str:
    """Classify two surnames as same, similar, different or missing."""
    ka, kb = surname_keys(a), surname_keys(b)
    if not ka or not kb:
        return "missing"
    if ka & kb:
        return "same"
    # Similar when some pair of keys is close and does not differ in a
    # productive suffix (symmetric in a and b by construction).
    for x in ka:
        for y in kb:
            if JaroWinkler.similarity(x, y) >= SIMILAR_SURNAME:
                family_x, family_y = _surname_family(x), _surname_family(y)
                if not (family_x and family_y and family_x != family_y):
                    return "similar"
    return "different"
