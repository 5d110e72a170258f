"""Password hashing with argon2id (argon2-cffi's defaults follow RFC 9106), and the policy.

The policy refuses what an attacker tries first, not just what is short: zxcvbn (Dropbox's
estimator, kept up on PyPI) scores a password against common passwords, names, words,
keyboard walks, dates, repeats and the account's own names; a score under 3 (fewer than
about 10^8 guesses) is refused, as is anything under 12 characters (NIST SP 800-63B asks at
least 8; 12 leaves room for a phrase of a few words).
"""

from __future__ import annotations

from collections.abc import Iterable

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

from reunite.errors import InvalidInput
from reunite.vocabulary import N_, say

_DEFAULT_HASHER = PasswordHasher()
_HASHER = _DEFAULT_HASHER
# Verified when the username is unknown, so that a wrong name costs the same time as a
# wrong password and does not reveal which accounts exist.
_DUMMY_HASH = _DEFAULT_HASHER.hash("reunite: no such account")

MIN_PASSWORD_LENGTH = 12
# Long enough for any passphrase, short enough that hashing it costs nothing unusual.
MAX_PASSWORD_LENGTH = 1000
# zxcvbn's scale: 0 too guessable … 4 very unguessable; 3 resists an offline attack on a slow
# hash for a while, and an online one (logins are limited) for good.
MIN_STRENGTH = 3
# zxcvbn's own ceiling: its matching is quadratic. A longer password is judged by its start,
# which can only understate its strength.
_ESTIMATED_PREFIX = 72
# What anyone guessing at this system's accounts would try first.
_CONTEXT_WORDS = (
    "reunite",
    "mediator",
    "caseworker",
    "liaison",
    "auditor",
    "admin",
    "family",
    "children",
    "ukraine",
    "russia",
    "україна",
    "россия",
)


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


def check_password_policy(password: str, *, about: Iterable[str] = ()) -> None:
    """Refuse a password that is short or guessable; `about` names the account (its names).

    Raises InvalidInput with a message a page can translate.
    """
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            say(
                N_("a password needs at least {count} characters"),
                count=MIN_PASSWORD_LENGTH,
            ),
            code="password_too_short",
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidInput(
            say(N_("a password has at most {count} characters"), count=MAX_PASSWORD_LENGTH),
            code="password_too_long",
        )
    inputs = [*_CONTEXT_WORDS]
    for name in about:
        inputs += [part for part in name.lower().replace("-", " ").split() if part]
        inputs.append(name.lower())
    estimate = zxcvbn(password[:_ESTIMATED_PREFIX], user_inputs=inputs)
    if int(estimate["score"]) < MIN_STRENGTH:
        raise InvalidInput(
            say(
                N_(
                    "this password is too easy to guess (a common password, a word or name, "
                    "a pattern, a date or the account's own name); a few unrelated words "
                    "make a strong one"
                )
            ),
            code="password_guessable",
        )
