"""The daily job of the audit log: a checkpoint of its head, signed by the mediator.

Checkpoints made at intervals bound what an insider could remove unseen to the entries since
the last one; receipts and `reunite audit checkpoint` make more between.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from reunite.audit.checkpoints import make_checkpoint
from reunite.jobs.service import JobContext
from reunite.keys.service import mediator_key_path
from reunite.vocabulary import N_, Message, say

CHECKPOINT_JOB = "audit.checkpoint"


def run_checkpoint(context: JobContext) -> Message:
    """The daily "audit.checkpoint" job."""
    return daily_checkpoint(context.session)


def daily_checkpoint(session: Session) -> Message:
    """Sign the log's head; a server without its signing key yet says so and signs nothing."""
    if not mediator_key_path().exists():
        return say(N_("no checkpoint of the audit log: the mediator has no signing key yet"))
    made = make_checkpoint(session, reason="daily")
    return say(
        N_("signed a checkpoint of the audit log: {entries} entries up to entry {head}"),
        entries=f"{made.entries:,}",
        head=made.head_id,
    )
