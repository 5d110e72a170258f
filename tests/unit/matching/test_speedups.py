"""What makes file-to-file matching fast must not change a single answer."""

from __future__ import annotations

import gc
import random
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reunite.demo.generator import generate_scenario, write_csv
from reunite.exchange.match_files import load_lists, read_people
from reunite.matching import Matcher, Person, Prepared, comparisons, disk_cache, prepare
from reunite.matching.dates import compare_birth_dates, compare_date_facts, date_facts
from reunite.matching.disk_cache import cached
from reunite.matching.places import compare_place_keys, compare_places, place_key


@pytest.fixture(scope="module")
def lists(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("lists")
    scenario = generate_scenario(
        seed=77, n_children=900, n_requests=800, n_disclosures=900, today=date(2026, 11, 25)
    )
    requests, disclosed = folder / "requests.csv", folder / "disclosed.csv"
    write_csv(scenario.requests, requests)
    write_csv(scenario.disclosures, disclosed)
    return requests, disclosed


def _answers(matcher: Matcher, requests: Sequence[Person | Prepared]) -> list[tuple[str, ...]]:
    result = matcher.match(requests, estimate_model=True)
    return sorted(
        (c.request_id, c.disclosed_id, f"{c.probability:.9f}", c.decision)
        for c in result.candidates
    )


def test_reading_side_by_side_gives_what_reading_in_turn_gives(
    lists: tuple[Path, Path],
) -> None:
    requests, disclosed = lists
    parallel, sequential = Matcher(), Matcher()

    both = load_lists(requests, disclosed, parallel, parallel=True)
    turn = load_lists(requests, disclosed, sequential, parallel=False)

    assert [r.person for r in both.requests] == [r.person for r in turn.requests]
    assert both.disclosed == turn.disclosed == len(parallel) == len(sequential)
    assert both.problems == turn.problems
    assert _answers(parallel, both.requests) == _answers(sequential, turn.requests)


def test_the_requests_file_error_is_reported_first(
    tmp_path: Path, lists: tuple[Path, Path]
) -> None:
    broken_requests = tmp_path / "requests.csv"
    broken_requests.write_bytes(b"")
    broken_disclosed = tmp_path / "disclosed.csv"
    broken_disclosed.write_text("nothing useful\n", encoding="utf-8")
    for parallel in (True, False):
        with pytest.raises(Exception, match="requests.csv"):
            load_lists(broken_requests, broken_disclosed, Matcher(), parallel=parallel)
        with pytest.raises(Exception, match="disclosed.csv"):
            load_lists(lists[0], broken_disclosed, Matcher(), parallel=parallel)


def test_the_order_of_requests_does_not_change_any_answer(lists: tuple[Path, Path]) -> None:
    requests, disclosed = lists
    people, _ = read_people(requests)
    records, _ = read_people(disclosed)
    shuffled = list(people)
    random.Random(3).shuffle(shuffled)
    first, second = Matcher(), Matcher()
    first.index(records)
    second.index(records)
    assert _answers(first, people) == _answers(second, shuffled)


def test_memoised_comparisons_equal_fresh_ones_and_memos_stay_bounded(
    lists: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    people, _ = read_people(lists[0])
    records, _ = read_people(lists[1])
    pairs = [(prepare(a), prepare(b)) for a, b in zip(people[:300], records[:300], strict=True)]
    pairs += [(a, b) for (a, _), (_, b) in zip(pairs, pairs[1:], strict=False)]
    monkeypatch.setattr(comparisons, "_MEMO_LIMIT", 50)
    for memo in (comparisons._given_memo, comparisons._surname_memo, comparisons._father_memo):
        memo.clear()
    first = [comparisons.compare(a, b) for a, b in pairs]
    again = [comparisons.compare(a, b) for a, b in pairs]
    assert first == again
    assert len(comparisons._given_memo) <= 50
    assert len(comparisons._surname_memo) <= 50
    comparisons._given_memo.clear()
    comparisons._surname_memo.clear()
    comparisons._father_memo.clear()
    assert [comparisons.compare(a, b) for a, b in pairs] == first


@given(
    st.dates(date(1990, 1, 1), date(2025, 12, 31)),
    st.dates(date(1990, 1, 1), date(2025, 12, 31)),
    st.sampled_from([10, 7, 4]),
    st.sampled_from([10, 7, 4]),
)
def test_dates_compare_alike_by_text_and_by_facts(
    a: date, b: date, width_a: int, width_b: int
) -> None:
    left, right = a.isoformat()[:width_a], b.isoformat()[:width_b]
    assert compare_date_facts(date_facts(left), date_facts(right)) == compare_birth_dates(
        left, right
    )


def test_spellings_of_one_place_share_one_key_and_compare_alike() -> None:
    spellings = ["Маріуполь", "м. Маріуполь", "г. Мариуполь", "Mariupol", "m. Mariupol"]
    assert len({place_key(text) for text in spellings}) == 1
    others = ["Бахмут", "Артёмовск", "Кировоград", "Донецька обл.", "", "Лондон"]
    for a in spellings + others:
        for b in spellings + others:
            assert compare_place_keys(place_key(a), place_key(b)) == compare_places(a, b)


def test_a_cached_table_is_built_once_and_again_when_its_sources_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(disk_cache, "_folder", tmp_path / "cache")
    source = tmp_path / "table_source.py"
    source.write_text("version 1", encoding="utf-8")
    builds: list[int] = []

    def build() -> dict[str, int]:
        builds.append(1)
        return {"built": len(builds)}

    assert cached("table", [source], build) == {"built": 1}
    assert cached("table", [source], build) == {"built": 1}
    assert len(builds) == 1
    source.write_text("version 2", encoding="utf-8")
    assert cached("table", [source], build) == {"built": 2}
    assert len(list((tmp_path / "cache").glob("table-*.pickle"))) == 1  # the stale one went


def test_a_damaged_or_unwritable_cache_only_costs_a_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "cache"
    monkeypatch.setattr(disk_cache, "_folder", folder)
    source = tmp_path / "source.py"
    source.write_text("x", encoding="utf-8")
    assert cached("table", [source], lambda: [1, 2, 3]) == [1, 2, 3]
    (stored,) = folder.glob("table-*.pickle")
    stored.write_bytes(b"not a pickle")
    assert cached("table", [source], lambda: [4]) == [4]
    blocked = tmp_path / "a-file"
    blocked.write_text("", encoding="utf-8")
    monkeypatch.setattr(disk_cache, "_folder", blocked / "below")
    assert cached("table", [source], lambda: [5]) == [5]


def test_the_match_command_leaves_the_collector_as_it_found_it(
    tmp_path: Path, lists: tuple[Path, Path]
) -> None:
    from typer.testing import CliRunner

    from reunite.cli import app

    assert gc.isenabled()
    result = CliRunner().invoke(
        app, ["match", str(lists[0]), str(lists[1]), "--out", str(tmp_path / "pairs.csv")]
    )
    assert result.exit_code == 0, result.output
    assert "reading and indexing" in result.output and "matching" in result.output
    assert gc.isenabled()
