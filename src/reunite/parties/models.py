"""Tables of the parties to the exchange."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from reunite.db.base import Base, JsonDocument, UtcDateTime, one_of, utcnow
from reunite.parties.enums import PartyRole


class Party(Base):
    """The mediator or one of the two parties that exchange lists through it."""

    __tablename__ = "parties"
    __table_args__ = (CheckConstraint(one_of("role", PartyRole), name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    # The party's name as the pages of each language show it ({"uk": …, "ru": …}); the
    # unique `name` is what commands, lists and English pages use.
    local_names: Mapped[dict[str, str]] = mapped_column(JsonDocument, default=dict)
    # Ed25519 public key (PEM) used to check signed lists; optional until a party signs.
    public_key: Mapped[str | None] = mapped_column(Text, default=None)
    # Refuse this party's lists unless signed by one of its keys (reunite.keys).
    require_signatures: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    def name_in(self, language: str) -> str:
        """Return the party's name as the pages of a language show it."""
        return (self.local_names or {}).get(language) or self.name
