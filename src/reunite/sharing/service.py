"""Releasing a record to a party or a family, and reading the sharing log."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, aliased

from reunite.audit.service import record_event
from reunite.auth.models import User
from reunite.auth.principal import Principal, require_staff
from reunite.db.keyset import beyond, newest_first
from reunite.errors import Conflict, InvalidInput, NotFound
from reunite.parties.models import Party
from reunite.records.models import Record
from reunite.sharing.models import Release

MAX_PURPOSE = 2000


def _staff_only(principal: Principal) -> None:
    # Releasing is the mediator's act; to anyone else the action does not exist.
    require_staff(principal, unseen="no such record")


def release_record(
    session: Session,
    *,
    principal: Principal,
    record_id: uuid.UUID,
    purpose: str,
    to_party_id: int | None = None,
    to_user_id: int | None = None,
    case_ref: str = "",
    address: str = "",
) -> Release:
    """Release one record to a party (its liaisons) or one family member, with a purpose."""
    _staff_only(principal)
    record = session.get(Record, record_id)
    if record is None:
        raise NotFound("no such record")
    purpose = " ".join(purpose.split())
    if not purpose:
        raise InvalidInput("a release needs a purpose: say why this party needs this record")
    if len(purpose) > MAX_PURPOSE:
        raise InvalidInput(f"the purpose is longer than {MAX_PURPOSE} characters")
    if record.withheld:
        raise Conflict(
            "this record is withheld by the party that sent it (GC IV art. 137): "
            "it is never released"
        )
    if (to_party_id is None) == (to_user_id is None):
        raise InvalidInput("release to one party or to one user")
    if to_party_id is not None:
        party = session.get(Party, to_party_id)
        if party is None or party.role not in ("requesting", "custodial"):
            raise InvalidInput("records are released to the requesting or the custodial party")
        if party.id == record.party_id:
            raise InvalidInput(f"{party.name} sent this record; it already sees it")
        recipient = party.name
    else:
        user = session.get(User, to_user_id)
        if user is None or user.role not in ("family", "adult"):
            raise InvalidInput("records are released to a family member or an adult")
        recipient = user.username
    release = Release(
        record_id=record.id,
        to_party_id=to_party_id,
        to_user_id=to_user_id,
        purpose=purpose,
        case_ref=case_ref.strip()[:200],
        released_by=principal.user_id,
    )
    session.add(release)
    session.flush()
    record_event(
        session,
        actor=principal,
        action="release",
        subject_type="record",
        subject_id=str(record.id),
        details={"to": recipient, "purpose": purpose, "case": release.case_ref},
        address=address,
    )
    return release


@dataclass(frozen=True)
class SharingLogLine:
    """One line of the sharing log: what, to whom, why, by whom, when."""

    release_id: int
    record_id: uuid.UUID
    record_label: str
    recipient: str
    purpose: str
    case_ref: str
    released_by: str
    released_at: datetime


def _log_query(
    record_id: uuid.UUID | None,
) -> Select[Release, str, str, str, str, str]:
    releaser = aliased(User)
    receiver = aliased(User)
    query = (
        select(
            Release,
            Record.kind,
            Record.external_id,
            Party.name,
            receiver.username,
            releaser.username,
        )
        .join(Record, Record.id == Release.record_id)
        .join(releaser, releaser.id == Release.released_by)
        .outerjoin(Party, Party.id == Release.to_party_id)
        .outerjoin(receiver, receiver.id == Release.to_user_id)
    )
    if record_id is not None:
        query = query.where(Release.record_id == record_id)
    return query


def sharing_log(
    session: Session,
    *,
    principal: Principal,
    record_id: uuid.UUID | None = None,
    limit: int = 200,
    before_id: int | None = None,
    after_id: int | None = None,
) -> list[SharingLogLine]:
    """Return releases, newest first: for the mediator's staff and the auditor only.

    Cut by release id (keyset): `before_id` gives the `limit` releases just older than that
    one, `after_id` the `limit` just newer (still newest first).
    """
    if not (principal.is_staff or principal.role == "auditor"):
        raise NotFound("no such page")
    rows = newest_first(
        session, _log_query(record_id), Release.id, limit=limit, before=before_id, after=after_id
    )
    lines = []
    for release, kind, external_id, party_name, username, by in rows:
        lines.append(
            SharingLogLine(
                release_id=release.id,
                record_id=release.record_id,
                record_label=f"{kind} {external_id}",
                recipient=party_name or username or "",
                purpose=release.purpose,
                case_ref=release.case_ref,
                released_by=by,
                released_at=release.released_at,
            )
        )
    return lines


@dataclass(frozen=True)
class SharingLogPage:
    """One page of the sharing log, and whether older or newer releases lie beyond it."""

    lines: list[SharingLogLine]
    has_older: bool
    has_newer: bool


def sharing_log_page(
    session: Session,
    *,
    principal: Principal,
    limit: int,
    before_id: int | None = None,
    after_id: int | None = None,
) -> SharingLogPage:
    """Return one page of the sharing log (see `sharing_log`) and what lies on either side."""
    lines = sharing_log(
        session, principal=principal, limit=limit, before_id=before_id, after_id=after_id
    )
    if not lines:
        return SharingLogPage(lines, has_older=False, has_newer=False)
    has_older, has_newer = beyond(
        session,
        _log_query(None),
        Release.id,
        newest=lines[0].release_id,
        oldest=lines[-1].release_id,
    )
    return SharingLogPage(lines, has_older=has_older, has_newer=has_newer)


def releases_of(session: Session, *, record_id: uuid.UUID) -> list[Release]:
    """Return the releases of one record, oldest first."""
    return list(
        session.scalars(select(Release).where(Release.record_id == record_id).order_by(Release.id))
    )


def count_releases(session: Session) -> int:
    """Return how many releases the sharing log holds."""
    return session.scalar(select(func.count()).select_from(Release)) or 0
