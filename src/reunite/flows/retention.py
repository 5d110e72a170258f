"""Retention: a finished case's personal data is erased once it has been kept long enough.

A case closed (or ended: declined, deceased, duplicate, transferred) more than
`REUNITE_RETENTION_DAYS` ago keeps its events, statuses, times and counts — the figures the
world asks for are computed from those — and loses everything that names or places a person:
names, parents, contact, free texts, photos, attachments, message texts, the rows as the
parties sent them. What stays to place a child in a statistic is coarse on purpose: the
oblast (not the town), the month of birth and of separation (not the day), the sex.

This spans domains (records, cases, channel, attachments, inquiries), hence a flow; the
daily worker runs it as the "retention" job. What was erased is logged as counts, never the
data itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from reunite.attachments.models import Attachment
from reunite.audit.service import record_event
from reunite.cases.models import (
    BestInterests,
    Case,
    CaseEvent,
    CaseRequest,
    CaseTask,
    Consent,
    FollowUpVisit,
    RoundMember,
    Verification,
)
from reunite.cases.rules import FINISHED
from reunite.channel.models import Call, ChannelMessage, MessagePhoto
from reunite.db.base import utcnow
from reunite.inquiries.models import InquiryItem
from reunite.jobs.service import JobContext
from reunite.matching.places import oblast_of
from reunite.records.models import Record, RecordPhoto, RecordVersion
from reunite.settings import get_settings
from reunite.vocabulary import N_, Message, say

RETENTION_JOB = "retention"
# Fields that name, describe or place a person more finely than an oblast: emptied.
ERASED_FIELDS = (
    "given_name",
    "surname",
    "patronymic",
    "nationality",
    "mother_name",
    "father_name",
    "separation_circumstances",
    "distinguishing_marks",
    "current_location",
    "institution",
    "contact",
    "name_variants",
)
ERASED = {"erased": True}


@dataclass
class Erased:
    """What one run erased, as counts (the log never holds the data itself)."""

    cases: int = 0
    records: int = 0
    versions: int = 0
    photos: int = 0
    attachments: int = 0
    messages: int = 0
    case_ids: list[int] = field(default_factory=list)


def _coarse_place(place: str) -> str:
    oblast = oblast_of(place) if place else None
    return oblast or ""


def _erase_record(session: Session, record: Record) -> int:
    for name in ERASED_FIELDS:
        setattr(record, name, "")
    record.last_known_place = _coarse_place(record.last_known_place)
    record.birth_place = _coarse_place(record.birth_place)
    record.birth_date = record.birth_date[:7]
    record.separation_date = record.separation_date[:7]
    record.extra = {}
    versions = session.execute(
        update(RecordVersion)
        .where(RecordVersion.record_id == record.id)
        .values(changes=ERASED, original=ERASED)
    ).rowcount  # type: ignore[attr-defined]
    return int(versions or 0)


def erase_case(session: Session, case: Case, erased: Erased) -> None:
    """Erase one finished case's personal data, keeping its events and counts."""
    record_ids = list(
        session.scalars(select(CaseRequest.request_id).where(CaseRequest.case_id == case.id))
    )
    if case.disclosed_id is not None:
        record_ids.append(case.disclosed_id)
    for record in session.scalars(select(Record).where(Record.id.in_(record_ids))):
        erased.versions += _erase_record(session, record)
        erased.records += 1
    erased.photos += int(
        session.execute(delete(RecordPhoto).where(RecordPhoto.record_id.in_(record_ids))).rowcount  # type: ignore[attr-defined]
        or 0
    )
    erased.attachments += int(
        session.execute(
            delete(Attachment).where(
                (Attachment.case_id == case.id) | Attachment.record_id.in_(record_ids)
            )
        ).rowcount  # type: ignore[attr-defined]
        or 0
    )
    message_ids = list(
        session.scalars(select(ChannelMessage.id).where(ChannelMessage.case_id == case.id))
    )
    session.execute(delete(MessagePhoto).where(MessagePhoto.message_id.in_(message_ids)))
    session.execute(
        update(ChannelMessage)
        .where(ChannelMessage.case_id == case.id)
        .values(text="", sender_name="", recipient_name="", findings=[], return_reason="")
    )
    erased.messages += len(message_ids)
    session.execute(
        update(Call).where(Call.case_id == case.id).values(request_note="", outcome_note="")
    )
    for model, values in (
        (CaseEvent, {"reason": "", "details": {}}),
        (CaseTask, {"title": ""}),
        (Verification, {"evidence": {}, "notes": ""}),
        (BestInterests, {"child_views": "", "care_arrangements": "", "risks": ""}),
        (Consent, {"note": ""}),
        (FollowUpVisit, {"outcome": "", "waived_reason": ""}),
        (RoundMember, {"apart_reason": "", "removed_reason": ""}),
        (InquiryItem, {"name": "", "birth_date": "", "question": "", "answer_note": ""}),
    ):
        session.execute(update(model).where(model.case_id == case.id).values(**values))
    case.erased_at = utcnow()
    erased.cases += 1
    erased.case_ids.append(case.id)


def erase_expired(session: Session, *, today: date | None = None) -> Erased:
    """Erase every finished case kept longer than the retention period; log the counts."""
    today = today or date.today()
    days = get_settings().retention_days
    erased = Erased()
    if days <= 0:
        return erased
    cutoff = utcnow() - timedelta(days=days) - (date.today() - today)
    expired = session.scalars(
        select(Case)
        .where(
            Case.status.in_(sorted(FINISHED)),
            Case.status_since < cutoff,
            Case.erased_at.is_(None),
        )
        .order_by(Case.id)
        .with_for_update()
    )
    for case in expired:
        erase_case(session, case, erased)
    session.flush()
    if erased.cases:
        record_event(
            session,
            actor=None,
            actor_name="reunite",
            action="case.erased",
            subject_type="case",
            details={
                "case_ids": erased.case_ids[:500],
                "cases": erased.cases,
                "records": erased.records,
                "versions": erased.versions,
                "photos": erased.photos,
                "attachments": erased.attachments,
                "messages": erased.messages,
                "retention_days": days,
            },
        )
    return erased


def run_retention(context: JobContext) -> Message:
    """The daily "retention" job."""
    erased = erase_expired(context.session)
    return say(
        N_("erased the personal data of {cases} finished case(s) kept beyond the retention period"),
        cases=erased.cases,
    )
