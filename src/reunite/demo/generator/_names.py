"""Ukrainian names and their Russian forms: patronymics, surnames, letters."""

from __future__ import annotations

from reunite.demo.generator._model import SurnameForms
from reunite.demo.name_data import (
    RU_PATRONYMIC_OVERRIDES,
    UA_PATRONYMIC_OVERRIDES,
)

_UA_ONLY = str.maketrans(
    {
        "і": "и",
        "І": "И",
        "ї": "и",
        "Ї": "И",
        "є": "е",
        "Є": "Е",
        "ґ": "г",
        "Ґ": "Г",
        "'": None,
        "’": None,
        "ʼ": None,
    }
)


_PHONETIC_KEEP_I = set("жшчщцкгхЖШЧЩЦКГХ")
APOSTROPHES = ("'", "’", "ʼ")


def ua_patronymic(father: str, female: bool) -> str:
    """Return the Ukrainian patronymic derived from a father's Ukrainian given name."""
    if father in UA_PATRONYMIC_OVERRIDES:
        return UA_PATRONYMIC_OVERRIDES[father][female]
    if father.endswith("й"):  # Сергій → Сергійович/Сергіївна, Єлисей → Єлисеївна
        stem, m, f = father[:-1], "йович", "ївна"
    elif father.endswith("ь"):
        stem, m, f = father[:-1], "ьович", "івна"
    elif father[-1] in "оа":
        stem, m, f = father[:-1], "ович", "івна"
    else:
        stem, m, f = father, "ович", "івна"
    return stem + (f if female else m)


def ru_patronymic(father: str, female: bool) -> str:
    """Return the Russian patronymic derived from a father's Russian given name."""
    if father in RU_PATRONYMIC_OVERRIDES:
        return RU_PATRONYMIC_OVERRIDES[father][female]
    vowels = "аеёиоуыэюя"
    if father.endswith(("ей", "ай")):
        stem, m, f = father[:-1], "евич", "евна"
    elif father.endswith("ий"):
        stem = father[:-2]
        # Дмитрий/Георгий keep the и after a consonant cluster; Юрий → Юрьевич otherwise.
        low = stem.lower()
        soft = "и" if len(low) > 1 and low[-1] not in vowels and low[-2] not in vowels else "ь"
        stem, m, f = stem + soft, "евич", "евна"
    elif father.endswith("ь"):
        stem, m, f = father[:-1], "евич", "евна"
    elif father[-1] in "ая":
        stem, m, f = father[:-1], "ич", "ична"
    else:
        stem, m, f = father, "ович", "овна"
    return stem + (f if female else m)


def russify_letters(text: str, phonetic: bool = False) -> str:
    """Return Ukrainian text respelled with Russian letters (і→и, є→е, ї→и, ґ→г, ' dropped)."""
    if not phonetic:
        return text.translate(_UA_ONLY)
    # A clerk writing by ear renders Ukrainian и as ы once (Лисенко → Лысенко) and keeps
    # the apostrophe as a soft sign; Russian spelling forbids ы after к/г/х and hushers.
    chars = list(text)
    for i in range(1, len(chars)):
        if chars[i] == "и" and chars[i - 1] not in _PHONETIC_KEEP_I and chars[i - 1].isalpha():
            if chars[i - 1].lower() not in "аеєиіїоуюя":
                chars[i] = "ы"
                break
    out = "".join(chars)
    for a in APOSTROPHES:
        out = out.replace(a, "ь")
    return out.translate(_UA_ONLY)


_ADJ_SUFFIXES = (("ський", "ский"), ("цький", "цкий"), ("зький", "зкий"))


def russify_surname(ua: str, phonetic: bool = False, override: str = "") -> str:
    """Return the Russian spelling of a Ukrainian masculine surname."""
    if override:
        return override
    for ua_suffix, ru_suffix in _ADJ_SUFFIXES:
        if ua.endswith(ua_suffix):
            return russify_letters(ua[: -len(ua_suffix)], phonetic) + ru_suffix
    if ua.endswith("ий"):
        stem = russify_letters(ua[:-2], phonetic)
        return stem + ("ий" if stem[-1] in "кгхжшчщ" else "ый")
    return russify_letters(ua, phonetic)


def derived_surnames(stem: str) -> list[str]:
    """Return the patronymic-type surnames built on a stem (Гнат → Гнатенко, Гнатюк, ...)."""
    last = stem[-1]
    # Ukrainian picks -ук after р and hushers, -юк after dentals, -чук after labials.
    uk = "ук" if last in "ржшч" else ("юк" if last in "тдлнсз" else "чук")
    out = [stem + "енко", stem + uk, stem + "ів", stem + "ович"]
    if last not in "жшчщ":
        out.append(stem + "ишин")
    return out


def _ua_feminine(ua_m: str) -> str:
    # Ukrainian adjectival surnames agree in gender; -енко, -ук, -ич etc. are invariant.
    return ua_m[:-2] + "а" if ua_m.endswith("ий") else ua_m


def ru_feminine(ru_m: str) -> str:
    """Return the feminine form of a Russian (or Russified) masculine surname."""
    if ru_m.endswith(("ский", "цкий", "зкий", "ый", "ой", "ий")):
        return ru_m[:-2] + "ая"
    if ru_m.endswith(("ов", "ев", "ёв", "ин", "ын")):
        return ru_m + "а"
    return ru_m


def surname_forms(ua_m: str, override: str = "") -> SurnameForms:
    """Return a Ukrainian surname with its feminine and Russian forms."""
    ru_m = russify_surname(ua_m, False, override)
    ru_p = russify_surname(ua_m, True, override)
    adjectival = ua_m.endswith("ий")
    return SurnameForms(
        ua_m=ua_m,
        ua_f=_ua_feminine(ua_m),
        ru_m=ru_m,
        ru_f=ru_feminine(ru_m) if adjectival else ru_m,
        ru_phon_m=ru_p,
        ru_phon_f=ru_feminine(ru_p) if adjectival else ru_p,
    )
