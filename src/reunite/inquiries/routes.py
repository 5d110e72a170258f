"""API: information requests: the mediator asks a party about children; the party answers."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, status

from reunite.auth.principal import Principal
from reunite.auth.schemas import ErrorRead
from reunite.db.ids import LARGEST_ID
from reunite.inquiries.enums import InquiryState
from reunite.inquiries.schemas import (
    AnswerCreate,
    AnswerRecordRead,
    InquiryCreate,
    InquiryItemRead,
    InquiryPage,
    InquiryRead,
    InquirySummaryRead,
    WithdrawCreate,
)
from reunite.inquiries.service import (
    MAX_PAGE,
    InquiryLine,
    InquiryView,
    ItemDraft,
    answer_item,
    count_inquiries,
    create_inquiry,
    list_inquiries,
    read_inquiry,
    withdraw_inquiry,
)
from reunite.web.deps import ApiPrincipal, DbSession, client_address, require_role

router = APIRouter(
    tags=["inquiries"], responses={401: {"model": ErrorRead}, 404: {"model": ErrorRead}}
)


def staff_principal(principal: ApiPrincipal) -> Principal:
    """Let the mediator's staff through; to anyone else the route does not exist (404)."""
    # Checked before the body is read, so that others get 404 whatever they send.
    require_role(principal, "admin", "caseworker")
    return principal


def reader_principal(principal: ApiPrincipal) -> Principal:
    """Let through those who read information requests (staff, auditor, liaisons)."""
    require_role(principal, "admin", "caseworker", "auditor", "liaison")
    return principal


def liaison_principal(principal: ApiPrincipal) -> Principal:
    """Let through a party's liaison, who answers the requests addressed to its party."""
    require_role(principal, "liaison")
    return principal


StaffPrincipal = Annotated[Principal, Depends(staff_principal)]
ReaderPrincipal = Annotated[Principal, Depends(reader_principal)]
LiaisonPrincipal = Annotated[Principal, Depends(liaison_principal)]


def summary_read(line: InquiryLine) -> InquirySummaryRead:
    """Shape a line of a list for the API."""
    inquiry = line.inquiry
    return InquirySummaryRead(
        id=inquiry.id,
        number=inquiry.number,
        party_id=inquiry.party_id,
        party=line.party.name,
        subject=inquiry.subject,
        due_on=inquiry.due_on,
        state=line.state,
        created_at=inquiry.created_at,
        answered_at=inquiry.answered_at,
        items=line.items,
        answered_items=line.answered,
    )


def inquiry_read(view: InquiryView) -> InquiryRead:
    """Shape a request with its children for the API, as the caller may see it."""
    inquiry = view.inquiry
    children = [
        InquiryItemRead(
            id=child.item.id,
            position=child.item.position,
            case_id=child.item.case_id if view.sees_sources else None,
            request_id=child.item.request_id if view.sees_sources else None,
            name=child.item.name,
            birth_date=child.item.birth_date,
            question=child.item.question,
            answer=child.item.answer_kind,
            records=[
                AnswerRecordRead(id=r.id, reference=r.reference, kind=r.kind) for r in child.records
            ],  # fmt: skip
            batch_id=child.item.batch_id,
            note=child.item.answer_note,
            answered_by=child.answered_by or None,
            answered_at=child.item.answered_at,
        )
        for child in view.items
    ]
    return InquiryRead(
        id=inquiry.id,
        number=inquiry.number,
        party_id=inquiry.party_id,
        party=view.party.name,
        subject=inquiry.subject,
        due_on=inquiry.due_on,
        state=view.state,
        created_at=inquiry.created_at,
        answered_at=inquiry.answered_at,
        items=len(view.items),
        answered_items=view.answered_count,
        note=inquiry.note,
        created_by=view.created_by,
        withdrawn_at=inquiry.withdrawn_at,
        withdrawn_by=view.withdrawn_by or None,
        withdraw_reason=inquiry.withdraw_reason,
        children=children,
    )


@router.get("/inquiries", response_model=InquiryPage, responses={422: {"model": ErrorRead}})
def list_inquiries_route(
    principal: ReaderPrincipal,
    session: DbSession,
    party_id: Annotated[
        int | None, Query(ge=1, le=LARGEST_ID, description="Only those to this party.")
    ] = None,
    state: Annotated[
        InquiryState | None, Query(description="open, overdue (open, past due), answered…")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
    offset: Annotated[int, Query(ge=0, le=LARGEST_ID)] = 0,
) -> InquiryPage:
    """List the information requests the caller may see: the open ones due soonest first.

    Staff and the auditor see all; a party's liaison, those addressed to its party.
    """
    lines = list_inquiries(
        session, principal=principal, party_id=party_id, state=state, limit=limit, offset=offset
    )
    total = count_inquiries(session, principal=principal, party_id=party_id, state=state)
    return InquiryPage(
        items=[summary_read(line) for line in lines], total=total, limit=limit, offset=offset
    )


@router.get("/inquiries/{inquiry_id}", response_model=InquiryRead)
def read_inquiry_route(
    inquiry_id: int, principal: ReaderPrincipal, session: DbSession, request: Request
) -> InquiryRead:
    """Read an information request with its children and their answers (the read is audited)."""
    view = read_inquiry(
        session, principal=principal, inquiry_id=inquiry_id, address=client_address(request)
    )
    return inquiry_read(view)


@router.post(
    "/inquiries",
    response_model=InquiryRead,
    status_code=status.HTTP_201_CREATED,
    responses={422: {"model": ErrorRead}},
)
def create_inquiry_route(
    body: InquiryCreate, principal: StaffPrincipal, session: DbSession, request: Request
) -> InquiryRead:
    """Ask a party about children by a due date (the mediator's staff)."""
    address = client_address(request)
    inquiry = create_inquiry(
        session,
        principal=principal,
        party_id=body.party_id,
        subject=body.subject,
        note=body.note,
        due_on=body.due_on,
        items=[
            ItemDraft(
                case_id=item.case_id,
                request_id=item.request_id,
                name=item.name,
                birth_date=item.birth_date,
                question=item.question,
            )
            for item in body.items
        ],
        address=address,
    )
    return inquiry_read(
        read_inquiry(session, principal=principal, inquiry_id=inquiry.id, audited=False)
    )


@router.post(
    "/inquiries/{inquiry_id}/items/{item_id}/answer",
    response_model=InquiryRead,
    responses={409: {"model": ErrorRead}, 422: {"model": ErrorRead}},
)
def answer_route(
    inquiry_id: int,
    item_id: int,
    body: AnswerCreate,
    principal: LiaisonPrincipal,
    session: DbSession,
    request: Request,
) -> InquiryRead:
    """Answer for one child (the asked party's liaison): records, a list, or not on record.

    An answered child answers 409 (`already_answered`); a withdrawn request, 409
    (`inquiry_withdrawn`). When every child is answered, the request is answered.
    """
    address = client_address(request)
    answer_item(
        session,
        principal=principal,
        inquiry_id=inquiry_id,
        item_id=item_id,
        kind=body.kind,
        records=body.records,
        batch_id=body.batch_id,
        note=body.note,
        address=address,
    )
    return inquiry_read(
        read_inquiry(session, principal=principal, inquiry_id=inquiry_id, audited=False)
    )


@router.post(
    "/inquiries/{inquiry_id}/withdraw",
    response_model=InquiryRead,
    responses={409: {"model": ErrorRead}, 422: {"model": ErrorRead}},
)
def withdraw_route(
    inquiry_id: int,
    body: WithdrawCreate,
    principal: StaffPrincipal,
    session: DbSession,
    request: Request,
) -> InquiryRead:
    """Withdraw an unanswered request with a reason (the mediator's staff)."""
    address = client_address(request)
    withdraw_inquiry(
        session, principal=principal, inquiry_id=inquiry_id, reason=body.reason, address=address
    )
    return inquiry_read(
        read_inquiry(session, principal=principal, inquiry_id=inquiry_id, audited=False)
    )
