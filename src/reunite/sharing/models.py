"""The table of releases: the mediator passing one record to a party or a family, on purpose."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from reunite.db.base import Base, UtcDateTime, utcnow


class Release(Base):
    """One record released to one party (its liaisons) or one user; the sharing log's rows."""

    __tablename__ = "releases"
    __table_args__ = (
        CheckConstraint("(to_party_id IS NULL) <> (to_user_id IS NULL)", name="one_recipient"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("records.id"), index=True)
    to_party_id: Mapped[int | None] = mapped_column(ForeignKey("parties.id"), default=None)
    to_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    purpose: Mapped[str] = mapped_column(Text)
    # The case the release serves (the request it answers, or a case number).
    case_ref: Mapped[str] = mapped_column(String(200), default="")
    released_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    released_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
