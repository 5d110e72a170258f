"""Pages of the lists the parties send: received lists, uploading one, and a list's receipt."""

from __future__ import annotations

import tempfile
from pathlib import Path, PurePath
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, Response, UploadFile
from fastapi.responses import RedirectResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from reunite.auth.principal import Principal
from reunite.db.ids import LARGEST_ID
from reunite.errors import Conflict, FileRejected, InvalidInput, NotFound
from reunite.exchange.background import batch_standing
from reunite.exchange.diff import diff_batches, previous_batch
from reunite.exchange.enums import IN_PROGRESS, BatchState
from reunite.exchange.models import Batch, BatchRow
from reunite.exchange.receipts import receipt_text
from reunite.exchange.schemas import ImportReport
from reunite.exchange.submission import (
    KIND_OF_PARTY,
    submit_list,
    submitting_party,
    visible_batches,
)
from reunite.jobs.service import latest_job
from reunite.keys.signing import MAX_SIGNATURE_BYTES
from reunite.parties.models import Party
from reunite.parties.service import list_parties
from reunite.records.duplicates import flagged_in_batch
from reunite.review.jobs import MATCH_JOB
from reunite.vocabulary import N_, Message
from reunite.web.deps import (
    CsrfChecked,
    DbSession,
    PagePrincipal,
    client_address,
    require_role,
)
from reunite.web.present import Paging
from reunite.web.render import render

router = APIRouter()

UPLOADERS = ("admin", "caseworker", "liaison")
PAGE_SIZE = 50
RECEIPTS_PAGE = 100
# Names of uploaded files keep letters, digits and a few marks; the rest becomes "_".
SAFE_NAME_CHARS = frozenset("-_.() ")
CHOOSE_PARTY = N_("Choose the party that sent the list.")


def _parties_by_id(session: Session) -> dict[int, Party]:
    return {party.id: party for party in list_parties(session)}


@router.get("/lists")
def lists(
    request: Request,
    session: DbSession,
    principal: PagePrincipal,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
) -> Response:
    """List received lists: a liaison its own party's, staff all of them."""
    require_role(principal, *UPLOADERS)
    paging = Paging.of(request, page=page, size=PAGE_SIZE)
    batches = paging.cut(
        visible_batches(session, principal=principal, limit=paging.fetch, offset=paging.offset)
    )
    context = {"batches": batches, "paging": paging, "parties": _parties_by_id(session)}
    return render(request, "lists.html", context)


def _upload_parties(session: Session, principal: Principal) -> list[Party]:
    if principal.is_staff:
        return [p for p in list_parties(session) if p.role in KIND_OF_PARTY]
    own = session.get(Party, principal.party_id) if principal.party_id is not None else None
    return [own] if own is not None else []


def _upload_page(
    request: Request,
    session: Session,
    principal: Principal,
    *,
    values: dict[str, Any] | None = None,
    error: Message | str = "",
    problems: list[Message] | None = None,
    some_valid: bool = False,
    report: ImportReport | None = None,
    status: int = 200,
) -> Response:
    parties = _upload_parties(session, principal)
    chosen = values or {}
    if "kind" not in chosen and len(parties) == 1:
        chosen = {**chosen, "kind": KIND_OF_PARTY[parties[0].role]}
    context = {
        "upload_parties": parties,
        "kind_of_party": KIND_OF_PARTY,
        "values": chosen,
        "error": error,
        "problems": problems or [],
        "some_valid": some_valid,
        "report": report,
    }
    return render(request, "upload.html", context, status=status)


@router.get("/lists/upload")
def upload_form(request: Request, session: DbSession, principal: PagePrincipal) -> Response:
    """Show the upload form: the file, its kind, and (for staff) the party that sent it."""
    require_role(principal, *UPLOADERS)
    return _upload_page(request, session, principal)


def _safe_filename(name: str | None) -> str:
    base = PurePath((name or "").replace("\\", "/")).name.strip()
    cleaned = "".join(c if c.isalnum() or c in SAFE_NAME_CHARS else "_" for c in base)
    cleaned = cleaned.lstrip(".")[:200]
    return cleaned or "list.csv"


@router.post("/lists/upload", dependencies=[CsrfChecked])
def upload(
    request: Request,
    session: DbSession,
    principal: PagePrincipal,
    file: Annotated[UploadFile, File()],
    kind: Annotated[str, Form(max_length=20)] = "",
    party: Annotated[str, Form(max_length=200)] = "",
    accept_valid: Annotated[bool, Form()] = False,
    signature: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Validate and store a list, all or nothing (or its valid rows, when asked); show why not."""
    require_role(principal, *UPLOADERS)
    values = {"kind": kind, "party": party, "accept_valid": accept_valid}
    filename = _safe_filename(file.filename)
    # A browser sends an empty part for a file field left empty: no signature then.
    signed = signature.file.read(MAX_SIGNATURE_BYTES + 1) if signature is not None else None
    try:
        if principal.is_staff and not party.strip():
            raise InvalidInput(CHOOSE_PARTY)
        chosen = submitting_party(session, principal=principal, party_name=party)
        # A party sends one kind of list; the form offers no choice. A kind sent all the same
        # (an old form, a script) is checked, and a wrong one refused and audited.
        kind = kind or KIND_OF_PARTY[chosen.role]
        with tempfile.TemporaryDirectory(prefix="reunite-upload-") as folder:
            # Named like the upload: the report's lines say file:row, and the batch keeps it.
            path = Path(folder) / filename
            with path.open("wb") as out:
                while chunk := file.file.read(1 << 20):
                    out.write(chunk)
            # A refused list leaves nothing behind, not even its empty batch.
            savepoint = session.begin_nested()
            try:
                report = submit_list(
                    session,
                    principal=principal,
                    path=path,
                    kind=kind,
                    party_name=chosen.name,
                    address=client_address(request),
                    accept_valid=accept_valid,
                    signature=signed or None,
                )
            except BaseException:
                savepoint.rollback()
                raise
            savepoint.commit()
    except FileRejected as exc:
        return _upload_page(
            request,
            session,
            principal,
            values=values,
            error=exc.message,
            problems=exc.lines,
            some_valid=exc.some_valid,
            status=422,
        )
    except (InvalidInput, Conflict) as exc:
        return _upload_page(
            request, session, principal, values=values, error=exc.message, status=exc.status
        )
    if report.errors:
        # Stored with "store the valid rows": the rows left out are listed here, once.
        return _upload_page(request, session, principal, values=values, report=report)
    target = f"/lists/{report.batch_id}" + ("?repeat=1" if report.already_imported else "")
    return RedirectResponse(target, status_code=303)


def _visible_batch(session: Session, principal: Principal, batch_id: int) -> Batch:
    require_role(principal, *UPLOADERS)
    batch = session.get(Batch, batch_id)
    if batch is None or not (principal.is_staff or batch.party_id == principal.party_id):
        raise NotFound("no such list")
    return batch


@router.get("/lists/{batch_id}")
def batch_page(
    request: Request,
    batch_id: int,
    session: DbSession,
    principal: PagePrincipal,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
) -> Response:
    """Show a list's receipt: its counts, and what each row did to which record."""
    batch = _visible_batch(session, principal, batch_id)
    paging = Paging.of(request, page=page, size=RECEIPTS_PAGE)
    # The rows of a list not stored yet lead to records nobody sees yet: none are listed.
    shown = BatchRow.batch_id == (batch.id if batch.status == BatchState.STORED else -1)
    rows = paging.cut(
        list(
            session.scalars(
                select(BatchRow)
                .where(shown)
                .order_by(BatchRow.row_number)
                .limit(paging.fetch)
                .offset(paging.offset)
            )
        )
    )
    context = {
        "batch": batch,
        "standing": batch_standing(session, batch=batch),
        "party": session.get(Party, batch.party_id),
        "rows": rows,
        "paging": paging,
        "repeat": request.query_params.get("repeat") == "1",
        "duplicates": flagged_in_batch(session, batch_id=batch.id),
        "match_job": latest_job(session, kind=MATCH_JOB) if principal.is_staff else None,
        "previous_batch": previous_batch(session, batch),
    }
    return render(request, "batch.html", context)


@router.get("/lists/{batch_id}/standing")
def batch_standing_fragment(
    request: Request, batch_id: int, session: DbSession, principal: PagePrincipal
) -> Response:
    """Show where a list stored in the background stands (the list page asks every 2 s)."""
    batch = _visible_batch(session, principal, batch_id)
    context = {"batch": batch, "standing": batch_standing(session, batch=batch)}
    response = render(request, "batch_standing.html", context)
    if batch.status not in IN_PROGRESS:
        response.headers["HX-Refresh"] = "true"  # stored or refused: the whole page changes
    return response


@router.get("/lists/{batch_id}/receipt")
def batch_receipt(batch_id: int, session: DbSession, principal: PagePrincipal) -> Response:
    """Download the mediator's signed receipt of a list (check it: reunite verify-receipt)."""
    batch = _visible_batch(session, principal, batch_id)
    return Response(
        receipt_text(session, batch=batch),
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="receipt-{batch.id}.json"'},
    )


@router.get("/lists/{batch_id}/diff")
def batch_diff(
    request: Request,
    batch_id: int,
    session: DbSession,
    principal: PagePrincipal,
    against: Annotated[int | None, Query(ge=1, le=LARGEST_ID)] = None,
) -> Response:
    """Show what changed between a list and an earlier one of its party (by default the last)."""
    batch = _visible_batch(session, principal, batch_id)
    other = against if against is not None else previous_batch(session, batch)
    result = diff_batches(
        session,
        principal=principal,
        batch_a=other if other is not None else batch.id,
        batch_b=batch.id,
        address=client_address(request),
    )
    earlier = list(
        session.scalars(
            select(Batch.id)
            .where(Batch.party_id == batch.party_id, Batch.kind == batch.kind, Batch.id != batch.id)
            .order_by(Batch.id.desc())
            .limit(50)
        )
    )
    context = {"batch": batch, "diff": result, "earlier": earlier}
    return render(request, "batch_diff.html", context)
