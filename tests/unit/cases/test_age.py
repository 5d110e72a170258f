"""Ages from partial dates: ranges, the adult track, and who turns 18 soon."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from reunite.cases.age import (
    age_between,
    age_on,
    is_adult,
    may_be_adult,
    span,
    turning_adult_soon,
    turns_adult,
)

TODAY = date(2026, 12, 6)


def test_a_whole_date_gives_one_age() -> None:
    age = age_on("2008-12-06", TODAY)
    assert age is not None and (age.low, age.high, str(age)) == (18, 18, "18")
    assert str(age_on("2008-12-07", TODAY)) == "17"  # a day short of 18


def test_a_year_alone_gives_a_range() -> None:
    age = age_on("2008", TODAY)
    assert age is not None and (age.low, age.high) == (17, 18) and str(age) == "17–18"
    assert not is_adult("2008", TODAY) and may_be_adult("2008", TODAY)
    assert is_adult("2007", TODAY)


def test_a_year_and_month_give_the_month_of_birth() -> None:
    assert span("2012-02") is not None
    assert span("2012-02").last == date(2012, 2, 29)  # type: ignore[union-attr]
    coming = turns_adult("2008-12")
    assert coming is not None
    assert (coming.earliest, coming.latest) == (date(2026, 12, 1), date(2026, 12, 31))


def test_born_on_29_february_turns_18_on_1_march_of_a_common_year() -> None:
    coming = turns_adult("2008-02-29")
    assert coming is not None and coming.earliest == date(2026, 3, 1)


def test_turning_18_within_90_days_is_flagged_and_adults_are_not() -> None:
    assert turning_adult_soon("2009-02-01", TODAY)  # 18 on 1 February 2027
    assert not turning_adult_soon("2009-06-01", TODAY)  # in six months
    assert not turning_adult_soon("2008-01-01", TODAY)  # already 18
    assert turning_adult_soon("2009", TODAY)  # may turn 18 on 1 January 2027


def test_the_age_at_separation_from_partial_dates() -> None:
    age = age_between("2010-05-20", "2022-03")
    assert age is not None and (age.low, age.high) == (11, 11)
    wide = age_between("2010", "2022")
    assert wide is not None and (wide.low, wide.high) == (11, 12)


def test_unknown_or_malformed_dates_give_no_age() -> None:
    assert age_on("", TODAY) is None and age_on("20xx", TODAY) is None
    assert age_on("2030-01-01", TODAY) is None  # not born yet
    assert turns_adult("") is None and not turning_adult_soon("", TODAY)


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2026, 12, 6)))
def test_a_whole_date_is_adult_exactly_from_its_18th_birthday(born: date) -> None:
    text = born.isoformat()
    coming = turns_adult(text)
    assert coming is not None and coming.earliest == coming.latest
    if coming.earliest <= TODAY:
        assert is_adult(text, TODAY)
    else:
        assert not is_adult(text, TODAY) and not may_be_adult(text, TODAY)
