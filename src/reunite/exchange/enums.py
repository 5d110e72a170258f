"""The vocabulary of received lists."""

from __future__ import annotations

from reunite.vocabulary import N_, Vocabulary


class BatchState(Vocabulary):
    """Where a list stands: queued → staging → stored | refused (large lists, in the background).

    A list stored within its request is stored at once. While a list is queued or staging,
    none of its rows is seen by anyone: its new records are hidden and its changes wait.
    """

    QUEUED = "queued", N_("waiting to be stored")
    STAGING = "staging", N_("being stored")
    STORED = "stored", N_("stored")
    REFUSED = "refused", N_("refused")

    @property
    def finished(self) -> bool:
        """Tell whether the list will not change any more."""
        return self in (BatchState.STORED, BatchState.REFUSED)


# A list still being stored: its new records are hidden, and it blocks another of its kind.
IN_PROGRESS = (BatchState.QUEUED.value, BatchState.STAGING.value)
