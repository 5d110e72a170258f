"""Passwords are hashed with argon2id at the recommended cost, and verified safely."""

from __future__ import annotations

from argon2 import PasswordHasher

from reunite.auth import passwords


def test_production_hashing_uses_argon2id_at_rfc_9106_cost() -> None:
    hasher: PasswordHasher = passwords._DEFAULT_HASHER
    assert hasher.type.name == "ID"
    assert hasher.time_cost >= 3 and hasher.memory_cost >= 65536


def test_verify_accepts_the_password_only() -> None:
    stored = passwords.hash_password("a long enough secret")
    assert stored.startswith("$argon2id$")
    assert passwords.verify_password(stored, "a long enough secret")
    assert not passwords.verify_password(stored, "a long enough secreT")
    assert not passwords.verify_password("not a hash", "a long enough secret")
    # No account: the dummy hash is checked and the answer is still no.
    assert not passwords.verify_password(None, "reunite: no such account")
