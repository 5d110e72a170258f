"""Shapes of records in the API: one record, and a page of them."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from reunite.records.search import FoundBy

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


class RecordFound(RecordRead):
    """A record in a list or a search, with why the search found it."""

    found_by: list[FoundBy] = Field(
        default_factory=list,
        description=(
            "Why the search `q` found this record: `child_name` (the child's own surname, "
            "given name, patronymic or other spellings), `reference` (the party's own "
            "reference) and/or `parent_name` (the mother's or the father's name; the "
            "words met there only). Records found by the child's own name or reference "
            "come before those that needed a parent's name. Empty without `q`."
        ),
    )


class RecordPage(BaseModel):
    """A page of the records the caller may see, with how many there are in all.

    Ordered by the child's surname then given name in a script-independent form, so that
    one child's spellings («Лисенко Олександр», «Lysenko Oleksandr», «Лысенко Александр»)
    are neighbours; with `q`, records found by the child's own name come first.
    """

    items: list[RecordFound]
    total: int
    limit: int
    offset: int
