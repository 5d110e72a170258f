"""Tables of the channel: family news messages (with their photo) and calls.

A message keeps the time of each of its states, who moved it there and, when it was
returned, why: the sender sees where their message is, the auditor who moderated it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from reunite.channel.enums import CallState, Direction, MessageState
from reunite.db.base import Base, JsonDocument, UtcDateTime, one_of, utcnow


class ChannelMessage(Base):
    """A short family news message on the standard form, read by the mediator before it goes."""

    __tablename__ = "channel_messages"
    __table_args__ = (
        CheckConstraint(one_of("state", MessageState), name="state"),
        CheckConstraint(one_of("direction", Direction), name="direction"),
        Index("ix_channel_messages_case", "case_id", "id"),
        Index("ix_channel_messages_state", "state", "submitted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    direction: Mapped[str] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(20), default=MessageState.DRAFT)
    # The form's "from" and "to", as the sender wrote them ("Mum", "Olena").
    sender_name: Mapped[str] = mapped_column(String(120))
    recipient_name: Mapped[str] = mapped_column(String(120))
    text: Mapped[str] = mapped_column(Text)
    # The details the queue highlighted when the message was submitted.
    findings: Mapped[list[dict[str, Any]]] = mapped_column(JsonDocument, default=list)
    written_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    reply_to: Mapped[int | None] = mapped_column(ForeignKey("channel_messages.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    moderated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    moderated_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    return_reason: Mapped[str] = mapped_column(Text, default="")
    delivered_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    delivered_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    read_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)


class MessagePhoto(Base):
    """A message's photo, re-encoded from its pixels on arrival: no metadata survives."""

    __tablename__ = "channel_message_photos"

    message_id: Mapped[int] = mapped_column(ForeignKey("channel_messages.id"), primary_key=True)
    content_type: Mapped[str] = mapped_column(String(40))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    width: Mapped[int]
    height: Mapped[int]


class Call(Base):
    """A call a family asked for: its time, proposed and agreed, and whether it was held."""

    __tablename__ = "channel_calls"
    __table_args__ = (
        CheckConstraint(one_of("state", CallState), name="state"),
        Index("ix_channel_calls_case", "case_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    state: Mapped[str] = mapped_column(String(20), default=CallState.REQUESTED)
    requested_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    requested_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    # What the family asked for ("after school hours"): never what was said on the call.
    request_note: Mapped[str] = mapped_column(Text, default="")
    scheduled_for: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    proposed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    agreed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    agreed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    outcome_note: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    recorded_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
