"""Tests for reunite.records.columns: headers in English, Ukrainian and Russian."""

from __future__ import annotations

import pytest

from reunite.records.columns import CANONICAL_COLUMNS, canonical_column

EXPECTED_COLUMNS = (
    "id given_name surname patronymic full_name sex birth_date birth_place nationality "
    "mother_name father_name last_known_place separation_date separation_circumstances "
    "distinguishing_marks current_location institution contact name_variants withheld withdrawn"
).split()

HEADERS = {
    "surname": ["surname", "last_name", "family name", "Last Name", "прізвище", "фамилия"],
    "given_name": ["given_name", "first_name", "name", "ім'я", "імʼя", "ім’я", "имя", "Ім'я"],
    "patronymic": ["patronymic", "middle_name", "по батькові", "по-батькові", "отчество"],
    "full_name": [
        "full_name", "name_full", "ПІБ", "П.І.Б.", "ФИО", "Ф.И.О.", "повне ім'я",
        "Прізвище, ім'я, по батькові", "Фамилия Имя Отчество",
    ],
    "sex": ["sex", "gender", "стать", "пол", "Стать:"],
    "birth_date": [
        "birth_date", "date_of_birth", "dob", "DOB", "дата народження", "дата рождения",
        "Дата нар.", "Д.Н.",
    ],
    "birth_place": ["birth_place", "place_of_birth", "місце народження", "место рождения"],
    "mother_name": ["mother_name", "mother", "Mother's name", "мати", "ім'я матері", "мать",
                    "имя матери"],
    "father_name": ["father_name", "father", "батько", "отец", "ім'я батька", "имя отца"],
    "last_known_place": [
        "last_known_place", "last_known_address", "останнє відоме місце",
        "последнее известное место",
    ],
    "separation_date": ["separation_date", "дата розлучення", "дата разлучения"],
    "separation_circumstances": ["separation_circumstances", "обставини", "обстоятельства"],
    "distinguishing_marks": ["distinguishing_marks", "особливі прикмети", "особые приметы"],
    "current_location": ["current_location", "region", "місцезнаходження", "местонахождение",
                         "регион"],
    "institution": ["institution", "guardian", "заклад", "опікун", "учреждение", "опекун"],
    "contact": ["contact", "person_to_inform", "контакт", "контактна особа", "контактное лицо"],
    "name_variants": ["name_variants", "aliases", "варіанти імені", "варианты имени"],
    "id": ["id", "record_id", "ід", "ідентифікатор", "№", "номер", "идентификатор", "ID"],
    "nationality": ["nationality", "громадянство", "гражданство"],
    "withheld": ["withheld", "утримано", "не розголошувати", "не раскрывать"],
    "withdrawn": ["withdrawn", "відкликано", "отозвано"],
}  # fmt: skip


def test_canonical_columns_are_exactly_the_agreed_names() -> None:
    assert CANONICAL_COLUMNS == tuple(EXPECTED_COLUMNS)


def test_every_canonical_name_maps_to_itself() -> None:
    for column in CANONICAL_COLUMNS:
        assert canonical_column(column) == column
        assert canonical_column(column.upper()) == column


@pytest.mark.parametrize(
    ("header", "column"),
    [(header, column) for column, headers in HEADERS.items() for header in headers],
)
def test_known_headers(header: str, column: str) -> None:
    assert canonical_column(header) == column


@pytest.mark.parametrize(
    ("header", "column"),
    [
        # Case, spaces, BOM, separators, trailing punctuation.
        ("  SURNAME  ", "surname"),
        ("\ufeffПрізвище", "surname"),
        ("\ufeffid", "id"),
        ("Surname:", "surname"),
        ("Surname.", "surname"),
        ("Birth-Date", "birth_date"),
        ("birth  date", "birth_date"),
        ("Date__of__birth", "birth_date"),
        ("по\u00a0батькові", "patronymic"),
        ("Прізвище*", "surname"),
        # A Latin «i» typed inside a Cyrillic header.
        ("Прiзвище", "surname"),
        # Bilingual and annotated headers.
        ("Прізвище / Surname", "surname"),
        ("Прізвище (Surname)", "surname"),
        ("Ім'я | First name", "given_name"),
        ("Дата народження (дд.мм.рррр)", "birth_date"),
        ("Withheld (art. 137)", "withheld"),
        # «of the child» adds nothing.
        ("Прізвище дитини", "surname"),
        ("Child's surname", "surname"),
        ("Фамилия ребенка", "surname"),
        ("Дата рождения ребёнка", "birth_date"),
    ],
)
def test_header_variations(header: str, column: str) -> None:
    assert canonical_column(header) == column


@pytest.mark.parametrize(
    "header",
    ["", "   ", "\ufeff", "Shoe size", "Колір очей", "Примечание", "notes", "Surname / Ім'я"],
)
def test_unknown_or_conflicting_headers(header: str) -> None:
    assert canonical_column(header) is None


def test_mother_and_father_are_not_the_child() -> None:
    # «Ім'я матері» contains «ім'я» but names the mother, not the child.
    assert canonical_column("Ім'я матері") == "mother_name"
    assert canonical_column("ПІБ батька") == "father_name"
    assert canonical_column("ФИО матери") == "mother_name"
