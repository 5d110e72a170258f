"""The table of the parties' public keys, with their validity and revocation."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from reunite.db.base import Base, UtcDateTime, utcnow


class PartyKey(Base):
    """One Ed25519 public key a party signs its lists with, valid for a span of time.

    A party rotates by adding a new key and letting the old one expire (or revoking it);
    a signature is checked against the keys valid at its signing time. A revoked key is never
    trusted again, whatever the signature's time: revocation means the key may be in other
    hands.
    """

    __tablename__ = "party_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The first 16 hex digits of the SHA-256 of the raw public key (keys.signing.key_id).
    key_id: Mapped[str] = mapped_column(String(16), unique=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("parties.id"), index=True)
    public_pem: Mapped[str] = mapped_column(Text)
    valid_from: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    valid_until: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    added_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    revoke_reason: Mapped[str] = mapped_column(Text, default="")
