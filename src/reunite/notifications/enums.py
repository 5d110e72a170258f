"""What a notification says. Never a name or a detail: only that something waits, and where."""

from __future__ import annotations

from reunite.vocabulary import N_, Vocabulary


class NotificationKind(Vocabulary):
    """What waits for the person; the label is all a notification says."""

    MESSAGE_TO_MODERATE = "message_to_moderate", N_("a message waits for moderation")
    MESSAGE_TO_DELIVER = "message_to_deliver", N_("an approved message waits to be delivered")
    MESSAGE_RECEIVED = "message_received", N_("a new message for you")
    MESSAGE_DELIVERED = "message_delivered", N_("your message was delivered")
    MESSAGE_RETURNED = "message_returned", N_("your message was returned to you")
    CASE_STEP = "case_step", N_("a case you follow moved a step")
    RECORD_RELEASED = "record_released", N_("a record was released to you")
    INQUIRY = "inquiry", N_("an information request was sent to your party")
    CALL = "call", N_("news about a call")


class MailState(Vocabulary):
    """Whether a notification is also sent by e-mail."""

    NONE = "none", N_("not by e-mail")
    PENDING = "pending", N_("e-mail to send")
    SENT = "sent", N_("e-mail sent")


NOTIFICATION_LABELS = NotificationKind.labels()
