"""Pages of records: search and lists, a record with its history, photos, the release dialog,
and the family's guided tracing-request form."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, Response, UploadFile
from fastapi.responses import RedirectResponse
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from reunite.attachments.pages import record_attachments_context
from reunite.audit.service import record_event
from reunite.auth.models import User
from reunite.cases.service import cases_of_request
from reunite.errors import InvalidInput, NotFound, ReuniteError
from reunite.exchange.models import LIST_KINDS, Batch
from reunite.parties.models import Party
from reunite.parties.service import list_parties
from reunite.records.access import (
    RECORD_READERS,
    released_fields,
    sees_whole_record,
    visible_records,
)
from reunite.records.duplicate_pages import duplicates_context
from reunite.records.enums import FIELD_LABELS, FoundBy
from reunite.records.filing import (
    MAX_PHOTO_BYTES,
    REQUEST_FIELDS,
    RequestRejected,
    file_request,
    my_requests,
)
from reunite.records.models import Record, RecordPhoto
from reunite.records.search import SearchHit, search_records
from reunite.records.service import read_record, record_versions
from reunite.review.service import candidates_for_record
from reunite.sharing.service import sharing_log
from reunite.web.deps import CsrfChecked, DbSession, PagePrincipal, client_address, require_role
from reunite.web.present import Paging, is_htmx
from reunite.web.render import render

router = APIRouter()

PAGE_SIZE = 50
MAX_TEXT = 1000


def _kind(value: str) -> str | None:
    return value if value in LIST_KINDS else None


def _party_id(value: str) -> int | None:
    return int(value) if value.isdigit() else None


@router.get("/records")
def records_list(
    request: Request,
    session: DbSession,
    principal: PagePrincipal,
    q: Annotated[str, Query(max_length=300)] = "",
    kind: Annotated[str, Query(max_length=20)] = "",
    party: Annotated[str, Query(max_length=20)] = "",
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
) -> Response:
    """List the records the caller may see; `q` searches names in any script."""
    require_role(principal, *RECORD_READERS)
    query = " ".join(q.split())
    chosen_kind, chosen_party = _kind(kind), _party_id(party) if principal.is_staff else None
    paging = Paging.of(
        request, page=page, size=PAGE_SIZE, q=query, kind=chosen_kind, party=chosen_party
    )
    address = client_address(request)
    error = ""
    hits: list[SearchHit] = []
    if query:
        try:
            hits = search_records(
                session,
                principal=principal,
                query=query,
                kind=chosen_kind,
                party_id=chosen_party,
                limit=paging.fetch,
                offset=paging.offset,
                address=address,
            )
        except InvalidInput as exc:
            error = exc.detail
    else:
        statement = select(Record).where(visible_records(principal))
        if chosen_kind is not None:
            statement = statement.where(Record.kind == chosen_kind)
        if chosen_party is not None:
            statement = statement.where(Record.party_id == chosen_party)
        statement = statement.order_by(Record.sort_key, Record.id)
        records = session.scalars(statement.limit(paging.fetch).offset(paging.offset))
        hits = [SearchHit(record) for record in records]
        record_event(
            session,
            actor=principal,
            action="records.list",
            subject_type="record",
            details={
                "kind": chosen_kind,
                "party_id": chosen_party,
                "offset": paging.offset,
                "results": min(len(hits), paging.size),
            },
            address=address,
        )
    context = {
        "hits": paging.cut(hits),
        "found_by_labels": FoundBy.labels(),
        "paging": paging,
        "q": query,
        "kind": chosen_kind or "",
        "party": chosen_party,
        "parties": _party_names(session),
        "error": error,
    }
    if is_htmx(request) and request.headers.get("hx-target") == "results":
        return render(request, "_record_results.html", context)
    return render(request, "records.html", context)


def _party_names(session: Session) -> dict[int, Party]:
    return {party.id: party for party in list_parties(session)}


@router.get("/records/{record_id}")
def record_detail(
    request: Request, record_id: str, session: DbSession, principal: PagePrincipal
) -> Response:
    """Show one record as the caller may see it: its fields, names in both scripts, history.

    Staff and the sending party see everything, history included; a recipient of a release
    sees the record as it is now, only the fields released to it, and is told what was left
    out.
    """
    record = read_record(
        session, principal=principal, record_id=record_id, address=client_address(request)
    )
    shown = released_fields(session, principal=principal, record=record)
    whole = sees_whole_record(principal, record)
    versions = record_versions(session, record=record) if whole else []
    batches = {
        batch.id: batch
        for batch in session.scalars(
            select(Batch).where(Batch.id.in_({v.batch_id for v in versions}))
        )
    }
    photos: list[int] = []
    if "photo" in shown:
        photos = list(
            session.scalars(
                select(RecordPhoto.id)
                .where(RecordPhoto.record_id == record.id)
                .order_by(RecordPhoto.id)
            )
        )
    context: dict[str, Any] = {
        "record": record,
        "party": session.get(Party, record.party_id),
        "shown": shown,
        "left_out": [
            field for field in FIELD_LABELS if field not in shown and _has_value(record, field)
        ],
        "whole": whole,
        "versions": versions,
        "batches": batches,
        "photos": photos,
        # Links to the list a version came from, for those who may open that list.
        "own_party": principal.is_staff
        or (principal.role == "liaison" and record.party_id == principal.party_id),
        "released": request.query_params.get("released") == "1",
        "revoked": request.query_params.get("revoked", ""),
    }
    if principal.is_staff:
        context["releases"] = sharing_log(session, principal=principal, record_id=record.id)
        context["candidates"] = candidates_for_record(
            session, principal=principal, record_id=record.id
        )
        if record.filed_by_user_id is not None:
            filer = session.get(User, record.filed_by_user_id)
            context["filer"] = filer.username if filer is not None else ""
    # Likely duplicates: for the staff and the liaisons of the party that sent the record.
    context |= duplicates_context(session, principal, record)
    context |= record_attachments_context(session, principal, record)
    return render(request, "record.html", context)


def _has_value(record: Record, field: str) -> bool:
    if field == "photo":
        return False  # photos are counted apart; a record may have none
    value = getattr(record, field, None)
    return bool(value) and field not in ("withheld", "withdrawn")


@router.get("/records/{record_id}/photos/{photo_id}")
def record_photo(
    request: Request, record_id: str, photo_id: int, session: DbSession, principal: PagePrincipal
) -> Response:
    """Send a photo of a record the caller may see."""
    record = read_record(
        session,
        principal=principal,
        record_id=record_id,
        address=client_address(request),
        details={"photo": photo_id},
    )
    if "photo" not in released_fields(session, principal=principal, record=record):
        raise NotFound("no such photo")
    photo = session.scalar(
        select(RecordPhoto).where(RecordPhoto.id == photo_id, RecordPhoto.record_id == record.id)
    )
    if photo is None:
        raise NotFound("no such photo")
    return Response(
        photo.data,
        media_type=photo.content_type,
        headers={"Content-Disposition": f'inline; filename="photo-{photo.id}"'},
    )


class RequestForm(BaseModel):
    """The fields of the family's tracing-request form, as typed."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=False)

    surname: str = Field("", max_length=MAX_TEXT)
    given_name: str = Field("", max_length=MAX_TEXT)
    patronymic: str = Field("", max_length=MAX_TEXT)
    name_variants: str = Field("", max_length=MAX_TEXT)
    sex: str = Field("", max_length=10)
    birth_date: str = Field("", max_length=100)
    birth_place: str = Field("", max_length=MAX_TEXT)
    last_known_place: str = Field("", max_length=MAX_TEXT)
    separation_date: str = Field("", max_length=100)
    separation_circumstances: str = Field("", max_length=MAX_TEXT)
    mother_name: str = Field("", max_length=MAX_TEXT)
    father_name: str = Field("", max_length=MAX_TEXT)
    distinguishing_marks: str = Field("", max_length=MAX_TEXT)
    contact: str = Field("", max_length=MAX_TEXT)


def _request_form(
    request: Request, *, values: dict[str, str], errors: dict[str, str], status: int = 200
) -> Response:
    context = {"values": values, "errors": errors, "max_photo_mb": MAX_PHOTO_BYTES // 2**20}
    return render(request, "request_form.html", context, status=status)


@router.get("/requests/new")
def request_form(request: Request, principal: PagePrincipal) -> Response:
    """Show the guided tracing-request form (family members and adults)."""
    require_role(principal, "family", "adult")
    return _request_form(request, values={}, errors={})


@router.post("/requests/new", dependencies=[CsrfChecked])
def file_tracing_request(
    request: Request,
    session: DbSession,
    principal: PagePrincipal,
    form: Annotated[RequestForm, Form()],
    photo: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """File the request; on mistakes show the form again, as typed, with a word on each."""
    require_role(principal, "family", "adult")
    values = {name: getattr(form, name) for name in REQUEST_FIELDS}
    data: bytes | None = None
    if photo is not None and photo.filename:
        # One byte more than allowed is enough to tell that a photo is too large.
        data = photo.file.read(MAX_PHOTO_BYTES + 1) or None
    try:
        file_request(
            session,
            principal=principal,
            fields=values,
            photo=data,
            address=client_address(request),
        )
    except RequestRejected as exc:
        return _request_form(request, values=values, errors=exc.problems, status=422)
    except ReuniteError as exc:
        return _request_form(request, values=values, errors={"form": exc.detail}, status=exc.status)
    return RedirectResponse("/my-requests?filed=1", status_code=303)


@router.get("/my-requests")
def my_requests_page(request: Request, session: DbSession, principal: PagePrincipal) -> Response:
    """List the caller's own requests and where each stands."""
    require_role(principal, "family", "adult")
    filed = my_requests(session, principal=principal)
    context = {
        "requests": filed,
        "cases": cases_of_request(session, request_ids=[item.record.id for item in filed]),
        "filed": request.query_params.get("filed") == "1",
    }
    return render(request, "my_requests.html", context)
