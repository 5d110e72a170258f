"""The date parser on anything a cell can hold: a date in one of its three forms, or a reason.

`parse_date` promises "YYYY", "YYYY-MM" or "YYYY-MM-DD"; what it returns it reads again as
itself (a stored date re-imported or corrected is the same date), and every day written in
the forms it names comes back as that day.
"""

from __future__ import annotations

import datetime
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from reunite.records.cleaning import (
    MIN_BIRTH_YEAR,
    CleaningError,
    parse_birth_date,
    parse_date,
)

TODAY = datetime.date(2026, 6, 1)
FORMS = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
PROPERTIES = settings(max_examples=400, deadline=None, database=None)

date_text = st.text(
    alphabet=st.sampled_from("0123456789 .-/,рокуг р.year\u00a0\u200b\t'ʼ"), max_size=16
)
cells = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    date_text,
    st.dates(),
    st.datetimes(),
    st.binary(max_size=8),
    st.lists(st.integers(), max_size=3),
)
days = st.dates(min_value=datetime.date(1900, 1, 1), max_value=TODAY)  # older: refused


def _parsed(parse: object, value: object) -> str | None:
    assert callable(parse)
    try:
        result = parse(value, today=TODAY)
    except CleaningError as refused:
        assert str(refused).strip() and refused.message is not None
        return None
    assert result is None or (isinstance(result, str) and FORMS.fullmatch(result)), result
    return result


@PROPERTIES
@given(cells)
def test_any_cell_is_a_date_in_one_of_three_forms_or_refused_with_a_reason(value: object) -> None:
    for parse in (parse_date, parse_birth_date):
        parsed = _parsed(parse, value)
        if parsed is not None:
            # Never a day after today, never a birth before the conflict's children.
            assert parsed[:10] <= TODAY.isoformat()[: len(parsed)]
            if parse is parse_birth_date:
                assert int(parsed[:4]) >= MIN_BIRTH_YEAR


@PROPERTIES
@given(cells)
def test_what_the_parser_returns_it_reads_again_as_itself(value: object) -> None:
    parsed = _parsed(parse_date, value)
    if parsed is not None:
        assert parse_date(parsed, today=TODAY) == parsed
    birth = _parsed(parse_birth_date, value)
    if birth is not None:
        assert parse_birth_date(birth, today=TODAY) == birth


@PROPERTIES
@given(
    days,
    st.sampled_from(
        (
            "{y:04d}-{m:02d}-{d:02d}",
            "{d:02d}.{m:02d}.{y:04d}",
            "{d}.{m}.{y}",
            "{d:02d}/{m:02d}/{y:04d}",
            " {d:02d}.{m:02d}.{y:04d} ",
            "{d:02d}.{m:02d}.{y:04d} р.",
        )
    ),
)
def test_every_day_in_a_named_form_comes_back_as_that_day(day: datetime.date, form: str) -> None:
    text = form.format(y=day.year, m=day.month, d=day.day)
    assert parse_date(text, today=TODAY) == day.isoformat(), text
    assert parse_date(day, today=TODAY) == day.isoformat()
    assert parse_date(datetime.datetime.combine(day, datetime.time(13, 5)), today=TODAY) == (
        day.isoformat()
    )


@PROPERTIES
@given(days)
def test_months_and_years_come_back_as_themselves(day: datetime.date) -> None:
    assert parse_date(f"{day.month:02d}.{day.year}", today=TODAY) == f"{day.year}-{day.month:02d}"
    assert parse_date(f"{day.year}-{day.month:02d}", today=TODAY) == f"{day.year}-{day.month:02d}"
    assert parse_date(str(day.year), today=TODAY) == str(day.year)
    assert parse_date(day.year, today=TODAY) == str(day.year)
