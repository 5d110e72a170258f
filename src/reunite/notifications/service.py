"""Notify people that something waits for them; list, count and open their notifications.

A notification says only what kind of thing waits and links to the page where it is; the
page checks need to know again. E-mail goes out from the job worker (`jobs.py`), so that a
slow or absent mail server never holds up the step that caused it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, or_, select, update
from sqlalchemy.orm import Session

from reunite.auth.models import User
from reunite.auth.principal import MEDIATOR_STAFF, Principal
from reunite.db.base import utcnow
from reunite.errors import NotFound
from reunite.jobs.service import enqueue, queued_jobs
from reunite.notifications.enums import MailState, NotificationKind
from reunite.notifications.models import Notification
from reunite.settings import get_settings

MAIL_JOB = "mail"
PAGE = 50


def mail_is_on() -> bool:
    """Tell whether e-mail is configured (off by default: no server, no mail)."""
    return bool(get_settings().smtp_host)


def notify(
    session: Session,
    *,
    kind: str,
    link: str,
    users: Iterable[int] = (),
    staff: bool = False,
    liaisons_of: int | None = None,
) -> int:
    """Tell people something waits for them; return how many were told.

    `users` by account; `staff` every active caseworker and admin of the mediator;
    `liaisons_of` every active liaison of a party.
    """
    NotificationKind(kind)  # an unknown kind is a programming error, caught at once
    chosen = select(User.id, User.email).where(User.active.is_(True))
    wanted = set(users)
    conditions: list[ColumnElement[bool]] = []
    if wanted:
        conditions.append(User.id.in_(wanted))
    if staff:
        conditions.append(User.role.in_(sorted(MEDIATOR_STAFF)))
    if liaisons_of is not None:
        conditions.append((User.role == "liaison") & (User.party_id == liaisons_of))
    if not conditions:
        return 0
    recipients = session.execute(chosen.where(or_(*conditions))).all()
    mailing = mail_is_on()
    pending = False
    for user_id, email in recipients:
        state = MailState.PENDING if mailing and email else MailState.NONE
        pending = pending or state == MailState.PENDING
        session.add(Notification(user_id=user_id, kind=kind, link=link, mail_state=state))
    session.flush()
    if pending and not queued_jobs(session, kind=MAIL_JOB):
        enqueue(session, kind=MAIL_JOB)
    return len(recipients)


def unread_count(session: Session, *, principal: Principal) -> int:
    """Return how many of the caller's notifications are unread (the header's badge)."""
    return (
        session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.user_id == principal.user_id, Notification.read_at.is_(None))
        )
        or 0
    )


@dataclass(frozen=True)
class NotificationList:
    items: list[Notification]
    unread: int


def list_notifications(session: Session, *, principal: Principal) -> NotificationList:
    """Return the caller's latest notifications, unread first."""
    items = list(
        session.scalars(
            select(Notification)
            .where(Notification.user_id == principal.user_id)
            .order_by(Notification.read_at.is_not(None), Notification.id.desc())
            .limit(PAGE)
        )
    )
    return NotificationList(items=items, unread=unread_count(session, principal=principal))


def open_notification(session: Session, *, principal: Principal, notification_id: int) -> str:
    """Mark one of the caller's notifications read and return where it leads."""
    found = session.get(Notification, notification_id)
    if found is None or found.user_id != principal.user_id:
        raise NotFound("no such notification")
    if found.read_at is None:
        found.read_at = utcnow()
        session.flush()
    return found.link


def read_all(session: Session, *, principal: Principal) -> int:
    """Mark all the caller's notifications read; return how many were unread."""
    result = session.execute(
        update(Notification)
        .where(Notification.user_id == principal.user_id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
