"""Accounts: creating users, logging in (rate-limited), web sessions and API tokens."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from reunite.auth.enums import Language, Role
from reunite.auth.models import ApiToken, LoginAttempt, User, WebSession
from reunite.auth.passwords import (
    MIN_PASSWORD_LENGTH,
    hash_password,
    needs_rehash,
    verify_password,
)
from reunite.auth.principal import Principal
from reunite.db.base import utcnow
from reunite.errors import Conflict, InvalidInput, NotFound, TooManyAttempts, Unauthorized
from reunite.parties.models import Party

# Which party roles each user role may (or must) belong to.
PARTY_ROLES_OF = {
    "admin": ("mediator",),
    "caseworker": ("mediator",),
    "auditor": ("mediator",),
    "liaison": ("requesting", "custodial"),
    "family": ("requesting",),
    "adult": (),
}
PARTY_REQUIRED = frozenset({"liaison", "family"})

# Logins: this many failures within the window lock the account, or the address.
FAILURE_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_ADDRESS = 20

# Sessions end after this long without a request, and in any case after the lifetime.
SESSION_IDLE = timedelta(hours=2)
SESSION_LIFETIME = timedelta(hours=12)

TOKEN_PREFIX = "rnt_"


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_user(
    session: Session,
    *,
    username: str,
    password: str,
    role: str,
    party_name: str | None = None,
    display_name: str = "",
    language: str = "en",
    email: str = "",
) -> User:
    """Create an account with one role and, where the role has one, its party."""
    username = username.strip()
    if not username or len(username) > 100 or any(c.isspace() for c in username):
        raise InvalidInput("a username is 1 to 100 characters without spaces")
    if role not in Role.values():
        raise InvalidInput(f"unknown role {role!r}; use one of: {', '.join(Role)}")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    if language not in Language.values():
        raise InvalidInput(f"unknown language {language!r}; use one of: {', '.join(Language)}")
    party = _party_for(session, role=role, party_name=party_name)
    if session.scalar(select(User).where(User.username == username)) is not None:
        raise Conflict(f"a user named {username!r} already exists")
    user = User(
        username=username,
        display_name=display_name or username,
        password_hash=hash_password(password),
        role=role,
        party_id=party.id if party is not None else None,
        language=language,
        email=checked_email(email),
    )
    session.add(user)
    session.flush()
    return user


_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")


def checked_email(address: str) -> str | None:
    """Return an e-mail address as given (None for none); refuse one that cannot be one."""
    address = address.strip()
    if not address:
        return None
    if len(address) > 254 or not _EMAIL.match(address):
        raise InvalidInput(f"{address!r} is not an e-mail address")
    return address


def set_email(session: Session, *, username: str, address: str) -> User:
    """Set (or, with an empty address, remove) where a user's notifications are e-mailed."""
    user = session.scalar(select(User).where(User.username == username.strip()))
    if user is None:
        raise NotFound(f"no user named {username!r}")
    user.email = checked_email(address)
    session.flush()
    return user


def _party_for(session: Session, *, role: str, party_name: str | None) -> Party | None:
    allowed = PARTY_ROLES_OF[role]
    if not party_name:
        if role in PARTY_REQUIRED:
            raise InvalidInput(f"a {role} user belongs to a party: give --party")
        if allowed:
            # Mediator staff belong to the mediator; there is one.
            return session.scalar(select(Party).where(Party.role == "mediator"))
        return None
    party = session.scalar(select(Party).where(Party.name == party_name.strip()))
    if party is None:
        raise NotFound(f"no party named {party_name!r}")
    if party.role not in allowed:
        kinds = " or ".join(allowed) or "no"
        raise InvalidInput(
            f"a {role} user belongs to a {kinds} party; {party.name} is {party.role}"
        )
    return party


def get_user(session: Session, *, username: str) -> User:
    """Find a user by username."""
    user = session.scalar(select(User).where(User.username == username.strip()))
    if user is None:
        raise NotFound(f"no user named {username!r}")
    return user


def principal_of(session: Session, user: User) -> Principal:
    """Describe a user as the rest of the system sees them."""
    party_role = None
    if user.party_id is not None:
        party_role = session.scalar(select(Party.role).where(Party.id == user.party_id))
    return Principal(
        user_id=user.id,
        username=user.username,
        role=user.role,
        party_id=user.party_id,
        party_role=party_role,
        language=user.language,
    )


def authenticate(session: Session, *, username: str, password: str, address: str) -> User:
    """Check a login; record the attempt; refuse while recent failures are too many.

    The caller commits even when this raises, so that failures are counted.
    """
    username = username.strip()[:100]
    since = utcnow() - FAILURE_WINDOW
    failures = select(func.count()).where(
        LoginAttempt.succeeded.is_(False), LoginAttempt.at >= since
    )
    by_account = session.scalar(failures.where(LoginAttempt.username == username)) or 0
    by_address = session.scalar(failures.where(LoginAttempt.address == address)) or 0
    if by_account >= MAX_FAILURES_PER_ACCOUNT or by_address >= MAX_FAILURES_PER_ADDRESS:
        session.add(LoginAttempt(username=username, address=address, succeeded=False))
        session.flush()
        raise TooManyAttempts("too many failed logins; wait 15 minutes and try again")
    user = session.scalar(select(User).where(User.username == username))
    valid = verify_password(user.password_hash if user else None, password)
    succeeded = bool(user is not None and valid and user.active)
    session.add(LoginAttempt(username=username, address=address, succeeded=succeeded))
    session.flush()
    if not succeeded or user is None:
        raise Unauthorized("wrong username or password")
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    return user


def start_session(session: Session, *, user: User) -> tuple[str, WebSession]:
    """Open a web session; return the secret for the cookie (only its hash is stored)."""
    secret = secrets.token_urlsafe(32)
    now = utcnow()
    record = WebSession(
        token_hash=_digest(secret),
        user_id=user.id,
        csrf_token=secrets.token_urlsafe(32),
        created_at=now,
        last_seen_at=now,
        expires_at=now + SESSION_LIFETIME,
    )
    session.add(record)
    session.flush()
    return secret, record


def resume_session(session: Session, *, secret: str) -> tuple[User, WebSession] | None:
    """Return the user and session of a cookie secret, if still valid; end expired ones."""
    if not secret:
        return None
    record = session.get(WebSession, _digest(secret))
    if record is None:
        return None
    now = utcnow()
    if now >= record.expires_at or now - record.last_seen_at >= SESSION_IDLE:
        session.delete(record)
        session.flush()
        return None
    user = session.get(User, record.user_id)
    if user is None or not user.active:
        return None
    # Touch at most once a minute: a page of requests is not a page of writes.
    if now - record.last_seen_at >= timedelta(minutes=1):
        record.last_seen_at = now
    return user, record


def end_session(session: Session, *, secret: str) -> None:
    """Log out: forget the session of this cookie secret."""
    session.execute(delete(WebSession).where(WebSession.token_hash == _digest(secret)))


def create_token(session: Session, *, username: str, label: str = "") -> tuple[str, ApiToken]:
    """Create an API token for a user; return it in clear (shown once) and its record."""
    user = get_user(session, username=username)
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id, token_hash=_digest(secret), prefix=secret[:12], label=label[:200]
    )
    session.add(token)
    session.flush()
    return secret, token


def revoke_token(session: Session, *, token: str) -> ApiToken:
    """Revoke a token, given in full or by the prefix that listings show."""
    token = token.strip()
    found = session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(token)))
    if found is None and token:
        matches = list(session.scalars(select(ApiToken).where(ApiToken.prefix == token[:12])))
        if len(matches) > 1:
            raise Conflict("several tokens share this prefix; give the whole token")
        found = matches[0] if matches else None
    if found is None:
        raise NotFound("no such token")
    if found.revoked_at is None:
        found.revoked_at = utcnow()
    session.flush()
    return found


def list_tokens(session: Session, *, username: str) -> list[ApiToken]:
    """Return a user's tokens, newest first (prefixes only; secrets are not kept)."""
    user = get_user(session, username=username)
    return list(
        session.scalars(
            select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())
        )
    )


def user_for_token(session: Session, *, token: str) -> User | None:
    """Return the active user of a valid, unrevoked API token."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    found = session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(token)))
    if found is None or found.revoked_at is not None:
        return None
    user = session.get(User, found.user_id)
    if user is None or not user.active:
        return None
    now = utcnow()
    if found.last_used_at is None or now - found.last_used_at >= timedelta(minutes=1):
        found.last_used_at = now
    return user
