"""The engine's reasons for a pair, in the words a caseworker reads.

The engine stores, per field, the level of agreement it saw and the weight that level carries
(in bits: log2 of how much likelier it is for the same child than for the likeliest other
explanation, the *rival*: a relative, a namesake, another child; docs/MATCHING.md). A weight
is not what a caseworker should have to read: each field is said as how strong the evidence
is, for or against, and a field that agrees but weighs nothing says why (the rival would
agree on it too).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reunite.vocabulary import N_, Message, Vocabulary, say

# The fields the engine compares (matching.comparisons.LEVELS), as people name them.
FIELD_NAMES = {
    "given_name": N_("Given name"),
    "surname": N_("Surname"),
    "father": N_("Father (name or patronymic)"),
    "mother": N_("Mother's name"),
    "birth_date": N_("Date of birth"),
    "sex": N_("Sex"),
    "birth_place": N_("Place of birth"),
}
LEVEL_NAMES = {
    "same": N_("same"),
    "diminutive": N_("diminutive form"),
    "similar": N_("similar"),
    "different": N_("different"),
    "parent": N_("a parent's surname"),
    "initials": N_("initials agree"),
    "exact": N_("exactly the same"),
    "partial_agree": N_("agrees as far as known"),
    "transposed": N_("day and month swapped"),
    "off_by_day": N_("a day apart"),
    "typo": N_("one digit differs"),
    "off_by_year": N_("a year apart"),
    "year_only": N_("same year only"),
    "near": N_("close"),
    "same_oblast": N_("same region"),
    "missing": N_("not known on one side"),
}
# The likeliest other explanation the engine weighs a match against (matching.scoring).
RIVAL_NAMES = {
    "relative": N_("a relative (sibling or cousin)"),
    "namesake": N_("a namesake"),
    "other": N_("another child"),
}
DISAGREEING = frozenset({"different"})


class Strength(Vocabulary):
    """How much one field says for or against the same child."""

    STRONG_FOR = "strong_for", N_("strong evidence for the same child")
    FOR = "for", N_("evidence for the same child")
    WEAK_FOR = "weak_for", N_("weak evidence for the same child")
    NEUTRAL = "neutral", N_("no evidence either way")
    WEAK_AGAINST = "weak_against", N_("weak evidence against")
    AGAINST = "against", N_("evidence against the same child")
    STRONG_AGAINST = "strong_against", N_("strong evidence against the same child")


# Lower bounds in bits: 3 bits is eight times likelier, 1 bit twice, 0.2 bits 15 % likelier.
_THRESHOLDS = (
    (3.0, Strength.STRONG_FOR),
    (1.0, Strength.FOR),
    (0.2, Strength.WEAK_FOR),
    (-0.2, Strength.NEUTRAL),
    (-1.0, Strength.WEAK_AGAINST),
    (-3.0, Strength.AGAINST),
)


def strength_of(bits: float) -> Strength:
    """Say how strong a weight in bits is, in words."""
    for bound, strength in _THRESHOLDS:
        if bits >= bound:
            return strength
    return Strength.STRONG_AGAINST


@dataclass(frozen=True)
class Evidence:
    """One field's part in the engine's reasoning, said in words."""

    field: str
    level: str
    bits: float
    strength: Strength
    why: Message | None

    @property
    def field_name(self) -> str:
        """Return the field's name (a message id)."""
        return FIELD_NAMES.get(self.field, self.field)

    @property
    def level_name(self) -> str:
        """Return the level's name (a message id)."""
        return LEVEL_NAMES.get(self.level, self.level)

    @property
    def direction(self) -> str:
        """Return "for", "against" or "neutral", for the page's colours."""
        if self.strength in (Strength.STRONG_FOR, Strength.FOR, Strength.WEAK_FOR):
            return "for"
        if self.strength == Strength.NEUTRAL:
            return "neutral"
        return "against"


def rival_name(rival: str) -> str:
    """Return the rival explanation's name (a message id)."""
    return RIVAL_NAMES.get(rival, RIVAL_NAMES["other"])


def explain(explanation: list[Any], *, rival: str) -> list[Evidence]:
    """Turn a stored explanation ([[field, level, bits], ...]) into evidence in words."""
    found = []
    rival_words = Message(rival_name(rival))
    for item in explanation:
        if not isinstance(item, list | tuple) or len(item) != 3:
            continue
        field, level, bits = str(item[0]), str(item[1]), float(item[2])
        strength = strength_of(bits)
        why = None
        if level == "missing":
            why = say(N_("it is not known on one side, so it counts for nothing"))
        elif strength == Strength.NEUTRAL and level in DISAGREEING:
            why = say(
                N_("{rival} would differ here just as often, so it does not tell them apart"),
                rival=rival_words,
            )
        elif strength == Strength.NEUTRAL:
            why = say(
                N_("{rival} would agree here too, so it does not tell them apart"),
                rival=rival_words,
            )
        found.append(Evidence(field, level, bits, strength, why))
    return found
