"""Shapes of the API's answers about the caller, and of its error answers."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

Role = Literal["admin", "caseworker", "liaison", "family", "adult", "auditor"]
Language = Literal["en", "uk", "ru"]


class MeRead(BaseModel):
    """The caller of an API request: who they are, their role and their party."""

    user_id: int
    username: str
    display_name: str
    role: Role
    party: str | None
    party_role: Literal["mediator", "requesting", "custodial"] | None
    language: Language


class ErrorRead(BaseModel):
    """Every failed API call answers with this: a message and the error's class name."""

    detail: str
    code: str


class FileRejectedRead(ErrorRead):
    """A list refused as a whole: nothing of it was stored; every problem, one per line."""

    problems: list[str]
