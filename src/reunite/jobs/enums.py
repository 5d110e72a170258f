"""The vocabulary of background jobs."""

from __future__ import annotations

from reunite.vocabulary import N_, Vocabulary


class JobState(Vocabulary):
    """Where a job stands: queued → running → done | failed (or queued again after a crash)."""

    QUEUED = "queued", N_("waiting to start")
    RUNNING = "running", N_("running")
    DONE = "done", N_("done")
    FAILED = "failed", N_("failed")

    @property
    def finished(self) -> bool:
        """Tell whether the job will not change any more."""
        return self in (JobState.DONE, JobState.FAILED)
