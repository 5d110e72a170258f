"""The "mail" job: one short e-mail per person with unread news, never a detail.

The e-mail says there is news and where to log in, in the person's language. Not a child's
name, not a case number, not the kind of news: an e-mail can be read by anyone who holds the
phone. Notifications e-mailed are marked sent; if the server fails, the rest stay pending
and the job fails with the reason, so the next notification (or `reunite jobs run`) tries again.
"""

from __future__ import annotations

from sqlalchemy import select, update

from reunite.auth.models import User
from reunite.db.base import utcnow
from reunite.jobs.service import JobContext
from reunite.mail import send_mail
from reunite.notifications.enums import MailState
from reunite.notifications.models import Notification
from reunite.settings import get_settings
from reunite.vocabulary import N_, Message, say
from reunite.web.i18n import translate

MAIL_JOB = "mail"

SUBJECT = N_("Reunite: there is news for you")
# The body's paragraphs, each a message of its own.
BODY = (
    N_("There is news for you in Reunite."),
    N_("Log in to read it: {link}"),
    N_("This e-mail says nothing more on purpose: the details are only in Reunite."),
)


def mail_text(language: str, link: str) -> tuple[str, str]:
    """Return the subject and body of the e-mail in a language."""
    body = "\n\n".join(translate(language, paragraph) for paragraph in BODY)
    return translate(language, SUBJECT), body.format(link=link) + "\n"


def send_pending(context: JobContext) -> Message:
    """Send each person with pending notifications one e-mail; mark them sent.

    Each person's notifications are marked in a short transaction of their own right after
    their e-mail left, so a failure later in the run never sends anyone the same news twice.
    """
    settings = get_settings()
    link = settings.public_url.rstrip("/") + "/notifications"
    with context.sessions() as reading:
        waiting = reading.execute(
            select(User.id, User.email, User.language)
            .where(
                User.id.in_(
                    select(Notification.user_id).where(Notification.mail_state == MailState.PENDING)
                )
            )
            .order_by(User.id)
        ).all()
    sent = 0
    for user_id, email, language in waiting:
        with context.sessions.begin() as marking:
            marked = marking.execute(
                update(Notification)
                .where(
                    Notification.user_id == user_id,
                    Notification.mail_state == MailState.PENDING,
                )
                .values(mail_state=MailState.SENT if email else MailState.NONE, mailed_at=utcnow())
            ).rowcount  # type: ignore[attr-defined]
            if email and marked:
                subject, body = mail_text(language or "en", link)
                # Sent inside the transaction: if the server refuses, nothing is marked sent.
                send_mail(settings, to=email, subject=subject, body=body)
                sent += 1
    return say(N_("sent {count} e-mail(s)"), count=sent)
