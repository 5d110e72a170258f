"""What changed between two batches of one party: records added, corrected, withdrawn.

Every change a list makes is kept as a record version (`{field: [old, new]}`, the batch and
row), so the difference between two batches is read from the versions the batches after
the first, up to and including the second, made: a field changed twice shows its value
before the first change and after the last, and a field changed back shows nothing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from reunite.audit.service import record_event
from reunite.auth.principal import Principal
from reunite.errors import InvalidInput
from reunite.exchange.models import Batch
from reunite.exchange.receipts import visible_batch
from reunite.records.models import Record, RecordVersion
from reunite.vocabulary import N_, say

# A diff shows at most this many records of each kind; counts are always whole.
MAX_LISTED = 5000


@dataclass(frozen=True)
class FieldChange:
    """One field of a record: its value in the first batch's state, and in the second's."""

    field: str
    old: Any
    new: Any


@dataclass
class RecordChange:
    """A record the later batches touched, with its fields that differ."""

    record_id: uuid.UUID
    external_id: str
    changes: list[FieldChange] = field(default_factory=list)


@dataclass
class BatchDiff:
    """The records added, corrected and withdrawn between two batches of one party."""

    party_id: int
    kind: str
    from_batch: int
    to_batch: int
    added: list[RecordChange] = field(default_factory=list)
    corrected: list[RecordChange] = field(default_factory=list)
    withdrawn: list[RecordChange] = field(default_factory=list)


def diff_batches(
    session: Session,
    *,
    principal: Principal | None,
    batch_a: int,
    batch_b: int,
    address: str = "",
) -> BatchDiff:
    """Return what the batches after `batch_a`, up to `batch_b`, changed (oldest first).

    Both batches must be one party's lists of one kind; `principal` None is the command
    line. The order of the two does not matter: the older is the starting point.
    """
    first = visible_batch(session, principal=principal, batch_id=batch_a)
    second = visible_batch(session, principal=principal, batch_id=batch_b)
    if first.id == second.id:
        raise InvalidInput(N_("compare two different lists"))
    if first.party_id != second.party_id or first.kind != second.kind:
        raise InvalidInput(
            say(N_("lists {a} and {b} are not one party's lists of one kind"),
                a=first.id, b=second.id)
        )  # fmt: skip
    if first.id > second.id:
        first, second = second, first
    result = BatchDiff(first.party_id, first.kind, first.id, second.id)
    statement = (
        select(RecordVersion, Record.external_id)
        .join(Batch, Batch.id == RecordVersion.batch_id)
        .join(Record, Record.id == RecordVersion.record_id)
        .where(
            Batch.party_id == first.party_id,
            Batch.kind == first.kind,
            Batch.id > first.id,
            Batch.id <= second.id,
        )
        .order_by(Record.external_id, RecordVersion.record_id, RecordVersion.version)
    )
    current: RecordChange | None = None
    actions: list[str] = []
    composed: dict[str, list[Any]] = {}

    def settle() -> None:
        if current is None:
            return
        current.changes = [
            FieldChange(name, pair[0], pair[1])
            for name, pair in sorted(composed.items())
            if pair[0] != pair[1]
        ]
        if "added" in actions:
            bucket = result.added
        elif actions[-1] == "withdrawn":
            bucket = result.withdrawn
        elif current.changes:
            bucket = result.corrected
        else:
            return
        if len(bucket) < MAX_LISTED:
            bucket.append(current)

    for version, external_id in session.execute(statement):
        if current is None or current.record_id != version.record_id:
            settle()
            current = RecordChange(version.record_id, external_id)
            actions, composed = [], {}
        actions.append(version.action)
        for name, (old, new) in (version.changes or {}).items():
            if name in composed:
                composed[name][1] = new
            else:
                composed[name] = [old, new]
    settle()
    if principal is None:
        return result  # the command line audits in its own name
    record_event(
        session,
        actor=principal,
        action="batches.diff",
        subject_type="batch",
        subject_id=f"{first.id}..{second.id}",
        details={
            "added": len(result.added),
            "corrected": len(result.corrected),
            "withdrawn": len(result.withdrawn),
        },
        address=address,
    )
    return result


def previous_batch(session: Session, batch: Batch) -> int | None:
    """Return the batch of the same party and kind received just before this one."""
    return session.scalar(
        select(Batch.id)
        .where(Batch.party_id == batch.party_id, Batch.kind == batch.kind, Batch.id < batch.id)
        .order_by(Batch.id.desc())
        .limit(1)
    )
