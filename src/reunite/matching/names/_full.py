"""Parents' names: the given name, the parent's own patronymic, the surname, and initials.

A parent's field holds a full name in any order and script («Коваль Леонід Артемович»,
"Leonid Koval"), a surname with initials («Коваль Л.А.», "Koval L. A."), or a given name
alone («Ірина»). The words are split by the project's one full-name splitter
(``reunite.matching.text.split_full_name``); initials are taken out first, since «Коваль
Л.А.» names Леонід Артемович Коваль and not a man called «Л.А.».
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from names_translator.dicts import normalize_key

from reunite.matching.names._common import CACHE_SIZE as _CACHE_SIZE
from reunite.matching.names._common import EMPTY as _EMPTY
from reunite.matching.names._common import detect_script
from reunite.matching.names._given import given as _given
from reunite.matching.names._given import given_name_ids
from reunite.matching.names._initials import initials_of_ids, written_initials
from reunite.matching.names._surnames import cyrillic_candidates as _cyrillic_candidates
from reunite.matching.names._surnames import surname_dawg as _surname_dawg
from reunite.matching.names._surnames import surname_keys
from reunite.matching.text import split_full_name

__all__ = [
    "NO_PARENT",
    "ParentName",
    "father_ids_from_name",
    "given_name_from_full",
    "initials_of",
    "parent_name",
    "person_given_ids",
    "person_surname_keys",
]

_SURNAME_SHAPE_RE: Final = re.compile(
    r"(?:enko|uk|ski|ska|skaia|tski|ov|ova|ev|eva|in|ina|iv|ets|nik|ak|iak|ishin|ko|ovich|evich)$"
)
# An initial: one letter, or a Latin digraph ("Yu.", "Kh."), with or without its dot.
_INITIAL_RE: Final = re.compile(r"^[^\W\d_]{1,2}\.$|^[^\W\d_]$")


@dataclass(frozen=True, slots=True)
class ParentName:
    """What a parent's field says about the parent, ready to compare."""

    given: str  # the given name as written (cleaned), "" when only an initial is known
    given_ids: frozenset[str]
    # The Cyrillic letters a written initial («Л.», "L.") may stand for; empty when the
    # given name is written out (its initials are `initials_of` it, when needed).
    written: frozenset[str]
    # The parent's own patronymic (its grandparent's identities are looked up when two
    # parents are compared: most never are), or the letters of its written initial.
    patronymic: str
    grand_written: frozenset[str]
    surname_keys: frozenset[str]


NO_PARENT: Final = ParentName("", _EMPTY, _EMPTY, "", _EMPTY, _EMPTY)


@lru_cache(maxsize=1 << 12)
def initials_of(name: str, ids: frozenset[str]) -> frozenset[str]:
    """Return the initials a written-out name may have: of its identities and its spelling."""
    return initials_of_ids(ids) | written_initials(name) if name else initials_of_ids(ids)


@lru_cache(maxsize=_CACHE_SIZE)
def _is_known_surname(token: str) -> bool:
    """Tell whether names_translator lists the word as a Ukrainian surname."""
    if detect_script(token) == "latin":
        return bool(token.isascii() and _cyrillic_candidates(token))
    dct = _surname_dawg()
    key = normalize_key(token).encode() + b"\x01"
    return dct is not None and dct.follow_bytes(key, dct.ROOT) is not None


def _names_the_given_name(word: str) -> bool:
    """Tell whether a field's one word is a given name («Ірина») rather than a surname."""
    info = _given(word)
    if _SURNAME_SHAPE_RE.search(info.key):
        return info.known and not _is_known_surname(word)
    # An unknown word that is no listed surname is more likely a rare given name
    # («Айгерім») than a surname: a parent's field names the parent.
    return info.known or not _is_known_surname(word)


@lru_cache(maxsize=_CACHE_SIZE)
def parent_name(full_name: str) -> ParentName:
    """Read a parent's field: given name, own patronymic, surnames, initials."""
    tokens = full_name.replace(".", ". ").replace(",", ", ").split()
    initials: list[str] = []
    words: list[str] = []
    for token in tokens:
        (initials if len(token) < 4 and _INITIAL_RE.match(token) else words).append(token)
    surname = given = patronymic = ""
    bare = [w.strip(",") for w in words if w.strip(",")]
    if len(bare) == 1 and initials:
        surname = bare[0]  # «Коваль Л.А.»
    elif len(bare) == 1:
        if _names_the_given_name(bare[0]):
            given = bare[0]
        else:
            surname = bare[0]
    elif bare:
        surname, given, patronymic = split_full_name(" ".join(words))
    written = grand_written = _EMPTY
    if not given and initials:
        written = written_initials(initials.pop(0))
    if not patronymic and initials:
        grand_written = written_initials(initials.pop(0))
    if not (given or written or surname):
        return NO_PARENT
    keys = [surname_keys(word) for word in surname.split()]
    return ParentName(
        given=given,
        given_ids=given_name_ids(given) if given else _EMPTY,
        written=written,
        patronymic=patronymic,
        grand_written=grand_written,
        surname_keys=(keys[0] if len(keys) == 1 else frozenset().union(*keys)) if keys else _EMPTY,
    )


def given_name_from_full(full_name: str) -> str:
    """Return the given-name word of a full name («Лисенко Микола Іванович» -> «Микола»)."""
    return parent_name(full_name).given


def person_given_ids(full_name: str) -> frozenset[str]:
    """Return the given-name identities of the person a full-name field names."""
    return parent_name(full_name).given_ids


def father_ids_from_name(full_name: str) -> frozenset[str]:
    """Return the given-name identities of a father from his name field."""
    return person_given_ids(full_name)


def person_surname_keys(full_name: str) -> frozenset[str]:
    """Return the surname keys of the person a full-name field names."""
    return parent_name(full_name).surname_keys
