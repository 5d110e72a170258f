"""The vocabularies of the channel: where a message stands, which way it goes, calls."""

from __future__ import annotations

from reunite.vocabulary import N_, Vocabulary


class MessageState(Vocabulary):
    """Where a family news message stands; each state has its time on the message."""

    DRAFT = "draft", N_("draft")
    SUBMITTED = "submitted", N_("waiting for the mediator")
    APPROVED = "approved", N_("approved, to be delivered")
    RETURNED = "returned", N_("returned to the sender")
    DELIVERED = "delivered", N_("delivered")
    READ = "read", N_("read")


class Direction(Vocabulary):
    """Which way a message goes: to the sought child (or adult), or to their family."""

    TO_CHILD = "to_child", N_("to the child")
    TO_FAMILY = "to_family", N_("to the family")


class FindingKind(Vocabulary):
    """What the moderation queue highlights: details that could endanger someone."""

    ADDRESS = "address", N_("street address")
    PHONE = "phone", N_("phone number")
    EMAIL = "email", N_("e-mail address")
    LINK = "link", N_("link")
    PLACE = "place", N_("place below city level")


class CallState(Vocabulary):
    """Where a call between a child and their family stands. No call content is stored."""

    REQUESTED = "requested", N_("asked for")
    PROPOSED = "proposed", N_("time proposed")
    AGREED = "agreed", N_("time agreed")
    HELD = "held", N_("held")
    NOT_HELD = "not_held", N_("not held")
    CANCELLED = "cancelled", N_("cancelled")


MESSAGE_STATE_LABELS = MessageState.labels()
DIRECTION_LABELS = Direction.labels()
FINDING_LABELS = FindingKind.labels()
CALL_STATE_LABELS = CallState.labels()
