"""Receipts the mediator signs for accepted lists, so a party can prove what it delivered.

A receipt states the batch's hash, its counts (added, corrected, unchanged, withdrawn,
rejected), when it was received and which of the party's keys signed it; the mediator's
Ed25519 signature covers all of it. It is made from the stored batch whenever asked for:
Ed25519 signatures are deterministic, so the same batch always gets the same receipt (until
the mediator's key is replaced), and `reunite verify-receipt` checks it offline.

Each receipt also carries a signed checkpoint of the audit log (audit.checkpoints), made when
the receipt is first asked for and kept with the batch: the parties then hold, receipt by
receipt, proof of how long the log was, which `reunite audit verify --checkpoint` checks.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from reunite.audit.checkpoints import checkpoint_document, make_checkpoint
from reunite.audit.models import AuditCheckpoint
from reunite.auth.principal import Principal
from reunite.errors import Conflict, NotFound
from reunite.exchange.enums import BatchState
from reunite.exchange.models import Batch
from reunite.keys.service import mediator_private_key
from reunite.keys.signing import RECEIPT_FORMAT, sign_document
from reunite.parties.models import Party
from reunite.vocabulary import N_, say


def _timestamp(batch: Batch) -> str:
    return batch.received_at.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def visible_batch(session: Session, *, principal: Principal | None, batch_id: int) -> Batch:
    """Return a batch its caller may see (staff, its party's liaisons; the command line)."""
    batch = session.get(Batch, batch_id)
    if batch is None:
        raise NotFound("no such list")
    if principal is None or principal.is_staff:
        return batch
    if principal.role == "liaison" and principal.party_id == batch.party_id:
        return batch
    raise NotFound("no such list")


def receipt_document(session: Session, *, batch: Batch) -> dict[str, Any]:
    """Return the mediator's signed receipt of a stored batch."""
    if batch.status != BatchState.STORED:
        raise Conflict(
            say(N_("list {batch} is {status}: it has no receipt"), batch=batch.id,
                status=BatchState(batch.status)),
            code="list_not_stored",
        )  # fmt: skip
    party = session.get(Party, batch.party_id)
    document: dict[str, Any] = {
        "format": RECEIPT_FORMAT,
        "issuer": "mediator",
        "batch": batch.id,
        "party": party.name if party is not None else "",
        "kind": batch.kind,
        "filename": batch.filename,
        "sha256": batch.sha256,
        "received_at": _timestamp(batch),
        "party_key_id": batch.signed_key_id,
        "party_signed_at": (
            batch.signed_at.strftime("%Y-%m-%dT%H:%M:%S.%fZ") if batch.signed_at else None
        ),
        "counts": {
            "rows_read": batch.rows_read,
            "added": batch.rows_added,
            "corrected": batch.rows_corrected,
            "unchanged": batch.rows_unchanged,
            "withdrawn": batch.rows_withdrawn,
            "rejected": batch.rows_rejected,
        },
    }
    checkpoint = _checkpoint_of(session, batch)
    if checkpoint is not None:
        document["audit_checkpoint"] = checkpoint_document(checkpoint)
    return sign_document(document, mediator_private_key())


def _checkpoint_of(session: Session, batch: Batch) -> AuditCheckpoint | None:
    """Return the batch's audit checkpoint, made now if its receipt was never asked for."""
    if batch.checkpoint_id is None:
        made = make_checkpoint(session, reason="receipt")
        # Only the first asker's checkpoint sticks, so every copy of a receipt is the same.
        session.execute(
            update(Batch)
            .where(Batch.id == batch.id, Batch.checkpoint_id.is_(None))
            .values(checkpoint_id=made.id)
            .execution_options(synchronize_session=False)
        )
        session.refresh(batch, ["checkpoint_id"])
    if batch.checkpoint_id is None:
        return None
    return session.get(AuditCheckpoint, batch.checkpoint_id)


def receipt_text(session: Session, *, batch: Batch) -> str:
    """Return the receipt as the file a party keeps (pretty JSON)."""
    document = receipt_document(session, batch=batch)
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
