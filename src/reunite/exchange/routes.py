"""API: submit a party's list (signed, idempotent), poll a batch, its receipt and its diff."""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Form, Header, Query, Request, Response, UploadFile, status
from fastapi.responses import JSONResponse
from sqlalchemy import and_, or_, select

from reunite.auth.schemas import ErrorRead, FileRejectedRead
from reunite.db.ids import LARGEST_ID
from reunite.exchange.background import batch_standing
from reunite.exchange.diff import diff_batches, previous_batch
from reunite.exchange.enums import BatchState
from reunite.exchange.receipts import receipt_document, visible_batch
from reunite.exchange.schemas import (
    BatchDiffRead,
    BatchRead,
    BatchStatusRead,
    FieldChangeRead,
    ImportReport,
    ListKind,
    RecordChangeRead,
)
from reunite.exchange.submission import submit_list, visible_batches
from reunite.jobs.models import Job
from reunite.keys.signing import MAX_SIGNATURE_BYTES
from reunite.review.jobs import MATCH_JOB
from reunite.web.deps import ApiPrincipal, DbSession, client_address

router = APIRouter(tags=["lists"], responses={401: {"model": ErrorRead}})

_UNSAFE = re.compile(r"[^\w.\- ]+")


def _safe_filename(name: str | None) -> str:
    # The name shows in receipts and chooses the reader (.xlsx, .json); the path part of a
    # client's name must never reach the file system.
    base = Path((name or "").replace("\\", "/")).name
    base = _UNSAFE.sub("_", base).strip(" .")[:200]
    return base or "upload"


@router.post(
    "/lists",
    response_model=ImportReport,
    status_code=status.HTTP_201_CREATED,
    responses={
        200: {
            "model": ImportReport,
            "description": "The same file was imported before, or a retry with the same "
            "Idempotency-Key: the batch it made, nothing changed.",
        },
        202: {
            "model": ImportReport,
            "description": "A large list (over REUNITE_BACKGROUND_LIST_KB) was accepted and "
            "is stored in the background: `status` is queued; poll /api/v1/lists/{batch_id} "
            "until it is stored or refused.",
        },
        404: {"model": ErrorRead},
        409: {
            "model": ErrorRead,
            "description": "Another list of the same party and kind is still being stored "
            "(code list_in_progress): send this one when it is stored.",
        },
        422: {
            "model": FileRejectedRead,
            "description": "The list was refused; nothing stored. `code` says why: "
            "signature_required, signature_garbled, signature_file_changed, "
            "signature_unknown_key, signature_foreign_key, signature_invalid, "
            "signature_key_revoked, signature_key_expired, signature_time_future, "
            "signature_replayed, idempotency_key_reused, FileRejected, InvalidInput.",
            "content": {
                "application/json": {
                    "example": {
                        "detail": "the file was changed after it was signed (its SHA-256 is "
                        "not the one signed)",
                        "code": "signature_file_changed",
                    }
                }
            },
        },
    },
)
def submit_list_route(
    principal: ApiPrincipal,
    session: DbSession,
    request: Request,
    response: Response,
    file: UploadFile,
    kind: Annotated[ListKind, Form(description="requests or disclosures")],
    party: Annotated[str, Form(description="The sending party (mediator staff only).")] = "",
    signature: Annotated[
        UploadFile | None,
        File(description="The list's detached signature, as `reunite sign` writes it."),
    ] = None,
    idempotency_key: Annotated[
        str,
        Header(
            alias="Idempotency-Key",
            description="A key of your choosing per list: a retry with it never makes a "
            "second batch; the same key with another body is refused (422).",
            examples=["ua-2026-12-06-0001"],
        ),
    ] = "",
) -> ImportReport:
    """Validate a list (CSV, XLSX or JSON) and store it as one batch, all or nothing.

    A liaison submits for its own party; mediator staff name the party. Sending the same
    file again changes nothing and answers 200 with `already_imported`. A large list is
    stored in the background: 202, and its batch to poll (nobody sees any of its rows
    until all of them are stored). A signed list is
    checked against the party's keys valid when it was signed; a party may be required to
    sign. Example::

        curl -H "Authorization: Bearer $TOKEN" -H "Idempotency-Key: ua-0001" \\
             -F kind=requests -F file=@list.csv -F signature=@list.csv.sig \\
             https://reunite.example/api/v1/lists
    """
    signed = signature.file.read(MAX_SIGNATURE_BYTES + 1) if signature is not None else None
    with tempfile.TemporaryDirectory(prefix="reunite-upload-") as folder:
        path = Path(folder) / _safe_filename(file.filename)
        with path.open("wb") as handle:
            shutil.copyfileobj(file.file, handle, length=1 << 20)
        report = submit_list(
            session,
            principal=principal,
            path=path,
            kind=kind,
            party_name=party,
            address=client_address(request),
            signature=signed,
            idempotency_key=idempotency_key.strip(),
        )
    if report.already_imported:
        response.status_code = status.HTTP_200_OK
    elif report.status != BatchState.STORED:
        response.status_code = status.HTTP_202_ACCEPTED
    return report


@router.get("/lists", response_model=list[BatchRead], responses={404: {"model": ErrorRead}})
def list_batches_route(
    principal: ApiPrincipal,
    session: DbSession,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=LARGEST_ID)] = 0,
) -> list[BatchRead]:
    """List the batches received, newest first: a liaison's own party's, or all (staff)."""
    batches = visible_batches(session, principal=principal, limit=limit, offset=offset)
    return [BatchRead.model_validate(batch) for batch in batches]


@router.get(
    "/lists/{batch_id}",
    response_model=BatchStatusRead,
    responses={404: {"model": ErrorRead}},
)
def batch_status_route(
    principal: ApiPrincipal, session: DbSession, batch_id: int
) -> BatchStatusRead:
    """Poll a batch: stored, its counts, which key signed it, and its matching run."""
    batch = visible_batch(session, principal=principal, batch_id=batch_id)
    # The first matching run that started after the batch arrived (or has yet to start)
    # covers it: one queued run serves every batch that arrives while it waits.
    job = session.scalar(
        select(Job)
        .where(
            Job.kind == MATCH_JOB,
            or_(
                and_(Job.started_at.is_(None), Job.status == "queued"),
                Job.started_at >= batch.received_at,
            ),
        )
        .order_by(Job.id)
        .limit(1)
    )
    read = BatchStatusRead.model_validate(batch)
    if batch.status != BatchState.STORED:
        job = None  # a list not stored yet queued no matching run
    read.matching = job.status if job is not None else None
    read.receipt_url = (
        f"/api/v1/lists/{batch.id}/receipt" if batch.status == BatchState.STORED else ""
    )
    standing = batch_standing(session, batch=batch)
    read.bytes_read, read.bytes_total = standing.bytes_read, standing.bytes_total
    if standing.problem is not None:
        read.problem = str(standing.problem)
        read.problem_count = standing.problem_count
        read.problem_lines = [str(line) for line in standing.problem_lines]
    return read


@router.get(
    "/lists/{batch_id}/receipt",
    responses={
        200: {
            "description": "The receipt the mediator signed (check it with "
            "`reunite verify-receipt RECEIPT --key mediator.pem`).",
            "content": {
                "application/json": {
                    "example": {
                        "format": "reunite-receipt-1",
                        "issuer": "mediator",
                        "batch": 42,
                        "party": "Ukraine",
                        "kind": "requests",
                        "filename": "requests.csv",
                        "sha256": "9f86d081884c7d659a2feaa0c55ad015"
                        "a3bf4f1b2b0b822cd15d6c15b0f00a08",
                        "received_at": "2026-12-06T10:15:00.000000Z",
                        "party_key_id": "3f0c9a1b2c4d5e6f",
                        "party_signed_at": "2026-12-06T10:14:02.000000Z",
                        "counts": {
                            "rows_read": 3,
                            "added": 3,
                            "corrected": 0,
                            "unchanged": 0,
                            "withdrawn": 0,
                            "rejected": 0,
                        },
                        "key_id": "a1b2c3d4e5f60718",
                        "signature": "base64…",
                    }
                }
            },
        },
        404: {"model": ErrorRead},
    },
)
def batch_receipt_route(principal: ApiPrincipal, session: DbSession, batch_id: int) -> Response:
    """Return the mediator's signed receipt of a batch: hash, counts, time, signing key."""
    batch = visible_batch(session, principal=principal, batch_id=batch_id)
    return JSONResponse(receipt_document(session, batch=batch))


@router.get(
    "/lists/{batch_id}/diff",
    response_model=BatchDiffRead,
    responses={404: {"model": ErrorRead}, 422: {"model": ErrorRead}},
)
def batch_diff_route(
    principal: ApiPrincipal,
    session: DbSession,
    request: Request,
    batch_id: int,
    against: Annotated[
        int | None,
        Query(description="The other batch; default: the party's previous one of that kind."),
    ] = None,
) -> BatchDiffRead:
    """Records added, corrected (field by field, old → new) and withdrawn between two lists."""
    batch = visible_batch(session, principal=principal, batch_id=batch_id)
    other = against if against is not None else previous_batch(session, batch)
    if other is None:
        other = batch.id  # refused below: there is nothing to compare with
    result = diff_batches(
        session,
        principal=principal,
        batch_a=other,
        batch_b=batch.id,
        address=client_address(request),
    )
    return BatchDiffRead(
        from_batch=result.from_batch,
        to_batch=result.to_batch,
        kind="requests" if result.kind == "requests" else "disclosures",
        **{
            name: [
                RecordChangeRead(
                    record_id=str(change.record_id),
                    external_id=change.external_id,
                    changes=[
                        FieldChangeRead(field=c.field, old=c.old, new=c.new) for c in change.changes
                    ],
                )  # fmt: skip
                for change in getattr(result, name)
            ]
            for name in ("added", "corrected", "withdrawn")
        },
    )
