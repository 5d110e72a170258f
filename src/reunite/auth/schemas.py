"""Shapes of the API's answers about the caller, and of its error answers."""

from __future__ import annotations

from pydantic import BaseModel, Field

from reunite.auth.enums import Language, Role
from reunite.parties.enums import PartyRole


class MeRead(BaseModel):
    """The caller of an API request: who they are, their role and their party."""

    user_id: int
    username: str
    display_name: str
    role: Role
    party: str | None
    party_role: PartyRole | None
    language: Language


class ErrorRead(BaseModel):
    """Every failed API call answers with this: a message and the error's class name."""

    detail: str
    code: str


class FileRejectedRead(ErrorRead):
    """A list refused as a whole: nothing of it was stored; every problem, one per line.

    A request refused before its file is read (no party named, say) has no problems.
    """

    problems: list[str] = Field(default_factory=list)
