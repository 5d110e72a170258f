"""Tables of match candidates and of the decisions people take on them."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Float,
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from reunite.db.base import Base, JsonDocument, UtcDateTime, one_of, utcnow
from reunite.review.enums import CandidateStatus, Decision


class MatchCandidate(Base):
    """A request–record pair the engine proposed; people confirm or reject it."""

    __tablename__ = "match_candidates"
    __table_args__ = (
        UniqueConstraint("request_id", "disclosed_id"),
        CheckConstraint(one_of("status", CandidateStatus), name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("records.id"), index=True)
    disclosed_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("records.id"), index=True)
    probability: Mapped[float] = mapped_column(Float)
    # The engine's view: "match" (its best guess) or "possible".
    engine_decision: Mapped[str] = mapped_column(String(10))
    rival: Mapped[str] = mapped_column(String(20), default="other")
    # [[field, level, bits], ...] as the engine explained the pair.
    explanation: Mapped[list[Any]] = mapped_column(JsonDocument, default=list)
    # proposed → confirmed | rejected | related; withdrawn when a re-run no longer proposes it.
    status: Mapped[str] = mapped_column(String(10), default=CandidateStatus.PROPOSED, index=True)
    job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class MatchDecision(Base):
    """One decision on a candidate, kept for ever (a later one does not erase it)."""

    __tablename__ = "match_decisions"
    __table_args__ = (CheckConstraint(one_of("decision", Decision), name="decision"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("match_candidates.id"), index=True)
    decision: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(Text, default="")
    decided_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
