"""What was released to a recipient, as a feed for its system and as a signed package.

A party (its liaisons and its system) or a family receives only what the sharing log says
was released to it, and of each record only the fields its release carries (frozen on the
release). The same selection feeds `GET /api/v1/releases` (what changed since a cursor)
and the signed packages the mediator exports (`reunite package`), which the receiver checks
offline with the mediator's public key (`reunite verify-package`).
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from reunite.audit.service import record_event
from reunite.auth.models import User
from reunite.auth.principal import Principal
from reunite.errors import InvalidInput, NotFound
from reunite.keys.service import mediator_private_key
from reunite.keys.signing import build_package
from reunite.parties.models import Party
from reunite.records.models import Record
from reunite.sharing.models import Release, ReleaseAck
from reunite.vocabulary import N_, say

# The feed answers at most this many releases at once; the cursor continues.
FEED_LIMIT = 500
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# A photo travels separately (the record's page); a package says only that there is one.
_NOT_IN_PACKAGE = frozenset({"photo"})


@dataclass(frozen=True)
class Recipient:
    """Whom records are released to: one party, or one person (a family member, an adult)."""

    party_id: int | None = None
    user_id: int | None = None
    name: str = ""

    @property
    def key(self) -> str:
        """Return the recipient's stable name in acknowledgements: party:ID or user:ID."""
        return f"party:{self.party_id}" if self.party_id is not None else f"user:{self.user_id}"

    def condition(self) -> ColumnElement[bool]:
        """Return the SQL condition of the releases made to this recipient."""
        if self.party_id is not None:
            return Release.to_party_id == self.party_id
        return Release.to_user_id == self.user_id


def recipient_of(principal: Principal) -> Recipient:
    """Return the recipient a caller stands for: a liaison its party, a family itself."""
    if principal.role == "liaison" and principal.party_id is not None:
        return Recipient(party_id=principal.party_id)
    if principal.files_own_requests:
        return Recipient(user_id=principal.user_id, name=principal.username)
    # The mediator's staff receive nothing: they see everything already.
    raise NotFound("no such page")


def named_recipient(session: Session, *, party: str | None, user: str | None) -> Recipient:
    """Return the recipient named on the command line: a party, or a family's account."""
    if (party is None) == (user is None):
        raise InvalidInput(N_("name one party or one user"))
    if party is not None:
        found = session.scalar(select(Party).where(Party.name == " ".join(party.split())))
        if found is None or found.role not in ("requesting", "custodial"):
            raise NotFound(say(N_("no party named {name} receives records"), name=party))
        return Recipient(party_id=found.id, name=found.name)
    person = session.scalar(select(User).where(User.username == user))
    if person is None or person.role not in ("family", "adult"):
        raise NotFound(say(N_("no family member or adult named {name}"), name=str(user)))
    return Recipient(user_id=person.id, name=person.username)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _value(record: Record, name: str) -> Any:
    if name == "photo":
        return None
    return getattr(record, name, None)


def released_record(release: Release, record: Record) -> dict[str, Any]:
    """Return one release as a recipient receives it: the release's fields, nothing more."""
    fields = [f for f in (release.fields or []) if f not in _NOT_IN_PACKAGE]
    return {
        "release": release.id,
        "record": str(record.id),
        "kind": record.kind,
        "scope": release.scope,
        "released_at": _stamp(release.released_at),
        "fields": {name: _value(record, name) for name in sorted(fields)},
    }


def _changed_at(release: Release, record: Record) -> datetime:
    moments = [release.released_at, record.updated_at]
    if release.revoked_at is not None:
        moments.append(release.revoked_at)
    return max(moments)


def _releases(session: Session, recipient: Recipient) -> list[tuple[Release, Record]]:
    statement = (
        select(Release, Record)
        .join(Record, Record.id == Release.record_id)
        .where(recipient.condition())
        .order_by(Release.id)
    )
    return [(release, record) for release, record in session.execute(statement)]


def _in_force(release: Release, record: Record) -> bool:
    # A record its party has since withheld (GC IV art. 137) no longer goes out either.
    return release.revoked_at is None and not record.withheld


@dataclass(frozen=True)
class ReleaseFeed:
    """What changed for a recipient since a cursor, and the cursor to ask from next."""

    items: list[dict[str, Any]]
    cursor: str
    acknowledged: str | None
    more: bool


def _parse_cursor(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInput(
            N_("the cursor is not one this server gave"), code="bad_cursor"
        ) from None
    if moment.tzinfo is None:
        raise InvalidInput(N_("the cursor is not one this server gave"), code="bad_cursor")
    return moment


def release_feed(
    session: Session, *, principal: Principal, since: str | None, address: str = ""
) -> ReleaseFeed:
    """Return the releases to the caller that changed after `since` (default: the last ack).

    Each item is a record as released (its fields only), or, for a release revoked since,
    just its number and `revoked: true`: the receiver must delete what it holds.
    """
    recipient = recipient_of(principal)
    ack = session.get(ReleaseAck, recipient.key)
    start = since if since is not None else (ack.cursor if ack is not None else None)
    after = _parse_cursor(start) if start else None
    changed = sorted(
        (
            (_changed_at(release, record), release, record)
            for release, record in _releases(session, recipient)
        ),
        key=lambda item: (item[0], item[1].id),
    )
    if after is not None:
        changed = [item for item in changed if item[0] > after]
    more = len(changed) > FEED_LIMIT
    changed = changed[:FEED_LIMIT]
    # Equal times are not split across two answers: the cursor is the last time given.
    if more:
        last = changed[-1][0]
        changed = [item for item in changed if item[0] < last] or changed
    items: list[dict[str, Any]] = []
    for moment, release, record in changed:
        if _in_force(release, record):
            item = released_record(release, record)
        else:
            item = {"release": release.id, "record": str(record.id), "revoked": True}
        item["changed_at"] = _stamp(moment)
        items.append(item)
    cursor = _stamp(changed[-1][0]) if changed else (start or _stamp(_EPOCH))
    record_event(
        session,
        actor=principal,
        action="releases.read",
        subject_type="recipient",
        subject_id=recipient.key,
        details={"cursor": start, "records": len(items)},
        address=address,
    )
    return ReleaseFeed(items, cursor, ack.cursor if ack is not None else None, more)


def acknowledge(session: Session, *, principal: Principal, cursor: str, address: str = "") -> str:
    """Record that the caller's system stored everything up to a cursor; return it."""
    recipient = recipient_of(principal)
    moment = _parse_cursor(cursor)
    if moment > datetime.now(UTC):
        raise InvalidInput(N_("the cursor is not one this server gave"), code="bad_cursor")
    text = _stamp(moment)
    ack = session.get(ReleaseAck, recipient.key)
    if ack is None:
        session.add(ReleaseAck(recipient=recipient.key, cursor=text))
    else:
        if _parse_cursor(ack.cursor) > moment:
            raise InvalidInput(
                say(N_("records up to {cursor} were acknowledged already"), cursor=ack.cursor),
                code="ack_behind",
            )
        ack.cursor = text
        ack.acked_at = datetime.now(UTC)
    session.flush()
    record_event(
        session,
        actor=principal,
        action="releases.ack",
        subject_type="recipient",
        subject_id=recipient.key,
        details={"cursor": text},
        address=address,
    )
    return text


@dataclass(frozen=True)
class Package:
    """A signed package of released records, ready to hand over."""

    data: bytes
    records: int
    sha256: str


def export_package(session: Session, *, recipient: Recipient) -> Package:
    """Return the signed package of the records released to a recipient, in force now.

    The caller audits (the command line, in its own name).
    """
    records = [
        released_record(release, record)
        for release, record in _releases(session, recipient)
        if _in_force(release, record)
    ]
    manifest = {
        "issuer": "mediator",
        "recipient": recipient.name or recipient.key,
        "created_at": _stamp(datetime.now(UTC)),
    }
    data = build_package(records, manifest, mediator_private_key())
    return Package(data, len(records), hashlib.sha256(data).hexdigest())


def released_record_ids(session: Session, *, recipient: Recipient) -> list[uuid.UUID]:
    """Return the ids of the records released to a recipient and in force."""
    return [r.id for release, r in _releases(session, recipient) if _in_force(release, r)]
