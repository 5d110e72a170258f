"""Blocking: which disclosed records are worth comparing with a request at all.

Each disclosed record is filed under several keys; a request looks up its own keys and
compares only with records found there. The keys are chosen so that every way a true pair
survives the war's paperwork still meets at least one key: a Russified given name and a
changed surname (given name + father), a mistyped date (surname + year ±1), a renamed child
with a correct date (date + given name), a missing patronymic (given name + surname).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator

from reunite.matching.person import Prepared

Key = tuple[str, ...]
# A key shared by more records than this carries too little information to be worth the
# comparisons; such buckets are skipped (blocking recall measures what that costs).
MAX_BUCKET = 1000


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
    """Yield the blocking keys of a person, as a request (`query`) or as an indexed record.

    Every key combines two independent pieces of evidence (for example surname and date,
    given name and father), so that its buckets stay small in a list of a million: a
    surname or a birth year alone is shared by far too many namesakes.
    """
    givens = person.given_ids
    # Records are also filed under their parents' surnames, so that a request under the
    # family's surname still meets a child renamed after guardianship.
    surnames = person.surname_keys if query else person.surname_keys | person.parent_surname_keys
    fathers = person.father_ids
    mothers = person.mother_ids
    initial = person.given_initial
    birth = person.birth_date
    years = _years(person.birth_year, spread=query)
    dates: list[str] = []
    if len(birth) == 10:
        dates.append(birth)
        if query and (swapped := _transposed(birth)):
            dates.append(swapped)
    for surname in surnames:
        for given in givens:
            yield ("gs", given, surname)
        for father in fathers:
            yield ("sf", surname, father)
        if initial:
            for year in years:
                yield ("siy", surname, initial, str(year))
        for date in dates:
            yield ("sd", surname, date)
    for given in givens:
        # A given name and a parent's name are shared by thousands in a million records
        # (Олександр, son of Микола); the birth year ±1 makes the key selective.
        for year in years:
            for father in fathers:
                yield ("gfy", given, father, str(year))
            for mother in mothers:
                yield ("gmy", given, mother, str(year))
        for date in dates:
            yield ("gd", given, date)
        # Partial dates of birth: records file every child under its year and month; a
        # request that knows no more than that looks there.
        if not query and len(birth) >= 7:
            yield ("gym", given, birth[:7])
        elif query and len(birth) == 7:
            yield ("gym", given, birth)
    for date in dates:
        if initial:
            yield ("di", date, initial)
        for father in fathers:
            yield ("df", date, father)
    for father in fathers:
        for mother in mothers:
            for year in years:
                yield ("fm", father, mother, str(year))


class BlockingIndex:
    """An inverted index from blocking keys to positions of indexed people.

    Normally it holds disclosed records and is queried with requests; with `query_side` it
    holds requests (filed under their query keys) and is queried with records, which finds
    exactly the same pairs from the other side.
    """

    def __init__(self, *, query_side: bool = False) -> None:
        # Keys are stored as their hashes and lone positions as plain ints: with a million
        # records and twenty keys each, tuples and one-element lists would cost gigabytes.
        # A hash collision only adds a candidate, which the comparison then scores low.
        self._buckets: dict[int, int | list[int]] = {}
        self._query_side = query_side

    def add(self, position: int, person: Prepared) -> None:
        """File a person under each of their keys (positions must come in increasing order)."""
        buckets = self._buckets
        # Positions only grow, so a bucket this person is already in ends with its position:
        # that is how a key met twice (or two colliding hashes) is filed once.
        for key in keys(person, query=self._query_side):
            hashed = hash(key)
            bucket = buckets.get(hashed)
            if bucket is None:
                buckets[hashed] = position
            elif isinstance(bucket, int):
                if bucket != position:
                    buckets[hashed] = [bucket, position]
            elif bucket[-1] != position:
                bucket.append(position)

    def remove(self, position: int, person: Prepared) -> None:
        """Take a person filed at this position out of their buckets.

        Buckets then hold what they would hold had the person never been filed, so a
        bucket's size (which decides whether it is skipped) does not count dropped records.
        """
        buckets = self._buckets
        for key in keys(person, query=self._query_side):
            hashed = hash(key)
            bucket = buckets.get(hashed)
            if bucket is None:
                continue
            if isinstance(bucket, int):
                if bucket == position:
                    del buckets[hashed]
                continue
            # Positions in a bucket are increasing: find this one by bisection.
            at = bisect_left(bucket, position)
            if at < len(bucket) and bucket[at] == position:
                del bucket[at]
                if len(bucket) == 1:
                    buckets[hashed] = bucket[0]

    def candidates(self, person: Prepared, *, role: str = "request") -> set[int]:
        """Return positions of people sharing at least one key with this one."""
        found: set[int] = set()
        buckets = self._buckets
        for key in {hash(k) for k in keys(person, query=role == "request")}:
            bucket = buckets.get(key)
            if bucket is None:
                continue
            if isinstance(bucket, int):
                found.add(bucket)
            elif len(bucket) <= MAX_BUCKET:
                found.update(bucket)
        return found

    def __len__(self) -> int:
        return len(self._buckets)
