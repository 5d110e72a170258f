"""Patronymics: the father's given name a patronymic points to."""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import Final

from names_translator.dicts import default_dicts, normalize_key

from reunite.matching.name_tables import IRREGULAR_PATRONYMICS
from reunite.matching.names._common import CACHE_SIZE as _CACHE_SIZE
from reunite.matching.names._common import EMPTY as _EMPTY
from reunite.matching.names._common import detect_script
from reunite.matching.names._fold import fold
from reunite.matching.names._given import fold_id as _fold_id
from reunite.matching.names._given_index import given_index as _given_index

# Suffixes on folded patronymics, longest first: Russian -инична/-ична
# (Ильинична, Саввична), -ович/-евич, Ukrainian -івна/-ївна, Russian
# -овна/-евна and the short -ич (Ілліч, Кузьмич, Лукич).
_PATRONYMIC_SUFFIXES: Final = ("inichna", "ichna", "ovich", "evich", "ivna", "ovna", "evna", "ich")
STRONG_PATRONYMIC_RE = re.compile(r"(?:ovich|evich|ovna|evna|ivna|ichna)$")
# Endings that rebuild the father's name from the stem: Іван-ович (""),
# Петр-ович (о), Кузьм-ич (а), Илл-ич (я), Юр-ьевич (ий), Серг-еевич (ей).
_FATHER_ENDINGS: Final = ("", "o", "a", "ia", "i", "ei")


@cache
def irregular_patronymics() -> dict[str, frozenset[str]]:
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
    irregular = irregular_patronymics().get(key)
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
