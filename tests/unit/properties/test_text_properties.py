"""Name normalisation (`reunite.matching.text`) on any text: no crash, a fixed point where promised.

What is promised: a cleaned text or name cleans to itself (a list imported twice, a search
typed from a stored name); the look-alike repair is idempotent (its own comment); a name
already in normal case stays as it is; the full-name splitter returns cleaned parts that
were in the name. tests/unit/records/test_cleaning.py holds the properties of cleaning on
names built from name-like letters; these add any Unicode text, and text mixing the two
scripts, marks, apostrophes, dashes and invisible characters on purpose.
"""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from reunite.matching.text import (
    clean_name,
    clean_text,
    has_letters,
    is_known_given,
    normalise_case,
    repair_lookalikes,
    script_of,
    split_full_name,
    title,
)

PROPERTIES = settings(max_examples=400, deadline=None, database=None)

# The characters names go wrong with: both scripts and their look-alikes, combining marks
# (stress, diaeresis, breve), every apostrophe and dash, invisible and control characters.
TRICKY = (
    "АаВЕеІіКМНОоРрСсТуХхЇїЙйЁёҐґЄєЩщЬьЪъЫыЭэЮюЯя"
    "AaBEeIiKMHOoPpCcTyXxJjQqWwZzßŉİıǅǈ"
    "\u0301\u0308\u0306\u0300"
    "'ʼ’‘`´ʹ′"
    "-‐‑‒–—―−"
    " \t\n\u00a0\u200b\u200d\ufeff\u00ad\x00\x07"
)
tricky_text = st.text(alphabet=st.sampled_from(TRICKY), max_size=24)
any_text = st.one_of(st.text(max_size=40), tricky_text)


@PROPERTIES
@given(any_text)
def test_no_text_rule_crashes_on_any_text(value: str) -> None:
    for rule in (clean_text, clean_name, normalise_case, title, repair_lookalikes):
        assert isinstance(rule(value), str)
    assert isinstance(has_letters(value), bool)
    assert script_of(value) in ("cyrillic", "latin", "mixed", "none")
    assert isinstance(is_known_given(value), bool)


@PROPERTIES
@given(any_text)
def test_cleaning_is_a_fixed_point(value: str) -> None:
    text = clean_text(value)
    assert clean_text(text) == text
    name = clean_name(value)
    assert clean_name(name) == name
    assert clean_text(name) == name  # a clean name is clean text


@PROPERTIES
@given(any_text)
def test_the_look_alike_repair_is_idempotent(value: str) -> None:
    once = repair_lookalikes(value)
    assert repair_lookalikes(once) == once


@PROPERTIES
@given(any_text)
def test_a_name_in_normal_case_stays_as_it_is(value: str) -> None:
    name = clean_name(value)
    # Up to canonical equivalence: lowering «İ» gives «i» and a combining dot, which
    # clean_name composes again after the case change (its own comment).
    assert unicodedata.normalize("NFC", normalise_case(name)) == name


@PROPERTIES
@given(any_text)
def test_the_splitter_returns_clean_parts_of_the_name(value: str) -> None:
    parts = split_full_name(value)
    assert len(parts) == 3
    cleaned = clean_name(value).casefold()
    for part in parts:
        # Clean text; not always clean_name's fixed point on its own, since look-alike
        # letters are repaired in the context of the whole name (a Latin «k» among Latin
        # words stays Latin, alone beside «ђ» it would not).
        assert clean_text(part) == part
        for word in part.casefold().split():
            assert word in cleaned, (word, cleaned)
