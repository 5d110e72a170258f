"""What a caller sees of a case's channel: need to know for messages, the queues, the flags.

- The mediator's staff see every submitted message (a draft is its writer's alone).
- A writer sees what they wrote, in every state, with its times and a return's reason.
- The recipient who reads in Reunite (the family; the adult on their own track) sees what
  was delivered to them; opening it marks it read.
- The liaison of the party that delivers (the custodial party, to a child in its care; the
  requesting party, to a family without an account) sees the approved messages it delivers.
Anything else is "not found".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from reunite.audit.service import record_event
from reunite.auth.principal import Principal
from reunite.cases.access import get_visible_case
from reunite.cases.models import Case
from reunite.channel.enums import Direction, MessageState
from reunite.channel.models import ChannelMessage, MessagePhoto
from reunite.channel.screening import segments
from reunite.channel.service._messages import mark_read
from reunite.channel.service._sides import ChannelSides, channel_refusal, sides_of
from reunite.db.base import utcnow
from reunite.errors import NotFound
from reunite.settings import get_settings
from reunite.vocabulary import N_, Message

PASSED = (MessageState.APPROVED, MessageState.DELIVERED, MessageState.READ)
RECEIVED = (MessageState.DELIVERED, MessageState.READ)


def may_see(sides: ChannelSides, principal: Principal, message: ChannelMessage) -> bool:
    """Tell whether the caller may see a message of this channel."""
    if message.written_by == principal.user_id:
        return True
    if message.state == MessageState.DRAFT:
        return False
    capacities = sides.capacities(principal)
    if "staff" in capacities:
        return True
    direction = Direction(message.direction)
    if message.state in RECEIVED and receives(sides, principal, direction):
        return True
    if message.state in PASSED and not sides.delivered_in_app(direction):
        return sides.deliverer(direction) in capacities
    return False


def receives(sides: ChannelSides, principal: Principal, direction: Direction) -> bool:
    """Tell whether the caller is the recipient who reads in Reunite."""
    if direction == Direction.TO_CHILD:
        return sides.adult_user is not None and principal.user_id == sides.adult_user
    return principal.user_id in sides.family_users


@dataclass
class MessageView:
    """A message as the caller sees it, with what they may do with it."""

    message: ChannelMessage
    has_photo: bool
    mine: bool
    # Plain and highlighted stretches of the text, for the mediator's eyes only.
    highlighted: list[tuple[str, str | None]]
    may_deliver: bool


@dataclass
class Channel:
    """A case's channel as the caller sees it."""

    case: Case
    sides: ChannelSides
    messages: list[MessageView]
    closed_because: Message | None
    writes: Direction | None


def _views(
    session: Session, sides: ChannelSides, principal: Principal, messages: list[ChannelMessage]
) -> list[MessageView]:
    with_photo = set(
        session.scalars(
            select(MessagePhoto.message_id).where(
                MessagePhoto.message_id.in_([m.id for m in messages])
            )
        )
    )
    staff = principal.is_staff
    views = []
    for message in messages:
        direction = Direction(message.direction)
        views.append(
            MessageView(
                message=message,
                has_photo=message.id in with_photo,
                mine=message.written_by == principal.user_id,
                highlighted=segments(message.text, message.findings) if staff else [],
                may_deliver=(
                    message.state == MessageState.APPROVED
                    and not sides.delivered_in_app(direction)
                    and principal.role == "liaison"
                    and sides.deliverer(direction) in sides.capacities(principal)
                ),
            )
        )
    return views


def messages_of_case(session: Session, *, principal: Principal, case_id: int) -> Channel:
    """Return a case's channel as the caller may see it; the recipient's opening marks read."""
    case = get_visible_case(session, principal=principal, case_id=case_id)
    sides = sides_of(session, case=case)
    if not sides.capacities(principal):
        raise NotFound("no such case")
    messages = [
        message
        for message in session.scalars(
            select(ChannelMessage)
            .where(ChannelMessage.case_id == case.id)
            .order_by(ChannelMessage.id)
        )
        if may_see(sides, principal, message)
    ]
    for message in messages:
        if message.state == MessageState.DELIVERED and receives(
            sides, principal, Direction(message.direction)
        ):
            mark_read(session, message=message, principal=principal)
    record_event(
        session,
        actor=principal,
        action="message.list",
        subject_type="case",
        subject_id=str(case.id),
        details={"messages": len(messages)},
    )
    refusal = channel_refusal(session, case=case)
    return Channel(
        case=case,
        sides=sides,
        messages=_views(session, sides, principal, messages),
        closed_because=refusal,
        writes=None if refusal else sides.writes(principal),
    )


def get_message(session: Session, *, principal: Principal, message_id: int) -> MessageView:
    """Return one message the caller may see (opening it as its recipient marks it read)."""
    message = session.get(ChannelMessage, message_id)
    if message is None:
        raise NotFound("no such message")
    case = get_visible_case(session, principal=principal, case_id=message.case_id)
    sides = sides_of(session, case=case)
    if not may_see(sides, principal, message):
        raise NotFound("no such message")
    if message.state == MessageState.DELIVERED and receives(
        sides, principal, Direction(message.direction)
    ):
        mark_read(session, message=message, principal=principal)
    return _views(session, sides, principal, [message])[0]


def message_photo(session: Session, *, principal: Principal, message_id: int) -> MessagePhoto:
    """Return a message's re-encoded photo for whoever may see the message; audited."""
    view = get_message(session, principal=principal, message_id=message_id)
    photo = session.get(MessagePhoto, message_id) if view.has_photo else None
    if photo is None:
        raise NotFound("no such photo")
    record_event(
        session,
        actor=principal,
        action="message.photo",
        subject_type="message",
        subject_id=str(message_id),
        details={"case": view.message.case_id},
    )
    return photo


def moderation_queue(session: Session, *, principal: Principal) -> list[MessageView]:
    """Return the messages waiting for the mediator, oldest first, highlighted."""
    if not principal.is_staff:
        raise NotFound("no such page")
    waiting = list(
        session.scalars(
            select(ChannelMessage)
            .where(ChannelMessage.state == MessageState.SUBMITTED)
            .order_by(ChannelMessage.submitted_at, ChannelMessage.id)
        )
    )
    return [
        view
        for message in waiting
        for view in _views(
            session, sides_of(session, case=_case(session, message)), principal, [message]
        )
    ]


def _case(session: Session, message: ChannelMessage) -> Case:
    case = session.get(Case, message.case_id)
    assert case is not None  # a foreign key
    return case


def deliveries_for(session: Session, *, principal: Principal) -> list[MessageView]:
    """Return the approved messages the caller's party delivers, oldest first."""
    if principal.role != "liaison" or principal.party_id is None:
        raise NotFound("no such page")
    approved = session.scalars(
        select(ChannelMessage)
        .where(ChannelMessage.state == MessageState.APPROVED)
        .order_by(ChannelMessage.moderated_at, ChannelMessage.id)
    )
    found = []
    for message in approved:
        sides = sides_of(session, case=_case(session, message))
        view = _views(session, sides, principal, [message])[0]
        if view.may_deliver:
            found.append(view)
    return found


@dataclass(frozen=True)
class StaleMessage:
    """A message that has waited too long, and for what."""

    message: ChannelMessage
    waiting_for: str
    since: datetime


STALE_REASONS = {
    MessageState.SUBMITTED: N_("waiting for moderation"),
    MessageState.APPROVED: N_("waiting for delivery"),
    MessageState.DELIVERED: N_("not read yet"),
}


def stale_messages(
    session: Session, *, principal: Principal, now: datetime | None = None
) -> list[StaleMessage]:
    """Return messages unmoderated, undelivered or unread past the configured age."""
    if not principal.is_staff:
        raise NotFound("no such page")
    now = now or utcnow()
    limit = now - timedelta(days=get_settings().message_stale_days)
    rows = session.scalars(
        select(ChannelMessage)
        .where(
            or_(
                (ChannelMessage.state == MessageState.SUBMITTED)
                & (ChannelMessage.submitted_at < limit),
                (ChannelMessage.state == MessageState.APPROVED)
                & (ChannelMessage.moderated_at < limit),
                (ChannelMessage.state == MessageState.DELIVERED)
                & (ChannelMessage.delivered_at < limit),
            )
        )
        .order_by(ChannelMessage.id)
    )
    found = []
    for message in rows:
        since = {
            MessageState.SUBMITTED: message.submitted_at,
            MessageState.APPROVED: message.moderated_at,
            MessageState.DELIVERED: message.delivered_at,
        }[MessageState(message.state)]
        assert since is not None
        found.append(StaleMessage(message, STALE_REASONS[MessageState(message.state)], since))
    return found
