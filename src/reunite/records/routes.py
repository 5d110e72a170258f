"""API: read the records the caller may see (need to know decides which)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from sqlalchemy import func, select

from reunite.audit.service import record_event
from reunite.auth.schemas import ErrorRead
from reunite.db.ids import LARGEST_ID
from reunite.exchange.schemas import ListKind
from reunite.records.access import (
    RECORD_READERS,
    released_fields,
    released_fields_of,
    visible_records,
)
from reunite.records.models import Record
from reunite.records.schemas import RecordFound, RecordPage, RecordRead
from reunite.records.search import count_search, search_records
from reunite.records.service import read_record
from reunite.web.deps import ApiPrincipal, DbSession, client_address, require_role

router = APIRouter(tags=["records"], responses={401: {"model": ErrorRead}})

MAX_PAGE = 200
# An auditor reads the logs, never records: to them these routes do not exist.


@router.get(
    "/records",
    response_model=RecordPage,
    responses={404: {"model": ErrorRead}, 422: {"model": ErrorRead}},
)
def list_records_route(
    principal: ApiPrincipal,
    session: DbSession,
    request: Request,
    q: Annotated[
        str, Query(max_length=300, description="Names in any script or transliteration.")
    ] = "",
    kind: Annotated[ListKind | None, Query(description="requests or disclosures")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
    offset: Annotated[int, Query(ge=0, le=LARGEST_ID)] = 0,
) -> RecordPage:
    """List the records the caller may see, by name; with `q`, those whose names match."""
    require_role(principal, *RECORD_READERS)
    address = client_address(request)
    if q.strip():
        hits = search_records(
            session,
            principal=principal,
            query=q,
            kind=kind,
            limit=limit,
            offset=offset,
            address=address,
        )
        shown = released_fields_of(
            session, principal=principal, records=(hit.record for hit in hits)
        )
        items = [
            RecordFound.of(hit.record, shown[hit.record.id]).model_copy(
                update={"found_by": hit.reasons}
            )
            for hit in hits
        ]
        total = count_search(session, principal=principal, query=q, kind=kind)
    else:
        statement = select(Record).where(visible_records(principal))
        if kind is not None:
            statement = statement.where(Record.kind == kind)
        found = list(
            session.scalars(
                statement.order_by(Record.sort_key, Record.id).limit(limit).offset(offset)
            )
        )
        total = session.scalar(select(func.count()).select_from(statement.subquery())) or 0
        record_event(
            session,
            actor=principal,
            action="records.list",
            subject_type="record",
            details={"kind": kind, "offset": offset, "results": len(found)},
            address=address,
        )
        shown = released_fields_of(session, principal=principal, records=found)
        items = [RecordFound.of(record, shown[record.id]) for record in found]
    return RecordPage(
        items=items,
        total=total,
        limit=limit,
        offset=offset,
    )


@router.get(
    "/records/{record_id}", response_model=RecordRead, responses={404: {"model": ErrorRead}}
)
def read_record_route(
    record_id: str, principal: ApiPrincipal, session: DbSession, request: Request
) -> RecordRead:
    """Return one record, if the caller may see it; any other id is "not found"."""
    record = read_record(
        session, principal=principal, record_id=record_id, address=client_address(request)
    )
    return RecordRead.of(record, released_fields(session, principal=principal, record=record))
