"""Initials: which given names a written initial («Л.», "L.", "Yu.") may stand for.

A parent is often written with initials («Коваль Л.А.»: Леонід Артемович). An initial is
compared as the set of Cyrillic letters it may stand for: a Cyrillic initial is its letter,
a Latin one every letter a passport spelling starts with ("Y." is Й, И, Ю, Я, Є or Ї). A
name's initials are the first letters of all the Ukrainian and Russian forms of its
identities, so that «Олена» has О and Е (Елена) and «Микола» has М and Н (Николай).
"""

from __future__ import annotations

from functools import cache, lru_cache
from typing import Final

from reunite.matching.names._common import CACHE_SIZE as _CACHE_SIZE
from reunite.matching.names._common import EMPTY as _EMPTY
from reunite.matching.names._given_index import given_index as _given_index

__all__ = ["build_tables", "initials_agree", "initials_of_ids", "written_initials"]

# The Cyrillic letters a Latin spelling may start with, by the Ukrainian (KMU 2010, the
# 2007 and 2004 passport tables, BGN/PCGN) and Russian (ICAO, GOST, 1997 passport) tables
# and the German/Polish spellings of older documents; digraphs first.
_LATIN_STARTS: Final[tuple[tuple[str, str], ...]] = (
    ("shch", "Щ"), ("sch", "ШЩ"), ("zh", "Ж"), ("kh", "Х"), ("ch", "Ч"), ("sh", "ШЩ"),
    ("ts", "Ц"), ("tz", "Ц"), ("cz", "Ч"), ("sz", "Ш"), ("yu", "Ю"), ("ya", "Я"),
    ("ye", "ЄЕЭ"), ("yi", "Ї"), ("yo", "ЙЁ"), ("iu", "Ю"), ("ia", "Я"), ("ie", "Є"),
    ("ju", "Ю"), ("ja", "Я"), ("je", "ЄЕ"),
    ("a", "А"), ("b", "Б"), ("c", "ЦЧК"), ("d", "Д"), ("e", "ЕЄЭ"), ("f", "Ф"), ("g", "ГҐ"),
    ("h", "ГХ"), ("i", "ІИЇЙ"), ("j", "ЙЖЮЯЄ"), ("k", "КХ"), ("l", "Л"), ("m", "М"),
    ("n", "Н"), ("o", "О"), ("p", "П"), ("q", "К"), ("r", "Р"), ("s", "СШЩ"), ("t", "ТЦ"),
    ("u", "У"), ("v", "В"), ("w", "В"), ("x", "ХК"), ("y", "ЙИЮЯЄЇЕ"), ("z", "ЗЖ"),
)  # fmt: skip
# Letters of one sound in Ukrainian and Russian spelling: Ё is written Е, Ґ is Г.
_SAME_LETTER: Final = {"Ё": "Е", "Ґ": "Г"}


def _letters(text: str) -> str:
    return "".join(char for char in text if char.isalpha())


@lru_cache(maxsize=_CACHE_SIZE)
def written_initials(initial: str) -> frozenset[str]:
    """Return the Cyrillic letters a written initial («Л.», "L.", "Yu") may stand for."""
    letters = _letters(initial)
    if not letters:
        return _EMPTY
    first = letters[0].upper()
    if "\u0400" <= first <= "\u04ff":
        return frozenset({_SAME_LETTER.get(first, first)})
    lower = letters.lower()
    for start, cyrillic in _LATIN_STARTS:
        if lower.startswith(start):
            return frozenset(_SAME_LETTER.get(c, c) for c in cyrillic)
    return _EMPTY


@cache
def _identity_initials() -> dict[str, frozenset[str]]:
    """Map each given-name identity to the first letters of all its Cyrillic forms."""
    letters: dict[str, str] = {}
    for form, identity in _given_index().form_id.items():
        first = _SAME_LETTER.get(form[:1].upper(), form[:1].upper())
        if first.isalpha() and first not in letters.get(identity, ""):
            letters[identity] = letters.get(identity, "") + first
    # A few hundred distinct sets for ~15k names: each is kept once.
    shared: dict[str, frozenset[str]] = {}
    return {
        identity: shared.setdefault("".join(sorted(found)), frozenset(found))
        for identity, found in letters.items()
    }


def initials_of_ids(ids: frozenset[str]) -> frozenset[str]:
    """Return the initials of the names with these identities (unknown names have none)."""
    table = _identity_initials()
    found = [table[identity] for identity in ids if identity in table]
    if not found:
        return _EMPTY
    return frozenset().union(*found) if len(found) > 1 else found[0]


@cache
def _partners() -> dict[str, frozenset[str]]:
    """Initials one common name has in Ukrainian and in Russian: О/А (Олександр/Александр)."""
    table = _identity_initials()
    partners: dict[str, set[str]] = {}
    for identity in _given_index().common:
        letters = table.get(identity, _EMPTY)
        for letter in letters:
            partners.setdefault(letter, set()).update(letters)
    return {letter: frozenset(others) for letter, others in partners.items()}


def _widened(letters: frozenset[str]) -> frozenset[str]:
    partners = _partners()
    return letters.union(*(partners.get(letter, _EMPTY) for letter in letters))


def initials_agree(a: frozenset[str], b: frozenset[str], *, both_written: bool = False) -> bool:
    """Tell whether two sets of initials may stand for one name.

    Two written initials may also be one name in Ukrainian and in Russian («О.» and «А.»:
    Олександр, Александр); an initial against a whole name only if that name, in one of
    its forms, starts with it.
    """
    if not a.isdisjoint(b):
        return True
    return both_written and not (_widened(a).isdisjoint(b) and a.isdisjoint(_widened(b)))


def build_tables() -> None:
    """Build the tables of initials now (before forking workers that would each build them)."""
    _partners()
