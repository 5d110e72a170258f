"""Small-cell suppression: no count 1..k-1 shown, and none recomputable from what is shown."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from reunite.figures.suppression import Grid, bridges, primary, protect, protect_together

from disclosure import determined

K = 5


def test_naive_suppression_leaks_through_the_row_total_and_protect_does_not() -> None:
    grid = Grid.of([[10, 2, 8], [7, 9, 6], [12, 11, 15]])
    naive = primary(grid, K)
    assert naive == {(0, 1)}
    # Hiding the 2 alone: the row total 20 minus 10 and 8 gives it back.
    assert determined(grid, naive) == {(0, 1)}
    hidden = protect(grid, K)
    assert (0, 1) in hidden
    assert determined(grid, hidden) == set()
    # The complements are the cheapest: one more cell in its row, its column, and the corner.
    assert len(hidden) == 4


def test_a_small_total_is_hidden_and_cannot_be_recomputed_from_its_cells() -> None:
    # Row 0 sums to 3: the total is small itself, though no cell of it is (0 is not small).
    grid = Grid.of([[0, 3, 0], [20, 0, 9], [8, 7, 30]])
    hidden = protect(grid, K)
    assert (0, 3) in hidden and (0, 1) in hidden
    assert determined(grid, hidden) == set()


def test_two_hidden_cells_in_a_line_are_not_enough_when_they_hang_on_a_bridge() -> None:
    # Every row and column with a hidden cell has two or more, yet (1, 2) joins two cycles
    # and follows from the totals: the rule "at least two per line" would leak it.
    grid = Grid.of([[9, 9, 20, 20], [9, 9, 9, 20], [20, 20, 9, 9], [20, 20, 9, 9]])
    pattern = {(0, 0), (0, 1), (1, 0), (1, 1), (2, 2), (2, 3), (3, 2), (3, 3), (1, 2)}
    assert bridges(grid, pattern) == {(1, 2)}
    assert determined(grid, pattern) == {(1, 2)}
    hidden = protect(grid, K, forced=pattern)
    assert determined(grid, hidden) == set()


def test_a_lone_small_cell_in_a_one_row_table_hides_the_grand_total_with_it() -> None:
    grid = Grid.of([[30, 1, 40]])
    hidden = protect(grid, K)
    assert determined(grid, hidden) == set()
    shown = {(r, c) for r in range(grid.height) for c in range(grid.width)} - hidden
    assert all(not 0 < grid.values[r][c] < K for r, c in shown)


def test_tables_sharing_their_totals_row_hide_the_same_totals() -> None:
    # The same children by two dimensions: the totals row (per column) is the same.
    first = Grid.of([[30, 2, 40], [25, 20, 30]])
    second = Grid.of([[50, 11, 60], [5, 11, 10]])
    assert first.values[-1] == second.values[-1]
    one, two = protect_together([first, second], K)
    assert {c for r, c in one if r == first.height - 1} == {
        c for r, c in two if r == second.height - 1
    }
    assert determined(first, one) == set() and determined(second, two) == set()


counts = st.lists(
    st.lists(st.integers(min_value=0, max_value=30), min_size=2, max_size=5),
    min_size=1,
    max_size=6,
).filter(lambda rows: len({len(row) for row in rows}) == 1)


@settings(max_examples=150, deadline=None)
@given(counts)
def test_no_small_count_is_shown_nor_recomputable(rows: list[list[int]]) -> None:
    grid = Grid.of(rows)
    hidden = protect(grid, K)
    for r in range(grid.height):
        for c in range(grid.width):
            if 0 < grid.values[r][c] < K:
                assert (r, c) in hidden
    assert determined(grid, hidden) == set()
