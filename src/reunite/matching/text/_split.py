"""The full-name splitter: «Лисенко Олександр Миколайович», "Oleksandr Lysenko", «Лисенко О. М.».

One splitter for the whole project: the import splits a full-name column with it, and the
matcher reads parents' names («Коваль Леонід Артемович», «Коваль Л.А.») with it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

from reunite.matching.text._clean import clean_name, has_letters
from reunite.matching.text._given import is_known_given
from reunite.matching.text._scripts import script_of

__all__ = ["split_full_name"]

# Patronymic endings, lower case. Male «-ич» also ends many surnames (Бабич,
# Петрович) so position decides; the "sure" endings are practically never
# surnames and decide on their own when only two words are given.
_PATRONYMIC_RE: Final = re.compile(
    r"(?:..(?:ич|іч|вна|ична|ічна)"
    r"|..(?:ovych|evych|ovich|evich|ovitch|evitch|ych|yich|ich|ivna|ovna|evna|ichna|ychna))$"
)
_SURE_PATRONYMIC_RE: Final = re.compile(
    r"(?:вна|ична|ічна|йович|ьович|еевич|ьевич|єєвич"
    r"|ivna|ovna|evna|ichna|ychna|iovych|yovych|eevich|eyevich|ievych|yevych)$"
)
_SURNAME_RE: Final = re.compile(
    r"(?:енко|чук|..(?:ук|юк)|ськ(?:ий|а)|цьк(?:ий|а)|зьк(?:ий|а)|ск(?:ий|ая)|цк(?:ий|ая)"
    r"|....(?:ов|ова|ев|ева|єв|єва|ёв|ёва)"
    r"|enko|chuk|..(?:uk|iuk|yuk)|sk(?:yi|yy|iy|ii|y|a|aya)"
    r"|....(?:ov|ova|ev|eva|yov|yova))$"
)


def _given_score(token: str) -> int:
    """Score how much a token looks like a given name (+1) or a surname (-1)."""
    key = token.lower()
    score = 1 if is_known_given(token) else 0
    if _SURNAME_RE.search(key):
        # The dictionary has a few surnames among its first names (Петров).
        score -= 1
    return score


def _is_patronymic(token: str) -> bool:
    return _PATRONYMIC_RE.search(token.lower()) is not None


def _is_sure_patronymic(token: str) -> bool:
    return _SURE_PATRONYMIC_RE.search(token.lower()) is not None


def _join(tokens: Iterable[str]) -> str:
    return " ".join(tokens)


def _split_tokens(tokens: list[str], latin: bool) -> tuple[str, str, str]:
    count = len(tokens)
    if count == 1:
        token = tokens[0]
        return ("", token, "") if _given_score(token) > 0 else (token, "", "")

    if count == 2:
        first, second = tokens
        if _is_sure_patronymic(second) and not _is_patronymic(first):
            return "", first, second
        if latin:
            # Passport order «Given Surname» unless the first word is the
            # surname («LYSENKO OLEKSANDR»).
            score_first, score_second = _given_score(first), _given_score(second)
            if score_second > 0 and score_second > score_first:
                return first, second, ""
            return second, first, ""
        # Official Cyrillic order «Surname Given» unless the first word is the
        # given name and the second is not.
        score_first, score_second = _given_score(first), _given_score(second)
        if score_first > 0 and score_first > score_second:
            return second, first, ""
        return first, second, ""

    # Three words or more: the patronymic, if any, fixes the order.
    if _is_patronymic(tokens[1]) and not _is_patronymic(tokens[0]):
        # «Олександр Миколайович Лисенко»
        return _join(tokens[2:]), tokens[0], tokens[1]
    if _is_patronymic(tokens[-1]):
        # «Лисенко Олександр Миколайович», double surnames first
        return _join(tokens[:-2]), tokens[-2], tokens[-1]
    for index in range(2, count - 1):
        if _is_patronymic(tokens[index]):
            return (
                _join(tokens[: index - 1] + tokens[index + 1 :]),
                tokens[index - 1],
                tokens[index],
            )

    # No patronymic: initials («Лисенко О. М.») or several given names/surnames.
    if latin:
        if _given_score(tokens[0]) <= 0 and _given_score(tokens[1]) > 0:
            return _join(tokens[:-2]), tokens[-2], tokens[-1]
        given = 1
        while given < count - 1 and _given_score(tokens[given]) > 0:
            given += 1
        return _join(tokens[given:]), _join(tokens[:given]), ""
    if _given_score(tokens[0]) > 0 and _given_score(tokens[-2]) <= 0:
        return _join(tokens[1:]), tokens[0], ""
    return _join(tokens[:-2]), tokens[-2], tokens[-1]


def split_full_name(value: str) -> tuple[str, str, str]:
    """Split a full name into cleaned (surname, given_name, patronymic); "" where absent."""
    name = clean_name(value)
    if not has_letters(name):
        return "", "", ""
    latin = script_of(name) == "latin"
    surname_part, comma, rest = name.partition(",")
    if comma:
        # «Лисенко, Олександр Миколайович»: the comma marks the surname.
        tokens = [t for t in rest.replace(",", " ").split() if has_letters(t)]
        surname = clean_name(surname_part)
        if len(tokens) >= 2 and _is_patronymic(tokens[-1]):
            return surname, _join(tokens[:-1]), tokens[-1]
        if surname:
            return surname, _join(tokens), ""
        name = rest
    tokens = [t for t in name.split() if has_letters(t)]
    return _split_tokens(tokens, latin)
