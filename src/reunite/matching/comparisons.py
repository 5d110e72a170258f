"""Compare two prepared people field by field; each comparison yields one level.

The levels are ordered from the strongest agreement to disagreement. "missing" (either side
empty) is not a level: it is encoded as -1 and carries no evidence either way.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Final

from reunite.matching import names
from reunite.matching.dates import compare_birth_dates
from reunite.matching.person import Prepared
from reunite.matching.places import compare_places as _compare_places

MISSING: Final = -1

# Field name → its levels, strongest agreement first.
LEVELS: Final[dict[str, tuple[str, ...]]] = {
    "given_name": ("same", "diminutive", "similar", "different"),
    "surname": ("same", "similar", "parent", "different"),
    "father": ("same", "similar", "different"),
    "mother": ("same", "different"),
    "birth_date": (
        "exact",
        "partial_agree",
        "transposed",
        "off_by_day",
        "typo",
        "off_by_year",
        "year_only",
        "near",
        "different",
    ),
    "sex": ("same", "different"),
    "birth_place": ("same", "similar", "same_oblast", "different"),
}
FIELDS: Final[tuple[str, ...]] = tuple(LEVELS)
_INDEX: Final[dict[str, dict[str, int]]] = {
    field: {level: i for i, level in enumerate(levels)} for field, levels in LEVELS.items()
}
_GIVEN_ORDER = _INDEX["given_name"]
_SURNAME_ORDER = _INDEX["surname"]
Vector = tuple[int, ...]


def _best(relations: list[str], order: dict[str, int]) -> int:
    found = [order[r] for r in relations if r in order]
    return min(found) if found else MISSING


def compare_given(a: Prepared, b: Prepared) -> int:
    """Return the best given-name level over both sides' spellings and variants."""
    if not a.givens or not b.givens:
        return MISSING
    if a.given_ids & b.given_ids and a.givens[0] and b.givens[0]:
        relation = names.given_name_relation(a.givens[0], b.givens[0])
        if relation in ("same", "diminutive"):
            return _GIVEN_ORDER[relation]
    return _best(
        [names.given_name_relation(x, y) for x in a.givens for y in b.givens], _GIVEN_ORDER
    )


def compare_surname(a: Prepared, b: Prepared) -> int:
    """Return the best surname level over both sides' spellings and variants."""
    if not a.surnames or not b.surnames:
        return MISSING
    if a.surname_keys & b.surname_keys:
        return 0
    level = _best(
        [names.surname_relation(x, y) for x in a.surnames for y in b.surnames], _SURNAME_ORDER
    )
    if level == _SURNAME_ORDER["different"] and (
        a.surname_keys & b.parent_surname_keys or b.surname_keys & a.parent_surname_keys
    ):
        # The child's surname differs but one side's parents carry the other's surname: the
        # mark of a child renamed after guardianship (or a mother's maiden name).
        return _SURNAME_ORDER["parent"]
    return level


def compare_father(a: Prepared, b: Prepared) -> int:
    """Compare fathers through patronymics and fathers' names (they survive a surname change)."""
    if not a.father_ids or not b.father_ids:
        return MISSING
    if a.father_ids & b.father_ids:
        return 0
    pa, pb = a.person.patronymic, b.person.patronymic
    if pa and pb and names.name_similarity(pa, pb) >= 0.9:
        return 1
    return 2


def compare_mother(a: Prepared, b: Prepared) -> int:
    """Compare mothers' given names (a mother's surname may differ from the child's)."""
    if not a.mother_ids or not b.mother_ids:
        return MISSING
    return 0 if a.mother_ids & b.mother_ids else 1


# Birth places repeat (a few hundred towns for a million children): memoise the pairs.
compare_places = lru_cache(maxsize=1 << 17)(_compare_places)

_DATE_ORDER = _INDEX["birth_date"]
_PLACE_ORDER = _INDEX["birth_place"]


def compare(a: Prepared, b: Prepared) -> Vector:
    """Return the comparison vector of two people, one level index per field."""
    date_level = compare_birth_dates(a.birth_date, b.birth_date)
    place_level = compare_places(a.person.birth_place, b.person.birth_place)
    if a.sex and b.sex:
        sex = 0 if a.sex == b.sex else 1
    else:
        sex = MISSING
    return (
        compare_given(a, b),
        compare_surname(a, b),
        compare_father(a, b),
        compare_mother(a, b),
        _DATE_ORDER.get(date_level, MISSING),
        sex,
        _PLACE_ORDER.get(place_level, MISSING),
    )


def describe(vector: Vector) -> list[tuple[str, str]]:
    """Name each field's level in a vector, "missing" included."""
    return [
        (field, "missing" if level == MISSING else LEVELS[field][level])
        for field, level in zip(FIELDS, vector, strict=True)
    ]
