"""What was refused is audited too: who, what (file hash, record id), why.

A refusal ends its transaction with a rollback, which would take the audit entry with it; the
entry is written in a transaction of its own. These tests read the log as the auditor does.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from reunite.app import create_app
from reunite.audit.models import AuditEntry
from reunite.audit.service import record_event, record_refusal
from reunite.auth.service import create_token
from reunite.cli import app as cli
from reunite.db.engine import session_factory, transaction
from reunite.db.migrate import upgrade
from reunite.wiring import default_engine, default_sessions

from browsing import Site, make_site
from factories import csv_bytes
from world import build_world

BAD = csv_bytes(["id", "surname", "birth_date"], [["UA-9", "Гнатюк", "31.02.2015"]]).encode()


def _entries(action: str) -> list[AuditEntry]:
    with transaction(default_sessions()) as session:
        return list(
            session.scalars(
                select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
            )
        )


@pytest.fixture
def site(configured: str, tmp_path: Path) -> Site:
    return make_site(tmp_path)


def test_a_read_of_another_partys_record_is_refused_and_audited(site: Site) -> None:
    hidden = site.world.disclosure
    assert site.browser("liaison_requesting").get(f"/records/{hidden}").status_code == 404
    assert site.browser("family").get("/records/not-even-an-id").status_code == 404
    (page, guessed) = _entries("record.read.refused")
    assert (page.actor, page.subject_id) == ("liaison_requesting", str(hidden))
    assert json.loads(page.details)["why"] == "not visible to the caller"
    assert (guessed.actor, guessed.subject_id) == ("family", "not-even-an-id")


def test_a_list_refused_on_the_upload_page_is_audited_with_its_hash(site: Site) -> None:
    browser = site.browser("liaison_requesting")
    refused = browser.client.post(
        "/lists/upload",
        data={"csrf_token": browser.csrf},
        files={"file": ("bad.csv", BAD, "text/csv")},
    )
    assert refused.status_code == 422
    (entry,) = _entries("list.refused")
    details = json.loads(entry.details)
    assert entry.actor == "liaison_requesting"
    assert entry.subject_id == hashlib.sha256(BAD).hexdigest()
    assert details["filename"] == "bad.csv" and details["problems"] == 1
    assert "nothing was stored" in details["why"]
    assert "bad.csv:2: birth_date: impossible birth date" in details["first_problems"][0]


def test_a_list_of_the_wrong_kind_or_with_bad_rows_refused_by_the_api_is_audited(
    configured: str, tmp_path: Path
) -> None:
    upgrade(default_engine())
    with transaction(default_sessions()) as session:
        build_world(session, tmp_path)
        token, _ = create_token(session, username="liaison_requesting")
    client = TestClient(create_app())
    headers = {"Authorization": f"Bearer {token}"}
    good = csv_bytes(["id", "surname"], [["RU-7", "Смирнов"]]).encode()
    wrong = client.post(
        "/api/v1/lists",
        headers=headers,
        data={"kind": "disclosures"},
        files={"file": ("theirs.csv", good, "text/csv")},
    )
    assert wrong.status_code == 422 and "it sends tracing requests" in wrong.json()["detail"]
    bad = client.post(
        "/api/v1/lists",
        headers=headers,
        data={"kind": "requests"},
        files={"file": ("bad.csv", BAD, "text/csv")},
    )
    assert bad.status_code == 422
    first, second = _entries("list.refused")
    assert first.subject_id == hashlib.sha256(good).hexdigest()
    assert "is the requesting party" in json.loads(first.details)["why"]
    assert second.subject_id == hashlib.sha256(BAD).hexdigest()


def test_a_list_refused_on_the_command_line_is_audited(configured: str, tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["db", "upgrade"]).exit_code == 0
    assert runner.invoke(cli, ["party", "add", "Ukraine", "--role", "requesting"]).exit_code == 0
    path = tmp_path / "bad.csv"
    path.write_bytes(BAD)
    result = runner.invoke(cli, ["import", str(path), "--party", "Ukraine", "--kind", "requests"])
    assert result.exit_code == 2
    (entry,) = _entries("list.refused")
    assert entry.actor.startswith("cli:") and entry.subject_id == hashlib.sha256(BAD).hexdigest()
    assert "batches" not in result.output and _entries("list.import") == []


def test_a_savepoint_rolled_back_takes_its_entries_but_not_its_refusals(engine: Engine) -> None:
    with Session(engine) as session, session.begin():
        record_event(session, actor=None, actor_name="t", action="login")
        savepoint = session.begin_nested()
        record_event(session, actor=None, actor_name="t", action="records.list")
        record_refusal(session, actor=None, actor_name="t", action="record.read.refused")
        savepoint.rollback()
        record_event(session, actor=None, actor_name="t", action="logout")
    with Session(engine) as session:
        actions = list(session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert actions == ["login", "record.read.refused", "logout"]


def test_a_transaction_rolled_back_keeps_only_its_refusals(engine: Engine) -> None:
    factory = session_factory(engine)
    with pytest.raises(RuntimeError), transaction(factory) as session:
        record_event(session, actor=None, actor_name="t", action="login")
        record_refusal(session, actor=None, actor_name="t", action="list.refused")
        raise RuntimeError("the request failed")
    with factory() as session:
        actions = list(session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert actions == ["list.refused"]
