"""The text rules shared by the import and the matcher (reunite.matching.text)."""

from __future__ import annotations

import pytest

from reunite.matching import text
from reunite.matching.text import _given


def test_split_full_name_without_the_dictionary(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing() -> set[str]:
        raise ImportError("names_translator is not installed")

    monkeypatch.setattr(_given, "_dictionary_given_names", missing)
    _given.known_given_names.cache_clear()
    try:
        assert text.split_full_name("LYSENKO OLEKSANDR") == ("Lysenko", "Oleksandr", "")
        assert text.split_full_name("Олександр Лисенко") == ("Лисенко", "Олександр", "")
        # Unknown to the built-in list: the default order applies.
        assert text.split_full_name("LYSENKO HORDII") == ("Hordii", "Lysenko", "")
    finally:
        _given.known_given_names.cache_clear()
