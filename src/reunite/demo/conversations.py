"""The demo's channel: conversations between children and families in every state, and calls.

Run after the way home, through the channel's own services with the clock run from past
moments (db.base.clock_from), so that every page of the channel shows something real at first
start: the mediator's queue (one message waiting longer than it should), a liaison's
deliveries, messages returned with a reason, delivered, read, a draft; calls held, not held,
asked for. The demo family account is given two of the requests: one whose case is open for
messages, one still being traced.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from reunite.auth.models import User
from reunite.auth.principal import Principal
from reunite.auth.service import principal_of
from reunite.cases.enums import CaseStatus, Track
from reunite.cases.models import Case
from reunite.channel import service as channel
from reunite.channel.service._messages import NewMessage
from reunite.channel.service._sides import OPEN_STATUSES
from reunite.db.base import clock_from, utcnow
from reunite.records.models import Record

DAY = timedelta(days=1)
# Family news as people write it: short, warm, nothing that says where anyone is.
TO_CHILD = (
    "Сонечко, ми тебе дуже любимо і чекаємо вдома. Бабуся передає привіт!",
    "Ми здорові. Кіт Мурчик теж чекає на тебе. Цілуємо міцно!",
    "Твій брат виріс, вже ходить до школи. Ми скучили за тобою.",
    "Dear, we are well and waiting for you. Grandma sends her love.",
)
TO_FAMILY = (
    "Мамо, я здорова і дуже сумую. Скоро побачимось!",
    "У мене все добре, я ходжу до школи. Люблю вас.",
    "Папа, я помню наш дом. Жду встречи.",
)
# What a moderator returns: an address and a phone number must not pass.
RISKY = "Ми тепер живемо на вул. Шевченка 12, дзвони +380 67 123 45 67"


@contextmanager
def _at(moment: datetime) -> Iterator[None]:
    with clock_from(moment):
        yield


def _principal(session: Session, username: str) -> Principal:
    user = session.scalar(select(User).where(User.username == username))
    assert user is not None, username
    return principal_of(session, user)


def _open_cases(session: Session) -> list[Case]:
    """Cases of children in the custodial party's care whose channel is open (minors)."""
    return list(
        session.scalars(
            select(Case)
            .where(
                Case.status.in_(sorted(OPEN_STATUSES)),
                Case.track == Track.MINOR,
                Case.disclosed_id.is_not(None),
            )
            .order_by(Case.id)
        )
    )


def _give_family(session: Session, case: Case, family: User) -> None:
    """The demo family member is the one who filed this case's request (as through the form)."""
    request = session.get(Record, case.request_id)
    assert request is not None
    request.filed_by_user_id = family.id
    session.flush()


class _Talk:
    """The demo's people writing, moderating and delivering, each at a moment."""

    def __init__(self, session: Session, now: datetime) -> None:
        self.session = session
        self.now = now
        self.staff = _principal(session, "demo-caseworker")
        self.requesting = _principal(session, "demo-liaison-requesting")
        self.custodial = _principal(session, "demo-liaison-custodial")

    def write(self, who: Principal, case: Case, text: str, days_ago: float, **form: str) -> int:
        names = ("Мама", "Оля") if who is not self.custodial else ("Оля", "Мама")
        with _at(self.now - days_ago * DAY):
            message = channel.write_message(
                self.session,
                principal=who,
                case_id=case.id,
                form=NewMessage(text=text, sender_name=names[0], recipient_name=names[1]),
                submit=form.get("draft") != "yes",
            )
        return message.id

    def approve(self, message_id: int, days_ago: float) -> None:
        with _at(self.now - days_ago * DAY):
            channel.approve_message(self.session, principal=self.staff, message_id=message_id)

    def send_back(self, message_id: int, days_ago: float) -> None:
        with _at(self.now - days_ago * DAY):
            channel.return_message(
                self.session, principal=self.staff, message_id=message_id,
                reason="an address and a phone number must not be sent; please write without them",
            )  # fmt: skip

    def deliver(self, message_id: int, days_ago: float, *, read: bool) -> None:
        with _at(self.now - days_ago * DAY):
            channel.deliver_message(
                self.session, principal=self.custodial, message_id=message_id, read=read
            )


def converse(session: Session, *, seed: int) -> list[str]:
    """Fill the channel of a few open cases; give the demo family two requests; return lines."""
    family = session.scalar(select(User).where(User.username == "demo-family"))
    cases = _open_cases(session)
    traced = session.scalars(
        select(Case)
        .where(Case.status == CaseStatus.TRACING, Case.request_id.is_not(None))
        .order_by(Case.id)
    ).first()
    if family is None or len(cases) < 3 or traced is None:
        return ["channel: too few open cases for conversations"]
    rng = random.Random(f"conversations:{seed}")
    now = utcnow()
    talk = _Talk(session, now)
    own = cases[0]
    _give_family(session, own, family)
    _give_family(session, traced, family)
    mother = principal_of(session, family)

    # The demo family's own conversation: every state a sender sees.
    read = talk.write(mother, own, TO_CHILD[0], 20)
    talk.approve(read, 19.5)
    talk.deliver(read, 18, read=True)
    returned = talk.write(mother, own, RISKY, 12)
    talk.send_back(returned, 11.8)
    reply = talk.write(talk.custodial, own, TO_FAMILY[0], 10)
    talk.approve(reply, 9.9)  # delivered at once: the family reads in Reunite
    delivered = talk.write(mother, own, TO_CHILD[1], 4)
    talk.approve(delivered, 3.9)
    talk.deliver(delivered, 3, read=False)
    talk.write(mother, own, TO_CHILD[2], 0.2)  # waiting for the mediator
    talk.write(mother, own, "Оленько, пишу тобі ще раз…", 0.1, draft="yes")
    with _at(now - 15 * DAY):
        held = channel.request_call(
            session, principal=mother, case_id=own.id, note="after school, please"
        )
    with _at(now - 14 * DAY):
        channel.propose_call(session, principal=talk.staff, call_id=held.id, when=now - 10 * DAY)
    with _at(now - 13 * DAY):
        channel.agree_call(session, principal=talk.custodial, call_id=held.id)
    with _at(now - 10 * DAY + timedelta(hours=1)):
        channel.record_call(
            session, principal=talk.custodial, call_id=held.id, held=True,
            note="25 minutes, video; the child's educator was present",
        )  # fmt: skip
    with _at(now - 1 * DAY):
        channel.request_call(session, principal=mother, case_id=own.id, note="on a weekend")

    # Other families, through the requesting party's liaison (no account of their own).
    for number, case in enumerate(cases[1:6], start=1):
        first = talk.write(talk.requesting, case, rng.choice(TO_CHILD), 9 + number)
        talk.approve(first, 8.5 + number)
        if number % 2:
            talk.deliver(first, 8 + number, read=True)
            answer = talk.write(talk.custodial, case, rng.choice(TO_FAMILY), 6 + number)
            talk.approve(answer, 5.5 + number)  # the requesting party delivers it
        # else: approved, waiting for the custodial liaison to deliver it
    stale = talk.write(talk.requesting, cases[1], rng.choice(TO_CHILD), 5)  # waits too long
    not_held_case = cases[2]
    with _at(now - 8 * DAY):
        call = channel.request_call(
            session, principal=talk.requesting, case_id=not_held_case.id, note=""
        )
        channel.propose_call(session, principal=talk.staff, call_id=call.id, when=now - 6 * DAY)
        channel.agree_call(session, principal=talk.custodial, call_id=call.id)
    with _at(now - 6 * DAY + timedelta(hours=2)):
        channel.record_call(
            session, principal=talk.staff, call_id=call.id, held=False,
            note="the institution's line was down; to be arranged again",
        )  # fmt: skip
    assert stale
    return [
        f"channel: conversations on {min(len(cases), 6)} cases in every state, calls held and "
        f"not held; demo-family follows case {own.id} (open for messages) and case "
        f"{traced.id} (being traced)"
    ]
