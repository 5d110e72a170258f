"""Accounts: creating users, logging in (rate-limited), web sessions and API tokens."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NoReturn

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from reunite.auth import totp
from reunite.auth.enums import Language, Role
from reunite.auth.models import ApiToken, LoginAttempt, User, WebSession
from reunite.auth.passwords import (
    check_password_policy,
    hash_password,
    needs_rehash,
    verify_password,
)
from reunite.auth.principal import MEDIATOR_STAFF, Principal
from reunite.db.base import utcnow
from reunite.errors import Conflict, InvalidInput, NotFound, TooManyAttempts, Unauthorized
from reunite.parties.models import Party
from reunite.vocabulary import N_, say

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

# Logins. Failures lock a *source* (an address) for one account, never the account itself:
# an outsider guessing from one address locks out that address, and the person whose
# account it is logs in from their own as usual. The window slides: a source is free again
# once its failures are older than the window.
FAILURE_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_SOURCE = 5
# One address guessing at many accounts is stopped too (any account, from that address).
MAX_FAILURES_PER_ADDRESS = 20
# Only a spread attack (failures from many addresses in a day) locks the account as a whole;
# that lock stays until an administrator lifts it, having spoken with its owner.
ACCOUNT_LOCK_WINDOW = timedelta(hours=24)
ACCOUNT_LOCK_SOURCES = 10

# What a person trying to log in is told; a page translates these.
WRONG_PASSWORD = N_("Wrong username or password.")
SOURCE_LOCKED = N_("Too many failed logins. Wait 15 minutes and try again.")
ACCOUNT_LOCKED = N_(
    "This account is locked after failed logins from many places. "
    "Ask an administrator to unlock it."
)
ACCOUNT_DISABLED = N_("This account is disabled. Ask an administrator.")
CODE_NEEDED = N_(
    "Mediator staff also give the 6-digit code from their authenticator app. "
    "Enter it under the password."
)
NO_SECOND_FACTOR = N_(
    "This account has no second factor yet. Ask an administrator to set one up (reunite user totp)."
)
WRONG_CODE = N_("Wrong code. Enter the code your authenticator app shows now.")
CODE_USED = N_("This code was already used. Wait for the next one and enter it.")

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
    check_password_policy(password, about=(username, display_name))
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
        must_change_password=user.must_change_password,
    )


class LoginRefused(Unauthorized):
    """A login was refused; `locked_account` says this failure locked the whole account."""

    def __init__(self, message: str, *, code: str, locked_account: bool = False) -> None:
        super().__init__(say(message), code=code)
        self.locked_account = locked_account


def needs_second_factor(user: User) -> bool:
    """Tell whether this account logs in with a TOTP code too (the mediator's staff)."""
    return user.role in MEDIATOR_STAFF


def authenticate(
    session: Session, *, username: str, password: str, address: str, code: str = ""
) -> User:
    """Check a login (and, for the mediator's staff, its TOTP code); record the attempt.

    Refuses while the source (this address, for this account) has failed too often, or the
    account is locked, disabled or without its second factor. Why is said only to someone
    who gave the right password: a guesser learns nothing about the account.
    The caller commits even when this raises, so that failures (and a lock) are counted.
    """
    username = username.strip()[:100]
    now = utcnow()
    user = session.scalar(select(User).where(User.username == username))
    since = now - FAILURE_WINDOW
    since_for_account = since
    if user is not None and user.failures_cleared_at is not None:
        since_for_account = max(since, user.failures_cleared_at)
    failures = select(func.count()).where(LoginAttempt.succeeded.is_(False))
    by_source = (
        session.scalar(
            failures.where(
                LoginAttempt.username == username,
                LoginAttempt.address == address,
                LoginAttempt.at >= since_for_account,
            )
        )
        or 0
    )
    by_address = (
        session.scalar(failures.where(LoginAttempt.address == address, LoginAttempt.at >= since))
        or 0
    )
    if by_source >= MAX_FAILURES_PER_SOURCE or by_address >= MAX_FAILURES_PER_ADDRESS:
        _record_attempt(session, username=username, address=address, succeeded=False)
        raise TooManyAttempts(say(SOURCE_LOCKED), code="source_locked")
    # Verified even for an unknown name (against a dummy hash): the same time either way.
    valid = verify_password(user.password_hash if user is not None else None, password)
    if user is None or not valid:
        _refuse(session, user, username=username, address=address, code="wrong_password")
    assert user is not None  # _refuse raised otherwise
    if user.locked_at is not None:
        _record_attempt(session, username=username, address=address, succeeded=False)
        raise TooManyAttempts(say(ACCOUNT_LOCKED), code="account_locked")
    if not user.active:
        _refuse(session, user, username=username, address=address, code="account_disabled")
    if needs_second_factor(user):
        _check_code(session, user, code=code, address=address, now=now)
    _record_attempt(session, username=username, address=address, succeeded=True)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = now
    return user


_REFUSALS = {
    "wrong_password": WRONG_PASSWORD,
    "account_disabled": ACCOUNT_DISABLED,
    "second_factor_required": CODE_NEEDED,
    "second_factor_not_set": NO_SECOND_FACTOR,
    "wrong_code": WRONG_CODE,
    "code_used": CODE_USED,
}


def _check_code(session: Session, user: User, *, code: str, address: str, now: datetime) -> None:
    if not user.totp_secret:
        _refuse(
            session, user, username=user.username, address=address, code="second_factor_not_set"
        )
    assert user.totp_secret is not None
    if not code.strip():
        _refuse(
            session, user, username=user.username, address=address, code="second_factor_required"
        )
    step = totp.accepted_step(user.totp_secret, code, last_step=user.totp_last_step, now=now)
    if step is totp.CodeCheck.USED:
        _refuse(session, user, username=user.username, address=address, code="code_used")
    if not isinstance(step, int):
        _refuse(session, user, username=user.username, address=address, code="wrong_code")
    assert isinstance(step, int)
    user.totp_last_step = step


def _record_attempt(session: Session, *, username: str, address: str, succeeded: bool) -> None:
    session.add(LoginAttempt(username=username, address=address, succeeded=succeeded))
    session.flush()


def _refuse(
    session: Session, user: User | None, *, username: str, address: str, code: str
) -> NoReturn:
    """Record a failed attempt, lock the account if a spread attack says so, and refuse."""
    _record_attempt(session, username=username, address=address, succeeded=False)
    locked = user is not None and _lock_if_attacked_widely(session, user)
    raise LoginRefused(_REFUSALS[code], code=code, locked_account=locked)


def _lock_if_attacked_widely(session: Session, user: User) -> bool:
    """Lock an account whose failures came from many sources lately; say if it locked now."""
    if user.locked_at is not None:
        return False
    since = utcnow() - ACCOUNT_LOCK_WINDOW
    if user.failures_cleared_at is not None:
        since = max(since, user.failures_cleared_at)
    sources = (
        session.scalar(
            select(func.count(func.distinct(LoginAttempt.address))).where(
                LoginAttempt.username == user.username,
                LoginAttempt.succeeded.is_(False),
                LoginAttempt.at >= since,
            )
        )
        or 0
    )
    if sources < ACCOUNT_LOCK_SOURCES:
        return False
    user.locked_at = utcnow()
    session.flush()
    return True


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


# --- keeping accounts: disable, enable, passwords, sessions, locks, the second factor ------


def end_all_sessions(session: Session, *, user: User, keep: str = "") -> int:
    """End every web session of a user (but the one whose hash is `keep`); return how many."""
    condition = WebSession.user_id == user.id
    if keep:
        condition = condition & (WebSession.token_hash != keep)
    ended = session.scalar(select(func.count()).select_from(WebSession).where(condition)) or 0
    session.execute(delete(WebSession).where(condition))
    session.flush()
    return ended


def disable_user(session: Session, *, username: str) -> tuple[User, int]:
    """Disable an account: no login, its tokens refused, its sessions ended (how many)."""
    user = get_user(session, username=username)
    user.active = False
    session.flush()
    return user, end_all_sessions(session, user=user)


def enable_user(session: Session, *, username: str) -> User:
    """Enable a disabled account again (its tokens work again unless revoked)."""
    user = get_user(session, username=username)
    user.active = True
    session.flush()
    return user


def reset_password(session: Session, *, username: str) -> tuple[str, User, int]:
    """Give an account a one-time password (returned in clear, shown once).

    Its owner must choose a new one at the next login; their sessions end (how many).
    """
    user = get_user(session, username=username)
    # 20 random characters: strong by any estimate, short enough to read out over a phone.
    one_time = secrets.token_urlsafe(15)
    user.password_hash = hash_password(one_time)
    user.must_change_password = True
    session.flush()
    return one_time, user, end_all_sessions(session, user=user)


def change_password(
    session: Session, *, user: User, current: str, new: str, keep_session: str = ""
) -> None:
    """Change one's own password: the current one first, then the policy's check.

    The user's other sessions end (a password changed because it leaked should shut out
    whoever used it); the one with hash `keep_session` stays.
    """
    if not verify_password(user.password_hash, current):
        raise InvalidInput(say(N_("the current password is wrong")), code="wrong_password")
    if new == current:
        raise InvalidInput(
            say(N_("the new password must differ from the current one")), code="same_password"
        )
    check_password_policy(new, about=(user.username, user.display_name))
    user.password_hash = hash_password(new)
    user.must_change_password = False
    session.flush()
    end_all_sessions(session, user=user, keep=keep_session)


def set_password(session: Session, *, username: str, password: str) -> User:
    """Set an account's password as given (the command line's own reset), policy checked."""
    user = get_user(session, username=username)
    check_password_policy(password, about=(user.username, user.display_name))
    user.password_hash = hash_password(password)
    user.must_change_password = False
    session.flush()
    end_all_sessions(session, user=user)
    return user


def unlock_user(session: Session, *, username: str) -> User:
    """Lift every lock of an account: the account-wide one and each locked-out source."""
    user = get_user(session, username=username)
    user.locked_at = None
    user.failures_cleared_at = utcnow()
    session.flush()
    return user


def enrol_second_factor(session: Session, *, username: str) -> tuple[str, User]:
    """Give an account a new TOTP secret (the old one stops working); return the secret."""
    user = get_user(session, username=username)
    secret = totp.new_secret()
    user.totp_secret = secret
    user.totp_last_step = None
    session.flush()
    return secret, user


def second_factor_uri(user: User, secret: str) -> str:
    """Return the otpauth:// URI of a secret, for the user's authenticator app."""
    return totp.provisioning_uri(secret, username=user.username)


@dataclass(frozen=True)
class AccountState:
    """An account as the administrator's list shows it."""

    user: User
    party: str | None
    sessions: int
    # Addresses locked out of this account now (too many recent failures from each).
    locked_sources: tuple[str, ...]

    @property
    def needs_second_factor(self) -> bool:
        """Tell whether the account must give a TOTP code and has none set up."""
        return needs_second_factor(self.user) and not self.user.totp_secret


def locked_sources(session: Session, *, user: User) -> tuple[str, ...]:
    """Return the addresses locked out of an account now, by their recent failures."""
    since = utcnow() - FAILURE_WINDOW
    if user.failures_cleared_at is not None:
        since = max(since, user.failures_cleared_at)
    rows = session.execute(
        select(LoginAttempt.address)
        .where(
            LoginAttempt.username == user.username,
            LoginAttempt.succeeded.is_(False),
            LoginAttempt.at >= since,
        )
        .group_by(LoginAttempt.address)
        .having(func.count() >= MAX_FAILURES_PER_SOURCE)
        .order_by(LoginAttempt.address)
    )
    return tuple(address for (address,) in rows)


def account_states(session: Session) -> list[AccountState]:
    """Return every account with its party, open sessions and locked-out sources."""
    now = utcnow()
    sessions_of = dict(
        session.execute(
            select(WebSession.user_id, func.count())
            .where(WebSession.expires_at > now)
            .group_by(WebSession.user_id)
        ).all()
    )
    rows = session.execute(
        select(User, Party.name).outerjoin(Party, Party.id == User.party_id).order_by(User.username)
    )
    return [
        AccountState(
            user=user,
            party=party_name,
            sessions=int(sessions_of.get(user.id, 0)),
            locked_sources=locked_sources(session, user=user),
        )
        for user, party_name in rows
    ]
