"""The hidden population: families, children, where each child is placed, and the plan of rows."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from random import Random

from reunite.demo.generator._chance import birth_date_error, shift_years, uniform
from reunite.demo.generator._disclosures import DisclosureRenderer
from reunite.demo.generator._lexicon import Lexicon, cumulative, lexicon
from reunite.demo.generator._model import (
    BIRTH_FIRST,
    BIRTH_LAST,
    FAMILY_SIZE_WEIGHTS,
    P_COUSIN_FAMILY,
    P_DOB_ERROR,
    P_DOUBLE_REQUEST,
    P_GUARDIANSHIP_OTHER,
    P_IDENTITY_CHANGE,
    P_LATIN_PRIMARY,
    P_MARK,
    P_SIBLINGS_PLACED_TOGETHER,
    P_SOUGHT_DISCLOSED,
    P_SURNAME_CHANGED,
    P_TWINS,
    P_TWINS_SAME_SEX,
    P_WITHHELD,
    SEPARATION_LAST,
    WAR_START,
    Child,
    Family,
    Placement,
    Rnd,
)
from reunite.demo.generator._requests import RequestRenderer
from reunite.demo.name_data import (
    CIRCUMSTANCES,
    MARKS,
)


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
    lex: Lexicon,
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
    size_cum = cumulative(w for _, w in FAMILY_SIZE_WEIGHTS)
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


def _place(child: Child, rnd: Rnd, lex: Lexicon, today: date) -> Placement:
    fam = child.family
    if fam.placement is not None and rnd() < P_SIBLINGS_PLACED_TOGETHER:
        return fam.placement
    region = uniform(rnd, lex.regions)
    city = uniform(rnd, region.cities)
    x = rnd()
    if x < P_SURNAME_CHANGED + P_GUARDIANSHIP_OTHER:
        m, f = uniform(rnd, lex.ru_surnames)
        female_guardian = rnd() < 0.75
        g_surname = f if female_guardian else m
        initials = (
            uniform(rnd, lex.female_parent if female_guardian else lex.male_parent).ru[0][0]
            + "."
            + uniform(rnd, lex.male_parent).ru[0][0]
            + "."
        )
        if rnd() < 0.7:
            institution = f"опекун: {g_surname} {initials}"
        else:
            husband = uniform(rnd, lex.male_parent).ru[0][0]
            institution = f"приёмная семья: {m} {husband}., {f} {initials}"
        placement = Placement(region, city, institution, (m, f), x < P_SURNAME_CHANGED)
    else:
        adult = shift_years(child.birth, 18) <= today
        if adult and rnd() < 0.4:
            institution = "совершеннолетний, проживает самостоятельно"
        else:
            institution = uniform(rnd, lex.institutions[city])
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
        renderer = RequestRenderer(rng, lexicon(), self.today)
        for child, role in self._request_plan:
            yield renderer.render(child, role)

    def iter_disclosures(self) -> Iterator[dict[str, str]]:
        """Yield disclosure rows in id order; every call yields the same rows."""
        rng = Random(f"reunite-demo/{self.seed}/disclosures")
        renderer = DisclosureRenderer(rng, lexicon())
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
    lex = lexicon()
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
            child.dob_error, child.disclosed_birth = birth_date_error(child.birth, rnd, today)
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


def _latin_scheme(rnd: Rnd) -> str:
    x = rnd()
    return "kmu" if x < 0.75 else ("ua2007" if x < 0.9 else "legacy")
