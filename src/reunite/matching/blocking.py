"""Blocking: which disclosed records are worth comparing with a request at all.

Each disclosed record is filed under several keys; a request looks up its own keys and
compares only with records found there. The keys are chosen so that every way a true pair
survives the war's paperwork still meets at least one key: a Russified given name and a
changed surname (given name + father), a mistyped date (surname + year ±1), a renamed child
with a correct date (date + given name), a missing patronymic (given name + surname).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from reunite.matching.person import Prepared

Key = tuple[str, ...]
# A key shared by more records than this carries too little information to be worth the
# comparisons; such buckets are skipped (blocking recall measures what that costs).
MAX_BUCKET = 5000
# Keys that two different children rarely share: one is enough to compare. The others
# (surname + year, given name + year, date) are shared by many namesakes in a list of a
# million, so a record must share two of them to be compared.
STRONG = frozenset({"gs", "gf", "gm", "sf", "df", "fm"})


def _years(year: int | None, *, spread: bool) -> tuple[int, ...]:
    if year is None:
        return ()
    return (year - 1, year, year + 1) if spread else (year,)


def _transposed(birth_date: str) -> str:
    if len(birth_date) != 10:
        return ""
    year, month, day = birth_date[:4], birth_date[5:7], birth_date[8:]
    if day == month or int(day) > 12:
        return ""
    return f"{year}-{day}-{month}"


def keys(person: Prepared, *, query: bool) -> Iterator[Key]:
    """Yield the blocking keys of a person; queries widen years by one on each side."""
    years = _years(person.birth_year, spread=query)
    givens = person.given_ids
    # Records are also filed under their parents' surnames, so that a request under the
    # family's surname still meets a child renamed after guardianship.
    surnames = person.surname_keys if query else person.surname_keys | person.parent_surname_keys
    fathers = person.father_ids
    for surname in surnames:
        for year in years:
            yield ("sy", surname, str(year))
        for given in givens:
            yield ("gs", given, surname)
        for father in fathers:
            yield ("sf", surname, father)
        if person.given_initial:
            yield ("si", surname, person.given_initial)
    for given in givens:
        for year in years:
            yield ("gy", given, str(year))
        for father in fathers:
            yield ("gf", given, father)
        for mother in person.mother_ids:
            yield ("gm", given, mother)
    if len(person.birth_date) == 10:
        dates = [person.birth_date]
        if query and (swapped := _transposed(person.birth_date)):
            dates.append(swapped)
        for date in dates:
            yield ("d", date)
            for father in fathers:
                yield ("df", date, father)
    for father in fathers:
        for mother in person.mother_ids:
            for year in years:
                yield ("fm", father, mother, str(year))


class BlockingIndex:
    """An inverted index from blocking keys to positions of indexed records."""

    def __init__(self) -> None:
        self._buckets: dict[Key, list[int]] = {}

    def add(self, position: int, person: Prepared) -> None:
        """File a record under each of its keys."""
        buckets = self._buckets
        for key in set(keys(person, query=False)):
            bucket = buckets.get(key)
            if bucket is None:
                buckets[key] = [position]
            else:
                bucket.append(position)

    def candidates(self, person: Prepared) -> set[int]:
        """Return positions of records sharing a strong key, or two weak keys."""
        found: set[int] = set()
        weak: dict[str, set[int]] = {}
        buckets = self._buckets
        for key in set(keys(person, query=True)):
            bucket = buckets.get(key)
            if bucket is None or len(bucket) > MAX_BUCKET:
                continue
            if key[0] in STRONG:
                found.update(bucket)
            else:
                # Hits count once per kind of key, whatever the number of spellings or years.
                weak.setdefault(key[0], set()).update(bucket)
        if len(weak) >= 2:
            hits: Counter[int] = Counter()
            for positions in weak.values():
                hits.update(positions)
            found.update(position for position, count in hits.items() if count >= 2)
        return found

    def __len__(self) -> int:
        return len(self._buckets)
