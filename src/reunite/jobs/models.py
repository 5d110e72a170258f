"""The jobs table."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from reunite.db.base import Base, JsonDocument, UtcDateTime, one_of, utcnow
from reunite.jobs.enums import JobState
from reunite.vocabulary import Message


class Job(Base):
    """One piece of long work; any server process may claim a queued one."""

    __tablename__ = "jobs"
    __table_args__ = (CheckConstraint(one_of("status", JobState), name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(10), default=JobState.QUEUED, index=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JsonDocument, default=dict)
    progress: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    # The last word on the job, in English (commands, logs), and as a message a page
    # translates (`said`).
    message: Mapped[str] = mapped_column(Text, default="")
    message_data: Mapped[dict[str, Any] | None] = mapped_column(JsonDocument, default=None)
    worker: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    heartbeat_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)

    @property
    def said(self) -> Message | str:
        """Return the job's last word as a message to translate (or its English text)."""
        return Message.from_data(self.message_data) or self.message
