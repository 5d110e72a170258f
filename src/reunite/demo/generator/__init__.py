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

The parts: ``_model`` (data model, columns, proportions), ``_names`` (Ukrainian names and
their Russian forms), ``_translit`` (Latin spellings), ``_lexicon`` (weighted tables),
``_chance`` (small random helpers), ``_population`` (families, placements, the plan of
rows), ``_requests`` and ``_disclosures`` (rendering each side's rows), ``_files`` (the
entry points).
"""

from __future__ import annotations

from reunite.demo.generator._files import generate_scenario, write_csv, write_links, write_scenario
from reunite.demo.generator._model import (
    BIRTH_FIRST,
    BIRTH_LAST,
    DISCLOSURE_COLUMNS,
    EARLIEST_DATE,
    FAMILY_SIZE_WEIGHTS,
    LINK_COLUMNS,
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
    REQUEST_COLUMNS,
    SEPARATION_LAST,
    WAR_START,
    Child,
    Family,
    Placement,
    Scenario,
    SurnameForms,
)
from reunite.demo.generator._names import (
    derived_surnames,
    ru_feminine,
    ru_patronymic,
    russify_letters,
    russify_surname,
    ua_patronymic,
)
from reunite.demo.generator._population import ScenarioStream, stream_scenario
from reunite.demo.generator._translit import SCRIPTS, transliterate

__all__ = [
    "BIRTH_FIRST",
    "BIRTH_LAST",
    "DISCLOSURE_COLUMNS",
    "EARLIEST_DATE",
    "FAMILY_SIZE_WEIGHTS",
    "LINK_COLUMNS",
    "P_COUSIN_FAMILY",
    "P_DOB_ERROR",
    "P_DOUBLE_REQUEST",
    "P_GUARDIANSHIP_OTHER",
    "P_IDENTITY_CHANGE",
    "P_LATIN_PRIMARY",
    "P_MARK",
    "P_SIBLINGS_PLACED_TOGETHER",
    "P_SOUGHT_DISCLOSED",
    "P_SURNAME_CHANGED",
    "P_TWINS",
    "P_TWINS_SAME_SEX",
    "P_WITHHELD",
    "REQUEST_COLUMNS",
    "SCRIPTS",
    "SEPARATION_LAST",
    "WAR_START",
    "Child",
    "Family",
    "Placement",
    "Scenario",
    "ScenarioStream",
    "SurnameForms",
    "derived_surnames",
    "generate_scenario",
    "ru_feminine",
    "ru_patronymic",
    "russify_letters",
    "russify_surname",
    "stream_scenario",
    "transliterate",
    "ua_patronymic",
    "write_csv",
    "write_links",
    "write_scenario",
]
