"""Disclosed records rendered the way a Russian agency lists a child."""

from __future__ import annotations

from random import Random

from reunite.demo.generator._chance import typo, uniform
from reunite.demo.generator._lexicon import Lexicon
from reunite.demo.generator._model import Child
from reunite.demo.generator._names import russify_letters
from reunite.demo.name_data import (
    MARKS,
    Town,
)

_YO_KEYS = (
    "given_name",
    "surname",
    "patronymic",
    "mother_name",
    "father_name",
    "birth_place",
    "name_variants",
    "institution",
)


class DisclosureRenderer:
    """Render a disclosure row the way a Russian agency would list a child."""

    def __init__(self, rng: Random, lex: Lexicon) -> None:
        self.rnd = rng.random
        self.lex = lex
        self.russian_towns = tuple(c for r in lex.regions for c in r.cities)

    def _birth_place(self, town: Town) -> str:
        rnd = self.rnd
        name = town.ru_old if town.ru_old and rnd() < 0.6 else town.ru
        x = rnd()
        if x < 0.06:
            return ""
        if x < 0.35:
            return f"г. {name}"
        if x < 0.6:
            return f"г. {name}, {town.oblast.ru}"
        if x < 0.75:
            return f"г. {name}, {town.oblast.ru_occupied or town.oblast.ru}"
        if x < 0.9:
            return f"{name}, Украина"
        return name

    def render(self, child: Child) -> dict[str, str]:
        """Render a child's disclosed record."""
        rnd = self.rnd
        lex = self.lex
        fam = child.family
        fem = child.sex == "F"
        placement = child.placement
        assert placement is not None and child.disclosed_birth is not None
        changed = placement.surname_changed
        phonetic = rnd() < 0.15

        if changed:
            surname = placement.guardian_surname[fem]
        elif phonetic:
            surname = fam.surname.ru_phon_f if fem else fam.surname.ru_phon_m
        else:
            surname = fam.surname.ru_f if fem else fam.surname.ru_m
        if rnd() < 0.04:
            surname = typo(surname, rnd, True)

        g = child.given
        x = rnd()
        if x < 0.03:
            given = russify_letters(g.ua)  # registered from the child's own Ukrainian form
        elif x < 0.04 and g.ru_diminutives:
            given = g.ru_diminutives[0]
        elif len(g.ru) > 1 and x < 0.24:
            given = g.ru[1 + int(rnd() * (len(g.ru) - 1))]
        else:
            given = g.ru[0]
        if changed and rnd() < 0.3:
            patr = lex.ru_patr[uniform(rnd, lex.male_parent).ru[0]][fem]  # adoptive father
        elif rnd() < 0.06:
            patr = ""
        else:
            patr = lex.ru_patr[fam.father_given.ru[0]][fem]

        if child.identity_changed:
            birth_place = f"г. {uniform(rnd, self.russian_towns)}"
        else:
            birth_place = self._birth_place(child.birth_town)

        mother = ""
        if rnd() >= (0.5 if changed else 0.25):
            m_sur = fam.mother_surname.ru_f
            m_pat = lex.ru_patr[fam.mother_father.ru[0]][1]
            mother = self._person(m_sur, fam.mother_given.ru[0], m_pat)
        father = ""
        if fam.father_known and rnd() >= (0.6 if changed else 0.4):
            f_pat = lex.ru_patr[fam.father_father.ru[0]][0]
            father = self._person(fam.surname.ru_m, fam.father_given.ru[0], f_pat)

        variants: list[str] = []
        if changed and rnd() < 0.35:
            variants.append(fam.surname.ru_f if fem else fam.surname.ru_m)
        if g.ru_diminutives and rnd() < 0.15:
            variants.extend(g.ru_diminutives)

        if child.withheld:
            location = institution = ""
        else:
            region = placement.region
            location = (
                region.name
                if region.name.startswith("г. ")
                else f"г. {placement.city}, {region.name}"
            )
            institution = placement.institution
        marks = MARKS[child.mark][1] if child.mark >= 0 and rnd() < 0.5 else ""

        row = {
            "id": child.disclosure_id,
            "given_name": given,
            "surname": surname,
            "patronymic": patr,
            "sex": child.sex,
            "birth_date": child.disclosed_birth.isoformat(),
            "birth_place": birth_place,
            "mother_name": mother,
            "father_name": father,
            "current_location": location,
            "institution": institution,
            "distinguishing_marks": marks,
            "name_variants": "; ".join(variants),
            "withheld": "yes" if child.withheld else "",
        }
        if rnd() < 0.7:
            # Most Russian registries do not write ё.
            for key in _YO_KEYS:
                value = row[key]
                if "ё" in value or "Ё" in value:
                    row[key] = value.replace("ё", "е").replace("Ё", "Е")
        return row

    def _person(self, surname: str, given: str, patr: str) -> str:
        x = self.rnd()
        if x < 0.6:
            return f"{surname} {given} {patr}"
        if x < 0.75:
            return f"{surname} {given}"
        if x < 0.9:
            return f"{surname} {given[0]}.{patr[0]}."
        return given
