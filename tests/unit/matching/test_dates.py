"""Tests of the birth-date comparator, ages and the adult track."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reunite.matching.dates import (
    DATE_LEVELS,
    PartialDate,
    age_on,
    birth_year_block_keys,
    compare_birth_dates,
    is_adult_track,
    parse_partial,
    turns_18_within,
    year_neighbours,
)

D = datetime.date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2014", PartialDate(2014, None, None)),
        ("2014-03", PartialDate(2014, 3, None)),
        ("2014-03-12", PartialDate(2014, 3, 12)),
        ("2016-02-29", PartialDate(2016, 2, 29)),
        (" 2014-03-12 ", PartialDate(2014, 3, 12)),
        ("", None),
        ("   ", None),
        ("2015-02-29", None),  # not a leap year
        ("2014-13", None),
        ("2014-00", None),
        ("2014-03-00", None),
        ("2014-04-31", None),
        ("0000", None),
        ("14-03-12", None),
        ("2014-3-12", None),
        ("12.03.2014", None),
        ("2014/03/12", None),
        ("20140312", None),
        ("٢٠١٤", None),  # Arabic-Indic digits pass str.isdigit() but are no ISO date
        ("2014-03-12T00:00", None),
    ],
)
def test_parse_partial(text: str, expected: PartialDate | None) -> None:
    assert parse_partial(text) == expected


@pytest.mark.parametrize(
    ("a", "b", "level"),
    [
        # missing
        ("", "2014-03-12", "missing"),
        ("2014-03-12", "", "missing"),
        ("", "", "missing"),
        ("2014-02-30", "2014-02-28", "missing"),
        ("unknown", "2014", "missing"),
        # exact
        ("2014-03-12", "2014-03-12", "exact"),
        ("2016-02-29", "2016-02-29", "exact"),
        # partial_agree
        ("2014", "2014-03-12", "partial_agree"),
        ("2014-03", "2014-03-12", "partial_agree"),
        ("2014", "2014-03", "partial_agree"),
        ("2014", "2014", "partial_agree"),
        ("2014-03", "2014-03", "partial_agree"),
        # transposed: day and month swapped, also when both are 12 or less
        ("2014-03-12", "2014-12-03", "transposed"),
        ("2014-01-02", "2014-02-01", "transposed"),
        ("2014-11-12", "2014-12-11", "transposed"),
        # off_by_day: one or two days, across month and year ends
        ("2014-03-12", "2014-03-13", "off_by_day"),
        ("2014-03-12", "2014-03-10", "off_by_day"),
        ("2014-03-31", "2014-04-01", "off_by_day"),
        ("2013-12-31", "2014-01-02", "off_by_day"),
        ("2016-02-28", "2016-03-01", "off_by_day"),
        ("2015-02-28", "2015-03-02", "off_by_day"),
        # typo: one digit, or two adjacent digits swapped
        ("2014-03-12", "2014-03-17", "typo"),
        ("2014-03-12", "2014-08-12", "typo"),
        ("2014-03-12", "2014-03-21", "typo"),
        ("2014-03-12", "2024-03-12", "typo"),
        ("2014-03-12", "2016-03-12", "typo"),  # two years apart, but one digit
        ("2014-03-12", "2041-03-12", "typo"),
        ("2014-10-25", "2014-01-25", "typo"),
        ("2010-03-12", "2001-03-12", "typo"),
        # off_by_year: same day and month; wins over typo (2014 vs 2013 is one digit)
        ("2014-03-12", "2013-03-12", "off_by_year"),
        ("2014-03-12", "2015-03-12", "off_by_year"),
        ("2019-07-01", "2020-07-01", "off_by_year"),
        # year_only
        ("2014-03-12", "2014-07-20", "year_only"),
        ("2014-01-01", "2014-12-31", "year_only"),
        ("2014-03", "2014-07-20", "year_only"),
        ("2014-03", "2014-04", "year_only"),
        # near: within 400 days (partial dates from the middle of their range)
        ("2014-03-12", "2015-01-20", "near"),
        ("2014-12-20", "2015-12-27", "near"),
        ("2014", "2015", "near"),
        ("2014", "2015-01-01", "near"),
        ("2014-03", "2015-02-10", "near"),
        # different
        ("2014-03-12", "2010-01-20", "different"),
        ("2014-03-12", "2016-09-12", "different"),
        ("2014-03-12", "2015-05-20", "different"),
        ("2014", "2016", "different"),
        ("2014", "2015-12-31", "different"),
    ],
)
def test_compare_birth_dates_levels(a: str, b: str, level: str) -> None:
    assert compare_birth_dates(a, b) == level
    assert compare_birth_dates(b, a) == level


def test_off_by_day_wins_over_typo() -> None:
    # One digit differs, but the dates are neighbours: the likelier story is the day.
    assert compare_birth_dates("2014-03-12", "2014-03-13") == "off_by_day"


def test_transposed_needs_the_same_year() -> None:
    assert compare_birth_dates("2014-03-12", "2015-12-03") == "different"


def test_every_level_is_reachable() -> None:
    examples = {
        "missing": ("", "2014"),
        "exact": ("2014-03-12", "2014-03-12"),
        "partial_agree": ("2014", "2014-03-12"),
        "transposed": ("2014-03-12", "2014-12-03"),
        "off_by_day": ("2014-03-12", "2014-03-13"),
        "typo": ("2014-03-12", "2014-03-17"),
        "off_by_year": ("2014-03-12", "2013-03-12"),
        "year_only": ("2014-03-12", "2014-07-20"),
        "near": ("2014-03-12", "2015-01-20"),
        "different": ("2014-03-12", "2010-01-20"),
    }
    assert set(examples) == set(DATE_LEVELS)
    for level, (a, b) in examples.items():
        assert compare_birth_dates(a, b) == level


# --- properties ---------------------------------------------------------------------


_dates = st.dates(min_value=D(1990, 1, 1), max_value=D(2030, 12, 31))


@st.composite
def partial_dates(draw: st.DrawFn) -> str:
    """Draw a birth date as the importer stores it: full, year-month, year, empty or junk."""
    text = draw(_dates).isoformat()
    return draw(
        st.sampled_from([text, text, text, text[:7], text[:4], "", "2014-02-30", "garbage"])
    )


@given(partial_dates(), partial_dates())
def test_compare_birth_dates_is_symmetric(a: str, b: str) -> None:
    assert compare_birth_dates(a, b) == compare_birth_dates(b, a)


@given(partial_dates())
def test_a_date_agrees_with_itself(a: str) -> None:
    assert compare_birth_dates(a, a) in {"exact", "partial_agree", "missing"}


def _reference_one_slip(a: str, b: str) -> bool:
    """Spell out the typo rule on the YYYYMMDD strings, to check the bit tricks against."""
    x, y = a.replace("-", ""), b.replace("-", "")
    diffs = [i for i in range(8) if x[i] != y[i]]
    if len(diffs) == 1:
        return True
    return (
        len(diffs) == 2
        and diffs[1] == diffs[0] + 1
        and x[diffs[0]] == y[diffs[1]]
        and x[diffs[1]] == y[diffs[0]]
    )


def _reference_level(a: str, b: str) -> str:
    """Return the level of two full dates, straight from the specification."""
    x, y = D.fromisoformat(a), D.fromisoformat(b)
    gap = abs((x - y).days)
    if x == y:
        return "exact"
    if x.year == y.year and x.month == y.day and x.day == y.month:
        return "transposed"
    if gap <= 2:
        return "off_by_day"
    if (x.month, x.day) == (y.month, y.day) and abs(x.year - y.year) == 1:
        return "off_by_year"
    if _reference_one_slip(a, b):
        return "typo"
    if x.year == y.year:
        return "year_only"
    return "near" if gap <= 400 else "different"


@st.composite
def similar_full_dates(draw: st.DrawFn) -> tuple[str, str]:
    """Draw two full dates that often differ by a slip, so that every level comes up."""
    first = draw(_dates).isoformat()
    how = draw(st.sampled_from(["any", "digit", "swap", "days"]))
    if how == "any":
        return first, draw(_dates).isoformat()
    if how == "days":
        shift = draw(st.integers(-3, 3))
        return first, (D.fromisoformat(first) + datetime.timedelta(days=shift)).isoformat()
    digits = list(first.replace("-", ""))
    index = draw(st.integers(0, 6 if how == "swap" else 7))
    if how == "digit":
        digits[index] = draw(st.sampled_from("0123456789"))
    else:
        digits[index], digits[index + 1] = digits[index + 1], digits[index]
    text = "".join(digits)
    second = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    if parse_partial(second) is None:
        second = first
    return first, second


@given(similar_full_dates())
def test_full_dates_follow_the_specification(pair: tuple[str, str]) -> None:
    a, b = pair
    assert compare_birth_dates(a, b) == _reference_level(a, b)


# --- ages ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("birth", "on", "expected"),
    [
        ("2006-03-12", D(2024, 3, 11), (17, 17)),
        ("2006-03-12", D(2024, 3, 12), (18, 18)),
        ("2006-03-12", D(2006, 3, 12), (0, 0)),
        ("2006-03-12", D(2006, 3, 11), None),  # not born yet
        # 29 February: the birthday of a common year is 28 February (civil codes)
        ("2008-02-29", D(2026, 2, 27), (17, 17)),
        ("2008-02-29", D(2026, 2, 28), (18, 18)),
        ("2008-02-29", D(2026, 3, 1), (18, 18)),
        ("2008-02-29", D(2024, 2, 28), (15, 15)),
        ("2008-02-29", D(2024, 2, 29), (16, 16)),
        ("2008-03-01", D(2026, 2, 28), (17, 17)),
        # year only: born on 1 January at the earliest, 31 December at the latest
        ("2006", D(2024, 6, 1), (17, 18)),
        ("2006", D(2024, 12, 31), (18, 18)),
        ("2006", D(2024, 1, 1), (17, 18)),
        ("2014", D(2014, 6, 1), (0, 0)),
        ("2014", D(2013, 12, 31), None),
        # year and month
        ("2006-03", D(2024, 3, 15), (17, 18)),
        ("2006-03", D(2024, 3, 31), (18, 18)),
        ("2006-03", D(2024, 2, 28), (17, 17)),
        ("2008-02", D(2026, 2, 28), (18, 18)),  # 29 February is covered by the rule
        ("", D(2024, 1, 1), None),
        ("2014-02-30", D(2024, 1, 1), None),
    ],
)
def test_age_on(birth: str, on: datetime.date, expected: tuple[int, int] | None) -> None:
    assert age_on(birth, on) == expected


@given(partial_dates(), st.dates(min_value=D(1990, 1, 1), max_value=D(2060, 12, 31)))
def test_age_range_is_ordered_and_narrow(birth: str, on: datetime.date) -> None:
    ages = age_on(birth, on)
    if ages is not None:
        assert 0 <= ages[0] <= ages[1] <= ages[0] + 1


@pytest.mark.parametrize(
    ("birth", "separated_on", "today", "expected"),
    [
        # separated at 15, 18 today
        ("2006-05-01", "2022-03-01", D(2025, 1, 1), True),
        # the day before the 18th birthday, and the day itself
        ("2006-05-01", "2022-03-01", D(2024, 4, 30), False),
        ("2006-05-01", "2022-03-01", D(2024, 5, 1), True),
        # already an adult at separation
        ("2004-01-10", "2022-03-01", D(2025, 1, 1), False),
        # 18 on the day of separation: an adult then
        ("2004-03-01", "2022-03-01", D(2025, 1, 1), False),
        # 17 on the eve of the birthday at separation
        ("2004-03-02", "2022-03-01", D(2025, 1, 1), True),
        # 29 February births in common years
        ("2008-02-29", "2022-04-01", D(2026, 2, 27), False),
        ("2008-02-29", "2022-04-01", D(2026, 2, 28), True),
        # year-only birth: adult now or not depends on the unknown day
        ("2006", "2022", D(2024, 6, 1), None),
        ("2006", "2022", D(2025, 1, 1), True),
        # year-only separation around an 18th birthday
        ("2004-06-01", "2022", D(2025, 1, 1), None),
        ("2004-06-01", "2022-06", D(2025, 1, 1), False),
        ("2004-06-01", "2022-05", D(2025, 1, 1), True),
        # unknown dates
        ("", "2022-03-01", D(2025, 1, 1), None),
        ("2006-05-01", "", D(2025, 1, 1), None),
        ("2010-05-01", "", D(2025, 1, 1), False),  # certainly a minor today
        ("2030-01-01", "2022-03-01", D(2025, 1, 1), None),  # born after today: bad data
        ("2010-05-01", "2009-03-01", D(2030, 1, 1), None),  # separated before birth
    ],
)
def test_is_adult_track(
    birth: str, separated_on: str, today: datetime.date, expected: bool | None
) -> None:
    assert is_adult_track(birth, separated_on, today) is expected


@pytest.mark.parametrize(
    ("birth", "today", "days", "expected"),
    [
        ("2007-03-01", D(2025, 1, 1), 90, True),  # 59 days to go
        ("2007-03-01", D(2024, 11, 1), 90, False),  # 120 days to go
        ("2007-03-01", D(2024, 11, 1), 120, True),  # exactly on the last day
        ("2007-03-01", D(2024, 11, 1), 119, False),
        ("2007-03-01", D(2025, 3, 1), 90, False),  # 18 today: already an adult
        ("2007-03-01", D(2025, 2, 28), 1, True),  # tomorrow
        ("2006-01-01", D(2025, 1, 1), 90, False),  # adult for a year
        ("2008-02-29", D(2025, 12, 15), 90, True),  # 28 February 2026
        ("2008-02-29", D(2025, 11, 29), 90, False),  # 91 days
        ("2007", D(2025, 1, 1), 90, None),  # between 17 and 18 now
        ("2007", D(2024, 6, 1), 90, False),
        ("2007-03", D(2025, 1, 1), 120, True),
        ("2007-03", D(2025, 1, 1), 60, None),
        ("", D(2025, 1, 1), 90, None),
    ],
)
def test_turns_18_within(
    birth: str, today: datetime.date, days: int, expected: bool | None
) -> None:
    assert turns_18_within(birth, today, days) is expected


def test_turns_18_within_rejects_negative_days() -> None:
    with pytest.raises(ValueError, match="negative"):
        turns_18_within("2007-03-01", D(2025, 1, 1), -1)


# --- blocking -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("birth", "keys"),
    [("2014-03-12", (2014,)), ("2014-03", (2014,)), ("2014", (2014,)), ("", ()), ("x", ())],
)
def test_birth_year_block_keys(birth: str, keys: tuple[int, ...]) -> None:
    assert birth_year_block_keys(birth) == keys


def test_year_neighbours_cover_off_by_year_pairs() -> None:
    assert year_neighbours(2014) == (2013, 2014, 2015)
    (record_key,) = birth_year_block_keys("2013-03-12")
    assert record_key in year_neighbours(*birth_year_block_keys("2014-03-12"))
