"""The web application: a visitor sees the way to log in; staff see the registry's figures."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from reunite.app import create_app
from reunite.auth.models import User
from reunite.auth.service import start_session
from reunite.cli import app as cli
from reunite.db.engine import transaction
from reunite.web.deps import SESSION_COOKIE
from reunite.wiring import default_sessions


def test_home_page_shows_visitors_no_figures_and_staff_the_registry(configured: str) -> None:
    runner = CliRunner()
    runner.invoke(cli, ["db", "upgrade"])
    assert runner.invoke(cli, ["demo", "--requests", "40", "--disclosures", "60"]).exit_code == 0
    client = TestClient(create_app())

    visitor = client.get("/")
    assert visitor.status_code == 200 and 'href="/login"' in visitor.text
    assert "count-requests" not in visitor.text and "count-parties" not in visitor.text

    with transaction(default_sessions()) as session:
        user = session.scalar(select(User).where(User.role == "caseworker"))
        assert user is not None
        secret, _web_session = start_session(session, user=user)
    client.cookies.set(SESSION_COOKIE, secret)
    page = client.get("/")
    assert page.status_code == 200
    assert 'id="count-requests">40<' in page.text
    assert 'id="count-disclosures">60<' in page.text
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/openapi.json").status_code == 200
