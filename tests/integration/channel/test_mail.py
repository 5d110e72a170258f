"""Notification e-mail through a real SMTP server this test starts: news, and never a detail.

The walk runs in committed transactions and the "mail" job runs in `reunite jobs run --once`,
its own process, as an operator's cron would run it.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from email import message_from_bytes
from email.message import Message as Email
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope
from aiosmtpd.smtp import Session as SmtpSession
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from integration.cases.conftest import Ways
from reunite.auth.models import User
from reunite.channel import service as channel
from reunite.channel.service._messages import NewMessage
from reunite.db.engine import session_factory, transaction
from reunite.jobs.models import Job
from reunite.notifications.models import Notification
from reunite.settings import get_settings

from world import build_world

SECRET_TEXT = "Оленко, бабуся Галина чекає тебе в Запоріжжі"


class Inbox:
    """What the SMTP server received."""

    def __init__(self) -> None:
        self.mails: list[tuple[list[str], Email]] = []

    async def handle_DATA(self, _server: SMTP, _session: SmtpSession, envelope: Envelope) -> str:
        assert isinstance(envelope.content, bytes)
        self.mails.append((list(envelope.rcpt_tos), message_from_bytes(envelope.content)))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def inbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[Inbox]:
    received = Inbox()
    port = _free_port()
    controller = Controller(received, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        monkeypatch.setenv("REUNITE_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("REUNITE_SMTP_PORT", str(port))
        monkeypatch.setenv("REUNITE_SMTP_TLS", "none")
        monkeypatch.setenv("REUNITE_PUBLIC_URL", "https://reunite.example.org")
        get_settings.cache_clear()
        yield received
    finally:
        controller.stop()
        get_settings.cache_clear()


def _run_jobs_once() -> str:
    done = subprocess.run(
        [str(Path(sys.executable).with_name("reunite")), "jobs", "run", "--once"],
        capture_output=True, text=True, timeout=300, env=dict(os.environ), check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_the_family_is_emailed_that_there_is_news_and_nothing_else(
    configured: str, engine: Engine, inbox: Inbox, tmp_path: Path
) -> None:
    sessions = session_factory(engine)
    with transaction(sessions) as session:
        world = build_world(session, tmp_path)
        family = session.get(User, world.users["family"].id)
        assert family is not None
        family.email = "olena@example.org"
        family.language = "uk"
    with transaction(sessions) as session:
        ways = Ways(session, world, tmp_path)
        ways.world.principals["caseworker2"] = ways.who("admin")  # the second approver
        case = ways.verify(ways.locate())
        message = channel.write_message(
            session, principal=ways.who("family"), case_id=case.id,
            form=NewMessage(text=SECRET_TEXT, sender_name="Мама", recipient_name="Олена"),
        )  # fmt: skip
        channel.approve_message(session, principal=ways.who("caseworker"), message_id=message.id)
        channel.deliver_message(
            session, principal=ways.who("liaison_custodial"), message_id=message.id
        )
        case_id = case.id
    _run_jobs_once()
    to_family = [mail for to, mail in inbox.mails if to == ["olena@example.org"]]
    assert len(to_family) == 1, inbox.mails
    mail = to_family[0]
    body = mail.get_payload(decode=True)
    assert isinstance(body, bytes)
    text = body.decode(mail.get_content_charset() or "utf-8")
    assert "https://reunite.example.org/notifications" in text
    assert "Reunite" in str(mail["Subject"]) and "Reunite" in text
    # In the person's language, and without a single detail.
    assert "Увійдіть" in text
    everything = str(mail["Subject"]) + text
    for detail in ("Оленко", "Олена", "Галина", "Запоріжж", "Мама", str(case_id), "Лисенко"):
        assert detail not in everything, detail
    with Session(engine) as session:
        states = set(session.scalars(select(Notification.mail_state)))
        assert "pending" not in states
        (mail_job,) = session.scalars(select(Job).where(Job.kind == "mail"))
        assert mail_job.status == "done"
    # Nothing new: running the jobs again sends nothing twice.
    _run_jobs_once()
    assert len([m for to, m in inbox.mails if to == ["olena@example.org"]]) == 1


def test_without_an_smtp_host_nobody_is_emailed(
    configured: str, engine: Engine, tmp_path: Path
) -> None:
    sessions = session_factory(engine)
    with transaction(sessions) as session:
        world = build_world(session, tmp_path)
        user = session.get(User, world.users["caseworker"].id)
        assert user is not None
        user.email = "cw@example.org"
    with transaction(sessions) as session:
        ways = Ways(session, world, tmp_path)
        ways.world.principals["caseworker2"] = ways.who("admin")
        case = ways.verify(ways.locate())
        channel.write_message(
            session, principal=ways.who("family"), case_id=case.id,
            form=NewMessage(text="Привіт!", sender_name="Мама", recipient_name="Олена"),
        )  # fmt: skip
    with Session(engine) as session:
        assert set(session.scalars(select(Notification.mail_state))) == {"none"}
        assert list(session.scalars(select(Job).where(Job.kind == "mail"))) == []


def test_an_address_is_set_and_removed_by_the_command_in_its_own_process(
    configured: str, engine: Engine, tmp_path: Path
) -> None:
    with transaction(session_factory(engine)) as session:
        build_world(session, tmp_path)
    reunite = str(Path(sys.executable).with_name("reunite"))

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [reunite, "user", "email", *args], capture_output=True, text=True, timeout=120,
            env=dict(os.environ), check=False,
        )  # fmt: skip

    done = run("family", "olena@example.org")
    assert done.returncode == 0 and "notifications go to olena@example.org" in done.stdout
    refused = run("family", "not an address")
    assert refused.returncode == 2 and "is not an e-mail address" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert run("nobody", "x@example.org").returncode != 0
    with Session(engine) as session:
        user = session.scalar(select(User).where(User.username == "family"))
        assert user is not None and user.email == "olena@example.org"
    assert "no e-mail is sent" in run("family").stdout
    with Session(engine) as session:
        user = session.scalar(select(User).where(User.username == "family"))
        assert user is not None and user.email is None
