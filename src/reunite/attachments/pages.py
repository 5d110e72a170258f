"""Pages of attachments: the upload forms of a record and a case, and downloads.

The lists of attachments are shown by the record page and the case page, through the partial
`_attachments.html` and the context functions below.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, Response, UploadFile
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session

from reunite.attachments.enums import AttachmentKind, FileType
from reunite.attachments.routes import download_response
from reunite.attachments.service import (
    attach_to_case,
    attach_to_record,
    case_attachments,
    max_attachment_bytes,
    open_attachment,
    record_attachments,
)
from reunite.auth.principal import Principal
from reunite.records.models import Record
from reunite.web.deps import CsrfChecked, DbSession, PagePrincipal, client_address

router = APIRouter()


def record_attachments_context(
    session: Session, principal: Principal, record: Record
) -> dict[str, Any]:
    """Return what `_attachments.html` needs on a record page the caller may read."""
    may_add = principal.is_staff or (
        principal.role == "liaison" and record.party_id == principal.party_id
    )
    return {
        "attachments": record_attachments(session, principal=principal, record=record),
        "attachment_upload": f"/records/{record.id}/attachments" if may_add else "",
        "attachment_kinds": AttachmentKind.labels(),
        "attachment_types": FileType.labels(),
        "attachment_max_mb": max_attachment_bytes() // 2**20,
    }


def case_attachments_context(
    session: Session, principal: Principal, case_id: int
) -> dict[str, Any]:
    """Return what `_attachments.html` needs on a case page the caller may read."""
    return {
        "attachments": case_attachments(session, principal=principal, case_id=case_id),
        "attachment_upload": f"/cases/{case_id}/attachments" if principal.is_staff else "",
        "attachment_kinds": AttachmentKind.labels(),
        "attachment_types": FileType.labels(),
        "attachment_max_mb": max_attachment_bytes() // 2**20,
    }


def _read(file: UploadFile) -> bytes:
    return file.file.read(max_attachment_bytes() + 1)


@router.post("/records/{record_id}/attachments", dependencies=[CsrfChecked])
def attach_to_record_page(
    request: Request,
    record_id: str,
    session: DbSession,
    principal: PagePrincipal,
    file: Annotated[UploadFile, File()],
    kind: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    """Attach a file to a record; a refused file shows its reason, and nothing is kept."""
    stored = attach_to_record(
        session,
        principal=principal,
        record_id=record_id,
        data=_read(file),
        name=file.filename or "",
        kind=kind,
        address=client_address(request),
    )
    target = f"/records/{stored.attachment.record_id}?attached={stored.attachment.id}"
    return RedirectResponse(f"{target}#attachments", status_code=303)


@router.post("/cases/{case_id}/attachments", dependencies=[CsrfChecked])
def attach_to_case_page(
    request: Request,
    case_id: int,
    session: DbSession,
    principal: PagePrincipal,
    file: Annotated[UploadFile, File()],
    kind: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    """Attach a file to a case (staff); a refused file shows its reason."""
    stored = attach_to_case(
        session,
        principal=principal,
        case_id=case_id,
        data=_read(file),
        name=file.filename or "",
        kind=kind,
        address=client_address(request),
    )
    target = f"/cases/{case_id}?attached={stored.attachment.id}"
    return RedirectResponse(f"{target}#attachments", status_code=303)


@router.get("/attachments/{attachment_id}")
def download_attachment(
    request: Request, attachment_id: int, session: DbSession, principal: PagePrincipal
) -> Response:
    """Send an attachment the caller may see, as a file to save (audited)."""
    download = open_attachment(
        session,
        principal=principal,
        attachment_id=attachment_id,
        address=client_address(request),
    )
    return download_response(download.data, download.attachment.content_type, download.filename)
