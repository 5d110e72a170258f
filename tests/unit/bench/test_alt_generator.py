"""Quick checks of the independent benchmark generator (bench/alt_generator.py) and of the
hand-written hard cases (tests/fixtures/hard_cases)."""

from __future__ import annotations

import csv
import importlib.util
import re
import sys
from collections import Counter
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import translitua

ROOT = Path(__file__).resolve().parents[3]
GENERATOR_PATH = ROOT / "bench" / "alt_generator.py"
HARD_CASES = ROOT / "tests" / "fixtures" / "hard_cases"
PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("alt_generator", GENERATOR_PATH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


gen = _load_generator()


@pytest.fixture(scope="module")
def scenario() -> Any:
    return gen.generate_scenario(11, 3000)


def _valid_partial_date(text: str) -> bool:
    if not PARTIAL_DATE.match(text):
        return False
    parts = [int(part) for part in text.split("-")] + [1, 1]
    try:
        date(parts[0], parts[1], parts[2])
    except ValueError:
        return False
    return True


def test_same_seed_same_data_other_seed_other_data() -> None:
    first = gen.generate(3, 400)
    assert first == gen.generate(3, 400)
    assert first[0] != gen.generate(4, 400)[0]


def test_rows_have_exactly_the_documented_keys(scenario: Any) -> None:
    for row in scenario.requests:
        assert tuple(row) == gen.REQUEST_FIELDS
        assert all(isinstance(value, str) for value in row.values())
    for row in scenario.disclosures:
        assert tuple(row) == gen.DISCLOSURE_FIELDS
        assert all(isinstance(value, str) for value in row.values())


def test_truth_refers_to_existing_ids_and_each_request_has_at_most_one(scenario: Any) -> None:
    requests = scenario.requests
    disclosures = scenario.disclosures
    truth = scenario.truth
    request_ids = [row["id"] for row in requests]
    disclosure_ids = [row["id"] for row in disclosures]
    assert len(set(request_ids)) == len(request_ids)
    assert len(set(disclosure_ids)) == len(disclosure_ids)
    assert not set(request_ids) & set(disclosure_ids)
    assert {r for r, _ in truth} <= set(request_ids)
    assert {d for _, d in truth} <= set(disclosure_ids)
    per_request = Counter(r for r, _ in truth)
    assert max(per_request.values()) == 1
    per_disclosure = Counter(d for _, d in truth)
    assert max(per_disclosure.values()) >= 2  # some children are sought by several relatives


def test_dates_and_sexes_are_well_formed(scenario: Any) -> None:
    rows = scenario.requests + scenario.disclosures
    for row in rows:
        assert row["sex"] in ("M", "F", "")
        assert row["birth_date"] == "" or _valid_partial_date(row["birth_date"])
    assert all(row["sex"] in ("M", "F") for row in scenario.disclosures)


def test_proportions_are_in_range(scenario: Any) -> None:
    meta = scenario.meta
    requests = scenario.requests
    truth = scenario.truth
    assert meta["children"] == 3000
    assert 0.30 <= meta["with_sibling"] <= 0.50
    assert 0.08 <= meta["surname_changed_share"] <= 0.15
    assert 0.10 <= meta["date_error_share"] <= 0.25
    assert meta["twins"] > 0 and meta["namesakes"] > 0 and meta["cousin_families"] > 0
    assert meta["mixed_script_children"] > 0 and meta["identity_changed"] > 0
    assert meta["diminutive_given"] > 0 and meta["place_renamed"] > 0
    latin = meta["latin_requests"] / len(requests)
    assert 0.15 <= latin <= 0.45
    matched = {r for r, _ in truth}
    unmatched_requests = len(requests) - len(matched)
    assert 0.1 <= unmatched_requests / len(requests) <= 0.4
    unrequested = len(scenario.disclosures) - len({d for _, d in truth})
    assert unrequested > meta["russian_children"] > 0


def test_latin_requests_are_latin_and_disclosures_are_russian(scenario: Any) -> None:
    latin_rows = [row for row in scenario.requests if re.fullmatch(r"[A-Za-z' -]+", row["surname"])]
    assert latin_rows
    ukrainian_only = re.compile(r"[іїєґІЇЄҐ]")
    for row in scenario.disclosures:
        for key in ("given_name", "surname", "patronymic"):
            assert not ukrainian_only.search(row[key]), row


def test_common_names_repeat_between_different_children(scenario: Any) -> None:
    names = Counter((row["given_name"], row["surname"]) for row in scenario.disclosures)
    assert names.most_common(1)[0][1] >= 3


def test_name_tables_are_large_and_include_rare_names() -> None:
    assert len(gen.BOYS) >= 150 and len(gen.GIRLS) >= 150
    assert len(gen.ALL_SURNAMES) >= 400
    given = set(gen.GIVEN_BY_UK)
    rare = {"Ярема", "Орест", "Богдана", "Соломія", "Мирослава", "Зіновій", "Остап", "Христина"}
    assert rare | {"Ярина", "Любомир"} <= given
    surnames = {entry.uk for entry in gen.ALL_SURNAMES}
    assert {"Хаджинов", "Папуш", "Кіор", "Дем'яненко", "Прокоп'юк"} <= surnames


def test_own_kmu_agrees_with_translitua_on_every_table_entry() -> None:
    words = [name.uk for name in gen.BOYS + gen.GIRLS]
    words += [entry.uk for entry in gen.ALL_SURNAMES]
    words += [place.uk for place in gen.PLACES]
    for word in words:
        assert gen.kmu(word) == translitua.translit(word, translitua.UkrainianKMU), word


@pytest.mark.parametrize(
    ("father", "sex", "expected"),
    [
        ("Микола", "M", "Миколайович"),
        ("Микола", "F", "Миколаївна"),
        ("Ілля", "F", "Іллівна"),
        ("Григорій", "M", "Григорович"),
        ("Сергій", "F", "Сергіївна"),
        ("Василь", "F", "Василівна"),
        ("Петро", "M", "Петрович"),
    ],
)
def test_ukrainian_patronymics(father: str, sex: str, expected: str) -> None:
    assert gen.uk_patronymic(father, sex) == expected


@pytest.mark.parametrize(
    ("father", "sex", "expected"),
    [
        ("Николай", "M", "Николаевич"),
        ("Илья", "F", "Ильинична"),
        ("Григорий", "M", "Григорьевич"),
        ("Сергей", "F", "Сергеевна"),
        ("Игорь", "M", "Игоревич"),
        ("Яков", "M", "Яковлевич"),
        ("Дмитрий", "F", "Дмитриевна"),
    ],
)
def test_russian_patronymics(father: str, sex: str, expected: str) -> None:
    assert gen.ru_patronymic(father, sex) == expected


def test_latin_variants() -> None:
    assert gen.kmu("Олександр") == "Oleksandr"
    assert gen.ru_latin("Александр") == "Aleksandr"
    assert gen._folk(gen.kmu("Юлія")) == "Julija"
    assert gen._simple(gen.kmu("Юлія")) == "Yulia"
    assert gen.ru_latin("Григорий") == "Grigoriy"
    assert gen.kmu("Женя") == "Zhenia"


def test_main_writes_three_csvs(tmp_path: Path) -> None:
    gen.main(["--seed", "2", "--children", "150", "--out", str(tmp_path)])
    with (tmp_path / "requests.csv").open(encoding="utf-8") as handle:
        requests = list(csv.DictReader(handle))
    with (tmp_path / "disclosures.csv").open(encoding="utf-8") as handle:
        disclosures = list(csv.DictReader(handle))
    with (tmp_path / "truth.csv").open(encoding="utf-8") as handle:
        truth = list(csv.DictReader(handle))
    assert requests and disclosures and truth
    assert list(truth[0]) == ["request_id", "disclosed_id"]
    expected_requests, expected_disclosures, expected_truth = gen.generate(2, 150)
    assert requests == expected_requests and disclosures == expected_disclosures
    assert {(row["request_id"], row["disclosed_id"]) for row in truth} == expected_truth


def _read_hard(name: str) -> list[dict[str, str]]:
    with (HARD_CASES / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_hard_cases_parse_and_their_truth_ids_exist() -> None:
    requests = _read_hard("requests.csv")
    disclosures = _read_hard("disclosures.csv")
    truth = _read_hard("truth.csv")
    assert 35 <= len(requests) <= 60
    assert list(requests[0]) == [*gen.REQUEST_FIELDS, "note"]
    assert list(disclosures[0]) == [*gen.DISCLOSURE_FIELDS, "note"]
    assert all(row["note"] for row in requests)
    request_ids = [row["id"] for row in requests]
    disclosure_ids = [row["id"] for row in disclosures]
    assert len(set(request_ids)) == len(request_ids)
    assert len(set(disclosure_ids)) == len(disclosure_ids)
    pairs = [(row["request_id"], row["disclosed_id"]) for row in truth]
    assert {r for r, _ in pairs} <= set(request_ids)
    assert {d for _, d in pairs} <= set(disclosure_ids)
    assert max(Counter(r for r, _ in pairs).values()) == 1
    assert max(Counter(d for _, d in pairs).values()) >= 2
    assert len({r for r, _ in pairs}) < len(request_ids)  # some requests have no true record
    assert len({d for _, d in pairs}) < len(disclosure_ids)  # some records nobody asked for
    for row in requests + disclosures:
        assert row["sex"] in ("M", "F")
        assert _valid_partial_date(row["birth_date"]), row
