"""Clean and parse the cells of the children lists that parties submit.

Pure functions: no I/O, no database. The importer calls them on up to a million
rows, so everything that can be built once (regexes, translation tables, name
sets) is built at import time or lazily on first use and then cached.

Decisions callers must know:

* Names use U+02BC MODIFIER LETTER APOSTROPHE ("ʼ") as their only apostrophe,
  the character the Ukrainian orthography and the KMU transliteration rules
  prescribe; it is a letter to Unicode, so a word like «Мʼята» stays one word.
* Dates are partial ISO strings ("YYYY", "YYYY-MM", "YYYY-MM-DD"): a missing
  day or month is never invented, because a made-up day would look like
  evidence to the matcher.
* Known given names come from the first-name dictionary bundled with
  names_translator (MIT licence), loaded once on first use; without it a small
  built-in list is used.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Iterable
from functools import cache, lru_cache

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
    """A cell that cannot be cleaned; the message is a short human reason."""


# ---------------------------------------------------------------------------
# Text

# Invisible characters that survive copy-paste from web pages and Word:
# zero-width spaces and joiners, bidi marks, soft hyphen, BOM, and the C0/C1
# control characters that are not whitespace (whitespace is collapsed instead).
_INVISIBLE = (
    [0x00AD, 0x034F, 0x061C, 0x180E, 0xFEFF, 0xFFF9, 0xFFFA, 0xFFFB]
    + list(range(0x200B, 0x2010))
    + list(range(0x202A, 0x202F))
    + list(range(0x2060, 0x2070))
    + [c for c in range(0x20) if not chr(c).isspace()]
    + [c for c in range(0x7F, 0xA0) if not chr(c).isspace()]
)
# A regex deletes them ~7x faster than str.translate with a dict on non-ASCII text.
_INVISIBLE_RE = re.compile("[" + "".join(re.escape(chr(code)) for code in _INVISIBLE) + "]")


def clean_text(value: str) -> str:
    """Strip, collapse whitespace and drop invisible and control characters."""
    if not value:
        return ""
    value = _INVISIBLE_RE.sub("", value)
    if not value.isascii():
        # Decomposed «й»/«ї» (macOS, some PDFs) must compare equal to the
        # precomposed letters everyone else types.
        value = unicodedata.normalize("NFC", value)
    # str.split() without arguments splits on every Unicode space (NBSP, tabs,
    # line breaks, narrow NBSP, ideographic space) and drops empty pieces.
    return " ".join(value.split())


def check_length(value: str, *, limit: int = MAX_CELL_LENGTH) -> None:
    """Raise CleaningError if a cell is longer than the limit."""
    if len(value) > limit:
        raise CleaningError(f"cell is {len(value)} characters long; the limit is {limit}")


# ---------------------------------------------------------------------------
# Scripts and look-alike letters

APOSTROPHE = "\u02bc"

# Apostrophe look-alikes seen in real lists, including U+02BC itself so that
# the regex below also tidies it (it is then replaced by itself).
_APOSTROPHES = "'\u2019\u02bc`\u00b4\u2018\u02b9\u2032\uff07\u201b\u02bb\u02c8"
# Modifier-letter apostrophes count as letters for Unicode (\w), but must not
# count as the letters an apostrophe or a hyphen stands between.
_LETTER = rf"[^\W\d_{_APOSTROPHES}]"
_MARKS = "\u0300-\u036f\u0483-\u0489"
# What precedes may be a letter or the combining mark ending one: whether
# «ŏ» is one code point or two must not change the result.
_AFTER_LETTER = rf"(?<={_LETTER}|[{_MARKS}])"
_APOSTROPHE_RE = re.compile(rf"{_AFTER_LETTER}[{_APOSTROPHES}](?={_LETTER})")
_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d"
_DASH_RE = re.compile(rf"{_AFTER_LETTER}\s*[{_DASHES}]\s*(?={_LETTER})")
# Cheap pre-checks: most names have neither, and the lookbehind regexes are slow.
_ANY_APOSTROPHE_RE = re.compile(f"[{_APOSTROPHES}]")
_ANY_DASH_RE = re.compile(f"[{_DASHES}]")
# Stress marks («Мари́я») are not part of the spelling; after NFC a combining
# acute or grave can only be such a mark.
_STRESS_RE = re.compile("[\u0300\u0301]")

# Pairs of letters that look the same in Latin and Cyrillic. Both cases are
# listed so that the repair never depends on case (and clean_name stays
# idempotent whatever the order of repairs and case changes).
# «Ї» and «Ё» are covered through their base letters (see _repair_lookalikes).
_LOOKALIKE_PAIRS = "AА BВ CС EЕ HН IІ KК MМ OО PР TТ XХ YУ"
_LATIN_LOOKS = "".join(pair[0] for pair in _LOOKALIKE_PAIRS.split())
_CYRILLIC_LOOKS = "".join(pair[1] for pair in _LOOKALIKE_PAIRS.split())
_LATIN_LOOKS += _LATIN_LOOKS.lower()
_CYRILLIC_LOOKS += _CYRILLIC_LOOKS.lower()
_TO_CYRILLIC = {ord(lat): cyr for lat, cyr in zip(_LATIN_LOOKS, _CYRILLIC_LOOKS, strict=True)}
_TO_LATIN = {ord(cyr): lat for lat, cyr in zip(_LATIN_LOOKS, _CYRILLIC_LOOKS, strict=True)}

_CYRILLIC_CLASS = "\u0400-\u052f\u1c80-\u1c8f\u2de0-\u2dff\ua640-\ua69f"
_LATIN_CLASS = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff"
_CYRILLIC_RE = re.compile(f"[{_CYRILLIC_CLASS}]")
_LATIN_RE = re.compile(f"[{_LATIN_CLASS}]")
_CYRILLIC_LETTER_RE = re.compile(rf"(?=[{_CYRILLIC_CLASS}]){_LETTER}")
_LATIN_LETTER_RE = re.compile(rf"(?=[{_LATIN_CLASS}]){_LETTER}")
_CYRILLIC_UNAMBIGUOUS_RE = re.compile(f"(?![{_CYRILLIC_LOOKS}])[{_CYRILLIC_CLASS}]")
_LATIN_UNAMBIGUOUS_RE = re.compile(f"(?![{_LATIN_LOOKS}])[{_LATIN_CLASS}]")
# Combining marks stay inside a word: «о» + U+0306 is one letter to a reader.
_WORD_RE = re.compile(rf"(?:[^\W\d_]|[{_MARKS}])+")
_HAS_LETTER_RE = re.compile(_LETTER)


def script_of(value: str) -> str:
    """Tell whether the letters of a value are "cyrillic", "latin", "mixed" or "none"."""
    has_cyrillic = _CYRILLIC_LETTER_RE.search(value) is not None
    has_latin = _LATIN_LETTER_RE.search(value) is not None
    if has_cyrillic and has_latin:
        return "mixed"
    if has_cyrillic:
        return "cyrillic"
    if has_latin:
        return "latin"
    return "none"


def _unambiguous_counts(text: str) -> tuple[int, int]:
    """Count the (Cyrillic, Latin) letters that have no look-alike in the other script."""
    return len(_CYRILLIC_UNAMBIGUOUS_RE.findall(text)), len(_LATIN_UNAMBIGUOUS_RE.findall(text))


def _repair_word(word: str, context: tuple[int, int]) -> str:
    cyrillic, latin = _unambiguous_counts(word)
    if cyrillic == latin:
        # A tie inside the word (often 0:0, e.g. «Bасс»): let the rest of the
        # value decide, then the letters as typed. Repairs only swap ambiguous
        # letters, so the counts, and the decision, are the same on a re-run.
        cyrillic, latin = context
        if cyrillic == latin:
            cyrillic = len(_CYRILLIC_RE.findall(word))
            latin = len(_LATIN_RE.findall(word))
    if cyrillic > latin:
        return word.translate(_TO_CYRILLIC)
    if latin > cyrillic:
        return word.translate(_TO_LATIN)
    return word


def _repair_lookalikes(value: str) -> str:
    """Replace letters typed in the wrong script inside words mixing Latin and Cyrillic."""
    if value.isascii() or not (_CYRILLIC_RE.search(value) and _LATIN_RE.search(value)):
        return value
    # Work on base letters: «ї» is «і» + U+0308, «ĭ» is «i» + U+0306. Then
    # whether a letter and a mark happen to compose never changes a count, a
    # word boundary or a decision, and the repair is idempotent.
    decomposed = unicodedata.normalize("NFD", value)
    context = _unambiguous_counts(decomposed)
    parts: list[str] = []
    last = 0
    for match in _WORD_RE.finditer(decomposed):
        word = match.group()
        if _CYRILLIC_RE.search(word) and _LATIN_RE.search(word):
            parts.append(decomposed[last : match.start()])
            parts.append(_repair_word(word, context))
            last = match.end()
    if not parts:
        return value
    parts.append(decomposed[last:])
    return unicodedata.normalize("NFC", "".join(parts))


# ---------------------------------------------------------------------------
# Names

_PART_SEPARATOR_RE = re.compile(r"([\s-]+)")
# A word starts at a letter that follows neither a letter nor a combining
# mark. U+02BC is a letter, so «Деʼяненко» keeps its «я» lower case, and
# str.title() (which also capitalises after marks) is only used for ASCII.
_MARK_RE = re.compile(f"[{_MARKS}]")
_WORD_START_RE = re.compile(rf"(?<![^\W\d_]|[{_MARKS}])[^\W\d_]")


def _capitalise(match: re.Match[str]) -> str:
    letter = match.group()
    # Title case, not upper case: «ß» must become «Ss», not «SS» (which would
    # be shouting on the next run). «ŉ» would become «ʼN»: leave it.
    titled = letter.title()
    return titled if titled[0].isupper() else letter


def _title(text: str) -> str:
    lower = text.lower()
    if lower.isascii():
        return lower.title()
    return _WORD_START_RE.sub(_capitalise, lower)


def _normalise_case(value: str) -> str:
    """Title-case the parts of a name written all upper or all lower case."""
    if (
        value.istitle()
        and APOSTROPHE not in value
        and (value.isascii() or not _MARK_RE.search(value))
    ):
        # Fast path for the usual «Лисенко Олександр»: no part is all upper
        # (except initials, which title-case to themselves) or all lower.
        # str.istitle() treats a combining mark as a word boundary, _title not.
        return value
    if value.isupper() or value.islower():
        return _title(value)
    pieces = _PART_SEPARATOR_RE.split(value)
    for index in range(0, len(pieces), 2):
        piece = pieces[index]
        # Only shouting and all-lowercase parts are rewritten; «McDonald»,
        # «DeLuca» and «OʼNeil» are written that way on purpose.
        if piece.isupper() or piece.islower():
            pieces[index] = _title(piece)
    return "".join(pieces)


@lru_cache(maxsize=1 << 16)
def clean_name(value: str) -> str:
    """Clean a name: apostrophes, hyphens, look-alike letters and shouting case."""
    value = clean_text(value)
    if not value:
        return ""
    if not value.isascii() and _STRESS_RE.search(value):
        # Again after removal: a mark may have separated spaces or letters
        # that now collapse or compose.
        value = clean_text(_STRESS_RE.sub("", value))
        if not value:
            return ""
    if _ANY_APOSTROPHE_RE.search(value):
        value = _APOSTROPHE_RE.sub(APOSTROPHE, value)
    if _ANY_DASH_RE.search(value):
        value = _DASH_RE.sub("-", value)
    value = _normalise_case(value)
    if value.isascii():
        return value
    # The repair comes after the case change, since lowering can turn a letter
    # into a look-alike («İ» -> «i» and a combining dot), while the repair keeps
    # each letter's case. Case mapping can also leave a letter and a combining
    # mark that compose.
    value = _repair_lookalikes(unicodedata.normalize("NFC", value))
    if _STRESS_RE.search(value):
        # The repair turned a Latin «á» into Cyrillic «а» + a stress mark.
        value = clean_text(_STRESS_RE.sub("", value))
    return value


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

# Patronymic endings, lower case. Male «-ич» also ends many surnames (Бабич,
# Петрович) so position decides; the "sure" endings are practically never
# surnames and decide on their own when only two words are given.
_PATRONYMIC_RE = re.compile(
    r"(?:..(?:ич|іч|вна|ична|ічна)"
    r"|..(?:ovych|evych|ovich|evich|ovitch|evitch|ych|yich|ich|ivna|ovna|evna|ichna|ychna))$"
)
_SURE_PATRONYMIC_RE = re.compile(
    r"(?:вна|ична|ічна|йович|ьович|еевич|ьевич|єєвич"
    r"|ivna|ovna|evna|ichna|ychna|iovych|yovych|eevich|eyevich|ievych|yevych)$"
)
_SURNAME_RE = re.compile(
    r"(?:енко|чук|..(?:ук|юк)|ськ(?:ий|а)|цьк(?:ий|а)|зьк(?:ий|а)|ск(?:ий|ая)|цк(?:ий|ая)"
    r"|....(?:ов|ова|ев|ева|єв|єва|ёв|ёва)"
    r"|enko|chuk|..(?:uk|iuk|yuk)|sk(?:yi|yy|iy|ii|y|a|aya)"
    r"|....(?:ov|ova|ev|eva|yov|yova))$"
)

# Used when the names_translator dictionary is not available, and added to it
# because the dictionary lacks the English spellings found in passports.
_BUILTIN_GIVEN_CYRILLIC = """
олександр александр максим артем артём дмитро дмитрий андрій андрей іван иван михайло
михаил богдан назар марк матвій матвей кирило кирилл данило даниил даниїл ярослав
владислав денис євген евгений сергій сергей роман тимофій тимофей тимур захар давид
ілля илья єгор егор микита никита олег юрій юрий тарас петро пётр петр павло павел
микола николай василь василий віктор виктор володимир владимир олексій алексей антон
вадим віталій виталий костянтин константин степан арсеній арсений остап семен семён
вікторія виктория анастасія анастасия марія мария софія софия соня анна ганна дарина
дар'я дарья дарʼя поліна полина катерина екатерина аліна алина вероніка вероника олена
елена ольга юлія юлия ірина ирина наталія наталья наталия христина кристина діана
диана єлизавета елизавета злата мілана милана валерія валерия аліса алиса соломія
ксенія ксения варвара оксана тетяна татьяна світлана светлана людмила надія надежда
маргарита уляна ульяна ангеліна ангелина емілія эмилия евеліна эвелина карина
""".split()
_BUILTIN_GIVEN_LATIN = """
oleksandr olexandr aleksandr alexandr alexander alex maksym maxim maksim artem artyom
dmytro dmitry dmitriy dmitri andrii andriy andrey andrei ivan mykhailo mikhail michael
bohdan bogdan nazar mark matvii matviy matvey kyrylo kirill danylo daniil daniel yaroslav
vladyslav vladislav denys denis yevhen yevgeny evgeny evgeniy eugene serhii serhiy sergey
sergei roman tymofii timofey timur zakhar david davyd illia ilya yehor yegor egor mykyta
nikita oleh oleg yurii yuriy yuri taras petro pyotr petr pavlo pavel mykola nikolay
nikolai vasyl vasily viktor victor volodymyr vladimir oleksii oleksiy aleksey alexey
alexei anton vadym vadim vitalii vitaliy kostiantyn kostyantyn konstantin stepan
arsenii arseniy ostap semen viktoriia viktoriya viktoria victoria anastasiia anastasiya
anastasia mariia mariya maria sofiia sofiya sofia sophia sonia anna hanna daryna dariia
dariya daria darya polina kateryna yekaterina ekaterina alina veronika olena yelena elena
olga olha yuliia yuliya yulia julia iryna irina nataliia nataliya natalia natalya
khrystyna kristina christina diana yelyzaveta elizaveta zlata milana valeriia valeriya
valeria alisa alice solomiia solomiya kseniia kseniya ksenia xenia varvara oksana tetiana
tetyana tatiana tatyana svitlana svetlana liudmyla lyudmyla ludmila nadiia nadiya
nadezhda marharyta margarita uliana ulyana angelina emiliia emilia evelina karina
""".split()


def _cyrillic_key(name: str) -> str:
    return name.lower().replace(APOSTROPHE, "'").replace("ё", "е")


def _latin_key(name: str) -> str:
    return name.lower().replace(APOSTROPHE, "").replace("'", "")


@cache
def _given_names() -> frozenset[str]:
    """Load the known given names (Cyrillic and Latin keys) once per process."""
    names = {_cyrillic_key(name) for name in _BUILTIN_GIVEN_CYRILLIC}
    names.update(_latin_key(name) for name in _BUILTIN_GIVEN_LATIN)
    try:
        names.update(_dictionary_given_names())
    except Exception:
        # An optional dictionary (missing, broken, zipped install) must never
        # stop an import; the built-in names still give sensible defaults.
        pass
    return frozenset(names)


def _dictionary_given_names() -> set[str]:
    # names_translator (MIT) bundles ~11k Ukrainian first names with their
    # Russian forms; as_dict("first") reads the compiled DAWG once (~0.2 s).
    from names_translator.dicts import default_dicts
    from translitua import (
        RussianICAO,
        RussianInternationalPassport1997,
        UkrainianKMU,
        UkrainianPassport2007,
        translit,
    )

    first: dict[str, list[str]] = default_dicts().as_dict("first")
    ukrainian = set(first)
    ukrainian.update(_cyrillic_key(name) for name in _BUILTIN_GIVEN_CYRILLIC)
    russian = {_cyrillic_key(form) for forms in first.values() for form in forms}
    names = ukrainian | russian
    # Latin passports spell the same names by the Ukrainian (KMU 2010, 2007)
    # or Russian (ICAO, 1997) rules, depending on when and where issued.
    for tables, source in (
        ((UkrainianKMU, UkrainianPassport2007), ukrainian),
        ((RussianICAO, RussianInternationalPassport1997), russian),
    ):
        for name in source:
            for table in tables:
                names.add(_latin_key(translit(name, table)))
    return names


def _is_known_given(token: str) -> bool:
    names = _given_names()
    key = _latin_key(token) if script_of(token) == "latin" else _cyrillic_key(token)
    if key in names:
        return True
    parts = key.split("-")
    return len(parts) > 1 and all(part in names for part in parts)


def _given_score(token: str) -> int:
    """Score how much a token looks like a given name (+1) or a surname (-1)."""
    key = token.lower()
    score = 1 if _is_known_given(token) else 0
    if _SURNAME_RE.search(key):
        # The dictionary has a few surnames among its first names (Петров).
        score -= 1
    return score


def _is_patronymic(token: str) -> bool:
    return _PATRONYMIC_RE.search(token.lower()) is not None


def _is_sure_patronymic(token: str) -> bool:
    return _SURE_PATRONYMIC_RE.search(token.lower()) is not None


def _join(tokens: Iterable[str]) -> str:
    return " ".join(tokens)


def _split_tokens(tokens: list[str], latin: bool) -> tuple[str, str, str]:
    count = len(tokens)
    if count == 1:
        token = tokens[0]
        return ("", token, "") if _given_score(token) > 0 else (token, "", "")

    if count == 2:
        first, second = tokens
        if _is_sure_patronymic(second) and not _is_patronymic(first):
            return "", first, second
        if latin:
            # Passport order «Given Surname» unless the first word is the
            # surname («LYSENKO OLEKSANDR»).
            score_first, score_second = _given_score(first), _given_score(second)
            if score_second > 0 and score_second > score_first:
                return first, second, ""
            return second, first, ""
        # Official Cyrillic order «Surname Given» unless the first word is the
        # given name and the second is not.
        score_first, score_second = _given_score(first), _given_score(second)
        if score_first > 0 and score_first > score_second:
            return second, first, ""
        return first, second, ""

    # Three words or more: the patronymic, if any, fixes the order.
    if _is_patronymic(tokens[1]) and not _is_patronymic(tokens[0]):
        # «Олександр Миколайович Лисенко»
        return _join(tokens[2:]), tokens[0], tokens[1]
    if _is_patronymic(tokens[-1]):
        # «Лисенко Олександр Миколайович», double surnames first
        return _join(tokens[:-2]), tokens[-2], tokens[-1]
    for index in range(2, count - 1):
        if _is_patronymic(tokens[index]):
            return (
                _join(tokens[: index - 1] + tokens[index + 1 :]),
                tokens[index - 1],
                tokens[index],
            )

    # No patronymic: initials («Лисенко О. М.») or several given names/surnames.
    if latin:
        if _given_score(tokens[0]) <= 0 and _given_score(tokens[1]) > 0:
            return _join(tokens[:-2]), tokens[-2], tokens[-1]
        given = 1
        while given < count - 1 and _given_score(tokens[given]) > 0:
            given += 1
        return _join(tokens[given:]), _join(tokens[:given]), ""
    if _given_score(tokens[0]) > 0 and _given_score(tokens[-2]) <= 0:
        return _join(tokens[1:]), tokens[0], ""
    return _join(tokens[:-2]), tokens[-2], tokens[-1]


def split_full_name(value: str) -> tuple[str, str, str]:
    """Split a full name into cleaned (surname, given_name, patronymic)."""
    name = clean_name(value)
    if not _HAS_LETTER_RE.search(name):
        raise CleaningError(f"no letters in name {value!r}")
    latin = script_of(name) == "latin"
    surname_part, comma, rest = name.partition(",")
    if comma:
        # «Лисенко, Олександр Миколайович»: the comma marks the surname.
        tokens = [t for t in rest.replace(",", " ").split() if _HAS_LETTER_RE.search(t)]
        surname = clean_name(surname_part)
        if len(tokens) >= 2 and _is_patronymic(tokens[-1]):
            return surname, _join(tokens[:-1]), tokens[-1]
        if surname:
            return surname, _join(tokens), ""
        name = rest
    tokens = [t for t in name.split() if _HAS_LETTER_RE.search(t)]
    return _split_tokens(tokens, latin)


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
    sex = _SEX.get(_repair_lookalikes(text.lower().rstrip(".")))
    if sex is None:
        raise CleaningError(f"not a sex: {text!r} (use M/F, ч/ж, м/ж, male/female)")
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
        raise CleaningError(f"impossible {field} {text}: year before {MIN_YEAR}")
    if month is not None and not 1 <= month <= 12:
        raise CleaningError(f"impossible {field} {text}")
    if day is not None and month is not None:
        try:
            datetime.date(year, month, day)
        except ValueError:
            raise CleaningError(f"impossible {field} {text}") from None
    # Compare only the precision the value has: "2025-06" is not in the
    # future on 2025-06-01.
    if (year, month or 0, day or 0) > (
        today.year,
        today.month if month else 0,
        today.day if day else 0,
    ):
        raise CleaningError(f"{field} {text} is in the future")
    return _format(year, month, day)


def parse_date(
    value: object, *, field: str = "date", today: datetime.date | None = None
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
        raise CleaningError(f"not a {field}: {value!r}")
    if isinstance(value, float):
        if not value.is_integer():
            raise CleaningError(f"not a {field}: {value!r}")
        value = int(value)
    if isinstance(value, int):
        if not 1000 <= value <= 9999:
            # Probably an Excel serial day number from an unformatted cell.
            raise CleaningError(f"not a {field}: {value!r} (a number must be a year)")
        return _checked(value, None, None, text=str(value), field=field, today=today)
    if not isinstance(value, str):
        raise CleaningError(f"not a {field}: {value!r}")

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
        raise CleaningError(f"ambiguous two-digit year in {field} {text}: write the year in full")
    raise CleaningError(f"not a {field}: {text!r} (use YYYY-MM-DD, DD.MM.YYYY, MM.YYYY or YYYY)")


def parse_birth_date(value: object, *, today: datetime.date | None = None) -> str | None:
    """Parse a birth date like parse_date and reject births before 1990."""
    parsed = parse_date(value, field="birth date", today=today)
    if parsed is not None and int(parsed[:4]) < MIN_BIRTH_YEAR:
        raise CleaningError(
            f"birth year {parsed[:4]} is before {MIN_BIRTH_YEAR}: not a child of this conflict"
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
    raise CleaningError(f"not a yes/no value: {text!r} (use yes/no, так/ні, да/нет, 1/0, x)")
