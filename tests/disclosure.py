"""An independent check of small-cell suppression: which hidden cells can a reader solve for."""

from __future__ import annotations

import numpy as np

from reunite.figures.suppression import Grid


def determined(grid: Grid, hidden: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """Return hidden cells a reader can solve for exactly from the published cells (algebra).

    Independent of the graph argument the module uses: each row and column of the table with
    its margins is one linear equation; a hidden cell is determined when its unit vector lies
    in the row space of those equations restricted to the hidden cells.
    """
    cells = sorted(hidden)
    if not cells:
        return set()
    index = {cell: i for i, cell in enumerate(cells)}
    h, w = grid.height, grid.width
    equations = []
    for r in range(h):  # interior cells of the row minus its total
        row = np.zeros(len(cells))
        for c in range(w):
            if (r, c) in index:
                row[index[(r, c)]] = -1.0 if c == w - 1 else 1.0
        equations.append(row)
    for c in range(w):
        column = np.zeros(len(cells))
        for r in range(h):
            if (r, c) in index:
                column[index[(r, c)]] = -1.0 if r == h - 1 else 1.0
        equations.append(column)
    matrix = np.array(equations)
    rank = np.linalg.matrix_rank(matrix)
    found = set()
    for cell, i in index.items():
        unit = np.zeros(len(cells))
        unit[i] = 1.0
        if np.linalg.matrix_rank(np.vstack([matrix, unit])) == rank:
            found.add(cell)
    return found
