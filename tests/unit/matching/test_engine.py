"""The engine on the cases the issue names: the right child first, never the brother or twin."""

from __future__ import annotations

import dataclasses
import math

import pytest

from reunite.matching import Matcher, Model, Person, compare, describe, prepare, same_child
from reunite.matching.assignment import Scored, assign
from reunite.matching.scoring import CLASSES, estimate

REQUEST = Person(
    id="UA-1",
    given_name="Олександр",
    surname="Лисенко",
    patronymic="Миколайович",
    sex="M",
    birth_date="2014-03-12",
    birth_place="Маріуполь",
    mother_name="Лисенко Ольга Петрівна",
)
TRUE_RECORD = Person(
    id="RU-1",
    given_name="Александр",
    surname="Лысенко",
    patronymic="Николаевич",
    sex="M",
    birth_date="2014-03-12",
    birth_place="Мариуполь",
    mother_name="Лысенко Ольга Петровна",
)
RENAMED = Person(
    id="RU-2",
    given_name="Александр",
    surname="Смирнов",
    patronymic="Николаевич",
    sex="M",
    birth_date="2014-12-03",
    birth_place="Мариуполь",
    mother_name="Ольга",
)
BROTHER = Person(
    id="RU-3",
    given_name="Дмитрий",
    surname="Лысенко",
    patronymic="Николаевич",
    sex="M",
    birth_date="2011",
    birth_place="Мариуполь",
    mother_name="Лысенко Ольга Петровна",
)
TWIN_SISTER = Person(
    id="RU-4",
    given_name="Александра",
    surname="Лысенко",
    patronymic="Николаевна",
    sex="F",
    birth_date="2014-03-12",
    birth_place="Мариуполь",
    mother_name="Лысенко Ольга Петровна",
)
NAMESAKE = Person(
    id="RU-5",
    given_name="Александр",
    surname="Лысенко",
    patronymic="Сергеевич",
    sex="M",
    birth_date="2014-07-30",
    birth_place="Херсон",
    mother_name="Лысенко Ирина",
)
OTHERS = [
    Person(id=f"RU-{10 + i}", given_name=g, surname=s, patronymic=p, sex=x, birth_date=d)
    for i, (g, s, p, x, d) in enumerate(
        [
            ("Иван", "Коваль", "Петрович", "M", "2013-05-01"),
            ("Анна", "Мельник", "Ивановна", "F", "2015-02-11"),
            ("Николай", "Шевчук", "Андреевич", "M", "2012-09-09"),
            ("Юлия", "Бондаренко", "Сергеевна", "F", "2016-01-20"),
        ]
    )
]


def _matcher(*people: Person) -> Matcher:
    matcher = Matcher()
    matcher.index([*people, *OTHERS])
    return matcher


def test_the_right_child_comes_first_and_is_the_best_guess() -> None:
    matcher = _matcher(TRUE_RECORD, BROTHER, TWIN_SISTER, NAMESAKE)
    ranked = matcher.match_one(REQUEST)
    assert ranked[0].disclosed_id == "RU-1"
    assert ranked[0].decision == "match" and ranked[0].probability > 0.9
    others = {c.disclosed_id: c.probability for c in ranked[1:]}
    for relative in ("RU-3", "RU-4"):
        assert others.get(relative, 0.0) < 0.2, relative


def test_brother_and_twin_sister_alone_are_not_proposed_as_matches() -> None:
    matcher = _matcher(BROTHER, TWIN_SISTER)
    ranked = matcher.match_one(REQUEST)
    # Shown as another child of the family (a lead), never as the child.
    assert {c.decision for c in ranked} == {"related"}
    assert all(c.probability < 0.5 for c in ranked)


def test_renamed_child_with_swapped_date_is_still_found_first() -> None:
    matcher = _matcher(RENAMED, BROTHER, NAMESAKE)
    ranked = matcher.match_one(REQUEST)
    assert ranked[0].disclosed_id == "RU-2"
    assert {f: level for f, level, _ in ranked[0].explanation}["birth_date"] == "transposed"


def test_latin_passport_spelling_finds_the_child() -> None:
    passport = Person(id="UA-2", given_name="Oleksandr", surname="Lysenko", birth_date="2014-03-12")
    ranked = _matcher(TRUE_RECORD, BROTHER, TWIN_SISTER).match_one(passport)
    assert ranked[0].disclosed_id == "RU-1" and ranked[0].decision == "match"


def test_every_relative_who_seeks_the_child_finds_it() -> None:
    mother = REQUEST
    grandmother = Person(
        id="UA-9",
        given_name="Oleksandr",
        surname="Lysenko",
        sex="M",
        birth_date="2014-03",
        birth_place="Mariupol",
        mother_name="Olha Lysenko",
    )
    result = _matcher(TRUE_RECORD, BROTHER, TWIN_SISTER).match([mother, grandmother])
    matches = {(c.request_id, c.disclosed_id) for c in result.matches()}
    assert matches == {("UA-1", "RU-1"), ("UA-9", "RU-1")}


def test_two_different_children_never_share_one_record() -> None:
    sister = Person(
        id="UA-3",
        given_name="Олександра",
        surname="Лисенко",
        patronymic="Миколаївна",
        sex="F",
        birth_date="2014-03-12",
        birth_place="Маріуполь",
    )
    assert not same_child(prepare(REQUEST), prepare(sister))
    pairs = [Scored(0, 7, 0.95), Scored(1, 7, 0.9)]
    chosen = assign(pairs, threshold=0.5, same_child=lambda _a, _b: False)
    assert chosen == {(0, 7)}
    both = assign(pairs, threshold=0.5, same_child=lambda _a, _b: True)
    assert both == {(0, 7), (1, 7)}


def test_a_request_falls_back_to_its_next_record_when_the_best_is_taken() -> None:
    pairs = [Scored(0, 1, 0.99), Scored(1, 1, 0.9), Scored(1, 2, 0.8)]
    chosen = assign(pairs, threshold=0.5, same_child=lambda _a, _b: False)
    assert chosen == {(0, 1), (1, 2)}


def test_explanation_adds_up_to_the_odds_against_the_rival() -> None:
    model = Model()
    vector = compare(prepare(REQUEST), prepare(RENAMED))
    scores = dict(zip(CLASSES, model.class_scores(vector), strict=True))
    rival = model.rival(vector)
    bits = sum(weight for _f, _l, weight in model.explain(vector))
    prior = math.log2(model.shares["match"] / model.shares[rival])
    assert bits + prior == pytest.approx(scores["match"] - scores[rival])


def test_model_survives_a_json_round_trip() -> None:
    model = Model()
    copy = Model.from_json(model.to_json())
    vector = compare(prepare(REQUEST), prepare(TRUE_RECORD))
    assert copy.probability(vector) == pytest.approx(model.probability(vector))


def test_em_learns_the_share_of_matches_from_blocked_pairs() -> None:
    true_pair = compare(prepare(REQUEST), prepare(TRUE_RECORD))
    brother = compare(prepare(REQUEST), prepare(BROTHER))
    stranger = compare(prepare(REQUEST), prepare(OTHERS[0]))
    namesake = compare(prepare(REQUEST), prepare(NAMESAKE))
    vectors = [true_pair] * 100 + [brother] * 100 + [stranger] * 500 + [namesake] * 300
    model = estimate(vectors)
    assert model.shares["match"] == pytest.approx(0.1, abs=0.03)
    assert model.probability(true_pair) > 0.95
    assert model.probability(brother) < 0.05


def test_people_s_decisions_move_the_parameters() -> None:
    vector = compare(prepare(REQUEST), prepare(RENAMED))
    base = estimate([vector] * 10)
    confirmed = estimate([vector] * 10, labelled={vector: (200, 0)})
    rejected = estimate([vector] * 10, labelled={vector: (0, 200)})
    assert rejected.probability(vector) < base.probability(vector) < confirmed.probability(vector)


def test_removed_record_is_no_longer_proposed() -> None:
    matcher = _matcher(TRUE_RECORD)
    matcher.remove("RU-1")
    assert all(c.disclosed_id != "RU-1" for c in matcher.match_one(REQUEST))


def test_record_with_a_known_id_replaces_its_old_version() -> None:
    matcher = _matcher(BROTHER)
    matcher.add(dataclasses.replace(TRUE_RECORD, id="RU-3"))
    ranked = matcher.match_one(REQUEST)
    assert ranked[0].disclosed_id == "RU-3" and ranked[0].decision == "match"
    assert len(matcher) == 5


def test_a_shared_diminutive_in_name_variants_is_not_a_shared_surname() -> None:
    maria = Person(id="UA-7", given_name="Марія", surname="Тимошенко", name_variants="Маша")
    other = Person(id="RU-7", given_name="Мария", surname="Рибак", name_variants="Маша")
    levels = dict(describe(compare(prepare(maria), prepare(other))))
    assert levels["surname"] == "different"
    assert levels["given_name"] == "same"
    variant_surname = Person(id="UA-8", given_name="Марія", name_variants="Рибак")
    assert dict(describe(compare(prepare(variant_surname), prepare(other))))["surname"] == "same"
