"""Likely duplicates: two records of one party and kind that may stand for one child.

A family asks for its child twice (a regional office's list and the web form, or the same
request sent again under a new reference); a custodial party may disclose one child twice.
Stored without a word, each copy would be matched, reviewed and released on its own.

Each list is checked once it is stored (`flag_duplicates`, called by the importer for every
door: command line, upload page, API, the family's form): every record it added, corrected
or restored is compared with the records of the same party and kind that share one of its
blocking keys (the full date of birth with the given name, or with the surname, each
reduced to one identity: `records.keys.duplicate_keys_of`, indexed), which includes the
list's own other rows. The pairs `likely_same_child` accepts are stored as `suspected`
(`RecordLink`); a caseworker links them ("the same child") or dismisses them, each with a
reason, audited. A pair is flagged once: a dismissed pair is never flagged again.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, cast

from sqlalchemy import Select, Table, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session, aliased

from reunite.audit.service import record_event
from reunite.auth.models import User
from reunite.auth.principal import Principal, require_staff
from reunite.db.base import utcnow
from reunite.db.bulk import insert_rows, restrict_to_values
from reunite.errors import InvalidInput, NotFound
from reunite.exchange.models import Batch, BatchRow
from reunite.matching import names
from reunite.records.keys import father_ids, full_birth_date, mother_ids
from reunite.records.models import LinkStatus, Record, RecordLink

__all__ = [
    "DuplicateOf",
    "DuplicatePair",
    "LinkDecision",
    "LinkStatus",
    "count_duplicates",
    "decide_duplicate",
    "duplicates_of",
    "flag_duplicates",
    "flagged_in_batch",
    "likely_same_child",
    "linked_requests",
    "list_duplicates",
]

CHUNK = 1000
MAX_REASON = 2000
# The most records of one party that may share a blocking key and still be flagged.
MAX_BUCKET = 50
# What agreed, in the order a page lists it.
EVIDENCE = ("birth_date", "sex", "mother", "father", "given_name", "surname")
# Messages people meet (the pages translate them).
NO_REASON = "a decision needs a reason: say what settled it"
UNKNOWN_DECISION = "choose link, dismiss or unlink"
NOT_LINKED = "these records are not linked"
ALREADY_LINKED = "these records are linked already"
ALREADY_DISMISSED = "this suspicion is dismissed already"
NO_SUCH_PAIR = "no such pair of likely duplicates"
MESSAGES = (
    NO_REASON,
    UNKNOWN_DECISION,
    NOT_LINKED,
    ALREADY_LINKED,
    ALREADY_DISMISSED,
    NO_SUCH_PAIR,
)
_LINKS: Table = RecordLink.__table__  # type: ignore[assignment]
_LINK_COLUMNS = (
    "record_id",
    "other_id",
    "party_id",
    "kind",
    "status",
    "evidence",
    "found_at",
    "found_by_batch",
    "reason",
)
# A batch's rows that may have made a record a duplicate of another.
_CHECKED_OUTCOMES = ("added", "corrected", "restored")
_COLUMNS = (
    Record.id,
    Record.sex,
    Record.birth_date,
    Record.given_name,
    Record.surname,
    Record.patronymic,
    Record.mother_name,
    Record.father_name,
    Record.dup_given_key,
    Record.dup_surname_key,
)


class LinkDecision(StrEnum):
    """What a caseworker decides on a pair of likely duplicates."""

    LINK = "link"  # the same child: the requests are one
    DISMISS = "dismiss"  # not the same child
    UNLINK = "unlink"  # undo a link: the pair is suspected again


_OUTCOME = {
    LinkDecision.LINK: LinkStatus.LINKED,
    LinkDecision.DISMISS: LinkStatus.DISMISSED,
    LinkDecision.UNLINK: LinkStatus.SUSPECTED,
}


def _agree(first: frozenset[str], second: frozenset[str]) -> bool | None:
    """Tell whether two sets of identities share one; None when either side is unknown."""
    if not first or not second:
        return None
    return not first.isdisjoint(second)


def likely_same_child(a: Mapping[str, Any], b: Mapping[str, Any]) -> list[str] | None:
    """Return what agrees when two records are likely one child; None when they are not.

    Likely one child: the same full date of birth; the same sex where both know it; no
    parent named differently on the two, and at least one parent named alike (given-name
    identities in any script; the father also through the child's patronymic); and the
    child's given names alike, or, where one record has none, its surname alike. Given
    names that differ veto the pair even under one surname: twins share everything else.
    """
    birth_date = full_birth_date(a)
    if not birth_date or birth_date != full_birth_date(b):
        return None
    evidence = ["birth_date"]
    sex_a, sex_b = a.get("sex") or "", b.get("sex") or ""
    if sex_a and sex_b:
        if sex_a != sex_b:
            return None
        evidence.append("sex")
    for parent, identities in (("mother", mother_ids), ("father", father_ids)):
        agree = _agree(identities(a), identities(b))
        if agree is False:
            return None
        if agree:
            evidence.append(parent)
    if "mother" not in evidence and "father" not in evidence:
        return None
    given = _agree(
        names.given_name_ids(a.get("given_name") or ""),
        names.given_name_ids(b.get("given_name") or ""),
    )
    if given is False:
        return None
    surname = _agree(
        names.surname_keys(a.get("surname") or ""), names.surname_keys(b.get("surname") or "")
    )
    if given:
        evidence.append("given_name")
    if surname:
        evidence.append("surname")
    return evidence if given or surname else None


# --- flagging at import ----------------------------------------------------------------------


def flag_duplicates(session: Session, *, batch: Batch) -> int:
    """Flag the likely duplicates a stored batch brought; return how many pairs are new."""
    flagged = 0
    after = 0
    while True:
        rows = session.execute(
            select(BatchRow.row_number, *_COLUMNS)
            .join(Record, Record.id == BatchRow.record_id)
            .where(
                BatchRow.batch_id == batch.id,
                BatchRow.row_number > after,
                BatchRow.outcome.in_(_CHECKED_OUTCOMES),
                Record.withdrawn.is_(False),
            )
            .order_by(BatchRow.row_number)
            .limit(CHUNK)
        ).all()
        if not rows:
            return flagged
        after = rows[-1].row_number
        keyed = [dict(row._mapping) for row in rows if row.dup_given_key or row.dup_surname_key]
        if keyed:
            flagged += _flag_chunk(session, batch, keyed)


def _candidates(
    session: Session, batch: Batch, column: InstrumentedAttribute[str | None], keys: set[str]
) -> list[dict[str, Any]]:
    if not keys:
        return []
    statement = select(*_COLUMNS).where(
        Record.party_id == batch.party_id,
        Record.kind == batch.kind,
        Record.withdrawn.is_(False),
    )
    wanted = cast("InstrumentedAttribute[str]", column)
    statement = restrict_to_values(session, statement, wanted, sorted(keys))
    return [dict(row._mapping) for row in session.execute(statement)]


def _flag_chunk(session: Session, batch: Batch, rows: Sequence[dict[str, Any]]) -> int:
    by_key: dict[tuple[str, str], dict[uuid.UUID, dict[str, Any]]] = defaultdict(dict)
    for column in (Record.dup_given_key, Record.dup_surname_key):
        name = column.key
        keys = {row[name] for row in rows} - {None}
        for found in _candidates(session, batch, column, keys):
            by_key[name, found[name]][found["id"]] = found
    pairs: dict[tuple[uuid.UUID, uuid.UUID], list[str]] = {}
    for row in rows:
        others: dict[uuid.UUID, dict[str, Any]] = {}
        for name in ("dup_given_key", "dup_surname_key"):
            bucket = by_key.get((name, row[name]), {}) if row[name] is not None else {}
            # One child is not sent dozens of times: a key shared by this many records of
            # the party is a pattern of the data (a placeholder date, a form filled in by
            # rote), and flagging every pair in it would bury the real duplicates.
            if len(bucket) <= MAX_BUCKET:
                others |= bucket
        for other_id, other in others.items():
            pair = (min(row["id"], other_id), max(row["id"], other_id))
            if other_id == row["id"] or pair in pairs:
                continue
            evidence = likely_same_child(row, other)
            if evidence is not None:
                pairs[pair] = evidence
    if not pairs:
        return 0
    known = set(
        session.execute(
            select(RecordLink.record_id, RecordLink.other_id).where(
                RecordLink.record_id.in_({low for low, _ in pairs}),
                RecordLink.other_id.in_({high for _, high in pairs}),
            )
        )
        .tuples()
        .all()
    )
    now = utcnow()
    new = [
        (low, high, batch.party_id, batch.kind, LinkStatus.SUSPECTED.value, evidence)
        + (now, batch.id, "")
        for (low, high), evidence in sorted(pairs.items())
        if (low, high) not in known
    ]
    insert_rows(session, _LINKS, _LINK_COLUMNS, new)
    return len(new)


def flagged_in_batch(session: Session, *, batch_id: int) -> int:
    """Count the pairs of likely duplicates a batch flagged."""
    statement = select(func.count()).where(RecordLink.found_by_batch == batch_id)
    return session.scalar(statement) or 0


# --- deciding ------------------------------------------------------------------------------


def _pair(session: Session, first: uuid.UUID, second: uuid.UUID) -> RecordLink:
    low, high = sorted((first, second))
    # Locked so that two caseworkers deciding at once leave the later decision.
    link = session.scalar(
        select(RecordLink)
        .where(RecordLink.record_id == low, RecordLink.other_id == high)
        .with_for_update()
    )
    if link is None:
        raise NotFound(NO_SUCH_PAIR)
    return link


def decide_duplicate(
    session: Session,
    *,
    principal: Principal,
    record_id: uuid.UUID,
    other_id: uuid.UUID,
    decision: str,
    reason: str,
    address: str = "",
) -> RecordLink:
    """Link two likely duplicates as one child, dismiss them, or undo a link; with a reason."""
    require_staff(principal, unseen="no such page")
    try:
        choice = LinkDecision(decision)
    except ValueError:
        raise InvalidInput(UNKNOWN_DECISION) from None
    reason = " ".join(reason.split())
    if not reason:
        raise InvalidInput(NO_REASON)
    if len(reason) > MAX_REASON:
        raise InvalidInput(f"the reason is longer than {MAX_REASON} characters")
    link = _pair(session, record_id, other_id)
    previous = LinkStatus(link.status)
    if choice is LinkDecision.UNLINK and previous is not LinkStatus.LINKED:
        raise InvalidInput(NOT_LINKED)
    if previous is _OUTCOME[choice]:
        raise InvalidInput(ALREADY_LINKED if choice is LinkDecision.LINK else ALREADY_DISMISSED)
    link.status = _OUTCOME[choice]
    link.decided_by = principal.user_id
    link.decided_at = utcnow()
    link.reason = reason
    session.flush()
    record_event(
        session,
        actor=principal,
        action=f"duplicate.{choice}",
        subject_type="record",
        subject_id=str(record_id),
        details={
            "record_id": str(link.record_id),
            "other_id": str(link.other_id),
            "decision": str(choice),
            "reason": reason,
            "previous_status": str(previous),
        },
        address=address,
    )
    return link


def linked_requests(session: Session, *, record_id: uuid.UUID) -> list[uuid.UUID]:
    """Return the records linked with this one as one child, itself included, in id order.

    Links join: if A is linked with B and B with C, all three are one child. A record
    linked with nothing is a group of one.
    """
    group = {record_id}
    frontier = {record_id}
    while frontier:
        linked = session.execute(
            select(RecordLink.record_id, RecordLink.other_id).where(
                RecordLink.status == LinkStatus.LINKED,
                RecordLink.record_id.in_(frontier) | RecordLink.other_id.in_(frontier),
            )
        ).tuples()
        reached = {member for pair in linked for member in pair}
        frontier = reached - group
        group |= reached
    return sorted(group)


# --- reading -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DuplicateOf:
    """One pair of likely duplicates as one of its records sees it: the other record."""

    link: RecordLink
    other: Record
    decided_by: str  # the username of whoever decided last, if anyone did

    @property
    def decided_at(self) -> datetime | None:
        """Return when the pair was last decided."""
        return self.link.decided_at


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
    others = {
        other.id: other
        for other in session.scalars(
            select(Record).where(
                Record.id.in_({link.other_id if link.record_id == record_id else link.record_id
                               for link in links})
            )
        )
    }  # fmt: skip
    deciders = _usernames(session, {link.decided_by for link in links})
    return [
        DuplicateOf(
            link=link,
            other=others[link.other_id if link.record_id == record_id else link.record_id],
            decided_by=deciders.get(link.decided_by, "") if link.decided_by else "",
        )
        for link in links
    ]


def _usernames(session: Session, user_ids: set[int | None]) -> dict[int, str]:
    wanted = {user_id for user_id in user_ids if user_id is not None}
    if not wanted:
        return {}
    found = session.execute(select(User.id, User.username).where(User.id.in_(wanted)))
    return dict(found.tuples().all())


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
    rows = session.execute(statement).tuples().all()
    deciders = _usernames(session, {link.decided_by for link, _, _ in rows})
    return [
        DuplicatePair(link, a, b, deciders.get(link.decided_by, "") if link.decided_by else "")
        for link, a, b in rows
    ]
