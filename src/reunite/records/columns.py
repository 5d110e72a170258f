"""Recognise the column headers of submitted lists in English, Ukrainian and Russian.

Parties name their columns freely («Прізвище», «ФИО», "Date of birth",
«Прізвище / Surname»). canonical_column() maps each header to one of
CANONICAL_COLUMNS or returns None; the caller keeps unknown columns as extra
attributes rather than dropping what a party sent.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

from reunite.matching.text import APOSTROPHES, DASHES, repair_lookalikes

__all__ = ["CANONICAL_COLUMNS", "canonical_column"]

CANONICAL_COLUMNS: tuple[str, ...] = (
    "id",
    "given_name",
    "surname",
    "patronymic",
    "full_name",
    "sex",
    "birth_date",
    "birth_place",
    "nationality",
    "mother_name",
    "father_name",
    "last_known_place",
    "separation_date",
    "separation_circumstances",
    "distinguishing_marks",
    "current_location",
    "institution",
    "contact",
    "name_variants",
    "withheld",
    "withdrawn",
)

# One synonym per line; each is normalised like a header, so case, spacing,
# "_"/"-", apostrophe flavours and dots need not be listed.
_SYNONYMS: dict[str, str] = {
    "id": """
        id; record id; record no; record number; ref; reference; case id; case number;
        number; no; nr; n; №; #; № з/п; № п/п; номер; номер запису; номер справи; код;
        ід; ід запису; ідентифікатор; ид; идентификатор; номер записи; номер дела
    """,
    "given_name": """
        given name; first name; forename; name; christian name;
        ім'я; ім'я дитини; имя; имя ребенка
    """,
    "surname": """
        surname; last name; family name; lastname; прізвище; фамилия; фамілія
    """,
    "patronymic": """
        patronymic; middle name; father's name as patronymic; по батькові; батькові;
        отчество
    """,
    "full_name": """
        full name; name full; fullname; complete name; full name of child;
        піб; піб дитини; повне ім'я; прізвище ім'я по батькові; прізвище ім'я;
        фио; фио ребенка; полное имя; фамилия имя отчество; фамилия имя
    """,
    "sex": """
        sex; gender; стать; пол
    """,
    "birth_date": """
        birth date; date of birth; dob; birthdate; born; date born;
        дата народження; дн; день народження; дата нар; народження; народився;
        дата рождения; др; день рождения; дата рожд; рождения
    """,
    "birth_place": """
        birth place; place of birth; birthplace; pob;
        місце народження; місце нар; место рождения; место рожд
    """,
    "nationality": """
        nationality; citizenship; громадянство; національність; гражданство;
        национальность
    """,
    "mother_name": """
        mother name; mother's name; mothers name; name of mother; mother; mother's full name;
        мати; ім'я матері; піб матері; мама; мать; имя матери; фио матери
    """,
    "father_name": """
        father name; father's name; fathers name; name of father; father; father's full name;
        батько; ім'я батька; піб батька; тато; отец; имя отца; фио отца
    """,
    "last_known_place": """
        last known place; last known address; last known location; last seen; last seen at;
        last known whereabouts; place last seen;
        останнє відоме місце; остання відома адреса; останнє відоме місце перебування;
        останнє місце перебування; востаннє бачили;
        последнее известное место; последний известный адрес;
        последнее известное место нахождения; последнее известное местонахождение;
        последнее место пребывания
    """,
    "separation_date": """
        separation date; date of separation; date separated;
        дата розлучення; дата розлуки; дата разлучения; дата разлуки
    """,
    "separation_circumstances": """
        separation circumstances; circumstances; circumstances of separation;
        обставини; обставини розлучення; обставини розлуки;
        обстоятельства; обстоятельства разлучения; обстоятельства разлуки
    """,
    "distinguishing_marks": """
        distinguishing marks; distinguishing features; identifying marks; special marks; marks;
        особливі прикмети; прикмети; особые приметы; приметы
    """,
    "current_location": """
        current location; location; current address; whereabouts; region; current region;
        місцезнаходження; місце перебування; поточне місцезнаходження; регіон; область;
        местонахождение; место нахождения; место пребывания; текущее местонахождение;
        регион
    """,
    "institution": """
        institution; guardian; institution or guardian; guardian or institution; facility;
        заклад; опікун; установа; заклад або опікун; заклад/опікун;
        учреждение; опекун; учреждение или опекун; учреждение/опекун
    """,
    "contact": """
        contact; person to inform; contact person; inform; notify;
        контакт; контактна особа; кого повідомити; особа для повідомлення;
        контактное лицо; кого известить; кого уведомить
    """,
    "name_variants": """
        name variants; aliases; alias; other names; variants; also known as; aka;
        варіанти імені; інші імена; варіанти; варианты имени; другие имена; варианты
    """,
    "withheld": """
        withheld; withhold; do not disclose; not to be disclosed; art 137; article 137;
        утримано; не розголошувати; не розкривати; ст 137;
        не раскрывать; не разглашать; удержано
    """,
    "withdrawn": """
        withdrawn; withdraw; withdrawal; revoked;
        відкликано; відкликати; відкликання; отозвано; отозвать; отзыв
    """,
}

_APOSTROPHES = str.maketrans(dict.fromkeys(APOSTROPHES, "'"))
# Separators that mean "space" in a header; dots go entirely, so «П.І.Б.»,
# «ПІБ» and «П. І. Б.» become the same key.
_SPACES_RE = re.compile(rf"[\s_{re.escape(DASHES)},;]+")
_STRIP = " .:*?!'\"«»“”„()[]{}"
_BRACKETS_RE = re.compile(r"\([^)]*\)|\[[^\]]*\]|\{[^}]*\}")
_ALTERNATIVES_RE = re.compile(r"[/|\\]")
# Words that only say whose value it is: «Прізвище дитини», "Child's surname".
_FILLER = frozenset("child child's childs of the дитини ребенка ребёнка дитина ребенок".split())


def _normalise(header: str) -> str:
    # Apostrophes first: NFKC would turn an acute accent typed as one («Ім´я») into a space
    # and a combining mark.
    text = unicodedata.normalize("NFKC", header.translate(_APOSTROPHES)).casefold()
    # «Прiзвище» typed with a Latin i, a frequent keyboard-layout slip.
    text = repair_lookalikes(text).replace("ё", "е").replace(".", " ")
    text = _SPACES_RE.sub(" ", text)
    text = re.sub(r"(?<=\b\w) (?=\w\b)", "", text)  # «п і б» -> «піб»
    return text.strip(_STRIP)


def _build_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for column, synonyms in _SYNONYMS.items():
        for synonym in [column, *synonyms.replace("\n", ";").split(";")]:
            key = _normalise(synonym)
            if not key:
                continue
            if index.setdefault(key, column) != column:
                raise AssertionError(f"header {key!r} is a synonym of two columns")
    return index


_INDEX = _build_index()


def _candidates(header: str) -> Iterator[list[str]]:
    """Yield ever looser readings of a header; each is a list of alternative keys."""
    key = _normalise(header)
    yield [key]
    unbracketed = _normalise(_BRACKETS_RE.sub(" ", header))
    # «Прізвище (Surname)» and "Date of birth (dd.mm.yyyy)"
    yield [unbracketed, *(_normalise(inner) for inner in re.findall(r"\(([^)]*)\)", header))]
    # «Прізвище / Surname»; direct matches like «заклад/опікун» were tried above.
    yield [_normalise(part) for part in _ALTERNATIVES_RE.split(_BRACKETS_RE.sub(" ", header))]
    yield [" ".join(word for word in unbracketed.split() if word not in _FILLER)]


@lru_cache(maxsize=4096)
def canonical_column(header: str) -> str | None:
    """Map a column header to its canonical column name, or None if unknown."""
    if not header or not header.strip():
        return None
    for keys in _candidates(header.replace("\ufeff", "")):
        found = {_INDEX[key] for key in keys if key in _INDEX}
        if len(found) == 1:
            return found.pop()
        if len(found) > 1:
            # «Surname / Ім'я» names two different columns: do not guess.
            return None
    return None
