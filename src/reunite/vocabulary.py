"""Closed vocabularies (statuses, kinds, roles) and the English labels people read.

Each vocabulary is one `StrEnum` beside its domain, its members carrying their label:
`JobState.QUEUED.label == "waiting to start"`. A label is an English message id, marked
with `N_()`; the pages translate it into the reader's language when they show it.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Self


def N_(text: str) -> str:
    """Mark a message id for translation; it is translated where a page shows it."""
    return text


class Vocabulary(StrEnum):
    """A closed set of codes stored as text, each with the label people read."""

    label: str

    def __new__(cls, value: str, label: str = "") -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label or value
        return member

    @classmethod
    def values(cls) -> tuple[str, ...]:
        """Return every code, in the order the vocabulary lists them."""
        return tuple(member.value for member in cls)

    @classmethod
    def labels(cls) -> dict[str, str]:
        """Return code → label for every member (templates look labels up by code)."""
        return {member.value: member.label for member in cls}
