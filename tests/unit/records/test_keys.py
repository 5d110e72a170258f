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
            keys.sort_key_of(values),
            *keys.duplicate_keys_of(values),
        ), values
        assert keys.record_keys(values) == dict(
            zip(keys.KEY_COLUMNS, keys.key_values(values), strict=True)
        )


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


def test_the_search_key_puts_the_childs_tokens_before_the_parents() -> None:
    values = {
        "surname": "Бондар",
        "given_name": "Ірина",
        "mother_name": "Бондар Олена",
        "father_name": "Коваль Леонід",
        "external_id": "UA 4",
    }
    child, parents = keys.search_key_of(values).split(" | ")
    assert child.startswith(" ") and parents.endswith(" ")
    assert " bondar" in child and " #ua_4" in child and " =ірина" in child
    # A token of both the child and a parent (the surname) is the child's, once.
    assert " koval" in f" {parents}" and "bondar" not in parents and "olena" in parents
    assert keys.search_key_of({"mother_name": "Ольга"}).startswith(" | ")
    assert keys.search_key_of({"surname": "Лисенко"}) == " lisenko | "
    assert keys.search_key_of({}) == ""


def test_duplicate_keys_need_a_full_date_and_a_parent() -> None:
    digest = keys.blocking_digest
    child = {"surname": "Ковальова", "given_name": "Ганна", "birth_date": "2016-07-01"}
    assert keys.duplicate_keys_of(child) == (None, None)
    with_mother = child | {"mother_name": "Оксана"}
    # The given name's identity and the surname's gender-neutral key, with the date.
    assert keys.duplicate_keys_of(with_mother) == (
        digest("2016-07-01|гаана"),
        digest("2016-07-01|kovalev"),
    )
    # Another spelling of the same name and surname: the same keys.
    latin = with_mother | {"given_name": "Hanna", "surname": "Kovalova"}
    assert keys.duplicate_keys_of(latin) == keys.duplicate_keys_of(with_mother)
    assert keys.duplicate_keys_of(with_mother | {"birth_date": "2016-07"}) == (None, None)
    assert keys.duplicate_keys_of({**child, "patronymic": "Андріївна"})[0] is not None
    # A signed 64-bit integer, the same in every process (no salted hash).
    assert digest("2016-07-01|гаана") == digest("2016-07-01|гаана")
    assert -(2**63) <= digest("x") < 2**63
    assert digest("2016-07-01|гаана") != digest("2016-07-02|гаана")
