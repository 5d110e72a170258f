"""The audit log table: each entry holds the hash of the one before it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from reunite.db.base import Base, UtcDateTime, utcnow


class AuditEntry(Base):
    """One thing someone did: a login, a read of personal data, a change, a release..."""

    __tablename__ = "audit_log"
    # The log page filters by action or actor and pages by id: each filter's page is then
    # a short walk of one index, however long the log.
    __table_args__ = (
        Index("ix_audit_log_action_paging", "action", "id"),
        Index("ix_audit_log_actor_paging", "actor", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    # The actor's username as it was then (users may be renamed; the log is not).
    actor: Mapped[str] = mapped_column(String(100), default="")
    action: Mapped[str] = mapped_column(String(40), index=True)
    subject_type: Mapped[str] = mapped_column(String(40), default="")
    subject_id: Mapped[str] = mapped_column(String(100), default="", index=True)
    # Canonical JSON of the details (sorted keys), exactly the text the hash covers.
    details: Mapped[str] = mapped_column(Text, default="{}")
    address: Mapped[str] = mapped_column(String(64), default="")
    # Unique: two entries can never claim the same predecessor, so the chain cannot fork.
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class AuditCheckpoint(Base):
    """The chain's head (count, last entry, its hash) at one moment, signed by the mediator.

    Kept here so `reunite audit verify` can compare, and handed out (files, receipts) so that
    copies nobody at the mediator can reach prove what the log held: a log cut short, wiped,
    or rewritten with every later hash recomputed no longer reaches a signed head.
    """

    __tablename__ = "audit_checkpoints"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    # Why it was made: "daily", "on demand", "receipt" (of a party's list).
    reason: Mapped[str] = mapped_column(String(40), default="")
    entries: Mapped[int] = mapped_column(Integer)
    head_id: Mapped[int] = mapped_column(Integer)
    head_hash: Mapped[str] = mapped_column(String(64))
    # The signed document exactly as handed out (canonical JSON).
    document: Mapped[str] = mapped_column(Text)
