"""A gazetteer of the Ukrainian regions and of the settlements that matter most to this conflict.

Data only; ``reunite.matching.places`` builds its indexes from it. It holds every oblast
centre, the occupied and front-line towns of Donetsk, Luhansk, Zaporizhzhia, Kherson and
Kharkiv oblasts, Crimea and Sevastopol, and the renamed towns families and records are
likely to name under another name.

Fields of a settlement:

* ``id``: "<ISO 3166-2:UA code of its oblast>/<slug of its KMU 2010 name>"; stable even if
  the settlement is renamed again.
* ``uk``, ``ru``, ``latin``: the current official Ukrainian name, its Russian spelling and
  its romanisation under the KMU 2010 rules (resolution No. 55 of the Cabinet of Ministers,
  27 January 2010); a test checks ``latin`` against ``translitua``.
* ``other``: other spellings of the current name (older English, Russian-based
  romanisations, Polish or German forms).
* ``former``: names the settlement had before, in any script, including the Soviet names
  the Russian side has used again in occupied areas since 2014 and 2022 (Артёмовск for
  Бахмут, Дзержинск for Торецьк). They resolve to this settlement wherever they appear.
* ``former_local``: former names that are, or were, also the names of many other places
  (Кіровське, Комсомольське, Кірово, Куйбишеве, Орджонікідзе): they resolve to this
  settlement only when the text also names this settlement's oblast.

Sources of the renamings:

* Decommunisation, under the law of 9 April 2015 No. 317-VIII «Про засудження
  комуністичного та націонал-соціалістичного (нацистського) тоталітарних режимів в
  Україні та заборону пропаганди їхньої символіки», by the resolutions of the Verkhovna
  Rada «Про перейменування окремих населених пунктів та районів» and similar titles of
  4 February 2016 (Артемівськ → Бахмут, Дзержинськ → Торецьк, Красний Лиман → Лиман,
  Іллічівськ → Чорноморськ), of March 2016 (Орджонікідзе → Покров), of 12 May 2016 (drafts
  Nos. 4468, 4086 and 4087: Красноармійськ → Покровськ, Димитров → Мирноград, Щорс →
  Сновськ, Куйбишеве → Більмак; in the then uncontrolled areas of Donetsk and Luhansk
  oblasts Кіровське → Хрестівка, Комсомольське → Кальміуське, Торез → Чистякове,
  Тельманове → Бойківське, Юнокомунарівськ → Бунге, Кіровськ → Голубівка, Свердловськ →
  Довжанськ, Краснодон → Сорокине, Стаханов → Кадіївка, Красний Луч → Хрустальний,
  Артемівськ (Луганська) → Кипуче; in Crimea Красноперекопськ → Яни Капу), of 19 May 2016
  (Дніпропетровськ → Дніпро, Дніпродзержинськ → Кам'янське, Комсомольськ → Горішні
  Плавні, Цюрупинськ → Олешки, Кузнецовськ → Вараш) and of 14 July 2016 (Кіровоград →
  Кропивницький); Артемове → Залізне was renamed in the same round in 2016.
* De-Russification, under the law of 2023 on the decolonisation of toponymy (in force since
  July 2023), by the Verkhovna Rada resolution of 19 September 2024 (Сєвєродонецьк →
  Сіверськодонецьк, Первомайськ (Луганська) → Сокологірськ, Молодогвардійськ →
  Отаманівка, Красноград → Берестин, Новомосковськ → Самар).
* Older Soviet names (Жданов, Ворошиловград, Сталіно, Проскурів, Комунарськ, Кірово,
  Зінов'євськ) come from the settlements' documented histories.

Oblasts, their ids (the ISO 3166-2:UA codes), kinds and Ukrainian, Russian and KMU Latin
names come from pycountry's ISO 3166-2 data and its uk and ru catalogues; what they lack
is hand-typed below, each with its reason. Kyiv (UA-30) and Sevastopol (UA-40) are cities
with the status of a region, and the Autonomous Republic of Crimea is UA-43. Settlements
stay hand-typed: no installed package lists Ukrainian settlements with their Russian and
former names.
"""

from __future__ import annotations

import gettext
from pathlib import Path
from typing import Final, NamedTuple

from reunite.matching.disk_cache import cached

__all__ = ["OBLASTS", "REGION_WORDS", "SETTLEMENTS", "Oblast", "Settlement"]


class Oblast(NamedTuple):
    """A first-level region of Ukraine."""

    id: str
    kind: str  # "oblast", "republic" (Crimea) or "city" (Kyiv, Sevastopol)
    uk: str  # adjective as in «Донецька область», or the name itself
    ru: str
    latin: str  # KMU 2010 romanisation of ``uk``
    # Nouns that name the oblast before the word "oblast" or after a comma following the
    # settlement ("Mariupol, Donetsk"); case endings are accepted.
    nouns: tuple[str, ...] = ()
    # Other spellings of the adjective («Ровенская» beside «Ровненская»).
    other: tuple[str, ...] = ()


class Settlement(NamedTuple):
    """A city, town or village of the gazetteer; see the module docstring for the fields."""

    id: str
    uk: str
    ru: str
    latin: str
    oblast: str
    other: tuple[str, ...] = ()
    former: tuple[str, ...] = ()
    former_local: tuple[str, ...] = ()


_KINDS: Final = {"Region": "oblast", "Republic": "republic", "City": "city"}
_SUFFIXES: Final = (" oblast", " область")

# What ISO 3166-2 does not give, hand-typed: the nouns people write for an oblast
# ("Donetsk", «Волинь»: ISO names only the official adjective), a Russian name where
# pycountry's Russian catalogue has none (UA-48), and the older or Russian-side spellings
# records still use («Ровенская», «Республика Крым»).
_NOUNS: Final[dict[str, tuple[str, ...]]] = {
    "UA-05": ("Vinnytsia", "Vinnitsa"),
    "UA-07": ("Volyn", "Волинь", "Волынь"),
    "UA-09": ("Luhansk", "Lugansk"),
    "UA-12": ("Dnipropetrovsk", "Dnepropetrovsk", "Dnipro"),
    "UA-14": ("Donetsk",),
    "UA-18": ("Zhytomyr", "Zhitomir"),
    "UA-21": ("Zakarpattia", "Transcarpathia", "Закарпаття", "Закарпатье"),
    "UA-23": ("Zaporizhzhia", "Zaporizhia", "Zaporozhye"),
    "UA-26": ("Ivano-Frankivsk", "Ivano-Frankovsk", "Прикарпаття", "Прикарпатье"),
    "UA-32": ("Kyiv", "Kiev"),
    "UA-35": ("Kirovohrad", "Kirovograd", "Kropyvnytskyi"),
    "UA-43": ("Крим", "Крым", "Krym", "Crimea"),
    "UA-46": ("Lviv", "Lvov"),
    "UA-48": ("Mykolaiv", "Nikolaev"),
    "UA-51": ("Odesa", "Odessa"),
    "UA-53": ("Poltava",),
    "UA-56": ("Rivne", "Rovno"),
    "UA-59": ("Sumy",),
    "UA-61": ("Ternopil",),
    "UA-63": ("Kharkiv", "Kharkov"),
    "UA-65": ("Kherson",),
    "UA-68": ("Khmelnytskyi", "Khmelnitsky"),
    "UA-71": ("Cherkasy", "Cherkassy"),
    "UA-74": ("Chernihiv", "Chernigov"),
    "UA-77": ("Chernivtsi", "Chernovtsy", "Буковина", "Bukovyna"),
}
_RUSSIAN_MISSING: Final = {"UA-48": "Николаевская"}
_OTHER_SPELLINGS: Final[dict[str, tuple[str, ...]]] = {
    "UA-43": ("Республика Крым",),
    "UA-56": ("Ровенская",),
}


def _bare(name: str) -> str:
    for suffix in _SUFFIXES:
        name = name.removesuffix(suffix)
    return name


def _read_oblasts() -> tuple[Oblast, ...]:
    """Read Ukraine's regions and their Ukrainian and Russian names from pycountry."""
    import pycountry

    catalogues = {
        language: gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=[language])
        for language in ("uk", "ru")
    }
    found = []
    regions = pycountry.subdivisions.get(country_code="UA")  # type: ignore[no-untyped-call]
    for region in regions or ():
        code, name = str(region.code), str(region.name)
        russian = catalogues["ru"].gettext(name)
        found.append(
            Oblast(
                id=code,
                kind=_KINDS[str(region.type)],
                uk=_bare(catalogues["uk"].gettext(name)),
                # An untranslated entry comes back as it was asked, in Latin.
                ru=_bare(russian) if russian != name else _RUSSIAN_MISSING.get(code, ""),
                latin=_bare(name),
                nouns=_NOUNS.get(code, ()),
                other=_OTHER_SPELLINGS.get(code, ()),
            )
        )
    return tuple(sorted(found))


# Read once per installation: the cache file (see disk_cache) spares each process
# pycountry's whole ISO 3166-2 table (every country's regions) in memory.
OBLASTS: Final[tuple[Oblast, ...]] = cached("oblasts", [Path(__file__)], _read_oblasts)

# Words that name a region and never a settlement, so they count as an oblast mention
# wherever they stand. «ДНР»/«ЛНР» are how Russian-side records name the occupied parts
# of Donetsk and Luhansk oblasts; «Донбас» covers both.
REGION_WORDS: Final[dict[str, tuple[str, ...]]] = {
    "Вінниччина": ("UA-05",),
    "Луганщина": ("UA-09",),
    "ЛНР": ("UA-09",),
    "LNR": ("UA-09",),
    "LPR": ("UA-09",),
    "Дніпропетровщина": ("UA-12",),
    "Днепропетровщина": ("UA-12",),
    "Донеччина": ("UA-14",),
    "Донетчина": ("UA-14",),
    "ДНР": ("UA-14",),
    "DNR": ("UA-14",),
    "DPR": ("UA-14",),
    "Донбас": ("UA-14", "UA-09"),
    "Донбасс": ("UA-14", "UA-09"),
    "Donbas": ("UA-14", "UA-09"),
    "Житомирщина": ("UA-18",),
    "Запоріжчина": ("UA-23",),
    "Київщина": ("UA-32",),
    "Киевщина": ("UA-32",),
    "Кіровоградщина": ("UA-35",),
    "АРК": ("UA-43",),
    "ARK": ("UA-43",),
    "Львівщина": ("UA-46",),
    "Миколаївщина": ("UA-48",),
    "Николаевщина": ("UA-48",),
    "Одещина": ("UA-51",),
    "Полтавщина": ("UA-53",),
    "Рівненщина": ("UA-56",),
    "Сумщина": ("UA-59",),
    "Тернопільщина": ("UA-61",),
    "Харківщина": ("UA-63",),
    "Харьковщина": ("UA-63",),
    "Слобожанщина": ("UA-63",),
    "Херсонщина": ("UA-65",),
    "Хмельниччина": ("UA-68",),
    "Черкащина": ("UA-71",),
    "Чернігівщина": ("UA-74",),
    "Черниговщина": ("UA-74",),
}

_S = Settlement

SETTLEMENTS: Final[tuple[Settlement, ...]] = (
    # --- Oblast centres, Kyiv, Simferopol and Sevastopol ------------------------------
    _S("UA-30/kyiv", "Київ", "Киев", "Kyiv", "UA-30", ("Kiev",)),
    _S("UA-05/vinnytsia", "Вінниця", "Винница", "Vinnytsia", "UA-05", ("Vinnitsa", "Vinnytsya")),
    _S("UA-07/lutsk", "Луцьк", "Луцк", "Lutsk", "UA-07"),
    _S(
        "UA-12/dnipro",
        "Дніпро",
        "Днепр",
        "Dnipro",
        "UA-12",
        ("Dnepr",),
        former=(
            "Дніпропетровськ",
            "Днепропетровск",
            "Dnipropetrovsk",
            "Dnepropetrovsk",
            "Катеринослав",
            "Екатеринослав",
            "Katerynoslav",
            "Yekaterinoslav",
        ),
    ),
    _S(
        "UA-14/donetsk",
        "Донецьк",
        "Донецк",
        "Donetsk",
        "UA-14",
        former=("Сталіно", "Сталино", "Stalino", "Юзівка", "Юзовка", "Yuzovka", "Hughesovka"),
    ),
    _S("UA-18/zhytomyr", "Житомир", "Житомир", "Zhytomyr", "UA-18", ("Zhitomir",)),
    _S("UA-21/uzhhorod", "Ужгород", "Ужгород", "Uzhhorod", "UA-21", ("Uzhgorod", "Ungvár")),
    _S(
        "UA-23/zaporizhzhia",
        "Запоріжжя",
        "Запорожье",
        "Zaporizhzhia",
        "UA-23",
        ("Zaporozhye", "Zaporizhia", "Zaporozhe"),
        # Олександрівськ is also a town of Luhansk oblast.
        former_local=("Олександрівськ", "Александровск"),
    ),
    _S(
        "UA-26/ivano-frankivsk",
        "Івано-Франківськ",
        "Ивано-Франковск",
        "Ivano-Frankivsk",
        "UA-26",
        ("Ivano-Frankovsk",),
        former_local=("Станіслав", "Станислав", "Станиславов"),
    ),
    _S(
        "UA-35/kropyvnytskyi",
        "Кропивницький",
        "Кропивницкий",
        "Kropyvnytskyi",
        "UA-35",
        ("Kropivnitsky", "Kropyvnytskyy"),
        former=(
            "Кіровоград",
            "Кировоград",
            "Kirovohrad",
            "Kirovograd",
            "Зінов'євськ",
            "Зиновьевск",
            "Єлисаветград",
            "Елисаветград",
            "Yelisavetgrad",
            "Elisavetgrad",
        ),
        # Кірово (1934-1939) was also the name of dozens of villages until 2016.
        former_local=("Кірово", "Кирово", "Kirovo"),
    ),
    _S(
        "UA-09/luhansk",
        "Луганськ",
        "Луганск",
        "Luhansk",
        "UA-09",
        ("Lugansk",),
        former=("Ворошиловград", "Voroshylovhrad", "Voroshilovgrad"),
    ),
    _S("UA-46/lviv", "Львів", "Львов", "Lviv", "UA-46", ("Lvov", "Lwów", "Lemberg")),
    _S("UA-48/mykolaiv", "Миколаїв", "Николаев", "Mykolaiv", "UA-48", ("Nikolaev", "Nikolayev")),
    _S("UA-51/odesa", "Одеса", "Одесса", "Odesa", "UA-51", ("Odessa",)),
    _S("UA-53/poltava", "Полтава", "Полтава", "Poltava", "UA-53"),
    _S("UA-56/rivne", "Рівне", "Ровно", "Rivne", "UA-56", ("Rovno", "Równe")),
    _S("UA-59/sumy", "Суми", "Сумы", "Sumy", "UA-59"),
    _S("UA-61/ternopil", "Тернопіль", "Тернополь", "Ternopil", "UA-61", ("Ternopol",)),
    _S("UA-63/kharkiv", "Харків", "Харьков", "Kharkiv", "UA-63", ("Kharkov",)),
    _S("UA-65/kherson", "Херсон", "Херсон", "Kherson", "UA-65"),
    _S(
        "UA-68/khmelnytskyi",
        "Хмельницький",
        "Хмельницкий",
        "Khmelnytskyi",
        "UA-68",
        ("Khmelnitsky", "Khmelnitskiy"),
        former=("Проскурів", "Проскуров", "Proskuriv", "Proskurov"),
    ),
    _S("UA-71/cherkasy", "Черкаси", "Черкассы", "Cherkasy", "UA-71", ("Cherkassy",)),
    _S("UA-74/chernihiv", "Чернігів", "Чернигов", "Chernihiv", "UA-74", ("Chernigov",)),
    _S(
        "UA-77/chernivtsi",
        "Чернівці",
        "Черновцы",
        "Chernivtsi",
        "UA-77",
        ("Chernovtsy", "Czernowitz"),
    ),
    _S("UA-43/simferopol", "Сімферополь", "Симферополь", "Simferopol", "UA-43"),
    _S("UA-40/sevastopol", "Севастополь", "Севастополь", "Sevastopol", "UA-40"),
    # --- Donetsk oblast ------------------------------------------------------------------
    _S(
        "UA-14/mariupol",
        "Маріуполь",
        "Мариуполь",
        "Mariupol",
        "UA-14",
        former=("Жданов", "Zhdanov"),
    ),
    _S(
        "UA-14/bakhmut",
        "Бахмут",
        "Бахмут",
        "Bakhmut",
        "UA-14",
        former=("Артемівськ", "Артёмовск", "Artemivsk", "Artemovsk", "Artyomovsk"),
    ),
    _S("UA-14/kramatorsk", "Краматорськ", "Краматорск", "Kramatorsk", "UA-14"),
    _S(
        "UA-14/sloviansk",
        "Слов'янськ",
        "Славянск",
        "Sloviansk",
        "UA-14",
        ("Slavyansk", "Slovyansk", "Slaviansk"),
    ),
    _S(
        "UA-14/kostiantynivka",
        "Костянтинівка",
        "Константиновка",
        "Kostiantynivka",
        "UA-14",
        ("Konstantinovka", "Kostyantynivka"),
    ),
    _S(
        "UA-14/pokrovsk",
        "Покровськ",
        "Покровск",
        "Pokrovsk",
        "UA-14",
        former=("Красноармійськ", "Красноармейск", "Krasnoarmiisk", "Krasnoarmeysk"),
    ),
    _S(
        "UA-14/myrnohrad",
        "Мирноград",
        "Мирноград",
        "Myrnohrad",
        "UA-14",
        ("Mirnograd",),
        former=("Димитров", "Dymytrov", "Dimitrov"),
    ),
    _S(
        "UA-14/toretsk",
        "Торецьк",
        "Торецк",
        "Toretsk",
        "UA-14",
        former=("Дзержинськ", "Дзержинск", "Dzerzhynsk", "Dzerzhinsk"),
    ),
    _S("UA-14/avdiivka", "Авдіївка", "Авдеевка", "Avdiivka", "UA-14", ("Avdeevka", "Avdeyevka")),
    _S("UA-14/volnovakha", "Волноваха", "Волноваха", "Volnovakha", "UA-14"),
    _S("UA-14/vuhledar", "Вугледар", "Угледар", "Vuhledar", "UA-14", ("Ugledar",)),
    _S("UA-14/horlivka", "Горлівка", "Горловка", "Horlivka", "UA-14", ("Gorlovka",)),
    _S("UA-14/makiivka", "Макіївка", "Макеевка", "Makiivka", "UA-14", ("Makeevka", "Makeyevka")),
    _S(
        "UA-14/yenakiieve",
        "Єнакієве",
        "Енакиево",
        "Yenakiieve",
        "UA-14",
        ("Yenakiyevo", "Enakievo"),
    ),
    _S("UA-14/debaltseve", "Дебальцеве", "Дебальцево", "Debaltseve", "UA-14", ("Debaltsevo",)),
    _S(
        "UA-14/shakhtarsk",
        "Шахтарськ",
        "Шахтёрск",
        "Shakhtarsk",
        "UA-14",
        ("Shakhtyorsk", "Shakhtersk"),
    ),
    _S("UA-14/snizhne", "Сніжне", "Снежное", "Snizhne", "UA-14", ("Snezhnoye", "Snezhnoe")),
    _S(
        "UA-14/chystiakove",
        "Чистякове",
        "Чистяково",
        "Chystiakove",
        "UA-14",
        ("Chistyakovo",),
        former=("Торез", "Torez"),
    ),
    _S(
        "UA-14/khrestivka",
        "Хрестівка",
        "Хрестовка",
        "Khrestivka",
        "UA-14",
        # Кіровське/Кировское is still the name of a town in Crimea (Rada name Іслям-Терек)
        # and was the name of many villages until 2016.
        former_local=("Кіровське", "Кировское", "Kirovske", "Kirovskoye"),
    ),
    _S(
        "UA-14/dokuchaievsk",
        "Докучаєвськ",
        "Докучаевск",
        "Dokuchaievsk",
        "UA-14",
        ("Dokuchayevsk",),
    ),
    _S("UA-14/amvrosiivka", "Амвросіївка", "Амвросиевка", "Amvrosiivka", "UA-14"),
    _S("UA-14/ilovaisk", "Іловайськ", "Иловайск", "Ilovaisk", "UA-14"),
    _S("UA-14/khartsyzk", "Харцизьк", "Харцызск", "Khartsyzk", "UA-14"),
    _S("UA-14/yasynuvata", "Ясинувата", "Ясиноватая", "Yasynuvata", "UA-14", ("Yasinovataya",)),
    _S("UA-14/novoazovsk", "Новоазовськ", "Новоазовск", "Novoazovsk", "UA-14"),
    _S("UA-14/druzhkivka", "Дружківка", "Дружковка", "Druzhkivka", "UA-14", ("Druzhkovka",)),
    _S(
        "UA-14/lyman",
        "Лиман",
        "Лиман",
        "Lyman",
        "UA-14",
        former=("Красний Лиман", "Красный Лиман", "Krasnyi Lyman", "Krasny Liman"),
    ),
    _S(
        "UA-14/soledar",
        "Соледар",
        "Соледар",
        "Soledar",
        "UA-14",
        former=("Карло-Лібкнехтівськ", "Карло-Либкнехтовск"),
    ),
    _S(
        "UA-14/svitlodarsk", "Світлодарськ", "Светлодарск", "Svitlodarsk", "UA-14", ("Svetlodarsk",)
    ),
    _S(
        "UA-14/zalizne",
        "Залізне",
        "Железное",
        "Zalizne",
        "UA-14",
        former=("Артемове", "Артёмово", "Artemove"),
    ),
    _S("UA-14/chasiv-yar", "Часів Яр", "Часов Яр", "Chasiv Yar", "UA-14"),
    _S("UA-14/selydove", "Селидове", "Селидово", "Selydove", "UA-14", ("Selidovo",)),
    _S("UA-14/kurakhove", "Курахове", "Курахово", "Kurakhove", "UA-14", ("Kurakhovo",)),
    _S("UA-14/marinka", "Мар'їнка", "Марьинка", "Marinka", "UA-14", ("Maryinka",)),
    _S("UA-14/krasnohorivka", "Красногорівка", "Красногоровка", "Krasnohorivka", "UA-14"),
    _S("UA-14/siversk", "Сіверськ", "Северск", "Siversk", "UA-14"),
    _S("UA-14/dobropillia", "Добропілля", "Доброполье", "Dobropillia", "UA-14"),
    _S("UA-14/bilozerske", "Білозерське", "Белозерское", "Bilozerske", "UA-14"),
    _S("UA-14/novohrodivka", "Новогродівка", "Новогродовка", "Novohrodivka", "UA-14"),
    _S(
        "UA-14/kalmiuske",
        "Кальміуське",
        "Кальмиусское",
        "Kalmiuske",
        "UA-14",
        former_local=("Комсомольське", "Комсомольское", "Komsomolske"),
    ),
    _S(
        "UA-14/boikivske",
        "Бойківське",
        "Бойковское",
        "Boikivske",
        "UA-14",
        former=("Тельманове", "Тельманово", "Telmanove", "Telmanovo"),
    ),
    _S("UA-14/sviatohirsk", "Святогірськ", "Святогорск", "Sviatohirsk", "UA-14"),
    _S(
        "UA-14/velyka-novosilka",
        "Велика Новосілка",
        "Великая Новосёлка",
        "Velyka Novosilka",
        "UA-14",
    ),
    _S("UA-14/starobesheve", "Старобешеве", "Старобешево", "Starobesheve", "UA-14"),
    _S("UA-14/vuhlehirsk", "Вуглегірськ", "Углегорск", "Vuhlehirsk", "UA-14", ("Uglegorsk",)),
    _S("UA-14/zuhres", "Зугрес", "Зугрэс", "Zuhres", "UA-14", ("Zugres",)),
    _S(
        "UA-14/bunhe",
        "Бунге",
        "Бунге",
        "Bunhe",
        "UA-14",
        former=("Юнокомунарівськ", "Юнокоммунаровск"),
    ),
    # --- Luhansk oblast ------------------------------------------------------------------
    _S("UA-09/lysychansk", "Лисичанськ", "Лисичанск", "Lysychansk", "UA-09", ("Lisichansk",)),
    _S(
        "UA-09/siverskodonetsk",
        "Сіверськодонецьк",
        "Сиверскодонецк",
        "Siverskodonetsk",
        "UA-09",
        former=(
            "Сєвєродонецьк",
            "Северодонецк",
            "Sievierodonetsk",
            "Severodonetsk",
            "Sieverodonetsk",
        ),
    ),
    _S("UA-09/rubizhne", "Рубіжне", "Рубежное", "Rubizhne", "UA-09", ("Rubezhnoye",)),
    _S("UA-09/popasna", "Попасна", "Попасная", "Popasna", "UA-09", ("Popasnaya",)),
    _S("UA-09/svatove", "Сватове", "Сватово", "Svatove", "UA-09", ("Svatovo",)),
    _S("UA-09/starobilsk", "Старобільськ", "Старобельск", "Starobilsk", "UA-09", ("Starobelsk",)),
    _S(
        "UA-09/alchevsk",
        "Алчевськ",
        "Алчевск",
        "Alchevsk",
        "UA-09",
        former=("Комунарськ", "Коммунарск", "Kommunarsk"),
        # Ворошиловськ (1931-1961) was also the name of today's Stavropol in Russia.
        former_local=("Ворошиловськ", "Ворошиловск"),
    ),
    _S("UA-09/novodruzhesk", "Новодружеськ", "Новодружеск", "Novodruzhesk", "UA-09"),
    _S(
        "UA-09/sokolohirsk",
        "Сокологірськ",
        "Сокологорск",
        "Sokolohirsk",
        "UA-09",
        # Shared with Первомайськ of Mykolaiv oblast, which keeps the name: the oblast in
        # the text tells them apart.
        former=("Первомайськ", "Первомайск", "Pervomaisk", "Pervomaysk"),
    ),
    _S(
        "UA-09/holubivka",
        "Голубівка",
        "Голубовка",
        "Holubivka",
        "UA-09",
        former=("Кіровськ", "Кировск", "Kirovsk"),
    ),
    _S(
        "UA-09/dovzhansk",
        "Довжанськ",
        "Довжанск",
        "Dovzhansk",
        "UA-09",
        former=("Свердловськ", "Свердловск", "Sverdlovsk"),
    ),
    _S(
        "UA-09/sorokyne",
        "Сорокине",
        "Сорокино",
        "Sorokyne",
        "UA-09",
        former=("Краснодон", "Krasnodon"),
    ),
    _S(
        "UA-09/kadiivka",
        "Кадіївка",
        "Кадиевка",
        "Kadiivka",
        "UA-09",
        former=("Стаханов", "Stakhanov"),
    ),
    _S(
        "UA-09/khrustalnyi",
        "Хрустальний",
        "Хрустальный",
        "Khrustalnyi",
        "UA-09",
        former=("Красний Луч", "Красный Луч", "Krasnyi Luch", "Krasny Luch"),
    ),
    _S("UA-09/rovenky", "Ровеньки", "Ровеньки", "Rovenky", "UA-09", ("Rovenki",)),
    _S("UA-09/antratsyt", "Антрацит", "Антрацит", "Antratsyt", "UA-09", ("Antratsit",)),
    _S("UA-09/brianka", "Брянка", "Брянка", "Brianka", "UA-09", ("Bryanka",)),
    _S("UA-09/shchastia", "Щастя", "Счастье", "Shchastia", "UA-09", ("Schastye",)),
    _S("UA-09/kreminna", "Кремінна", "Кременная", "Kreminna", "UA-09", ("Kremennaya",)),
    _S("UA-09/zolote", "Золоте", "Золотое", "Zolote", "UA-09"),
    _S("UA-09/hirske", "Гірське", "Горское", "Hirske", "UA-09", ("Gorskoye",)),
    _S(
        "UA-09/stanytsia-luhanska",
        "Станиця Луганська",
        "Станица Луганская",
        "Stanytsia Luhanska",
        "UA-09",
    ),
    _S("UA-09/bilovodsk", "Біловодськ", "Беловодск", "Bilovodsk", "UA-09"),
    _S("UA-09/novoaidar", "Новоайдар", "Новоайдар", "Novoaidar", "UA-09"),
    _S("UA-09/lutuhyne", "Лутугине", "Лутугино", "Lutuhyne", "UA-09", ("Lutugino",)),
    _S("UA-09/perevalsk", "Перевальськ", "Перевальск", "Perevalsk", "UA-09"),
    _S(
        "UA-09/otamanivka",
        "Отаманівка",
        "Отамановка",
        "Otamanivka",
        "UA-09",
        former=("Молодогвардійськ", "Молодогвардейск", "Molodohvardiisk", "Molodogvardeysk"),
    ),
    _S(
        "UA-09/kypuche",
        "Кипуче",
        "Кипучее",
        "Kypuche",
        "UA-09",
        # Shared with Бахмут (Donetsk oblast): the oblast in the text tells them apart.
        former=("Артемівськ", "Артёмовск", "Artemivsk", "Artemovsk"),
    ),
    # --- Zaporizhzhia oblast -------------------------------------------------------------
    _S("UA-23/melitopol", "Мелітополь", "Мелитополь", "Melitopol", "UA-23"),
    _S("UA-23/berdiansk", "Бердянськ", "Бердянск", "Berdiansk", "UA-23", ("Berdyansk",)),
    _S("UA-23/enerhodar", "Енергодар", "Энергодар", "Enerhodar", "UA-23", ("Energodar",)),
    _S("UA-23/polohy", "Пологи", "Пологи", "Polohy", "UA-23", ("Pologi",)),
    _S("UA-23/tokmak", "Токмак", "Токмак", "Tokmak", "UA-23"),
    _S("UA-23/vasylivka", "Василівка", "Васильевка", "Vasylivka", "UA-23", ("Vasilyevka",)),
    _S("UA-23/orikhiv", "Оріхів", "Орехов", "Orikhiv", "UA-23", ("Orekhov",)),
    _S("UA-23/huliaipole", "Гуляйполе", "Гуляйполе", "Huliaipole", "UA-23", ("Gulyaipole",)),
    _S(
        "UA-23/kamianka-dniprovska",
        "Кам'янка-Дніпровська",
        "Каменка-Днепровская",
        "Kamianka-Dniprovska",
        "UA-23",
    ),
    _S("UA-23/prymorsk", "Приморськ", "Приморск", "Prymorsk", "UA-23"),
    _S("UA-23/yakymivka", "Якимівка", "Акимовка", "Yakymivka", "UA-23", ("Akimovka",)),
    _S("UA-23/dniprorudne", "Дніпрорудне", "Днепрорудное", "Dniprorudne", "UA-23"),
    _S(
        "UA-23/bilmak",
        "Більмак",
        "Бильмак",
        "Bilmak",
        "UA-23",
        ("Бельмак",),
        former_local=("Куйбишеве", "Куйбышево", "Kuibysheve"),
    ),
    _S("UA-23/molochansk", "Молочанськ", "Молочанск", "Molochansk", "UA-23"),
    _S("UA-23/kyrylivka", "Кирилівка", "Кирилловка", "Kyrylivka", "UA-23"),
    # --- Kherson oblast ------------------------------------------------------------------
    _S("UA-65/nova-kakhovka", "Нова Каховка", "Новая Каховка", "Nova Kakhovka", "UA-65"),
    _S("UA-65/kakhovka", "Каховка", "Каховка", "Kakhovka", "UA-65"),
    _S(
        "UA-65/oleshky",
        "Олешки",
        "Алешки",
        "Oleshky",
        "UA-65",
        ("Aleshki",),
        former=("Цюрупинськ", "Цюрупинск", "Tsiurupynsk", "Tsyurupinsk"),
    ),
    _S("UA-65/skadovsk", "Скадовськ", "Скадовск", "Skadovsk", "UA-65"),
    _S("UA-65/henichesk", "Генічеськ", "Геническ", "Henichesk", "UA-65", ("Genichesk",)),
    _S("UA-65/hola-prystan", "Гола Пристань", "Голая Пристань", "Hola Prystan", "UA-65"),
    _S("UA-65/beryslav", "Берислав", "Берислав", "Beryslav", "UA-65"),
    _S("UA-65/tavriisk", "Таврійськ", "Таврийск", "Tavriisk", "UA-65"),
    _S("UA-65/chaplynka", "Чаплинка", "Чаплинка", "Chaplynka", "UA-65"),
    _S("UA-65/novotroitske", "Новотроїцьке", "Новотроицкое", "Novotroitske", "UA-65"),
    _S("UA-65/kalanchak", "Каланчак", "Каланчак", "Kalanchak", "UA-65"),
    _S(
        "UA-65/velyka-lepetykha", "Велика Лепетиха", "Великая Лепетиха", "Velyka Lepetykha", "UA-65"
    ),
    _S("UA-65/chornobaivka", "Чорнобаївка", "Чернобаевка", "Chornobaivka", "UA-65"),
    _S("UA-65/zaliznyi-port", "Залізний Порт", "Железный Порт", "Zaliznyi Port", "UA-65"),
    _S("UA-65/lazurne", "Лазурне", "Лазурное", "Lazurne", "UA-65"),
    _S("UA-65/askaniia-nova", "Асканія-Нова", "Аскания-Нова", "Askaniia-Nova", "UA-65"),
    # --- Kharkiv oblast ------------------------------------------------------------------
    _S("UA-63/izium", "Ізюм", "Изюм", "Izium", "UA-63", ("Izyum",)),
    _S("UA-63/kupiansk", "Куп'янськ", "Купянск", "Kupiansk", "UA-63", ("Kupyansk",)),
    _S(
        "UA-63/kupiansk-vuzlovyi",
        "Куп'янськ-Вузловий",
        "Купянск-Узловой",
        "Kupiansk-Vuzlovyi",
        "UA-63",
    ),
    _S("UA-63/balakliia", "Балаклія", "Балаклея", "Balakliia", "UA-63", ("Balakleya",)),
    _S("UA-63/vovchansk", "Вовчанськ", "Волчанск", "Vovchansk", "UA-63", ("Volchansk",)),
    _S("UA-63/chuhuiv", "Чугуїв", "Чугуев", "Chuhuiv", "UA-63", ("Chuguyev",)),
    _S("UA-63/lozova", "Лозова", "Лозовая", "Lozova", "UA-63", ("Lozovaya",)),
    _S("UA-63/derhachi", "Дергачі", "Дергачи", "Derhachi", "UA-63"),
    _S("UA-63/merefa", "Мерефа", "Мерефа", "Merefa", "UA-63"),
    _S("UA-63/barvinkove", "Барвінкове", "Барвенково", "Barvinkove", "UA-63"),
    _S("UA-63/liubotyn", "Люботин", "Люботин", "Liubotyn", "UA-63"),
    _S(
        "UA-63/berestyn",
        "Берестин",
        "Берестин",
        "Berestyn",
        "UA-63",
        former=("Красноград", "Krasnohrad", "Krasnograd"),
    ),
    _S("UA-63/bohodukhiv", "Богодухів", "Богодухов", "Bohodukhiv", "UA-63"),
    _S("UA-63/kozacha-lopan", "Козача Лопань", "Казачья Лопань", "Kozacha Lopan", "UA-63"),
    # --- Autonomous Republic of Crimea and Sevastopol ------------------------------------
    _S("UA-43/kerch", "Керч", "Керчь", "Kerch", "UA-43"),
    _S("UA-43/yalta", "Ялта", "Ялта", "Yalta", "UA-43"),
    _S("UA-43/dzhankoi", "Джанкой", "Джанкой", "Dzhankoi", "UA-43", ("Dzhankoy",)),
    _S(
        "UA-43/yevpatoriia",
        "Євпаторія",
        "Евпатория",
        "Yevpatoriia",
        "UA-43",
        ("Yevpatoria", "Evpatoria", "Eupatoria"),
    ),
    _S("UA-43/feodosiia", "Феодосія", "Феодосия", "Feodosiia", "UA-43", ("Feodosia", "Theodosia")),
    _S("UA-43/alushta", "Алушта", "Алушта", "Alushta", "UA-43"),
    _S(
        "UA-43/bakhchysarai", "Бахчисарай", "Бахчисарай", "Bakhchysarai", "UA-43", ("Bakhchisaray",)
    ),
    _S("UA-43/armiansk", "Армянськ", "Армянск", "Armiansk", "UA-43", ("Armyansk",)),
    _S(
        "UA-43/yany-kapu",
        "Яни Капу",
        "Яны Капу",
        "Yany Kapu",
        "UA-43",
        former=("Красноперекопськ", "Красноперекопск", "Krasnoperekopsk"),
    ),
    _S("UA-43/saky", "Саки", "Саки", "Saky", "UA-43", ("Saki",)),
    _S("UA-43/sudak", "Судак", "Судак", "Sudak", "UA-43"),
    _S("UA-43/staryi-krym", "Старий Крим", "Старый Крым", "Staryi Krym", "UA-43"),
    _S("UA-43/shcholkine", "Щолкіне", "Щёлкино", "Shcholkine", "UA-43", ("Shchyolkino",)),
    _S("UA-43/chornomorske", "Чорноморське", "Черноморское", "Chornomorske", "UA-43"),
    _S("UA-40/inkerman", "Інкерман", "Инкерман", "Inkerman", "UA-40"),
    _S("UA-40/balaklava", "Балаклава", "Балаклава", "Balaklava", "UA-40"),
    # --- Other oblasts: towns of the 2022 occupation and renamed towns -------------------
    _S("UA-32/bucha", "Буча", "Буча", "Bucha", "UA-32"),
    _S("UA-32/irpin", "Ірпінь", "Ирпень", "Irpin", "UA-32"),
    _S("UA-32/borodianka", "Бородянка", "Бородянка", "Borodianka", "UA-32"),
    _S("UA-32/hostomel", "Гостомель", "Гостомель", "Hostomel", "UA-32"),
    _S("UA-32/bila-tserkva", "Біла Церква", "Белая Церковь", "Bila Tserkva", "UA-32"),
    _S("UA-12/kryvyi-rih", "Кривий Ріг", "Кривой Рог", "Kryvyi Rih", "UA-12", ("Krivoy Rog",)),
    _S(
        "UA-12/kamianske",
        "Кам'янське",
        "Каменское",
        "Kamianske",
        "UA-12",
        former=("Дніпродзержинськ", "Днепродзержинск", "Dniprodzerzhynsk", "Dneprodzerzhinsk"),
    ),
    _S("UA-12/nikopol", "Нікополь", "Никополь", "Nikopol", "UA-12"),
    _S("UA-12/marhanets", "Марганець", "Марганец", "Marhanets", "UA-12"),
    _S("UA-12/pavlohrad", "Павлоград", "Павлоград", "Pavlohrad", "UA-12"),
    _S(
        "UA-12/samar",
        "Самар",
        "Самар",
        "Samar",
        "UA-12",
        former=("Новомосковськ", "Новомосковск", "Novomoskovsk"),
    ),
    _S(
        "UA-12/pokrov",
        "Покров",
        "Покров",
        "Pokrov",
        "UA-12",
        # Орджонікідзе was also Yenakiieve's name (1937-1943) and Vladikavkaz's until 1990.
        former_local=("Орджонікідзе", "Орджоникидзе", "Ordzhonikidze"),
    ),
    _S("UA-53/kremenchuk", "Кременчук", "Кременчуг", "Kremenchuk", "UA-53", ("Kremenchug",)),
    _S(
        "UA-53/horishni-plavni",
        "Горішні Плавні",
        "Горишние Плавни",
        "Horishni Plavni",
        "UA-53",
        former=("Комсомольськ", "Комсомольск", "Komsomolsk"),
    ),
    _S("UA-35/oleksandriia", "Олександрія", "Александрия", "Oleksandriia", "UA-35"),
    _S("UA-35/svitlovodsk", "Світловодськ", "Светловодск", "Svitlovodsk", "UA-35"),
    _S("UA-48/pervomaisk", "Первомайськ", "Первомайск", "Pervomaisk", "UA-48", ("Pervomaysk",)),
    _S("UA-48/voznesensk", "Вознесенськ", "Вознесенск", "Voznesensk", "UA-48"),
    _S("UA-48/ochakiv", "Очаків", "Очаков", "Ochakiv", "UA-48", ("Ochakov",)),
    _S("UA-48/snihurivka", "Снігурівка", "Снигирёвка", "Snihurivka", "UA-48"),
    _S("UA-51/izmail", "Ізмаїл", "Измаил", "Izmail", "UA-51"),
    _S(
        "UA-51/chornomorsk",
        "Чорноморськ",
        "Черноморск",
        "Chornomorsk",
        "UA-51",
        former=("Іллічівськ", "Ильичёвск", "Illichivsk", "Ilyichevsk"),
    ),
    _S(
        "UA-51/bilhorod-dnistrovskyi",
        "Білгород-Дністровський",
        "Белгород-Днестровский",
        "Bilhorod-Dnistrovskyi",
        "UA-51",
    ),
    _S("UA-59/okhtyrka", "Охтирка", "Ахтырка", "Okhtyrka", "UA-59", ("Akhtyrka",)),
    _S("UA-59/konotop", "Конотоп", "Конотоп", "Konotop", "UA-59"),
    _S("UA-59/shostka", "Шостка", "Шостка", "Shostka", "UA-59"),
    _S("UA-74/snovsk", "Сновськ", "Сновск", "Snovsk", "UA-74", former=("Щорс", "Shchors")),
    _S(
        "UA-56/varash",
        "Вараш",
        "Вараш",
        "Varash",
        "UA-56",
        former=("Кузнецовськ", "Кузнецовск", "Kuznetsovsk"),
    ),
)
