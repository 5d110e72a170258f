"""The vocabularies of information requests: where one stands, and how a child was answered."""

from __future__ import annotations

from reunite.vocabulary import N_, Vocabulary


class InquiryState(Vocabulary):
    """Where an information request stands.

    Stored: open, answered, withdrawn. Overdue is read off the due date of an open one, so
    that it holds the moment the day passes, without a job having to run first.
    """

    OPEN = "open", N_("open")
    OVERDUE = "overdue", N_("overdue")
    ANSWERED = "answered", N_("answered")
    WITHDRAWN = "withdrawn", N_("withdrawn")


# The states a row holds (overdue is derived).
STORED_STATES = (InquiryState.OPEN, InquiryState.ANSWERED, InquiryState.WITHDRAWN)


class AnswerKind(Vocabulary):
    """How a party answered for one child."""

    RECORDS = "records", N_("records of the party")
    BATCH = "batch", N_("a list the party sent")
    NOT_ON_RECORD = "not_on_record", N_("not on record")
