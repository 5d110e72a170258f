"""The table of attachments: one row per file attached to a record or a case.

The bytes live outside the database, in the attachment store (`attachments.store`), named
by their SHA-256; a row says what the file is, whose it is, and who added it when. The same
bytes attached twice to one record (or case) are one row; attached to two, two rows and one
file.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from reunite.attachments.enums import AttachmentKind, FileType
from reunite.db.base import Base, UtcDateTime, one_of, utcnow


class Attachment(Base):
    """A checked file (PDF, JPEG or PNG) that belongs to exactly one record or one case."""

    __tablename__ = "attachments"
    __table_args__ = (
        CheckConstraint(one_of("kind", AttachmentKind), name="kind"),
        CheckConstraint(one_of("content_type", FileType), name="content_type"),
        CheckConstraint("(record_id IS NULL) <> (case_id IS NULL)", name="one_owner"),
        UniqueConstraint("record_id", "sha256"),
        UniqueConstraint("case_id", "sha256"),
        Index("ix_attachments_case_id", "case_id"),
        Index("ix_attachments_sha256", "sha256"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(30))
    content_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)
    # As the sender named it: shown as data, never used as a path or to decide the type.
    original_name: Mapped[str] = mapped_column(String(300), default="")
    record_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("records.id"), default=None
    )
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), default=None)
    # The list it came with, when it arrived in a ZIP with a list.
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("batches.id"), default=None)
    # Nobody when the command line imported it (the operator of the server).
    added_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    added_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
