"""API: submit a party's list, and see the batches received."""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request, Response, UploadFile, status

from reunite.auth.schemas import ErrorRead, FileRejectedRead
from reunite.exchange.schemas import BatchRead, ImportReport, ListKind
from reunite.exchange.submission import submit_list, visible_batches
from reunite.web.deps import LARGEST_ID, ApiPrincipal, DbSession, client_address

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
        200: {"model": ImportReport, "description": "The same file was imported before."},
        404: {"model": ErrorRead},
        422: {"model": FileRejectedRead, "description": "The list was refused; nothing stored."},
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
) -> ImportReport:
    """Validate a list (CSV, XLSX or JSON) and store it as one batch, all or nothing.

    A liaison submits for its own party; mediator staff name the party. Sending the same
    file again changes nothing and answers 200 with `already_imported`.
    """
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
        )
    if report.already_imported:
        response.status_code = status.HTTP_200_OK
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
