"""A sibling or twin is never called the child: sets where the sought child is absent.

Each family seeks one child: a request in Ukrainian Cyrillic (the mother) and one in Latin
passport spelling (a relative abroad). The custodial party discloses, in Russian Cyrillic
with Russified names, only a brother, a sister, a twin brother or a twin sister: the same
surname, parents, town and (for twins) birth date, another given name. The engine may show
such a pair, as `related` (a lead for the family), but never as a `match`. When the sought
child is disclosed beside the sibling, the child is the match and the sibling is not.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pytest

from reunite.matching import EngineDecision, Matcher, Person


@dataclass(frozen=True)
class Family:
    """One sought child: two requests, the child's own record, and its siblings' records."""

    name: str
    requests: tuple[Person, Person]  # Ukrainian Cyrillic, Latin passport spelling
    child: Person  # the sought child's disclosed record
    siblings: dict[str, Person]  # brother, sister, twin brother, twin sister


def _family(
    name: str,
    uk: dict[str, str],
    latin: dict[str, str],
    child: dict[str, str],
    siblings: dict[str, dict[str, str]],
) -> Family:
    record = Person(id=f"{name}-child", **child)
    return Family(
        name=name,
        requests=(Person(id=f"{name}-uk", **uk), Person(id=f"{name}-latin", **latin)),
        child=record,
        siblings={
            kind: replace(record, id=f"{name}-{kind}", **fields)
            for kind, fields in siblings.items()
        },
    )


FAMILIES = [
    _family(
        "lysenko",
        uk={
            "given_name": "Олександр",
            "surname": "Лисенко",
            "patronymic": "Миколайович",
            "sex": "M",
            "birth_date": "2014-03-12",
            "birth_place": "Маріуполь",
            "mother_name": "Лисенко Ірина Петрівна",
            "father_name": "Лисенко Микола Іванович",
        },
        latin={
            "given_name": "Oleksandr",
            "surname": "Lysenko",
            "sex": "M",
            "birth_date": "2014-03-12",
            "birth_place": "Mariupol",
            "mother_name": "Iryna Lysenko",
            "father_name": "Mykola Lysenko",
        },
        child={
            "given_name": "Александр",
            "surname": "Лысенко",
            "patronymic": "Николаевич",
            "sex": "M",
            "birth_date": "2014-03-12",
            "birth_place": "г. Мариуполь",
            "mother_name": "Лысенко Ирина Петровна",
            "father_name": "Лысенко Николай Иванович",
        },
        siblings={
            "brother": {"given_name": "Дмитрий", "birth_date": "2011-06-30"},
            "sister": {
                "given_name": "Екатерина",
                "sex": "F",
                "patronymic": "Николаевна",
                "birth_date": "2016-09-01",
            },
            "twin_brother": {"given_name": "Алексей"},
            "twin_sister": {"given_name": "Александра", "sex": "F", "patronymic": "Николаевна"},
        },
    ),
    _family(
        "koval",
        uk={
            "given_name": "Марія",
            "surname": "Коваль",
            "patronymic": "Леонідівна",
            "sex": "F",
            "birth_date": "2016-05-20",
            "birth_place": "Бахмут",
            "mother_name": "Коваль Олена Вікторівна",
            "father_name": "Коваль Леонід Артемович",
        },
        latin={
            "given_name": "Mariia",
            "surname": "Koval",
            "sex": "F",
            "birth_date": "2016-05-20",
            "birth_place": "Bakhmut",
            "mother_name": "Olena Koval",
            "father_name": "Leonid Koval",
        },
        child={
            "given_name": "Мария",
            "surname": "Коваль",
            "patronymic": "Леонидовна",
            "sex": "F",
            "birth_date": "2016-05-20",
            "birth_place": "г. Артемовск, ДНР",
            "mother_name": "Коваль Елена Викторовна",
            "father_name": "Коваль Л.А.",
        },
        siblings={
            "brother": {
                "given_name": "Михаил",
                "sex": "M",
                "patronymic": "Леонидович",
                "birth_date": "2013-02-02",
            },
            # A sister whose name is close to the child's (Марина, Марія): another date.
            "sister": {"given_name": "Марина", "birth_date": "2018-11-11"},
            "twin_brother": {"given_name": "Матвей", "sex": "M", "patronymic": "Леонидович"},
            "twin_sister": {"given_name": "Дарья"},
        },
    ),
    _family(
        "shevchuk",
        uk={
            "given_name": "Іван",
            "surname": "Шевчук",
            "patronymic": "Олегович",
            "sex": "M",
            "birth_date": "2015-01-07",
            "birth_place": "Херсон",
            "mother_name": "Шевчук Ганна Іванівна",
            "father_name": "Шевчук Олег Петрович",
        },
        latin={
            "given_name": "Ivan",
            "surname": "Shevchuk",
            "sex": "M",
            "birth_date": "2015-01-07",
            "birth_place": "Kherson",
            "mother_name": "Hanna Shevchuk",
        },
        child={
            "given_name": "Иван",
            "surname": "Шевчук",
            "patronymic": "Олегович",
            "sex": "M",
            "birth_date": "2015-01-07",
            "birth_place": "Херсон",
            "mother_name": "Шевчук Анна Ивановна",
            "father_name": "Шевчук Олег Петрович",
        },
        siblings={
            "brother": {"given_name": "Богдан", "birth_date": "2012-04-04"},
            "sister": {
                "given_name": "Анна",
                "sex": "F",
                "patronymic": "Олеговна",
                "birth_date": "2017-08-08",
            },
            "twin_brother": {"given_name": "Богдан"},
            "twin_sister": {"given_name": "Яна", "sex": "F", "patronymic": "Олеговна"},
        },
    ),
    _family(
        "hnatiuk",
        uk={
            "given_name": "Софія",
            "surname": "Гнатюк",
            "patronymic": "Романівна",
            "sex": "F",
            "birth_date": "2017-10-02",
            "birth_place": "Мелітополь, Запорізька обл.",
            "mother_name": "Гнатюк Наталія Олексіївна",
            "father_name": "Гнатюк Роман Євгенович",
        },
        latin={
            "given_name": "Sofiia",
            "surname": "Hnatiuk",
            "sex": "F",
            "birth_date": "2017-10-02",
            "birth_place": "Melitopol",
            "mother_name": "Nataliia Hnatiuk",
            "father_name": "Roman Hnatiuk",
        },
        child={
            "given_name": "София",
            "surname": "Гнатюк",
            "patronymic": "Романовна",
            "sex": "F",
            "birth_date": "2017-10-02",
            "birth_place": "Мелитополь",
            "mother_name": "Гнатюк Наталья Алексеевна",
            "father_name": "Гнатюк Роман Евгеньевич",
        },
        siblings={
            "brother": {
                "given_name": "Егор",
                "sex": "M",
                "patronymic": "Романович",
                "birth_date": "2012-12-12",
            },
            "sister": {"given_name": "Полина", "birth_date": "2015-05-05"},
            "twin_brother": {"given_name": "Тимофей", "sex": "M", "patronymic": "Романович"},
            "twin_sister": {"given_name": "Виктория"},
        },
    ),
]
KINDS = ("brother", "sister", "twin_brother", "twin_sister")
# Children of other families, so that the model is estimated on more than one family.
STRANGERS = [
    Person(id=f"stranger-{i}", given_name=g, surname=s, patronymic=p, sex=x, birth_date=d)
    for i, (g, s, p, x, d) in enumerate(
        [
            ("Иван", "Коваленко", "Петрович", "M", "2013-05-01"),
            ("Анна", "Мельник", "Ивановна", "F", "2015-02-11"),
            ("Николай", "Бондаренко", "Андреевич", "M", "2012-09-09"),
            ("Юлия", "Ткаченко", "Сергеевна", "F", "2016-01-20"),
            ("Мария", "Кравченко", "Олеговна", "F", "2014-08-15"),
            ("Александр", "Лысенков", "Петрович", "M", "2010-03-12"),
        ]
    )
]
REQUESTS = [request for family in FAMILIES for request in family.requests]


def _run(disclosed: list[Person], *, estimate: bool) -> dict[tuple[str, str], EngineDecision]:
    matcher = Matcher()
    matcher.index([*disclosed, *STRANGERS])
    result = matcher.match(REQUESTS, estimate_model=estimate)
    return {(c.request_id, c.disclosed_id): c.decision for c in result.candidates}


@pytest.mark.parametrize("estimate", [False, True], ids=["default model", "estimated model"])
@pytest.mark.parametrize("kind", KINDS)
def test_a_sibling_alone_is_never_a_match(kind: str, estimate: bool) -> None:
    decisions = _run([family.siblings[kind] for family in FAMILIES], estimate=estimate)
    matched = {pair for pair, decision in decisions.items() if decision is EngineDecision.MATCH}
    assert matched == set()


@pytest.mark.parametrize("estimate", [False, True], ids=["default model", "estimated model"])
def test_all_siblings_together_are_never_a_match(estimate: bool) -> None:
    siblings = [family.siblings[kind] for family in FAMILIES for kind in KINDS]
    decisions = _run(siblings, estimate=estimate)
    assert EngineDecision.MATCH not in decisions.values()


@pytest.mark.parametrize("kind", ["twin_brother", "twin_sister"])
def test_a_twin_is_shown_as_related_not_hidden(kind: str) -> None:
    decisions = _run([family.siblings[kind] for family in FAMILIES], estimate=False)
    for family in FAMILIES:
        for request in family.requests:
            pair = (request.id, family.siblings[kind].id)
            assert decisions.get(pair) is EngineDecision.RELATED, pair


@pytest.mark.parametrize("estimate", [False, True], ids=["default model", "estimated model"])
@pytest.mark.parametrize("kind", KINDS)
def test_the_child_beside_a_sibling_is_the_match(kind: str, estimate: bool) -> None:
    disclosed = [record for f in FAMILIES for record in (f.child, f.siblings[kind])]
    decisions = _run(disclosed, estimate=estimate)
    for family in FAMILIES:
        for request in family.requests:
            assert decisions.get((request.id, family.child.id)) is EngineDecision.MATCH
            sibling = decisions.get((request.id, family.siblings[kind].id))
            assert sibling is not EngineDecision.MATCH


@pytest.mark.parametrize("kind", KINDS)
def test_one_request_against_the_index_never_calls_a_sibling_the_match(kind: str) -> None:
    matcher = Matcher()
    matcher.index([*(family.siblings[kind] for family in FAMILIES), *STRANGERS])
    for request in REQUESTS:
        assert all(c.decision is not EngineDecision.MATCH for c in matcher.match_one(request))


# From the demo generator: a grandmother writes the boy's everyday name, which no table
# lists («Mykytka», Микитка); only his twin brother Владислав is disclosed.
TWIN_OF_A_SHORT_NAME = (
    Person(
        id="UA-1",
        given_name="Mykytka",
        surname="Bublyk",
        sex="M",
        birth_date="2016-03-06",
        mother_name="Zinaida Maksymenko",
        father_name="Petro Bublyk",
    ),
    Person(
        id="RU-1",
        given_name="Владислав",
        surname="Бублик",
        patronymic="Петрович",
        sex="M",
        birth_date="2016-03-06",
        father_name="Бублик Петр Вячеславович",
        name_variants="Влад; Владик",
    ),
)


def test_a_twin_of_a_child_known_by_an_unlisted_short_name_is_not_the_match() -> None:
    request, twin = TWIN_OF_A_SHORT_NAME
    matcher = Matcher()
    matcher.index([twin, *STRANGERS])
    (candidate,) = matcher.match_one(request)
    assert candidate.decision is EngineDecision.RELATED


def test_an_unlisted_short_form_of_the_child_s_own_name_is_still_the_match() -> None:
    request, twin = TWIN_OF_A_SHORT_NAME
    child = replace(twin, id="RU-2", given_name="Никита", name_variants="")
    matcher = Matcher()
    matcher.index([child, *STRANGERS])
    (candidate,) = matcher.match_one(request)
    assert candidate.decision is EngineDecision.MATCH
