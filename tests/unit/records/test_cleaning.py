"""Tests for reunite.records.cleaning: names, sexes, dates and flags from real lists."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reunite.records import cleaning
from reunite.records.cleaning import (
    MAX_CELL_LENGTH,
    CleaningError,
    check_length,
    clean_name,
    clean_text,
    parse_birth_date,
    parse_date,
    parse_flag,
    parse_sex,
    script_of,
    split_full_name,
    split_variants,
)

TODAY = datetime.date(2025, 6, 15)

# Letters, apostrophes, dashes and invisible characters as they appear in lists.
NAME_ALPHABET = (
    "абвгґдеєжзиіїйклмнопрстуфхцчшщьюяАБВГҐДЕЄЖЗИІЇЙКЛМНОПРСТУФХЦЧШЩЬЮЯёЁыЭ"
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZÏïéÁ"
    "'’ʼ`´‘-–— .,\u00a0\t\u200b\u0301\u0306\u0308"
)
names = st.text(alphabet=NAME_ALPHABET, max_size=40)


# --- clean_text --------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Лисенко  ", "Лисенко"),
        ("Лисенко\u00a0\u00a0Олександр", "Лисенко Олександр"),
        ("Лисенко\tОлександр\r\nМиколайович", "Лисенко Олександр Миколайович"),
        ("Оле\u200bксандр", "Олександр"),
        ("\ufeffLysenko", "Lysenko"),
        ("Lys\x00enko\x07", "Lysenko"),
        ("Мар\u00adія", "Марія"),
        ("\u202aОлена\u202c", "Олена"),
        # Decomposed «й» and «ї» (macOS) become the precomposed letters.
        ("Сергии\u0306", "Сергий"),
        ("Сергіи\u0306", "Сергій"),
        ("Киі\u0308в", "Київ"),
        ("", ""),
        (" \u00a0\t ", ""),
    ],
)
def test_clean_text(raw: str, expected: str) -> None:
    assert clean_text(raw) == expected


def test_clean_text_composes_decomposed_letters() -> None:
    assert clean_text("и\u0306") == "\u0439"
    assert clean_text("і\u0308") == "\u0457"


@given(st.text(max_size=60))
def test_clean_text_is_idempotent_and_trimmed(raw: str) -> None:
    cleaned = clean_text(raw)
    assert clean_text(cleaned) == cleaned
    assert cleaned == cleaned.strip()
    assert "  " not in cleaned


# --- clean_name --------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # Shouting and lowercase become title case, per part.
        ("ЛИСЕНКО", "Лисенко"),
        ("лисенко олександр", "Лисенко Олександр"),
        ("ЛИСЕНКО Олександр", "Лисенко Олександр"),
        ("ЛИСЕНКО-ПЕТРЕНКО", "Лисенко-Петренко"),
        ("лисенко-ПЕТРЕНКО", "Лисенко-Петренко"),
        ("SHEVCHENKO TARAS", "Shevchenko Taras"),
        ("о. м.", "О. М."),
        # Mixed case is written on purpose.
        ("McDonald", "McDonald"),
        ("DeLuca", "DeLuca"),
        ("MacLeod-SMITH", "MacLeod-Smith"),
        # Every apostrophe flavour between letters becomes U+02BC.
        ("Мар'яна", "Марʼяна"),
        ("Мар’яна", "Марʼяна"),
        ("Мар`яна", "Марʼяна"),
        ("Мар´яна", "Марʼяна"),
        ("Мар‘яна", "Марʼяна"),
        ("Марʼяна", "Марʼяна"),
        ("Лук'яненко", "Лукʼяненко"),
        # After the apostrophe the letter stays lower case.
        ("ДЕ'ЯНЕНКО", "Деʼяненко"),
        ("O'NEIL", "Oʼneil"),
        ("O'Neil", "OʼNeil"),
        # An apostrophe that is not between letters is left alone.
        ("'Іван'", "'Іван'"),
        # Dash flavours inside a double name become a hyphen.
        ("Лисенко–Петренко", "Лисенко-Петренко"),
        ("Лисенко — Петренко", "Лисенко-Петренко"),
        ("Лисенко - Петренко", "Лисенко-Петренко"),
        ("Анна\u2011Марія", "Анна-Марія"),
        # Latin letters inside Cyrillic words, and the reverse.
        ("Олексiй", "Олексій"),
        ("Oлeкcaндp", "Олександр"),
        ("КОВАЛЕНКO", "Коваленко"),
        ("Ïгор", "Їгор"),
        ("Dmytrо", "Dmytro"),
        ("Тaрас Шевченко", "Тарас Шевченко"),
        ("Sоfiia", "Sofiia"),
        # Stress marks are not spelling.
        ("Мари́я", "Мария"),
        ("  Олена \u200b ", "Олена"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_clean_name(raw: str, expected: str) -> None:
    assert clean_name(raw) == expected


def test_clean_name_repair_leaves_single_script_words() -> None:
    # «Mike» is all Latin, «Лисенко» all Cyrillic: neither word is repaired.
    assert clean_name("Mike Лисенко") == "Mike Лисенко"
    assert script_of(clean_name("Олексiй")) == "cyrillic"
    assert script_of(clean_name("Dmytrо")) == "latin"


@given(names)
def test_clean_name_is_idempotent(raw: str) -> None:
    once = clean_name(raw)
    assert clean_name(once) == once


@given(st.text(max_size=30))
def test_clean_name_is_idempotent_on_any_text(raw: str) -> None:
    once = clean_name(raw)
    assert clean_name(once) == once


def _is_letter(char: str) -> bool:
    return char.isalpha() and char not in "ʼʹʻˈ"


@given(names)
def test_clean_name_output_is_clean_text(raw: str) -> None:
    once = clean_name(raw)
    assert clean_text(once) == once
    # No apostrophe flavour other than U+02BC survives between two letters.
    for before, char, after in zip(once, once[1:], once[2:], strict=False):
        if char in "'’`´‘":
            assert not (_is_letter(before) and _is_letter(after))


# --- script_of ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Лисенко", "cyrillic"),
        ("Лисенко Олександр Миколайович", "cyrillic"),
        ("Lysenko", "latin"),
        ("Olʼha", "latin"),
        ("Олексiй", "mixed"),
        ("Lysenko Лисенко", "mixed"),
        ("", "none"),
        ("12.03.2014", "none"),
        ("ʼ-", "none"),
    ],
)
def test_script_of(value: str, expected: str) -> None:
    assert script_of(value) == expected


# --- split_full_name ---------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # Official Cyrillic order.
        ("Лисенко Олександр Миколайович", ("Лисенко", "Олександр", "Миколайович")),
        ("ЛИСЕНКО ОЛЕКСАНДР МИКОЛАЙОВИЧ", ("Лисенко", "Олександр", "Миколайович")),
        ("Шевченко Марія Іванівна", ("Шевченко", "Марія", "Іванівна")),
        ("Коваленко Софія Ігорівна", ("Коваленко", "Софія", "Ігорівна")),
        ("Бондар Дарина Андріївна", ("Бондар", "Дарина", "Андріївна")),
        ("Иванов Иван Иванович", ("Иванов", "Иван", "Иванович")),
        ("Смирнова Наталья Сергеевна", ("Смирнова", "Наталья", "Сергеевна")),
        ("Кузнецова Ольга Ильинична", ("Кузнецова", "Ольга", "Ильинична")),
        ("Абрамович Роман Аркадійович", ("Абрамович", "Роман", "Аркадійович")),
        # «Given Patronymic Surname», detected by the patronymic.
        ("Олександр Миколайович Лисенко", ("Лисенко", "Олександр", "Миколайович")),
        ("Наталья Сергеевна Смирнова", ("Смирнова", "Наталья", "Сергеевна")),
        ("Олександр Миколайович Петрович", ("Петрович", "Олександр", "Миколайович")),
        ("Кузьма Ильич Иванов", ("Иванов", "Кузьма", "Ильич")),
        # Double surnames keep their extra words.
        ("Лисенко-Петренко Марія Іванівна", ("Лисенко-Петренко", "Марія", "Іванівна")),
        ("Лисенко Петренко Марія Іванівна", ("Лисенко Петренко", "Марія", "Іванівна")),
        ("Марія Іванівна Лисенко Петренко", ("Лисенко Петренко", "Марія", "Іванівна")),
        # Two Cyrillic words: Surname Given unless the first is the given name.
        ("Лисенко Олександр", ("Лисенко", "Олександр", "")),
        ("Олександр Лисенко", ("Лисенко", "Олександр", "")),
        ("Петров Іван", ("Петров", "Іван", "")),
        ("Іван Петров", ("Петров", "Іван", "")),
        ("Бондар Роман", ("Бондар", "Роман", "")),
        ("Смирнов Артём", ("Смирнов", "Артём", "")),
        ("Артём Смирнов", ("Смирнов", "Артём", "")),
        # A female patronymic cannot be a surname.
        ("Марія Іванівна", ("", "Марія", "Іванівна")),
        # Initials stay where the official order puts them.
        ("Лисенко О. М.", ("Лисенко", "О.", "М.")),
        # Latin: passport order, or surname first when the second is the given name.
        ("Oleksandr Lysenko", ("Lysenko", "Oleksandr", "")),
        ("LYSENKO OLEKSANDR", ("Lysenko", "Oleksandr", "")),
        ("Sofiia Shevchenko", ("Shevchenko", "Sofiia", "")),
        ("SHEVCHENKO SOFIIA", ("Shevchenko", "Sofiia", "")),
        ("Alexander Smirnov", ("Smirnov", "Alexander", "")),
        ("SMIRNOV ALEXANDER", ("Smirnov", "Alexander", "")),
        ("PETROV IVAN", ("Petrov", "Ivan", "")),
        ("HNATIUK YEHOR", ("Hnatiuk", "Yehor", "")),
        ("Yehor Hnatiuk", ("Hnatiuk", "Yehor", "")),
        ("Koval Mariia", ("Koval", "Mariia", "")),
        ("LYSENKO OLEKSANDR MYKOLAIOVYCH", ("Lysenko", "Oleksandr", "Mykolaiovych")),
        ("Oleksandr Mykolaiovych Lysenko", ("Lysenko", "Oleksandr", "Mykolaiovych")),
        ("Anna Maria Kowalska", ("Kowalska", "Anna Maria", "")),
        # A comma marks the surname.
        ("Lysenko, Oleksandr", ("Lysenko", "Oleksandr", "")),
        ("Лисенко, Олександр Миколайович", ("Лисенко", "Олександр", "Миколайович")),
        # One word: a known given name, else a surname.
        ("Лисенко", ("Лисенко", "", "")),
        ("Ковальчук", ("Ковальчук", "", "")),
        ("Марія", ("", "Марія", "")),
        ("Oleksandr", ("", "Oleksandr", "")),
        ("Lysenko", ("Lysenko", "", "")),
        # Cleaning happens on the way.
        ("  ЛИСЕНКО  олексiй   миколайович ", ("Лисенко", "Олексій", "Миколайович")),
        ("Лук'яненко Мар'яна", ("Лукʼяненко", "Марʼяна", "")),
    ],
)
def test_split_full_name(value: str, expected: tuple[str, str, str]) -> None:
    assert split_full_name(value) == expected


def test_split_full_name_uses_the_names_translator_dictionary() -> None:
    # Neither name is in the small built-in list; the dictionary knows both.
    assert split_full_name("Гордій Лисенко") == ("Лисенко", "Гордій", "")
    assert split_full_name("LYSENKO HORDII") == ("Lysenko", "Hordii", "")


@pytest.mark.parametrize("value", ["", "   ", "123", "—", "12.03.2014", "'"])
def test_split_full_name_needs_letters(value: str) -> None:
    with pytest.raises(CleaningError, match="no letters"):
        split_full_name(value)


# The first call loads the given-name dictionary (about a second).
@settings(deadline=None)
@given(names)
def test_split_full_name_parts_are_clean(value: str) -> None:
    try:
        parts = split_full_name(value)
    except CleaningError:
        return
    assert any(parts)
    for part in parts:
        assert part == part.strip()
        assert "  " not in part


# --- parse_sex ---------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    ["M", "m", "male", "Male", "boy", "ч", "Ч", "ч.", "чол.", "чоловіча", "чоловік", "хлопчик",
     "м", "М", "м.", "муж.", "мужской", "мальчик", " M ", "чoлoвiча"],
)  # fmt: skip
def test_parse_sex_male(value: str) -> None:
    assert parse_sex(value) == "M"


@pytest.mark.parametrize(
    "value",
    ["F", "f", "female", "FEMALE", "girl", "ж", "Ж", "ж.", "жін.", "жіноча", "жінка",
     "дівчинка", "жен.", "женский", "девочка"],
)  # fmt: skip
def test_parse_sex_female(value: str) -> None:
    assert parse_sex(value) == "F"


@pytest.mark.parametrize("value", ["", "  ", "\u00a0"])
def test_parse_sex_empty(value: str) -> None:
    assert parse_sex(value) is None


@pytest.mark.parametrize("value", ["x", "1", "2", "unknown", "MF", "чж", "мужчина?"])
def test_parse_sex_rejects(value: str) -> None:
    with pytest.raises(CleaningError) as error:
        parse_sex(value)
    assert str(error.value) == f"not a sex: {value!r} (use M/F, ч/ж, м/ж, male/female)"


# --- parse_date --------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2014-03-12", "2014-03-12"),
        ("2014-3-2", "2014-03-02"),
        ("2014-03", "2014-03"),
        ("2014", "2014"),
        ("12.03.2014", "2014-03-12"),
        ("2.3.2014", "2014-03-02"),
        ("12/03/2014", "2014-03-12"),
        ("12-03-2014", "2014-03-12"),
        ("12. 03. 2014", "2014-03-12"),
        ("03.2014", "2014-03"),
        ("3.2014", "2014-03"),
        ("03/2014", "2014-03"),
        ("2014 р.", "2014"),
        ("2014р.", "2014"),
        ("2014 г.", "2014"),
        ("2014 року", "2014"),
        ("12.03.2014 р.", "2014-03-12"),
        ("2014-03-12 00:00:00", "2014-03-12"),
        ("2014-03-12T00:00:00", "2014-03-12"),
        # A time of day says nothing about the date, as with XLSX datetimes.
        ("2014-03-12 10:00", "2014-03-12"),
        ("29.02.2016", "2016-02-29"),
        ("15.06.2025", "2025-06-15"),
        ("06.2025", "2025-06"),
        ("2025", "2025"),
        (" 2014 ", "2014"),
        (datetime.date(2014, 3, 12), "2014-03-12"),
        (datetime.datetime(2014, 3, 12), "2014-03-12"),
        (datetime.datetime(2014, 3, 12, 15, 30), "2014-03-12"),
        (2014, "2014"),
        (2014.0, "2014"),
    ],
)
def test_parse_date(value: object, expected: str) -> None:
    assert parse_date(value, today=TODAY) == expected


@pytest.mark.parametrize("value", [None, "", "   ", "\u00a0"])
def test_parse_date_empty(value: object) -> None:
    assert parse_date(value, today=TODAY) is None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("31.02.2015", "impossible date 31.02.2015"),
        ("2015-02-29", "impossible date 2015-02-29"),
        ("13.2014", "impossible date 13.2014"),
        ("2014-13", "impossible date 2014-13"),
        ("32.01.2014", "impossible date 32.01.2014"),
        ("00.01.2014", "impossible date 00.01.2014"),
        ("03/25/2014", "impossible date 03/25/2014"),
        ("1850", "impossible date 1850: year before 1900"),
        ("16.06.2025", "date 16.06.2025 is in the future"),
        ("07.2025", "date 07.2025 is in the future"),
        ("2026", "date 2026 is in the future"),
        ("12.03.14", "ambiguous two-digit year in date 12.03.14: write the year in full"),
        ("03.14", "ambiguous two-digit year in date 03.14: write the year in full"),
        (
            "soon",
            "not a date: 'soon' (use YYYY-MM-DD, DD.MM.YYYY, MM.YYYY or YYYY)",
        ),
        (
            "12 березня 2014",
            "not a date: '12 березня 2014' (use YYYY-MM-DD, DD.MM.YYYY, MM.YYYY or YYYY)",
        ),
        (41710, "not a date: 41710 (a number must be a year)"),
        (2014.5, "not a date: 2014.5"),
        (True, "not a date: True"),
        (["2014"], "not a date: ['2014']"),
    ],
)
def test_parse_date_rejects(value: object, message: str) -> None:
    with pytest.raises(CleaningError) as error:
        parse_date(value, today=TODAY)
    assert str(error.value) == message


def test_parse_date_names_the_field() -> None:
    with pytest.raises(CleaningError, match=r"^impossible separation date 31\.02\.2022$"):
        parse_date("31.02.2022", field="separation date", today=TODAY)


def test_parse_date_future_uses_real_today_by_default() -> None:
    next_year = datetime.date.today().year + 1
    with pytest.raises(CleaningError, match="in the future"):
        parse_date(str(next_year))
    assert parse_date(datetime.date.today()) == datetime.date.today().isoformat()


def test_parse_date_rejects_future_datetime() -> None:
    with pytest.raises(CleaningError, match="in the future"):
        parse_date(datetime.datetime(2025, 6, 16), today=TODAY)


@given(st.dates(min_value=datetime.date(1900, 1, 1), max_value=TODAY))
def test_parse_date_reads_every_day_format(day: datetime.date) -> None:
    iso = day.isoformat()
    assert parse_date(day, today=TODAY) == iso
    assert parse_date(iso, today=TODAY) == iso
    assert parse_date(f"{day.day:02d}.{day.month:02d}.{day.year}", today=TODAY) == iso
    assert parse_date(f"{day.day}/{day.month}/{day.year}", today=TODAY) == iso
    assert parse_date(f"{day.month:02d}.{day.year}", today=TODAY) == iso[:7]


@given(
    st.one_of(
        st.dates(min_value=datetime.date(1900, 1, 1), max_value=TODAY).map(
            lambda d: f"{d.day}.{d.month}.{d.year}"
        ),
        st.tuples(st.integers(1900, 2024), st.integers(1, 12)).map(lambda ym: f"{ym[1]}/{ym[0]}"),
        st.integers(1900, 2025).map(lambda year: f"{year} р."),
    )
)
def test_parse_date_output_reparses_to_itself(value: str) -> None:
    parsed = parse_date(value, today=TODAY)
    assert parsed is not None
    assert parse_date(parsed, today=TODAY) == parsed
    assert len(parsed) in (4, 7, 10)


# --- parse_birth_date --------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [("12.03.2014", "2014-03-12"), ("1990", "1990"), ("01.1990", "1990-01"), ("", None)],
)
def test_parse_birth_date(value: str, expected: str | None) -> None:
    assert parse_birth_date(value, today=TODAY) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1985", "birth year 1985 is before 1990: not a child of this conflict"),
        ("31.12.1989", "birth year 1989 is before 1990: not a child of this conflict"),
        ("31.02.2015", "impossible birth date 31.02.2015"),
        ("2030", "birth date 2030 is in the future"),
    ],
)
def test_parse_birth_date_rejects(value: str, message: str) -> None:
    with pytest.raises(CleaningError) as error:
        parse_birth_date(value, today=TODAY)
    assert str(error.value) == message


# --- parse_flag --------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    ["yes", "Yes", "Y", "true", "TRUE", "1", "x", "X", "х", "так", "Так", "да", "ДА", "+", "✓",
     1, 1.0, True],
)  # fmt: skip
def test_parse_flag_true(value: object) -> None:
    assert parse_flag(value) is True


@pytest.mark.parametrize(
    "value",
    ["no", "No", "n", "false", "0", "ні", "НІ", "нет", "", "  ", "-", None, 0, 0.0, False],
)
def test_parse_flag_false(value: object) -> None:
    assert parse_flag(value) is False


@pytest.mark.parametrize("value", ["maybe", "2", "так?", "yes no", 2, 0.5])
def test_parse_flag_rejects(value: object) -> None:
    with pytest.raises(CleaningError, match="not a yes/no value"):
        parse_flag(value)


# --- split_variants ----------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Oleksandr; Alexander; Олександр", ["Oleksandr", "Alexander", "Олександр"]),
        ("Oleksandr|Alexander", ["Oleksandr", "Alexander"]),
        ("ЛИСЕНКО; Лисенко; лисенко", ["Лисенко"]),
        ("Мар'яна; Марʼяна; Марьяна", ["Марʼяна", "Марьяна"]),
        (" ; ;Sasha; ", ["Sasha"]),
        ("", []),
        ("Олексiй;Олексій", ["Олексій"]),
    ],
)
def test_split_variants(value: str, expected: list[str]) -> None:
    assert split_variants(value) == expected


@given(names)
def test_split_variants_gives_distinct_clean_names(value: str) -> None:
    variants = split_variants(value)
    assert all(variant and clean_name(variant) == variant for variant in variants)
    assert len({variant.casefold() for variant in variants}) == len(variants)


# --- check_length ------------------------------------------------------------


def test_check_length_accepts_up_to_the_limit() -> None:
    check_length("x" * MAX_CELL_LENGTH)
    check_length("")
    check_length("abc", limit=3)


def test_check_length_rejects_long_cells() -> None:
    with pytest.raises(CleaningError) as error:
        check_length("x" * 10000)
    assert str(error.value) == "cell is 10000 characters long; the limit is 1000"
    with pytest.raises(CleaningError, match="cell is 4 characters long; the limit is 3"):
        check_length("abcd", limit=3)


def test_cleaning_error_is_a_value_error() -> None:
    assert issubclass(CleaningError, ValueError)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("м. Маріуполь, Донецька обл.", "м. Маріуполь, Донецька обл."),
        ("М. МАРІУПОЛЬ, ДОНЕЦЬКА ОБЛ.", "м. Маріуполь, Донецька обл."),
        ("г. мариуполь", "г. Мариуполь"),
        ("m. Kherson, Khersonska obl.", "m. Kherson, Khersonska obl."),
        ("с. Мала Рогань, Харківський Р-Н", "с. Мала Рогань, Харківський р-н"),
        ("SMT IVANIVKA", "smt Ivanivka"),
        ("Бахмут", "Бахмут"),
    ],
)
def test_places_keep_their_markers_in_lower_case(raw: str, clean: str) -> None:
    assert cleaning.clean_place(raw) == clean
