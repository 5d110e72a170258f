"""The moderation screen: what it highlights in Ukrainian, Russian and Latin script, and not."""

from __future__ import annotations

import pytest

from reunite.channel.screening import count_words, screen, segments


def _kinds(text: str) -> list[tuple[str, str]]:
    return [(finding.kind.value, finding.text) for finding in screen(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Живемо на вул. Шевченка 12, кв. 5",
            [("address", "вул. Шевченка 12"), ("address", "кв. 5")],
        ),
        ("Мы на ул. Ленина д. 4", [("address", "ул. Ленина д. 4")]),
        ("We live at 12 Green Street now", [("address", "12 Green Street")]),
        ("vul. Sadova 3", [("address", "vul. Sadova 3")]),
        ("дзвони +380 67 123 45 67", [("phone", "+380 67 123 45 67")]),
        ("звони 8 (912) 345-67-89", [("phone", "8 (912) 345-67-89")]),
        ("номер 067-123-45-67", [("phone", "067-123-45-67")]),
        ("пиши olena.k@ukr.net", [("email", "olena.k@ukr.net")]),
        ("дивись https://example.org/x", [("link", "https://example.org/x")]),
        ("мій телеграм @olena_kovalenko", [("link", "@olena_kovalenko")]),
        ("ми в селі Шевченкове", [("place", "селі Шевченкове")]),
        ("мы в с. Ивановка", [("place", "с. Ивановка")]),
        ("Bakhmut district", [("place", "district")]),
    ],
)
def test_what_could_endanger_someone_is_highlighted(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert _kinds(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Сонечко, ми тебе любимо і чекаємо вдома.",
        "Ты родилась 12.05.2015, помнишь? Нам всем по 3 года разлуки.",
        "Бабуся передає привіт, кіт Мурчик здоровий.",
        "We miss you so much. See you soon in Kyiv!",
    ],
)
def test_family_news_is_not_highlighted(text: str) -> None:
    assert screen(text) == []


def test_words_are_counted_as_a_reader_counts_them() -> None:
    assert count_words("Привіт, м'ячик і п’ять зірок!") == 5
    assert count_words("  ") == 0
    assert count_words("Kyiv-Pechersk 2026") == 2


def test_segments_cover_the_text_exactly() -> None:
    text = "Дзвони +380671234567 або пиши a@b.ua"
    findings = [finding.as_dict() for finding in screen(text)]
    parts = segments(text, findings)
    assert "".join(part for part, _ in parts) == text
    assert [kind for _, kind in parts if kind] == ["phone", "email"]
