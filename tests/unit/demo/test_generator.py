"""Tests for the synthetic demo/benchmark scenario generator."""

from __future__ import annotations

import ast
import csv
import hashlib
import json
import os
import re
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from reunite.demo import generator as gen
from reunite.demo.generator import (
    DISCLOSURE_COLUMNS,
    REQUEST_COLUMNS,
    Child,
    Scenario,
    generate_scenario,
    ru_feminine,
    ru_patronymic,
    russify_letters,
    russify_surname,
    stream_scenario,
    transliterate,
    ua_patronymic,
    write_csv,
    write_links,
    write_scenario,
)
from reunite.demo.name_data import (
    FEMALE_NAMES,
    MALE_NAMES,
    RU_REGIONS,
    RU_SURNAMES,
    TOWNS,
    UA_SURNAMES,
)

TODAY = date(2026, 11, 25)
UA_ONLY = re.compile("[іїєґІЇЄҐ'’ʼ]")
LATIN = re.compile(r"[A-Za-z]")
CYRILLIC = re.compile("[А-Яа-яЁёІіЇїЄєҐґ]")
NAME_FIELDS = ("given_name", "surname", "patronymic", "mother_name", "father_name", "name_variants")


@pytest.fixture(scope="module")
def small() -> Scenario:
    return generate_scenario()


@pytest.fixture(scope="module")
def medium() -> Scenario:
    # Large enough for proportions to be stable to about ±1.5 percentage points.
    return generate_scenario(seed=11, n_children=15_000, n_requests=12_000, n_disclosures=18_000)


def _digest(s: Scenario) -> str:
    blob = json.dumps([s.requests, s.disclosures, s.links], ensure_ascii=False)
    return hashlib.sha256(blob.encode()).hexdigest()


def _by_id(rows: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    return {r["id"]: r for r in rows}


def _parse_partial(value: str) -> date:
    parts = [int(p) for p in value.split("-")]
    return date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


# --- determinism -------------------------------------------------------------------------------


def test_same_seed_gives_identical_output(small: Scenario) -> None:
    again = generate_scenario()
    assert again.requests == small.requests
    assert again.disclosures == small.disclosures
    assert again.links == small.links


def test_different_seed_gives_different_output(small: Scenario) -> None:
    other = generate_scenario(seed=2023)
    assert other.requests != small.requests
    assert other.disclosures != small.disclosures
    assert _digest(other) != _digest(small)


def test_output_does_not_depend_on_hash_seed() -> None:
    code = (
        "import hashlib, json;"
        "from reunite.demo.generator import generate_scenario as g;"
        "s = g(seed=5, n_children=300, n_requests=250, n_disclosures=400);"
        "print(hashlib.sha256(json.dumps([s.requests, s.disclosures, s.links],"
        " ensure_ascii=False).encode()).hexdigest())"
    )
    digests = set()
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        out = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
        digests.add(out.stdout.strip())
    assert len(digests) == 1
    local = generate_scenario(seed=5, n_children=300, n_requests=250, n_disclosures=400)
    assert digests == {_digest(local)}


def test_stream_is_reiterable_and_matches_generate(small: Scenario) -> None:
    stream = stream_scenario()
    assert list(stream.iter_requests()) == small.requests
    assert list(stream.iter_requests()) == small.requests
    assert list(stream.iter_disclosures()) == small.disclosures
    assert stream.links == small.links


# The files of a small scenario, recorded from the generator before it became a package: the
# same seed must give the same rows, byte for byte, whatever the code's layout.
RECORDED_SHA256 = {
    "requests.csv": "cb0533d2ed75a09d65404ae84cffc008d673bf18748247d73c939d2e9c7517ef",
    "disclosures.csv": "f8baac41307107150e0976943990529c362760e17c0b9bea4f8115d1b116d34e",
    "links.csv": "a7e4b9a62c7827df7d843b9759c16abc17f2230c654704076e07ccd9ea987843",
}


def test_same_seed_gives_the_recorded_files(tmp_path: Path) -> None:
    write_scenario(tmp_path, seed=7, n_children=300, n_requests=250, n_disclosures=400)
    digests = {
        name: hashlib.sha256((tmp_path / name).read_bytes()).hexdigest() for name in RECORDED_SHA256
    }
    assert digests == RECORDED_SHA256


def test_generator_uses_no_global_random_and_no_matching_code() -> None:
    modules = sorted(Path(gen.__file__).parent.glob("*.py"))
    assert len(modules) > 1  # the package's parts, all of them read here
    imported: set[str] = set()
    plain_imports: set[str] = set()
    for module in modules:
        source = module.read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Import):
                plain_imports.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                imported.add(node.module or "")
                if node.module == "random":
                    assert [a.name for a in node.names] == ["Random"]
        assert "date.today" not in source
    assert "random" not in plain_imports  # only `from random import Random`
    imported |= plain_imports
    assert not any(m.startswith("names_translator") for m in imported)
    own = {f"reunite.demo.generator.{module.stem}" for module in modules}
    assert {m for m in imported if m.startswith("reunite")} - own == {"reunite.demo.name_data"}
    assert not {"time", "sqlalchemy", "fastapi", "psycopg"} & imported


# --- shape and ids -----------------------------------------------------------------------------


def test_counts_columns_and_ids(small: Scenario) -> None:
    assert len(small.requests) == 2000
    assert len(small.disclosures) == 3000
    for row in small.requests:
        assert tuple(row) == REQUEST_COLUMNS
        assert all(isinstance(v, str) for v in row.values())
        assert re.fullmatch(r"UA-\d{6}", row["id"])
        assert row["sex"] in ("M", "F")
    for row in small.disclosures:
        assert tuple(row) == DISCLOSURE_COLUMNS
        assert all(isinstance(v, str) for v in row.values())
        assert re.fullmatch(r"RU-\d{6}", row["id"])
        assert row["sex"] in ("M", "F")
        assert row["withheld"] in ("", "yes")
    assert len({r["id"] for r in small.requests}) == len(small.requests)
    assert len({r["id"] for r in small.disclosures}) == len(small.disclosures)


def test_links_refer_to_rows_of_the_same_child(medium: Scenario) -> None:
    requests, disclosures = _by_id(medium.requests), _by_id(medium.disclosures)
    owner_req: dict[str, Child] = {}
    owner_disc: dict[str, Child] = {}
    for c in medium.children:
        for rid in c.request_ids:
            owner_req[rid] = c
        if c.disclosure_id:
            owner_disc[c.disclosure_id] = c
    assert set(owner_req) == set(requests)
    assert set(owner_disc) == set(disclosures)
    assert len(set(medium.links)) == len(medium.links)
    for rid, did in medium.links:
        assert rid in requests and did in disclosures
        assert owner_req[rid] is owner_disc[did]
        assert requests[rid]["sex"] == disclosures[did]["sex"]
    expected = {
        (rid, c.disclosure_id) for c in medium.children if c.disclosure_id for rid in c.request_ids
    }
    assert set(medium.links) == expected


def test_large_ids_stay_unique() -> None:
    s = stream_scenario(n_children=50, n_requests=40, n_disclosures=60)
    ids = [c.disclosure_id for c in s.children if c.disclosure_id]
    assert len(ids) == len(set(ids)) == 60


@pytest.mark.parametrize(
    ("n_children", "n_requests", "n_disclosures"),
    [(0, 0, 0), (10, 0, 0), (0, 50, 0), (5, 100, 20), (100, 10, 30), (1, 1, 1)],
)
def test_edge_counts(n_children: int, n_requests: int, n_disclosures: int) -> None:
    s = generate_scenario(n_children=n_children, n_requests=n_requests, n_disclosures=n_disclosures)
    assert len(s.requests) == n_requests
    assert len(s.disclosures) == n_disclosures
    assert all(rid.startswith("UA-") and did.startswith("RU-") for rid, did in s.links)


def test_invalid_arguments_are_rejected() -> None:
    with pytest.raises(ValueError):
        generate_scenario(today=date(2021, 1, 1))
    with pytest.raises(ValueError):
        generate_scenario(n_requests=-1)


# --- dates -------------------------------------------------------------------------------------


def _check_dates(s: Scenario, today: date) -> None:
    for c in s.children:
        assert gen.BIRTH_FIRST <= c.birth <= gen.BIRTH_LAST
        assert c.birth < c.family.separation <= today
    for row in s.requests:
        assert re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", row["birth_date"])
        assert date(1990, 1, 1) <= _parse_partial(row["birth_date"]) <= today
        if row["separation_date"]:
            sep = _parse_partial(row["separation_date"])
            assert date(2022, 2, 1) <= sep <= min(today, gen.SEPARATION_LAST)
    for row in s.disclosures:
        born = date.fromisoformat(row["birth_date"])
        assert date(1990, 1, 1) <= born <= today


def test_dates_are_parseable_and_in_range(medium: Scenario) -> None:
    _check_dates(medium, TODAY)
    years = Counter(c.birth.year for c in medium.children)
    assert min(years) == 2005 and max(years) == 2022
    adults = sum(c.birth <= date(2008, 11, 25) for c in medium.children)
    assert 0.1 < adults / len(medium.children) < 0.35


def test_today_bounds_every_date() -> None:
    today = date(2022, 7, 1)
    s = generate_scenario(n_children=800, n_requests=600, n_disclosures=900, today=today)
    _check_dates(s, today)
    assert all(c.family.separation <= today for c in s.children)


def test_partial_birth_dates_present(medium: Scenario) -> None:
    lengths = Counter(len(r["birth_date"]) for r in medium.requests)
    partial = (lengths[4] + lengths[7]) / len(medium.requests)
    assert lengths[4] > 0 and lengths[7] > 0
    assert 0.05 < partial < 0.2


# --- population proportions -------------------------------------------------------------------


def test_sibling_share_and_family_consistency(medium: Scenario) -> None:
    families: dict[int, list[Child]] = {}
    for c in medium.children:
        families.setdefault(c.family.id, []).append(c)
    with_sibling = sum(len(m) for m in families.values() if len(m) > 1)
    assert 0.40 < with_sibling / len(medium.children) < 0.52
    for members in families.values():
        assert len({c.given.ua for c in members}) == len(members)
        for a in members:
            for b in members:
                if a is not b and a.twin_of != b.index:
                    assert abs((a.birth - b.birth).days) >= 300 or len(members) > 3


def test_twins(medium: Scenario) -> None:
    twins = [c for c in medium.children if c.twin_of >= 0]
    assert 0.02 < len(twins) / len(medium.children) < 0.07
    mixed = 0
    for c in twins:
        other = medium.children[c.twin_of]
        assert other.twin_of == c.index
        assert other.family is c.family and other.birth == c.birth
        assert other.given.ua != c.given.ua
        mixed += other.sex != c.sex
    assert 0.3 < mixed / len(twins) < 0.7


def test_double_requests_and_unmatched_requests(medium: Scenario) -> None:
    sought = [c for c in medium.children if c.request_ids]
    double = [c for c in sought if len(c.request_ids) == 2]
    assert 0.06 < len(double) / len(sought) < 0.10
    assert all(len(c.request_ids) <= 2 for c in sought)
    undisclosed = [c for c in sought if not c.disclosure_id]
    assert 0.15 < len(undisclosed) / len(sought) < 0.25
    requests = _by_id(medium.requests)
    # The two requests for one child come from different relatives and differ in detail.
    differing = sum(
        requests[c.request_ids[0]]["contact"] != requests[c.request_ids[1]]["contact"]
        for c in double
    )
    assert differing == len(double)
    latin_second = sum(
        bool(LATIN.search(requests[c.request_ids[1]]["given_name"]))
        != bool(LATIN.search(requests[c.request_ids[0]]["given_name"]))
        for c in double
    )
    assert latin_second / len(double) > 0.25


def test_distractors(medium: Scenario) -> None:
    linked = {d for _, d in medium.links}
    assert len(medium.disclosures) - len(linked) > len(medium.disclosures) * 0.3
    sought_families = {c.family.id for c in medium.children if c.request_ids}
    unrequested_siblings = [
        c
        for c in medium.children
        if c.disclosure_id and not c.request_ids and c.family.id in sought_families
    ]
    assert len(unrequested_siblings) > 500


# --- request rendering ------------------------------------------------------------------------


def test_latin_share_and_passport_spellings(medium: Scenario) -> None:
    latin = [r for r in medium.requests if not CYRILLIC.search(r["given_name"] + r["surname"])]
    assert 0.21 < len(latin) / len(medium.requests) < 0.29
    assert all(LATIN.search(r["given_name"]) for r in latin)
    caps = sum(r["surname"].strip().isupper() for r in latin)
    assert 0.2 < caps / len(latin) < 0.4
    # KMU 2010 forms dominate, older spellings (Igor, Aleksandr) also occur.
    names = Counter(r["given_name"].strip().title() for r in latin)
    assert names["Oleksandr"] > names["Aleksandr"] > 0
    assert names["Maksym"] > names["Maksim"] > 0
    assert sum(v for k, v in names.items() if "g" in k.lower()) > 0


def test_cyrillic_request_quirks(medium: Scenario) -> None:
    cyr = [r for r in medium.requests if CYRILLIC.search(r["given_name"] + r["surname"])]
    mixed = [
        r
        for r in cyr
        if re.search(
            "[а-яіїє]i|i[а-яіїє]", r["given_name"] + r["surname"] + r["patronymic"], re.IGNORECASE
        )
    ]
    assert mixed, "some requests must contain a Latin i inside a Cyrillic word"
    assert 0.01 < len(mixed) / len(cyr) < 0.08
    caps = sum(r["surname"].strip().isupper() and len(r["surname"].strip()) > 1 for r in cyr)
    assert 0.03 < caps / len(cyr) < 0.1
    no_patr = sum(r["patronymic"] == "" for r in cyr) / len(cyr)
    assert 0.15 < no_patr < 0.35
    diminutives = {d for g in MALE_NAMES + FEMALE_NAMES for d in g.ua_diminutives}
    with_dim = [r for r in cyr if set(r["name_variants"].split("; ")) & diminutives]
    assert 0.2 < len(with_dim) / len(cyr) < 0.5
    assert any(r["given_name"] in diminutives for r in cyr)


def test_request_names_follow_truth(medium: Scenario) -> None:
    requests = _by_id(medium.requests)
    exact = total = 0
    for c in medium.children:
        for role, rid in enumerate(c.request_ids):
            if c.request_scripts[role] != "cyr":
                continue
            row = requests[rid]
            total += 1
            surname = c.family.surname.ua_f if c.sex == "F" else c.family.surname.ua_m
            exact += row["given_name"] == c.given.ua and row["surname"] == surname
            patr = row["patronymic"]
            if patr and not patr.isupper() and not LATIN.search(patr):
                assert row["patronymic"] == ua_patronymic(c.family.father_given.ua, c.sex == "F")
    assert 0.75 < exact / total < 0.97


# --- disclosure rendering ---------------------------------------------------------------------


def test_disclosures_have_no_ukrainian_only_letters(medium: Scenario) -> None:
    for row in medium.disclosures:
        for key in (*NAME_FIELDS, "birth_place", "current_location", "institution"):
            assert not UA_ONLY.search(row[key]), (key, row[key])
            assert not LATIN.search(row[key]), (key, row[key])


def test_disclosed_names_are_russian_equivalents(medium: Scenario) -> None:
    disclosures = _by_id(medium.disclosures)
    equivalent = total = 0
    for c in medium.children:
        if not c.disclosure_id:
            continue
        row = disclosures[c.disclosure_id]
        forms = {f.replace("ё", "е") for f in c.given.ru} | set(c.given.ru)
        total += 1
        equivalent += row["given_name"] in forms
    assert 0.93 < equivalent / total < 0.99
    # Олександр is never disclosed as Олександр but as Александр.
    sample = [
        disclosures[c.disclosure_id]["given_name"]
        for c in medium.children
        if c.disclosure_id and c.given.ua == "Олександр"
    ]
    assert Counter(sample).most_common(1)[0][0] == "Александр"


def test_surname_changes(medium: Scenario) -> None:
    disclosures = _by_id(medium.disclosures)
    disclosed = [c for c in medium.children if c.disclosure_id]
    changed = [c for c in disclosed if c.surname_changed]
    assert 0.08 < len(changed) / len(disclosed) < 0.12
    russian = set(RU_SURNAMES) | {ru_feminine(s) for s in RU_SURNAMES}
    russian |= {s.replace("ё", "е") for s in russian}
    for c in changed:
        row = disclosures[c.disclosure_id]
        forms = c.family.surname
        assert row["surname"] not in {forms.ru_m, forms.ru_f, forms.ru_phon_m, forms.ru_phon_f}
        assert c.placement is not None
        guardian = c.placement.guardian_surname[c.sex == "F"]
        assert guardian in russian
    with_mother = sum(bool(disclosures[c.disclosure_id]["mother_name"]) for c in changed)
    assert 0.3 < with_mother / len(changed) < 0.7
    kept = [c for c in disclosed if not c.surname_changed]
    same = 0
    for c in kept:
        forms = c.family.surname
        same += disclosures[c.disclosure_id]["surname"] in {
            forms.ru_m,
            forms.ru_f,
            forms.ru_phon_m,
            forms.ru_phon_f,
        }
    assert 0.93 < same / len(kept) < 0.99


def test_birth_date_errors(medium: Scenario) -> None:
    disclosures = _by_id(medium.disclosures)
    disclosed = [c for c in medium.children if c.disclosure_id]
    wrong = [
        c for c in disclosed if disclosures[c.disclosure_id]["birth_date"] != c.birth.isoformat()
    ]
    assert 0.08 < len(wrong) / len(disclosed) < 0.12
    assert {c.disclosure_id for c in wrong} == {c.disclosure_id for c in disclosed if c.dob_error}
    kinds = Counter(c.dob_error for c in wrong)
    assert set(kinds) == {"swap", "day", "digit", "year"}
    for c in wrong:
        shown = date.fromisoformat(disclosures[c.disclosure_id]["birth_date"])
        if c.dob_error == "swap":
            assert (shown.month, shown.day) == (c.birth.day, c.birth.month)
        elif c.dob_error == "day":
            assert abs((shown - c.birth).days) == 1
        elif c.dob_error == "year":
            assert abs(shown.year - c.birth.year) == 1
        else:
            differing = sum(
                a != b for a, b in zip(shown.isoformat(), c.birth.isoformat(), strict=True)
            )
            assert differing == 1


def test_patronymics_and_parents(medium: Scenario) -> None:
    disclosures = _by_id(medium.disclosures)
    kept = [c for c in medium.children if c.disclosure_id and not c.surname_changed]
    match = sum(
        disclosures[c.disclosure_id]["patronymic"].replace("ё", "е")
        == ru_patronymic(c.family.father_given.ru[0], c.sex == "F").replace("ё", "е")
        for c in kept
    )
    assert 0.9 < match / len(kept) < 0.97
    no_mother = sum(r["mother_name"] == "" for r in medium.disclosures) / len(medium.disclosures)
    no_father = sum(r["father_name"] == "" for r in medium.disclosures) / len(medium.disclosures)
    assert 0.2 < no_mother < 0.4
    assert 0.35 < no_father < 0.6


def test_birth_places_renamed_and_replaced(medium: Scenario) -> None:
    disclosures = _by_id(medium.disclosures)
    bakhmut = [
        disclosures[c.disclosure_id]["birth_place"]
        for c in medium.children
        if c.disclosure_id and c.birth_town.ua == "Бахмут" and not c.identity_changed
    ]
    assert any("Артемовск" in p or "Артёмовск" in p for p in bakhmut)
    assert any("Бахмут" in p for p in bakhmut)
    russian_towns = {city for region in RU_REGIONS for city in region.cities}
    ukrainian_ru = {t.ru for t in TOWNS} | {t.ru_old for t in TOWNS if t.ru_old}
    changed = [c for c in medium.children if c.disclosure_id and c.identity_changed]
    assert changed
    for c in changed:
        place = disclosures[c.disclosure_id]["birth_place"].removeprefix("г. ")
        assert place in russian_towns and place not in ukrainian_ru - russian_towns


def test_withheld_share(medium: Scenario) -> None:
    withheld = [r for r in medium.disclosures if r["withheld"] == "yes"]
    assert 0.02 < len(withheld) / len(medium.disclosures) < 0.04
    assert all(r["current_location"] == "" and r["institution"] == "" for r in withheld)
    shown = [r for r in medium.disclosures if r["withheld"] == ""]
    assert all(r["current_location"] for r in shown)


# --- name rules -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("father", "son", "daughter"),
    [
        ("Микола", "Миколайович", "Миколаївна"),
        ("Сергій", "Сергійович", "Сергіївна"),
        ("Олександр", "Олександрович", "Олександрівна"),
        ("Ілля", "Ілліч", "Іллівна"),
        ("Василь", "Васильович", "Василівна"),
        ("Петро", "Петрович", "Петрівна"),
        ("Григорій", "Григорович", "Григорівна"),
        ("Єлисей", "Єлисейович", "Єлисеївна"),
    ],
)
def test_ukrainian_patronymics(father: str, son: str, daughter: str) -> None:
    assert ua_patronymic(father, False) == son
    assert ua_patronymic(father, True) == daughter


@pytest.mark.parametrize(
    ("father", "son", "daughter"),
    [
        ("Николай", "Николаевич", "Николаевна"),
        ("Юрий", "Юрьевич", "Юрьевна"),
        ("Дмитрий", "Дмитриевич", "Дмитриевна"),
        ("Илья", "Ильич", "Ильинична"),
        ("Михаил", "Михайлович", "Михайловна"),
        ("Игорь", "Игоревич", "Игоревна"),
        ("Алексей", "Алексеевич", "Алексеевна"),
        ("Никита", "Никитич", "Никитична"),
        ("Александр", "Александрович", "Александровна"),
    ],
)
def test_russian_patronymics(father: str, son: str, daughter: str) -> None:
    assert ru_patronymic(father, False) == son
    assert ru_patronymic(father, True) == daughter


def test_russian_patronymics_never_contain_doubled_vowels() -> None:
    for g in MALE_NAMES:
        for ru in g.ru:
            for female in (False, True):
                assert not re.search("[аоуыэ]о", ru_patronymic(ru, female)), ru


def test_surname_russification() -> None:
    assert russify_surname("Лисенко", phonetic=True) == "Лысенко"
    assert russify_surname("Ковальський") == "Ковальский"
    assert ru_feminine("Ковальский") == "Ковальская"
    assert russify_surname("Левицький") == "Левицкий"
    assert russify_surname("Мусієнко") == "Мусиенко"
    assert russify_surname("Лук'яненко") == "Лукяненко"
    assert russify_surname("Лук'яненко", phonetic=True) == "Лукьяненко"
    assert russify_surname("Задорожний") == "Задорожный"
    assert russify_surname("Ґудзь") == "Гудзь"
    assert russify_letters("Єрмоленко") == "Ермоленко"
    assert ru_feminine("Смирнов") == "Смирнова"
    assert ru_feminine("Черных") == "Черных"


def test_kmu_transliteration_matches_translitua() -> None:
    translitua = pytest.importorskip("translitua")
    words = [g.ua for g in MALE_NAMES + FEMALE_NAMES]
    words += [s.ua for s in UA_SURNAMES] + [t.ua for t in TOWNS]
    words += ["Згорани", "Юрій Зґурський", "ЄВГЕНІЯ", "Маріуполь, Донецька обл."]
    for w in words:
        assert transliterate(w, "kmu") == translitua.translit(w, translitua.UkrainianKMU), w
        assert transliterate(w, "ua2007") == translitua.translit(
            w, translitua.UkrainianPassport2007
        ), w
    assert transliterate("Олександр Лисенко") == "Oleksandr Lysenko"
    assert transliterate("Наталья", "legacy") == "Natalya"


def test_name_tables_are_complete() -> None:
    assert len(MALE_NAMES) >= 110 and len(FEMALE_NAMES) >= 110
    assert len(UA_SURNAMES) >= 280 and len(RU_SURNAMES) >= 80
    assert len(TOWNS) >= 40 and len(RU_REGIONS) >= 25
    pairs = {(g.ua, g.ru[0]) for g in MALE_NAMES + FEMALE_NAMES}
    for pair in [
        ("Олександр", "Александр"),
        ("Микола", "Николай"),
        ("Ганна", "Анна"),
        ("Євген", "Евгений"),
        ("Ілля", "Илья"),
        ("Єлизавета", "Елизавета"),
    ]:
        assert pair in pairs
    for g in MALE_NAMES + FEMALE_NAMES:
        assert all(not UA_ONLY.search(r) for r in g.ru + g.ru_diminutives), g
    renamed = {t.ua: t.ru_old for t in TOWNS}
    assert renamed["Бахмут"] == "Артёмовск" and renamed["Кропивницький"] == "Кировоград"


# --- CSV ---------------------------------------------------------------------------------------


def test_write_csv_roundtrip(tmp_path: Path, small: Scenario) -> None:
    write_csv(small.requests, tmp_path / "r.csv")
    shuffled = [{k: row[k] for k in reversed(DISCLOSURE_COLUMNS)} for row in small.disclosures]
    write_csv(shuffled, tmp_path / "d.csv")
    write_links(small.links, tmp_path / "l.csv")
    with (tmp_path / "r.csv").open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert tuple(reader.fieldnames or ()) == REQUEST_COLUMNS
        assert list(reader) == small.requests
    with (tmp_path / "d.csv").open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert tuple(reader.fieldnames or ()) == DISCLOSURE_COLUMNS
        assert list(reader) == small.disclosures
    with (tmp_path / "l.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["request_id", "disclosed_id"]
    assert [tuple(r) for r in rows[1:]] == small.links


def test_write_scenario_streams_identical_rows(tmp_path: Path, small: Scenario) -> None:
    write_scenario(tmp_path)
    for name, rows in (("requests.csv", small.requests), ("disclosures.csv", small.disclosures)):
        with (tmp_path / name).open(encoding="utf-8", newline="") as fh:
            assert list(csv.DictReader(fh)) == rows
    assert (tmp_path / "links.csv").read_text(encoding="utf-8").count("\n") == len(small.links) + 1


def test_write_csv_empty(tmp_path: Path) -> None:
    write_csv([], tmp_path / "empty.csv")
    assert (tmp_path / "empty.csv").read_text(encoding="utf-8") == ""
