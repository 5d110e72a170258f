"""Sending e-mail through the SMTP server the settings name (none by default: no e-mail).

Knows nothing of what is sent: the caller writes the text. Every e-mail Reunite sends says
only that there is news and where to log in (DESIGN.md: no detail leaves by e-mail).
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage

from reunite.settings import Settings

TIMEOUT_SECONDS = 30


class MailNotConfigured(RuntimeError):
    """No SMTP host is set."""


def send_mail(settings: Settings, *, to: str, subject: str, body: str) -> None:
    """Send one plain-text e-mail; raise OSError/SMTPException if the server refuses."""
    if not settings.smtp_host:
        raise MailNotConfigured("no SMTP host is set (REUNITE_SMTP_HOST)")
    message = EmailMessage()
    message["From"] = settings.smtp_sender
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    context = ssl.create_default_context()
    if settings.smtp_tls == "ssl":
        client: smtplib.SMTP = smtplib.SMTP_SSL(
            settings.smtp_host, settings.smtp_port, timeout=TIMEOUT_SECONDS, context=context
        )
    else:
        client = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=TIMEOUT_SECONDS)
    with client:
        if settings.smtp_tls == "starttls":
            client.starttls(context=context)
        if settings.smtp_username:
            client.login(settings.smtp_username, settings.smtp_password)
        client.send_message(message)
