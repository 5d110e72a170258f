"""Load the synthetic demo scenario through the same import path real lists take."""

from __future__ import annotations

import secrets
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from reunite.audit.service import record_event
from reunite.auth.service import create_token, create_user
from reunite.demo.generator import generate_scenario, write_csv, write_links
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

# One account per role: (username, role, party, display name, language).
DEMO_USERS = (
    ("demo-admin", "admin", MEDIATOR, "Demo mediator admin", "en"),
    ("demo-caseworker", "caseworker", MEDIATOR, "Demo caseworker", "en"),
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


@dataclass
class DemoOutcome:
    """What loading the demo did: lines to print, and the accounts it created."""

    lines: list[str] = field(default_factory=list)
    credentials: list[DemoCredential] = field(default_factory=list)
    skipped: bool = False


def load_demo(
    session: Session,
    *,
    seed: int = 2022,
    n_requests: int = 2000,
    n_disclosures: int = 3000,
    skip_if_present: bool = False,
    truth_out: Path | None = None,
    today: date | None = None,
) -> DemoOutcome:
    """Create the three parties, import generated lists, create one user per role."""
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
    outcome.credentials = create_demo_users(session)
    outcome.lines.append(f"demo users: {len(outcome.credentials)}, one per role, each with a token")
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


def create_demo_users(session: Session) -> list[DemoCredential]:
    """Create one account per role with a random password and an API token; audit each."""
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
        credentials.append(DemoCredential(username, password, role, party, secret))
    return credentials
