"""The engine's view of a person, and what is computed about them once, before comparing."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from reunite.matching import names
from reunite.matching.dates import DateFacts, date_facts, parse_partial
from reunite.matching.places import PlaceKey, place_key

PERSON_FIELDS = (
    "id",
    "given_name",
    "surname",
    "patronymic",
    "sex",
    "birth_date",
    "birth_place",
    "mother_name",
    "father_name",
    "name_variants",
)
_VARIANT_SPLIT = re.compile(r"[;|]")


@dataclass(frozen=True, slots=True)
class Person:
    """One tracing request or disclosed record: the fields matching looks at, as text."""

    id: str
    given_name: str = ""
    surname: str = ""
    patronymic: str = ""
    sex: str = ""
    birth_date: str = ""
    birth_place: str = ""
    mother_name: str = ""
    father_name: str = ""
    name_variants: str = ""

    @classmethod
    def from_mapping(cls, row: Mapping[str, object]) -> Person:
        """Build a person from a row keyed by canonical column names; others are ignored."""
        values = {f: str(row.get(f) or "").strip() for f in PERSON_FIELDS}
        return cls(**values)


@dataclass(frozen=True, slots=True)
class Prepared:
    """Everything the comparisons need about one person, computed once."""

    person: Person
    givens: tuple[str, ...]
    surnames: tuple[str, ...]
    given_ids: frozenset[str]
    # Whether a given name is one the dictionaries know (not only its own spelling): two
    # different known names are two children, an unknown one may be a missing short form.
    given_known: bool
    surname_keys: frozenset[str]
    father_ids: frozenset[str]
    mother_ids: frozenset[str]
    # The parents' fields as read: given name, own patronymic and initials («Коваль Л.А.»).
    father: names.ParentName
    mother: names.ParentName
    # Surnames written in the parents' names: after guardianship a child's surname may
    # change while the parents' names still carry the family's own.
    parent_surname_keys: frozenset[str]
    given_initial: str
    sex: str
    birth_date: str
    birth_year: int | None
    birth_facts: DateFacts | None
    birth_place: PlaceKey


_EMPTY: frozenset[str] = frozenset()


def _union(sets: list[frozenset[str]]) -> frozenset[str]:
    """Union the sets, reusing the (cached, shared) set itself when there is only one."""
    present = [s for s in sets if s]
    if not present:
        return _EMPTY
    if len(present) == 1:
        return present[0]
    return frozenset().union(*present)


def prepare(person: Person) -> Prepared:
    """Compute a person's name identities, keys and dates for comparison and blocking."""
    givens = [person.given_name] if person.given_name else []
    surnames = [person.surname] if person.surname else []
    # A variant cell may hold another spelling of the given name (often a diminutive), of
    # the surname, or a whole name. A word that is a known given name counts as one; any
    # other word may be a surname. (Counting «Маша» as a surname on both sides would make
    # two girls called Маша look like one family.)
    for variant in _VARIANT_SPLIT.split(person.name_variants):
        for word in variant.split():
            if len(word) < 2:
                continue
            if names.known_given(word):
                if word not in givens:
                    givens.append(word)
            elif word not in surnames:
                surnames.append(word)
    # One name's set is the cached one itself: shared by every person of that name.
    given_ids = _union([names.given_name_ids(g) for g in givens])
    surname_keys = _union([names.surname_keys(s) for s in surnames])
    father_ids = (
        names.patronymic_father_ids(person.patronymic) if person.patronymic else (frozenset())
    )
    father = names.parent_name(person.father_name) if person.father_name else names.NO_PARENT
    mother = names.parent_name(person.mother_name) if person.mother_name else names.NO_PARENT
    if father.given_ids:
        father_ids = father_ids | father.given_ids
    mother_ids = mother.given_ids
    parent_surname_keys = _union([mother.surname_keys, father.surname_keys])
    initial = names.fold(person.given_name)[:1] if person.given_name else ""
    parsed = parse_partial(person.birth_date) if person.birth_date else None
    sex = person.sex.upper()[:1] if person.sex else ""
    return Prepared(
        person=person,
        givens=tuple(givens),
        surnames=tuple(surnames),
        given_ids=given_ids,
        given_known=len(givens) > 1 or (bool(givens) and names.known_given(givens[0])),
        surname_keys=surname_keys,
        father_ids=father_ids,
        mother_ids=mother_ids,
        father=father,
        mother=mother,
        parent_surname_keys=(
            parent_surname_keys - surname_keys
            if parent_surname_keys & surname_keys
            else parent_surname_keys
        ),
        given_initial=initial,
        sex=sex if sex in ("M", "F") else "",
        birth_date=person.birth_date if parsed is not None else "",
        birth_year=parsed.year if parsed is not None else None,
        birth_facts=date_facts(person.birth_date) if parsed is not None else None,
        birth_place=place_key(person.birth_place),
    )
