"""The table of releases: the mediator passing one record to a party or a family, on purpose."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from reunite.db.base import Base, JsonDocument, UtcDateTime, one_of, utcnow
from reunite.sharing.enums import ReleaseScope


class Release(Base):
    """One record released to one party (its liaisons) or one user; the sharing log's rows.

    A release can rest on a confirmed match (`candidate_id`): reversing that decision revokes
    it. A revoked release stays in the log, and stops granting anything at once.
    """

    __tablename__ = "releases"
    __table_args__ = (
        CheckConstraint("(to_party_id IS NULL) <> (to_user_id IS NULL)", name="one_recipient"),
        CheckConstraint(one_of("scope", ReleaseScope), name="scope"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("records.id"), index=True)
    to_party_id: Mapped[int | None] = mapped_column(ForeignKey("parties.id"), default=None)
    to_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    purpose: Mapped[str] = mapped_column(Text)
    # The case the release serves (the request it answers, or a case number).
    case_ref: Mapped[str] = mapped_column(String(200), default="")
    # What kind of record goes to whom; `fields` are the record's fields it carries, frozen.
    scope: Mapped[str] = mapped_column(String(30))
    fields: Mapped[list[str]] = mapped_column(JsonDocument, default=list)
    # The confirmed match this release rests on, if any.
    candidate_id: Mapped[int | None] = mapped_column(
        ForeignKey("match_candidates.id"), default=None, index=True
    )
    # An admin's written reason to release to a family without a confirmed match.
    override_reason: Mapped[str] = mapped_column(Text, default="")
    released_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    released_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    revoked_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    revoke_reason: Mapped[str] = mapped_column(Text, default="")


class ReleaseAck(Base):
    """How far a recipient's system has acknowledged the records released to it.

    `recipient` is "party:ID" or "user:ID"; `cursor` is the last cursor of
    `GET /api/v1/releases` it confirmed having stored.
    """

    __tablename__ = "release_acks"

    recipient: Mapped[str] = mapped_column(String(40), primary_key=True)
    cursor: Mapped[str] = mapped_column(String(40))
    acked_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
