"""The case file's page: a case printed as a PDF, in the reader's language, to download."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from reunite.cases.casefile import print_case
from reunite.web.deps import DbSession, PagePrincipal, client_address
from reunite.web.render import page_language

router = APIRouter()


@router.get("/cases/{case_id}/file.pdf")
def case_file(
    request: Request, case_id: int, session: DbSession, principal: PagePrincipal
) -> Response:
    """Send the case file of a case the caller may see (staff, the parties' liaisons)."""
    printed = print_case(
        session,
        principal=principal,
        case_id=case_id,
        language=page_language(request),
        address=client_address(request),
    )
    return Response(
        printed.data,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{printed.filename}"',
            # The file is personal data: no cache, shared or private, keeps a copy.
            "Cache-Control": "no-store",
            "Pragma": "no-cache",
        },
    )
