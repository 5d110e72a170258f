"""Signed checkpoints of the audit chain's head, and checking the log against them.

The hash chain (audit.service) shows that no entry was changed, removed or inserted in the
middle, but a log cut short, emptied, or edited with every later hash recomputed is a valid
chain again. A checkpoint is the mediator's signature over the head at one moment: how many
entries, the last one's id and its hash. Copies kept outside the mediator's reach (files a
mediator hands over, receipts the parties keep) then prove what the log held: the log must
still count those entries up to that id, ending in that hash.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from reunite.audit.models import AuditCheckpoint, AuditEntry
from reunite.audit.service import write_pending
from reunite.db.base import utcnow
from reunite.keys.service import mediator_private_key
from reunite.keys.signing import (
    CHECKPOINT_FORMAT,
    SignatureRefused,
    canonical_bytes,
    key_id,
    sign_document,
    verify_document,
)
from reunite.vocabulary import N_, Message, say


@dataclass(frozen=True)
class Head:
    """The chain's head: how many entries, the last one's id and hash (0, 0, "" if empty)."""

    entries: int
    head_id: int
    head_hash: str


def current_head(session: Session) -> Head:
    """Return the head of the log as this transaction sees it, its own entries included."""
    # Entries recorded in this transaction are linked now, so that a checkpoint made in it
    # covers them (on PostgreSQL this takes the log's lock until the commit: a short wait).
    write_pending(session)
    last = session.execute(
        select(AuditEntry.id, AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)
    ).first()
    if last is None:
        return Head(0, 0, "")
    entries = session.scalar(select(func.count()).select_from(AuditEntry)) or 0
    return Head(entries, last.id, last.hash)


def _timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def make_checkpoint(session: Session, *, reason: str) -> AuditCheckpoint:
    """Sign the log's head now with the mediator's key and keep the checkpoint."""
    head = current_head(session)
    at = utcnow()
    document = sign_document(
        {
            "format": CHECKPOINT_FORMAT,
            "issuer": "mediator",
            "at": _timestamp(at),
            "entries": head.entries,
            "head_id": head.head_id,
            "head_hash": head.head_hash,
        },
        mediator_private_key(),
    )
    checkpoint = AuditCheckpoint(
        at=at,
        reason=reason[:40],
        entries=head.entries,
        head_id=head.head_id,
        head_hash=head.head_hash,
        document=canonical_bytes(document).decode("utf-8"),
    )
    session.add(checkpoint)
    session.flush()
    return checkpoint


def checkpoint_document(checkpoint: AuditCheckpoint) -> dict[str, Any]:
    """Return a stored checkpoint as the signed document handed out."""
    document: dict[str, Any] = json.loads(checkpoint.document)
    return document


def checkpoint_text(checkpoint: AuditCheckpoint) -> str:
    """Return a checkpoint as the file a mediator hands over (pretty JSON)."""
    document = checkpoint_document(checkpoint)
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def latest_checkpoint(session: Session) -> AuditCheckpoint | None:
    """Return the newest checkpoint kept, if any."""
    return session.scalars(
        select(AuditCheckpoint).order_by(AuditCheckpoint.id.desc()).limit(1)
    ).first()


# A party's system may ask for a checkpoint as often as it likes; one this recent is handed
# out again rather than a new one signed and kept for every call.
REUSE_WITHIN = timedelta(minutes=10)


def recent_checkpoint(session: Session, *, reason: str) -> AuditCheckpoint:
    """Return the newest checkpoint if it is recent, or sign and keep a new one."""
    newest = latest_checkpoint(session)
    if newest is not None and newest.at > utcnow() - REUSE_WITHIN:
        return newest
    return make_checkpoint(session, reason=reason)


def stored_checkpoints(session: Session) -> list[AuditCheckpoint]:
    """Return every checkpoint kept, oldest first."""
    return list(session.scalars(select(AuditCheckpoint).order_by(AuditCheckpoint.id)))


def checkpoint_in(document: object) -> object:
    """Return the checkpoint a file holds: itself, or the one a receipt carries."""
    if isinstance(document, dict) and isinstance(document.get("audit_checkpoint"), dict):
        return document["audit_checkpoint"]
    return document


@dataclass(frozen=True)
class CheckpointCheck:
    """What comparing the log with one signed checkpoint found."""

    at: str
    entries: int
    head_id: int
    problem: Message | None = None

    @property
    def holds(self) -> bool:
        """Tell whether the log still holds everything the checkpoint signed."""
        return self.problem is None


def _count(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else -1


def check_against(
    session: Session, document: object, public_key: Ed25519PublicKey
) -> CheckpointCheck:
    """Check that the log still holds what a signed checkpoint says it held.

    Refuses (SignatureRefused) a document that is not a checkpoint signed by this key.
    """
    signed = verify_document(document, public_key, expected_format=CHECKPOINT_FORMAT)
    entries, head_id = _count(signed.get("entries")), _count(signed.get("head_id"))
    at, head_hash = str(signed.get("at", "")), str(signed.get("head_hash", ""))
    result = CheckpointCheck(at=at, entries=entries, head_id=head_id)
    if entries < 0 or head_id < 0:
        garbled = say(N_("the checkpoint of {at} does not say how long the log was"), at=at)
        return CheckpointCheck(at, entries, head_id, garbled)
    if entries == 0:
        return result  # signed when the log was empty: anything since holds it
    last = session.scalar(select(func.max(AuditEntry.id)))
    total = session.scalar(select(func.count()).select_from(AuditEntry)) or 0
    problem = _what_is_missing(session, result, head_hash=head_hash, last=last, total=total)
    return CheckpointCheck(at, entries, head_id, problem)


def _what_is_missing(
    session: Session, signed: CheckpointCheck, *, head_hash: str, last: int | None, total: int
) -> Message | None:
    values: dict[str, object] = {
        "at": signed.at,
        "entries": f"{signed.entries:,}",
        "head": signed.head_id,
    }
    if last is None:
        return say(
            N_(
                "the log is empty, but the checkpoint of {at} counted {entries} entries up "
                "to entry {head}: the whole log was wiped"
            ),
            **values,
        )
    head = session.get(AuditEntry, signed.head_id)
    if head is None and last < signed.head_id:
        return say(
            N_(
                "the log ends at entry {last} ({total} entries), but the checkpoint of {at} "
                "counted {entries} entries up to entry {head}: entries {first_missing} to "
                "{head} are missing (the log was cut short)"
            ),
            last=last,
            total=f"{total:,}",
            first_missing=last + 1,
            **values,
        )
    if head is None:
        return say(
            N_("entry {head}, the last one the checkpoint of {at} signed, is missing"), **values
        )
    if head.hash != head_hash:
        return say(
            N_(
                "entry {head} no longer ends in the hash the checkpoint of {at} signed: "
                "the log up to it was rewritten (entries changed, removed or added, and "
                "their hashes computed again)"
            ),
            **values,
        )
    held = (
        session.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.id <= signed.head_id)
        )
        or 0
    )
    if held != signed.entries:
        return say(
            N_(
                "the checkpoint of {at} counted {entries} entries up to entry {head}; the "
                "log holds {held}: {missing} are missing"
            ),
            held=f"{held:,}",
            missing=f"{signed.entries - held:,}",
            **values,
        )
    return None


@dataclass(frozen=True)
class KeptCheck:
    """What comparing the log with one checkpoint it keeps found.

    `check` is None when another key signed it (the mediator's key was replaced since, or
    this process reads another key file): it cannot be checked with this key, and says so.
    """

    checkpoint_id: int
    signer: str
    check: CheckpointCheck | None


def check_kept(session: Session, public_key: Ed25519PublicKey) -> list[KeptCheck]:
    """Compare the log with every checkpoint it keeps, oldest first."""
    mine = key_id(public_key)
    found: list[KeptCheck] = []
    for kept in stored_checkpoints(session):
        try:
            document = checkpoint_document(kept)
        except ValueError:
            document = {}
        signer = str(document.get("key_id", ""))
        if signer and signer != mine:
            found.append(KeptCheck(kept.id, signer, None))
            continue
        try:
            check = check_against(session, document, public_key)
        except SignatureRefused:
            # Kept here, and changed since it was signed: that is a rewrite too.
            changed = say(N_("its signature no longer matches its content: it was changed"))
            check = CheckpointCheck(_timestamp(kept.at), kept.entries, kept.head_id, changed)
        found.append(KeptCheck(kept.id, signer, check))
    return found
