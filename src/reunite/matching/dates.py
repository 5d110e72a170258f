"""Compare dates of birth and work out ages, for matching and for the adult track.

Dates arrive as the partial ISO strings the importer produces ("YYYY", "YYYY-MM",
"YYYY-MM-DD" or ""): a missing day or month is never invented, so every function here
reasons with the range of dates a partial date allows.

Pure functions, called for millions of candidate pairs: parsing is cached per string and
the comparison works on precomputed facts (ordinal days, digits), so a comparison of
two already-seen strings costs about a microsecond.

Decisions callers must know:

* ``compare_birth_dates`` returns one level out of ``DATE_LEVELS``. It checks the levels in
  the order of that tuple, with one deliberate exception: "off_by_year" is checked before
  "typo", because 2014-03-12 against 2013-03-12 differs in one digit yet is better read as
  a year slip (the level has its own weight in the scorer).
* "transposed", "off_by_day", "typo" and "off_by_year" need two full dates. "year_only"
  means the years agree and a month or day both dates have disagrees, whether or not the
  dates are full. "near" compares the middle days of the ranges partial dates allow.
* Ages follow the civil codes of Ukraine (art. 254) and Russia (art. 192): a term that ends
  on a day the month lacks ends on the month's last day, so someone born on 29 February
  has a birthday on 28 February in common years.
"""

from __future__ import annotations

import calendar
import datetime
import re
from functools import lru_cache
from typing import Final, Literal, NamedTuple

__all__ = [
    "ADULT_AGE",
    "DATE_LEVELS",
    "DateFacts",
    "DateLevel",
    "PartialDate",
    "age_on",
    "birth_year_block_keys",
    "compare_birth_dates",
    "compare_date_facts",
    "date_facts",
    "is_adult_track",
    "parse_partial",
    "turns_18_within",
    "year_neighbours",
]

DateLevel = Literal[
    "missing",
    "exact",
    "partial_agree",
    "transposed",
    "off_by_day",
    "typo",
    "off_by_year",
    "year_only",
    "near",
    "different",
]

MISSING: Final = "missing"
EXACT: Final = "exact"
PARTIAL_AGREE: Final = "partial_agree"
TRANSPOSED: Final = "transposed"
OFF_BY_DAY: Final = "off_by_day"
TYPO: Final = "typo"
OFF_BY_YEAR: Final = "off_by_year"
YEAR_ONLY: Final = "year_only"
NEAR: Final = "near"
DIFFERENT: Final = "different"

# Strongest evidence first; the scorer gives each level its own weight.
DATE_LEVELS: Final[tuple[DateLevel, ...]] = (
    MISSING,
    EXACT,
    PARTIAL_AGREE,
    TRANSPOSED,
    OFF_BY_DAY,
    TYPO,
    OFF_BY_YEAR,
    YEAR_ONLY,
    NEAR,
    DIFFERENT,
)

ADULT_AGE: Final = 18

# Two days covers a birth registered on the next working day and most misreadings of
# handwriting; beyond that a one-digit slip ("typo") is the likelier story.
_MAX_DAYS_OFF: Final = 2
# A little more than a year: dates this close may still be the same child whose record
# was filled in from memory, while two-year gaps are as common as between siblings.
_NEAR_DAYS: Final = 400

_CACHE_SIZE: Final = 1 << 16

# ASCII digits only: str.isdigit() and \d without re.ASCII accept other scripts' digits.
_ISO_RE: Final = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", re.ASCII)


class PartialDate(NamedTuple):
    """A date of which the day, or the month and the day, may be unknown."""

    year: int
    month: int | None
    day: int | None


# What a comparison needs about one date, computed once per distinct string and kept as a
# plain tuple because unpacking one is the cheapest way to read seven fields:
# (full, first day's ordinal, middle day's ordinal, YYYYMMDD digits as hex nibbles, year,
# month or 0, day or 0). The middle day makes "2014" as far from "2013" as from "2015";
# the digits as nibbles let a digit-level comparison run as a few integer operations.
DateFacts = tuple[bool, int, int, int, int, int, int]


@lru_cache(maxsize=_CACHE_SIZE)
def parse_partial(text: str) -> PartialDate | None:
    """Parse "YYYY", "YYYY-MM" or "YYYY-MM-DD"; return None when empty or invalid."""
    match = _ISO_RE.fullmatch(text.strip())
    if match is None:
        return None
    year = int(match[1])
    if year < datetime.MINYEAR:
        return None
    if match[2] is None:
        return PartialDate(year, None, None)
    month = int(match[2])
    if not 1 <= month <= 12:
        return None
    if match[3] is None:
        return PartialDate(year, month, None)
    day = int(match[3])
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return PartialDate(year, month, day)


@lru_cache(maxsize=_CACHE_SIZE)
def date_facts(text: str) -> DateFacts | None:
    """Return what comparing a partial ISO date needs, computed once (None when invalid)."""
    date = parse_partial(text)
    if date is None:
        return None
    first, last = _bounds(date)
    month = date.month or 0
    day = date.day or 0
    return (
        date.day is not None,
        first.toordinal(),
        (first.toordinal() + last.toordinal()) // 2,
        int(f"{date.year:04d}{month:02d}{day:02d}", 16),
        date.year,
        month,
        day,
    )


def _bounds(date: PartialDate) -> tuple[datetime.date, datetime.date]:
    """Return the first and the last day a partial date allows."""
    if date.day is not None and date.month is not None:
        exact = datetime.date(date.year, date.month, date.day)
        return exact, exact
    if date.month is not None:
        last_day = calendar.monthrange(date.year, date.month)[1]
        return (
            datetime.date(date.year, date.month, 1),
            datetime.date(date.year, date.month, last_day),
        )
    return datetime.date(date.year, 1, 1), datetime.date(date.year, 12, 31)


def compare_birth_dates(a: str, b: str) -> DateLevel:
    """Compare two partial ISO birth dates and return the agreement level (see DATE_LEVELS)."""
    return compare_date_facts(date_facts(a), date_facts(b))


def compare_date_facts(left: DateFacts | None, right: DateFacts | None) -> DateLevel:
    """Compare two dates by their facts (see date_facts and compare_birth_dates)."""
    if left is None or right is None:
        return MISSING
    full_l, ordinal_l, centre_l, code_l, year_l, month_l, day_l = left
    full_r, ordinal_r, centre_r, code_r, year_r, month_r, day_r = right
    if full_l and full_r:
        if ordinal_l == ordinal_r:
            return EXACT
        if year_l == year_r and month_l == day_r and day_l == month_r:
            return TRANSPOSED
        gap = ordinal_l - ordinal_r
        if gap < 0:  # cheaper than calling abs() on this hot path
            gap = -gap
        if gap <= _MAX_DAYS_OFF:
            return OFF_BY_DAY
        if month_l == month_r and day_l == day_r and year_l - year_r in (1, -1):
            return OFF_BY_YEAR
        # Typo: one digit of YYYYMMDD differs, or two adjacent digits are swapped. Inlined
        # integer tricks keep this under a microsecond: fold each differing nibble's bits
        # into the nibble's lowest bit, giving one mark per differing digit.
        diff = code_l ^ code_r
        marks = diff | (diff >> 2)
        marks = (marks | (marks >> 1)) & 0x11111111
        if marks & (marks - 1) == 0:
            return TYPO
        lowest = marks & -marks
        if marks == lowest * 0x11:  # exactly two marks, on neighbouring digits
            shift = lowest.bit_length() - 1
            pair_l = (code_l >> shift) & 0xFF
            pair_r = (code_r >> shift) & 0xFF
            if pair_l == ((pair_r & 0x0F) << 4) | (pair_r >> 4):
                return TYPO
        if year_l == year_r:
            return YEAR_ONLY
        return NEAR if gap <= _NEAR_DAYS else DIFFERENT
    if year_l == year_r:
        # 0 stands for an unknown month or day, which agrees with anything.
        if (not month_l or not month_r or month_l == month_r) and (
            not day_l or not day_r or day_l == day_r
        ):
            return PARTIAL_AGREE
        return YEAR_ONLY
    return NEAR if abs(centre_l - centre_r) <= _NEAR_DAYS else DIFFERENT


def _age(birth: datetime.date, on: datetime.date) -> int:
    """Return the age in whole years on a day, with 29 February birthdays on 28 February."""
    month, day = birth.month, birth.day
    if month == 2 and day == 29 and not calendar.isleap(on.year):
        day = 28
    return on.year - birth.year - ((on.month, on.day) < (month, day))


def _age_range(
    birth: PartialDate, first_day: datetime.date, last_day: datetime.date
) -> tuple[int, int] | None:
    """Return the (min, max) age between two days, or None if the child cannot be born yet."""
    earliest, latest = _bounds(birth)
    if last_day < earliest:
        return None
    # Until the last possible birthday has passed the child may be a newborn.
    youngest = _age(latest, first_day) if first_day >= latest else 0
    return youngest, _age(earliest, last_day)


def age_on(birth: str, on: datetime.date) -> tuple[int, int] | None:
    """Return the (min, max) age in whole years on a day, or None if unknown or not yet born."""
    date = parse_partial(birth)
    if date is None:
        return None
    return _age_range(date, on, on)


def is_adult_track(birth: str, separated_on: str, today: datetime.date) -> bool | None:
    """Tell whether a child certainly separated as a minor is certainly an adult now.

    False when the person was certainly an adult at separation or is certainly still a
    minor; None when the dates leave it open (partial, missing or inconsistent dates).
    """
    date = parse_partial(birth)
    if date is None:
        return None
    now = _age_range(date, today, today)
    if now is None:
        return None
    if now[1] < ADULT_AGE:
        return False
    separated = parse_partial(separated_on)
    if separated is None:
        return None
    first_day, last_day = _bounds(separated)
    then = _age_range(date, first_day, last_day)
    if then is None:
        return None
    if then[0] >= ADULT_AGE:
        return False
    if then[1] < ADULT_AGE and now[0] >= ADULT_AGE:
        return True
    return None


def turns_18_within(birth: str, today: datetime.date, days: int = 90) -> bool | None:
    """Tell whether a minor certainly turns 18 after today and at the latest in `days` days.

    False when the person is certainly 18 already or certainly still a minor then; None
    when a partial or missing birth date leaves it open.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    date = parse_partial(birth)
    if date is None:
        return None
    now = _age_range(date, today, today)
    if now is None:
        return None
    if now[0] >= ADULT_AGE:
        return False
    deadline = today + datetime.timedelta(days=days)
    later = _age_range(date, deadline, deadline)
    if later is None or later[1] < ADULT_AGE:
        return False
    if now[1] < ADULT_AGE and later[0] >= ADULT_AGE:
        return True
    return None


def birth_year_block_keys(birth: str) -> tuple[int, ...]:
    """Return the blocking key of a birth date: (year,), or () when it is missing."""
    date = parse_partial(birth)
    return () if date is None else (date.year,)


def year_neighbours(year: int) -> tuple[int, int, int]:
    """Return the years a record's block key is looked up under: year-1, year and year+1."""
    # Blocking indexes each record under its own year and queries the neighbours, so
    # off-by-one-year pairs meet without tripling the index.
    return year - 1, year, year + 1
