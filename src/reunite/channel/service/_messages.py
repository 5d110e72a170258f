"""Family news messages: written on the standard form, moderated, delivered, read.

Every rule is checked before anything is stored: the channel is open, the writer stands on
one end of it, the text is within the word limit, the side has not used up its week's
messages, the photo decodes as a picture (and is stored re-encoded, without metadata).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from reunite.audit.service import record_event
from reunite.auth.principal import Principal
from reunite.cases.access import get_visible_case
from reunite.cases.models import Case
from reunite.channel.enums import Direction, MessageState
from reunite.channel.models import ChannelMessage, MessagePhoto
from reunite.channel.screening import count_words, screen
from reunite.channel.service._sides import ChannelSides, channel_refusal, sides_of
from reunite.db.base import utcnow
from reunite.errors import Conflict, InvalidInput, NotFound
from reunite.notifications.service import notify
from reunite.pictures import MAX_PICTURE_BYTES, clean_picture
from reunite.settings import get_settings
from reunite.vocabulary import N_, say

MAX_NAME = 120
# A message within the word limit is short; this bounds a text of many one-letter "words".
MAX_CHARACTERS = 2000
MAX_REASON = 1000


class ChannelClosed(Conflict):
    """The case's channel is not open (not verified yet, closed, or the adult said no)."""

    code = "channel_closed"


class TooManyWords(InvalidInput):
    code = "too_many_words"


class TooManyMessages(InvalidInput):
    code = "too_many_messages"


@dataclass(frozen=True)
class NewMessage:
    """What the standard form holds."""

    text: str
    sender_name: str
    recipient_name: str
    photo: bytes | None = None
    reply_to: int | None = None


def _audit(session: Session, principal: Principal, action: str, message: ChannelMessage) -> None:
    record_event(
        session,
        actor=principal,
        action=action,
        subject_type="message",
        subject_id=str(message.id),
        details={"case": message.case_id, "state": message.state},
    )


def _name(value: str, what: str) -> str:
    value = " ".join(value.split())
    if not value:
        raise InvalidInput(say(N_("{what} is needed"), what=say(what)))
    if len(value) > MAX_NAME:
        raise InvalidInput(
            say(N_("{what} is longer than {limit} characters"), what=say(what), limit=MAX_NAME)
        )
    return value


def _checked_text(text: str) -> str:
    text = text.strip()
    if not text:
        raise InvalidInput(say(N_("the message is empty")))
    limit = get_settings().message_word_limit
    words = count_words(text)
    if words > limit:
        raise TooManyWords(
            say(
                N_("the message has {words} words; a family news message holds at most {limit}"),
                words=words,
                limit=limit,
            )
        )
    if len(text) > MAX_CHARACTERS:
        raise InvalidInput(
            say(N_("the message is longer than {limit} characters"), limit=MAX_CHARACTERS)
        )
    return text


def _check_rate(session: Session, case: Case, direction: Direction) -> None:
    """Refuse a side that has sent its week's messages on this case (drafts do not count)."""
    allowed = get_settings().messages_per_week
    since = utcnow() - timedelta(days=7)
    sent = session.scalar(
        select(func.count())
        .select_from(ChannelMessage)
        .where(
            ChannelMessage.case_id == case.id,
            ChannelMessage.direction == direction,
            ChannelMessage.submitted_at >= since,
        )
    )
    if (sent or 0) >= allowed:
        raise TooManyMessages(
            say(
                N_(
                    "{count} messages were sent this way on this case in the last 7 days, "
                    "the most a week allows; try again later"
                ),
                count=sent or 0,
            )
        )


def _open_sides(session: Session, case: Case) -> ChannelSides:
    refusal = channel_refusal(session, case=case)
    if refusal is not None:
        raise ChannelClosed(refusal)
    return sides_of(session, case=case)


def _reply_to(session: Session, case: Case, message_id: int | None) -> int | None:
    if message_id is None:
        return None
    original = session.get(ChannelMessage, message_id)
    if original is None or original.case_id != case.id:
        raise InvalidInput(say(N_("the message replied to is not one of this case")))
    return original.id


def write_message(
    session: Session,
    *,
    principal: Principal,
    case_id: int,
    form: NewMessage,
    submit: bool = True,
) -> ChannelMessage:
    """Write a message on a case's channel: submitted for moderation, or kept as a draft."""
    case = get_visible_case(session, principal=principal, case_id=case_id, for_update=True)
    sides = _open_sides(session, case)
    direction = sides.writes(principal)
    if direction is None:
        raise Conflict(
            say(N_("you read this case's messages, you do not write them")), code="not_a_writer"
        )
    text = _checked_text(form.text)
    sender = _name(form.sender_name, N_("the sender"))
    recipient = _name(form.recipient_name, N_("the recipient"))
    picture = None
    if form.photo:
        picture = clean_picture(form.photo, max_bytes=MAX_PICTURE_BYTES)
    if submit:
        _check_rate(session, case, direction)
    message = ChannelMessage(
        case_id=case.id,
        direction=direction,
        state=MessageState.DRAFT,
        sender_name=sender,
        recipient_name=recipient,
        text=text,
        written_by=principal.user_id,
        reply_to=_reply_to(session, case, form.reply_to),
        findings=[],
    )
    session.add(message)
    session.flush()
    if picture is not None:
        session.add(
            MessagePhoto(
                message_id=message.id,
                content_type=picture.content_type,
                data=picture.data,
                width=picture.width,
                height=picture.height,
            )
        )
    _audit(session, principal, "message.written", message)
    if submit:
        _submit(session, principal, message)
    session.flush()
    return message


def _submit(session: Session, principal: Principal, message: ChannelMessage) -> None:
    message.state = MessageState.SUBMITTED
    message.submitted_at = utcnow()
    message.findings = [finding.as_dict() for finding in screen(message.text)]
    _audit(session, principal, "message.submitted", message)
    notify(session, staff=True, kind="message_to_moderate", link="/messages/moderation")


def _own_message(
    session: Session, principal: Principal, message_id: int, *, state: MessageState
) -> ChannelMessage:
    message = session.get(ChannelMessage, message_id, with_for_update=True)
    if message is None or message.written_by != principal.user_id:
        raise NotFound("no such message")
    if message.state != state:
        raise Conflict(
            say(N_("the message is {state}"), state=MessageState(message.state)),
            code="wrong_state",
        )
    return message


def submit_draft(session: Session, *, principal: Principal, message_id: int) -> ChannelMessage:
    """Send one's own draft for moderation, with every rule checked again now."""
    message = _own_message(session, principal, message_id, state=MessageState.DRAFT)
    case = get_visible_case(session, principal=principal, case_id=message.case_id)
    _open_sides(session, case)
    _checked_text(message.text)
    _check_rate(session, case, Direction(message.direction))
    _submit(session, principal, message)
    session.flush()
    return message


def _to_moderate(session: Session, principal: Principal, message_id: int) -> ChannelMessage:
    if not principal.is_staff:
        raise NotFound("no such message")
    message = session.get(ChannelMessage, message_id, with_for_update=True)
    if message is None:
        raise NotFound("no such message")
    if message.state != MessageState.SUBMITTED:
        raise Conflict(
            say(
                N_("the message is {state}: only a submitted message is moderated"),
                state=MessageState(message.state),
            ),
            code="wrong_state",
        )
    return message


def _notify_writer(session: Session, message: ChannelMessage, kind: str) -> None:
    if message.written_by is not None:
        notify(
            session,
            users=[message.written_by],
            kind=kind,
            link=f"/cases/{message.case_id}/messages",
        )


def approve_message(session: Session, *, principal: Principal, message_id: int) -> ChannelMessage:
    """Let a message pass; a recipient who reads in Reunite has it at once."""
    message = _to_moderate(session, principal, message_id)
    case = session.get(Case, message.case_id)
    assert case is not None
    sides = _open_sides(session, case)
    now = utcnow()
    message.state = MessageState.APPROVED
    message.moderated_by = principal.user_id
    message.moderated_at = now
    direction = Direction(message.direction)
    link = f"/cases/{case.id}/messages"
    if sides.delivered_in_app(direction):
        message.state = MessageState.DELIVERED
        message.delivered_at = now
        readers = (
            [sides.adult_user] if direction == Direction.TO_CHILD else sorted(sides.family_users)
        )
        notify(
            session, users=[u for u in readers if u is not None], kind="message_received", link=link
        )
        _notify_writer(session, message, "message_delivered")
    else:
        party = sides.custodial_party if direction == Direction.TO_CHILD else sides.requesting_party
        if party is not None:
            notify(
                session, liaisons_of=party, kind="message_to_deliver", link="/messages/deliveries"
            )
    _audit(session, principal, "message.approved", message)
    session.flush()
    return message


def return_message(
    session: Session, *, principal: Principal, message_id: int, reason: str
) -> ChannelMessage:
    """Send a message back to its writer with the reason (it goes no further)."""
    if not principal.is_staff:  # who may, before what they typed: nothing leaks
        raise NotFound("no such message")
    reason = " ".join(reason.split())
    if not reason:
        raise InvalidInput(say(N_("say why: a reason is needed")))
    if len(reason) > MAX_REASON:
        raise InvalidInput(
            say(N_("the reason is longer than {limit} characters"), limit=MAX_REASON)
        )
    message = _to_moderate(session, principal, message_id)
    message.state = MessageState.RETURNED
    message.moderated_by = principal.user_id
    message.moderated_at = utcnow()
    message.return_reason = reason
    _notify_writer(session, message, "message_returned")
    _audit(session, principal, "message.returned", message)
    session.flush()
    return message


def deliver_message(
    session: Session, *, principal: Principal, message_id: int, read: bool = False
) -> ChannelMessage:
    """Record, as the delivering party's liaison, that a message reached its recipient."""
    message = session.get(ChannelMessage, message_id, with_for_update=True)
    if message is None or principal.role != "liaison":
        raise NotFound("no such message")
    case = session.get(Case, message.case_id)
    assert case is not None
    sides = sides_of(session, case=case)
    direction = Direction(message.direction)
    if sides.delivered_in_app(direction) or sides.deliverer(direction) not in sides.capacities(
        principal
    ):
        raise NotFound("no such message")
    if message.state != MessageState.APPROVED:
        raise Conflict(
            say(
                N_("the message is {state}: only an approved message is delivered"),
                state=MessageState(message.state),
            ),
            code="wrong_state",
        )
    now = utcnow()
    message.state = MessageState.READ if read else MessageState.DELIVERED
    message.delivered_by = principal.user_id
    message.delivered_at = now
    if read:
        message.read_at = now
    _notify_writer(session, message, "message_delivered")
    _audit(session, principal, "message.delivered", message)
    session.flush()
    return message


def mark_read(session: Session, *, message: ChannelMessage, principal: Principal) -> None:
    """Note that the recipient opened a delivered message (the sender sees "read")."""
    if message.state != MessageState.DELIVERED or message.written_by == principal.user_id:
        return
    message.state = MessageState.READ
    message.read_at = utcnow()
    _audit(session, principal, "message.read", message)
    session.flush()
