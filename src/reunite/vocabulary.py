"""Closed vocabularies (statuses, kinds, roles) and the English labels people read.

Each vocabulary is one `StrEnum` beside its domain, its members carrying their label:
`JobState.QUEUED.label == "waiting to start"`. A label is an English message id, marked
with `N_()`; the pages translate it into the reader's language when they show it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Self


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


@dataclass(frozen=True)
class Message:
    """A sentence for people: an English template (a message id) and the values it names.

    `str(message)` is the English sentence (the command line, logs, the API's `detail`);
    a page translates the template into its reader's language, then fills in the values
    (a value that is itself a Message or a vocabulary member is translated too).
    """

    template: str
    values: Mapping[str, object] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.template.format(**{k: _english(v) for k, v in self.values.items()})

    def to_data(self) -> dict[str, Any]:
        """Return the message as JSON-ready data (values that are messages nest)."""
        values: dict[str, Any] = {}
        for name, value in self.values.items():
            if isinstance(value, Message):
                values[name] = {"message": value.to_data()}
            elif isinstance(value, Vocabulary):
                values[name] = {"message": Message(value.label).to_data()}
            elif isinstance(value, int | float | str) or value is None:
                values[name] = value
            else:
                values[name] = str(value)
        return {"template": self.template, "values": values}

    @classmethod
    def from_data(cls, data: object) -> Message | None:
        """Rebuild a message from `to_data`'s output; None for anything else."""
        if not isinstance(data, dict) or not isinstance(data.get("template"), str):
            return None
        raw = data.get("values")
        values: dict[str, object] = {}
        for name, value in (raw if isinstance(raw, dict) else {}).items():
            nested = cls.from_data(value.get("message")) if isinstance(value, dict) else None
            values[str(name)] = nested if nested is not None else value
        return cls(data["template"], values)


def say(template: str, **values: object) -> Message:
    """Make a message from a template marked for translation and its values."""
    return Message(template, values)


def _english(value: object) -> object:
    if isinstance(value, Vocabulary):
        return value.label
    if isinstance(value, Message):
        return str(value)
    return value
