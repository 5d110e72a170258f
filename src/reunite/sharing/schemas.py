"""Shapes of the release feed that party systems and families' apps read."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class ReleaseFeedRead(BaseModel):
    """The releases to the caller that changed since a cursor, and the cursor to keep.

    An item is a record as released (only the fields its release carries), or
    `{"release", "record", "revoked": true}` for a release withdrawn since: delete it.
    Ask again with `since=cursor` while `more` is true; acknowledge with the cursor once
    stored.
    """

    items: list[dict[str, Any]]
    cursor: str
    acknowledged: str | None
    more: bool

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "items": [
                        {
                            "release": 7,
                            "record": "0b6f3c1e-8a59-4a53-9a3a-0d1f0c7a4e11",
                            "kind": "disclosures",
                            "scope": "disclosure_to_party",
                            "released_at": "2026-12-06T10:20:00.000000Z",
                            "changed_at": "2026-12-06T10:20:00.000000Z",
                            "fields": {"surname": "Лисенко", "given_name": "Марія"},
                        },
                        {
                            "release": 3,
                            "record": "…",
                            "revoked": True,
                            "changed_at": "2026-12-06T10:21:00.000000Z",
                        },
                    ],
                    "cursor": "2026-12-06T10:21:00.000000Z",
                    "acknowledged": "2026-12-05T18:00:00.000000Z",
                    "more": False,
                }
            ]
        }
    )


class AckCreate(BaseModel):
    """Acknowledge everything up to a cursor the feed gave."""

    cursor: str = Field(max_length=40, examples=["2026-12-06T10:21:00.000000Z"])


class AckRead(BaseModel):
    """The cursor now acknowledged."""

    acknowledged: str
