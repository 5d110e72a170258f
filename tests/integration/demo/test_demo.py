"""`reunite demo`: demo data, accounts for every role, their credentials, and a queued match."""

from __future__ import annotations

import json
import stat
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from typer.testing import CliRunner

from reunite.app import create_app
from reunite.audit.models import AuditEntry
from reunite.auth.enums import Role
from reunite.auth.models import User
from reunite.auth.service import authenticate
from reunite.cli import app
from reunite.db.engine import transaction
from reunite.jobs.models import Job
from reunite.parties.models import Party
from reunite.sharing.models import Release
from reunite.wiring import default_sessions

from second_factor import fresh_code

runner = CliRunner()
DEMO = ["demo", "--requests", "40", "--disclosures", "60"]


def _load(tmp_path: Path) -> tuple[str, list[dict[str, str | None]], Path]:
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    out = tmp_path / "credentials.json"
    result = runner.invoke(app, [*DEMO, "--credentials-out", str(out)])
    assert result.exit_code == 0, result.output
    return result.output, json.loads(out.read_text(encoding="utf-8")), out


def test_demo_creates_accounts_for_every_role_and_writes_their_credentials(
    configured: str, tmp_path: Path
) -> None:
    output, credentials, out = _load(tmp_path)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert sorted({c["role"] for c in credentials}) == sorted(Role.values())
    # One per role, and a second caseworker: one asks for a step, the other approves it.
    roles = [str(c["role"]) for c in credentials]
    assert len(credentials) == 8 and roles.count("caseworker") == 2
    fields = {"username", "password", "role", "party", "token", "totp_secret", "totp_uri"}
    assert all(set(c) == fields for c in credentials)
    # The mediator's staff, and only they, have a second factor for an authenticator app.
    staff = [c for c in credentials if c["role"] in ("admin", "caseworker")]
    assert all(str(c["totp_uri"]).startswith("otpauth://totp/Reunite:") for c in staff)
    assert all(c["totp_secret"] is None for c in credentials if c not in staff)
    liaisons = {c["party"] for c in credentials if c["role"] == "liaison"}
    assert liaisons == {"Ukraine", "Russian Federation"}
    assert next(c for c in credentials if c["role"] == "family")["party"] == "Ukraine"
    # Passwords are random, strong and different; the table shows each one once.
    passwords = [str(c["password"]) for c in credentials]
    assert len(set(passwords)) == 8 and min(map(len, passwords)) >= 16
    table = output.split("demo accounts (", 1)[1].splitlines()[1:]
    assert table[0].split() == ["username", "password", "role", "party"]
    for entry in credentials:
        line = next(line for line in table if line.startswith(f"{entry['username']} "))
        assert str(entry["password"]) in line and str(entry["role"]) in line
    with transaction(default_sessions()) as session:
        for entry in credentials:
            user = authenticate(
                session,
                username=str(entry["username"]),
                password=str(entry["password"]),
                address="demo-test",
                code=fresh_code(str(entry["totp_secret"])) if entry["totp_secret"] else "",
            )
            assert user.role == entry["role"]
            assert str(entry["password"]) not in user.password_hash
        created = session.scalars(
            select(AuditEntry.action).where(AuditEntry.actor == "demo").order_by(AuditEntry.id)
        )
        expected = []
        for role in roles:
            expected += ["user.create", "token.create"]
            if role in ("admin", "caseworker"):
                expected.append("user.second_factor")
        assert list(created) == expected
        # Matching is queued so that the review queue fills once the server runs.
        queued = session.scalar(
            select(func.count()).where(Job.kind == "match", Job.status == "queued")
        )
        assert queued and queued >= 1


def test_demo_tokens_work_against_the_api(configured: str, tmp_path: Path) -> None:
    _, credentials, _ = _load(tmp_path)
    client = TestClient(create_app())
    by_role: dict[str, dict[str, str | None]] = {}
    for entry in credentials:
        headers = {"Authorization": f"Bearer {entry['token']}"}
        me = client.get("/api/v1/me", headers=headers)
        assert me.status_code == 200, me.text
        assert me.json()["username"] == entry["username"]
        assert me.json()["party"] == (entry["party"] if entry["role"] != "adult" else None)
        key = f"{entry['role']}:{entry['party']}"
        by_role[key] = entry

    def total(key: str) -> int:
        headers = {"Authorization": f"Bearer {by_role[key]['token']}"}
        answer = client.get("/api/v1/records", headers=headers)
        assert answer.status_code == 200, answer.text
        return int(answer.json()["total"])

    # Each party sees its own list and what the mediator released to it for verifications
    # on the demo's way home (each release is of the other party's record).
    with transaction(default_sessions()) as session:
        released = dict(
            session.execute(
                select(Party.name, func.count(Release.id))
                .join(Release, Release.to_party_id == Party.id)
                .where(Release.revoked_at.is_(None))
                .group_by(Party.name)
            ).all()
        )
    assert released["Ukraine"] > 0 and released["Russian Federation"] > 0
    assert total("caseworker:Neutral Mediator") == 100
    assert total("liaison:Ukraine") == 40 + released["Ukraine"]
    assert total("liaison:Russian Federation") == 60 + released["Russian Federation"]
    # The demo family follows two requests (one case open for messages, one being traced):
    # it sees those, and nothing else was released to it.
    assert total("family:Ukraine") == 2
    auditor = by_role["auditor:Neutral Mediator"]
    headers = {"Authorization": f"Bearer {auditor['token']}"}
    assert client.get("/api/v1/records", headers=headers).status_code == 404


def test_demo_skips_a_filled_database_without_creating_users_again(
    configured: str, tmp_path: Path
) -> None:
    _, credentials, out = _load(tmp_path)
    before = out.read_bytes()
    with transaction(default_sessions()) as session:
        # The accounts given out, and those of adults the demo's way home linked their cases to.
        users = session.scalar(select(func.count()).select_from(User))
        adults = session.scalar(select(func.count()).where(User.username.like("demo-adult-%")))
        assert users == len(credentials) + adults
    again = runner.invoke(app, [*DEMO, "--skip-if-present", "--credentials-out", str(out)])
    assert again.exit_code == 0, again.output
    assert "demo users not created again" in again.output
    assert f"the demo accounts of the first run are in {out}" in again.output
    assert not [c for c in credentials if str(c["password"]) in again.output]
    assert out.read_bytes() == before  # the first run's credentials are kept
    with transaction(default_sessions()) as session:
        assert session.scalar(select(func.count()).select_from(User)) == users
    refused = runner.invoke(app, DEMO)
    assert refused.exit_code == 1 and "empty database only" in refused.output


def test_demo_refuses_a_credentials_file_in_a_missing_folder(
    configured: str, tmp_path: Path
) -> None:
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    missing = tmp_path / "nowhere" / "credentials.json"
    result = runner.invoke(app, [*DEMO, "--credentials-out", str(missing)])
    assert result.exit_code == 2 and "no folder" in result.output
    with transaction(default_sessions()) as session:
        assert session.scalar(select(func.count()).select_from(User)) == 0
