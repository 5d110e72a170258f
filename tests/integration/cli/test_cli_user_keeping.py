"""`reunite user disable|enable|reset-password|logout-everywhere|unlock|totp`, each command
as its own process, as an administrator runs them on the server."""

from __future__ import annotations

import getpass
import os
import subprocess
from pathlib import Path

import pyotp
import pytest
from sqlalchemy import select

from reunite.audit.models import AuditEntry
from reunite.auth import service as accounts
from reunite.auth.models import User
from reunite.db.engine import transaction
from reunite.errors import TooManyAttempts, Unauthorized
from reunite.wiring import default_sessions

from serving import REUNITE

PASSWORD = "a long enough secret"


class Commands:
    """The `reunite` command in a fresh process per call, against the test's database."""

    def __init__(self, database_url: str, folder: Path) -> None:
        self.env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith("REUNITE_") or key == "REUNITE_TEST_POSTGRES_URL"
        }
        self.env["REUNITE_DATABASE_URL"] = database_url
        self.env["REUNITE_CACHE_DIR"] = str(folder / "cache")
        self.folder = folder

    def run(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(REUNITE), *args],
            env=self.env,
            cwd=self.folder,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=300,
        )

    def ok(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        result = self.run(*args, stdin=stdin)
        assert result.returncode == 0, (args, result.stdout, result.stderr)
        assert "Traceback" not in result.stderr
        return result


@pytest.fixture
def reunite(configured: str, tmp_path: Path) -> Commands:
    commands = Commands(configured, tmp_path)
    commands.ok("db", "upgrade")
    commands.ok("party", "add", "Mediator", "--role", "mediator")
    commands.ok("user", "create", "--username", "olena", "--role", "adult", "--password-stdin",
                stdin=PASSWORD + "\n")  # fmt: skip
    return commands


def _log_in(username: str, password: str, *, address: str = "10.0.0.1", code: str = "") -> User:
    with transaction(default_sessions()) as session:
        user = accounts.authenticate(
            session, username=username, password=password, address=address, code=code
        )
        session.expunge(user)
        return user


def _refused(username: str, password: str, *, address: str = "10.0.0.1", code: str = "") -> str:
    # A refusal is committed (its failure counts): the transaction is not rolled back here.
    with transaction(default_sessions()) as session:
        try:
            accounts.authenticate(
                session, username=username, password=password, address=address, code=code
            )
        except (Unauthorized, TooManyAttempts) as exc:
            return exc.error_code
    raise AssertionError("the login was let in")


def _cli_actions() -> list[str]:
    with transaction(default_sessions()) as session:
        return list(
            session.scalars(
                select(AuditEntry.action)
                .where(AuditEntry.actor == f"cli:{getpass.getuser()}")
                .order_by(AuditEntry.id)
            )
        )


def test_staff_get_their_second_factor_at_creation_and_a_new_one_with_totp(
    reunite: Commands,
) -> None:
    created = reunite.ok(
        "user", "create", "--username", "ops", "--role", "admin", "--password-stdin",
        stdin=PASSWORD + "\n",
    )  # fmt: skip
    first = created.stdout.splitlines()[-1]
    assert first.startswith("otpauth://totp/Reunite:ops?secret=")
    assert "shown once" in created.stderr
    secret = pyotp.parse_uri(first).secret
    assert _log_in("ops", PASSWORD, code=pyotp.TOTP(secret).now()).username == "ops"
    renewed = reunite.ok("user", "totp", "ops").stdout.strip()
    new_secret = pyotp.parse_uri(renewed).secret
    assert new_secret != secret
    assert _refused("ops", PASSWORD, address="10.0.0.2", code=pyotp.TOTP(secret).now()) in (
        "wrong_code",
        "code_used",
    )
    assert _log_in("ops", PASSWORD, code=pyotp.TOTP(new_secret).now()).username == "ops"
    assert _cli_actions()[-2:] == ["user.second_factor", "user.second_factor"]


def test_disable_then_enable_an_account(reunite: Commands) -> None:
    token = reunite.ok("token", "create", "--username", "olena").stdout.strip()
    with transaction(default_sessions()) as session:
        user = accounts.get_user(session, username="olena")
        accounts.start_session(session, user=user)
    disabled = reunite.ok("user", "disable", "olena")
    assert disabled.stdout.strip() == "olena: disabled; 1 session(s) ended"
    assert "olena\tadult\t-\tdisabled\tolena" in reunite.ok("user", "list").stdout
    assert _refused("olena", PASSWORD, address="10.0.0.1") == "account_disabled"
    with transaction(default_sessions()) as session:
        assert accounts.user_for_token(session, token=token) is None
    assert reunite.ok("user", "enable", "olena").stdout.strip() == "olena: enabled"
    assert _log_in("olena", PASSWORD).active
    with transaction(default_sessions()) as session:
        assert accounts.user_for_token(session, token=token) is not None
    assert _cli_actions()[-2:] == ["user.disable", "user.enable"]


def test_reset_password_prints_a_one_time_password_that_must_be_changed(
    reunite: Commands,
) -> None:
    result = reunite.ok("user", "reset-password", "olena")
    one_time = result.stdout.strip()
    assert len(one_time) >= 20 and "must choose a new one" in result.stderr
    assert _refused("olena", PASSWORD) == "wrong_password"
    assert _log_in("olena", one_time).must_change_password
    assert "must-change-password" in reunite.ok("user", "list").stdout
    # An administrator may also set a password they were given (the policy still applies).
    weak = reunite.run(
        "user", "reset-password", "olena", "--password-stdin", stdin="olena1234567\n"
    )
    assert weak.returncode == 2 and "too easy to guess" in weak.stderr
    reunite.ok("user", "reset-password", "olena", "--password-stdin",
               stdin="violet tram at dawn\n")  # fmt: skip
    assert not _log_in("olena", "violet tram at dawn").must_change_password
    assert _cli_actions()[-2:] == ["user.password_reset", "user.password_set"]


def test_logout_everywhere_ends_every_session(reunite: Commands) -> None:
    with transaction(default_sessions()) as session:
        user = accounts.get_user(session, username="olena")
        secrets = [accounts.start_session(session, user=user)[0] for _ in range(3)]
    result = reunite.ok("user", "logout-everywhere", "olena")
    assert result.stdout.strip() == "olena: 3 session(s) ended"
    with transaction(default_sessions()) as session:
        assert all(accounts.resume_session(session, secret=s) is None for s in secrets)
    assert _cli_actions()[-1] == "user.sessions_ended"


def test_unlock_lifts_the_locked_out_addresses(reunite: Commands) -> None:
    for _ in range(accounts.MAX_FAILURES_PER_SOURCE):
        assert _refused("olena", "guess", address="203.0.113.9") == "wrong_password"
    assert _refused("olena", PASSWORD, address="203.0.113.9") == "source_locked"
    result = reunite.ok("user", "unlock", "olena")
    assert result.stdout.strip() == "olena: login locks lifted (203.0.113.9)"
    assert _log_in("olena", PASSWORD, address="203.0.113.9").username == "olena"
    again = reunite.ok("user", "unlock", "olena")
    assert again.stdout.strip() == "olena: login locks lifted (there were none)"


def test_the_commands_refuse_an_unknown_account_and_a_guessable_password(
    reunite: Commands,
) -> None:
    for command in ("disable", "enable", "reset-password", "logout-everywhere", "unlock", "totp"):
        result = reunite.run("user", command, "nobody")
        assert result.returncode == 1 and "no user named 'nobody'" in result.stderr, command
    weak = reunite.run(
        "user", "create", "--username", "petro", "--role", "adult", "--password-stdin",
        stdin="password1234\n",
    )  # fmt: skip
    assert weak.returncode == 2 and "too easy to guess" in weak.stderr
