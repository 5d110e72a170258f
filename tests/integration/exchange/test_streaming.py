"""Large lists are streamed: memory does not grow with the number of rows."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

from sqlalchemy.orm import Session

from reunite.exchange.service import import_list

from factories import REQUEST_HEADER, make_party, write_csv


def _rows(count: int, start: int) -> list[list[str]]:
    return [
        [
            f"UA-{start + i}",
            f"Лисенко{i % 97}",
            "Олександр",
            "Миколайович",
            "ч",
            f"{2005 + i % 17}-0{1 + i % 9}-1{i % 9}",
            "Маріуполь",
            "Лисенко Ольга",
            "",
        ]
        for i in range(count)
    ]


def _peak_bytes(session: Session, path: Path, party_name: str) -> int:
    party = make_party(session, party_name)
    tracemalloc.start()
    try:
        report = import_list(session, path=path, party=party, kind="requests")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert report.stored
    return peak


def test_memory_stays_flat_as_lists_grow(session: Session, tmp_path: Path) -> None:
    small = write_csv(tmp_path, "small.csv", REQUEST_HEADER, _rows(2_500, 0))
    large = write_csv(tmp_path, "large.csv", REQUEST_HEADER, _rows(10_000, 100_000))

    small_peak = _peak_bytes(session, small, "A")
    large_peak = _peak_bytes(session, large, "B")

    # Four times the rows may not cost anywhere near four times the memory.
    assert large_peak < 1.5 * small_peak, (small_peak, large_peak)
