"""A family member (or an adult) files a tracing request, and follows what became of it.

A filed request is cleaned exactly like a row of a party's list: it is written as a one-row
JSON list and imported into the requesting party's records, so it is matched like any other
request. It remembers who filed it; they see it, and nothing else of the party's list.
"""

from __future__ import annotations

import json
import re
import tempfile
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from reunite.audit.service import record_event
from reunite.auth.principal import Principal
from reunite.errors import FileRejected, InvalidInput, NotFound
from reunite.exchange.service import import_list
from reunite.parties.models import Party
from reunite.pictures import MAX_PICTURE_BYTES, CleanPicture, PictureRefused, clean_picture
from reunite.records.enums import RequestState
from reunite.records.models import Record, RecordPhoto
from reunite.records.service import get_record
from reunite.review.jobs import enqueue_match
from reunite.review.models import MatchCandidate

# What the form asks, as record fields; every one is optional but a name.
REQUEST_FIELDS = (
    "surname",
    "given_name",
    "patronymic",
    "name_variants",
    "sex",
    "birth_date",
    "birth_place",
    "last_known_place",
    "separation_date",
    "separation_circumstances",
    "mother_name",
    "father_name",
    "distinguishing_marks",
    "contact",
)
MAX_PHOTO_BYTES = MAX_PICTURE_BYTES

# Messages for the person filling in the form, in plain words (the pages translate them).
NAME_MISSING = "Give at least the child's surname or given name."
NAME_NO_LETTERS = "A name needs letters."
DATE_UNREADABLE = "Write the date as day.month.year (12.03.2014), month.year (03.2014) or a year."
DATE_IMPOSSIBLE = "This date does not exist. Check the day, month and year."
DATE_FUTURE = "This date is in the future."
BIRTH_TOO_EARLY = "This year of birth is too early for a child of this conflict."
SEX_UNKNOWN = "Choose male, female or not known."
TOO_LONG = "This is too long; shorten it."
NOT_ACCEPTED = "This cannot be accepted as written; check it."
PHOTO_TYPE = "The photo must be a JPEG or PNG picture."
PHOTO_TOO_BIG = "The photo is larger than 5 MB; choose a smaller one."
MESSAGES = (
    NAME_MISSING,
    NAME_NO_LETTERS,
    DATE_UNREADABLE,
    DATE_IMPOSSIBLE,
    DATE_FUTURE,
    BIRTH_TOO_EARLY,
    SEX_UNKNOWN,
    TOO_LONG,
    NOT_ACCEPTED,
    PHOTO_TYPE,
    PHOTO_TOO_BIG,
)

# Where a request stands, as its filer sees it.
FILED = RequestState.FILED
UNDER_REVIEW = RequestState.UNDER_REVIEW
CONFIRMED = RequestState.CONFIRMED

_PROBLEM_RE = re.compile(r"^[^:]*:\d+: (?P<column>[^:]+): (?P<reason>.*)$")


class RequestRejected(InvalidInput):
    """A request the form must show again, with a message for each field that is wrong."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("the request has mistakes; nothing was filed")
        self.problems = problems


@dataclass(frozen=True)
class FiledRequest:
    """A request its filer follows: the record and where it stands."""

    record: Record
    status: str


def requesting_party_of(session: Session, *, principal: Principal) -> Party:
    """Return the party whose list a filer's requests join: their own, or the only one."""
    if principal.party_id is not None:
        party = session.get(Party, principal.party_id)
        if party is not None and party.role == "requesting":
            return party
    parties = list(session.scalars(select(Party).where(Party.role == "requesting")))
    if len(parties) != 1:
        raise InvalidInput(
            "requests cannot be filed here yet: the mediator has not set up one requesting party"
        )
    return parties[0]


def _message_for(column: str, reason: str) -> tuple[str, str]:
    """Return the form field and the plain message for one import problem."""
    if column == "(name)":
        return "surname", NAME_MISSING
    field = column if column in REQUEST_FIELDS else "surname"
    if "characters long" in reason:
        return field, TOO_LONG
    if "no letters" in reason:
        return field, NAME_NO_LETTERS
    if "in the future" in reason:
        return field, DATE_FUTURE
    if reason.startswith("birth year"):
        return field, BIRTH_TOO_EARLY
    if "impossible" in reason:
        return field, DATE_IMPOSSIBLE
    if reason.startswith(("not a birth date", "not a separation date", "ambiguous")):
        return field, DATE_UNREADABLE
    if reason.startswith("not a sex"):
        return field, SEX_UNKNOWN
    return field, NOT_ACCEPTED


def _problems_of(lines: list[str]) -> dict[str, str]:
    problems: dict[str, str] = {}
    for line in lines:
        found = _PROBLEM_RE.match(line)
        column, reason = (found["column"], found["reason"]) if found else ("", line)
        field, message = _message_for(column, reason)
        problems.setdefault(field, message)
    return problems or {"surname": NOT_ACCEPTED}


def file_request(
    session: Session,
    *,
    principal: Principal,
    fields: Mapping[str, str],
    photo: bytes | None = None,
    address: str = "",
) -> Record:
    """File a tracing request for a family member or an adult, and queue its matching.

    Nothing is stored when any field is wrong: RequestRejected names each one.
    """
    if not principal.files_own_requests:
        raise NotFound("no such page")
    values = {name: " ".join(str(fields.get(name, "")).split()) for name in REQUEST_FIELDS}
    for long_text in ("separation_circumstances", "distinguishing_marks", "contact"):
        values[long_text] = str(fields.get(long_text, "")).strip()
    problems: dict[str, str] = {}
    picture: CleanPicture | None = None
    if photo:
        # Decoded and re-encoded from its pixels: no GPS, camera or comment goes any further.
        try:
            picture = clean_picture(photo, max_bytes=MAX_PHOTO_BYTES)
        except PictureRefused as exc:
            problems["photo"] = PHOTO_TOO_BIG if exc.reason == "too_big" else PHOTO_TYPE
    party = requesting_party_of(session, principal=principal)
    external_id = f"WEB-{uuid.uuid4().hex[:16].upper()}"
    # Every field goes in, empty or not: a list without a name column is refused as a whole,
    # where a row without a name gets the precise "no name" answer the form can show.
    row = {"id": external_id} | values
    savepoint = session.begin_nested()
    try:
        with tempfile.TemporaryDirectory(prefix="reunite-request-") as folder:
            path = Path(folder) / f"request-{external_id}.json"
            path.write_text(json.dumps([row], ensure_ascii=False), encoding="utf-8")
            report = import_list(
                session, path=path, party=party, kind="requests", queue_matching=False
            )
    except FileRejected as exc:
        savepoint.rollback()
        raise RequestRejected(problems | _problems_of(exc.problems)) from None
    if problems:
        savepoint.rollback()
        raise RequestRejected(problems)
    savepoint.commit()
    record = get_record(session, party_id=party.id, kind="requests", external_id=external_id)
    record.filed_by_user_id = principal.user_id
    if picture is not None:
        session.add(
            RecordPhoto(
                record_id=record.id,
                content_type=picture.content_type,
                data=picture.data,
                uploaded_by=principal.user_id,
            )
        )
    session.flush()
    record_event(
        session,
        actor=principal,
        action="request.filed",
        subject_type="record",
        subject_id=str(record.id),
        details={"party": party.name, "batch": report.batch_id, "photo": bool(photo)},
        address=address,
    )
    # Matching this one request against every disclosed record: the family's request is
    # compared as soon as a worker is free, without waiting for the next full run.
    enqueue_match(session, request_ids=[record.id])
    return record


def my_requests(session: Session, *, principal: Principal) -> list[FiledRequest]:
    """Return the requests this person filed, newest first, with where each stands."""
    records = list(
        session.scalars(
            select(Record)
            .where(Record.filed_by_user_id == principal.user_id)
            .order_by(Record.created_at.desc(), Record.external_id)
        )
    )
    if not records:
        return []
    states: dict[uuid.UUID, set[str]] = {}
    for request_id, status in session.execute(
        select(MatchCandidate.request_id, MatchCandidate.status).where(
            MatchCandidate.request_id.in_([r.id for r in records]),
            MatchCandidate.status.in_(("proposed", "confirmed")),
        )
    ):
        states.setdefault(request_id, set()).add(status)
    found = []
    for record in records:
        seen = states.get(record.id, set())
        status = CONFIRMED if "confirmed" in seen else UNDER_REVIEW if seen else FILED
        found.append(FiledRequest(record=record, status=status))
    return found
