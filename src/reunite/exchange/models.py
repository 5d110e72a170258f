"""Tables of the lists the parties send: batches and their row-by-row receipts."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from reunite.db.base import Base, UtcDateTime, utcnow
from reunite.records.enums import RecordKind

LIST_KINDS = RecordKind.values()


class Batch(Base):
    """One file received from a party, identified by the SHA-256 of its bytes."""

    __tablename__ = "batches"
    __table_args__ = (
        UniqueConstraint("party_id", "kind", "sha256"),
        CheckConstraint("kind IN ('requests', 'disclosures')", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("parties.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    sha256: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(String(500))
    file_format: Mapped[str] = mapped_column(String(10))
    encoding: Mapped[str | None] = mapped_column(String(40), default=None)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    rows_read: Mapped[int] = mapped_column(Integer, default=0)
    rows_added: Mapped[int] = mapped_column(Integer, default=0)
    rows_corrected: Mapped[int] = mapped_column(Integer, default=0)
    rows_withdrawn: Mapped[int] = mapped_column(Integer, default=0)
    rows_unchanged: Mapped[int] = mapped_column(Integer, default=0)
    rows_rejected: Mapped[int] = mapped_column(Integer, default=0)
    # The party key that signed the file, and when it says it signed (reunite.keys).
    signed_key_id: Mapped[str | None] = mapped_column(String(16), default=None)
    signed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    # The audit checkpoint its receipt carries, made when the receipt was first asked for.
    checkpoint_id: Mapped[int | None] = mapped_column(
        ForeignKey("audit_checkpoints.id"), default=None
    )


class BatchRow(Base):
    """The receipt for one row of a batch: which record it touched and how."""

    __tablename__ = "batch_rows"
    __table_args__ = (UniqueConstraint("batch_id", "external_id"),)

    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id"), primary_key=True)
    row_number: Mapped[int] = mapped_column(Integer, primary_key=True)
    external_id: Mapped[str] = mapped_column(String(200))
    record_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("records.id"), index=True)
    # added | corrected | withdrawn | unchanged
    outcome: Mapped[str] = mapped_column(String(12))


class ListSubmission(Base):
    """An API submission's Idempotency-Key: a retry finds its batch instead of making another.

    `caller` is whose key it is (a party's liaisons share their party's keys; staff their
    own); `body_sha256` covers everything the submission carried, so the same key with
    another body is refused.
    """

    __tablename__ = "list_submissions"
    __table_args__ = (UniqueConstraint("caller", "idempotency_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    caller: Mapped[str] = mapped_column(String(40))
    idempotency_key: Mapped[str] = mapped_column(String(200))
    body_sha256: Mapped[str] = mapped_column(String(64))
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
