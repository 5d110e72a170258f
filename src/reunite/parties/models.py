"""Tables of the parties to the exchange."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from reunite.db.base import Base, UtcDateTime, utcnow

PARTY_ROLES = ("mediator", "requesting", "custodial")


class Party(Base):
    """The mediator or one of the two parties that exchange lists through it."""

    __tablename__ = "parties"
    __table_args__ = (
        CheckConstraint("role IN ('mediator', 'requesting', 'custodial')", name="role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    # Ed25519 public key (PEM) used to check signed lists; optional until a party signs.
    public_key: Mapped[str | None] = mapped_column(Text, default=None)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
