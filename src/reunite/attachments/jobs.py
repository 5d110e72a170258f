"""The daily job of attachments: forget stored files that no attachment refers to.

A file is written to the store before its row is committed (the row must name a file that
exists); when the transaction then rolls back (a list refused after its files were kept, a
crash), the file stays behind, unreferenced and never served. Once a day they are removed.
"""

from __future__ import annotations

from reunite.attachments.service import forget_unused_files
from reunite.jobs.service import JobContext
from reunite.vocabulary import N_, Message, say

SWEEP_JOB = "attachments.sweep"


def run_sweep(context: JobContext) -> Message:
    """Remove the stored files no attachment refers to (older than an hour)."""
    removed = forget_unused_files(context.session)
    return say(N_("removed {count} stored files that no attachment refers to"), count=removed)
