"""`reunite audit verify`: the hash chain holds, and a row changed behind its back is named."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from reunite.audit.models import AuditEntry
from reunite.audit.service import GENESIS
from reunite.cli import app
from reunite.db.engine import transaction
from reunite.wiring import default_engine, default_sessions

runner = CliRunner()


@pytest.fixture
def logged(configured: str) -> list[AuditEntry]:
    """Five audit entries written the ordinary way (user and token commands)."""
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    for name in ("anna", "boris", "chrystia"):
        created = runner.invoke(
            app,
            ["user", "create", "--username", name, "--role", "adult", "--password-stdin"],
            input="a long enough secret\n",
        )
        assert created.exit_code == 0, created.output
    for name in ("anna", "boris"):
        assert runner.invoke(app, ["token", "create", "--username", name]).exit_code == 0
    with transaction(default_sessions()) as session:
        return list(session.scalars(select(AuditEntry).order_by(AuditEntry.id)))


def _verify() -> tuple[int, str]:
    result = runner.invoke(app, ["audit", "verify"])
    return result.exit_code, result.output.strip()


def _tamper(statement: str, **values: object) -> None:
    # Straight to the database, the way someone with its password could.
    with default_engine().begin() as connection:
        connection.execute(text(statement), values)


def test_an_empty_log_verifies(configured: str) -> None:
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    assert _verify() == (0, f"audit log intact: 0 entries; head {GENESIS}")


def test_an_untouched_log_verifies_and_prints_its_head(logged: list[AuditEntry]) -> None:
    assert [e.action for e in logged] == ["user.create"] * 3 + ["token.create"] * 2
    assert _verify() == (0, f"audit log intact: 5 entries; head {logged[-1].hash}")


def test_a_changed_entry_is_named(logged: list[AuditEntry]) -> None:
    target = logged[2]
    _tamper(
        "UPDATE audit_log SET details = :details WHERE id = :id",
        details=target.details.replace("chrystia", "someone"),
        id=target.id,
    )
    code, output = _verify()
    assert code == 1
    assert output == f"audit log broken at entry {target.id}: its content was changed"


def test_a_changed_entry_whose_hash_was_recomputed_breaks_the_next_link(
    logged: list[AuditEntry],
) -> None:
    # Rewriting an entry and its own hash consistently still breaks the following entry.
    from reunite.audit.service import entry_hash

    target = logged[1]
    fields = {
        "at": target.at,
        "actor_id": target.actor_id,
        "actor": "innocent",
        "action": target.action,
        "subject_type": target.subject_type,
        "subject_id": target.subject_id,
        "details": target.details,
        "address": target.address,
    }
    _tamper(
        "UPDATE audit_log SET actor = 'innocent', hash = :hash WHERE id = :id",
        hash=entry_hash(target.prev_hash, fields),
        id=target.id,
    )
    code, output = _verify()
    assert code == 1 and output.startswith(f"audit log broken at entry {logged[2].id}: ")
    assert "removed or inserted" in output


def test_a_deleted_middle_entry_is_named(logged: list[AuditEntry]) -> None:
    _tamper("DELETE FROM audit_log WHERE id = :id", id=logged[2].id)
    code, output = _verify()
    assert code == 1
    assert output == (
        f"audit log broken at entry {logged[3].id}: it does not follow the entry before it "
        "(an entry was removed or inserted)"
    )


def test_an_action_the_auditor_could_not_name_is_refused_at_once(session: Session) -> None:
    from reunite.audit.service import record_event

    with pytest.raises(ValueError, match="unknown audit action 'case.teleported'"):
        record_event(session, actor=None, action="case.teleported")
