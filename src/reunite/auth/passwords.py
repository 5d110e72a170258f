"""Password hashing with argon2id (argon2-cffi's defaults follow RFC 9106)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_DEFAULT_HASHER = PasswordHasher()
_HASHER = _DEFAULT_HASHER
# Verified when the username is unknown, so that a wrong name costs the same time as a
# wrong password and does not reveal which accounts exist.
_DUMMY_HASH = _DEFAULT_HASHER.hash("reunite: no such account")

MIN_PASSWORD_LENGTH = 10


def hash_password(password: str) -> str:
    """Return the argon2id hash of a password."""
    return _HASHER.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Check a password against its hash (or against a dummy when there is no account)."""
    try:
        return _HASHER.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Tell whether a hash was made with older parameters than today's."""
    return _HASHER.check_needs_rehash(password_hash)
