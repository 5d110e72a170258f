"""The known given names: which words of a full name are given names.

One list for the whole project: the import's full-name splitter and the matcher's reading
of parents' names use it. It is names_translator's (MIT) ~11k Ukrainian first names with
their Russian forms and their Latin passport spellings, loaded once per process on first
use; a small built-in list stands in when the dictionary cannot be read, and adds the
English spellings passports use that no transliteration table produces.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from reunite.matching.disk_cache import cached
from reunite.matching.text._letters import APOSTROPHE
from reunite.matching.text._scripts import script_of

__all__ = ["is_known_given", "known_given_names"]

# Used when the names_translator dictionary is not available, and added to it
# because the dictionary lacks the English spellings found in passports.
_BUILTIN_GIVEN_CYRILLIC = """
олександр александр максим артем артём дмитро дмитрий андрій андрей іван иван михайло
михаил богдан назар марк матвій матвей кирило кирилл данило даниил даниїл ярослав
владислав денис євген евгений сергій сергей роман тимофій тимофей тимур захар давид
ілля илья єгор егор микита никита олег юрій юрий тарас петро пётр петр павло павел
микола николай василь василий віктор виктор володимир владимир олексій алексей антон
вадим віталій виталий костянтин константин степан арсеній арсений остап семен семён
вікторія виктория анастасія анастасия марія мария софія софия соня анна ганна дарина
дар'я дарья дарʼя поліна полина катерина екатерина аліна алина вероніка вероника олена
елена ольга юлія юлия ірина ирина наталія наталья наталия христина кристина діана
диана єлизавета елизавета злата мілана милана валерія валерия аліса алиса соломія
ксенія ксения варвара оксана тетяна татьяна світлана светлана людмила надія надежда
маргарита уляна ульяна ангеліна ангелина емілія эмилия евеліна эвелина карина
""".split()
_BUILTIN_GIVEN_LATIN = """
oleksandr olexandr aleksandr alexandr alexander alex maksym maxim maksim artem artyom
dmytro dmitry dmitriy dmitri andrii andriy andrey andrei ivan mykhailo mikhail michael
bohdan bogdan nazar mark matvii matviy matvey kyrylo kirill danylo daniil daniel yaroslav
vladyslav vladislav denys denis yevhen yevgeny evgeny evgeniy eugene serhii serhiy sergey
sergei roman tymofii timofey timur zakhar david davyd illia ilya yehor yegor egor mykyta
nikita oleh oleg yurii yuriy yuri taras petro pyotr petr pavlo pavel mykola nikolay
nikolai vasyl vasily viktor victor volodymyr vladimir oleksii oleksiy aleksey alexey
alexei anton vadym vadim vitalii vitaliy kostiantyn kostyantyn konstantin stepan
arsenii arseniy ostap semen viktoriia viktoriya viktoria victoria anastasiia anastasiya
anastasia mariia mariya maria sofiia sofiya sofia sophia sonia anna hanna daryna dariia
dariya daria darya polina kateryna yekaterina ekaterina alina veronika olena yelena elena
olga olha yuliia yuliya yulia julia iryna irina nataliia nataliya natalia natalya
khrystyna kristina christina diana yelyzaveta elizaveta zlata milana valeriia valeriya
valeria alisa alice solomiia solomiya kseniia kseniya ksenia xenia varvara oksana tetiana
tetyana tatiana tatyana svitlana svetlana liudmyla lyudmyla ludmila nadiia nadiya
nadezhda marharyta margarita uliana ulyana angelina emiliia emilia evelina karina
""".split()


def _cyrillic_key(name: str) -> str:
    return name.lower().replace(APOSTROPHE, "'").replace("ё", "е")


def _latin_key(name: str) -> str:
    return name.lower().replace(APOSTROPHE, "").replace("'", "")


@cache
def known_given_names() -> frozenset[str]:
    """Load the known given names (Cyrillic and Latin keys) once per process."""
    names = {_cyrillic_key(name) for name in _BUILTIN_GIVEN_CYRILLIC}
    names.update(_latin_key(name) for name in _BUILTIN_GIVEN_LATIN)
    try:
        names.update(_load_dictionary_given_names())
    except Exception:
        # An optional dictionary (missing, broken, zipped install) must never
        # stop an import; the built-in names still give sensible defaults.
        pass
    return frozenset(names)


def _load_dictionary_given_names() -> frozenset[str]:
    """Read the dictionary's names from the cache file, building it once (half a second)."""
    return cached("given-name-list", [Path(__file__)], _dictionary_given_names)


def _dictionary_given_names() -> frozenset[str]:
    # names_translator (MIT) bundles ~11k Ukrainian first names with their
    # Russian forms; as_dict("first") reads the compiled DAWG once (~0.2 s).
    from names_translator.dicts import default_dicts
    from translitua import (
        RussianICAO,
        RussianInternationalPassport1997,
        UkrainianKMU,
        UkrainianPassport2007,
        translit,
    )

    first: dict[str, list[str]] = default_dicts().as_dict("first")
    ukrainian = set(first)
    ukrainian.update(_cyrillic_key(name) for name in _BUILTIN_GIVEN_CYRILLIC)
    russian = {_cyrillic_key(form) for forms in first.values() for form in forms}
    names = ukrainian | russian
    # Latin passports spell the same names by the Ukrainian (KMU 2010, 2007)
    # or Russian (ICAO, 1997) rules, depending on when and where issued.
    for tables, source in (
        ((UkrainianKMU, UkrainianPassport2007), ukrainian),
        ((RussianICAO, RussianInternationalPassport1997), russian),
    ):
        for name in source:
            for table in tables:
                names.add(_latin_key(translit(name, table)))
    return frozenset(names)


def is_known_given(token: str) -> bool:
    """Tell whether a word (or each part of a hyphenated word) is a known given name."""
    names = known_given_names()
    key = _latin_key(token) if script_of(token) == "latin" else _cyrillic_key(token)
    if key in names:
        return True
    parts = key.split("-")
    return len(parts) > 1 and all(part in names for part in parts)
