"""API: family news messages for party systems and checks (write, read, moderate, deliver)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Response, UploadFile, status

from reunite.auth.schemas import ErrorRead
from reunite.channel import service as channel
from reunite.channel.enums import Direction
from reunite.channel.schemas import DeliverBody, MessageRead, ReturnBody
from reunite.channel.service._messages import NewMessage
from reunite.db.ids import LARGEST_ID
from reunite.pictures import MAX_PICTURE_BYTES
from reunite.web.deps import ApiPrincipal, DbSession

router = APIRouter(
    tags=["messages"], responses={401: {"model": ErrorRead}, 404: {"model": ErrorRead}}
)

DEFAULT_RECIPIENT = {Direction.TO_CHILD: "the child", Direction.TO_FAMILY: "the family"}


def _view(session: DbSession, principal: ApiPrincipal, message_id: int) -> MessageRead:
    view = channel.get_message(session, principal=principal, message_id=message_id)
    return MessageRead.of(view, staff=principal.is_staff)


@router.post(
    "/cases/{case_id}/messages",
    response_model=MessageRead,
    status_code=status.HTTP_201_CREATED,
    responses={
        409: {
            "model": ErrorRead,
            "description": "`channel_closed`: the case's channel is not open",
        },
        422: {
            "model": ErrorRead,
            "description": "`too_many_words`, `too_many_messages`, a photo refused",
        },
    },
)
async def write_message_route(
    principal: ApiPrincipal,
    session: DbSession,
    case_id: int,
    text: Annotated[str, Form(max_length=4000)],
    photo: UploadFile | None = None,
    sender_name: Annotated[str, Form(max_length=200)] = "",
    recipient_name: Annotated[str, Form(max_length=200)] = "",
    reply_to: Annotated[int | None, Form(ge=1, le=LARGEST_ID)] = None,
) -> MessageRead:
    """Write a family news message on a case's channel; it waits for the mediator."""
    data = await photo.read(MAX_PICTURE_BYTES + 1) if photo is not None else None
    form = NewMessage(
        text=text,
        sender_name=sender_name or principal.username,
        recipient_name=recipient_name or "-",
        photo=data or None,
        reply_to=reply_to,
    )
    message = channel.write_message(session, principal=principal, case_id=case_id, form=form)
    return _view(session, principal, message.id)


@router.get("/cases/{case_id}/messages", response_model=list[MessageRead])
def list_messages_route(
    principal: ApiPrincipal, session: DbSession, case_id: int
) -> list[MessageRead]:
    """List the messages of a case's channel the caller may see, oldest first."""
    seen = channel.messages_of_case(session, principal=principal, case_id=case_id)
    return [MessageRead.of(view, staff=principal.is_staff) for view in seen.messages]


@router.get("/messages/{message_id}", response_model=MessageRead)
def read_message_route(principal: ApiPrincipal, session: DbSession, message_id: int) -> MessageRead:
    """Read one message (its recipient's reading marks it read)."""
    return _view(session, principal, message_id)


@router.get(
    "/messages/{message_id}/photo",
    responses={200: {"content": {"image/jpeg": {}, "image/png": {}}}},
)
def message_photo_route(principal: ApiPrincipal, session: DbSession, message_id: int) -> Response:
    """The message's photo, as re-encoded on arrival (no metadata)."""
    photo = channel.message_photo(session, principal=principal, message_id=message_id)
    return Response(
        photo.data,
        media_type=photo.content_type,
        headers={"Cache-Control": "no-store", "Content-Disposition": "inline"},
    )


@router.post(
    "/messages/{message_id}/approve",
    response_model=MessageRead,
    responses={409: {"model": ErrorRead}},
)
def approve_message_route(
    principal: ApiPrincipal, session: DbSession, message_id: int
) -> MessageRead:
    """Let a submitted message pass (the mediator's staff)."""
    channel.approve_message(session, principal=principal, message_id=message_id)
    return _view(session, principal, message_id)


@router.post(
    "/messages/{message_id}/return",
    response_model=MessageRead,
    responses={409: {"model": ErrorRead}, 422: {"model": ErrorRead}},
)
def return_message_route(
    principal: ApiPrincipal, session: DbSession, message_id: int, body: ReturnBody
) -> MessageRead:
    """Return a submitted message to its writer with the reason (the mediator's staff)."""
    channel.return_message(session, principal=principal, message_id=message_id, reason=body.reason)
    return _view(session, principal, message_id)


@router.post(
    "/messages/{message_id}/delivery",
    response_model=MessageRead,
    responses={409: {"model": ErrorRead}},
)
def deliver_message_route(
    principal: ApiPrincipal, session: DbSession, message_id: int, body: DeliverBody
) -> MessageRead:
    """Record that an approved message reached its recipient (the delivering party's liaison)."""
    channel.deliver_message(session, principal=principal, message_id=message_id, read=body.read)
    return _view(session, principal, message_id)
