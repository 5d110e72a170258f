"""`reunite user` and `reunite token`: accounts and API tokens from the command line."""

from __future__ import annotations

import getpass

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from reunite.audit.models import AuditEntry
from reunite.auth.models import ApiToken, User
from reunite.auth.service import authenticate, user_for_token
from reunite.cli import app
from reunite.db.engine import transaction
from reunite.wiring import default_sessions

runner = CliRunner()
PASSWORD = "a long enough secret"


@pytest.fixture
def parties(configured: str) -> None:
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    for name, role in (("Mediator", "mediator"), ("Ukraine", "requesting")):
        assert runner.invoke(app, ["party", "add", name, "--role", role]).exit_code == 0


def _create(*args: str, password: str = PASSWORD) -> tuple[int, str]:
    result = runner.invoke(
        app, ["user", "create", *args, "--password-stdin"], input=password + "\n"
    )
    return result.exit_code, result.output


def _audit() -> list[tuple[str, str, str]]:
    with transaction(default_sessions()) as session:
        rows = session.execute(
            select(AuditEntry.actor, AuditEntry.action, AuditEntry.details).order_by(AuditEntry.id)
        )
        return [(actor, action, details) for actor, action, details in rows]


def test_user_create_with_password_on_stdin_then_login(parties: None) -> None:
    code, output = _create("--username", "olena", "--role", "liaison", "--party", "Ukraine")
    assert code == 0, output
    assert output.strip() == "created user olena (liaison, Ukraine)"
    code, output = _create(
        "--username", "ivan", "--role", "caseworker", "--display-name", "Ivan K.",
        "--language", "uk",
    )  # fmt: skip
    assert code == 0, output
    # Mediator staff log in with a second factor: its otpauth URI is shown once, at creation.
    assert output.startswith("created user ivan (caseworker)\notpauth://totp/Reunite:ivan?")
    listing = runner.invoke(app, ["user", "list"]).output.splitlines()
    assert listing == [
        "ivan\tcaseworker\tMediator\tactive\tIvan K.",
        "olena\tliaison\tUkraine\tactive\tolena",
    ]
    with transaction(default_sessions()) as session:
        user = authenticate(session, username="olena", password=PASSWORD, address="cli-test")
        assert user.role == "liaison" and user.password_hash.startswith("$argon2id$")
    actions = _audit()
    assert [(actor, action) for actor, action, _ in actions] == [
        ("cli:" + getpass.getuser(), "user.create"),
        ("cli:" + getpass.getuser(), "user.create"),
        ("cli:" + getpass.getuser(), "user.second_factor"),
    ]
    assert '"role":"liaison"' in actions[0][2] and PASSWORD not in actions[0][2]


def test_user_create_asks_for_the_password_twice(parties: None) -> None:
    args = ["user", "create", "--username", "anna", "--role", "adult"]
    result = runner.invoke(app, args, input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert result.output.count("Password") == 1 and "Repeat for confirmation" in result.output
    assert PASSWORD not in result.output  # hidden while typed
    mismatch = runner.invoke(
        app, ["user", "create", "--username", "petro", "--role", "adult"], input="one\ntwo\n"
    )
    assert mismatch.exit_code != 0 and "do not match" in mismatch.output
    with transaction(default_sessions()) as session:
        names = set(session.scalars(select(User.username)))
    assert names == {"anna"}


@pytest.mark.parametrize(
    ("args", "password", "code", "message"),
    [
        (["--role", "wizard"], PASSWORD, 2, "unknown role 'wizard'"),
        (["--role", "liaison"], PASSWORD, 2, "a liaison user belongs to a party: give --party"),
        (["--role", "family"], PASSWORD, 2, "give --party"),
        (["--role", "adult"], "short", 2, "at least 12 characters"),
        (["--role", "adult"], "password1234", 2, "too easy to guess"),
        (["--role", "adult"], "qwertyuiop123", 2, "too easy to guess"),
        (["--role", "adult", "--language", "fr"], PASSWORD, 2, "unknown language 'fr'"),
        (["--role", "family", "--party", "Mediator"], PASSWORD, 2, "requesting party"),
        (["--role", "liaison", "--party", "Atlantis"], PASSWORD, 1, "no party named"),
        (["--role", "adult"], "", 2, "no password on standard input"),
    ],
)
def test_user_create_refuses_bad_input_with_a_message(
    parties: None, args: list[str], password: str, code: int, message: str
) -> None:
    result = runner.invoke(
        app,
        ["user", "create", "--username", "someone", *args, "--password-stdin"],
        input=password + "\n",
    )
    assert result.exit_code == code
    assert message in result.output and "Traceback" not in result.output
    with transaction(default_sessions()) as session:
        assert session.scalar(select(User)) is None
    assert _audit() == []


def test_user_create_refuses_a_taken_username(parties: None) -> None:
    assert _create("--username", "olena", "--role", "adult")[0] == 0
    code, output = _create("--username", "olena", "--role", "auditor")
    assert code == 1 and "already exists" in output


def test_tokens_are_shown_once_listed_by_prefix_and_revoked(parties: None) -> None:
    _create("--username", "olena", "--role", "liaison", "--party", "Ukraine")
    created = runner.invoke(
        app, ["token", "create", "--username", "olena", "--label", "party system"]
    )
    assert created.exit_code == 0, created.output
    token = created.stdout.strip()
    assert token.startswith("rnt_") and len(token) > 40
    assert "shown once" in created.output
    second = runner.invoke(app, ["token", "create", "--username", "olena"]).stdout.strip()
    with transaction(default_sessions()) as session:
        owner = user_for_token(session, token=token)
        assert owner is not None and owner.username == "olena"
        hashes = list(session.scalars(select(ApiToken.token_hash)))
        assert token not in hashes and len(hashes) == 2

    listing = runner.invoke(app, ["token", "list", "--username", "olena"])
    lines = listing.output.splitlines()
    assert len(lines) == 2 and token not in listing.output
    assert lines[0].startswith(f"{second[:12]}…\t-\t") and lines[0].endswith("active")
    assert lines[1].startswith(f"{token[:12]}…\tparty system\t")

    revoked = runner.invoke(app, ["token", "revoke", token[:12]])
    assert revoked.exit_code == 0 and f"revoked token {token[:12]}… of olena" in revoked.output
    with transaction(default_sessions()) as session:
        assert user_for_token(session, token=token) is None
        assert user_for_token(session, token=second) is not None
    lines = runner.invoke(app, ["token", "list", "--username", "olena"]).output.splitlines()
    assert "revoked" in lines[1] and lines[0].endswith("active")
    assert runner.invoke(app, ["token", "revoke", second]).exit_code == 0  # the whole token

    actions = [(actor, action) for actor, action, _ in _audit()]
    cli = "cli:" + getpass.getuser()
    assert actions[1:] == [(cli, "token.create")] * 2 + [(cli, "token.revoke")] * 2


def test_token_commands_refuse_unknown_users_and_tokens(parties: None) -> None:
    unknown = runner.invoke(app, ["token", "create", "--username", "nobody"])
    assert unknown.exit_code == 1 and "no user named 'nobody'" in unknown.output
    listing = runner.invoke(app, ["token", "list", "--username", "nobody"])
    assert listing.exit_code == 1 and "no user named" in listing.output
    revoke = runner.invoke(app, ["token", "revoke", "rnt_nothing"])
    assert revoke.exit_code == 1 and "no such token" in revoke.output
    assert _audit() == []
