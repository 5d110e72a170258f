"""Full names of parents: which word is the given name, the patronymic, the surname."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from names_translator.dicts import normalize_key

from reunite.matching.names._common import CACHE_SIZE as _CACHE_SIZE
from reunite.matching.names._common import EMPTY as _EMPTY
from reunite.matching.names._common import detect_script
from reunite.matching.names._fold import fold
from reunite.matching.names._given import given as _given
from reunite.matching.names._given import given_name_ids
from reunite.matching.names._patronymics import STRONG_PATRONYMIC_RE as _STRONG_PATRONYMIC_RE
from reunite.matching.names._patronymics import irregular_patronymics as _irregular_patronymics
from reunite.matching.names._surnames import cyrillic_candidates as _cyrillic_candidates
from reunite.matching.names._surnames import surname_dawg as _surname_dawg
from reunite.matching.names._surnames import surname_keys

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
