"""Clean and parse the cells of the children lists that parties submit.

Pure functions: no I/O, no database. The importer calls them on up to a million
rows, so everything that can be built once (regexes, translation tables, name
sets) is built at import time or lazily on first use and then cached.

Decisions callers must know:

* Names use U+02BC MODIFIER LETTER APOSTROPHE ("ʼ") as their only apostrophe,
  the character the Ukrainian orthography and the KMU transliteration rules
  prescribe; it is a letter to Unicode, so a word like «Мʼята» stays one word.
* The rules of text and names (scripts, look-alike letters, apostrophes, dashes,
  case, the full-name splitter, the known given names) live in
  ``reunite.matching.text``, shared with the matcher; this module applies them to
  cells and adds what only an import needs (places' markers, sexes, dates, flags).
* Dates are partial ISO strings ("YYYY", "YYYY-MM", "YYYY-MM-DD"): a missing
  day or month is never invented, because a made-up day would look like
  evidence to the matcher.
* Known given names come from the first-name dictionary bundled with
  names_translator (MIT licence), loaded once on first use; without it a small
  built-in list is used (see ``reunite.matching.text``).
"""

from __future__ import annotations

import datetime
import re
from functools import lru_cache

from reunite.matching import text as text_rules
from reunite.matching.text import APOSTROPHE, clean_name, clean_text, script_of
from reunite.vocabulary import N_, Message, say

__all__ = [
    "APOSTROPHE",
    "MAX_CELL_LENGTH",
    "MIN_BIRTH_YEAR",
    "MIN_YEAR",
    "CleaningError",
    "check_length",
    "clean_name",
    "clean_text",
    "parse_birth_date",
    "parse_date",
    "parse_flag",
    "parse_sex",
    "script_of",
    "split_full_name",
    "split_variants",
]

MAX_CELL_LENGTH = 1000

# Children of this conflict were born after 1990; anything earlier is a typo or
# an adult and must be looked at by a person rather than imported silently.
MIN_BIRTH_YEAR = 1990

# No date in these lists can predate 1900; such a year is a typing error.
MIN_YEAR = 1900


class CleaningError(ValueError):
    """A cell that cannot be cleaned; the message is a short human reason (translatable)."""

    def __init__(self, message: Message) -> None:
        super().__init__(str(message))
        self.message = message


# The names of the dated fields, inside the messages about their cells.
DATE = N_("date")
BIRTH_DATE = N_("birth date")
SEPARATION_DATE = N_("separation date")


# ---------------------------------------------------------------------------
# Text and names: the rules live in the matching library's text module, shared with the
# matcher; APOSTROPHE, clean_text, clean_name and script_of are imported from there and
# keep their names here.


def check_length(value: str, *, limit: int = MAX_CELL_LENGTH) -> None:
    """Raise CleaningError if a cell is longer than the limit."""
    if len(value) > limit:
        raise CleaningError(
            say(
                N_("cell is {length} characters long; the limit is {limit}"),
                length=len(value),
                limit=limit,
            )
        )


# Kinds of settlement and administrative units, written in lower case before or after a
# place's name («м. Маріуполь, Донецька обл.», «г. Мариуполь», «m. Kherson, Khersonska
# obl.»): a name's capital letter does not belong on them.
_PLACE_MARKERS = frozenset(
    (
        "м. г. с. смт пгт сщ. сел. пос. п. х. ст. обл. р-н р-ну район область округ край "
        "m. s. smt c. obl. oblast raion rayon district region krai"
    ).split()
)


@lru_cache(maxsize=1 << 16)
def clean_place(value: str) -> str:
    """Clean a place like a name, keeping markers such as «м.», «обл.», «р-н» in lower case."""
    value = clean_name(value)
    words = value.split(" ")
    for index, word in enumerate(words):
        bare = word.rstrip(",;")
        if bare.lower() in _PLACE_MARKERS and bare != bare.lower():
            words[index] = bare.lower() + word[len(bare) :]
    return " ".join(words)


_VARIANT_SEPARATOR_RE = re.compile(r"[;|]")


def split_variants(value: str) -> list[str]:
    """Split a cell of name variants on ";" or "|" into distinct cleaned names."""
    variants: list[str] = []
    seen: set[str] = set()
    for piece in _VARIANT_SEPARATOR_RE.split(value):
        name = clean_name(piece)
        key = name.casefold()
        if name and key not in seen:
            seen.add(key)
            variants.append(name)
    return variants


# ---------------------------------------------------------------------------
# Full names


def split_full_name(value: str) -> tuple[str, str, str]:
    """Split a full name into cleaned (surname, given_name, patronymic)."""
    parts = text_rules.split_full_name(value)
    if not any(parts):
        raise CleaningError(say(N_("no letters in name {text}"), text=repr(value)))
    return parts


# ---------------------------------------------------------------------------
# Sex

# Cyrillic «м» is Russian «мужской»; the Ukrainian forms use ч/ж.
_MALE = """m male man boy ч чол чоловіча чоловічий чоловік хлопчик хлопець
м муж мужской мужчина мальчик ♂"""
_FEMALE = """f female woman girl ж жін жіноча жіночий жінка дівчинка дівчина
жен женский женщина девочка ♀"""
_SEX = dict.fromkeys(_MALE.split(), "M") | dict.fromkeys(_FEMALE.split(), "F")
_SEX.update({f"{word} стать": sex for word, sex in list(_SEX.items())})
_SEX.update({f"{word} пол": sex for word, sex in list(_SEX.items()) if " " not in word})


def parse_sex(value: str) -> str | None:
    """Read a sex as "M" or "F" from the English, Ukrainian or Russian forms."""
    text = clean_text(value)
    if not text:
        return None
    # «чoлoвiча» typed with Latin o and i must still be understood.
    sex = _SEX.get(text_rules.repair_lookalikes(text.lower().rstrip(".")))
    if sex is None:
        raise CleaningError(
            say(N_("not a sex: {text} (use M/F, ч/ж, м/ж, male/female)"), text=repr(text))
        )
    return sex


# ---------------------------------------------------------------------------
# Dates

_YEAR_SUFFIX_RE = re.compile(r"\s*(?:р|г|рік|року|год|года|y|yr)\.?$")
_SPACED_SEPARATOR_RE = re.compile(r"\s*([./-])\s*")
_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_ISO_DAY_RE = re.compile(rf"([0-9]{{4}})([-./])([0-9]{{1,2}})\2([0-9]{{1,2}}){_TIME}")
_ISO_MONTH_RE = re.compile(r"([0-9]{4})[-/.]([0-9]{1,2})")
_YEAR_RE = re.compile(r"[0-9]{4}")
_DAY_RE = re.compile(rf"([0-9]{{1,2}})([./-])([0-9]{{1,2}})\2([0-9]{{4}}){_TIME}")
_MONTH_RE = re.compile(r"([0-9]{1,2})[./-]([0-9]{4})")
_SHORT_YEAR_RE = re.compile(r"[0-9]{1,2}[./-](?:[0-9]{1,2}[./-])?[0-9]{2}")


def _keep_separator(match: re.Match[str]) -> str:
    return match.group(1)


def _format(year: int, month: int | None, day: int | None) -> str:
    if month is None:
        return f"{year:04d}"
    if day is None:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}"


def _checked(
    year: int, month: int | None, day: int | None, *, text: str, field: str, today: datetime.date
) -> str:
    if year < MIN_YEAR:
        raise CleaningError(
            say(
                N_("impossible {field} {text}: year before {year}"),
                field=Message(field),
                text=text,
                year=MIN_YEAR,
            )
        )
    if month is not None and not 1 <= month <= 12:
        raise CleaningError(say(N_("impossible {field} {text}"), field=Message(field), text=text))
    if day is not None and month is not None:
        try:
            datetime.date(year, month, day)
        except ValueError:
            raise CleaningError(
                say(N_("impossible {field} {text}"), field=Message(field), text=text)
            ) from None
    # Compare only the precision the value has: "2025-06" is not in the
    # future on 2025-06-01.
    if (year, month or 0, day or 0) > (
        today.year,
        today.month if month else 0,
        today.day if day else 0,
    ):
        raise CleaningError(
            say(N_("{field} {text} is in the future"), field=Message(field), text=text)
        )
    return _format(year, month, day)


def _not_a(field: str, text: str) -> Message:
    return say(N_("not a {field}: {text}"), field=Message(field), text=text)


def parse_date(
    value: object, *, field: str = DATE, today: datetime.date | None = None
) -> str | None:
    """Parse a full or partial date into "YYYY", "YYYY-MM" or "YYYY-MM-DD"."""
    if today is None:
        today = datetime.date.today()
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        # XLSX date cells arrive as datetimes at midnight; a time of day, if
        # any, says nothing about the date and is dropped.
        value = value.date()
    if isinstance(value, datetime.date):
        return _checked(
            value.year, value.month, value.day, text=value.isoformat(), field=field, today=today
        )
    if isinstance(value, bool):
        raise CleaningError(_not_a(field, repr(value)))
    if isinstance(value, float):
        if not value.is_integer():
            raise CleaningError(_not_a(field, repr(value)))
        value = int(value)
    if isinstance(value, int):
        if not 1000 <= value <= 9999:
            # Probably an Excel serial day number from an unformatted cell.
            raise CleaningError(
                say(
                    N_("not a {field}: {text} (a number must be a year)"),
                    field=Message(field),
                    text=repr(value),
                )
            )
        return _checked(value, None, None, text=str(value), field=field, today=today)
    if not isinstance(value, str):
        raise CleaningError(_not_a(field, repr(value)))

    text = clean_text(value)
    if not text:
        return None
    compact = text
    if not compact[-1].isdigit():
        compact = _YEAR_SUFFIX_RE.sub("", compact.lower()).rstrip(".")
    if " " in compact:
        # «12. 03. 2014» and «12 . 03 . 2014»
        compact = _SPACED_SEPARATOR_RE.sub(_keep_separator, compact)

    def checked(year: str, month: str | None = None, day: str | None = None) -> str:
        return _checked(
            int(year),
            int(month) if month is not None else None,
            int(day) if day is not None else None,
            text=text,
            field=field,
            today=today,
        )

    if match := _ISO_DAY_RE.fullmatch(compact):
        return checked(match[1], match[3], match[4])
    if match := _DAY_RE.fullmatch(compact):
        return checked(match[4], match[3], match[1])
    if match := _ISO_MONTH_RE.fullmatch(compact):
        return checked(match[1], match[2])
    if match := _MONTH_RE.fullmatch(compact):
        return checked(match[2], match[1])
    if _YEAR_RE.fullmatch(compact):
        return checked(compact)
    if _SHORT_YEAR_RE.fullmatch(compact):
        raise CleaningError(
            say(
                N_("ambiguous two-digit year in {field} {text}: write the year in full"),
                field=Message(field),
                text=text,
            )
        )
    raise CleaningError(
        say(
            N_("not a {field}: {text} (use YYYY-MM-DD, DD.MM.YYYY, MM.YYYY or YYYY)"),
            field=Message(field),
            text=repr(text),
        )
    )


def parse_birth_date(value: object, *, today: datetime.date | None = None) -> str | None:
    """Parse a birth date like parse_date and reject births before 1990."""
    parsed = parse_date(value, field=BIRTH_DATE, today=today)
    if parsed is not None and int(parsed[:4]) < MIN_BIRTH_YEAR:
        raise CleaningError(
            say(
                N_("birth year {year} is before {earliest}: not a child of this conflict"),
                year=parsed[:4],
                earliest=MIN_BIRTH_YEAR,
            )
        )
    return parsed


# ---------------------------------------------------------------------------
# Flags

# «х» is the Cyrillic letter typed for a tick mark "x"; a dash is how many
# spreadsheets say "no".
_TRUE = frozenset("yes y true 1 1.0 x х + ✓ ✔ так да".split())
_FALSE = frozenset("no n false 0 0.0 - — ні нет".split())


def parse_flag(value: object) -> bool:
    """Read a yes/no cell in English, Ukrainian or Russian; empty is no."""
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text = clean_text(str(value)).lower().rstrip(".")
    if text in _TRUE:
        return True
    if not text or text in _FALSE:
        return False
    raise CleaningError(
        say(N_("not a yes/no value: {text} (use yes/no, так/ні, да/нет, 1/0, x)"), text=repr(text))
    )
