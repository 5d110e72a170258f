"""Pages of the channel: a case's conversation and calls, the moderation queue, deliveries.

Every form answers with the page it came from: on success a redirect (so a reload sends
nothing twice), on a refusal the page again with the reason and what was typed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request, Response, UploadFile
from fastapi.responses import RedirectResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from reunite.auth.principal import Principal
from reunite.cases.access import visible_cases
from reunite.cases.models import Case
from reunite.channel import service as channel
from reunite.channel.service._messages import NewMessage
from reunite.channel.service._sides import sides_of
from reunite.errors import ReuniteError
from reunite.pictures import MAX_PICTURE_BYTES
from reunite.records.models import Record
from reunite.vocabulary import Message
from reunite.web.deps import CsrfChecked, DbSession, PagePrincipal, require_role
from reunite.web.render import render, render_error

router = APIRouter()

# The forms' bounds are generous: the service says what is too long, once it knows the caller
# may act at all (a bound here would answer a stranger before need to know does).
Text = Annotated[str, Form(max_length=4000)]
Short = Annotated[str, Form(max_length=4000)]


def _channel_page(
    request: Request,
    session: Session,
    principal: Principal,
    case_id: int,
    *,
    values: dict[str, str] | None = None,
    error: Message | str = "",
    status: int = 200,
) -> Response:
    seen = channel.messages_of_case(session, principal=principal, case_id=case_id)
    child = session.get(Record, seen.case.request_id) if seen.case.request_id else None
    capacities = seen.sides.capacities(principal)
    context: dict[str, Any] = {
        "channel": seen,
        "child": child,
        "calls": channel.calls_of_case(session, principal=principal, case=seen.case),
        "capacities": capacities,
        "may_ask_call": seen.closed_because is None
        and bool(capacities & {"family", "adult", "requesting"}),
        "holds_child": (
            seen.sides.adult_user == principal.user_id
            if seen.sides.adult_user is not None
            else "custodial" in capacities
        ),
        "values": values or {},
        "error": error,
        "word_limit": channel_word_limit(),
    }
    return render(request, "channel.html", context, status=status)


def channel_word_limit() -> int:
    from reunite.settings import get_settings

    return get_settings().message_word_limit


def _back(case_id: int, anchor: str = "") -> RedirectResponse:
    return RedirectResponse(f"/cases/{case_id}/messages{anchor}", status_code=303)


@router.get("/messages")
def conversations(request: Request, session: DbSession, principal: PagePrincipal) -> Response:
    """The family's or the adult's conversations: one per case they follow."""
    require_role(principal, "family", "adult", "liaison")
    found = []
    for case in session.scalars(select(Case).where(visible_cases(principal)).order_by(Case.id)):
        sides = sides_of(session, case=case)
        if not sides.capacities(principal) & {"family", "adult"}:
            continue
        child = session.get(Record, case.request_id) if case.request_id else None
        refusal = channel.channel_refusal(session, case=case)
        found.append({"case": case, "child": child, "closed_because": refusal})
    if principal.role == "liaison":
        return RedirectResponse("/messages/deliveries", status_code=303)
    return render(request, "conversations.html", {"conversations": found})


@router.get("/cases/{case_id}/messages")
def case_messages(
    request: Request, case_id: int, session: DbSession, principal: PagePrincipal
) -> Response:
    """A case's conversation: the messages the caller may see, the form, the calls."""
    return _channel_page(request, session, principal, case_id)


@router.post("/cases/{case_id}/messages", dependencies=[CsrfChecked])
async def write(
    request: Request,
    case_id: int,
    session: DbSession,
    principal: PagePrincipal,
    text: Text = "",
    sender_name: Short = "",
    recipient_name: Short = "",
    reply_to: Annotated[str, Form(max_length=20)] = "",
    photo: UploadFile | None = None,
    action: Annotated[str, Form(max_length=20)] = "submit",
) -> Response:
    """Send a message for moderation, or keep it as a draft."""
    values = {"text": text, "sender_name": sender_name, "recipient_name": recipient_name}
    data = await photo.read(MAX_PICTURE_BYTES + 1) if photo is not None and photo.filename else b""
    try:
        message = channel.write_message(
            session,
            principal=principal,
            case_id=case_id,
            form=NewMessage(
                text=text,
                sender_name=sender_name,
                recipient_name=recipient_name,
                photo=data or None,
                reply_to=int(reply_to) if reply_to.isdigit() else None,
            ),
            submit=action != "draft",
        )
    except ReuniteError as refused:
        if refused.status == 404:
            raise
        session.rollback()
        return _channel_page(
            request,
            session,
            principal,
            case_id,
            values=values,
            error=refused.detail,
            status=refused.status,
        )
    return _back(case_id, f"#message-{message.id}")


def _message_action(request: Request, session: Session, act: Any, back: str) -> Response:
    """Do a step on a message; answer with where it came from, or the refusal as a page."""
    try:
        message = act()
    except ReuniteError as refused:
        if refused.status == 404:
            raise
        session.rollback()
        return render_error(request, refused.status, refused.detail)
    if back == "moderation":
        return RedirectResponse("/messages/moderation", status_code=303)
    if back == "deliveries":
        return RedirectResponse("/messages/deliveries", status_code=303)
    return _back(message.case_id, f"#message-{message.id}")


@router.post("/messages/{message_id}/submit", dependencies=[CsrfChecked])
def submit(
    request: Request, message_id: int, session: DbSession, principal: PagePrincipal
) -> Response:
    """Send one's own draft for moderation."""
    return _message_action(
        request, session,
        lambda: channel.submit_draft(session, principal=principal, message_id=message_id), "",
    )  # fmt: skip


@router.post("/messages/{message_id}/approve", dependencies=[CsrfChecked])
def approve(
    request: Request,
    message_id: int,
    session: DbSession,
    principal: PagePrincipal,
    back: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    """Let a message pass (the mediator's staff)."""
    return _message_action(
        request, session,
        lambda: channel.approve_message(session, principal=principal, message_id=message_id), back,
    )  # fmt: skip


@router.post("/messages/{message_id}/return", dependencies=[CsrfChecked])
def send_back(
    request: Request,
    message_id: int,
    session: DbSession,
    principal: PagePrincipal,
    reason: Short = "",
    back: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    """Return a message to its writer with the reason (the mediator's staff)."""
    return _message_action(
        request, session,
        lambda: channel.return_message(
            session, principal=principal, message_id=message_id, reason=reason
        ),
        back,
    )  # fmt: skip


@router.post("/messages/{message_id}/delivery", dependencies=[CsrfChecked])
def deliver(
    request: Request,
    message_id: int,
    session: DbSession,
    principal: PagePrincipal,
    read: Annotated[str, Form(max_length=5)] = "",
    back: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    """Record that an approved message reached its recipient (the delivering liaison)."""
    return _message_action(
        request, session,
        lambda: channel.deliver_message(
            session, principal=principal, message_id=message_id, read=read == "yes"
        ),
        back,
    )  # fmt: skip


@router.get("/messages/{message_id}/photo")
def photo(message_id: int, session: DbSession, principal: PagePrincipal) -> Response:
    """A message's photo, as re-encoded on arrival."""
    found = channel.message_photo(session, principal=principal, message_id=message_id)
    return Response(
        found.data,
        media_type=found.content_type,
        headers={"Cache-Control": "no-store", "Content-Disposition": "inline"},
    )


@router.get("/messages/moderation")
def moderation(request: Request, session: DbSession, principal: PagePrincipal) -> Response:
    """The mediator's queue: what waits, oldest first, with what must not pass highlighted."""
    queue = channel.moderation_queue(session, principal=principal)
    stale = channel.stale_messages(session, principal=principal)
    return render(request, "moderation.html", {"queue": queue, "stale": stale})


@router.get("/messages/deliveries")
def deliveries(request: Request, session: DbSession, principal: PagePrincipal) -> Response:
    """A liaison's list of approved messages their party delivers."""
    waiting = channel.deliveries_for(session, principal=principal)
    return render(request, "deliveries.html", {"waiting": waiting})


def _call_action(request: Request, session: Session, act: Any) -> Response:
    try:
        call = act()
    except ReuniteError as refused:
        if refused.status == 404:
            raise
        session.rollback()
        return render_error(request, refused.status, refused.detail)
    return _back(call.case_id, f"#call-{call.id}")


@router.post("/cases/{case_id}/calls", dependencies=[CsrfChecked])
def ask_for_call(
    request: Request, case_id: int, session: DbSession, principal: PagePrincipal, note: Short = ""
) -> Response:
    """Ask for a call (the family's side)."""
    return _call_action(
        request, session,
        lambda: channel.request_call(session, principal=principal, case_id=case_id, note=note),
    )  # fmt: skip


def _when(value: str) -> datetime | None:
    """The time a form gave, or None (the service says what is missing, once access is checked)."""
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


@router.post("/calls/{call_id}/propose", dependencies=[CsrfChecked])
def propose(
    request: Request,
    call_id: int,
    session: DbSession,
    principal: PagePrincipal,
    when: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    """Propose a time for a call (the mediator's staff; the time is in UTC)."""
    return _call_action(
        request, session,
        lambda: channel.propose_call(
            session, principal=principal, call_id=call_id, when=_when(when)
        ),
    )  # fmt: skip


@router.post("/calls/{call_id}/agree", dependencies=[CsrfChecked])
def agree(request: Request, call_id: int, session: DbSession, principal: PagePrincipal) -> Response:
    """Agree the proposed time (the side that holds the child)."""
    return _call_action(
        request, session,
        lambda: channel.agree_call(session, principal=principal, call_id=call_id),
    )  # fmt: skip


@router.post("/calls/{call_id}/record", dependencies=[CsrfChecked])
def record(
    request: Request,
    call_id: int,
    session: DbSession,
    principal: PagePrincipal,
    held: Annotated[str, Form(max_length=5)] = "",
    note: Short = "",
) -> Response:
    """Record whether the call was held."""
    return _call_action(
        request, session,
        lambda: channel.record_call(
            session, principal=principal, call_id=call_id, held=held == "yes", note=note
        ),
    )  # fmt: skip


@router.post("/calls/{call_id}/cancel", dependencies=[CsrfChecked])
def cancel(
    request: Request, call_id: int, session: DbSession, principal: PagePrincipal, reason: Short = ""
) -> Response:
    """Cancel a call not yet held."""
    return _call_action(
        request, session,
        lambda: channel.cancel_call(session, principal=principal, call_id=call_id, reason=reason),
    )  # fmt: skip
