"""A small site to test pages against: the app, a world of records, browsers per user."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from reunite.app import create_app
from reunite.audit.models import AuditEntry
from reunite.auth.models import User
from reunite.auth.service import start_session
from reunite.db.engine import transaction
from reunite.db.migrate import upgrade
from reunite.exchange.models import Batch
from reunite.jobs.models import Job
from reunite.review.models import MatchCandidate
from reunite.web.deps import SESSION_COOKIE
from reunite.wiring import default_engine, default_sessions

from second_factor import fresh_code
from world import PASSWORD, World, build_world

EXPLANATION = [
    ["given_name", "same", 3.2],
    ["surname", "same", 4.1],
    ["father", "same", 1.4],
    ["mother", "missing", 0.0],
    ["birth_date", "exact", 6.3],
    ["sex", "same", 0.2],
    ["birth_place", "similar", -0.8],
]
TOKEN_RE = re.compile(r'name="csrf_token" value="([^"]*)"')


def token_in(html: str) -> str:
    """Return the CSRF token a page put in its first form."""
    found = TOKEN_RE.search(html)
    assert found is not None, "the page has no form with a CSRF token"
    return found.group(1)


def text_of(page: str) -> str:
    """Return a page's text as a person reads it: tags (the marks on data too) removed."""
    return html.unescape(re.sub(r"<[^>]*>", "", page))


@dataclass
class Browser:
    """One browser: its own cookies, and the CSRF token of its session."""

    client: TestClient
    csrf: str = ""

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.client.get(url, **kwargs)

    def post(
        self, url: str, data: dict[str, Any] | None = None, *, token: bool = True, **kwargs: Any
    ) -> httpx.Response:
        form = dict(data or {})
        if token:
            form["csrf_token"] = self.csrf
        return self.client.post(url, data=form, **kwargs)


@dataclass
class Site:
    """The application with a small world: parties, a user per role, records, a candidate."""

    world: World
    candidate_id: int
    other_candidate_id: int
    job_id: int
    requesting_batch: int
    custodial_batch: int
    folder: Path

    def code(self, user: str) -> str:
        """Return a fresh TOTP code of one of the world's staff (a code is good once)."""
        return fresh_code(self.world.totp[user])

    def browser(self, user: str | None = None) -> Browser:
        """Open a browser, logged in as `user` (a session made directly, to save time)."""
        client = TestClient(create_app(), follow_redirects=False)
        if user is None:
            return Browser(client)
        with transaction(default_sessions()) as session:
            account = session.scalar(select(User).where(User.username == user))
            assert account is not None
            secret, web_session = start_session(session, user=account)
            csrf = web_session.csrf_token
        client.cookies.set(SESSION_COOKIE, secret)
        return Browser(client, csrf)


def _batch_of(session: Any, party_id: int) -> int:
    found = session.scalar(select(Batch.id).where(Batch.party_id == party_id).limit(1))
    assert found is not None
    return int(found)


def make_site(tmp_path: Path) -> Site:
    """Migrate the configured database and fill it with the world and two candidates."""
    upgrade(default_engine())
    with transaction(default_sessions()) as session:
        world = build_world(session, tmp_path)
        candidates = [
            MatchCandidate(
                request_id=world.request,
                disclosed_id=disclosed,
                probability=probability,
                engine_decision=decision,
                rival="relative",
                explanation=EXPLANATION,
                status="proposed",
            )
            for disclosed, probability, decision in (
                (world.released, 0.987, "match"),
                (world.disclosure, 0.41, "possible"),
            )
        ]
        session.add_all(candidates)
        session.flush()
        job = session.scalar(select(Job).order_by(Job.id.desc()).limit(1))
        assert job is not None
        return Site(
            world=world,
            candidate_id=candidates[0].id,
            other_candidate_id=candidates[1].id,
            job_id=job.id,
            requesting_batch=_batch_of(session, world.requesting.id),
            custodial_batch=_batch_of(session, world.custodial.id),
            folder=tmp_path,
        )


def count(model: Any, *conditions: Any) -> int:
    """Count rows in the application's database."""
    with transaction(default_sessions()) as session:
        return session.scalar(select(func.count()).select_from(model).where(*conditions)) or 0


def audit_actions(actor: str) -> list[str]:
    """Return the audit actions of one actor, oldest first."""
    with transaction(default_sessions()) as session:
        return list(
            session.scalars(
                select(AuditEntry.action).where(AuditEntry.actor == actor).order_by(AuditEntry.id)
            )
        )


def log_in(
    browser: Browser, username: str, password: str = PASSWORD, *, code: str = ""
) -> httpx.Response:
    """Log in through the form, as a person does (staff give their TOTP `code` too)."""
    form = browser.get("/login")
    assert form.status_code == 200
    fields = {"username": username, "password": password, "csrf_token": token_in(form.text)}
    if code:
        fields["code"] = code
    return browser.post("/login", fields, token=False)
