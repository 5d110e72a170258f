"""The Splink peer of the record-linkage benchmark (bench/splink_peer.py) on ~200 rows."""

from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path
from types import ModuleType

import pytest

PEER_PATH = Path(__file__).resolve().parents[3] / "bench" / "splink_peer.py"


def _load_peer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("splink_peer", PEER_PATH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


peer = _load_peer()

# Ukrainian Cyrillic, Russian Cyrillic, Ukrainian passport Latin; sex.
GIVEN = [
    ("Олександр", "Александр", "Oleksandr", "M"),
    ("Дмитро", "Дмитрий", "Dmytro", "M"),
    ("Андрій", "Андрей", "Andrii", "M"),
    ("Максим", "Максим", "Maksym", "M"),
    ("Богдан", "Богдан", "Bohdan", "M"),
    ("Іван", "Иван", "Ivan", "M"),
    ("Марія", "Мария", "Mariia", "F"),
    ("Анна", "Анна", "Anna", "F"),
    ("Софія", "София", "Sofiia", "F"),
    ("Вікторія", "Виктория", "Viktoriia", "F"),
    ("Поліна", "Полина", "Polina", "F"),
    ("Злата", "Злата", "Zlata", "F"),
]
SURNAMES = [
    ("Шевченко", "Шевченко", "Shevchenko"),
    ("Коваленко", "Коваленко", "Kovalenko"),
    ("Бондаренко", "Бондаренко", "Bondarenko"),
    ("Ткачук", "Ткачук", "Tkachuk"),
    ("Олійник", "Олейник", "Oliinyk"),
    ("Мельник", "Мельник", "Melnyk"),
    ("Кравчук", "Кравчук", "Kravchuk"),
    ("Гнатюк", "Гнатюк", "Hnatiuk"),
    ("Лисенко", "Лысенко", "Lysenko"),
    ("Поліщук", "Полищук", "Polishchuk"),
    ("Савчук", "Савчук", "Savchuk"),
    ("Руденко", "Руденко", "Rudenko"),
    ("Марченко", "Марченко", "Marchenko"),
    ("Іваненко", "Иваненко", "Ivanenko"),
]
FATHERS = [
    ("Петрович", "Петрівна", "Петрович", "Петровна"),
    ("Іванович", "Іванівна", "Иванович", "Ивановна"),
    ("Сергійович", "Сергіївна", "Сергеевич", "Сергеевна"),
    ("Олегович", "Олегівна", "Олегович", "Олеговна"),
    ("Васильович", "Василівна", "Васильевич", "Васильевна"),
]
TOWNS = [("Маріуполь", "Мариуполь"), ("Херсон", "Херсон"), ("Бердянськ", "Бердянск")]


def make_rows(
    seed: int = 3, children: int = 110
) -> tuple[list[dict[str, str]], list[dict[str, str]], set[tuple[str, str]]]:
    """~100 requests and ~100 disclosures; about 80 children are on both lists."""
    rng = random.Random(seed)
    requests: list[dict[str, str]] = []
    disclosures: list[dict[str, str]] = []
    truth: set[tuple[str, str]] = set()
    for k in range(children):
        ua_given, ru_given, latin_given, sex = rng.choice(GIVEN)
        ua_surname, ru_surname, latin_surname = rng.choice(SURNAMES)
        father = rng.choice(FATHERS)
        ua_town, ru_town = rng.choice(TOWNS)
        born = f"{rng.randint(2008, 2020)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        female = sex == "F"
        on_request, disclosed = k < 95, k >= 15
        if on_request:
            latin = k % 4 == 0
            requests.append(
                {
                    "id": f"R{k}",
                    "given_name": latin_given if latin else ua_given,
                    "surname": latin_surname if latin else ua_surname,
                    "patronymic": "" if latin else father[1 if female else 0],
                    "sex": sex,
                    "birth_date": born[:4] if k % 10 == 1 else born,
                    "birth_place": ua_town,
                    "mother_name": "",
                    "father_name": "",
                    "last_known_place": ua_town,
                }
            )
        if disclosed:
            errors = k % 7
            disclosures.append(
                {
                    "id": f"D{k}",
                    "given_name": ru_given,
                    "surname": "Смирнова" if errors == 3 and female else ru_surname,
                    "patronymic": father[3 if female else 2],
                    "sex": "Ж" if female else "М",
                    # a wrong year or day/month transposition on some records
                    "birth_date": (
                        f"{int(born[:4]) + 1}{born[4:]}"
                        if errors == 5
                        else born[:5] + born[8:] + born[4:7]
                        if errors == 6 and int(born[8:]) <= 12
                        else born
                    ),
                    "birth_place": f"г. {ru_town}",
                    "mother_name": "",
                    "father_name": "",
                    "current_location": "Ростов-на-Дону",
                    "institution": "",
                }
            )
        if on_request and disclosed:
            truth.add((f"R{k}", f"D{k}"))
    return requests, disclosures, truth


# --- pure helpers: no Splink needed --------------------------------------------------


def test_folding_puts_both_scripts_and_passport_latin_on_one_spelling() -> None:
    pytest.importorskip("translitua")
    pytest.importorskip("unidecode")
    assert peer.fold_name("Григоренко") == peer.fold_name("Hryhorenko") == "hryhorenko"
    assert peer.fold_name("Ковальчук") == peer.fold_name("Kovalchuk")
    assert peer.fold_name("Ковалёв") == "kovaliov"  # Russian-only letters via unidecode
    assert peer.fold_name("Анна-Марія") == "annamariia"
    assert peer.fold_name("") is None and peer.fold_name(" - ") is None
    assert peer.fold_phrase("м. Слов'янськ") == "m sloviansk"
    assert peer.fold_sex("Ж") == peer.fold_sex("F") == "f"
    assert peer.fold_sex("чоловіча") == peer.fold_sex("М") == "m"
    assert peer.fold_sex("") is None


def test_split_date_handles_partial_dates() -> None:
    assert peer.split_date("2012-03-04") == ("2012-03-04", 2012, 3, 4)
    assert peer.split_date("2012-03") == ("2012-03", 2012, 3, None)
    assert peer.split_date("2012") == ("2012", 2012, None, None)
    assert peer.split_date("") == (None, None, None, None)
    assert peer.split_date("04.03.2012") == (None, None, None, None)


def test_evaluation_helpers() -> None:
    pairs = [("a", "1", 0.99), ("b", "2", 0.9), ("c", "9", 0.8), ("d", "4", 0.4)]
    truth = {("a", "1"), ("b", "2"), ("d", "4"), ("e", "5")}
    at_half = peer.evaluate(pairs, truth, 0.5)
    assert (at_half["tp"], at_half["fp"], at_half["fn"]) == (2, 1, 2)
    assert at_half["precision"] == pytest.approx(2 / 3)
    assert at_half["recall"] == pytest.approx(0.5)
    assert at_half["f1"] == pytest.approx(2 * (2 / 3) * 0.5 / (2 / 3 + 0.5))
    assert peer.evaluate(pairs, truth, 0.95)["precision"] == 1.0
    assert peer.evaluate(pairs, truth, 1.1)["f1"] == 0.0
    threshold, f1 = peer.best_threshold(pairs, truth)
    assert threshold == 0.4 and f1 == pytest.approx(2 * 3 / (4 + 4))
    assert peer.recall_at_precision(pairs, truth, 0.99) == pytest.approx(0.5)
    assert peer.recall_at_precision(pairs, truth, 0.7) == pytest.approx(0.75)
    assert peer.best_threshold([], truth) == (1.0, 0.0)


# --- Splink end to end ---------------------------------------------------------------


Rows = tuple[list[dict[str, str]], list[dict[str, str]], set[tuple[str, str]]]


@pytest.fixture(scope="module")
def rows() -> Rows:
    pytest.importorskip("splink")
    pytest.importorskip("duckdb")
    pytest.importorskip("translitua")
    pytest.importorskip("unidecode")
    return make_rows()


@pytest.fixture(scope="module")
def in_process(rows: Rows) -> object:
    requests, disclosures, truth = rows
    return peer.run_splink(requests, disclosures, seed=1, truth=truth, min_probability=0.0)


@pytest.mark.slow
def test_run_splink_links_cross_script_rows(rows: Rows, in_process: object) -> None:
    requests, disclosures, truth = rows
    result = in_process
    assert isinstance(result, peer.SplinkResult)
    assert len(requests) + len(disclosures) >= 190

    request_ids = {row["id"] for row in requests}
    disclosed_ids = {row["id"] for row in disclosures}
    assert result.pairs and len(result.pairs) == result.blocked_pairs
    assert all(r in request_ids and d in disclosed_ids for r, d, _ in result.pairs)
    assert all(0.0 <= p <= 1.0 for _, _, p in result.pairs)
    assert result.seconds > 0 and result.peak_memory_mb > 0
    assert result.splink_version.startswith("5.")
    assert result.blocking_recall is not None and result.blocking_recall >= 0.9
    assert 0 < result.prior < 1

    at_half = peer.evaluate(result.pairs, truth, 0.5)
    threshold, best_f1 = peer.best_threshold(result.pairs, truth)
    assert at_half["f1"] >= 0.6
    assert best_f1 >= at_half["f1"] and best_f1 >= 0.8
    assert peer.evaluate(result.pairs, truth, threshold)["f1"] == pytest.approx(best_f1)


@pytest.mark.slow
def test_subprocess_variant_matches_in_process_and_reports_its_own_memory(
    rows: Rows, in_process: object
) -> None:
    requests, disclosures, truth = rows
    here = in_process
    assert isinstance(here, peer.SplinkResult)
    child = peer.run_splink_in_subprocess(requests, disclosures, seed=1, truth=truth)
    assert child.blocked_pairs == here.blocked_pairs
    assert child.true_pairs_blocked == here.true_pairs_blocked
    ours = {(r, d): p for r, d, p in here.pairs if p >= 0.01}
    theirs = {(r, d): p for r, d, p in child.pairs}
    assert ours.keys() == theirs.keys()
    assert all(theirs[key] == pytest.approx(ours[key], abs=1e-9) for key in ours)
    assert child.peak_memory_mb > child.baseline_memory_mb > 0
    # The whole process includes Splink's own set-up, training and prediction.
    assert child.process_seconds > child.seconds + child.prep_seconds > 0
