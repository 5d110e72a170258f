"""The parties' keys (add, list, revoke), the mediator's own key, and checking a list's signature.

A signature is checked against the sending party's keys valid at its signing time (GC IV
art. 137: what a bureau sends is authenticated). Each refusal has its own code, so that a
party's system can tell a changed file from a revoked key.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from reunite.db.base import utcnow
from reunite.errors import Conflict, InvalidInput, NotFound, ReuniteError
from reunite.keys.models import PartyKey
from reunite.keys.signing import (
    SignatureRefused,
    generate_key_pair,
    key_id,
    load_public_key,
    parse_signature,
    public_pem,
    read_private_key_file,
)
from reunite.parties.models import Party
from reunite.settings import get_settings
from reunite.vocabulary import N_, say

# Clocks of two parties' machines differ; a signature a little in the future is not forged.
CLOCK_SKEW = timedelta(minutes=5)
MAX_REASON = 2000


def add_key(
    session: Session,
    *,
    party: Party,
    pem: bytes,
    valid_from: datetime | None = None,
    valid_until: datetime | None = None,
) -> PartyKey:
    """Register a party's public key, valid from a time (now) until a time (for ever)."""
    if party.role not in ("requesting", "custodial"):
        raise InvalidInput(
            say(N_("{party} is the mediator; keys are registered for the two parties"),
                party=party.name)
        )  # fmt: skip
    public = load_public_key(pem)
    kid = key_id(public)
    existing = session.scalar(select(PartyKey).where(PartyKey.key_id == kid))
    if existing is not None:
        owner = session.get(Party, existing.party_id)
        raise Conflict(
            say(
                N_("key {key} is registered already (to {party})"),
                key=kid,
                party=owner.name if owner is not None else "?",
            ),
            code="key_exists",
        )
    starts = valid_from or utcnow()
    if valid_until is not None and valid_until <= starts:
        raise InvalidInput(N_("a key's validity must end after it starts"))
    key = PartyKey(
        key_id=kid,
        party_id=party.id,
        public_pem=public_pem(public),
        valid_from=starts,
        valid_until=valid_until,
    )
    session.add(key)
    session.flush()
    return key


@dataclass(frozen=True)
class KeyLine:
    """A registered key as `reunite keys list` and the API show it."""

    key_id: str
    party: str
    valid_from: datetime
    valid_until: datetime | None
    revoked_at: datetime | None
    revoke_reason: str

    def state(self, now: datetime) -> str:
        """Return revoked, expired, not yet valid, or valid."""
        if self.revoked_at is not None:
            return "revoked"
        if self.valid_until is not None and self.valid_until <= now:
            return "expired"
        if self.valid_from > now:
            return "not yet valid"
        return "valid"


def list_keys(session: Session, *, party: Party | None = None) -> list[KeyLine]:
    """Return the registered keys (one party's, when given), by party then age."""
    statement = select(PartyKey, Party.name).join(Party, Party.id == PartyKey.party_id)
    if party is not None:
        statement = statement.where(PartyKey.party_id == party.id)
    return [
        KeyLine(k.key_id, name, k.valid_from, k.valid_until, k.revoked_at, k.revoke_reason)
        for k, name in session.execute(statement.order_by(Party.name, PartyKey.id))
    ]


def revoke_key(session: Session, *, key: str, reason: str) -> PartyKey:
    """Revoke a key: no signature by it is trusted any more, whatever its signing time."""
    reason = " ".join(reason.split())
    if not reason:
        raise InvalidInput(N_("revoking a key needs a reason"))
    if len(reason) > MAX_REASON:
        raise InvalidInput(
            say(N_("the {what} is longer than {limit} characters"), what=say(N_("reason")),
                limit=MAX_REASON)
        )  # fmt: skip
    found = session.scalar(select(PartyKey).where(PartyKey.key_id == key.strip().lower()))
    if found is None:
        raise NotFound(say(N_("no key {key} is registered"), key=key))
    if found.revoked_at is not None:
        raise Conflict(say(N_("key {key} was revoked already"), key=found.key_id))
    found.revoked_at = utcnow()
    found.revoke_reason = reason
    session.flush()
    return found


def set_require_signatures(session: Session, *, party: Party, required: bool) -> None:
    """Make a party's lists acceptable only when signed (or lift that)."""
    if party.role not in ("requesting", "custodial"):
        raise InvalidInput(
            say(N_("{party} is the mediator; lists come from the two parties"), party=party.name)
        )
    party.require_signatures = required
    session.flush()


@dataclass(frozen=True)
class VerifiedSignature:
    """A list's signature that holds: by which key, when signed."""

    key_id: str
    signed_at: datetime


def check_list_signature(
    session: Session, *, party: Party, sha256: str, signature: bytes | None
) -> VerifiedSignature | None:
    """Check a list's detached signature against the party's keys valid at signing time.

    Return None for an unsigned list of a party that does not require signatures; raise
    SignatureRefused (its `code` says why) for anything that does not hold.
    """
    if signature is None:
        if party.require_signatures:
            raise SignatureRefused(
                say(N_("{party} signs its lists: send the list with its signature file"),
                    party=party.name),
                code="signature_required",
            )  # fmt: skip
        return None
    parsed = parse_signature(signature)
    if parsed.sha256 != sha256:
        raise SignatureRefused(
            N_("the file was changed after it was signed (its SHA-256 is not the one signed)"),
            code="signature_file_changed",
        )
    key = session.scalar(select(PartyKey).where(PartyKey.key_id == parsed.key_id))
    if key is None:
        raise SignatureRefused(
            say(N_("the list was signed by key {key}, which nobody registered"),
                key=parsed.key_id),
            code="signature_unknown_key",
        )  # fmt: skip
    if key.party_id != party.id:
        raise SignatureRefused(
            say(N_("the list was signed by key {key}, which is not a key of {party}"),
                key=parsed.key_id, party=party.name),
            code="signature_foreign_key",
        )  # fmt: skip
    # The signature itself first: a statement forged under a revoked key says nothing.
    if not parsed.verify_with(load_public_key(key.public_pem.encode("ascii"))):
        raise SignatureRefused(
            N_("the signature does not match: it was not made by this key over this file"),
            code="signature_invalid",
        )
    if key.revoked_at is not None:
        raise SignatureRefused(
            say(N_("the list was signed by key {key}, revoked on {date}: {reason}"),
                key=key.key_id, date=f"{key.revoked_at:%Y-%m-%d}", reason=key.revoke_reason),
            code="signature_key_revoked",
        )  # fmt: skip
    if parsed.signed_at > utcnow() + CLOCK_SKEW:
        raise SignatureRefused(
            N_("the signature says it was made in the future; check the signer's clock"),
            code="signature_time_future",
        )
    if parsed.signed_at < key.valid_from or (
        key.valid_until is not None and parsed.signed_at >= key.valid_until
    ):
        raise SignatureRefused(
            say(N_("key {key} was not valid when the list was signed ({when})"),
                key=key.key_id, when=f"{parsed.signed_at:%Y-%m-%d %H:%M} UTC"),
            code="signature_key_expired",
        )  # fmt: skip
    return VerifiedSignature(key_id=key.key_id, signed_at=parsed.signed_at)


# --- the mediator's own key ---------------------------------------------------------------


def mediator_key_path() -> Path:
    """Return where the mediator's private key lives (settings: REUNITE_MEDIATOR_KEY_FILE)."""
    return get_settings().mediator_key_file


def init_mediator_key(path: Path | None = None) -> tuple[Ed25519PublicKey, bool]:
    """Create the mediator's signing key if it has none; return its public key and if new.

    The private key goes to a file of mode 0600 outside the database and is never printed.
    """
    path = path or mediator_key_path()
    if path.exists():
        return read_private_key_file(path).public_key(), False
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written whole under another name, then linked into place: two processes setting up at
    # once (a server and a command) never see half a key, and the second keeps the first's.
    draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    key = generate_key_pair(draft)
    try:
        os.link(draft, path)
    except FileExistsError:
        return read_private_key_file(path).public_key(), False
    finally:
        draft.unlink()
    return key.public_key(), True


def mediator_private_key() -> Ed25519PrivateKey:
    """Return the mediator's signing key, or say how to create it."""
    path = mediator_key_path()
    if not path.exists():
        raise ReuniteError(
            say(N_("the mediator has no signing key yet; run `reunite keys init`")),
            status=503,
            code="mediator_key_missing",
        )
    return read_private_key_file(path)


def mediator_public_pem() -> str:
    """Return the mediator's public key (PEM), which anyone may have."""
    return public_pem(mediator_private_key().public_key())


__all__ = [
    "KeyLine",
    "SignatureRefused",
    "VerifiedSignature",
    "add_key",
    "check_list_signature",
    "init_mediator_key",
    "list_keys",
    "mediator_key_path",
    "mediator_private_key",
    "mediator_public_pem",
    "revoke_key",
    "set_require_signatures",
]
