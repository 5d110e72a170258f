"""Shapes of information requests in the API."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from reunite.db.ids import RowId
from reunite.inquiries.enums import AnswerKind, InquiryState


class InquiryItemCreate(BaseModel):
    """One child to ask about: a case, a tracing request, or a name (and date of birth)."""

    case_id: RowId | None = None
    request_id: uuid.UUID | None = None
    name: str = Field(default="", max_length=400)
    birth_date: str = Field(default="", max_length=20, description="YYYY, YYYY-MM or YYYY-MM-DD")
    question: str = Field(default="", max_length=2000)


class InquiryCreate(BaseModel):
    """The mediator's request to one party about one child or a list of children."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "party_id": 3,
                    "subject": "Children evacuated from Mariupol in March 2022",
                    "due_on": "2027-01-15",
                    "items": [
                        {"case_id": 12, "question": "Is she in your care? Where?"},
                        {"name": "Лисенко Олександр", "birth_date": "2014-03"},
                    ],
                }
            ]
        }
    )

    party_id: RowId
    subject: str = Field(min_length=1, max_length=300)
    note: str = Field(default="", max_length=2000)
    due_on: date
    items: list[InquiryItemCreate] = Field(min_length=1, max_length=500)


class AnswerCreate(BaseModel):
    """The asked party's answer for one child.

    `records`: ids or the party's own references of its records (kind `records`);
    `batch_id`: a list the party sent (kind `batch`); `note`: optional, any kind.
    """

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"kind": "records", "records": ["RU-1042"]},
                {"kind": "not_on_record", "note": "no child of that name and age in our lists"},
            ]
        }
    )

    kind: AnswerKind
    records: list[str] = Field(default_factory=list, max_length=50)
    batch_id: RowId | None = None
    note: str = Field(default="", max_length=2000)


class WithdrawCreate(BaseModel):
    """Why the mediator withdraws a request."""

    reason: str = Field(min_length=1, max_length=2000)


class AnswerRecordRead(BaseModel):
    """A record given in answer."""

    id: uuid.UUID
    reference: str
    kind: str


class InquiryItemRead(BaseModel):
    """One child asked about, and the answer.

    The party sees the name, date of birth and question only: `case_id` and `request_id`
    are the mediator's, null for anyone else.
    """

    id: int
    position: int
    case_id: int | None
    request_id: uuid.UUID | None
    name: str
    birth_date: str
    question: str
    answer: AnswerKind | None
    records: list[AnswerRecordRead]
    batch_id: int | None
    note: str
    answered_by: str | None
    answered_at: datetime | None


class InquirySummaryRead(BaseModel):
    """An information request in a list: how far it got, no child's name."""

    id: int
    number: str
    party_id: int
    party: str
    subject: str
    due_on: date
    state: InquiryState
    created_at: datetime
    answered_at: datetime | None
    items: int
    answered_items: int


class InquiryRead(InquirySummaryRead):
    """An information request with its children and their answers."""

    note: str
    created_by: str
    withdrawn_at: datetime | None
    withdrawn_by: str | None
    withdraw_reason: str
    children: list[InquiryItemRead]


class InquiryPage(BaseModel):
    """A page of information requests: open ones due soonest first."""

    items: list[InquirySummaryRead]
    total: int
    limit: int
    offset: int
