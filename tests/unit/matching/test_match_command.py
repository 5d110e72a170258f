"""`reunite match` on two files: the output contract, and quality on generated data."""

from __future__ import annotations

import csv
from collections import Counter
from datetime import date
from pathlib import Path

from typer.testing import CliRunner

from reunite.cli import app
from reunite.demo.generator import generate_scenario, write_csv
from reunite.matching import EngineDecision

runner = CliRunner()


def _scenario(folder: Path) -> tuple[Path, Path, set[tuple[str, str]]]:
    scenario = generate_scenario(
        seed=404, n_children=600, n_requests=500, n_disclosures=600, today=date(2026, 11, 25)
    )
    requests, disclosed = folder / "requests.csv", folder / "disclosed.csv"
    write_csv(scenario.requests, requests)
    write_csv(scenario.disclosures, disclosed)
    return requests, disclosed, set(scenario.links)


def test_match_writes_the_agreed_columns_and_meets_the_quality_floor(tmp_path: Path) -> None:
    requests, disclosed, truth = _scenario(tmp_path)
    out = tmp_path / "pairs.csv"

    result = runner.invoke(app, ["match", str(requests), str(disclosed), "--out", str(out)])

    assert result.exit_code == 0, result.output
    assert "requests 500, disclosed 600" in result.output
    with out.open(encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == [
            "request_id",
            "disclosed_id",
            "probability",
            "decision",
            "explanation",
        ]
        rows = list(reader)
    # The demo has siblings and twins: some pairs are shown as "related", never as "match".
    assert {r["decision"] for r in rows} == set(EngineDecision)
    matches = [r for r in rows if r["decision"] == "match"]
    assert all(float(r["probability"]) >= 0.5 for r in matches)
    assert max(Counter(r["request_id"] for r in matches).values()) == 1
    others = Counter(r["request_id"] for r in rows if r["decision"] != "match")
    assert max(others.values()) <= 5
    decided = Counter(r["decision"] for r in rows)
    assert ", ".join(f"{d} {decided[d]:,}" for d in EngineDecision) in result.output
    assert all(r["explanation"].startswith("vs ") and "=" in r["explanation"] for r in rows)
    found = {(r["request_id"], r["disclosed_id"]) for r in matches}
    precision = len(found & truth) / len(found)
    recall = len(found & truth) / len(truth)
    assert precision >= 0.97 and recall >= 0.9, (precision, recall)


def test_a_higher_threshold_gives_fewer_best_guesses(tmp_path: Path) -> None:
    requests, disclosed, _ = _scenario(tmp_path)
    counts = []
    for threshold in ("0.5", "0.999"):
        out = tmp_path / f"pairs-{threshold}.csv"
        result = runner.invoke(
            app,
            ["match", str(requests), str(disclosed), "--out", str(out), "--threshold", threshold],
        )
        assert result.exit_code == 0
        with out.open(encoding="utf-8") as handle:
            counts.append(sum(1 for r in csv.DictReader(handle) if r["decision"] == "match"))
    assert counts[1] < counts[0]


def test_bad_threshold_and_bad_file_are_clear_errors(tmp_path: Path) -> None:
    requests, disclosed, _ = _scenario(tmp_path)
    out = tmp_path / "pairs.csv"
    wrong = runner.invoke(
        app, ["match", str(requests), str(disclosed), "--out", str(out), "--threshold", "2"]
    )
    assert wrong.exit_code != 0 and "between 0 and 1" in wrong.output
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    refused = runner.invoke(app, ["match", str(empty), str(disclosed), "--out", str(out)])
    assert refused.exit_code == 2 and "empty.csv: the file is empty" in refused.output


def test_rows_that_fail_validation_are_skipped_and_named(tmp_path: Path) -> None:
    _, disclosed, _ = _scenario(tmp_path)
    requests = tmp_path / "few.csv"
    requests.write_text(
        "id,surname,given_name,birth_date\nUA-1,Лисенко,Олександр,31.02.2014\n"
        "UA-2,Коваль,Ганна,2015\n",
        encoding="utf-8",
    )
    out = tmp_path / "pairs.csv"
    result = runner.invoke(app, ["match", str(requests), str(disclosed), "--out", str(out)])
    assert result.exit_code == 0
    assert "skipped few.csv:2: birth_date:" in result.output
    assert "requests 1, disclosed 600, skipped rows 1" in result.output


def test_a_mistake_in_a_field_matching_does_not_use_does_not_hide_a_child(
    tmp_path: Path,
) -> None:
    _, disclosed, _ = _scenario(tmp_path)
    requests = tmp_path / "requests.csv"
    requests.write_text(
        "id,surname,given_name,birth_date,separation_date,notes\n"
        "UA-1,Лисенко,Олександр,2014-03-12,31.02.2022,тато шукає\n",
        encoding="utf-8",
    )
    out = tmp_path / "pairs.csv"
    result = runner.invoke(app, ["match", str(requests), str(disclosed), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "requests 1, disclosed 600, skipped rows 0" in result.output
    assert "separation_date" not in result.output
