"""Shapes of cases in the API: a case, its timeline, a page of cases, a move asked for."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from reunite.cases.enums import ApprovalKind, ApprovalState, CaseStatus, EventKind, Track


class CaseEventRead(BaseModel):
    """One line of a case's timeline (a family or a party sees the changes of status only)."""

    id: int
    at: datetime
    actor: str
    kind: EventKind
    from_status: CaseStatus | None
    to_status: CaseStatus | None
    reason: str
    # What the step rested on; given to the mediator's staff only.
    details: dict[str, Any] | None = None


class CaseRead(BaseModel):
    """A case: where the child's way home stands."""

    id: int
    number: str
    status: CaseStatus
    status_since: datetime
    track: Track
    turning_adult: bool
    request_id: uuid.UUID | None
    # The child's record once located; null while not located, or not shared with the caller.
    disclosed_id: uuid.UUID | None
    assigned_to: str | None
    family_group_id: int | None
    opened_at: datetime
    updated_at: datetime


class CaseDetailRead(CaseRead):
    """A case with its timeline, as the caller may know it."""

    events: list[CaseEventRead]


class CasePage(BaseModel):
    """A page of cases, those turning 18 soon first, then the latest changed."""

    items: list[CaseRead]
    total: int
    limit: int
    offset: int


class TransitionCreate(BaseModel):
    """A move of a case to another status, with the reason for it.

    Moves to verified, return_approved and closed are asked of a second person: the answer
    says so (`approval_id`), and the case moves when another caseworker approves.
    """

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"to": "tracing", "reason": "lists of May searched"}]}
    )

    to: str = Field(min_length=1, max_length=30)
    reason: str = Field(max_length=2000)


class TransitionRead(BaseModel):
    """What a move did: the case as it is now, and the approval it waits for, if any."""

    case: CaseRead
    moved: bool
    approval_id: int | None


class ApprovalDecisionCreate(BaseModel):
    """A second person's answer to a step another person asked for (never one's own)."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"approve": False, "reason": "the DNA result is missing"}]}
    )

    approve: bool
    # Needed to send a step back.
    reason: str = Field(default="", max_length=2000)


class ApprovalRead(BaseModel):
    """A step asked of a second person, and how it was decided."""

    id: int
    case_id: int
    kind: ApprovalKind
    state: ApprovalState
    note: str
    requested_by: str
    decided_by: str | None
    reason: str
    case: CaseRead
