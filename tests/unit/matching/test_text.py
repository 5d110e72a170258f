"""The text rules shared by the import and the matcher (reunite.matching.text)."""

from __future__ import annotations

import pytest

from reunite.matching import names, places, text
from reunite.matching.text import _given
from reunite.records.columns import canonical_column


def test_split_full_name_without_the_dictionary(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing() -> frozenset[str]:
        raise ImportError("names_translator is not installed")

    monkeypatch.setattr(_given, "_load_dictionary_given_names", missing)
    _given.known_given_names.cache_clear()
    try:
        assert text.split_full_name("LYSENKO OLEKSANDR") == ("Lysenko", "Oleksandr", "")
        assert text.split_full_name("Олександр Лисенко") == ("Лисенко", "Олександр", "")
        # Unknown to the built-in list: the default order applies.
        assert text.split_full_name("LYSENKO HORDII") == ("Hordii", "Lysenko", "")
    finally:
        _given.known_given_names.cache_clear()


def test_a_place_typed_with_a_latin_h_for_cyrillic_n_is_read_like_a_name() -> None:
    # Places repaired look-alike letters with their own shorter list, which lacked the
    # lower-case pairs (h/н, b/в, k/к, m/м, t/т): «hова каховка» (a Latin h, lowered after
    # being typed as «HОВА») was an unknown place. One repair for names and places.
    assert places.place_ids("hова каховка") == places.place_ids("Нова Каховка")
    assert places.place_ids("Нова Каховка") == {"UA-65/nova-kakhovka"}


@pytest.mark.parametrize("apostrophe", list(text.APOSTROPHES))
def test_every_apostrophe_joins_a_word_in_names_headers_and_places(apostrophe: str) -> None:
    assert text.clean_name(f"Лук{apostrophe}яненко") == "Лукʼяненко"
    assert canonical_column(f"Ім{apostrophe}я") == "given_name"
    assert places.place_ids(f"Слов{apostrophe}янськ") == {"UA-14/sloviansk"}
    assert names.fold(f"Лук{apostrophe}яненко") == names.fold("Лук'яненко")


@pytest.mark.parametrize("dash", list(text.DASHES))
def test_every_dash_is_a_hyphen_in_names_and_a_separator_in_headers(dash: str) -> None:
    assert text.clean_name(f"Лисенко{dash}Петренко") == "Лисенко-Петренко"
    assert canonical_column(f"ім{dash}я") == canonical_column("ім я")
    assert names.fold(f"Лисенко{dash}Петренко") == "lisenko petrenko"
