"""Small-cell suppression with complementary cells, for tables published to anyone.

A count from 1 to k−1 could point at one child: it is hidden (primary suppression). Hiding
it alone is not enough, as the row and column totals are published: one hidden cell in a row
is the row total minus the others (OCHA Centre for Humanitarian Data, statistical disclosure
control: "small cells are suppressed together with complementary cells"). So more cells are
hidden until no hidden cell can be recomputed from the published ones.

The table is taken with its margins: rows × columns of counts, a total column, a total row,
and the grand total, all of them cells that may be hidden. Each row and each column states
one sum. Seen as a bipartite graph (a node per row and per column, an edge per hidden cell),
a hidden cell's value follows from the published ones exactly when its edge is a *bridge*:
when it lies on no cycle of hidden cells (along a cycle, adding and taking away the same
amount in turn changes no sum). So the rule is: no hidden cell is a bridge. Each bridge is
put on a cycle by hiding the cheapest path of further cells between its two ends (smallest
counts first, a zero or a total only when nothing else will do), until none is left. Where
the cycle's other cells are not zero, a hidden count can still move both ways: a reader
learns at most a range that includes 0.

Tables that share cells (every public table here has the same totals row: the status groups
and their grand total) are suppressed together: a total hidden in one is hidden in all,
else the other table would give it away.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass

Cell = tuple[int, int]


@dataclass(frozen=True)
class Grid:
    """A table with its margins: `values[r][c]`; the last row and column are the totals."""

    values: tuple[tuple[int, ...], ...]

    @classmethod
    def of(cls, counts: Sequence[Sequence[int]]) -> Grid:
        """Return the table of these counts with its row, column and grand totals added."""
        width = len(counts[0]) if counts else 0
        rows = [(*row, sum(row)) for row in counts]
        totals = tuple(sum(row[c] for row in rows) for c in range(width + 1))
        return cls(values=(*[tuple(row) for row in rows], totals))

    @property
    def height(self) -> int:
        """Return the number of rows, the totals row included."""
        return len(self.values)

    @property
    def width(self) -> int:
        """Return the number of columns, the totals column included."""
        return len(self.values[0]) if self.values else 0

    def total_row(self) -> set[Cell]:
        """Return the cells of the totals row."""
        return {(self.height - 1, c) for c in range(self.width)}


def is_small(value: int, k: int) -> bool:
    """Tell whether a count could point at a few children: 1 to k−1."""
    return 0 < value < k


def primary(grid: Grid, k: int) -> set[Cell]:
    """Return the cells hidden for themselves: counts from 1 to k−1, totals included."""
    return {
        (r, c)
        for r in range(grid.height)
        for c in range(grid.width)
        if is_small(grid.values[r][c], k)
    }


def bridges(grid: Grid, hidden: set[Cell]) -> set[Cell]:
    """Return the hidden cells whose value follows from the published ones (bridge edges)."""
    # Nodes: rows 0..h-1, columns h..h+w-1. Tarjan's bridge search, iteratively.
    h = grid.height
    adjacency: dict[int, list[tuple[int, Cell]]] = {}
    for r, c in hidden:
        adjacency.setdefault(r, []).append((h + c, (r, c)))
        adjacency.setdefault(h + c, []).append((r, (r, c)))
    order: dict[int, int] = {}
    low: dict[int, int] = {}
    found: set[Cell] = set()
    counter = 0
    for root in adjacency:
        if root in order:
            continue
        order[root] = low[root] = counter
        counter += 1
        stack: list[tuple[int, Cell | None, int]] = [(root, None, 0)]
        while stack:
            node, via, index = stack[-1]
            edges = adjacency[node]
            if index < len(edges):
                stack[-1] = (node, via, index + 1)
                neighbour, edge = edges[index]
                if edge == via:
                    continue
                if neighbour in order:
                    low[node] = min(low[node], order[neighbour])
                else:
                    order[neighbour] = low[neighbour] = counter
                    counter += 1
                    stack.append((neighbour, edge, 0))
            else:
                stack.pop()
                if stack and via is not None:
                    parent = stack[-1][0]
                    low[parent] = min(low[parent], low[node])
                    if low[node] > order[parent]:
                        found.add(via)
    return found


def _cost(grid: Grid, cell: Cell) -> int:
    r, c = cell
    value = grid.values[r][c]
    grand = grid.values[-1][-1]
    # Hide the smallest counts; a zero (it narrows what a reader can infer) or a total (it is
    # the figure people most need) only when no path avoids them.
    penalty = 0
    if value == 0:
        penalty += 2 * (grand + 1)
    if r == grid.height - 1 or c == grid.width - 1:
        penalty += grand + 1
    return value + penalty


def _cheapest_path(grid: Grid, hidden: set[Cell], bridge: Cell) -> list[Cell]:
    """Return the cells to hide that close a cycle through `bridge` (the cheapest path)."""
    h = grid.height
    start, goal = bridge[0], h + bridge[1]
    best: dict[int, int] = {start: 0}
    came: dict[int, tuple[int, Cell]] = {}
    queue: list[tuple[int, int]] = [(0, start)]
    while queue:
        cost, node = heapq.heappop(queue)
        if node == goal:
            break
        if cost > best.get(node, cost):
            continue
        if node < h:
            steps = [((node, c), h + c) for c in range(grid.width)]
        else:
            steps = [((r, node - h), r) for r in range(grid.height)]
        for cell, neighbour in steps:
            if cell == bridge:
                continue
            price = cost + (0 if cell in hidden else _cost(grid, cell))
            if price < best.get(neighbour, price + 1):
                best[neighbour] = price
                came[neighbour] = (node, cell)
                heapq.heappush(queue, (price, neighbour))
    path: list[Cell] = []
    node = goal
    while node != start:
        node, cell = came[node]
        path.append(cell)
    return [cell for cell in path if cell not in hidden]


def protect(grid: Grid, k: int, *, forced: set[Cell] | None = None) -> set[Cell]:
    """Return every cell to hide: the small counts, `forced` ones, and their complements."""
    hidden = primary(grid, k) | (forced or set())
    if grid.height < 2 or grid.width < 2:
        return hidden
    while True:
        open_bridges = bridges(grid, hidden)
        if not open_bridges:
            return hidden
        bridge = min(open_bridges)  # one at a time: a path may close several at once
        hidden |= set(_cheapest_path(grid, hidden, bridge))


def protect_together(grids: Sequence[Grid], k: int) -> list[set[Cell]]:
    """Suppress tables that share their totals row, hiding a shared cell in all or in none."""
    forced: set[int] = set()  # columns of the shared totals row hidden somewhere
    while True:
        hidden = [protect(grid, k, forced={(grid.height - 1, c) for c in forced}) for grid in grids]
        now = {c for grid, cells in zip(grids, hidden, strict=True) for r, c in cells
               if r == grid.height - 1}  # fmt: skip
        if now <= forced:
            return hidden
        forced |= now
