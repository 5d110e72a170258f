"""Load the synthetic demo scenario through the same import path real lists take.

The lists arrive `DEMO_HISTORY` ago (the services stamp their rows by the clock, run from
then): the way home the command hands in (`walk`; demo.way_home) then replays the weeks of
work since, through the same services and flows people use.
"""

from __future__ import annotations

import secrets
import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from reunite.audit.service import record_event
from reunite.auth.service import (
    create_token,
    create_user,
    enrol_second_factor,
    needs_second_factor,
    second_factor_uri,
)
from reunite.db.base import clock_from, utcnow
from reunite.demo.generator import Scenario, generate_scenario, write_csv, write_links
from reunite.demo.inquiries import add_demo_inquiries
from reunite.errors import Conflict
from reunite.exchange.service import import_list
from reunite.jobs.service import enqueue, queued_jobs
from reunite.parties.models import Party
from reunite.parties.service import add_party
from reunite.records.models import Record

MEDIATOR = "Neutral Mediator"
REQUESTING = "Ukraine"
CUSTODIAL = "Russian Federation"
LOCAL_NAMES = {
    MEDIATOR: {"uk": "Нейтральний посередник", "ru": "Нейтральный посредник"},
    REQUESTING: {"uk": "Україна", "ru": "Украина"},
    CUSTODIAL: {"uk": "Російська Федерація", "ru": "Российская Федерация"},
}

# How long ago the demo's lists arrived: the history of the cases fills the time since.
DEMO_HISTORY = timedelta(days=300)

# One account per role (two caseworkers): (username, role, party, display name, language).
DEMO_USERS = (
    ("demo-admin", "admin", MEDIATOR, "Demo mediator admin", "en"),
    ("demo-caseworker", "caseworker", MEDIATOR, "Demo caseworker", "en"),
    # A second caseworker: the steps one caseworker asks for, another approves (four eyes).
    ("demo-caseworker-2", "caseworker", MEDIATOR, "Demo caseworker (second)", "uk"),
    ("demo-liaison-requesting", "liaison", REQUESTING, "Demo liaison (requesting)", "uk"),
    ("demo-liaison-custodial", "liaison", CUSTODIAL, "Demo liaison (custodial)", "ru"),
    ("demo-family", "family", REQUESTING, "Demo family member", "uk"),
    ("demo-adult", "adult", None, "Demo adult", "en"),
    ("demo-auditor", "auditor", MEDIATOR, "Demo auditor", "en"),
)


@dataclass(frozen=True)
class DemoCredential:
    """A demo account as given to the person who loaded the demo: the only copy in clear."""

    username: str
    password: str
    role: str
    party: str | None
    token: str
    # The mediator's staff log in with a TOTP code too: the secret for an authenticator app.
    totp_secret: str | None = None
    totp_uri: str | None = None


@dataclass
class DemoOutcome:
    """What loading the demo did: lines to print, and the accounts it created."""

    lines: list[str] = field(default_factory=list)
    credentials: list[DemoCredential] = field(default_factory=list)
    skipped: bool = False


class Walk(Protocol):
    """Work replayed on freshly loaded demo data (demo.way_home.walk_home); returns lines."""

    def __call__(
        self, session: Session, *, scenario: Scenario, started: datetime, seed: int
    ) -> list[str]: ...


def load_demo(
    session: Session,
    *,
    seed: int = 2022,
    n_requests: int = 2000,
    n_disclosures: int = 3000,
    skip_if_present: bool = False,
    truth_out: Path | None = None,
    today: date | None = None,
    walk: Walk | None = None,
) -> DemoOutcome:
    """Create the three parties, import generated lists, create one user per role.

    With `walk` (the command gives demo.way_home.walk_home), the cases then go part of the
    way home. A service does not import flows, which the walk uses: hence handed in.
    """
    has_data = (session.scalar(select(func.count()).select_from(Party)) or 0) > 0 or (
        session.scalar(select(func.count()).select_from(Record)) or 0
    ) > 0
    if has_data:
        if skip_if_present:
            return DemoOutcome(
                lines=[
                    "the database already holds data; demo data not loaded again",
                    "demo users not created again (their passwords were shown only once)",
                ],
                skipped=True,
            )
        raise Conflict("the demo fills an empty database only; this one already holds data")
    scenario = generate_scenario(
        seed=seed,
        n_children=max(n_requests, n_disclosures),
        n_requests=n_requests,
        n_disclosures=n_disclosures,
        today=today or date.today(),
    )
    started = utcnow() - DEMO_HISTORY
    with clock_from(started):
        outcome = _load_lists(session, scenario)
        outcome.credentials = create_demo_users(session)
    outcome.lines.append(f"demo users: {len(outcome.credentials)}, each with a token")
    if walk is not None:
        outcome.lines += walk(session, scenario=scenario, started=started, seed=seed)
    outcome.lines += add_demo_inquiries(session, today=today)
    # The review queue should fill as soon as the server runs; importing a batch queues a
    # matching run, and one more would only repeat it.
    if not queued_jobs(session, kind="match"):
        enqueue(session, kind="match", payload={})
    outcome.lines.append("matching queued: `reunite serve` runs it and fills the review queue")
    if truth_out is not None:
        write_links(scenario.links, truth_out)
        outcome.lines.append(f"true links written to {truth_out} (for benchmarks; not stored)")
    return outcome


def _load_lists(session: Session, scenario: Scenario) -> DemoOutcome:
    """Create the parties and import both parties' lists."""
    add_party(session, name=MEDIATOR, role="mediator", local_names=LOCAL_NAMES[MEDIATOR])
    requesting = add_party(
        session, name=REQUESTING, role="requesting", local_names=LOCAL_NAMES[REQUESTING]
    )
    custodial = add_party(
        session, name=CUSTODIAL, role="custodial", local_names=LOCAL_NAMES[CUSTODIAL]
    )
    outcome = DemoOutcome(
        lines=[
            f"parties: {MEDIATOR} (mediator), {REQUESTING} (requesting), {CUSTODIAL} (custodial)"
        ]
    )
    with tempfile.TemporaryDirectory(prefix="reunite-demo-") as folder:
        for party, kind, rows in (
            (requesting, "requests", scenario.requests),
            (custodial, "disclosures", scenario.disclosures),
        ):
            path = Path(folder) / f"demo-{kind}.csv"
            write_csv(rows, path)
            report = import_list(session, path=path, party=party, kind=kind)
            outcome.lines.append(report.summary())
    return outcome


def create_demo_users(session: Session) -> list[DemoCredential]:
    """Create the demo's accounts with random passwords and API tokens; audit each."""
    credentials = []
    for username, role, party, display_name, language in DEMO_USERS:
        # Random per installation: a demo reachable from a network must not share passwords.
        password = secrets.token_urlsafe(15)
        user = create_user(
            session,
            username=username,
            password=password,
            role=role,
            party_name=party if role in ("liaison", "family") else None,
            display_name=display_name,
            language=language,
        )
        secret, token = create_token(session, username=username, label="demo")
        record_event(
            session,
            actor=None,
            actor_name="demo",
            action="user.create",
            subject_type="user",
            subject_id=str(user.id),
            details={"username": username, "role": role, "party": party or ""},
        )
        record_event(
            session,
            actor=None,
            actor_name="demo",
            action="token.create",
            subject_type="token",
            subject_id=str(token.id),
            details={"username": username, "prefix": token.prefix, "label": "demo"},
        )
        totp_secret = totp_uri = None
        if needs_second_factor(user):
            totp_secret, _user = enrol_second_factor(session, username=username)
            totp_uri = second_factor_uri(user, totp_secret)
            record_event(
                session,
                actor=None,
                actor_name="demo",
                action="user.second_factor",
                subject_type="user",
                subject_id=str(user.id),
                details={"username": username},
            )
        credentials.append(
            DemoCredential(username, password, role, party, secret, totp_secret, totp_uri)
        )
    return credentials
