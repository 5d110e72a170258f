"""What every part of the names package shares: the empty set, cache sizes, scripts."""

from __future__ import annotations

from functools import lru_cache
from typing import Final

from reunite.matching.text import script_of

EMPTY: Final[frozenset[str]] = frozenset()

# Per-string results are memoised with lru_cache of this size.
CACHE_SIZE: Final = 1 << 18


@lru_cache(maxsize=CACHE_SIZE)
def detect_script(text: str) -> str:
    """Tell whether the letters of a text are "cyrillic", "latin", "mixed" or "none"."""
    # The same rule as when lists are cleaned: one definition of a script's letters.
    return script_of(text)
