"""API shapes of the channel: a message as its reader may see it."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from reunite.channel.service import MessageView


class FindingRead(BaseModel):
    kind: str
    text: str
    start: int
    end: int


class MessageRead(BaseModel):
    """A family news message with the time of each of its states."""

    id: int
    case_id: int
    direction: str
    state: str
    sender_name: str
    recipient_name: str
    text: str
    has_photo: bool
    mine: bool
    reply_to: int | None
    created_at: datetime
    submitted_at: datetime | None
    moderated_at: datetime | None
    return_reason: str
    delivered_at: datetime | None
    read_at: datetime | None
    # What the moderation screen highlighted: shown to the mediator's staff only.
    findings: list[FindingRead]

    @classmethod
    def of(cls, view: MessageView, *, staff: bool) -> MessageRead:
        message = view.message
        return cls(
            id=message.id,
            case_id=message.case_id,
            direction=message.direction,
            state=message.state,
            sender_name=message.sender_name,
            recipient_name=message.recipient_name,
            text=message.text,
            has_photo=view.has_photo,
            mine=view.mine,
            reply_to=message.reply_to,
            created_at=message.created_at,
            submitted_at=message.submitted_at,
            moderated_at=message.moderated_at,
            return_reason=message.return_reason if (view.mine or staff) else "",
            delivered_at=message.delivered_at,
            read_at=message.read_at,
            findings=[FindingRead.model_validate(f) for f in message.findings] if staff else [],
        )


class ReturnBody(BaseModel):
    reason: str


class DeliverBody(BaseModel):
    read: bool = False
