"""Attaching files to records and cases, and reading them under need to know.

Who may add: the mediator's staff, to any record or case; a party's liaison, to its own
party's records (its lists' evidence, one by one or in a ZIP with the list). Who may see:

- a record's attachments: whoever sees the whole record (staff, the sending party, the
  family that filed the request, an adult's own case records); the recipient of a release,
  only its photos, and only when the release carries the field "photo";
- a case's attachments: whoever may see the case (`cases.access`); a family member, only its
  photos (reports about the child are for the teams and the child, not the family's account).

Anything else does not exist for the caller (404). Every download is audited, and so is a
refused one; so is every attachment added.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, false, or_, select, true
from sqlalchemy.orm import Session

from reunite.attachments.enums import EXTENSIONS, RELEASED_KINDS, AttachmentKind, FileType
from reunite.attachments.files import CheckedFile, check_file
from reunite.attachments.models import Attachment
from reunite.attachments.store import AttachmentStore, default_store
from reunite.audit.service import record_event, record_refusal
from reunite.auth.principal import Principal
from reunite.cases.access import get_visible_case, visible_cases
from reunite.cases.models import Case
from reunite.errors import InvalidInput, NotFound
from reunite.records.access import (
    RECORD_READERS,
    get_visible_record,
    parse_record_id,
    released_fields,
    sees_whole_record,
)
from reunite.records.models import Record
from reunite.settings import get_settings

# Control characters and path separators never reach a shown name.
_UNSHOWN = re.compile(r"[\x00-\x1f\x7f/\\]+")


def max_attachment_bytes() -> int:
    """Return the largest attachment accepted, from the settings."""
    return get_settings().max_attachment_mb * 1024 * 1024


def shown_name(name: str) -> str:
    """Return a sender's file name as it is kept and shown: its last part, no control marks."""
    last = name.replace("\\", "/").rsplit("/", 1)[-1]
    return _UNSHOWN.sub("_", last).strip()[:300] or "file"


@dataclass(frozen=True)
class Stored:
    """An attachment kept: its row, and whether it was new (or the same file again)."""

    attachment: Attachment
    new: bool


def store_checked(
    session: Session,
    *,
    checked: CheckedFile,
    name: str,
    kind: str,
    record_id: uuid.UUID | None = None,
    case_id: int | None = None,
    batch_id: int | None = None,
    added_by: int | None = None,
    store: AttachmentStore | None = None,
) -> Stored:
    """Keep a checked file in the store and attach it; the same file twice is one row."""
    if (record_id is None) == (case_id is None):
        raise ValueError("an attachment belongs to one record or one case")
    store = store or default_store()
    sha256 = store.put(checked.data)
    owner = (
        Attachment.record_id == record_id
        if record_id is not None
        else Attachment.case_id == case_id
    )
    existing = session.scalar(select(Attachment).where(owner, Attachment.sha256 == sha256))
    if existing is not None:
        return Stored(existing, new=False)
    attachment = Attachment(
        sha256=sha256,
        kind=kind,
        content_type=checked.file_type.value,
        size=len(checked.data),
        original_name=shown_name(name),
        record_id=record_id,
        case_id=case_id,
        batch_id=batch_id,
        added_by=added_by,
    )
    session.add(attachment)
    session.flush()
    return Stored(attachment, new=True)


def _may_add_to_record(principal: Principal, record: Record) -> bool:
    if principal.is_staff:
        return True
    return principal.role == "liaison" and record.party_id == principal.party_id


def attach_to_record(
    session: Session,
    *,
    principal: Principal,
    record_id: str,
    data: bytes,
    name: str,
    kind: str,
    address: str = "",
    store: AttachmentStore | None = None,
) -> Stored:
    """Check a file and attach it to a record (staff, or the liaison of the record's party)."""
    if principal.role not in RECORD_READERS:
        raise NotFound("no such record")
    record = get_visible_record(session, principal=principal, record_id=parse_record_id(record_id))
    if not _may_add_to_record(principal, record):
        raise NotFound("no such page")
    checked = _checked(session, principal, data=data, name=name, kind=kind, address=address)
    stored = store_checked(
        session,
        checked=checked,
        name=name,
        kind=kind,
        record_id=record.id,
        added_by=principal.user_id,
        store=store,
    )
    _audit_added(session, principal, stored, address=address)
    return stored


def attach_to_case(
    session: Session,
    *,
    principal: Principal,
    case_id: int,
    data: bytes,
    name: str,
    kind: str,
    address: str = "",
    store: AttachmentStore | None = None,
) -> Stored:
    """Check a file and attach it to a case (the mediator's staff only)."""
    case = get_visible_case(session, principal=principal, case_id=case_id)
    if not principal.is_staff:
        raise NotFound("no such page")
    checked = _checked(session, principal, data=data, name=name, kind=kind, address=address)
    stored = store_checked(
        session,
        checked=checked,
        name=name,
        kind=kind,
        case_id=case.id,
        added_by=principal.user_id,
        store=store,
    )
    _audit_added(session, principal, stored, address=address)
    return stored


def _checked(
    session: Session, principal: Principal, *, data: bytes, name: str, kind: str, address: str
) -> CheckedFile:
    try:
        return check_file(data, name=shown_name(name), kind=kind, max_bytes=max_attachment_bytes())
    except InvalidInput as exc:
        record_refusal(
            session,
            actor=principal,
            action="attachment.refused",
            subject_type="file",
            details={"filename": shown_name(name), "kind": kind, "why": exc.detail},
            address=address,
        )
        raise


def _audit_added(session: Session, principal: Principal, stored: Stored, *, address: str) -> None:
    attachment = stored.attachment
    record_event(
        session,
        actor=principal,
        action="attachment.add",
        subject_type="attachment",
        subject_id=str(attachment.id),
        details={
            "record": str(attachment.record_id) if attachment.record_id else None,
            "case": attachment.case_id,
            "kind": attachment.kind,
            "filename": attachment.original_name,
            "already_attached": not stored.new,
        },
        address=address,
    )


def record_attachments(
    session: Session, *, principal: Principal, record: Record
) -> list[Attachment]:
    """Return the attachments of a record the caller sees (the caller already read the record)."""
    statement = select(Attachment).where(Attachment.record_id == record.id)
    if not sees_whole_record(principal, record):
        if "photo" not in released_fields(session, principal=principal, record=record):
            return []
        statement = statement.where(Attachment.kind.in_(RELEASED_KINDS))
    return list(session.scalars(statement.order_by(Attachment.id)))


def case_attachments(session: Session, *, principal: Principal, case_id: int) -> list[Attachment]:
    """Return the attachments of a case the caller may see, oldest first (else "not found")."""
    case = get_visible_case(session, principal=principal, case_id=case_id)
    statement = select(Attachment).where(Attachment.case_id == case.id, _case_kinds(principal))
    return list(session.scalars(statement.order_by(Attachment.id)))


def _case_kinds(principal: Principal) -> ColumnElement[bool]:
    """Which of a visible case's attachments a caller sees: all, or a family's photos only."""
    if principal.is_staff or principal.role == "liaison":
        return true()
    photos = Attachment.kind.in_(RELEASED_KINDS)
    if principal.role == "adult":
        # Their own case's reports are about them: an adult sees them all.
        own = select(Case.id).where(
            Case.id == Attachment.case_id, Case.adult_user_id == principal.user_id
        )
        return or_(photos, own.exists())
    if principal.role == "family":
        return photos
    return false()


@dataclass(frozen=True)
class Download:
    """A file as it is sent: its row, its bytes, and the name to save it under."""

    attachment: Attachment
    data: bytes
    filename: str


def open_attachment(
    session: Session,
    *,
    principal: Principal,
    attachment_id: int,
    address: str = "",
    store: AttachmentStore | None = None,
) -> Download:
    """Return an attachment's bytes if the caller may see it, and audit the view."""
    try:
        attachment = _visible_attachment(session, principal, attachment_id)
    except NotFound:
        record_refusal(
            session,
            actor=principal,
            action="attachment.read.refused",
            subject_type="attachment",
            subject_id=str(attachment_id),
            details={"why": "not visible to the caller"},
            address=address,
        )
        raise
    data = (store or default_store()).read(attachment.sha256)
    record_event(
        session,
        actor=principal,
        action="attachment.read",
        subject_type="attachment",
        subject_id=str(attachment.id),
        details={
            "record": str(attachment.record_id) if attachment.record_id else None,
            "case": attachment.case_id,
            "kind": attachment.kind,
        },
        address=address,
    )
    return Download(attachment, data, download_name(attachment))


def _visible_attachment(session: Session, principal: Principal, attachment_id: int) -> Attachment:
    if principal.role not in RECORD_READERS:
        raise NotFound("no such attachment")
    attachment = session.get(Attachment, attachment_id)
    if attachment is None:
        raise NotFound("no such attachment")
    if attachment.record_id is not None:
        try:
            record = get_visible_record(
                session, principal=principal, record_id=attachment.record_id
            )
        except NotFound:
            raise NotFound("no such attachment") from None
        if attachment not in record_attachments(session, principal=principal, record=record):
            raise NotFound("no such attachment")
        return attachment
    visible = session.scalar(
        select(Attachment.id)
        .join(Case, Case.id == Attachment.case_id)
        .where(Attachment.id == attachment.id, visible_cases(principal), _case_kinds(principal))
    )
    if visible is None:
        raise NotFound("no such attachment")
    return attachment


def download_name(attachment: Attachment) -> str:
    """Return the name a download is saved under: its kind and number, the detected type's
    extension (never the sender's name, which could claim another type)."""
    extension = EXTENSIONS[FileType(attachment.content_type)]
    return f"{attachment.kind}-{attachment.id}{extension}"


def kind_labels() -> dict[str, str]:
    """Return code → label of the kinds of attachment (for forms)."""
    return AttachmentKind.labels()


def audit_listing(
    session: Session,
    *,
    principal: Principal,
    attachments: Iterable[Attachment],
    record_id: uuid.UUID | None = None,
    case_id: int | None = None,
    address: str = "",
) -> None:
    """Audit a list of attachments read through the API (what was listed, of what)."""
    record_event(
        session,
        actor=principal,
        action="attachments.list",
        subject_type="record" if record_id is not None else "case",
        subject_id=str(record_id) if record_id is not None else str(case_id),
        details={"results": len(list(attachments))},
        address=address,
    )


def forget_unused_files(
    session: Session, *, store: AttachmentStore | None = None, older_than: float = 3600.0
) -> int:
    """Delete stored files no attachment refers to (left by a transaction rolled back).

    Files younger than `older_than` seconds are kept: their transaction may not have
    committed yet.
    """
    store = store or default_store()
    used = set(session.scalars(select(Attachment.sha256).distinct()))
    removed = 0
    for sha256 in store.hashes() - used:
        if store.age(sha256) >= older_than:
            store.remove(sha256)
            removed += 1
    return removed
