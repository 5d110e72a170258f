"""Verdicts on two names: same, diminutive, similar or different."""

from __future__ import annotations

from functools import lru_cache
from typing import Final

from rapidfuzz.distance import JaroWinkler

from reunite.matching.names._common import CACHE_SIZE as _CACHE_SIZE
from reunite.matching.names._fold import fold
from reunite.matching.names._given import given as _given
from reunite.matching.names._surnames import surname_family as _surname_family
from reunite.matching.names._surnames import surname_keys

# Thresholds of the relations (Jaro-Winkler on folded strings).
SIMILAR_GIVEN: Final = 0.88
SIMILAR_SURNAME: Final = 0.9


def name_similarity(a: str, b: str) -> float:
    """Score two names by Jaro-Winkler similarity of their folds, from 0 to 1."""
    fa, fb = fold(a), fold(b)
    if not fa or not fb:
        return 0.0
    return float(JaroWinkler.similarity(fa, fb))


def _sex_pair(a: str, b: str) -> bool:
    """Tell whether two folded names are a masculine/feminine pair (Іван/Іванна)."""
    short, long = sorted((a, b), key=len)
    return long in (short + "a", short + "ia")


@lru_cache(maxsize=_CACHE_SIZE)
def given_name_relation(a: str, b: str) -> str:
    """Classify two given names as same, diminutive, similar, different or missing."""
    ga, gb = _given(a), _given(b)
    if not ga.key or not gb.key:
        return "missing"
    if ga.key == gb.key:
        return "same"
    if "u" not in (ga.sex, gb.sex) and ga.sex != gb.sex:
        return "different"
    if ga.full & gb.full:
        return "same"
    if (ga.full | ga.dims) & (gb.full | gb.dims):
        return "diminutive"
    if _sex_pair(ga.key, gb.key):
        return "different"
    if JaroWinkler.similarity(ga.key, gb.key) >= SIMILAR_GIVEN:
        return "similar"
    return "different"


@lru_cache(maxsize=_CACHE_SIZE)
def surname_relation(a: str, b: str) -> str:
    """Classify two surnames as same, similar, different or missing."""
    ka, kb = surname_keys(a), surname_keys(b)
    if not ka or not kb:
        return "missing"
    if ka & kb:
        return "same"
    # Similar when some pair of keys is close and does not differ in a
    # productive suffix (symmetric in a and b by construction).
    for x in ka:
        for y in kb:
            if JaroWinkler.similarity(x, y) >= SIMILAR_SURNAME:
                family_x, family_y = _surname_family(x), _surname_family(y)
                if not (family_x and family_y and family_x != family_y):
                    return "similar"
    return "different"
