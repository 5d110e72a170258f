"""Reunite's matching engine: a plain library (no web, no database) usable anywhere.

It compares tracing requests (Ukrainian Cyrillic or Latin) with disclosed records (Russian
Cyrillic, Russified names, changed surnames, clerical date errors), proposes candidates with
a calibrated probability and a per-field explanation, and never confirms anything itself.
"""

from reunite.matching.comparisons import FIELDS, LEVELS, compare, describe
from reunite.matching.engine import (
    DEFAULT_THRESHOLD,
    Candidate,
    EngineDecision,
    Matcher,
    MatchResult,
    same_child,
)
from reunite.matching.person import Person, Prepared, prepare
from reunite.matching.scoring import Model, estimate

__all__ = [
    "DEFAULT_THRESHOLD",
    "FIELDS",
    "LEVELS",
    "Candidate",
    "EngineDecision",
    "MatchResult",
    "Matcher",
    "Model",
    "Person",
    "Prepared",
    "compare",
    "describe",
    "estimate",
    "prepare",
    "same_child",
]
