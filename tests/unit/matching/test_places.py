"""Tests of place folding, the gazetteer lookup and the place comparator."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reunite.matching import gazetteer, places
from reunite.matching.gazetteer import OBLASTS, REGION_WORDS, SETTLEMENTS
from reunite.matching.places import (
    PLACE_LEVELS,
    compare_places,
    fold,
    normalise_place,
    oblast_of,
    place_ids,
)

# --- folding ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "spellings",
    [
        ("Маріуполь", "Мариуполь", "Mariupol", "Mariupol'", "MARIUPOL", "Маріуполь"),
        ("Сєвєродонецьк", "Северодонецк", "Sievierodonetsk", "Severodonetsk"),
        ("Слов'янськ", "Словʼянськ", "Слов’янськ", "Sloviansk", "Slovyansk"),
        ("Горлівка", "Horlivka"),
        ("Горловка", "Gorlovka"),
        ("Харків", "Kharkiv"),
        ("Запорожье", "Zaporozhye", "Zaporozhe"),
        ("Нова Каховка", "Новая Каховка", "Nova Kakhovka"),
        ("Єнакієве", "Yenakiieve"),
        ("Київ", "Kyiv", "Kyïv"),
        ("Кропивницький", "Кропивницкий", "Kropyvnytskyi"),
    ],
)
def test_fold_makes_spellings_agree(spellings: tuple[str, ...]) -> None:
    assert len({fold(spelling) for spelling in spellings}) == 1


def test_fold_keeps_words_apart_and_is_ascii() -> None:
    folded = fold("Часів Яр, Донецька обл.")
    assert folded == "chasiv ar donetska obl"
    assert folded.isascii()


def test_fold_repairs_latin_lookalikes_inside_cyrillic_words() -> None:
    # «Маpиуполь» with a Latin p, as typed on a keyboard switched mid-word.
    assert fold("Ма\u0440иуполь") == fold("Маpиуполь") == fold("Мариуполь")


@pytest.mark.parametrize(
    ("text", "normalised"),
    [
        ("м. Маріуполь", "marupol"),
        ("г.Мариуполь", "marupol"),
        ("Mariupol city", "marupol"),
        ("Маріуполь, Донецька обл.", "marupol donetska"),
        ("г. Мариуполь Донецкой области", "marupol donetskoi"),
        ("Mariupol, Donetsk oblast, Ukraine", "marupol donetsk"),
        ("смт Мангуш", "manhush"),
        ("пгт. Новоазовск", "novoazovsk"),
        ("с. Зайцеве, Бахмутський р-н", "zaitseve bahmutski"),
        ("Україна", ""),
        ("", ""),
    ],
)
def test_normalise_place(text: str, normalised: str) -> None:
    assert normalise_place(text) == normalised


# --- gazetteer lookup ---------------------------------------------------------------

SAME_PLACE = [
    # renamed in 2016, and called by the old name by the Russian side
    ("UA-14/bakhmut", ["Бахмут", "Bakhmut", "м. Бахмут", "Артемівськ, Донецька обл.",
                       "г. Артёмовск, ДНР", "Артемовск Донецкой области"]),
    ("UA-35/kropyvnytskyi", ["Кропивницький", "Кропивницкий", "Кировоград", "Кіровоград",
                             "Kirovohrad", "Kropyvnytskyi", "Кірово, Кіровоградська обл."]),
    ("UA-12/dnipro", ["Дніпро", "Днепр", "Dnipro", "Днепропетровск", "Дніпропетровськ",
                      "Dnipropetrovsk"]),
    ("UA-14/mariupol", ["Маріуполь", "Мариуполь", "Mariupol", "г. Мариуполь",
                        "Маріуполь, Донецька обл.", "г. Мариуполь Донецкой области",
                        "Mariupol, Donetsk oblast", "Донецкая обл., г. Мариуполь",
                        "Україна, Донецька область, м. Маріуполь", "Мариуполь Донецкой",
                        "г. Мариуполь, ДНР", "Mariupol, Donetsk", "Маріуполь (Жданов)",
                        "г. Мариуполь, ул. Ленина, д. 5", "м.Маріуполь"]),
    ("UA-14/pokrovsk", ["Покровськ", "Красноармейск", "Красноармійськ, Донецька обл."]),
    ("UA-14/myrnohrad", ["Мирноград", "Димитров"]),
    ("UA-14/toretsk", ["Торецьк", "г. Дзержинск"]),
    ("UA-14/khrestivka", ["Хрестівка", "Кировское, ДНР", "м. Кіровське, Донецька обл."]),
    ("UA-53/horishni-plavni", ["Горішні Плавні", "Комсомольськ", "Komsomolsk"]),
    ("UA-68/khmelnytskyi", ["Хмельницький", "Проскурів", "Проскуров"]),
    ("UA-09/dovzhansk", ["Довжанськ", "Свердловск, ЛНР"]),
    ("UA-09/sorokyne", ["Сорокине", "Краснодон"]),
    ("UA-09/kadiivka", ["Кадіївка", "Стаханов"]),
    ("UA-09/khrustalnyi", ["Хрустальний", "Красный Луч", "Krasnyi Luch"]),
    ("UA-09/holubivka", ["Голубівка", "Кировск"]),
    ("UA-09/siverskodonetsk", ["Сіверськодонецьк", "Сєвєродонецьк", "Северодонецк",
                               "Severodonetsk"]),
    ("UA-14/zalizne", ["Залізне", "Артемове"]),
    ("UA-14/soledar", ["Соледар", "Soledar"]),
    ("UA-65/oleshky", ["Олешки", "Алешки", "Цюрупинск"]),
    ("UA-65/nova-kakhovka", ["Нова Каховка", "Новая Каховка", "Nova Kakhovka"]),
    ("UA-43/yany-kapu", ["Яни Капу", "Красноперекопск, Республика Крым"]),
    ("UA-43/staryi-krym", ["Старий Крим", "Старый Крым"]),
    ("UA-43/yalta", ["Ялта", "АР Крим, м. Ялта", "Yalta, Crimea"]),
    ("UA-14/chasiv-yar", ["Часів Яр", "Часов Яр", "Chasiv Yar"]),
    ("UA-09/stanytsia-luhanska", ["Станиця Луганська", "Станиця Луганська, Луганська обл."]),
    ("UA-09/shchastia", ["Щастя", "Счастье", "Shchastia"]),
    ("UA-26/ivano-frankivsk", ["Івано-Франківськ", "Ivano-Frankivsk", "Ивано-Франковск"]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("settlement_id", "text"),
    [(settlement_id, text) for settlement_id, texts in SAME_PLACE for text in texts],
)
def test_place_ids_resolve_every_form(settlement_id: str, text: str) -> None:
    assert place_ids(text) == frozenset({settlement_id})


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        # Артемівськ was also the name of Кипуче (Luhansk oblast)
        ("Артёмовск", {"UA-14/bakhmut", "UA-09/kypuche"}),
        ("Артёмовск, ЛНР", {"UA-09/kypuche"}),
        # Первомайськ of Luhansk oblast is Сокологірськ since 2024; Mykolaiv's keeps it
        ("Первомайськ", {"UA-09/sokolohirsk", "UA-48/pervomaisk"}),
        ("Первомайськ, Луганська обл.", {"UA-09/sokolohirsk"}),
        ("Первомайск Николаевской обл.", {"UA-48/pervomaisk"}),
        # a stated oblast that fits no candidate: another place of that name
        ("Первомайськ, Харківська обл.", set()),
        ("с. Лиман, Одеська обл.", set()),
    ],
)
def test_place_ids_of_shared_names(text: str, ids: set[str]) -> None:
    assert place_ids(text) == frozenset(ids)


@pytest.mark.parametrize(
    "text",
    [
        # names shared by many places resolve only with their oblast
        "Кировское",
        "Комсомольское",
        "Кірово",
        # villages named after towns are other places
        "Покровське",
        "Донецьке",
        "Луганське",
        "Миколаївка",
        "Лозове",
        "Полтавка",
        "Орлівка",
        "Чорноморка",
        "Бахмутка",
        # unknown villages, oblasts alone, nothing
        "с. Зайцеве, Бахмутський р-н",
        "с. Новоолександрівка",
        "Donetsk region",
        "Крым",
        "Донеччина",
        "невідомо",
        "",
        "   ",
        "12345",
    ],
)
def test_place_ids_unknown(text: str) -> None:
    assert place_ids(text) == frozenset()


@pytest.mark.parametrize(
    ("typo", "settlement_id"),
    [
        ("Мариупль", "UA-14/mariupol"),
        ("Mariupl", "UA-14/mariupol"),
        ("Kramatorks", "UA-14/kramatorsk"),
        ("Мелитопль", "UA-23/melitopol"),
        ("Енергодор", "UA-23/enerhodar"),
        ("Костянтинвка", "UA-14/kostiantynivka"),
        ("Severodonetks", "UA-09/siverskodonetsk"),
        ("Лисичансьск", "UA-09/lysychansk"),
    ],
)
def test_place_ids_tolerate_typos(typo: str, settlement_id: str) -> None:
    assert place_ids(typo) == frozenset({settlement_id})


@pytest.mark.parametrize(
    ("text", "oblast"),
    [
        ("Маріуполь", "UA-14"),
        ("Mariupol", "UA-14"),
        ("с. Зайцеве, Донецька обл.", "UA-14"),
        ("Зайцево, ДНР", "UA-14"),
        ("Зайцево Донецкой области", "UA-14"),
        ("Donetsk oblast", "UA-14"),
        ("Kyiv oblast", "UA-32"),
        ("Kyiv", "UA-30"),
        ("Київська обл., м. Буча", "UA-32"),
        ("с. Лазурне, Скадовський р-н, Херсонська обл.", "UA-65"),
        ("Республика Крым", "UA-43"),
        ("Крым", "UA-43"),
        ("Автономна Республіка Крим, с. Мирне", "UA-43"),
        ("г. Севастополь", "UA-40"),
        ("Луганщина", "UA-09"),
        ("с. Іванівка, Луганская Народная Республика", "UA-09"),
        ("Первомайськ", None),  # Luhansk or Mykolaiv oblast
        ("Донбас", None),  # Donetsk or Luhansk oblast
        ("с. Зайцеве", None),
        ("", None),
    ],
)
def test_oblast_of(text: str, oblast: str | None) -> None:
    assert oblast_of(text) == oblast


# --- comparison ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "level"),
    [
        ("Бахмут", "Артёмовск", "same"),
        ("Bakhmut", "Artemovsk", "same"),
        ("Бахмут", "г. Артемовск, ДНР", "same"),
        ("Кропивницький", "Кировоград", "same"),
        ("Дніпро", "Днепропетровск", "same"),
        ("Dnipro", "Днепропетровск", "same"),
        ("Маріуполь", "Мариуполь", "same"),
        ("Маріуполь", "Mariupol", "same"),
        ("Маріуполь", "г. Мариуполь", "same"),
        ("Маріуполь, Донецька обл.", "г. Мариуполь Донецкой области", "same"),
        ("Хрестівка", "Кировское, ДНР", "same"),
        ("Маріуполь", "Донецьк", "same_oblast"),
        ("Маріуполь", "Херсон", "different"),
        ("Бахмут", "Кипуче", "different"),
        ("Kyiv", "Буча", "same_oblast"),  # Kyiv city with Kyiv oblast
        ("Севастополь", "Ялта", "same_oblast"),  # Sevastopol with Crimea
        # unknown villages: folded spelling, then oblast
        ("с. Зайцеве", "село Зайцеве", "same"),
        ("с. Зайцеве", "Zaitseve", "same"),
        ("с. Зайцеве", "с. Зайцево", "similar"),
        ("с. Зайцеве, Донецька обл.", "Зайцево, ДНР", "similar"),
        ("Новоолександрівка", "Новоолександровка", "similar"),  # Russified ending
        ("с. Зайцеве, Донецька обл.", "с. Миколаївка, Донецька обл.", "same_oblast"),
        ("с. Зайцеве, Донецька обл.", "Маріуполь", "same_oblast"),
        ("с. Зайцеве, Донецька обл.", "Херсон", "different"),
        ("с. Олександрівка, Донецька обл.", "с. Олександрівка, Херсонська обл.", "different"),
        ("с. Зайцеве", "с. Миколаївка", "different"),
        ("Покровське", "Покровськ", "similar"),
        ("Донецька обл.", "Маріуполь", "same_oblast"),
        ("Донецька обл.", "Херсонська обл.", "different"),
        # missing
        ("", "Маріуполь", "missing"),
        ("невідомо", "Київ", "missing"),
        ("Україна", "Україна", "missing"),
    ],
)
def test_compare_places(a: str, b: str, level: str) -> None:
    assert compare_places(a, b) == level
    assert compare_places(b, a) == level


_NAMES = [name for entry in SETTLEMENTS for name in (entry.uk, entry.ru, entry.latin)]
_DECORATIONS = ["{}", "м. {}", "г. {}", "{}, Донецька обл.", "{}, Херсонская область", "с. {}"]


@st.composite
def place_texts(draw: st.DrawFn) -> str:
    """Draw a place as written in a request or a record, or an unknown village."""
    name = draw(st.sampled_from([*_NAMES, "Зайцеве", "Зайцево", "Олександрівка", ""]))
    return draw(st.sampled_from(_DECORATIONS)).format(name)


@given(place_texts(), place_texts())
def test_compare_places_is_symmetric(a: str, b: str) -> None:
    level = compare_places(a, b)
    assert level in PLACE_LEVELS
    assert level == compare_places(b, a)


@given(st.sampled_from(_NAMES), st.sampled_from(["м. ", "г. ", "", "місто "]))
def test_place_ids_ignore_case_and_prefixes(name: str, prefix: str) -> None:
    expected = place_ids(name)
    assert expected
    assert place_ids(prefix + name.upper()) == expected
    assert place_ids(prefix + name.lower()) == expected


# --- the gazetteer itself -----------------------------------------------------------


def test_gazetteer_ids_are_unique_and_name_their_oblast() -> None:
    oblast_ids = {oblast.id for oblast in OBLASTS}
    assert len(oblast_ids) == len(OBLASTS) == 27
    ids = [entry.id for entry in SETTLEMENTS]
    assert len(ids) == len(set(ids))
    assert len(ids) >= 150
    for entry in SETTLEMENTS:
        assert entry.oblast in oblast_ids
        assert re.fullmatch(r"UA-\d\d/[a-z]+(-[a-z]+)*", entry.id)
        assert entry.id.startswith(entry.oblast + "/")
    for oblasts in REGION_WORDS.values():
        assert set(oblasts) <= oblast_ids


def test_gazetteer_has_every_oblast_centre() -> None:
    slugs = {entry.id for entry in SETTLEMENTS}
    centres = {
        "UA-05/vinnytsia", "UA-07/lutsk", "UA-09/luhansk", "UA-12/dnipro", "UA-14/donetsk",
        "UA-18/zhytomyr", "UA-21/uzhhorod", "UA-23/zaporizhzhia", "UA-26/ivano-frankivsk",
        "UA-30/kyiv", "UA-32/bucha", "UA-35/kropyvnytskyi", "UA-40/sevastopol",
        "UA-43/simferopol", "UA-46/lviv", "UA-48/mykolaiv", "UA-51/odesa", "UA-53/poltava",
        "UA-56/rivne", "UA-59/sumy", "UA-61/ternopil", "UA-63/kharkiv", "UA-65/kherson",
        "UA-68/khmelnytskyi", "UA-71/cherkasy", "UA-74/chernihiv", "UA-77/chernivtsi",
    }  # fmt: skip
    assert centres <= slugs
    assert {centre.split("/")[0] for centre in centres} == {oblast.id for oblast in OBLASTS}


def test_gazetteer_latin_names_follow_kmu_2010() -> None:
    translitua = pytest.importorskip("translitua")
    for entry in SETTLEMENTS:
        assert translitua.translit(entry.uk) == entry.latin, entry.id
    for oblast in OBLASTS:
        if oblast.kind == "oblast":
            assert translitua.translit(oblast.uk) == oblast.latin, oblast.id


def test_only_documented_names_are_shared_between_places() -> None:
    shared = {key: ids for key, ids in places._INDEX.items() if len(ids) > 1}
    assert shared == {
        "artemivsk": frozenset({"UA-14/bakhmut", "UA-09/kypuche"}),
        "artemovsk": frozenset({"UA-14/bakhmut", "UA-09/kypuche"}),
        "pervomaisk": frozenset({"UA-09/sokolohirsk", "UA-48/pervomaisk"}),
    }
    # A name shared by many places must not also resolve everywhere.
    assert not set(places._LOCAL_INDEX) & set(places._INDEX)


def test_every_name_of_a_settlement_finds_it() -> None:
    names = {oblast.id: oblast.uk for oblast in OBLASTS}
    for entry in SETTLEMENTS:
        for name in (entry.uk, entry.ru, entry.latin, *entry.other, *entry.former):
            assert entry.id in place_ids(name), name
            assert entry.oblast == oblast_of(f"{name}, {names[entry.oblast]} обл.") or (
                entry.oblast in {"UA-30", "UA-40", "UA-43"}
            ), name
        for name in entry.former_local:
            assert place_ids(name) == frozenset(), name
            assert place_ids(f"{name}, {names[entry.oblast]} обл.") == {entry.id}, name


def test_oblasts_and_their_names_come_from_iso_3166_2() -> None:
    # pycountry's ISO 3166-2:UA and its uk/ru catalogues, not a hand-typed copy.
    by_id = {oblast.id: oblast for oblast in OBLASTS}
    assert (by_id["UA-05"].uk, by_id["UA-05"].ru) == ("Вінницька", "Винницкая")
    assert by_id["UA-30"].kind == "city" and by_id["UA-43"].kind == "republic"
    # What pycountry lacks stays hand-typed: a Russian name it does not translate, and the
    # spellings records still use.
    assert by_id["UA-48"].ru == "Николаевская"
    assert oblast_of("с. Зелёное, Николаевская обл.") == "UA-48"
    assert gazetteer._read_oblasts() == OBLASTS  # the cached table is pycountry's
    assert oblast_of("с. Зелене, Ровненская обл.") == "UA-56"  # ISO's Russian spelling
    assert oblast_of("с. Зелене, Ровенская обл.") == "UA-56"  # the one records still use
    assert oblast_of("Симферополь, Республика Крым") == "UA-43"
