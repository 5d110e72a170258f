"""The daily look at ages: who moves to the adult track, who turns 18 within 90 days."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, select, true, update
from sqlalchemy.orm import Session, aliased

from reunite.cases.age import is_adult, turning_adult_soon
from reunite.cases.enums import EventKind, Track
from reunite.cases.models import Case, CaseEvent
from reunite.cases.rules import FINISHED
from reunite.db.base import utcnow
from reunite.db.bulk import bulk_insert
from reunite.records.models import Record

READ_CHUNK = 5000


@dataclass
class TrackReport:
    """What the daily look changed."""

    looked_at: int = 0
    moved_to_adult: int = 0
    flagged: int = 0
    unflagged: int = 0


def birth_of(request: str, disclosed: str | None) -> str:
    """Return the best known date of birth: the most precise of the two records'."""
    dates = [value for value in (request, disclosed or "") if value]
    return max(dates, key=len) if dates else ""


def update_tracks(
    session: Session, *, today: date | None = None, opened_at: datetime | None = None
) -> TrackReport:
    """Move those who turned 18 to the adult track; flag those who may turn 18 soon.

    Runs daily (`reunite jobs run-daily`, and the server's worker), and on the cases a list
    just opened (`opened_at`). Finished cases are left alone. A move to the adult track is a
    line on the case's timeline; this job never takes it back. Reads rows, not objects, and
    writes only what changes: it looks at every open case every day.
    """
    today = today or date.today()
    report = TrackReport()
    requested = aliased(Record, name="requested")
    disclosed = aliased(Record, name="disclosed")
    scope: ColumnElement[bool] = Case.opened_at == opened_at if opened_at is not None else true()
    rows = session.execute(
        select(Case.id, Case.track, Case.turning_adult, requested.birth_date, disclosed.birth_date)
        .join(requested, requested.id == Case.request_id)
        .outerjoin(disclosed, disclosed.id == Case.disclosed_id)
        .where(Case.status.not_in([status.value for status in FINISHED]), scope)
        .order_by(Case.id)
        .execution_options(yield_per=READ_CHUNK)
    )
    to_adult: list[tuple[int, str]] = []
    flag: list[int] = []
    unflag: list[int] = []
    for case_id, track, turning, request_birth, disclosed_birth in rows:
        report.looked_at += 1
        born = birth_of(request_birth, disclosed_birth)
        if track == Track.MINOR and is_adult(born, today):
            to_adult.append((case_id, born))
            continue
        soon = track == Track.MINOR and turning_adult_soon(born, today)
        if soon and not turning:
            flag.append(case_id)
        elif turning and not soon:
            unflag.append(case_id)
    _write(session, to_adult, flag, unflag)
    report.moved_to_adult, report.flagged, report.unflagged = len(to_adult), len(flag), len(unflag)
    return report


def _write(
    session: Session, to_adult: list[tuple[int, str]], flag: list[int], unflag: list[int]
) -> None:
    now = utcnow()
    for ids, values in (
        (
            [case_id for case_id, _born in to_adult],
            {"track": Track.ADULT.value, "turning_adult": False, "updated_at": now},
        ),
        (flag, {"turning_adult": True}),
        (unflag, {"turning_adult": False}),
    ):
        for start in range(0, len(ids), READ_CHUNK):
            session.execute(
                update(Case)
                .where(Case.id.in_(ids[start : start + READ_CHUNK]))
                .values(**values)
                .execution_options(synchronize_session="fetch")
            )
    bulk_insert(
        session,
        CaseEvent.__table__,  # type: ignore[arg-type]
        [
            {
                "case_id": case_id,
                "at": now,
                "actor_id": None,
                "actor": "reunite",
                "kind": EventKind.TRACK.value,
                "reason": "",
                "details": {"track": Track.ADULT.value, "born": born},
            }
            for case_id, born in to_adult
        ],
    )
    session.flush()
