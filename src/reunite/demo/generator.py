"""Deterministic synthetic scenario: families' tracing requests and custodial disclosures.

The generator builds a hidden population of children grouped in families, then renders
what each side would actually send: the requesting party's tracing requests (Ukrainian
Cyrillic or passport Latin, with partial dates, diminutives, caps, homoglyphs) and the
custodial party's disclosures (Russified names, guardianship surname changes, date
typos, renamed birth places, missing parents). The ground truth (request id, disclosure
id) pairs are returned alongside, so the same data drives demos and matching benchmarks.

It deliberately shares no code with the matching engine (no ``names_translator``, no other
``reunite`` module): its Russification and transliteration rules are written here, so a
matcher cannot score well merely by inverting the generator's own library.

Population: ``n_children`` is the core population both parties know about (sought
children and their siblings). About 93% of requests are first requests (one per sought
child), 8% of sought children get a second one, 80% of sought children are disclosed, and
every unsought core child is disclosed. Disclosures beyond that come from background
families nobody asked about, so ``len(children)`` can exceed ``n_children``; the core
grows if ``n_requests`` needs more sought children than ``n_children`` holds.

Determinism: only ``random.Random`` instances seeded from strings derived from ``seed``
(stable across processes and ``PYTHONHASHSEED``); ``today`` is the only clock.

Scale: ``stream_scenario`` builds only the compact population and renders rows lazily and
re-iterably; ``write_scenario`` streams them to CSV (peak about 0.65 GB for a million
disclosures). ``generate_scenario`` materialises the same rows into lists (about 1.7 GB for
100,000 requests and 1,000,000 disclosures). All produce identical rows for identical
arguments.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache, lru_cache
from pathlib import Path
from random import Random
from typing import TypeVar

from reunite.demo.name_data import (
    CIRCUMSTANCES,
    FEMALE_NAMES,
    INSTITUTION_NICKNAMES,
    MALE_NAMES,
    MARKS,
    RU_PATRONYMIC_OVERRIDES,
    RU_REGIONS,
    RU_SURNAMES,
    SURNAME_STEMS,
    TOWNS,
    UA_PATRONYMIC_OVERRIDES,
    UA_SURNAMES,
    GivenName,
    RussianRegion,
    Town,
)

REQUEST_COLUMNS: tuple[str, ...] = (
    "id",
    "given_name",
    "surname",
    "patronymic",
    "sex",
    "birth_date",
    "birth_place",
    "mother_name",
    "father_name",
    "last_known_place",
    "separation_date",
    "separation_circumstances",
    "distinguishing_marks",
    "contact",
    "name_variants",
)
DISCLOSURE_COLUMNS: tuple[str, ...] = (
    "id",
    "given_name",
    "surname",
    "patronymic",
    "sex",
    "birth_date",
    "birth_place",
    "mother_name",
    "father_name",
    "current_location",
    "institution",
    "distinguishing_marks",
    "name_variants",
    "withheld",
)
LINK_COLUMNS: tuple[str, str] = ("request_id", "disclosed_id")

EARLIEST_DATE = date(1990, 1, 1)
BIRTH_FIRST = date(2005, 1, 1)
BIRTH_LAST = date(2022, 12, 31)
WAR_START = date(2022, 2, 24)
SEPARATION_LAST = date(2024, 12, 31)

# --- proportions (kept as named constants so tests and docs can refer to them) ----------
# Children per family; gives ~45% of children with at least one sibling in the data.
FAMILY_SIZE_WEIGHTS: tuple[tuple[int, float], ...] = ((1, 0.73), (2, 0.19), (3, 0.06), (4, 0.02))
P_TWINS = 0.10  # multi-child families whose second child is a twin of the first
P_TWINS_SAME_SEX = 0.5
P_COUSIN_FAMILY = 0.05  # family shares surname, home town and grandfather with another
P_DOUBLE_REQUEST = 0.08  # sought children with a second request from another relative
P_SOUGHT_DISCLOSED = 0.80  # the rest of the requests have no matching disclosure
P_LATIN_PRIMARY = 0.23  # with the second requests this yields ~25% Latin requests
P_SURNAME_CHANGED = 0.10  # disclosed under a guardian's Russian surname
P_GUARDIANSHIP_OTHER = 0.18  # in a foster family but kept their surname
P_DOB_ERROR = 0.10  # disclosure birth date differs from the truth
P_IDENTITY_CHANGE = 0.5  # of surname changes: birth place replaced by a Russian town
P_WITHHELD = 0.03
P_SIBLINGS_PLACED_TOGETHER = 0.6
P_MARK = 0.35

_Rnd = Callable[[], float]
_T = TypeVar("_T")

_UA_ONLY = str.maketrans(
    {
        "і": "и",
        "І": "И",
        "ї": "и",
        "Ї": "И",
        "є": "е",
        "Є": "Е",
        "ґ": "г",
        "Ґ": "Г",
        "'": None,
        "’": None,
        "ʼ": None,
    }
)
_YO_KEYS = (
    "given_name",
    "surname",
    "patronymic",
    "mother_name",
    "father_name",
    "birth_place",
    "name_variants",
    "institution",
)
_PHONETIC_KEEP_I = set("жшчщцкгхЖШЧЩЦКГХ")
_APOSTROPHES = ("'", "’", "ʼ")


# --- public data model --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SurnameForms:
    """All spellings of one family surname used by the two parties."""

    ua_m: str
    ua_f: str
    ru_m: str  # letter-by-letter Russian copy of the Ukrainian spelling
    ru_f: str
    ru_phon_m: str  # as a Russian clerk hears it (Лисенко → Лысенко)
    ru_phon_f: str


@dataclass(slots=True, eq=False)
class Family:
    """Hidden truth about one family: parents, surname, home and separation event."""

    id: int
    surname: SurnameForms
    home: Town
    mother_given: GivenName
    mother_father: GivenName  # gives the mother's patronymic
    mother_surname: SurnameForms
    father_given: GivenName
    father_father: GivenName
    father_known: bool
    separation: date
    circumstance: int
    last_place: Town
    relation: int  # index into the primary requester relations
    phone_seed: int
    core: bool
    placement: Placement | None = None


@dataclass(slots=True, eq=False)
class Placement:
    """Where the custodial party placed a child (shared by siblings placed together)."""

    region: RussianRegion
    city: str
    institution: str
    guardian_surname: tuple[str, str]  # guardian's Russian surname (masc., fem.); "" if none
    surname_changed: bool


@dataclass(slots=True, eq=False)
class Child:
    """Hidden truth about one child and how each side's record deviates from it."""

    index: int
    family: Family
    sex: str
    given: GivenName
    birth: date
    birth_town: Town
    twin_of: int  # index of the twin sibling, -1 if none
    mark: int  # index into MARKS, -1 if none
    request_ids: tuple[str, ...] = ()
    request_scripts: tuple[str, ...] = ()
    disclosure_id: str = ""
    placement: Placement | None = None
    disclosed_birth: date | None = None
    dob_error: str = ""  # "", "swap", "day", "digit" or "year"
    identity_changed: bool = False
    withheld: bool = False

    @property
    def core(self) -> bool:
        """Return whether the child belongs to the population both parties know about."""
        return self.family.core

    @property
    def surname_changed(self) -> bool:
        """Return whether the disclosure carries a guardian's surname instead of the family's."""
        return self.placement is not None and self.placement.surname_changed


@dataclass(slots=True)
class Scenario:
    """Materialised scenario: rows for both parties, ground-truth links and the population."""

    requests: list[dict[str, str]]
    disclosures: list[dict[str, str]]
    links: list[tuple[str, str]]
    children: list[Child] = field(default_factory=list)


# --- derived lexicon (seed independent, built once) --------------------------------------


def _zipf(n: int, exponent: float = 0.75, offset: float = 3.0) -> list[float]:
    return [1.0 / (i + offset) ** exponent for i in range(n)]


def _cumulative(weights: Iterable[float]) -> list[float]:
    total = 0.0
    out = []
    for w in weights:
        total += w
        out.append(total)
    return out


_GEN_WEIGHT_CHILD = {"c": 10.0, "b": 6.0, "p": 1.0, "r": 0.6}
_GEN_WEIGHT_PARENT = {"p": 10.0, "b": 6.0, "c": 1.2, "r": 0.6}


def ua_patronymic(father: str, female: bool) -> str:
    """Return the Ukrainian patronymic derived from a father's Ukrainian given name."""
    if father in UA_PATRONYMIC_OVERRIDES:
        return UA_PATRONYMIC_OVERRIDES[father][female]
    if father.endswith("й"):  # Сергій → Сергійович/Сергіївна, Єлисей → Єлисеївна
        stem, m, f = father[:-1], "йович", "ївна"
    elif father.endswith("ь"):
        stem, m, f = father[:-1], "ьович", "івна"
    elif father[-1] in "оа":
        stem, m, f = father[:-1], "ович", "івна"
    else:
        stem, m, f = father, "ович", "івна"
    return stem + (f if female else m)


def ru_patronymic(father: str, female: bool) -> str:
    """Return the Russian patronymic derived from a father's Russian given name."""
    if father in RU_PATRONYMIC_OVERRIDES:
        return RU_PATRONYMIC_OVERRIDES[father][female]
    vowels = "аеёиоуыэюя"
    if father.endswith(("ей", "ай")):
        stem, m, f = father[:-1], "евич", "евна"
    elif father.endswith("ий"):
        stem = father[:-2]
        # Дмитрий/Георгий keep the и after a consonant cluster; Юрий → Юрьевич otherwise.
        low = stem.lower()
        soft = "и" if len(low) > 1 and low[-1] not in vowels and low[-2] not in vowels else "ь"
        stem, m, f = stem + soft, "евич", "евна"
    elif father.endswith("ь"):
        stem, m, f = father[:-1], "евич", "евна"
    elif father[-1] in "ая":
        stem, m, f = father[:-1], "ич", "ична"
    else:
        stem, m, f = father, "ович", "овна"
    return stem + (f if female else m)


def russify_letters(text: str, phonetic: bool = False) -> str:
    """Return Ukrainian text respelled with Russian letters (і→и, є→е, ї→и, ґ→г, ' dropped)."""
    if not phonetic:
        return text.translate(_UA_ONLY)
    # A clerk writing by ear renders Ukrainian и as ы once (Лисенко → Лысенко) and keeps
    # the apostrophe as a soft sign; Russian spelling forbids ы after к/г/х and hushers.
    chars = list(text)
    for i in range(1, len(chars)):
        if chars[i] == "и" and chars[i - 1] not in _PHONETIC_KEEP_I and chars[i - 1].isalpha():
            if chars[i - 1].lower() not in "аеєиіїоуюя":
                chars[i] = "ы"
                break
    out = "".join(chars)
    for a in _APOSTROPHES:
        out = out.replace(a, "ь")
    return out.translate(_UA_ONLY)


_ADJ_SUFFIXES = (("ський", "ский"), ("цький", "цкий"), ("зький", "зкий"))


def russify_surname(ua: str, phonetic: bool = False, override: str = "") -> str:
    """Return the Russian spelling of a Ukrainian masculine surname."""
    if override:
        return override
    for ua_suffix, ru_suffix in _ADJ_SUFFIXES:
        if ua.endswith(ua_suffix):
            return russify_letters(ua[: -len(ua_suffix)], phonetic) + ru_suffix
    if ua.endswith("ий"):
        stem = russify_letters(ua[:-2], phonetic)
        return stem + ("ий" if stem[-1] in "кгхжшчщ" else "ый")
    return russify_letters(ua, phonetic)


def derived_surnames(stem: str) -> list[str]:
    """Return the patronymic-type surnames built on a stem (Гнат → Гнатенко, Гнатюк, ...)."""
    last = stem[-1]
    # Ukrainian picks -ук after р and hushers, -юк after dentals, -чук after labials.
    uk = "ук" if last in "ржшч" else ("юк" if last in "тдлнсз" else "чук")
    out = [stem + "енко", stem + uk, stem + "ів", stem + "ович"]
    if last not in "жшчщ":
        out.append(stem + "ишин")
    return out


def _ua_feminine(ua_m: str) -> str:
    # Ukrainian adjectival surnames agree in gender; -енко, -ук, -ич etc. are invariant.
    return ua_m[:-2] + "а" if ua_m.endswith("ий") else ua_m


def ru_feminine(ru_m: str) -> str:
    """Return the feminine form of a Russian (or Russified) masculine surname."""
    if ru_m.endswith(("ский", "цкий", "зкий", "ый", "ой", "ий")):
        return ru_m[:-2] + "ая"
    if ru_m.endswith(("ов", "ев", "ёв", "ин", "ын")):
        return ru_m + "а"
    return ru_m


def _surname_forms(ua_m: str, override: str = "") -> SurnameForms:
    ru_m = russify_surname(ua_m, False, override)
    ru_p = russify_surname(ua_m, True, override)
    adjectival = ua_m.endswith("ий")
    return SurnameForms(
        ua_m=ua_m,
        ua_f=_ua_feminine(ua_m),
        ru_m=ru_m,
        ru_f=ru_feminine(ru_m) if adjectival else ru_m,
        ru_phon_m=ru_p,
        ru_phon_f=ru_feminine(ru_p) if adjectival else ru_p,
    )


# --- transliteration (own tables; checked against translitua in the tests) --------------

_KMU = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "h",
    "ґ": "g",
    "д": "d",
    "е": "e",
    "є": "ie",
    "ж": "zh",
    "з": "z",
    "и": "y",
    "і": "i",
    "ї": "i",
    "й": "i",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ь": "",
    "ю": "iu",
    "я": "ia",
    "'": "",
    "’": "",
    "ʼ": "",
}
_KMU_INITIAL = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}
# Ukrainian foreign passports of 2007-2010 used g for г and never the initial y- forms.
_UA2007 = {**_KMU, "г": "g"}
# Older passports often carried the Russian form of the name, transliterated.
_RU_LATIN = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ё": "e",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "y",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "yu",
    "я": "ya",
    "'": "",
}

SCRIPTS = ("cyr", "kmu", "ua2007", "legacy")


def _translit_word(word: str, scheme: str) -> str:
    low = word.lower()
    table = _RU_LATIN if scheme == "legacy" else (_UA2007 if scheme == "ua2007" else _KMU)
    parts = []
    for i, ch in enumerate(low):
        if scheme == "kmu" and i == 0 and ch in _KMU_INITIAL:
            parts.append(_KMU_INITIAL[ch])
        elif scheme == "kmu" and ch == "г" and i > 0 and low[i - 1] == "з":
            parts.append("gh")  # KMU 2010 keeps зг distinct from ж: Згорани → Zghorany
        else:
            parts.append(table.get(ch, ch))
    out = "".join(parts)
    if not out:
        return out
    letters = [c for c in word if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return out.upper()
    if word[0].isupper():
        return out[0].upper() + out[1:]
    return out


@lru_cache(maxsize=1 << 16)
def transliterate(text: str, scheme: str = "kmu") -> str:
    """Return text in Latin letters using "kmu" (KMU 2010), "ua2007" or "legacy" rules."""
    out: list[str] = []
    word: list[str] = []
    for ch in text:
        if ch.isalpha() or (ch in _APOSTROPHES and word):
            word.append(ch)
            continue
        if word:
            out.append(_translit_word("".join(word), scheme))
            word = []
        out.append(ch)
    if word:
        out.append(_translit_word("".join(word), scheme))
    return "".join(out)


# --- lexicon --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Lexicon:
    # Weighted choices are pre-expanded into lookup tables so that a draw is a single
    # index operation; at a million rows, bisect and call overhead dominated.
    male_child: tuple[GivenName, ...]
    female_child: tuple[GivenName, ...]
    male_parent: tuple[GivenName, ...]
    female_parent: tuple[GivenName, ...]
    surnames: tuple[SurnameForms, ...]
    ru_surnames: tuple[tuple[str, str], ...]  # (masculine, feminine)
    towns: tuple[Town, ...]
    occupied_towns: tuple[Town, ...]
    regions: tuple[RussianRegion, ...]
    institutions: dict[str, tuple[str, ...]]  # by city
    ua_patr: dict[str, tuple[str, str]]
    ru_patr: dict[str, tuple[str, str]]


def _expand(items: Sequence[_T], weights: Sequence[float], size: int = 1 << 14) -> tuple[_T, ...]:
    total = sum(weights)
    out: list[_T] = []
    for item, w in zip(items, weights, strict=True):
        out.extend([item] * max(1, round(w / total * size)))
    return tuple(out)


def _name_table(
    names: Sequence[GivenName], gen_weight: Mapping[str, float]
) -> tuple[GivenName, ...]:
    zipf = _zipf(len(names))
    return _expand(names, [z * gen_weight[n.generation] for z, n in zip(zipf, names, strict=True)])


def _institutions_for(city: str, rng: Random) -> tuple[str, ...]:
    nick = INSTITUTION_NICKNAMES
    pool = [
        f"Детский дом №{rng.randint(1, 12)} г. {city}",
        f"ГБУ СРЦН «{rng.choice(nick)}»",
        f"ГБУ СРЦН «{rng.choice(nick)}» г. {city}",
        f"ГКУ «Центр помощи детям, оставшимся без попечения родителей» г. {city}",
        f"ГБУ СО «Социально-реабилитационный центр для несовершеннолетних» г. {city}",
        f"Школа-интернат №{rng.randint(1, 9)} г. {city}",
        f"ГКУЗ «Специализированный дом ребёнка» г. {city}",
        f"ДОЛ «{rng.choice(nick)}»",
        f"Кадетская школа-интернат г. {city}",
    ]
    return tuple(pool)


@cache
def _lexicon() -> _Lexicon:
    # A fixed seed keeps institution names stable across scenario seeds, like real ones.
    rng = Random("reunite-demo/institutions")
    institutions = {
        city: _institutions_for(city, rng) for region in RU_REGIONS for city in region.cities
    }
    ua_patr = {g.ua: (ua_patronymic(g.ua, False), ua_patronymic(g.ua, True)) for g in MALE_NAMES}
    ru_patr = {
        r: (ru_patronymic(r, False), ru_patronymic(r, True)) for g in MALE_NAMES for r in g.ru
    }
    listed = {s.ua for s in UA_SURNAMES}
    tail = sorted({ua for stem in SURNAME_STEMS for ua in derived_surnames(stem)} - listed)
    head = _zipf(len(UA_SURNAMES), 0.8, 5.0)
    head_total = sum(head)
    return _Lexicon(
        male_child=_name_table(MALE_NAMES, _GEN_WEIGHT_CHILD),
        female_child=_name_table(FEMALE_NAMES, _GEN_WEIGHT_CHILD),
        male_parent=_name_table(MALE_NAMES, _GEN_WEIGHT_PARENT),
        female_parent=_name_table(FEMALE_NAMES, _GEN_WEIGHT_PARENT),
        surnames=_expand(
            [_surname_forms(s.ua, s.ru) for s in UA_SURNAMES] + [_surname_forms(ua) for ua in tail],
            [w / head_total * 0.7 for w in head] + [0.3 / len(tail)] * len(tail),
            1 << 16,
        ),
        ru_surnames=tuple((s, ru_feminine(s)) for s in RU_SURNAMES),
        towns=_expand(TOWNS, [t.weight for t in TOWNS]),
        occupied_towns=tuple(t for t in TOWNS if t.oblast.ru_occupied),
        regions=_expand(RU_REGIONS, [r.weight for r in RU_REGIONS]),
        institutions=institutions,
        ua_patr=ua_patr,
        ru_patr=ru_patr,
    )


# --- small helpers ---------------------------------------------------------------------------


def _uniform(rnd: _Rnd, items: Sequence[_T]) -> _T:
    return items[int(rnd() * len(items))]


def _phone(seed: int, style: int) -> str:
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


def _typo(word: str, rnd: _Rnd, russian: bool) -> str:
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


def _shift_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def _dob_error(birth: date, rnd: _Rnd, latest: date) -> tuple[str, date]:
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
            cand = _shift_years(birth, 1 if rnd() < 0.5 else -1)
        if cand is not None and cand != birth and EARLIEST_DATE <= cand <= latest:
            return kind, cand
    return "day", birth - timedelta(days=1)


# --- population -------------------------------------------------------------------------------


def _separation_spans(today: date) -> list[tuple[float, int, int]]:
    """Return (cumulative weight, first ordinal, span in days) of separation periods."""
    # Most separations happened in the first months of the full-scale invasion.
    spans = (
        (WAR_START, date(2022, 12, 31), 0.60),
        (date(2023, 1, 1), date(2023, 12, 31), 0.25),
        (date(2024, 1, 1), SEPARATION_LAST, 0.15),
    )
    live = [(lo, min(hi, today), w) for lo, hi, w in spans if lo <= today]
    total = sum(w for _, _, w in live)
    out = []
    acc = 0.0
    for lo, hi, w in live:
        acc += w / total
        out.append((acc, lo.toordinal(), (hi - lo).days + 1))
    return out


def _grow_population(
    n: int,
    rng: Random,
    lex: _Lexicon,
    today: date,
    core: bool,
    families: list[Family],
    out: list[Child],
) -> None:
    # One flat loop with local bindings: this runs a million times in the scale benchmark.
    rnd = rng.random
    surnames, n_sur = lex.surnames, len(lex.surnames)
    towns, n_towns = lex.towns, len(lex.towns)
    occupied = lex.occupied_towns
    male_p, n_mp = lex.male_parent, len(lex.male_parent)
    female_p, n_fp = lex.female_parent, len(lex.female_parent)
    male_c, n_mc = lex.male_child, len(lex.male_child)
    female_c, n_fc = lex.female_child, len(lex.female_child)
    spans = _separation_spans(today)
    n_circ, n_marks = len(CIRCUMSTANCES), len(MARKS)
    size_cum = _cumulative(w for _, w in FAMILY_SIZE_WEIGHTS)
    sizes = [s for s, _ in FAMILY_SIZE_WEIGHTS]
    first_ord = BIRTH_FIRST.toordinal()
    last_ord = BIRTH_LAST.toordinal()
    fromordinal = date.fromordinal
    target = len(out) + n
    while len(out) < target:
        if families and rnd() < P_COUSIN_FAMILY:
            # Cousins: fathers are brothers, so surname, grandfather and home town coincide.
            kin = families[int(rnd() * len(families))]
            surname, home, grandfather = kin.surname, kin.home, kin.father_father
        else:
            surname = surnames[int(rnd() * n_sur)]
            home = towns[int(rnd() * n_towns)]
            grandfather = male_p[int(rnd() * n_mp)]
        x = rnd()
        span_lo, span_days = spans[-1][1], spans[-1][2]
        for acc, lo, days in spans:
            if x < acc:
                span_lo, span_days = lo, days
                break
        sep_ord = span_lo + int(rnd() * span_days)
        x = rnd()
        relation = 0 if x < 0.6 else 1 if x < 0.8 else 2 if x < 0.92 else 3 if x < 0.97 else 4
        fam = Family(
            len(families),
            surname,
            home,
            female_p[int(rnd() * n_fp)],
            male_p[int(rnd() * n_mp)],
            surname if rnd() < 0.85 else surnames[int(rnd() * n_sur)],
            male_p[int(rnd() * n_mp)],
            grandfather,
            relation == 1 or rnd() < 0.85,
            fromordinal(sep_ord),
            int(rnd() * n_circ),
            home if rnd() < 0.7 else occupied[int(rnd() * len(occupied))],
            relation,
            int(rnd() * 2**40),
            core,
        )
        families.append(fam)

        x = rnd()
        size = sizes[-1]
        for s, acc in zip(sizes, size_cum, strict=True):
            if x < acc:
                size = s
                break
        size = min(size, target - len(out))
        hi_ord = min(last_ord, sep_ord - 1)
        span_b = hi_ord - first_ord + 1
        births: list[int] = []
        given_seen: list[str] = []
        first: Child | None = None
        twin = size >= 2 and rnd() < P_TWINS
        for k in range(size):
            if k == 1 and twin and first is not None:
                sex = first.sex if rnd() < P_TWINS_SAME_SEX else ("F" if first.sex == "M" else "M")
                b = births[0]
                birth_town = first.birth_town
            else:
                sex = "M" if rnd() < 0.51 else "F"
                b = first_ord + int(rnd() * span_b)
                for _ in range(20):
                    # Non-twin siblings are born at least ~10 months apart.
                    if all(abs(b - o) >= 300 for o in births):
                        break
                    b = first_ord + int(rnd() * span_b)
                birth_town = home if rnd() < 0.85 else towns[int(rnd() * n_towns)]
            if sex == "M":
                given = male_c[int(rnd() * n_mc)]
                while given.ua in given_seen:
                    given = male_c[int(rnd() * n_mc)]
            else:
                given = female_c[int(rnd() * n_fc)]
                while given.ua in given_seen:
                    given = female_c[int(rnd() * n_fc)]
            births.append(b)
            given_seen.append(given.ua)
            child = Child(
                len(out),
                fam,
                sex,
                given,
                fromordinal(b),
                birth_town,
                -1,
                int(rnd() * n_marks) if rnd() < P_MARK else -1,
            )
            if k == 1 and twin and first is not None:
                child.twin_of = first.index
                first.twin_of = child.index
            if first is None:
                first = child
            out.append(child)


def _place(child: Child, rnd: _Rnd, lex: _Lexicon, today: date) -> Placement:
    fam = child.family
    if fam.placement is not None and rnd() < P_SIBLINGS_PLACED_TOGETHER:
        return fam.placement
    region = _uniform(rnd, lex.regions)
    city = _uniform(rnd, region.cities)
    x = rnd()
    if x < P_SURNAME_CHANGED + P_GUARDIANSHIP_OTHER:
        m, f = _uniform(rnd, lex.ru_surnames)
        female_guardian = rnd() < 0.75
        g_surname = f if female_guardian else m
        initials = (
            _uniform(rnd, lex.female_parent if female_guardian else lex.male_parent).ru[0][0]
            + "."
            + _uniform(rnd, lex.male_parent).ru[0][0]
            + "."
        )
        if rnd() < 0.7:
            institution = f"опекун: {g_surname} {initials}"
        else:
            husband = _uniform(rnd, lex.male_parent).ru[0][0]
            institution = f"приёмная семья: {m} {husband}., {f} {initials}"
        placement = Placement(region, city, institution, (m, f), x < P_SURNAME_CHANGED)
    else:
        adult = _shift_years(child.birth, 18) <= today
        if adult and rnd() < 0.4:
            institution = "совершеннолетний, проживает самостоятельно"
        else:
            institution = _uniform(rnd, lex.institutions[city])
        placement = Placement(region, city, institution, ("", ""), False)
    if fam.placement is None:
        fam.placement = placement
    return placement


@dataclass(slots=True)
class ScenarioStream:
    """A planned scenario whose request and disclosure rows are rendered on demand."""

    seed: int
    today: date
    links: list[tuple[str, str]]
    children: list[Child]
    _request_plan: list[tuple[Child, int]]
    _disclosure_plan: list[Child]

    @property
    def n_requests(self) -> int:
        """Return the number of request rows."""
        return len(self._request_plan)

    @property
    def n_disclosures(self) -> int:
        """Return the number of disclosure rows."""
        return len(self._disclosure_plan)

    def iter_requests(self) -> Iterator[dict[str, str]]:
        """Yield request rows in id order; every call yields the same rows."""
        rng = Random(f"reunite-demo/{self.seed}/requests")
        renderer = _RequestRenderer(rng, _lexicon(), self.today)
        for child, role in self._request_plan:
            yield renderer.render(child, role)

    def iter_disclosures(self) -> Iterator[dict[str, str]]:
        """Yield disclosure rows in id order; every call yields the same rows."""
        rng = Random(f"reunite-demo/{self.seed}/disclosures")
        renderer = _DisclosureRenderer(rng, _lexicon())
        for child in self._disclosure_plan:
            yield renderer.render(child)


def stream_scenario(
    *,
    seed: int = 2022,
    n_children: int = 2500,
    n_requests: int = 2000,
    n_disclosures: int = 3000,
    today: date = date(2026, 11, 25),
) -> ScenarioStream:
    """Plan a scenario and return it with lazily rendered request and disclosure rows."""
    # n_children is the core population known to both parties (sought children and their
    # siblings); it grows when n_requests needs more sought children. Disclosures beyond
    # what the core supplies come from background families nobody asked about, so
    # len(children) may exceed n_children.
    if today < WAR_START:
        raise ValueError("today must not precede 2022-02-24")
    if min(n_children, n_requests, n_disclosures) < 0:
        raise ValueError("counts must not be negative")
    lex = _lexicon()
    rng = Random(f"reunite-demo/{seed}/plan")
    rnd = rng.random

    n_sought = round(n_requests / (1 + P_DOUBLE_REQUEST))
    n_double = n_requests - n_sought
    if n_double > n_sought:  # only possible for tiny counts
        n_sought, n_double = n_requests - n_requests // 2, n_requests // 2
    families: list[Family] = []
    children: list[Child] = []
    _grow_population(max(n_children, n_sought), rng, lex, today, True, families, children)
    n_core = len(children)

    sought_idx = rng.sample(range(n_core), n_sought)
    sought_set = set(sought_idx)
    unsought_idx = [i for i in range(n_core) if i not in sought_set]
    want_sought = round(P_SOUGHT_DISCLOSED * n_sought)
    want = want_sought + len(unsought_idx)
    if want > n_disclosures:
        want_sought = want_sought * n_disclosures // want
    n_unsought = min(len(unsought_idx), n_disclosures - want_sought)
    disclosed: list[Child] = [children[i] for i in rng.sample(sought_idx, want_sought)]
    disclosed += [children[i] for i in rng.sample(unsought_idx, n_unsought)]
    n_background = n_disclosures - len(disclosed)
    _grow_population(n_background, rng, lex, today, False, families, children)
    disclosed += children[n_core:]

    for child in disclosed:
        placement = _place(child, rnd, lex, today)
        child.placement = placement
        if rnd() < P_DOB_ERROR:
            child.dob_error, child.disclosed_birth = _dob_error(child.birth, rnd, today)
        else:
            child.disclosed_birth = child.birth
        child.identity_changed = placement.surname_changed and rnd() < P_IDENTITY_CHANGE
        child.withheld = rnd() < P_WITHHELD

    # Rows are shuffled so that ids carry no family or match information.
    rng.shuffle(disclosed)
    for n, child in enumerate(disclosed, 1):
        child.disclosure_id = f"RU-{n:06d}"

    request_plan: list[tuple[Child, int]] = [(children[i], 0) for i in sought_idx]
    request_plan += [(children[i], 1) for i in rng.sample(sought_idx, n_double)]
    for child, role in request_plan:
        if role == 0:
            script = "cyr" if rnd() >= P_LATIN_PRIMARY else _latin_scheme(rnd)
        elif child.request_scripts[0] == "cyr":
            script = _latin_scheme(rnd) if rnd() < 0.5 else "cyr"
        else:
            script = "cyr" if rnd() < 0.7 else _latin_scheme(rnd)
        child.request_scripts += (script,)
    rng.shuffle(request_plan)
    links: list[tuple[str, str]] = []
    for n, (child, role) in enumerate(request_plan, 1):
        rid = f"UA-{n:06d}"
        # request_ids is indexed by role (0 = first requester), whatever the row order.
        child.request_ids = (rid, *child.request_ids) if role == 0 else (*child.request_ids, rid)
        if child.disclosure_id:
            links.append((rid, child.disclosure_id))
    return ScenarioStream(seed, today, links, children, request_plan, disclosed)


def _latin_scheme(rnd: _Rnd) -> str:
    x = rnd()
    return "kmu" if x < 0.75 else ("ua2007" if x < 0.9 else "legacy")


# --- rendering --------------------------------------------------------------------------------

_RELATIONS_UA = ("мати", "батько", "бабуся", "тітка", "сестра")
_RELATIONS_EN = ("mother", "father", "grandmother", "aunt", "sister")
_SECOND_RELATIONS_UA = ("бабуся", "дідусь", "тітка", "дядько", "хрещена")
_SECOND_RELATIONS_EN = ("grandmother", "grandfather", "aunt", "uncle", "godmother")
_PLACE_DETAILS = (
    "лікарня №2",
    "дитячий будинок",
    "школа-інтернат",
    "фільтраційний пункт",
    "пологовий будинок",
    "укриття в школі",
    "санаторій",
)


def _person(surname: str, given: str, patr: str, x: float) -> str:
    if x < 0.5 and patr:
        return f"{surname} {given} {patr}"
    if x < 0.62 and patr:
        return f"{given} {patr} {surname}"
    if x < 0.85:
        return f"{given} {surname}"
    if x < 0.93:
        return given
    return f"{surname} {given[0]}.{patr[0] + '.' if patr else ''}"


def _partial(d: date, x: float) -> str:
    if x < 0.07:
        return f"{d.year:04d}-{d.month:02d}"
    if x < 0.11:
        return f"{d.year:04d}"
    return d.isoformat()


class _RequestRenderer:
    """Render a request row the way a Ukrainian relative would fill in a tracing form."""

    def __init__(self, rng: Random, lex: _Lexicon, today: date) -> None:
        self.rnd = rng.random
        self.lex = lex
        self.today = today

    def _place(self, town: Town) -> str:
        x = self.rnd()
        if x < 0.35:
            return f"м. {town.ua}, {town.oblast.ua}"
        if x < 0.65:
            return town.ua
        if x < 0.85:
            return f"м. {town.ua}"
        return f"{town.ua}, {town.oblast.ua.replace('обл.', 'область')}"

    def render(self, child: Child, role: int) -> dict[str, str]:
        rnd = self.rnd
        lex = self.lex
        fam = child.family
        fem = child.sex == "F"
        script = child.request_scripts[role]
        second = role == 1
        rid = child.request_ids[role]

        given = child.given.ua
        if child.given.ua_diminutives and rnd() < (0.10 if second else 0.03):
            given = _uniform(rnd, child.given.ua_diminutives)
        surname = fam.surname.ua_f if fem else fam.surname.ua_m
        if rnd() < 0.02:
            surname = _typo(surname, rnd, False)
        keep_patr = rnd() < (0.78 if script == "cyr" else 0.12) * (0.6 if second else 1.0)
        patr = lex.ua_patr[fam.father_given.ua][fem] if keep_patr else ""

        birth = child.birth
        if rnd() < 0.02:  # relatives misremember too
            birth = birth + timedelta(days=1) if rnd() < 0.5 else _shift_years(birth, -1)
            birth = min(birth, self.today)
        birth_date = _partial(birth, rnd() * (0.4 if second else 1.0))
        birth_place = "" if rnd() < (0.3 if second else 0.1) else self._place(child.birth_town)

        m_patr = lex.ua_patr[fam.mother_father.ua][1]
        # A parent filing the request always names themself.
        self_mother = not second and fam.relation == 0
        self_father = not second and fam.relation == 1
        mother = ""
        if rnd() >= (0.25 if second else 0.1) or self_mother:
            mother = _person(fam.mother_surname.ua_f, fam.mother_given.ua, m_patr, rnd())
        father = ""
        if fam.father_known and (rnd() >= 0.2 or self_father):
            f_patr = lex.ua_patr[fam.father_father.ua][0]
            father = _person(fam.surname.ua_m, fam.father_given.ua, f_patr, rnd())

        last_town = fam.last_place
        if second and rnd() < 0.2:
            last_town = child.birth_town
        last_place = self._place(last_town)
        if rnd() < 0.3:
            last_place += ", " + _uniform(rnd, _PLACE_DETAILS)
        sep = fam.separation
        if rnd() < 0.05 or second:
            sep = min(sep + timedelta(days=int(rnd() * 21) - 10), self.today, SEPARATION_LAST)
            sep = max(sep, WAR_START)
        x = rnd()
        separation_date = (
            "" if x < 0.03 else (f"{sep.year:04d}-{sep.month:02d}" if x < 0.15 else sep.isoformat())
        )
        circ_ua_m, circ_ua_f, circ_en = CIRCUMSTANCES[fam.circumstance]
        marks = MARKS[child.mark] if child.mark >= 0 and rnd() < 0.75 else None

        latin = script != "cyr"
        if second:
            rel_ua = _uniform(rnd, _SECOND_RELATIONS_UA)
            idx = _SECOND_RELATIONS_UA.index(rel_ua)
            rel_en = _SECOND_RELATIONS_EN[idx]
            kin_female = idx in (0, 2, 4)
            kin_given = _uniform(rnd, lex.female_parent if kin_female else lex.male_parent).ua
            kin_sur = fam.mother_surname if rnd() < 0.5 else fam.surname
            kin_surname = kin_sur.ua_f if kin_female else kin_sur.ua_m
            phone_seed = int(rnd() * 2**40)
        else:
            rel_ua, rel_en = _RELATIONS_UA[fam.relation], _RELATIONS_EN[fam.relation]
            if fam.relation == 0:
                kin_given, kin_surname = fam.mother_given.ua, fam.mother_surname.ua_f
            elif fam.relation == 1:
                kin_given, kin_surname = fam.father_given.ua, fam.surname.ua_m
            else:
                # Derived from the family so that siblings' requests share one contact.
                kin_given = lex.female_parent[fam.phone_seed % len(lex.female_parent)].ua
                kin_surname = fam.surname.ua_f
            phone_seed = fam.phone_seed
        if rnd() < 0.2:
            domain = _uniform(rnd, ("ukr.net", "gmail.com", "i.ua", "meta.ua"))
            reach = (
                f"{transliterate(kin_given).lower()}.{transliterate(kin_surname).lower()}"
                f"{phone_seed % 90 + 10}@{domain}"
            ).replace("'", "")
        else:
            reach = _phone(phone_seed, int(rnd() * 4))

        variants: list[str] = []
        if child.given.ua_diminutives and rnd() < 0.35:
            variants.extend(child.given.ua_diminutives)

        if latin:
            if script == "legacy":
                # Pre-2010 passports often spelled the Russian form of the name.
                l_given = transliterate(child.given.ru[0], "legacy")
                l_surname = transliterate(fam.surname.ru_f if fem else fam.surname.ru_m, "legacy")
                l_patr = (
                    transliterate(lex.ru_patr[fam.father_given.ru[0]][fem], "legacy")
                    if patr
                    else ""
                )
            else:
                l_given = transliterate(given, script)
                l_surname = transliterate(surname, script)
                l_patr = transliterate(patr, script)
            given, surname, patr = l_given, l_surname, l_patr
            birth_place = transliterate(birth_place, script if script != "legacy" else "kmu")
            last_place = transliterate(last_place, "kmu")
            mother = transliterate(mother, "kmu")
            father = transliterate(father, "kmu")
            circumstances = circ_en.format(place=transliterate(fam.last_place.ua))
            mark_text = marks[2] if marks else ""
            contact = f"{rel_en}: {transliterate(kin_given)} {transliterate(kin_surname)}, {reach}"
            if rnd() < 0.3:
                variants = [child.given.ua] + [transliterate(v) for v in variants]
            else:
                variants = [transliterate(v) for v in variants]
            caps = rnd() < 0.3
        else:
            circumstances = (circ_ua_f if fem else circ_ua_m).format(place=fam.last_place.ua)
            mark_text = marks[0] if marks else ""
            contact = f"{rel_ua}: {kin_surname} {kin_given}, {reach}"
            if rnd() < 0.05:
                variants.append(fam.surname.ru_phon_f if fem else fam.surname.ru_phon_m)
            caps = rnd() < 0.06
            if rnd() < 0.3:
                # People type whatever apostrophe their keyboard offers.
                apos = _uniform(rnd, _APOSTROPHES)
                given, surname, birth_place = (
                    given.replace("'", apos),
                    surname.replace("'", apos),
                    birth_place.replace("'", apos),
                )
            if rnd() < 0.06:
                # A Latin i typed inside a Cyrillic word (Олексiй) is a common slip.
                given, surname, patr, mother, father = (
                    s.replace("і", "i").replace("І", "I")
                    for s in (given, surname, patr, mother, father)
                )
        if caps:
            given, surname, patr, mother, father = (
                s.upper() for s in (given, surname, patr, mother, father)
            )
        if rnd() < 0.015:
            surname += " "

        return {
            "id": rid,
            "given_name": given,
            "surname": surname,
            "patronymic": patr,
            "sex": child.sex,
            "birth_date": birth_date,
            "birth_place": birth_place,
            "mother_name": mother,
            "father_name": father,
            "last_known_place": last_place,
            "separation_date": separation_date,
            "separation_circumstances": circumstances,
            "distinguishing_marks": mark_text,
            "contact": contact,
            "name_variants": "; ".join(variants),
        }


class _DisclosureRenderer:
    """Render a disclosure row the way a Russian agency would list a child."""

    def __init__(self, rng: Random, lex: _Lexicon) -> None:
        self.rnd = rng.random
        self.lex = lex
        self.russian_towns = tuple(c for r in lex.regions for c in r.cities)

    def _birth_place(self, town: Town) -> str:
        rnd = self.rnd
        name = town.ru_old if town.ru_old and rnd() < 0.6 else town.ru
        x = rnd()
        if x < 0.06:
            return ""
        if x < 0.35:
            return f"г. {name}"
        if x < 0.6:
            return f"г. {name}, {town.oblast.ru}"
        if x < 0.75:
            return f"г. {name}, {town.oblast.ru_occupied or town.oblast.ru}"
        if x < 0.9:
            return f"{name}, Украина"
        return name

    def render(self, child: Child) -> dict[str, str]:
        rnd = self.rnd
        lex = self.lex
        fam = child.family
        fem = child.sex == "F"
        placement = child.placement
        assert placement is not None and child.disclosed_birth is not None
        changed = placement.surname_changed
        phonetic = rnd() < 0.15

        if changed:
            surname = placement.guardian_surname[fem]
        elif phonetic:
            surname = fam.surname.ru_phon_f if fem else fam.surname.ru_phon_m
        else:
            surname = fam.surname.ru_f if fem else fam.surname.ru_m
        if rnd() < 0.04:
            surname = _typo(surname, rnd, True)

        g = child.given
        x = rnd()
        if x < 0.03:
            given = russify_letters(g.ua)  # registered from the child's own Ukrainian form
        elif x < 0.04 and g.ru_diminutives:
            given = g.ru_diminutives[0]
        elif len(g.ru) > 1 and x < 0.24:
            given = g.ru[1 + int(rnd() * (len(g.ru) - 1))]
        else:
            given = g.ru[0]
        if changed and rnd() < 0.3:
            patr = lex.ru_patr[_uniform(rnd, lex.male_parent).ru[0]][fem]  # adoptive father
        elif rnd() < 0.06:
            patr = ""
        else:
            patr = lex.ru_patr[fam.father_given.ru[0]][fem]

        if child.identity_changed:
            birth_place = f"г. {_uniform(rnd, self.russian_towns)}"
        else:
            birth_place = self._birth_place(child.birth_town)

        mother = ""
        if rnd() >= (0.5 if changed else 0.25):
            m_sur = fam.mother_surname.ru_f
            m_pat = lex.ru_patr[fam.mother_father.ru[0]][1]
            mother = self._person(m_sur, fam.mother_given.ru[0], m_pat)
        father = ""
        if fam.father_known and rnd() >= (0.6 if changed else 0.4):
            f_pat = lex.ru_patr[fam.father_father.ru[0]][0]
            father = self._person(fam.surname.ru_m, fam.father_given.ru[0], f_pat)

        variants: list[str] = []
        if changed and rnd() < 0.35:
            variants.append(fam.surname.ru_f if fem else fam.surname.ru_m)
        if g.ru_diminutives and rnd() < 0.15:
            variants.extend(g.ru_diminutives)

        if child.withheld:
            location = institution = ""
        else:
            region = placement.region
            location = (
                region.name
                if region.name.startswith("г. ")
                else f"г. {placement.city}, {region.name}"
            )
            institution = placement.institution
        marks = MARKS[child.mark][1] if child.mark >= 0 and rnd() < 0.5 else ""

        row = {
            "id": child.disclosure_id,
            "given_name": given,
            "surname": surname,
            "patronymic": patr,
            "sex": child.sex,
            "birth_date": child.disclosed_birth.isoformat(),
            "birth_place": birth_place,
            "mother_name": mother,
            "father_name": father,
            "current_location": location,
            "institution": institution,
            "distinguishing_marks": marks,
            "name_variants": "; ".join(variants),
            "withheld": "yes" if child.withheld else "",
        }
        if rnd() < 0.7:
            # Most Russian registries do not write ё.
            for key in _YO_KEYS:
                value = row[key]
                if "ё" in value or "Ё" in value:
                    row[key] = value.replace("ё", "е").replace("Ё", "Е")
        return row

    def _person(self, surname: str, given: str, patr: str) -> str:
        x = self.rnd()
        if x < 0.6:
            return f"{surname} {given} {patr}"
        if x < 0.75:
            return f"{surname} {given}"
        if x < 0.9:
            return f"{surname} {given[0]}.{patr[0]}."
        return given


# --- public entry points ----------------------------------------------------------------------


def generate_scenario(
    *,
    seed: int = 2022,
    n_children: int = 2500,
    n_requests: int = 2000,
    n_disclosures: int = 3000,
    today: date = date(2026, 11, 25),
) -> Scenario:
    """Generate a deterministic scenario of requests, disclosures and ground-truth links."""
    stream = stream_scenario(
        seed=seed,
        n_children=n_children,
        n_requests=n_requests,
        n_disclosures=n_disclosures,
        today=today,
    )
    return Scenario(
        requests=list(stream.iter_requests()),
        disclosures=list(stream.iter_disclosures()),
        links=stream.links,
        children=stream.children,
    )


def _header(first: Mapping[str, str]) -> list[str]:
    keys = list(first)
    canonical = max(
        (REQUEST_COLUMNS, DISCLOSURE_COLUMNS), key=lambda cols: len(set(cols) & set(keys))
    )
    return [c for c in canonical if c in first] + [k for k in keys if k not in canonical]


def write_csv(rows: Iterable[Mapping[str, str]], path: Path) -> None:
    """Write rows as UTF-8 CSV with the canonical column order of the first row's keys."""
    it = iter(rows)
    with path.open("w", encoding="utf-8", newline="") as fh:
        first = next(it, None)
        if first is None:
            return
        header = _header(first)
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerow([first.get(k, "") for k in header])
        writer.writerows([row.get(k, "") for k in header] for row in it)


def write_links(links: Iterable[tuple[str, str]], path: Path) -> None:
    """Write ground-truth links as CSV with columns request_id,disclosed_id."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(LINK_COLUMNS)
        writer.writerows(links)


def write_scenario(
    directory: Path,
    *,
    seed: int = 2022,
    n_children: int = 2500,
    n_requests: int = 2000,
    n_disclosures: int = 3000,
    today: date = date(2026, 11, 25),
) -> ScenarioStream:
    """Stream requests.csv, disclosures.csv and links.csv into a directory."""
    stream = stream_scenario(
        seed=seed,
        n_children=n_children,
        n_requests=n_requests,
        n_disclosures=n_disclosures,
        today=today,
    )
    directory.mkdir(parents=True, exist_ok=True)
    write_csv(stream.iter_requests(), directory / "requests.csv")
    write_csv(stream.iter_disclosures(), directory / "disclosures.csv")
    write_links(stream.links, directory / "links.csv")
    return stream
