"""A large list is read and cleaned in a worker process: the same answers as in-process."""

from __future__ import annotations

import csv
from collections.abc import Callable, Generator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from reunite.errors import FileRejected
from reunite.exchange import preparing
from reunite.exchange.service import import_list
from reunite.records.models import Record, RecordVersion

from factories import KOVAL, LYSENKO, REQUEST_HEADER, SHEVCHUK, make_party, write_csv

# Enough rows for several chunks, with bad rows spread through them.
ROWS = 2_600
BAD_EVERY = 997


def _rows() -> list[list[str]]:
    rows = []
    for number in range(ROWS):
        base = (LYSENKO, KOVAL, SHEVCHUK)[number % 3]
        row = [f"UA-{number}", *base[1:]]
        if number % BAD_EVERY == 5:
            row[5] = "31.02.2015"  # no such date: a row error
        rows.append(row)
    return rows


@pytest.fixture
def worker_calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the lists prepared by a worker process."""
    calls: list[int] = []
    received: Callable[..., Generator[Any, None, None]] = preparing._received

    def counting(*args: Any) -> Generator[Any, None, None]:
        calls.append(1)
        return received(*args)

    monkeypatch.setattr(preparing, "_received", counting)
    return calls


def _stored(session: Session) -> list[tuple[Any, ...]]:
    rows = session.execute(
        select(
            Record.external_id,
            Record.surname,
            Record.given_name,
            Record.birth_date,
            Record.search_key,
            RecordVersion.row_number,
            RecordVersion.original,
        )
        .join(RecordVersion, RecordVersion.record_id == Record.id)
        .order_by(RecordVersion.row_number)
    )
    return [tuple(row) for row in rows]


def _import_both_ways(
    session: Session, path: Path, monkeypatch: pytest.MonkeyPatch, **options: Any
) -> list[tuple[Any, ...]]:
    outcomes = []
    for threshold in (1 << 40, 0):  # in this process, then in a worker
        monkeypatch.setattr(preparing, "WORKER_MIN_BYTES", threshold)
        savepoint = session.begin_nested()
        party = make_party(session, name=f"Ukraine {threshold}")
        try:
            report = import_list(session, path=path, party=party, kind="requests", **options)
            outcome: tuple[Any, ...] = (
                report.added,
                report.rejected,
                report.errors,
                _stored(session),
            )
        except FileRejected as exc:
            outcome = ("rejected", exc.detail, exc.problems)
        savepoint.rollback()
        outcomes.append(outcome)
    return outcomes


def test_a_refused_list_gives_the_same_errors_in_order(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, worker_calls: list[int]
) -> None:
    path = write_csv(tmp_path, "large.csv", REQUEST_HEADER, _rows())
    here, worker = _import_both_ways(session, path, monkeypatch)
    assert worker_calls == [1]
    assert here[0] == "rejected" and here == worker
    assert [p.split(":")[1] for p in here[2]] == ["7", "1004", "2001"]


def test_accepted_rows_are_stored_the_same(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, worker_calls: list[int]
) -> None:
    path = write_csv(tmp_path, "large.csv", REQUEST_HEADER, _rows())
    rejects = tmp_path / "rejects.csv"
    here, worker = _import_both_ways(
        session, path, monkeypatch, accept_valid=True, rejects_path=rejects
    )
    assert worker_calls == [1]
    assert here == worker
    assert (here[0], here[1]) == (ROWS - 3, 3)
    with rejects.open(encoding="utf-8") as handle:
        assert len(list(csv.reader(handle))) == 1 + 3
