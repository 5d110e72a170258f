"""Shapes of rounds of return in the API: a round, where each of its children is."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel

from reunite.cases.enums import CaseStatus

Phase = Literal["planned", "under_way", "finished"]
Where = Literal["waiting", "travelling", "home", "removed"]


class RoundCounts(BaseModel):
    """How many children of a round are at each place."""

    waiting: int
    travelling: int
    home: int
    removed: int


class RoundSummaryRead(BaseModel):
    """A round of return: date, route, escort organisation, handover point, and its counts."""

    id: int
    name: str
    planned_on: date
    route: str
    escort: str
    handover_point: str
    phase: Phase
    counts: RoundCounts
    created_at: datetime


class TravellerRead(BaseModel):
    """One child of a round: the case, and when the child left and was handed over, to whom."""

    case_id: int
    case_number: str
    status: CaseStatus
    family_group_id: int | None
    where: Where
    added_at: datetime
    departed_at: datetime | None
    handed_over_at: datetime | None
    received_by: str
    place: str
    apart_reason: str
    removed_at: datetime | None
    removed_reason: str


class RoundRead(RoundSummaryRead):
    """A round with every child it holds (those taken out too, with why)."""

    travellers: list[TravellerRead]


class RoundPage(BaseModel):
    """Rounds, the latest planned date first."""

    items: list[RoundSummaryRead]
    total: int
