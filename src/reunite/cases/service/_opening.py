"""Opening cases: one per sought child, with its tracing request; duplicates join it.

A list of requests opens its cases in the same transaction that stores it, in a few set-wise
statements (a list may hold 200,000 requests). Requests people link as one child later bring
their cases together (`join_duplicates`): the oldest case stays, the others end as duplicate.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import and_, exists, false, func, insert, literal, literal_column, select
from sqlalchemy.orm import Session

from reunite.auth.principal import Principal
from reunite.cases.enums import CaseStatus, EventKind, Track
from reunite.cases.models import Case, CaseEvent, CaseRequest
from reunite.cases.service._common import add_event, move
from reunite.cases.service._track import update_tracks
from reunite.db.base import UtcDateTime, utcnow
from reunite.records.models import Record
from reunite.vocabulary import N_, say


def open_cases(session: Session, *, batch_id: int | None = None) -> int:
    """Open a case for each tracing request without one (of a batch, or all); return how many.

    The new cases are put on the adult track at once when the person is 18 already.
    """
    now = utcnow()
    without_case = and_(
        Record.kind == "requests",
        ~exists(select(CaseRequest.request_id).where(CaseRequest.request_id == Record.id)),
        ~exists(select(Case.id).where(Case.request_id == Record.id)),
    )
    if batch_id is not None:
        without_case = and_(without_case, Record.created_batch_id == batch_id)
    session.execute(
        insert(Case).from_select(
            [
                "request_id",
                "status",
                "status_since",
                "track",
                "turning_adult",
                "opened_at",
                "updated_at",
            ],
            select(
                Record.id,
                literal(CaseStatus.OPEN.value),
                literal(now, UtcDateTime),
                literal(Track.MINOR.value),
                false(),
                literal(now, UtcDateTime),
                literal(now, UtcDateTime),
            ).where(without_case),
        )
    )
    # The cases this call opened: opened now, and no request linked to them yet.
    fresh = (
        select(Case.id, Case.request_id)
        .where(
            Case.opened_at == literal(now, UtcDateTime),
            ~exists(select(CaseRequest.case_id).where(CaseRequest.case_id == Case.id)),
        )
        .subquery("fresh")
    )
    # Counted, not read from the insert: drivers do not all report the rows of an INSERT SELECT.
    opened = session.scalar(select(func.count()).select_from(fresh)) or 0
    if not opened:
        return 0
    session.execute(
        insert(CaseEvent).from_select(
            ["case_id", "at", "actor", "kind", "to_status", "reason", "details"],
            select(
                fresh.c.id,
                literal(now, UtcDateTime),
                literal("reunite"),
                literal(EventKind.OPENED.value),
                literal(CaseStatus.OPEN.value),
                literal(""),
                literal_column("'{}'"),
            ),
        )
    )
    session.execute(
        insert(CaseRequest).from_select(
            ["case_id", "request_id", "joined_at"],
            select(fresh.c.id, fresh.c.request_id, literal(now, UtcDateTime)),
        )
    )
    session.flush()
    update_tracks(session, opened_at=now)
    return opened


def join_duplicates(
    session: Session, *, principal: Principal | None, request_ids: Sequence[uuid.UUID]
) -> Case | None:
    """Bring the cases of requests people linked as one child into one case (the oldest).

    The other cases end as `duplicate`, their requests moving to the case that stays; a
    case further along than open or tracing is not ended this way (a caseworker decides).
    """
    case_ids = sorted(
        set(
            session.scalars(
                select(CaseRequest.case_id).where(CaseRequest.request_id.in_(request_ids))
            )
        )
    )
    if len(case_ids) < 2:
        return session.get(Case, case_ids[0]) if case_ids else None
    kept = session.get(Case, case_ids[0], with_for_update=True)
    assert kept is not None
    for other_id in case_ids[1:]:
        other = session.get(Case, other_id, with_for_update=True)
        if other is None or other.status not in (CaseStatus.OPEN, CaseStatus.TRACING):
            continue
        moved = list(session.scalars(select(CaseRequest).where(CaseRequest.case_id == other.id)))
        for link in moved:
            link.case_id = kept.id
        session.flush()
        add_event(
            session,
            case=kept,
            kind=EventKind.REQUEST,
            actor=principal,
            details={
                "joined_from": other.number,
                "requests": [str(link.request_id) for link in moved],
            },
        )
        move(
            session,
            case=other,
            to=CaseStatus.DUPLICATE,
            actor=principal,
            reason=str(say(N_("the same child as in case {case}"), case=kept.number)),
            details={"kept": kept.id},
        )
    return kept
