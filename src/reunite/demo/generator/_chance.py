"""Small random helpers: uniform draws, phone numbers, typos, wrong birth dates."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import TypeVar

from reunite.demo.generator._model import EARLIEST_DATE, Rnd

_T = TypeVar("_T")


def uniform(rnd: Rnd, items: Sequence[_T]) -> _T:
    """Draw one item, each as likely as the others."""
    return items[int(rnd() * len(items))]


def phone(seed: int, style: int) -> str:
    """Return a Ukrainian mobile number, written in one of four styles."""
    ops = ("50", "63", "66", "67", "68", "73", "93", "95", "96", "97", "98", "99")
    op = ops[seed % len(ops)]
    n = f"{(seed // len(ops)) % 10_000_000:07d}"
    if style == 0:
        return f"+380{op}{n}"
    if style == 1:
        return f"+380 {op} {n[:3]} {n[3:5]} {n[5:]}"
    if style == 2:
        return f"0{op} {n[:3]} {n[3:5]} {n[5:]}"
    return f"+380 ({op}) {n[:3]}-{n[3:5]}-{n[5:]}"


def typo(word: str, rnd: Rnd, russian: bool) -> str:
    """Return a word with one letter mistyped (words under four letters stay as they are)."""
    if len(word) < 4:
        return word
    i = 1 + int(rnd() * (len(word) - 2))
    op = rnd()
    if russian and op < 0.5:
        # Unstressed vowels are what a clerk mishears: о/а and е/и.
        swaps = {"о": "а", "а": "о", "е": "и", "и": "е"}
        for j in list(range(i, len(word))) + list(range(1, i)):
            if word[j] in swaps:
                return word[:j] + swaps[word[j]] + word[j + 1 :]
        return word
    if op < 0.7:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if op < 0.85:
        return word[:i] + word[i + 1 :]
    return word[:i] + word[i] + word[i:]


def shift_years(d: date, years: int) -> date:
    """Move a date by whole years (29 February becomes 28 February)."""
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def birth_date_error(birth: date, rnd: Rnd, latest: date) -> tuple[str, date]:
    """Return a wrong birth date as a registry might write it, and the kind of mistake."""
    for _ in range(12):
        k = rnd()
        cand: date | None = None
        if k < 0.3:
            kind = "swap"
            if birth.day <= 12 and birth.day != birth.month:
                cand = date(birth.year, birth.day, birth.month)
        elif k < 0.55:
            kind = "day"
            cand = birth + timedelta(days=1 if rnd() < 0.5 else -1)
        elif k < 0.8:
            kind = "digit"
            s = birth.strftime("%Y%m%d")
            pos = 2 + int(rnd() * 6)  # never the century digits
            s = s[:pos] + str(int(rnd() * 10)) + s[pos + 1 :]
            try:
                cand = date(int(s[:4]), int(s[4:6]), int(s[6:]))
            except ValueError:
                cand = None
        else:
            kind = "year"
            cand = shift_years(birth, 1 if rnd() < 0.5 else -1)
        if cand is not None and cand != birth and EARLIEST_DATE <= cand <= latest:
            return kind, cand
    return "day", birth - timedelta(days=1)
