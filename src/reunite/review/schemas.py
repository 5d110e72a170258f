"""Shapes of match candidates and review decisions in the API."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from reunite.records.schemas import RecordRead
from reunite.review.enums import CandidateStatus, Decision


class DecisionCreate(BaseModel):
    """A caseworker's decision on a candidate pair, with the reason for it.

    Reversing a confirmed pair revokes the releases made on it: say so with
    `revoke_releases`, or the decision is refused (409, code `releases_depend`).
    """

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"decision": "confirmed", "reason": "same parents, birth date and town"}]
        }
    )

    decision: Decision
    reason: str = Field(min_length=1, max_length=2000)
    revoke_releases: bool = False


class DecisionRead(BaseModel):
    """One recorded decision on a candidate (every decision is kept)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    candidate_id: int
    decision: Decision
    reason: str
    decided_by: int
    decided_by_name: str
    decided_at: datetime


class DecisionOutcomeRead(DecisionRead):
    """A decision just recorded, and the releases it revoked (a reversal of a confirmation)."""

    revoked_releases: list[int]


class CandidateRead(BaseModel):
    """A request–record pair the engine proposed, both records, its explanation, decisions."""

    id: int
    request_id: uuid.UUID
    disclosed_id: uuid.UUID
    probability: float
    engine_decision: str
    rival: str
    # [[field, level, bits], ...]: how much each field's agreement weighed.
    explanation: list[Any]
    status: CandidateStatus
    created_at: datetime
    updated_at: datetime
    request: RecordRead
    disclosed: RecordRead
    decisions: list[DecisionRead]


class CandidatePage(BaseModel):
    """A page of the review queue, most probable first."""

    items: list[CandidateRead]
    total: int
    status: CandidateStatus
    limit: int
    offset: int
