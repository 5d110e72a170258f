"""The keys a record's fields reduce to (no database)."""

from __future__ import annotations

import itertools

import pytest

from reunite.records import keys

FIELDS = {
    "given_name": ("Олександр", "", "Анна-Марія"),
    "surname": ("Лисенко", "", "Петренко-Коваль"),
    "patronymic": ("Миколайович", ""),
    "name_variants": ("", "Саша; Alex"),
    "mother_name": ("Лисенко Ольга", ""),
    "father_name": ("", "Петро"),
    "birth_date": ("2014-03-12", "2014"),
    "external_id": ("UA-1", ""),
}


def test_the_bulk_path_computes_what_each_key_function_does() -> None:
    for combination in itertools.product(*FIELDS.values()):
        values = dict(zip(FIELDS, combination, strict=True))
        assert keys.key_values(values) == (
            keys.search_key_of(values),
            keys.name_key_of(values),
            keys.sort_key_of(values),
            *keys.duplicate_keys_of(values),
        ), values


@pytest.mark.parametrize(
    ("surname", "given_name"),
    [
        ("Лисенко", "Олександр"),
        ("Lysenko", "Oleksandr"),
        ("Лысенко", "Александр"),
        ("LYSENKO", "Sasha"),
        ("Лисенко", "Саша"),
    ],
)
def test_one_childs_spellings_share_a_sort_key(surname: str, given_name: str) -> None:
    assert keys.sort_key_of({"surname": surname, "given_name": given_name}) == ("lisenko oleksandr")


def test_the_name_key_holds_the_child_and_the_reference_but_no_parent() -> None:
    values = {
        "surname": "Бондар",
        "given_name": "Ірина",
        "father_name": "Коваль Леонід",
        "external_id": "UA 4",
    }
    assert " koval " in keys.search_key_of(values)
    name_key = keys.name_key_of(values)
    assert " koval " not in name_key and " bondar " in name_key and " #ua_4 " in name_key


def test_duplicate_keys_need_a_full_date_and_a_parent() -> None:
    child = {"surname": "Ковальова", "given_name": "Ганна", "birth_date": "2016-07-01"}
    assert keys.duplicate_keys_of(child) == (None, None)
    with_mother = child | {"mother_name": "Оксана"}
    assert keys.duplicate_keys_of(with_mother) == ("2016-07-01|гаана", "2016-07-01|kovalev")
    assert keys.duplicate_keys_of(with_mother | {"surname": "Koval"}) == (
        "2016-07-01|гаана",
        "2016-07-01|koval",
    )
    assert keys.duplicate_keys_of(with_mother | {"birth_date": "2016-07"}) == (None, None)
    assert keys.duplicate_keys_of({**child, "patronymic": "Андріївна"})[0] is not None
