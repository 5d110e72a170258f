"""An index kept up to date by additions and removals answers as one built afresh."""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Sequence
from datetime import date

import pytest

from reunite.demo.generator import generate_scenario
from reunite.matching import Matcher, Person, blocking


@pytest.fixture(scope="module")
def people() -> tuple[list[Person], list[Person]]:
    scenario = generate_scenario(
        seed=5, n_children=700, n_requests=500, n_disclosures=600, today=date(2026, 11, 25)
    )
    requests = [Person.from_mapping(row) for row in scenario.requests]
    disclosed = [Person.from_mapping(row) for row in scenario.disclosures]
    return requests, disclosed


def _bucket_sizes(matcher: Matcher) -> dict[int, int]:
    return {
        key: 1 if isinstance(bucket, int) else len(bucket)
        for key, bucket in matcher._blocking._buckets.items()
    }


def _corrected(person: Person, number: int) -> Person:
    if number % 2:
        return dataclasses.replace(person, surname=person.surname + "о")
    return dataclasses.replace(person, birth_date=person.birth_date[:4])


def test_additions_corrections_and_removals_give_the_answers_of_a_fresh_index(
    people: tuple[list[Person], list[Person]], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Small buckets are skipped at this size too: a removed record must not count in them.
    monkeypatch.setattr(blocking, "MAX_BUCKET", 6)
    requests, disclosed = people
    first, later = disclosed[:450], disclosed[450:]
    kept = Matcher()
    kept.index(first)

    withdrawn = first[:40]
    for person in withdrawn:
        kept.remove(person.id)
    corrections = [_corrected(p, n) for n, p in enumerate(first[40:80])]
    # Copies under new ids score exactly like their originals: only the tie-break orders them.
    copies = [dataclasses.replace(p, id=f"copy-{p.id}") for p in first[100:130] + later[:20]]
    for person in [*corrections, *later, *copies]:
        kept.add(person)

    final = {p.id: p for p in first[40:]} | {p.id: p for p in [*corrections, *later, *copies]}
    in_another_order = list(final.values())
    random.Random(3).shuffle(in_another_order)
    fresh = Matcher()
    fresh.index(in_another_order)

    assert len(kept) == len(fresh) == len(final)
    assert _bucket_sizes(kept) == _bucket_sizes(fresh)
    assert kept.fit(requests) == fresh.fit(requests)
    assert _answers(kept, requests) == _answers(fresh, requests)
    for request in requests[:100]:
        assert kept.match_one(request) == fresh.match_one(request)


def _answers(matcher: Matcher, requests: Sequence[Person]) -> list[tuple[object, ...]]:
    result = matcher.match(requests, estimate_model=True)
    return [dataclasses.astuple(candidate) for candidate in result.candidates]


def test_removing_what_was_never_filed_changes_nothing(
    people: tuple[list[Person], list[Person]],
) -> None:
    _requests, disclosed = people
    matcher = Matcher()
    matcher.index(disclosed[:50])
    sizes = _bucket_sizes(matcher)
    matcher.remove("no such record")
    assert _bucket_sizes(matcher) == sizes
    for person in disclosed[:50]:
        matcher.remove(person.id)
    assert len(matcher) == 0 and _bucket_sizes(matcher) == {}
