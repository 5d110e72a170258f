"""Tables of information requests: the request to a party, a line per child, the answers.

An item keeps the child's name and date of birth as the mediator asked them, copied from the
case's tracing request or typed: the party's liaison reads the item, never the request itself
(which holds the family's contact details, and may not be released to that party at all).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from reunite.db.base import Base, UtcDateTime, one_of, utcnow
from reunite.inquiries.enums import STORED_STATES, AnswerKind


class Inquiry(Base):
    """The mediator's request to one party for information about one or more children."""

    __tablename__ = "inquiries"
    __table_args__ = (
        CheckConstraint(one_of("state", STORED_STATES), name="state"),
        # Lists per party by state; "overdue" is an open one past its day.
        Index("ix_inquiries_party_state_due", "party_id", "state", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("parties.id"))
    subject: Mapped[str] = mapped_column(String(300))
    # What the mediator wants to know, beyond each child's own question.
    note: Mapped[str] = mapped_column(Text, default="")
    due_on: Mapped[date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(12), default="open")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    # When the last of its children was answered (the time to answer runs to here).
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    withdrawn_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    withdraw_reason: Mapped[str] = mapped_column(Text, default="")

    @property
    def number(self) -> str:
        """Return the request's reference as people write it."""
        return f"IR-{self.id:05d}"


class InquiryItem(Base):
    """One child asked about, and the party's answer for them."""

    __tablename__ = "inquiry_items"
    __table_args__ = (
        CheckConstraint(
            "answer_kind IS NULL OR " + one_of("answer_kind", AnswerKind), name="answer_kind"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    inquiry_id: Mapped[int] = mapped_column(ForeignKey("inquiries.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    # The case and tracing request the child was chosen from, if any (the mediator's side).
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), default=None, index=True)
    request_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("records.id"), default=None
    )
    # What the party reads of the child: the name, the date of birth (partial), the question.
    name: Mapped[str] = mapped_column(String(400), default="")
    birth_date: Mapped[str] = mapped_column(String(10), default="")
    question: Mapped[str] = mapped_column(Text, default="")
    answer_kind: Mapped[str | None] = mapped_column(String(20), default=None)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("batches.id"), default=None)
    answer_note: Mapped[str] = mapped_column(Text, default="")
    answered_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)


class InquiryItemRecord(Base):
    """A record of the party given in answer for one child."""

    __tablename__ = "inquiry_item_records"

    item_id: Mapped[int] = mapped_column(ForeignKey("inquiry_items.id"), primary_key=True)
    record_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("records.id"), primary_key=True, index=True
    )
