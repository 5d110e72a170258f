"""Tracing requests rendered the way a Ukrainian relative fills in a form."""

from __future__ import annotations

from datetime import date, timedelta
from random import Random

from reunite.demo.generator._chance import phone, shift_years, typo, uniform
from reunite.demo.generator._lexicon import Lexicon
from reunite.demo.generator._model import SEPARATION_LAST, WAR_START, Child
from reunite.demo.generator._names import APOSTROPHES
from reunite.demo.generator._translit import transliterate
from reunite.demo.name_data import (
    CIRCUMSTANCES,
    MARKS,
    Town,
)

_RELATIONS_UA = ("мати", "батько", "бабуся", "тітка", "сестра")
_RELATIONS_EN = ("mother", "father", "grandmother", "aunt", "sister")
_SECOND_RELATIONS_UA = ("бабуся", "дідусь", "тітка", "дядько", "хрещена")
_SECOND_RELATIONS_EN = ("grandmother", "grandfather", "aunt", "uncle", "godmother")
_PLACE_DETAILS = (
    "лікарня №2",
    "дитячий будинок",
    "школа-інтернат",
    "фільтраційний пункт",
    "пологовий будинок",
    "укриття в школі",
    "санаторій",
)


def _person(surname: str, given: str, patr: str, x: float) -> str:
    if x < 0.5 and patr:
        return f"{surname} {given} {patr}"
    if x < 0.62 and patr:
        return f"{given} {patr} {surname}"
    if x < 0.85:
        return f"{given} {surname}"
    if x < 0.93:
        return given
    return f"{surname} {given[0]}.{patr[0] + '.' if patr else ''}"


def _partial(d: date, x: float) -> str:
    if x < 0.07:
        return f"{d.year:04d}-{d.month:02d}"
    if x < 0.11:
        return f"{d.year:04d}"
    return d.isoformat()


class RequestRenderer:
    """Render a request row the way a Ukrainian relative would fill in a tracing form."""

    def __init__(self, rng: Random, lex: Lexicon, today: date) -> None:
        self.rnd = rng.random
        self.lex = lex
        self.today = today

    def _place(self, town: Town) -> str:
        x = self.rnd()
        if x < 0.35:
            return f"м. {town.ua}, {town.oblast.ua}"
        if x < 0.65:
            return town.ua
        if x < 0.85:
            return f"м. {town.ua}"
        return f"{town.ua}, {town.oblast.ua.replace('обл.', 'область')}"

    def render(self, child: Child, role: int) -> dict[str, str]:
        """Render the request of a child by its first (role 0) or second requester."""
        rnd = self.rnd
        lex = self.lex
        fam = child.family
        fem = child.sex == "F"
        script = child.request_scripts[role]
        second = role == 1
        rid = child.request_ids[role]

        given = child.given.ua
        if child.given.ua_diminutives and rnd() < (0.10 if second else 0.03):
            given = uniform(rnd, child.given.ua_diminutives)
        surname = fam.surname.ua_f if fem else fam.surname.ua_m
        if rnd() < 0.02:
            surname = typo(surname, rnd, False)
        keep_patr = rnd() < (0.78 if script == "cyr" else 0.12) * (0.6 if second else 1.0)
        patr = lex.ua_patr[fam.father_given.ua][fem] if keep_patr else ""

        birth = child.birth
        if rnd() < 0.02:  # relatives misremember too
            birth = birth + timedelta(days=1) if rnd() < 0.5 else shift_years(birth, -1)
            birth = min(birth, self.today)
        birth_date = _partial(birth, rnd() * (0.4 if second else 1.0))
        birth_place = "" if rnd() < (0.3 if second else 0.1) else self._place(child.birth_town)

        m_patr = lex.ua_patr[fam.mother_father.ua][1]
        # A parent filing the request always names themself.
        self_mother = not second and fam.relation == 0
        self_father = not second and fam.relation == 1
        mother = ""
        if rnd() >= (0.25 if second else 0.1) or self_mother:
            mother = _person(fam.mother_surname.ua_f, fam.mother_given.ua, m_patr, rnd())
        father = ""
        if fam.father_known and (rnd() >= 0.2 or self_father):
            f_patr = lex.ua_patr[fam.father_father.ua][0]
            father = _person(fam.surname.ua_m, fam.father_given.ua, f_patr, rnd())

        last_town = fam.last_place
        if second and rnd() < 0.2:
            last_town = child.birth_town
        last_place = self._place(last_town)
        if rnd() < 0.3:
            last_place += ", " + uniform(rnd, _PLACE_DETAILS)
        sep = fam.separation
        if rnd() < 0.05 or second:
            sep = min(sep + timedelta(days=int(rnd() * 21) - 10), self.today, SEPARATION_LAST)
            sep = max(sep, WAR_START)
        x = rnd()
        separation_date = (
            "" if x < 0.03 else (f"{sep.year:04d}-{sep.month:02d}" if x < 0.15 else sep.isoformat())
        )
        circ_ua_m, circ_ua_f, circ_en = CIRCUMSTANCES[fam.circumstance]
        marks = MARKS[child.mark] if child.mark >= 0 and rnd() < 0.75 else None

        latin = script != "cyr"
        if second:
            rel_ua = uniform(rnd, _SECOND_RELATIONS_UA)
            idx = _SECOND_RELATIONS_UA.index(rel_ua)
            rel_en = _SECOND_RELATIONS_EN[idx]
            kin_female = idx in (0, 2, 4)
            kin_given = uniform(rnd, lex.female_parent if kin_female else lex.male_parent).ua
            kin_sur = fam.mother_surname if rnd() < 0.5 else fam.surname
            kin_surname = kin_sur.ua_f if kin_female else kin_sur.ua_m
            phone_seed = int(rnd() * 2**40)
        else:
            rel_ua, rel_en = _RELATIONS_UA[fam.relation], _RELATIONS_EN[fam.relation]
            if fam.relation == 0:
                kin_given, kin_surname = fam.mother_given.ua, fam.mother_surname.ua_f
            elif fam.relation == 1:
                kin_given, kin_surname = fam.father_given.ua, fam.surname.ua_m
            else:
                # Derived from the family so that siblings' requests share one contact.
                kin_given = lex.female_parent[fam.phone_seed % len(lex.female_parent)].ua
                kin_surname = fam.surname.ua_f
            phone_seed = fam.phone_seed
        if rnd() < 0.2:
            domain = uniform(rnd, ("ukr.net", "gmail.com", "i.ua", "meta.ua"))
            reach = (
                f"{transliterate(kin_given).lower()}.{transliterate(kin_surname).lower()}"
                f"{phone_seed % 90 + 10}@{domain}"
            ).replace("'", "")
        else:
            reach = phone(phone_seed, int(rnd() * 4))

        variants: list[str] = []
        if child.given.ua_diminutives and rnd() < 0.35:
            variants.extend(child.given.ua_diminutives)

        if latin:
            if script == "legacy":
                # Pre-2010 passports often spelled the Russian form of the name.
                l_given = transliterate(child.given.ru[0], "legacy")
                l_surname = transliterate(fam.surname.ru_f if fem else fam.surname.ru_m, "legacy")
                l_patr = (
                    transliterate(lex.ru_patr[fam.father_given.ru[0]][fem], "legacy")
                    if patr
                    else ""
                )
            else:
                l_given = transliterate(given, script)
                l_surname = transliterate(surname, script)
                l_patr = transliterate(patr, script)
            given, surname, patr = l_given, l_surname, l_patr
            birth_place = transliterate(birth_place, script if script != "legacy" else "kmu")
            last_place = transliterate(last_place, "kmu")
            mother = transliterate(mother, "kmu")
            father = transliterate(father, "kmu")
            circumstances = circ_en.format(place=transliterate(fam.last_place.ua))
            mark_text = marks[2] if marks else ""
            contact = f"{rel_en}: {transliterate(kin_given)} {transliterate(kin_surname)}, {reach}"
            if rnd() < 0.3:
                variants = [child.given.ua] + [transliterate(v) for v in variants]
            else:
                variants = [transliterate(v) for v in variants]
            caps = rnd() < 0.3
        else:
            circumstances = (circ_ua_f if fem else circ_ua_m).format(place=fam.last_place.ua)
            mark_text = marks[0] if marks else ""
            contact = f"{rel_ua}: {kin_surname} {kin_given}, {reach}"
            if rnd() < 0.05:
                variants.append(fam.surname.ru_phon_f if fem else fam.surname.ru_phon_m)
            caps = rnd() < 0.06
            if rnd() < 0.3:
                # People type whatever apostrophe their keyboard offers.
                apos = uniform(rnd, APOSTROPHES)
                given, surname, birth_place = (
                    given.replace("'", apos),
                    surname.replace("'", apos),
                    birth_place.replace("'", apos),
                )
            if rnd() < 0.06:
                # A Latin i typed inside a Cyrillic word (Олексiй) is a common slip.
                given, surname, patr, mother, father = (
                    s.replace("і", "i").replace("І", "I")
                    for s in (given, surname, patr, mother, father)
                )
        if caps:
            given, surname, patr, mother, father = (
                s.upper() for s in (given, surname, patr, mother, father)
            )
        if rnd() < 0.015:
            surname += " "

        return {
            "id": rid,
            "given_name": given,
            "surname": surname,
            "patronymic": patr,
            "sex": child.sex,
            "birth_date": birth_date,
            "birth_place": birth_place,
            "mother_name": mother,
            "father_name": father,
            "last_known_place": last_place,
            "separation_date": separation_date,
            "separation_circumstances": circumstances,
            "distinguishing_marks": mark_text,
            "contact": contact,
            "name_variants": "; ".join(variants),
        }
