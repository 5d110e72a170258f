"""Blocking: which disclosed records are worth comparing with a request at all.

Each disclosed record is filed under several keys; a request looks up its own keys and
compares only with records found there. The keys are chosen so that every way a true pair
survives the war's paperwork still meets at least one key: a Russified given name and a
changed surname (given name + father), a mistyped date (surname + year ±1), a renamed child
with a correct date (date + given name), a missing patronymic (given name + surname).
"""

from __future__ import annotations

from collections.abc import Iterator

from reunite.matching.person import Prepared

Key = tuple[str, ...]
# A key shared by more records than this carries too little information to be worth the
# comparisons; such buckets are skipped (blocking recall measures what that costs).
MAX_BUCKET = 3000


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
    surnames = person.surname_keys
    fathers = person.father_ids
    for surname in surnames:
        for year in years:
            yield ("sy", surname, str(year))
        for given in givens:
            yield ("gs", given, surname)
    for given in givens:
        for year in years:
            yield ("gy", given, str(year))
        for father in fathers:
            yield ("gf", given, father)
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
        """Return the positions of records sharing at least one informative key."""
        found: set[int] = set()
        buckets = self._buckets
        for key in set(keys(person, query=True)):
            bucket = buckets.get(key)
            if bucket is not None and len(bucket) <= MAX_BUCKET:
                found.update(bucket)
        return found

    def __len__(self) -> int:
        return len(self._buckets)
