"""Tables of the records: tracing requests and disclosed records, with their history."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Connection,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    event,
    text,
)
from sqlalchemy.orm import Mapped, Mapper, mapped_column

from reunite.db.base import Base, JsonDocument, UtcDateTime, utcnow
from reunite.records.keys import KEY_FIELDS, SORT_KEY_LENGTH, record_keys

# Sort keys are ASCII compared byte by byte on both databases: PostgreSQL's "C" collation
# is SQLite's own, whatever the server's locale (which may ignore spaces when sorting).
SortKey = String(SORT_KEY_LENGTH).with_variant(String(SORT_KEY_LENGTH, collation="C"), "postgresql")


class Record(Base):
    """The current, cleaned state of one person as a party reports it."""

    __tablename__ = "records"
    __table_args__ = (
        UniqueConstraint("party_id", "kind", "external_id"),
        # Lists are paged in this order: a page is a short walk of the index. (It replaced
        # the index on the surname, which only served ordering by the plain surname.)
        Index("ix_records_sort_key", "sort_key", "id"),
        # Likely duplicates of a record are looked up by each key within its party and kind.
        Index("ix_records_dup_given_key", "dup_given_key", "party_id", "kind"),
        Index("ix_records_dup_surname_key", "dup_surname_key", "party_id", "kind"),
        # Only the records of lists being stored carry it: a small index, walked to publish
        # or discard them.
        Index(
            "ix_records_pending_batch_id",
            "pending_batch_id",
            sqlite_where=text("pending_batch_id IS NOT NULL"),
            postgresql_where=text("pending_batch_id IS NOT NULL"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    party_id: Mapped[int] = mapped_column(ForeignKey("parties.id"))
    kind: Mapped[str] = mapped_column(String(20))
    external_id: Mapped[str] = mapped_column(String(200))
    given_name: Mapped[str] = mapped_column(String(200), default="")
    surname: Mapped[str] = mapped_column(String(200), default="")
    patronymic: Mapped[str] = mapped_column(String(200), default="")
    sex: Mapped[str] = mapped_column(String(1), default="")
    # Partial ISO date: "YYYY", "YYYY-MM" or "YYYY-MM-DD"; never padded with invented parts.
    birth_date: Mapped[str] = mapped_column(String(10), default="")
    birth_place: Mapped[str] = mapped_column(String(300), default="")
    nationality: Mapped[str] = mapped_column(String(100), default="")
    mother_name: Mapped[str] = mapped_column(String(300), default="")
    father_name: Mapped[str] = mapped_column(String(300), default="")
    last_known_place: Mapped[str] = mapped_column(String(300), default="")
    separation_date: Mapped[str] = mapped_column(String(10), default="")
    separation_circumstances: Mapped[str] = mapped_column(Text, default="")
    distinguishing_marks: Mapped[str] = mapped_column(Text, default="")
    current_location: Mapped[str] = mapped_column(String(300), default="")
    institution: Mapped[str] = mapped_column(String(300), default="")
    contact: Mapped[str] = mapped_column(Text, default="")
    # Several spellings of the name, ";"-separated, as the party wrote them.
    name_variants: Mapped[str] = mapped_column(Text, default="")
    # The tokens the record's names reduce to in every script (reunite.records.search);
    # filled on every write, so that a name typed in any script finds the record.
    # (By source: the child's names and the reference, then the parents'; records.keys, like
    # the keys below.)
    search_key: Mapped[str] = mapped_column(Text, default="", server_default="")
    sort_key: Mapped[str] = mapped_column(SortKey, default="", server_default="")
    dup_given_key: Mapped[int | None] = mapped_column(BigInteger, default=None)
    dup_surname_key: Mapped[int | None] = mapped_column(BigInteger, default=None)
    # GC IV art. 137: the submitting party asks that this is never passed to the other party.
    withheld: Mapped[bool] = mapped_column(Boolean, default=False)
    withdrawn: Mapped[bool] = mapped_column(Boolean, default=False)
    # Columns the party sent that have no canonical meaning; kept, never dropped.
    extra: Mapped[dict[str, Any]] = mapped_column(JsonDocument, default=dict)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # The family member (or adult) who filed this request through the web form, if one did:
    # they may follow it, and see nothing else of the requesting party's list.
    filed_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id"), default=None, index=True
    )
    created_batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id"))
    # Set while the list that added the record is still being stored in the background
    # (exchange.background): nobody sees the record until that list is stored
    # (records.access.published). Cleared after, in short steps.
    pending_batch_id: Mapped[int | None] = mapped_column(ForeignKey("batches.id"), default=None)
    updated_batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


@event.listens_for(Record, "before_insert")
@event.listens_for(Record, "before_update")
def _fill_keys(_mapper: Mapper[Record], _connection: Connection, target: Record) -> None:
    # Records written through the ORM (an edit, a test) get their keys here; bulk imports
    # compute them themselves (exchange.preparing and .service), as they bypass these events.
    values = {field: getattr(target, field) for field in KEY_FIELDS}
    values["external_id"] = target.external_id
    for column, value in record_keys(values).items():
        setattr(target, column, value)


class RecordVersion(Base):
    """One step in a record's history: what changed, from which batch and row, when."""

    __tablename__ = "record_versions"

    record_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("records.id"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id"), index=True)
    row_number: Mapped[int] = mapped_column(Integer)
    # added | corrected | withdrawn | restored
    action: Mapped[str] = mapped_column(String(12))
    # {field: [old, new]} for every field this version changed.
    changes: Mapped[dict[str, Any]] = mapped_column(JsonDocument)
    # The row exactly as the party sent it (header → cell), before any cleaning.
    original: Mapped[dict[str, Any]] = mapped_column(JsonDocument)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class RecordPhoto(Base):
    """A photo attached to a record (a family's picture of the child they seek)."""

    __tablename__ = "record_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("records.id"), index=True)
    content_type: Mapped[str] = mapped_column(String(40))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    uploaded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class LinkStatus(StrEnum):
    """Where a pair of likely duplicates stands."""

    SUSPECTED = "suspected"  # flagged at import; nobody decided yet
    LINKED = "linked"  # a caseworker decided: the same child
    DISMISSED = "dismissed"  # a caseworker decided: not the same child


class RecordLink(Base):
    """Two records of one party and kind that are likely, or were decided to be, one child."""

    __tablename__ = "record_links"
    __table_args__ = (
        # One row per pair: record_id is the smaller of the two ids.
        UniqueConstraint("record_id", "other_id"),
        CheckConstraint("record_id < other_id", name="ordered"),
        CheckConstraint("status IN ('suspected', 'linked', 'dismissed')", name="status"),
        # The staff list pages by status (and party), newest first.
        Index("ix_record_links_status_paging", "status", "id"),
        Index("ix_record_links_party_paging", "party_id", "status", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("records.id"))
    other_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("records.id"), index=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("parties.id"))
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(10), default=LinkStatus.SUSPECTED)
    # What agreed when the pair was flagged: birth_date, sex, mother, father, given_name, surname.
    evidence: Mapped[list[str]] = mapped_column(JsonDocument, default=list)
    found_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    found_by_batch: Mapped[int | None] = mapped_column(
        ForeignKey("batches.id"), default=None, index=True
    )
    # The latest decision: who, when and why (every decision is also in the audit log).
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    reason: Mapped[str] = mapped_column(Text, default="")
