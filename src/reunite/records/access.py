"""Need to know: which records a caller may see. Every read of records goes through here.

- The mediator's admin and caseworkers see every record.
- A party liaison sees its own party's records, and the other party's records that the
  mediator released to its party.
- A family member or an adult sees the requests they filed, and what was released to them.
- An adult on their own track also sees the records of their own case (the request that
  sought them, the record of the party that holds them): it is their data.
- An auditor sees no record (only the audit and sharing logs).

A record a caller may not see does not exist for them: callers answer 404, never 403.
Nobody sees the records of a list still being stored in the background (`published`).
A record its party flagged `withheld` is never released; it is also filtered here, so that
a release made before the flag was set stops working the moment it is set.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, false, or_, select, true
from sqlalchemy.orm import Session, object_session

from reunite.auth.principal import Principal
from reunite.cases.models import Case
from reunite.errors import NotFound
from reunite.exchange.enums import BatchState
from reunite.exchange.models import Batch
from reunite.records.models import Record
from reunite.sharing.models import Release

# Every field a record can show, and "photo" for its pictures; what a release carries is a
# subset (sharing.enums.RELEASED_FIELDS).
ALL_FIELDS = frozenset(
    (
        "external_id", "surname", "given_name", "patronymic", "name_variants", "sex",
        "birth_date", "birth_place", "nationality", "mother_name", "father_name",
        "last_known_place", "separation_date", "separation_circumstances",
        "distinguishing_marks", "current_location", "institution", "contact", "extra", "photo",
    )
)  # fmt: skip
# Roles that read records at all (the auditor reads the logs only).
RECORD_READERS = ("admin", "caseworker", "liaison", "family", "adult")


def _released_to(principal: Principal) -> ColumnElement[bool]:
    recipient = (
        Release.to_party_id == principal.party_id
        if principal.role == "liaison"
        else Release.to_user_id == principal.user_id
    )
    return and_(
        Record.withheld.is_(False),
        exists(
            select(Release.id).where(
                Release.record_id == Record.id, recipient, Release.revoked_at.is_(None)
            )
        ),
    )


def published(record: Any = Record) -> ColumnElement[bool]:
    """Return the SQL condition on Record that leaves out the records of lists being stored.

    A large list is stored in short steps (exchange.background); its new records carry its
    batch until it is stored, and nobody (matching, counts, exports included) sees them
    before: a list is seen whole or not at all. Once stored, the mark is cleared in steps.
    """
    # Not correlated: the databases read the lists being stored once per query (a handful
    # at most) and look each marked record up in that set, not a query per record.
    return or_(
        record.pending_batch_id.is_(None),
        record.pending_batch_id.not_in(
            select(Batch.id).where(Batch.status != BatchState.STORED.value)
        ),
    )


def visible_records(principal: Principal) -> ColumnElement[bool]:
    """Return the SQL condition on Record that selects what this caller may see."""
    return and_(published(), _seen_by(principal))


def _seen_by(principal: Principal) -> ColumnElement[bool]:
    if principal.is_staff:
        return true()
    if principal.role == "liaison" and principal.party_id is not None:
        return or_(Record.party_id == principal.party_id, _released_to(principal))
    if principal.files_own_requests:
        seen = or_(Record.filed_by_user_id == principal.user_id, _released_to(principal))
        if principal.role == "adult":
            seen = or_(seen, _own_case(principal))
        return seen
    return false()


def _own_case(principal: Principal) -> ColumnElement[bool]:
    """The records of the cases linked to an adult's own account (never a withheld one)."""
    return and_(
        Record.withheld.is_(False),
        exists(
            select(Case.id).where(
                Case.adult_user_id == principal.user_id,
                or_(Case.request_id == Record.id, Case.disclosed_id == Record.id),
            )
        ),
    )


def can_see_record(session: Session, *, principal: Principal, record_id: uuid.UUID) -> bool:
    """Tell whether the caller may see this record."""
    found = session.scalar(
        select(Record.id).where(Record.id == record_id, visible_records(principal))
    )
    return found is not None


def get_visible_record(session: Session, *, principal: Principal, record_id: uuid.UUID) -> Record:
    """Return a record the caller may see; anything else is "not found"."""
    record = session.scalar(
        select(Record).where(Record.id == record_id, visible_records(principal))
    )
    if record is None:
        raise NotFound("no such record")
    return record


def parse_record_id(text: str) -> uuid.UUID:
    """Read a record id from a URL; a malformed one is "not found" like any other."""
    try:
        return uuid.UUID(text)
    except ValueError:
        raise NotFound("no such record") from None


def sees_whole_record(principal: Principal, record: Record) -> bool:
    """Tell whether the caller sees every field and the history (staff, the sending party)."""
    if principal.is_staff:
        return True
    if principal.role == "liaison":
        return record.party_id == principal.party_id
    if principal.role == "adult" and _is_own_case_record(principal, record):
        return True
    return principal.files_own_requests and record.filed_by_user_id == principal.user_id


def _is_own_case_record(principal: Principal, record: Record) -> bool:
    session = object_session(record)
    if session is None or record.withheld:
        return False
    found = session.scalar(
        select(Case.id).where(
            Case.adult_user_id == principal.user_id,
            or_(Case.request_id == record.id, Case.disclosed_id == record.id),
        )
    )
    return found is not None


def released_fields(session: Session, *, principal: Principal, record: Record) -> frozenset[str]:
    """Return the fields of a record released to the caller (the union of releases in force).

    For someone who sees the whole record, that is every field (see `sees_whole_record`).
    """
    if sees_whole_record(principal, record):
        return ALL_FIELDS
    recipient = (
        Release.to_party_id == principal.party_id
        if principal.role == "liaison"
        else Release.to_user_id == principal.user_id
    )
    shown: set[str] = set()
    for fields in session.scalars(
        select(Release.fields).where(
            Release.record_id == record.id, recipient, Release.revoked_at.is_(None)
        )
    ):
        shown.update(fields or [])
    return frozenset(shown)


def released_fields_of(
    session: Session, *, principal: Principal, records: Iterable[Record]
) -> dict[uuid.UUID, frozenset[str]]:
    """Return `released_fields` of each record of a page, asking the database once."""
    chosen = list(records)
    fields = {r.id: ALL_FIELDS for r in chosen if sees_whole_record(principal, r)}
    others = [r.id for r in chosen if r.id not in fields]
    if not others:
        return fields
    recipient = (
        Release.to_party_id == principal.party_id
        if principal.role == "liaison"
        else Release.to_user_id == principal.user_id
    )
    shown: dict[uuid.UUID, set[str]] = {record_id: set() for record_id in others}
    for record_id, released in session.execute(
        select(Release.record_id, Release.fields).where(
            Release.record_id.in_(others), recipient, Release.revoked_at.is_(None)
        )
    ):
        shown[record_id].update(released or [])
    return fields | {record_id: frozenset(names) for record_id, names in shown.items()}


def may_edit_record(principal: Principal, record: Record) -> bool:
    """Tell whether the caller may correct this record (its own party's liaison, or staff)."""
    if principal.is_staff:
        return True
    if principal.role == "liaison":
        return record.party_id == principal.party_id
    return principal.files_own_requests and record.filed_by_user_id == principal.user_id
