"""The engine's best guess: which disclosed record is which sought child.

Several requests may seek the same child (a mother in Cyrillic, a grandmother in Latin) and
may all point to one record; two different children may not share one record. Requests that
point to the same record must therefore describe the same child themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Scored:
    """One candidate pair with its probability."""

    request: int
    disclosed: int
    probability: float


def assign(
    pairs: Sequence[Scored],
    *,
    threshold: float,
    same_child: Callable[[int, int], bool],
) -> set[tuple[int, int]]:
    """Pick at most one record per request, best first, keeping records to one child.

    `same_child(r1, r2)` tells whether two requests could seek the same child.
    """
    chosen: set[tuple[int, int]] = set()
    request_done: set[int] = set()
    holders: dict[int, list[int]] = {}
    for pair in sorted(pairs, key=lambda p: -p.probability):
        if pair.probability < threshold:
            break
        if pair.request in request_done:
            continue
        already = holders.get(pair.disclosed, [])
        if all(same_child(pair.request, other) for other in already):
            chosen.add((pair.request, pair.disclosed))
            request_done.add(pair.request)
            holders.setdefault(pair.disclosed, []).append(pair.request)
    return chosen
