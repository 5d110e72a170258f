"""Tables of the records: tracing requests and disclosed records, with their history."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Connection,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    event,
)
from sqlalchemy.orm import Mapped, Mapper, mapped_column

from reunite.db.base import Base, JsonDocument, UtcDateTime, utcnow


class Record(Base):
    """The current, cleaned state of one person as a party reports it."""

    __tablename__ = "records"
    __table_args__ = (UniqueConstraint("party_id", "kind", "external_id"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    party_id: Mapped[int] = mapped_column(ForeignKey("parties.id"))
    kind: Mapped[str] = mapped_column(String(20))
    external_id: Mapped[str] = mapped_column(String(200))
    given_name: Mapped[str] = mapped_column(String(200), default="")
    surname: Mapped[str] = mapped_column(String(200), default="", index=True)
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
    search_key: Mapped[str] = mapped_column(Text, default="", server_default="")
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
    updated_batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


@event.listens_for(Record, "before_insert")
@event.listens_for(Record, "before_update")
def _fill_search_key(_mapper: Mapper[Record], _connection: Connection, target: Record) -> None:
    # Records written through the ORM (a family's form, an edit) get their key here; bulk
    # imports compute it themselves (exchange.service), as they bypass these events.
    from reunite.records.search import record_search_key

    target.search_key = record_search_key(target)


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
