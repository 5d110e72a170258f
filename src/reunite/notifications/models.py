"""Table of notifications: one row per person and thing that waits for them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from reunite.db.base import Base, UtcDateTime, one_of, utcnow
from reunite.notifications.enums import MailState, NotificationKind


class Notification(Base):
    """Something waits for a user; read when they open it, e-mailed when they have an address."""

    __tablename__ = "notifications"
    __table_args__ = (
        CheckConstraint(one_of("kind", NotificationKind), name="kind"),
        CheckConstraint(one_of("mail_state", MailState), name="mail_state"),
        Index("ix_notifications_user_unread", "user_id", "read_at"),
        Index("ix_notifications_mail", "mail_state", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(40))
    # A path inside Reunite ("/cases/12/messages"); the page there checks need to know again.
    link: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    mail_state: Mapped[str] = mapped_column(String(10), default=MailState.NONE)
    mailed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
