"""Explanations computed from the fields the page shows (issue 8, A9).

A field filled in on both sides is never explained as "missing": a father written as a
surname with initials («Коваль Л.А.») is compared with the other side's father and the
child's patronymic. A child renamed in a foster family keeps the evidence of its parents'
surname, however the parents are written.
"""

from __future__ import annotations

import pytest

from reunite.matching import LEVELS, Matcher, Model, Person, compare, describe, prepare
from reunite.matching.scoring import CLASSES

KOVAL_REQUEST = Person(
    id="UA-1",
    given_name="Марія",
    surname="Коваль",
    patronymic="Леонідівна",
    sex="F",
    birth_date="2016-05-20",
    birth_place="Бахмут",
    mother_name="Коваль Олена Вікторівна",
    father_name="Коваль Леонід Артемович",
)
KOVAL_RECORD = Person(
    id="RU-1",
    given_name="Мария",
    surname="Коваль",
    sex="F",
    birth_date="2016-05-20",
    birth_place="г. Артемовск",
    mother_name="Коваль Е.В.",
    father_name="Коваль Л.А.",
)


def _levels(a: Person, b: Person) -> dict[str, str]:
    return dict(describe(compare(prepare(a), prepare(b))))


def test_a_father_with_initials_is_compared_not_missing() -> None:
    # The exact pair of the issue: both sides show the father; the explanation said
    # "father: not known on one side".
    levels = _levels(KOVAL_REQUEST, KOVAL_RECORD)
    assert levels["father"] == "initials"
    assert levels["mother"] == "initials"  # Олена Вікторівна / Е.В. (Елена Викторовна)


def test_no_field_filled_in_on_both_sides_is_explained_as_missing() -> None:
    matcher = Matcher()
    matcher.index([KOVAL_RECORD])
    (found,) = matcher.match_one(KOVAL_REQUEST)
    explained = {field: level for field, level, _bits in found.explanation}
    filled = ("given_name", "surname", "father", "mother", "birth_date", "sex", "birth_place")
    assert [f for f in filled if explained[f] == "missing"] == []


@pytest.mark.parametrize(
    ("request_father", "request_patronymic", "record_father", "level"),
    [
        ("Коваль Леонід Артемович", "", "Коваль Л.А.", "initials"),
        ("Коваль Леонід Артемович", "", "Koval L. A.", "initials"),
        ("Коваль Леонід Артемович", "", "Коваль Л.", "initials"),
        ("", "Леонідівна", "Коваль Л.А.", "initials"),  # the child's patronymic names him
        ("Leonid Koval", "", "Коваль Л.А.", "initials"),
        ("Коваль Олександр", "", "Коваль А.", "initials"),  # Олександр is Александр
        ("Коваль Л.А.", "", "Коваль Л.А.", "initials"),
        ("Коваль Л.А.", "", "Koval L.", "initials"),
        # Initials that disagree are evidence against.
        ("Коваль Леонід Артемович", "", "Коваль М.А.", "different"),
        ("Коваль Леонід Артемович", "", "Коваль Л.П.", "different"),
        ("", "Леонідівна", "Коваль М.", "different"),
        ("Коваль Л.А.", "", "Коваль М.А.", "different"),
    ],
)
def test_fathers_initials_against_names_and_initials(
    request_father: str, request_patronymic: str, record_father: str, level: str
) -> None:
    request = Person(
        id="UA-1",
        given_name="Марія",
        surname="Коваль",
        patronymic=request_patronymic,
        father_name=request_father,
    )
    record = Person(id="RU-1", given_name="Мария", surname="Коваль", father_name=record_father)
    assert _levels(request, record)["father"] == level


def test_initials_agreeing_weigh_less_than_a_same_name_and_disagreeing_weigh_against() -> None:
    levels = Model().levels
    for parent in ("father", "mother"):
        same, initials, different = (
            LEVELS[parent].index(level) for level in ("same", "initials", "different")
        )
        match = levels["match"][parent]
        for rival in CLASSES[1:]:
            odds = [match[level] / levels[rival][parent][level] for level in range(len(match))]
            assert odds[different] < 1, (parent, rival)
            if rival == "relative":
                # A sibling shares the parents: neither a name nor initials tell them apart.
                assert odds[initials] <= odds[same] + 1e-9, parent
            else:
                assert odds[same] > odds[initials] > 1, (parent, rival)


def test_a_father_with_another_patronymic_is_another_man() -> None:
    # The hard case hr-22: Іван Олександрович Іваненко of the same year and city, whose
    # father Олександр Петрович is not the disclosed child's Александр Викторович.
    request = Person(
        id="hr-22",
        given_name="Іван",
        surname="Іваненко",
        patronymic="Олександрович",
        father_name="Іваненко Олександр Петрович",
    )
    record = Person(
        id="hd-974",
        given_name="Иван",
        surname="Иваненко",
        patronymic="Александрович",
        father_name="Иваненко Александр Викторович",
    )
    assert _levels(request, record)["father"] == "different"
    misspelt = Person(id="x", given_name="Иван", father_name="Иваненко Александр Петровичь")
    assert _levels(request, misspelt)["father"] == "same"


# The exact pair from the demo generator: the child was renamed in a foster family
# («Маркова», the guardian's surname); the record writes the parents with initials, under
# the family's surname, which looks like a patronymic («Федорович»).
FOSTER_REQUEST = Person(
    id="UA-7",
    given_name="Oleksandra",
    surname="Fedorovych",
    sex="F",
    father_name="Nazar",
    mother_name="Fedorovych Lesia Borysivna",
)
FOSTER_RECORD = Person(
    id="RU-7",
    given_name="Александра",
    surname="Маркова",
    patronymic="Назаровна",
    sex="F",
    father_name="Федорович Н.О.",
    mother_name="Федорович Л.Б.",
)


def test_a_renamed_child_keeps_the_evidence_of_its_parents_surname() -> None:
    levels = _levels(FOSTER_REQUEST, FOSTER_RECORD)
    assert levels["surname"] == "parent"
    assert levels["father"] == "same"  # Nazar / Назаровна
    assert levels["mother"] == "initials"  # Lesia Borysivna / Л.Б.


@pytest.mark.parametrize("guardian", ["", "Маркова Ірина"])
def test_a_child_whose_surname_is_its_parents_loses_nothing(guardian: str) -> None:
    # The normal case: the child's surname equals a parent's. Against a record of the same
    # child it is "same", whoever else the record names, and weighs as any same surname.
    request = Person(
        id="UA-8",
        given_name="Марія",
        surname="Коваль",
        mother_name="Коваль Олена",
        father_name="Коваль Леонід",
    )
    plain = Person(id="UA-9", given_name="Марія", surname="Коваль")
    record = Person(
        id="RU-8", given_name="Мария", surname="Коваль", mother_name=guardian or "Коваль Елена"
    )
    model = Model()
    with_parents = {
        field: bits for field, _l, bits in model.explain(compare(prepare(request), prepare(record)))
    }
    without = {
        field: bits for field, _l, bits in model.explain(compare(prepare(plain), prepare(record)))
    }
    assert _levels(request, record)["surname"] == "same"
    assert with_parents["surname"] >= without["surname"]
