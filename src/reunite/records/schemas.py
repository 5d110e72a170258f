"""Shapes of records in the API: one record, and a page of them."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field

from reunite.records.search import FoundBy

RecordKind = Literal["requests", "disclosures"]


class RecordRead(BaseModel):
    """One tracing request or disclosed record, in its current cleaned state.

    A record released to the caller carries only the fields its release allows: the others
    are null, and `not_shared` names them.
    """

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    party_id: int
    kind: RecordKind
    external_id: str | None
    given_name: str | None
    surname: str | None
    patronymic: str | None
    sex: str | None
    birth_date: str | None
    birth_place: str | None
    nationality: str | None
    mother_name: str | None
    father_name: str | None
    last_known_place: str | None
    separation_date: str | None
    separation_circumstances: str | None
    distinguishing_marks: str | None
    current_location: str | None
    institution: str | None
    contact: str | None
    name_variants: str | None
    withheld: bool
    withdrawn: bool
    extra: dict[str, Any] | None
    version: int
    created_at: datetime
    updated_at: datetime
    not_shared: list[str] = []

    @classmethod
    def of(cls, record: Any, shown: frozenset[str]) -> Self:
        """Describe a record with only the fields the caller may see (the rest null)."""
        read = cls.model_validate(record)
        hidden = sorted(
            name for name in PROJECTED if name not in shown and getattr(read, name) not in ("", {})
        )
        return read.model_copy(update=dict.fromkeys(hidden) | {"not_shared": hidden})


# The fields a release may leave out (sharing.enums.RELEASED_FIELDS chooses).
PROJECTED = (
    "external_id", "given_name", "surname", "patronymic", "sex", "birth_date", "birth_place",
    "nationality", "mother_name", "father_name", "last_known_place", "separation_date",
    "separation_circumstances", "distinguishing_marks", "current_location", "institution",
    "contact", "name_variants", "extra",
)  # fmt: skip


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
