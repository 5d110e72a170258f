"""Ages from dates that may be partial: a year, a year and month, or a whole date.

A date of birth given as «2007» says the child was born in some day of 2007: the age on a
day is then a range, and so is the day they turn 18. Nothing is guessed: the adult track
begins when the person is 18 on every reading of their date of birth, and a person who may
already be 18 on some reading is flagged, like one turning 18 within 90 days.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

ADULT_AGE = 18
# How far ahead a person about to turn 18 is flagged: their options change (DESIGN.md §2).
SOON = timedelta(days=90)


@dataclass(frozen=True)
class Span:
    """The first and last day a partial date may mean."""

    first: date
    last: date


def span(value: str) -> Span | None:
    """Return the days a partial ISO date ("YYYY", "YYYY-MM", "YYYY-MM-DD") may mean."""
    parts = value.strip().split("-") if value else []
    try:
        numbers = [int(part) for part in parts]
    except ValueError:
        return None
    if len(numbers) == 1:
        return Span(date(numbers[0], 1, 1), date(numbers[0], 12, 31))
    if len(numbers) == 2:
        year, month = numbers
        last = calendar.monthrange(year, month)[1]
        return Span(date(year, month, 1), date(year, month, last))
    if len(numbers) == 3:
        day = date(*numbers)
        return Span(day, day)
    return None


def _birthday(born: date, years: int) -> date:
    try:
        return born.replace(year=born.year + years)
    except ValueError:  # born on 29 February: the birthday of a common year is 1 March
        return date(born.year + years, 3, 1)


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


@dataclass(frozen=True)
class Age:
    """An age in whole years: one number, or a range when the date of birth is partial."""

    low: int
    high: int

    @property
    def exact(self) -> bool:
        """Tell whether the age is known to the year."""
        return self.low == self.high

    def __str__(self) -> str:
        return str(self.low) if self.exact else f"{self.low}–{self.high}"


def age_on(birth: str, on: date) -> Age | None:
    """Return the age on a day of someone born on a (partial) date; None if unknown."""
    born = span(birth)
    if born is None or born.first > on:
        return None
    return Age(low=max(_age(born.last, on), 0), high=_age(born.first, on))


def age_between(birth: str, then: str) -> Age | None:
    """Return the age on a (partial) day, say at separation: the widest honest range."""
    born, moment = span(birth), span(then)
    if born is None or moment is None:
        return None
    low = max(_age(born.last, moment.first), 0)
    high = max(_age(born.first, moment.last), 0)
    return Age(low=low, high=high)


@dataclass(frozen=True)
class Coming:
    """When someone turns 18: between these two days (one day if the birth date is whole)."""

    earliest: date
    latest: date


def turns_adult(birth: str) -> Coming | None:
    """Return the days between which someone born on a (partial) date turns 18."""
    born = span(birth)
    if born is None:
        return None
    return Coming(_birthday(born.first, ADULT_AGE), _birthday(born.last, ADULT_AGE))


def is_adult(birth: str, on: date) -> bool:
    """Tell whether someone is 18 on a day on every reading of their date of birth."""
    age = age_on(birth, on)
    return age is not None and age.low >= ADULT_AGE


def may_be_adult(birth: str, on: date) -> bool:
    """Tell whether someone is 18 on a day on some reading of their date of birth."""
    age = age_on(birth, on)
    return age is not None and age.high >= ADULT_AGE


def turning_adult_soon(birth: str, on: date, *, within: timedelta = SOON) -> bool:
    """Tell whether someone not yet surely 18 may turn 18 within the coming days."""
    coming = turns_adult(birth)
    if coming is None or is_adult(birth, on):
        return False
    return coming.earliest <= on + within
