"""API: the mediator's public key, which anyone may fetch to check receipts and packages."""

from __future__ import annotations

from fastapi import APIRouter

from reunite.keys.schemas import MediatorKeyRead
from reunite.keys.service import mediator_private_key
from reunite.keys.signing import key_id, public_pem

router = APIRouter(tags=["keys"])


@router.get("/keys/mediator", response_model=MediatorKeyRead)
def mediator_key_route() -> MediatorKeyRead:
    """Return the mediator's Ed25519 public key (PEM) and its id; no login needed."""
    public = mediator_private_key().public_key()
    return MediatorKeyRead(key_id=key_id(public), pem=public_pem(public))
