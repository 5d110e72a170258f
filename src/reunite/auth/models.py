"""Tables of accounts: users, their web sessions and API tokens, and login attempts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from reunite.auth.enums import Role
from reunite.db.base import Base, UtcDateTime, one_of, utcnow


class User(Base):
    """A person who logs in, with one role and, where the role has one, one party."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(
            one_of("role", Role),
            name="role",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(20))
    party_id: Mapped[int | None] = mapped_column(ForeignKey("parties.id"), default=None)
    language: Mapped[str] = mapped_column(String(5), default="en")
    # Where notifications are e-mailed (never required; without it, only the app tells).
    email: Mapped[str | None] = mapped_column(String(254), default=None)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    # Set when an administrator gave a one-time password: the pages ask for a new one first.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    # The second factor (RFC 6238), base32. Kept in clear as every TOTP verifier must; the
    # database and its backups are guarded as the personal data they hold.
    totp_secret: Mapped[str | None] = mapped_column(String(64), default=None)
    # The last 30-second step whose code was accepted: a code is good once (no replay).
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger, default=None)
    # Set when failed logins came from many sources; only an administrator lifts it.
    locked_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    # Failed logins before this moment no longer count (an administrator lifted the locks).
    failures_cleared_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)


class WebSession(Base):
    """A logged-in browser; the cookie holds a secret whose SHA-256 is the key here."""

    __tablename__ = "web_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ApiToken(Base):
    """A bearer token for a party's system; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The first characters, shown in listings so that a token can be named for revocation.
    prefix: Mapped[str] = mapped_column(String(16))
    label: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)


class LoginAttempt(Base):
    """One try to log in; recent failures limit further tries, per account and per address."""

    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    succeeded: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
