"""The web application answers with figures from the database."""

from __future__ import annotations

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from reunite.app import create_app
from reunite.cli import app as cli


def test_home_page_shows_registry_figures(configured: str) -> None:
    runner = CliRunner()
    runner.invoke(cli, ["db", "upgrade"])
    assert runner.invoke(cli, ["demo", "--requests", "40", "--disclosures", "60"]).exit_code == 0
    client = TestClient(create_app())

    page = client.get("/")

    assert page.status_code == 200
    assert 'id="count-requests">40<' in page.text
    assert 'id="count-disclosures">60<' in page.text
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/openapi.json").status_code == 200
