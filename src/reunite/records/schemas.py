"""Shapes of records in the API: one record, and a page of them."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

RecordKind = Literal["requests", "disclosures"]


class RecordRead(BaseModel):
    """One tracing request or disclosed record, in its current cleaned state."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    party_id: int
    kind: RecordKind
    external_id: str
    given_name: str
    surname: str
    patronymic: str
    sex: str
    birth_date: str
    birth_place: str
    nationality: str
    mother_name: str
    father_name: str
    last_known_place: str
    separation_date: str
    separation_circumstances: str
    distinguishing_marks: str
    current_location: str
    institution: str
    contact: str
    name_variants: str
    withheld: bool
    withdrawn: bool
    extra: dict[str, Any]
    version: int
    created_at: datetime
    updated_at: datetime


class RecordPage(BaseModel):
    """A page of the records the caller may see, with how many there are in all."""

    items: list[RecordRead]
    total: int
    limit: int
    offset: int
