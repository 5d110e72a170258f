"""Reading likely duplicates: a record's, for its page, and the staff list."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, aliased

from reunite.auth.models import User
from reunite.auth.principal import Principal, require_staff
from reunite.records.models import Record, RecordLink


@dataclass(frozen=True, slots=True)
class DuplicateOf:
    """One pair of likely duplicates as one of its records sees it: the other record."""

    link: RecordLink
    other: Record
    decided_by: str  # the username of whoever decided last, if anyone did


def _sees_duplicates(principal: Principal, record: Record) -> bool:
    # The mediator's staff, and the liaisons of the party that sent both records.
    if principal.is_staff:
        return True
    return principal.role == "liaison" and principal.party_id == record.party_id


def duplicates_of(
    session: Session, *, principal: Principal, record_id: uuid.UUID
) -> list[DuplicateOf]:
    """Return the likely duplicates of a record, for the staff and its own party's liaison."""
    record = session.get(Record, record_id)
    if record is None or not _sees_duplicates(principal, record):
        return []
    links = list(
        session.scalars(
            select(RecordLink)
            .where((RecordLink.record_id == record_id) | (RecordLink.other_id == record_id))
            .order_by(RecordLink.id)
        )
    )
    other_ids = [link.other_id if link.record_id == record_id else link.record_id for link in links]
    others = {
        other.id: other for other in session.scalars(select(Record).where(Record.id.in_(other_ids)))
    }
    deciders = _usernames(session, {link.decided_by for link in links})
    return [
        DuplicateOf(
            link=link,
            other=others[other_id],
            decided_by=deciders.get(link.decided_by, "") if link.decided_by else "",
        )
        for link, other_id in zip(links, other_ids, strict=True)
    ]


def _usernames(session: Session, user_ids: set[int | None]) -> dict[int, str]:
    wanted = {user_id for user_id in user_ids if user_id is not None}
    if not wanted:
        return {}
    found = session.execute(select(User.id, User.username).where(User.id.in_(wanted)))
    return dict(found.all())


@dataclass(frozen=True, slots=True)
class DuplicatePair:
    """One pair of likely duplicates for the staff list."""

    link: RecordLink
    first: Record
    second: Record
    decided_by: str


def _pairs_statement(
    party_id: int | None, status: str | None, batch_id: int | None
) -> Select[RecordLink]:
    statement = select(RecordLink)
    if party_id is not None:
        statement = statement.where(RecordLink.party_id == party_id)
    if status is not None:
        statement = statement.where(RecordLink.status == status)
    if batch_id is not None:
        statement = statement.where(RecordLink.found_by_batch == batch_id)
    return statement


def count_duplicates(
    session: Session,
    *,
    principal: Principal,
    party_id: int | None = None,
    status: str | None = None,
    batch_id: int | None = None,
) -> int:
    """Count the pairs `list_duplicates` would list across all pages (staff only)."""
    require_staff(principal, unseen="no such page")
    pairs = _pairs_statement(party_id, status, batch_id).subquery()
    return session.scalar(select(func.count()).select_from(pairs)) or 0


def list_duplicates(
    session: Session,
    *,
    principal: Principal,
    party_id: int | None = None,
    status: str | None = None,
    batch_id: int | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[DuplicatePair]:
    """Return pairs of likely duplicates, newest first (mediator staff only)."""
    require_staff(principal, unseen="no such page")
    first, second = aliased(Record), aliased(Record)
    statement = (
        _pairs_statement(party_id, status, batch_id)
        .add_columns(first, second)
        .join(first, first.id == RecordLink.record_id)
        .join(second, second.id == RecordLink.other_id)
    )
    statement = statement.order_by(RecordLink.id.desc()).limit(limit).offset(max(offset, 0))
    rows = session.execute(statement).all()
    deciders = _usernames(session, {link.decided_by for link, _, _ in rows})
    return [
        DuplicatePair(link, a, b, deciders.get(link.decided_by, "") if link.decided_by else "")
        for link, a, b in rows
    ]
