"""Weighted tables to draw names, places and institutions from (built once, whatever the seed)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from random import Random
from typing import TypeVar

from reunite.demo.generator._model import SurnameForms
from reunite.demo.generator._names import (
    derived_surnames,
    ru_feminine,
    ru_patronymic,
    surname_forms,
    ua_patronymic,
)
from reunite.demo.name_data import (
    FEMALE_NAMES,
    INSTITUTION_NICKNAMES,
    MALE_NAMES,
    RU_REGIONS,
    RU_SURNAMES,
    SURNAME_STEMS,
    TOWNS,
    UA_SURNAMES,
    GivenName,
    RussianRegion,
    Town,
)

_T = TypeVar("_T")


def _zipf(n: int, exponent: float = 0.75, offset: float = 3.0) -> list[float]:
    return [1.0 / (i + offset) ** exponent for i in range(n)]


def cumulative(weights: Iterable[float]) -> list[float]:
    """Return the running totals of weights."""
    total = 0.0
    out = []
    for w in weights:
        total += w
        out.append(total)
    return out


_GEN_WEIGHT_CHILD = {"c": 10.0, "b": 6.0, "p": 1.0, "r": 0.6}
_GEN_WEIGHT_PARENT = {"p": 10.0, "b": 6.0, "c": 1.2, "r": 0.6}


@dataclass(frozen=True, slots=True)
class Lexicon:
    """The weighted tables a scenario draws from."""

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
def lexicon() -> Lexicon:
    """Build the tables once per process."""
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
    return Lexicon(
        male_child=_name_table(MALE_NAMES, _GEN_WEIGHT_CHILD),
        female_child=_name_table(FEMALE_NAMES, _GEN_WEIGHT_CHILD),
        male_parent=_name_table(MALE_NAMES, _GEN_WEIGHT_PARENT),
        female_parent=_name_table(FEMALE_NAMES, _GEN_WEIGHT_PARENT),
        surnames=_expand(
            [surname_forms(s.ua, s.ru) for s in UA_SURNAMES] + [surname_forms(ua) for ua in tail],
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
