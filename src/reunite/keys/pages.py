"""The mediator's public key as a file to download: /keys/mediator.pem."""

from __future__ import annotations

from fastapi import APIRouter, Response

from reunite.keys.service import mediator_public_pem

router = APIRouter()


@router.get("/keys/mediator.pem")
def mediator_pem() -> Response:
    """Download the mediator's public key (PEM): receipts and packages are checked with it."""
    return Response(
        mediator_public_pem(),
        media_type="application/x-pem-file",
        headers={"Content-Disposition": 'attachment; filename="mediator.pem"'},
    )
