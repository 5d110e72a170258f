"""The channel as services: who may write, read and deliver; moderation; calls.

Modules by concern: `_sides` (who stands where in a case's channel, and whether it is open),
`_messages` (writing, moderating, delivering, reading), `_reading` (what a caller sees),
`_calls` (asking for a call, agreeing a time, recording whether it was held).
"""

from reunite.channel.service._calls import (
    agree_call,
    calls_of_case,
    cancel_call,
    propose_call,
    record_call,
    request_call,
)
from reunite.channel.service._messages import (
    approve_message,
    deliver_message,
    mark_read,
    return_message,
    submit_draft,
    write_message,
)
from reunite.channel.service._reading import (
    MessageView,
    deliveries_for,
    get_message,
    message_photo,
    messages_of_case,
    moderation_queue,
    stale_messages,
)
from reunite.channel.service._sides import ChannelSides, channel_refusal, sides_of

__all__ = [
    "ChannelSides",
    "MessageView",
    "agree_call",
    "approve_message",
    "calls_of_case",
    "cancel_call",
    "channel_refusal",
    "deliver_message",
    "deliveries_for",
    "get_message",
    "mark_read",
    "message_photo",
    "messages_of_case",
    "moderation_queue",
    "propose_call",
    "record_call",
    "request_call",
    "return_message",
    "sides_of",
    "stale_messages",
    "submit_draft",
    "write_message",
]
