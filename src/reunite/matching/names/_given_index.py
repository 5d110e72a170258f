"""The given-name index: identities of given names in every script, built once."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Final

from names_translator.dicts import default_dicts, normalize_key

from reunite.matching import name_tables
from reunite.matching.disk_cache import cached
from reunite.matching.name_tables import (
    DIMINUTIVES,
    FEMININE_CONSONANT_NAMES,
    MASCULINE_A_NAMES,
    RUSSIAN_FORMS,
    WESTERN_GIVEN,
)
from reunite.matching.names._fold import fold
from reunite.matching.names._translit import (
    RU_ALPHABET as _RU_ALPHABET,
)
from reunite.matching.names._translit import (
    RU_STANDARDS,
    UK_STANDARDS,
    Translit,
)
from reunite.matching.names._translit import (
    UK_ALPHABET as _UK_ALPHABET,
)


@dataclass(frozen=True, slots=True)
class _GivenIndex:
    full: dict[str, frozenset[str]]  # fold -> identities of full names
    dims: dict[str, frozenset[str]]  # fold -> identities a short form stands for
    sex: dict[str, str]  # identity -> "m", "f" or "u"
    form_id: dict[str, str]  # Cyrillic form -> identity
    common: frozenset[str]  # identities of the names in the project's own tables


_UKRAINIAN_LETTERS = frozenset("іїєґ")
_VOWEL_ENDINGS = ("а", "я")


def _form_sex(form: str) -> str:
    if form in MASCULINE_A_NAMES:
        return "m"
    if form in FEMININE_CONSONANT_NAMES:
        return "f"
    if form.endswith(_VOWEL_ENDINGS):
        return "f"
    if form.endswith("ь") or "-" in form or " " in form:
        return "u"
    return "m"


def _component_sex(forms: set[str]) -> str:
    # The listed exceptions outweigh the endings of the group's other
    # spellings («Ілля» with «Ілья», «Іл'я»).
    if not forms.isdisjoint(MASCULINE_A_NAMES):
        return "m"
    if not forms.isdisjoint(FEMININE_CONSONANT_NAMES):
        return "f"
    sexes = {_form_sex(form) for form in forms} - {"u"}
    return sexes.pop() if len(sexes) == 1 else "u"


def _risky_letters(table: Translit, alphabet: str) -> frozenset[str]:
    """Letters whose spelling by a table does not fold like the letter itself."""
    risky = set()
    for letter in alphabet:
        for sample in (
            letter + "а",
            "а" + letter,
            "н" + letter + "а",
            *("а" + letter + vowel for vowel in "аеиі"),
        ):
            if fold(table(sample)) != fold(sample):
                risky.add(letter)
                break
    return frozenset(risky)


# Tables whose spellings are folded into the index where fold alone does not
# bring them together (typically х as x, ж as j, к as c).
_INDEX_TABLES: Final = (
    ("uk", ("kmu2010", "passport2007", "passport2004", "bgn", "national1996", "german")),
    ("ru", ("icao", "gost", "bgn", "passport1997", "passport2010")),
)


# The names the project's own tables are written with are the preferred
# representatives; the dictionary also carries misspelt keys («андрєй»).
_CANONICAL_FORMS: Final = frozenset(DIMINUTIVES) | frozenset(
    name for names in WESTERN_GIVEN.values() for name in names
)
_NON_UKRAINIAN_RE = re.compile(r"[ыэёъ]|(?<![аеєиіїоуюя'])є|ий$")


def _pick_representative(forms: set[str], first: dict[str, list[str]], russian: set[str]) -> str:
    """Choose the most plausible standard Ukrainian spelling of a name group."""

    def score(form: str) -> tuple[int, int, int, int, int, int, str]:
        translations = first.get(form)
        return (
            0 if form in _CANONICAL_FORMS else 1,
            0 if translations is not None else 1,
            1 if _NON_UKRAINIAN_RE.search(form) else 0,
            0 if form in russian else 1,
            -len(translations or ()),
            len(form),
            form,
        )

    return min(forms, key=score)


@cache
def given_index() -> _GivenIndex:
    """Return the given-name index, from the cache file when it is current (see disk_cache)."""
    # Everything the index is built from: this module, the fold, the transliteration
    # tables, the text rules the fold uses, and the project's name tables.
    here = Path(__file__).parent
    sources = [
        *(here / f"{module}.py" for module in ("_given_index", "_fold", "_translit")),
        here.parent / "text" / "_letters.py",
        Path(name_tables.__file__ or ""),
    ]
    return cached("given-names", sources, _build_given_index)


def _build_given_index() -> _GivenIndex:
    """Build the given-name index from names_translator's first names."""
    first: dict[str, list[str]] = default_dicts().as_dict("first")
    parent: dict[str, str] = {}

    def find(form: str) -> str:
        root = parent.setdefault(form, form)
        while root != parent[root]:
            parent[root] = parent[parent[root]]
            root = parent[root]
        return root

    ukrainian: set[str] = set()
    russian: set[str] = set()
    for key, translations in first.items():
        ukrainian.add(key)
        root = find(key)
        for translation in translations:
            form = normalize_key(translation)
            russian.add(form)
            other = find(form)
            if other != root:
                parent[other] = root

    for form, russian_forms in RUSSIAN_FORMS.items():
        for russian_form in russian_forms:
            russian.add(russian_form)
            root, other = find(form), find(russian_form)
            if other != root:
                parent[other] = root

    groups: dict[str, set[str]] = {}
    for form in parent:
        groups.setdefault(find(form), set()).add(form)

    form_id: dict[str, str] = {}
    sex: dict[str, str] = {}
    for forms in groups.values():
        identity = _pick_representative(forms, first, russian)
        sex[identity] = _component_sex(forms)
        for form in forms:
            form_id[form] = identity

    full: dict[str, set[str]] = {}

    def add(index: dict[str, set[str]], key: str, identity: str) -> None:
        if key:
            index.setdefault(key, set()).add(identity)

    for form, identity in form_id.items():
        add(full, fold(form), identity)
    for language, names in _INDEX_TABLES:
        sources = ukrainian if language == "uk" else russian
        alphabet = _UK_ALPHABET if language == "uk" else _RU_ALPHABET
        tables = UK_STANDARDS if language == "uk" else RU_STANDARDS
        for name in names:
            table = tables[name]
            risky = _risky_letters(table, alphabet)
            for form in sources:
                if not risky.isdisjoint(form):
                    add(full, fold(table(form)), form_id[form])

    for latin, targets in WESTERN_GIVEN.items():
        for target in targets:
            if target in form_id:
                add(full, fold(latin), form_id[target])

    dims: dict[str, set[str]] = {}
    dim_sexes: dict[str, set[str]] = {}
    for target, short_forms in DIMINUTIVES.items():
        target_id = form_id.get(target)
        if target_id is None:
            continue
        for short in short_forms:
            add(dims, fold(short), target_id)
            dim_sexes.setdefault(short, set()).add(sex[target_id])
    # A short form the dictionary lists as a name of its own («Саша», «Женя»)
    # has the sex of the names it stands for, not the one of its ending.
    for short, sexes in dim_sexes.items():
        short_id = form_id.get(short)
        if short_id is not None:
            sex[short_id] = sexes.pop() if len(sexes) == 1 else "u"

    return _GivenIndex(
        full={key: frozenset(ids) for key, ids in full.items()},
        dims={key: frozenset(ids) for key, ids in dims.items()},
        sex=sex,
        form_id=form_id,
        common=frozenset(form_id[name] for name in _CANONICAL_FORMS if name in form_id),
    )
