"""API: attach files to records and cases, list them, and download one (need to know decides)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request, Response, UploadFile, status

from reunite.attachments.enums import AttachmentKind
from reunite.attachments.schemas import AttachmentRead
from reunite.attachments.service import (
    Stored,
    attach_to_case,
    attach_to_record,
    audit_listing,
    case_attachments,
    max_attachment_bytes,
    open_attachment,
    record_attachments,
)
from reunite.auth.schemas import ErrorRead
from reunite.records.service import read_record
from reunite.web.deps import ApiPrincipal, DbSession, client_address

router = APIRouter(tags=["attachments"], responses={401: {"model": ErrorRead}})

_ADDED: dict[int | str, dict[str, Any]] = {
    200: {"model": AttachmentRead, "description": "The same file was attached before."},
    404: {"model": ErrorRead},
    422: {"model": ErrorRead, "description": "The file was refused; nothing was stored."},
}
_KIND = Form(
    description="photo, identity_document, biography, medical_report or psychological_report"
)


def _read(file: UploadFile) -> bytes:
    # One byte more than allowed is enough to tell that a file is too large.
    return file.file.read(max_attachment_bytes() + 1)


def _answer(stored: Stored, response: Response) -> AttachmentRead:
    if not stored.new:
        response.status_code = status.HTTP_200_OK
    return AttachmentRead.model_validate(stored.attachment).model_copy(
        update={"already_attached": not stored.new}
    )


@router.post(
    "/records/{record_id}/attachments",
    response_model=AttachmentRead,
    status_code=status.HTTP_201_CREATED,
    responses=_ADDED,
)
def attach_to_record_route(
    record_id: str,
    principal: ApiPrincipal,
    session: DbSession,
    request: Request,
    response: Response,
    file: UploadFile,
    kind: Annotated[AttachmentKind, _KIND],
) -> AttachmentRead:
    """Attach a PDF, JPEG or PNG to a record (staff, or the liaison of the record's party).

    The type is read from the content; pictures are re-encoded without their metadata; a PDF
    that is encrypted, runs scripts or does not parse is refused (422).
    """
    stored = attach_to_record(
        session,
        principal=principal,
        record_id=record_id,
        data=_read(file),
        name=file.filename or "",
        kind=kind,
        address=client_address(request),
    )
    return _answer(stored, response)


@router.post(
    "/cases/{case_id}/attachments",
    response_model=AttachmentRead,
    status_code=status.HTTP_201_CREATED,
    responses=_ADDED,
)
def attach_to_case_route(
    case_id: int,
    principal: ApiPrincipal,
    session: DbSession,
    request: Request,
    response: Response,
    file: UploadFile,
    kind: Annotated[AttachmentKind, _KIND],
) -> AttachmentRead:
    """Attach a PDF, JPEG or PNG to a case (the mediator's staff)."""
    stored = attach_to_case(
        session,
        principal=principal,
        case_id=case_id,
        data=_read(file),
        name=file.filename or "",
        kind=kind,
        address=client_address(request),
    )
    return _answer(stored, response)


@router.get(
    "/records/{record_id}/attachments",
    response_model=list[AttachmentRead],
    responses={404: {"model": ErrorRead}},
)
def record_attachments_route(
    record_id: str, principal: ApiPrincipal, session: DbSession, request: Request
) -> list[AttachmentRead]:
    """List the attachments of a record that the caller may see."""
    record = read_record(
        session,
        principal=principal,
        record_id=record_id,
        address=client_address(request),
        details={"view": "attachments"},
    )
    found = record_attachments(session, principal=principal, record=record)
    return [AttachmentRead.model_validate(attachment) for attachment in found]


@router.get(
    "/cases/{case_id}/attachments",
    response_model=list[AttachmentRead],
    responses={404: {"model": ErrorRead}},
)
def case_attachments_route(
    case_id: int, principal: ApiPrincipal, session: DbSession, request: Request
) -> list[AttachmentRead]:
    """List the attachments of a case that the caller may see."""
    found = case_attachments(session, principal=principal, case_id=case_id)
    audit_listing(
        session,
        principal=principal,
        attachments=found,
        case_id=case_id,
        address=client_address(request),
    )
    return [AttachmentRead.model_validate(attachment) for attachment in found]


@router.get(
    "/attachments/{attachment_id}",
    responses={
        200: {"content": {"application/pdf": {}, "image/jpeg": {}, "image/png": {}}},
        404: {"model": ErrorRead},
    },
)
def download_attachment_route(
    attachment_id: int, principal: ApiPrincipal, session: DbSession, request: Request
) -> Response:
    """Download an attachment the caller may see (as a file, in its detected type)."""
    download = open_attachment(
        session,
        principal=principal,
        attachment_id=attachment_id,
        address=client_address(request),
    )
    return download_response(download.data, download.attachment.content_type, download.filename)


def download_response(data: bytes, content_type: str, filename: str) -> Response:
    """Return a file to be saved, never shown in the page: its detected type, no sniffing."""
    return Response(
        data,
        media_type=content_type,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "X-Content-Type-Options": "nosniff",
        },
    )
