"""Transliteration of Ukrainian and Russian Cyrillic by the official standards."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from typing import Any, Final

import iuliia
import translitua

from reunite.matching.names._common import CACHE_SIZE as _CACHE_SIZE

Translit = Callable[[str], str]


def _translitua_table(table: Any) -> Translit:
    def run(word: str) -> str:
        return str(translitua.translit(word, table, preserve_case=False))

    return run


def _iuliia_schema(schema: Any) -> Translit:
    def run(word: str) -> str:
        return str(schema.translate(word))

    return run


# Ukrainian tables of translitua. KMU 2010 = Cabinet of Ministers of Ukraine
# resolution No. 55 of 27.01.2010 (passports since 2010; adopted as-is by
# BGN/PCGN in 2019 and UNGEGN in 2012). "bgn" is the older BGN/PCGN 1965 system
# seen in documents issued abroad before 2019.
UK_STANDARDS: Final[dict[str, Translit]] = {
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
RU_STANDARDS: Final[dict[str, Translit]] = {
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


UK_ALPHABET: Final = "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя"
RU_ALPHABET: Final = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"


def _diacritic_standards() -> frozenset[tuple[str, str]]:
    """Find the standards that spell with diacritics by design (ISO 9, DSTU A, GOST 1986)."""
    found = set()
    for language, tables, alphabet in (
        ("uk", UK_STANDARDS, UK_ALPHABET),
        ("ru", RU_STANDARDS, RU_ALPHABET),
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
