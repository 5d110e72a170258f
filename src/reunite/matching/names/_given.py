"""Given names: identities, short forms and the sex of a name written in any script."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from reunite.matching.names._common import CACHE_SIZE as _CACHE_SIZE
from reunite.matching.names._common import EMPTY as _EMPTY
from reunite.matching.names._fold import alternative_folds as _alternative_folds
from reunite.matching.names._fold import fold
from reunite.matching.names._given_index import given_index as _given_index


@dataclass(frozen=True, slots=True)
class _Given:
    key: str  # fold of the name
    full: frozenset[str]  # identities as a full name (a fold id when unknown)
    dims: frozenset[str]  # identities it is a short form of
    sex: str  # "m", "f" or "u"
    known: bool


_NO_GIVEN: Final = _Given("", _EMPTY, _EMPTY, "u", False)


def fold_id(key: str) -> str:
    return "fold:" + key


def _lookup_given(key: str) -> tuple[frozenset[str], frozenset[str]]:
    index = _given_index()
    return index.full.get(key, _EMPTY), index.dims.get(key, _EMPTY)


@lru_cache(maxsize=_CACHE_SIZE)
def given(name: str) -> _Given:
    key = fold(name)
    if not key:
        return _NO_GIVEN
    full, dims = _lookup_given(key)
    if not full and not dims and " " in key:
        # «Анна-Марія», «Анна Марія»: a double name stands for both names.
        parts = [given(part) for part in key.split() if len(part) > 1]
        full = frozenset().union(*(p.full for p in parts if p.known))
        dims = frozenset().union(*(p.dims for p in parts if p.known))
    for alternative in () if full or dims else _alternative_folds(name):
        full, dims = _lookup_given(alternative)
        if full or dims:
            break
    known = bool(full or dims)
    if not known:
        return _Given(key, frozenset({fold_id(key)}), _EMPTY, "u", False)
    index = _given_index()
    # When the spelling also reads as a rare name of the other sex (Ілля and a
    # feminine «Ілія»), the common name in the project's tables decides.
    ids = full | dims
    sexes = {index.sex.get(identity, "u") for identity in (ids & index.common) or ids}
    return _Given(key, full, dims, sexes.pop() if len(sexes) == 1 else "u", True)


def known_given(name: str) -> bool:
    """Tell whether a name is a given name the dictionaries know (not just its own fold)."""
    return given(name).known


def given_name_ids(name: str) -> frozenset[str]:
    """Return the canonical identities of a given name written in any script."""
    info = given(name)
    return info.full | info.dims
