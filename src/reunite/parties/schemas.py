"""Pydantic shapes of parties for the API and the command line."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from reunite.parties.enums import PartyRole


class PartyCreate(BaseModel):
    """What it takes to register a party."""

    name: str = Field(min_length=1, max_length=200)
    role: PartyRole


class PartyRead(BaseModel):
    """A party as shown to people and systems."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    role: PartyRole
    created_at: datetime
