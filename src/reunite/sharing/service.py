"""Releasing a record to a party or a family, revoking a release, and the sharing log.

The rules (need to know, DESIGN.md §1; GC IV art. 137):
- only the mediator's staff release, with a purpose, and never a record its party withheld;
- a party receives the other party's records, never its own;
- a family member or an adult receives a disclosed record only when people confirmed that it
  is the child of a request that very person filed; an admin may override with a written
  reason, kept on the release and in the audit log;
- a release carries the fields its scope allows (`sharing.enums`), frozen when it is made;
- a release can rest on a confirmed match: reversing that decision revokes it. A revoked
  release stays in the log and grants nothing from that moment on.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, aliased

from reunite.audit.service import record_event
from reunite.auth.models import User
from reunite.auth.principal import Principal, require_staff
from reunite.cases.service import release_refused_for_adult
from reunite.db.base import utcnow
from reunite.db.keyset import beyond, newest_first
from reunite.errors import Conflict, InvalidInput, NotFound
from reunite.notifications.service import notify
from reunite.parties.models import Party
from reunite.records.models import Record
from reunite.review.enums import CandidateStatus
from reunite.review.models import MatchCandidate
from reunite.review.service import confirmed_match_for_filer
from reunite.sharing.enums import RELEASED_FIELDS, ReleaseScope
from reunite.sharing.models import Release
from reunite.vocabulary import N_, say

MAX_PURPOSE = 2000
MAX_REASON = 2000
# An override must say something: "ok" is not a reason to pass a child's record to someone.
MIN_OVERRIDE_REASON = 20


def _staff_only(principal: Principal) -> None:
    # Releasing is the mediator's act; to anyone else the action does not exist.
    require_staff(principal, unseen="no such record")


def _text(value: str, *, limit: int, what: str) -> str:
    value = " ".join(value.split())
    if len(value) > limit:
        raise InvalidInput(
            say(
                N_("the {what} is longer than {limit} characters"),
                what=say(what),  # the field's name, in the reader's words
                limit=limit,
            )
        )
    return value


def scope_of(record: Record, *, to_party: bool) -> ReleaseScope:
    """Return what kind of release a record to such a recipient is."""
    if to_party:
        if record.kind == "requests":
            return ReleaseScope.REQUEST_TO_PARTY
        return ReleaseScope.DISCLOSURE_TO_PARTY
    if record.kind != "disclosures":
        raise InvalidInput(
            "a family member or an adult receives the disclosed record of the child they "
            "asked for, never a tracing request"
        )
    return ReleaseScope.DISCLOSURE_TO_FAMILY


def _basis(session: Session, *, record: Record, candidate_id: int | None) -> MatchCandidate | None:
    if candidate_id is None:
        return None
    candidate = session.get(MatchCandidate, candidate_id)
    if candidate is None or record.id not in (candidate.request_id, candidate.disclosed_id):
        raise InvalidInput("the match named as the basis of the release is not this record's")
    if candidate.status != CandidateStatus.CONFIRMED:
        raise Conflict("the match named as the basis of the release is not confirmed")
    return candidate


def release_record(
    session: Session,
    *,
    principal: Principal,
    record_id: uuid.UUID,
    purpose: str,
    to_party_id: int | None = None,
    to_user_id: int | None = None,
    case_ref: str = "",
    candidate_id: int | None = None,
    override_reason: str = "",
    address: str = "",
) -> Release:
    """Release one record to a party (its liaisons) or one person, with a purpose."""
    _staff_only(principal)
    record = session.get(Record, record_id)
    if record is None:
        raise NotFound("no such record")
    purpose = _text(purpose, limit=MAX_PURPOSE, what=N_("purpose"))
    if not purpose:
        raise InvalidInput("a release needs a purpose: say why this party needs this record")
    override_reason = _text(override_reason, limit=MAX_REASON, what=N_("reason"))
    if record.withheld:
        raise Conflict(
            "this record is withheld by the party that sent it (GC IV art. 137): "
            "it is never released"
        )
    if (to_party_id is None) == (to_user_id is None):
        raise InvalidInput("release to one party or to one user")
    refused_for_adult = release_refused_for_adult(session, record=record)
    if refused_for_adult is not None:
        raise Conflict(refused_for_adult, code="adult_consent")
    basis = _basis(session, record=record, candidate_id=candidate_id)
    if to_party_id is not None:
        party = session.get(Party, to_party_id)
        if party is None or party.role not in ("requesting", "custodial"):
            raise InvalidInput("records are released to the requesting or the custodial party")
        if party.id == record.party_id:
            raise InvalidInput(
                say(N_("{party} sent this record; it already sees it"), party=party.name)
            )
        recipient = party.name
        scope = scope_of(record, to_party=True)
        override_reason = ""
    else:
        user = session.get(User, to_user_id)
        if user is None or user.role not in ("family", "adult"):
            raise InvalidInput("records are released to a family member or an adult")
        recipient = user.username
        scope = scope_of(record, to_party=False)
        basis, override_reason = _family_basis(
            session, principal=principal, record=record, user=user, basis=basis,
            override_reason=override_reason,
        )  # fmt: skip
    fields = list(RELEASED_FIELDS[scope])
    release = Release(
        record_id=record.id,
        to_party_id=to_party_id,
        to_user_id=to_user_id,
        purpose=purpose,
        case_ref=case_ref.strip()[:200],
        scope=scope,
        fields=fields,
        candidate_id=basis.id if basis is not None else None,
        override_reason=override_reason,
        released_by=principal.user_id,
    )
    session.add(release)
    session.flush()
    if to_party_id is not None:
        notify(
            session, liaisons_of=to_party_id, kind="record_released", link=f"/records/{record.id}"
        )
    elif to_user_id is not None:
        notify(session, users=[to_user_id], kind="record_released", link=f"/records/{record.id}")
    details: dict[str, object] = {
        "to": recipient,
        "purpose": purpose,
        "case": release.case_ref,
        "scope": scope.value,
        "fields": fields,
        "match": basis.id if basis is not None else None,
    }
    if override_reason:
        details["override"] = override_reason
    record_event(
        session,
        actor=principal,
        action="release.override" if override_reason else "release",
        subject_type="record",
        subject_id=str(record.id),
        details=details,
        address=address,
    )
    return release


def _family_basis(
    session: Session,
    *,
    principal: Principal,
    record: Record,
    user: User,
    basis: MatchCandidate | None,
    override_reason: str,
) -> tuple[MatchCandidate | None, str]:
    """Return the confirmed match a release to a person rests on, or the admin's override."""
    own = confirmed_match_for_filer(session, disclosed_id=record.id, filer_id=user.id)
    if basis is not None and own is not None and basis.id != own.id:
        raise InvalidInput("the match named is not the one between this record and their request")
    if own is not None:
        return own, ""
    if principal.role != "admin" or not override_reason:
        raise Conflict(
            say(
                N_(
                    "{user} filed no request that people confirmed as this child: a record "
                    "goes to a family only after its match is confirmed (an admin may "
                    "override, with a written reason)"
                ),
                user=user.username,
            ),
            code="no_confirmed_match",
        )
    if len(override_reason) < MIN_OVERRIDE_REASON:
        raise InvalidInput(
            say(
                N_("an override needs a reason of at least {count} characters"),
                count=MIN_OVERRIDE_REASON,
            )
        )
    return None, override_reason


def releases_resting_on(session: Session, *, candidate_id: int) -> list[Release]:
    """Return the releases in force that rest on a confirmed match, oldest first."""
    statement = (
        select(Release)
        .where(Release.candidate_id == candidate_id, Release.revoked_at.is_(None))
        .order_by(Release.id)
    )
    return list(session.scalars(statement))


def revoke_release(
    session: Session,
    *,
    principal: Principal,
    release_id: int,
    reason: str,
    address: str = "",
) -> Release:
    """Withdraw a release: the recipient stops seeing the record at once; the log keeps it."""
    _staff_only(principal)
    reason = _text(reason, limit=MAX_REASON, what=N_("reason"))
    if not reason:
        raise InvalidInput("revoking a release needs a reason")
    release = session.get(Release, release_id, with_for_update=True)
    if release is None:
        raise NotFound("no such release")
    if release.revoked_at is not None:
        raise Conflict("this release was revoked already")
    return _revoke(session, principal=principal, release=release, reason=reason, address=address)


def withdraw_for_refused_consent(
    session: Session, *, principal: Principal, record_ids: list[uuid.UUID], reason: str
) -> list[Release]:
    """Revoke the releases in force of an adult's records when they refuse contact.

    Called for the adult themselves (not a staff member): it is their consent that ends.
    """
    in_force = session.scalars(
        select(Release)
        .where(Release.record_id.in_(record_ids), Release.revoked_at.is_(None))
        .order_by(Release.id)
        .with_for_update()
    )
    return [
        _revoke(session, principal=principal, release=release, reason=reason)
        for release in list(in_force)
    ]


def _revoke(
    session: Session, *, principal: Principal, release: Release, reason: str, address: str = ""
) -> Release:
    release.revoked_at = utcnow()
    release.revoked_by = principal.user_id
    release.revoke_reason = reason
    session.flush()
    record_event(
        session,
        actor=principal,
        action="release.revoked",
        subject_type="release",
        subject_id=str(release.id),
        details={"record": str(release.record_id), "reason": reason},
        address=address,
    )
    return release


@dataclass(frozen=True)
class RevokedRelease:
    """A release a recipient had, now withdrawn: when, and what it was (never the record)."""

    release_id: int
    scope: ReleaseScope
    released_at: datetime
    revoked_at: datetime


def revoked_for(session: Session, *, principal: Principal, limit: int = 50) -> list[RevokedRelease]:
    """Return the releases to the caller (their party, or themselves) that were withdrawn."""
    if principal.role == "liaison" and principal.party_id is not None:
        mine = Release.to_party_id == principal.party_id
    elif principal.files_own_requests:
        mine = Release.to_user_id == principal.user_id
    else:
        return []
    statement = (
        select(Release)
        .where(mine, Release.revoked_at.is_not(None))
        .order_by(Release.revoked_at.desc(), Release.id.desc())
        .limit(limit)
    )
    return [
        RevokedRelease(r.id, ReleaseScope(r.scope), r.released_at, r.revoked_at)
        for r in session.scalars(statement)
        if r.revoked_at is not None
    ]


@dataclass(frozen=True)
class SharingLogLine:
    """One line of the sharing log: what, to whom, why, by whom, when, and if withdrawn."""

    release_id: int
    record_id: uuid.UUID
    record_kind: str
    record_reference: str
    recipient: str
    scope: ReleaseScope
    fields: list[str]
    purpose: str
    case_ref: str
    candidate_id: int | None
    override_reason: str
    released_by: str
    released_at: datetime
    revoked_at: datetime | None
    revoked_by: str
    revoke_reason: str

    @property
    def in_force(self) -> bool:
        """Tell whether the release still grants its recipient the record."""
        return self.revoked_at is None


def _log_query(
    record_id: uuid.UUID | None,
) -> Select[Release, str, str, str | None, str | None, str, str | None]:
    releaser = aliased(User)
    receiver = aliased(User)
    revoker = aliased(User)
    query = (
        select(
            Release,
            Record.kind,
            Record.external_id,
            Party.name,
            receiver.username,
            releaser.username,
            revoker.username,
        )
        .join(Record, Record.id == Release.record_id)
        .join(releaser, releaser.id == Release.released_by)
        .outerjoin(Party, Party.id == Release.to_party_id)
        .outerjoin(receiver, receiver.id == Release.to_user_id)
        .outerjoin(revoker, revoker.id == Release.revoked_by)
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
    return [
        SharingLogLine(
            release_id=release.id,
            record_id=release.record_id,
            record_kind=kind,
            record_reference=external_id,
            recipient=party_name or username or "",
            scope=ReleaseScope(release.scope),
            fields=list(release.fields or []),
            purpose=release.purpose,
            case_ref=release.case_ref,
            candidate_id=release.candidate_id,
            override_reason=release.override_reason,
            released_by=by,
            released_at=release.released_at,
            revoked_at=release.revoked_at,
            revoked_by=revoker or "",
            revoke_reason=release.revoke_reason,
        )
        for release, kind, external_id, party_name, username, by, revoker in rows
    ]


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


def revoke_all_resting_on(
    session: Session,
    *,
    principal: Principal,
    candidate_id: int,
    reason: str,
    address: str = "",
) -> list[Release]:
    """Revoke every release in force that rests on a match; return them."""
    revoked = []
    for release in releases_resting_on(session, candidate_id=candidate_id):
        revoked.append(
            revoke_release(
                session, principal=principal, release_id=release.id, reason=reason, address=address
            )
        )
    return revoked
