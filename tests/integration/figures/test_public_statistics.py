"""Public statistics from cases on both databases: a naive suppression would leak; ours does not."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from reunite.figures.public import age_band, public_statistics, to_csv
from reunite.figures.suppression import primary

from building import NOW, History, new_history
from disclosure import determined

K = 5


def _children(history: History, place: str, status: str, count: int, **request: str) -> None:
    for _ in range(count):
        history.case((status, NOW - timedelta(days=3)), opened=NOW - timedelta(days=30),
                     last_known_place=place, **request)  # fmt: skip


def test_a_small_count_is_hidden_with_cells_that_keep_it_from_being_recomputed(
    session: Session,
) -> None:
    history = new_history(session)
    # Donetsk: 10 sought, 2 found, 8 home. Hiding the 2 alone, the row total (20) gives it.
    _children(history, "Маріуполь", "tracing", 10, sex="F")
    _children(history, "Mariupol, Donetsk oblast", "located", 2, sex="F")
    _children(history, "Донецьк", "follow_up", 8, sex="F")
    _children(history, "Харків", "open", 6, sex="F")
    # A case whose personal data retention erased keeps its places as oblast codes.
    _children(history, "UA-63", "open", 1, sex="F", birth_date="2012-05")
    _children(history, "Kharkiv", "verified", 9, sex="F")
    _children(history, "Харьков", "closed", 6, sex="F")
    # The same child as another case is not counted again.
    _children(history, "Харків", "duplicate", 3, sex="F")
    statistics = public_statistics(session, k=K)
    oblasts = statistics.table("oblast")
    codes = [row.code for row in oblasts.rows]
    donetsk, kharkiv = codes.index("UA-14"), codes.index("UA-63")
    values = oblasts.grid.values
    assert values[donetsk][:5] == (10, 2, 8, 0, 20)
    assert values[kharkiv][:5] == (7, 9, 6, 0, 22)
    assert values[-1] == (17, 11, 14, 0, 42)
    assert primary(oblasts.grid, K) == {(donetsk, 1)}
    assert determined(oblasts.grid, {(donetsk, 1)}) == {(donetsk, 1)}  # the naive leak
    assert oblasts.cell(donetsk, 1) is None
    assert determined(oblasts.grid, oblasts.hidden) == set()
    for table in statistics.tables:
        for r in range(table.grid.height):
            for c in range(table.grid.width):
                shown = table.cell(r, c)
                assert shown is None or not 0 < shown < K, (table.dimension.key, r, c)
        assert determined(table.grid, table.hidden) == set()
    # The totals row is the same in every table, and hidden alike in each.
    hidden_totals = {
        frozenset(c for r, c in table.hidden if r == table.grid.height - 1)
        for table in statistics.tables
    }
    assert len(hidden_totals) == 1
    sheet = to_csv(oblasts).splitlines()
    assert sheet[1].split(",")[:2] == ["#adm1+origin+code", "#adm1+origin+name"]
    row = next(line for line in sheet if line.startswith("UA-14,"))
    assert row.split(",")[3] == ""  # the hidden count is an empty cell


def test_age_bands_at_separation_follow_partial_dates() -> None:
    assert age_band("2015-03-01", "2022-03-15").value == "5-11"
    assert age_band("2010", "2022-03").value == "unknown"  # 11 or 12: two bands
    assert age_band("2008-01-01", "2022-06-01").value == "12-14"
    assert age_band("2005-05-05", "2024-01-01").value == "18+"
    assert age_band("", "2024-01-01").value == "unknown"
