"""Compare two prepared people field by field; each comparison yields one level.

The levels are ordered from the strongest agreement to disagreement. "missing" (either side
empty) is not a level: it is encoded as -1 and carries no evidence either way.
"""

from __future__ import annotations

from typing import Final

from reunite.matching import names
from reunite.matching.dates import compare_date_facts
from reunite.matching.person import Prepared
from reunite.matching.places import compare_place_keys

MISSING: Final = -1

# Field name → its levels, strongest agreement first.
LEVELS: Final[dict[str, tuple[str, ...]]] = {
    "given_name": ("same", "diminutive", "similar", "different"),
    "surname": ("same", "similar", "parent", "different"),
    "father": ("same", "similar", "initials", "different"),
    "mother": ("same", "initials", "different"),
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


# Field comparisons are pure functions of a few strings that repeat across pairs (the same
# «Олександр» meets the same «Александр» thousands of times): each is memoised by its
# inputs. The memos are cleared when they grow past this, which bounds memory at any scale.
_MEMO_LIMIT: Final = 1 << 18


_Memo = dict[tuple[object, object], int]


def _remember(memo: _Memo, key: tuple[object, object], level: int) -> int:
    if len(memo) >= _MEMO_LIMIT:
        memo.clear()
    memo[key] = level
    return level


_given_memo: _Memo = {}
_surname_memo: _Memo = {}
_father_memo: _Memo = {}


def _given_level(a: tuple[str, ...], b: tuple[str, ...]) -> int:
    relation = names.given_name_relation(a[0], b[0])
    if relation in ("same", "diminutive"):
        return _GIVEN_ORDER[relation]
    return _best([names.given_name_relation(x, y) for x in a for y in b], _GIVEN_ORDER)


def compare_given(a: Prepared, b: Prepared) -> int:
    """Return the best given-name level over both sides' spellings and variants."""
    if not a.givens or not b.givens:
        return MISSING
    key = (a.givens, b.givens)
    level = _given_memo.get(key)
    if level is None:
        level = _remember(_given_memo, key, _given_level(a.givens, b.givens))
    return level


def compare_surname(a: Prepared, b: Prepared) -> int:
    """Return the best surname level over both sides' spellings and variants."""
    if not a.surnames or not b.surnames:
        return MISSING
    if not a.surname_keys.isdisjoint(b.surname_keys):
        return 0
    key = (a.surnames, b.surnames)
    level = _surname_memo.get(key)
    if level is None:
        level = _remember(
            _surname_memo,
            key,
            _best(
                [names.surname_relation(x, y) for x in a.surnames for y in b.surnames],
                _SURNAME_ORDER,
            ),
        )
    if level == _DIFFERENT_SURNAME and (
        not a.surname_keys.isdisjoint(b.parent_surname_keys)
        or not b.surname_keys.isdisjoint(a.parent_surname_keys)
    ):
        # The child's surname differs but one side's parents carry the other's surname: the
        # mark of a child renamed after guardianship (or a mother's maiden name).
        return _PARENT_SURNAME
    return level


_FATHER_ORDER = _INDEX["father"]
_MOTHER_ORDER = _INDEX["mother"]


def _grand_initials(parent: names.ParentName) -> tuple[frozenset[str], bool]:
    if parent.patronymic:
        ids = names.patronymic_father_ids(parent.patronymic)
        return names.initials_of(parent.patronymic, ids), False
    return parent.grand_written, True


_grand_memo: _Memo = {}


def _patronymics_differ(a: str, b: str) -> bool:
    """Tell whether two parents' own patronymics name two different grandparents."""
    key = (a, b)
    differ = _grand_memo.get(key)
    if differ is None:
        ids_a, ids_b = names.patronymic_father_ids(a), names.patronymic_father_ids(b)
        # A misspelt patronymic is no other grandparent.
        found = bool(ids_a and ids_b and ids_a.isdisjoint(ids_b))
        differ = _remember(_grand_memo, key, found and names.name_similarity(a, b) < 0.9)
    return bool(differ)


def _grand_conflict(a: names.ParentName, b: names.ParentName) -> bool:
    """Tell whether two parents' own patronymics (or their initials) name different people."""
    if a.patronymic and b.patronymic:
        return _patronymics_differ(a.patronymic, b.patronymic)
    if not (a.patronymic or a.grand_written) or not (b.patronymic or b.grand_written):
        return False
    (letters_a, written_a), (letters_b, written_b) = _grand_initials(a), _grand_initials(b)
    if letters_a and letters_b:
        return not names.initials_agree(letters_a, letters_b, both_written=written_a and written_b)
    return False


def _initials_level(
    a: tuple[frozenset[str], bool],
    b: tuple[frozenset[str], bool],
    parents: tuple[names.ParentName, names.ParentName],
    order: dict[str, int],
) -> int:
    """Compare a parent named by initials on one side at least: "initials" or "different"."""
    (letters_a, written_a), (letters_b, written_b) = a, b
    if not letters_a or not letters_b:
        return MISSING
    if not names.initials_agree(letters_a, letters_b, both_written=written_a and written_b):
        return order["different"]
    return order["different"] if _grand_conflict(*parents) else order["initials"]


def _parent_initials(
    ids: frozenset[str], parent: names.ParentName, patronymic: str = ""
) -> tuple[frozenset[str], bool]:
    """Return the initials a parent's given name may have, and whether they were written."""
    if not ids:
        return parent.written, True
    letters = names.initials_of(parent.given, ids)
    if patronymic:
        # The child's patronymic starts like the father's name (Миколайович: М).
        letters |= names.written_initials(patronymic)
    return letters, False


def compare_father(a: Prepared, b: Prepared) -> int:
    """Compare fathers through patronymics, fathers' names and initials (all survive renaming)."""
    if a.father_ids and b.father_ids:
        level = _father_by_name(a, b)
        if level == 0 and _grand_conflict(a.father, b.father):
            # Олександр Петрович is not Олександр Вікторович.
            return _FATHER_ORDER["different"]
        return level
    # A parent's field with a given name always has identities; else only initials tell.
    if not (a.father_ids or a.father.written) or not (b.father_ids or b.father.written):
        return MISSING
    return _initials_level(
        _parent_initials(a.father_ids, a.father, a.person.patronymic),
        _parent_initials(b.father_ids, b.father, b.person.patronymic),
        (a.father, b.father),
        _FATHER_ORDER,
    )


def _father_by_name(a: Prepared, b: Prepared) -> int:
    if not a.father_ids.isdisjoint(b.father_ids):
        return 0
    pa, pb = a.person.patronymic, b.person.patronymic
    if not pa or not pb:
        return _FATHER_ORDER["different"]
    key = (pa, pb)
    level = _father_memo.get(key)
    if level is None:
        similar = names.name_similarity(pa, pb) >= 0.9
        level = _remember(_father_memo, key, _FATHER_ORDER["similar" if similar else "different"])
    return level


def compare_mother(a: Prepared, b: Prepared) -> int:
    """Compare mothers' given names, own patronymics and initials (not their surnames)."""
    if a.mother_ids and b.mother_ids:
        if a.mother_ids.isdisjoint(b.mother_ids) or _grand_conflict(a.mother, b.mother):
            return _MOTHER_ORDER["different"]
        return 0
    if not (a.mother_ids or a.mother.written) or not (b.mother_ids or b.mother.written):
        return MISSING
    return _initials_level(
        _parent_initials(a.mother_ids, a.mother),
        _parent_initials(b.mother_ids, b.mother),
        (a.mother, b.mother),
        _MOTHER_ORDER,
    )


_DATE_ORDER = _INDEX["birth_date"]
_PLACE_ORDER = _INDEX["birth_place"]
_DIFFERENT_SURNAME = _SURNAME_ORDER["different"]
_PARENT_SURNAME = _SURNAME_ORDER["parent"]


def compare(a: Prepared, b: Prepared) -> Vector:
    """Return the comparison vector of two people, one level index per field."""
    date_level = compare_date_facts(a.birth_facts, b.birth_facts)
    place_level = compare_place_keys(a.birth_place, b.birth_place)
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


GIVEN_AT, SEX_AT, DATE_AT = (FIELDS.index(f) for f in ("given_name", "sex", "birth_date"))
GIVEN_CLOSE: Final = frozenset({_GIVEN_ORDER["same"], _GIVEN_ORDER["diminutive"]})
GIVEN_DIFFERENT: Final = _GIVEN_ORDER["different"]
SEX_DIFFERENT: Final = _INDEX["sex"]["different"]
CONFLICTING_DATES: Final = frozenset({_DATE_ORDER["near"], _DATE_ORDER["different"]})


def identity_conflict(vector: Vector) -> bool:
    """Tell whether a pair cannot be one child: another given name, sex or birth date."""
    return (
        vector[GIVEN_AT] == GIVEN_DIFFERENT
        or vector[SEX_AT] == SEX_DIFFERENT
        or vector[DATE_AT] in CONFLICTING_DATES
    )


def describe(vector: Vector) -> list[tuple[str, str]]:
    """Name each field's level in a vector, "missing" included."""
    return [
        (field, "missing" if level == MISSING else LEVELS[field][level])
        for field, level in zip(FIELDS, vector, strict=True)
    ]
