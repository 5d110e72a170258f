"""Tables of the lists the parties send: batches and their row-by-row receipts."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
    Uuid,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from reunite.db.base import Base, JsonDocument, UtcDateTime, one_of, utcnow
from reunite.exchange.enums import BatchState
from reunite.records.enums import RecordKind
from reunite.records.models import Record

LIST_KINDS = RecordKind.values()


class Batch(Base):
    """One file received from a party, identified by the SHA-256 of its bytes."""

    __tablename__ = "batches"
    __table_args__ = (
        # A file is stored once per party and kind; refused attempts are kept beside it.
        Index(
            "uq_batches_party_id_kind_sha256",
            "party_id",
            "kind",
            "sha256",
            unique=True,
            sqlite_where=text("status != 'refused'"),
            postgresql_where=text("status != 'refused'"),
        ),
        CheckConstraint("kind IN ('requests', 'disclosures')", name="kind"),
        CheckConstraint(one_of("status", BatchState), name="status"),
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
    # A large list is stored by a background job (exchange.background): queued, then
    # staging (its new records written, hidden from everyone), then stored, or refused.
    # Every list stored within its request is "stored" at once.
    status: Mapped[str] = mapped_column(
        String(10), default=BatchState.STORED, server_default=BatchState.STORED.value
    )
    job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id"), default=None)
    # A list stored in the background: why it was refused, or which rows were left out
    # (stored with its valid rows), with its problem lines
    # as message data (a page translates them).
    problems: Mapped[dict[str, Any] | None] = mapped_column(JsonDocument, default=None)


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


class StagedChange(Base):
    """A correction or withdrawal a list being stored in the background will make.

    Its new records are written as they are read, hidden until the list is stored; changes
    to records others already see wait here and are applied together when it is stored.
    """

    __tablename__ = "staged_changes"

    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id"), primary_key=True)
    row_number: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("records.id"))
    # The record's version the change was computed against: a record changed since
    # (another way) makes the list refused rather than overwritten.
    base_version: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(12))
    values: Mapped[dict[str, Any]] = mapped_column(JsonDocument)
    changes: Mapped[dict[str, Any]] = mapped_column(JsonDocument)
    original: Mapped[dict[str, Any]] = mapped_column(JsonDocument)


# What a record of a list being stored holds, as `records` does, but in a table of its own:
# nobody reads it, and its rows cost the readers of `records` nothing while the list is
# read (exchange.background). Its rows move to `records` when the list is published, with
# their first version and their receipt (`changes`, `original`, `row_number`).
_NOT_STAGED = ("filed_by_user_id", "pending_batch_id")
staged_records = Table(
    "staged_records",
    Base.metadata,
    Column("batch_id", Integer, ForeignKey("batches.id"), primary_key=True),
    Column("row_number", Integer, primary_key=True),
    *(
        Column(column.name, column.type, nullable=column.nullable)
        for column in Record.__table__.columns
        if column.name not in _NOT_STAGED
    ),
    Column("changes", JsonDocument, nullable=False),
    Column("original", JsonDocument, nullable=False),
    UniqueConstraint("batch_id", "external_id"),
)
# The columns a record has in both tables, in `records`' order.
STAGED_RECORD_COLUMNS = tuple(
    column.name for column in Record.__table__.columns if column.name not in _NOT_STAGED
)
