"""Signed checkpoints: a log cut short, wiped, or rewritten with its hashes recomputed is found.

The attacks are made the way an insider with the database's password could: straight SQL,
past the application. The chain alone passes after each of them (shown first); a checkpoint
kept elsewhere does not.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi.testclient import TestClient
from sqlalchemy import select, text
from typer.testing import CliRunner

from reunite.app import create_app
from reunite.audit.checkpoints import CheckpointCheck, check_against
from reunite.audit.models import AuditCheckpoint, AuditEntry
from reunite.audit.service import GENESIS, entry_hash
from reunite.auth.service import create_token
from reunite.cli import app
from reunite.db.engine import transaction
from reunite.db.migrate import upgrade
from reunite.exchange.models import Batch
from reunite.keys.service import mediator_private_key
from reunite.keys.signing import (
    CHECKPOINT_FORMAT,
    RECEIPT_FORMAT,
    key_id,
    public_pem,
    verify_document,
)
from reunite.wiring import default_engine, default_sessions

from browsing import make_site
from world import ROLES_OF_WORLD, build_world

runner = CliRunner()
REUNITE = Path(sys.executable).parent / "reunite"


def _user(name: str) -> None:
    created = runner.invoke(
        app,
        ["user", "create", "--username", name, "--role", "adult", "--password-stdin"],
        input="a long enough secret\n",
    )
    assert created.exit_code == 0, created.output


@pytest.fixture
def logged(configured: str) -> str:
    """Five entries written the ordinary way (three accounts, two tokens)."""
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    for name in ("anna", "boris", "chrystia"):
        _user(name)
    for name in ("anna", "boris"):
        assert runner.invoke(app, ["token", "create", "--username", name]).exit_code == 0
    return configured


def _sql(statement: str, **values: object) -> None:
    with default_engine().begin() as connection:
        connection.execute(text(statement), values)


def _checkpoint(tmp_path: Path, name: str = "checkpoint.json") -> Path:
    out = tmp_path / name
    made = runner.invoke(app, ["audit", "checkpoint", "--out", str(out)])
    assert made.exit_code == 0, made.output
    return out


def _verify(*files: Path) -> tuple[int, str]:
    args = ["audit", "verify"]
    for path in files:
        args += ["--checkpoint", str(path)]
    result = runner.invoke(app, args)
    return result.exit_code, result.output.strip()


def _forget_kept_checkpoints() -> None:
    # The insider covers their tracks in the database too: only the files elsewhere remain.
    _sql("UPDATE batches SET checkpoint_id = NULL")
    _sql("DELETE FROM audit_checkpoints")


def _rewrite_from(first_id: int, **changes: object) -> None:
    """Change one entry and compute every later hash again, as a careful forger would."""
    with transaction(default_sessions()) as session:
        entries = list(session.scalars(select(AuditEntry).order_by(AuditEntry.id)))
        previous = GENESIS
        rewritten: list[tuple[int, str, str]] = []
        for entry in entries:
            if entry.id == first_id:
                for name, value in changes.items():
                    setattr(entry, name, value)
            fields = {
                name: getattr(entry, name)
                for name in (
                    "at", "actor_id", "actor", "action", "subject_type", "subject_id",
                    "details", "address",
                )
            }  # fmt: skip
            digest = entry_hash(previous, fields)
            rewritten.append((entry.id, previous, digest))
            previous = digest
        session.flush()
    # Hashes are unique: park them aside first, then write the new ones.
    _sql("UPDATE audit_log SET prev_hash = 'old' || id, hash = 'was' || id")
    for entry_id, prev_hash, digest in rewritten:
        _sql(
            "UPDATE audit_log SET prev_hash = :prev, hash = :hash WHERE id = :id",
            prev=prev_hash,
            hash=digest,
            id=entry_id,
        )


def test_a_checkpoint_is_signed_written_kept_and_held_while_the_log_grows(
    logged: str, tmp_path: Path
) -> None:
    out = tmp_path / "checkpoint.json"
    made = runner.invoke(app, ["audit", "checkpoint", "--out", str(out)])
    assert made.exit_code == 0, made.output
    document = json.loads(out.read_text(encoding="utf-8"))
    public = mediator_private_key().public_key()
    verify_document(document, public, expected_format=CHECKPOINT_FORMAT)
    with transaction(default_sessions()) as session:
        # The fifth: the sixth is the command's own entry, written once the checkpoint was.
        entries = session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
        last = entries[4]
        assert entries[5].action == "audit.checkpoint"
        kept = session.scalars(select(AuditCheckpoint)).one()
        assert (document["entries"], document["head_id"]) == (5, last.id)
        assert document["head_hash"] == last.hash == kept.head_hash
        assert kept.reason == "on demand"
    assert made.output.strip() == (
        f"checkpoint {kept.id}: 5 entries up to entry {last.id}, head {last.hash}; written to {out}"
    )
    _user("dmytro")  # the log goes on growing: what the checkpoint signed is still there
    code, output = _verify(out)
    assert code == 0, output
    assert output.endswith("holds 2 signed checkpoint(s)")  # the file and the kept one


def test_a_log_cut_short_is_found_even_when_the_kept_checkpoints_went_with_it(
    logged: str, tmp_path: Path
) -> None:
    out = _checkpoint(tmp_path)
    head = json.loads(out.read_text())["head_id"]
    _sql("DELETE FROM audit_log WHERE id > :keep", keep=head - 2)
    # The chain alone cannot tell: a shorter chain is a valid chain. The kept checkpoint can.
    code, output = _verify()
    assert code == 1 and "the log was cut short" in output
    _forget_kept_checkpoints()
    assert _verify()[0] == 0  # why a copy must be kept away from the server
    code, output = _verify(out)
    assert code == 1
    assert f"entries {head - 1} to {head} are missing (the log was cut short)" in output
    assert f"the log ends at entry {head - 2} (3 entries)" in output


def test_a_wiped_log_is_found(logged: str, tmp_path: Path) -> None:
    out = _checkpoint(tmp_path)
    _sql("DELETE FROM audit_log")
    _forget_kept_checkpoints()
    assert _verify()[0] == 0
    code, output = _verify(out)
    assert code == 1
    assert "the log is empty, but the checkpoint of" in output
    assert "counted 5 entries" in output and "the whole log was wiped" in output


def test_a_rewritten_log_with_every_hash_recomputed_is_found(logged: str, tmp_path: Path) -> None:
    out = _checkpoint(tmp_path)
    head = json.loads(out.read_text())["head_id"]
    with transaction(default_sessions()) as session:
        second = session.scalars(select(AuditEntry.id).order_by(AuditEntry.id)).all()[1]
    _rewrite_from(second, actor="innocent")
    _forget_kept_checkpoints()
    code, output = _verify()
    assert code == 0, output  # the recomputed chain verifies on its own
    code, output = _verify(out)
    assert code == 1
    assert f"entry {head} no longer ends in the hash the checkpoint of" in output
    assert "was rewritten" in output


def test_entries_removed_and_the_rest_renumbered_is_found(logged: str, tmp_path: Path) -> None:
    # The forger removes one entry and recomputes the chain of the rest; the last id moves.
    out = _checkpoint(tmp_path)
    with transaction(default_sessions()) as session:
        ids = session.scalars(select(AuditEntry.id).order_by(AuditEntry.id)).all()
    _sql("DELETE FROM audit_log WHERE id = :id", id=ids[1])
    _rewrite_from(ids[2])
    _forget_kept_checkpoints()
    assert _verify()[0] == 0
    code, output = _verify(out)
    assert code == 1 and "was rewritten" in output


def test_a_changed_or_foreign_checkpoint_is_refused_not_believed(
    logged: str, tmp_path: Path
) -> None:
    out = _checkpoint(tmp_path)
    document = json.loads(out.read_text())
    document["entries"] = 3  # makes a log cut short look fine
    forged = tmp_path / "forged.json"
    forged.write_text(json.dumps(document))
    code, output = _verify(forged)
    assert code == 2
    assert "the audit checkpoint's signature does not match its content" in output
    other = tmp_path / "other.pem"
    other.write_text(public_pem(Ed25519PrivateKey.generate().public_key()))
    refused = runner.invoke(app, ["audit", "verify", "--checkpoint", str(out), "--key", str(other)])
    assert refused.exit_code == 2 and "signed by key" in refused.output
    garbage = tmp_path / "garbage.json"
    garbage.write_bytes(b"\x00\xffnot json")
    code, output = _verify(garbage)
    assert code == 2 and "this is not a Reunite audit checkpoint" in output
    code, output = _verify(tmp_path / "missing.json")
    assert code == 2 and "cannot read" in output


def test_a_checkpoint_made_on_an_empty_log_holds_whatever_follows(
    configured: str, tmp_path: Path
) -> None:
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    with transaction(default_sessions()) as session:
        from reunite.audit.checkpoints import make_checkpoint

        empty = make_checkpoint(session, reason="test")
        assert (empty.entries, empty.head_id, empty.head_hash) == (0, 0, "")
        document = json.loads(empty.document)
        check = check_against(session, document, mediator_private_key().public_key())
    assert check == CheckpointCheck(at=document["at"], entries=0, head_id=0)


def test_every_receipt_carries_the_checkpoint_made_when_it_was_first_asked_for(
    configured: str, tmp_path: Path
) -> None:
    upgrade(default_engine())
    with transaction(default_sessions()) as session:
        world = build_world(session, tmp_path)
        tokens = {name: create_token(session, username=name)[0] for name in ROLES_OF_WORLD}
        batch = session.scalar(
            select(Batch.id).where(Batch.party_id == world.requesting.id).limit(1)
        )
    client = TestClient(create_app())
    headers = {"Authorization": f"Bearer {tokens['liaison_requesting']}"}
    first = client.get(f"/api/v1/lists/{batch}/receipt", headers=headers)
    assert first.status_code == 200, first.text
    public = mediator_private_key().public_key()
    receipt = verify_document(first.json(), public, expected_format=RECEIPT_FORMAT)
    carried = verify_document(
        receipt["audit_checkpoint"], public, expected_format=CHECKPOINT_FORMAT
    )
    assert carried["entries"] > 0
    again = client.get(f"/api/v1/lists/{batch}/receipt", headers=headers)
    assert again.json() == first.json()  # the same receipt, however often asked for
    # The party keeps its receipt; the log later cut short is found with it.
    saved = tmp_path / "receipt.json"
    saved.write_text(first.text)
    assert _verify(saved)[0] == 0
    _sql("DELETE FROM audit_log WHERE id > :keep", keep=carried["head_id"] - 1)
    code, output = _verify(saved)
    assert code == 1 and f"the checkpoint of {carried['at']} counted" in output


def test_party_systems_fetch_a_recent_checkpoint_families_do_not(
    configured: str, tmp_path: Path
) -> None:
    upgrade(default_engine())
    with transaction(default_sessions()) as session:
        build_world(session, tmp_path)
        tokens = {name: create_token(session, username=name)[0] for name in ROLES_OF_WORLD}
    client = TestClient(create_app())

    def fetch(role: str) -> tuple[int, dict[str, object]]:
        answer = client.get(
            "/api/v1/audit/checkpoint", headers={"Authorization": f"Bearer {tokens[role]}"}
        )
        return answer.status_code, answer.json()

    status, document = fetch("liaison_custodial")
    assert status == 200
    verify_document(
        document, mediator_private_key().public_key(), expected_format=CHECKPOINT_FORMAT
    )
    assert fetch("liaison_requesting") == (200, document)  # recent: handed out again
    for role in ("family", "adult"):
        assert fetch(role)[0] == 404
    assert client.get("/api/v1/audit/checkpoint").status_code == 401
    with transaction(default_sessions()) as session:
        assert len(session.scalars(select(AuditCheckpoint)).all()) == 1


def test_the_auditor_signs_a_checkpoint_on_the_page_and_verifying_checks_the_kept_ones(
    configured: str, tmp_path: Path
) -> None:
    site = make_site(tmp_path)
    auditor = site.browser("auditor")
    signed = auditor.post("/audit/checkpoints")
    assert signed.status_code == 200
    assert signed.headers["content-disposition"].startswith('attachment; filename="audit-')
    document = json.loads(signed.text)
    verify_document(
        document, mediator_private_key().public_key(), expected_format=CHECKPOINT_FORMAT
    )
    assert auditor.post("/audit/checkpoints", token=False).status_code == 403
    page = auditor.get("/audit").text
    assert f"{document['entries']} entries up to entry {document['head_id']}" in page
    verified = auditor.post("/audit/verify")
    assert 'data-intact="yes"' in verified.text and 'data-holds="yes"' in verified.text
    _sql("DELETE FROM audit_log WHERE id >= :cut", cut=document["head_id"])
    broken = auditor.post("/audit/verify")
    assert 'data-holds="no"' in broken.text and "the log was cut short" in broken.text
    # The mediator's key replaced: the kept checkpoint is named as not checked, not as broken.
    from reunite.keys.service import init_mediator_key, mediator_key_path

    mediator_key_path().unlink()
    init_mediator_key()
    replaced = auditor.post("/audit/verify")
    assert 'data-holds="unknown"' in replaced.text and "signed by another key" in replaced.text


def test_the_commands_as_their_own_processes_find_a_log_cut_short(
    logged: str, tmp_path: Path
) -> None:
    env = {k: v for k, v in os.environ.items() if k.startswith("REUNITE_") or k == "PATH"}
    out = tmp_path / "kept-elsewhere.json"

    def reunite(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(REUNITE), *args], env=env, cwd=tmp_path, capture_output=True, text=True,
            timeout=300,
        )  # fmt: skip

    made = reunite("audit", "checkpoint", "--out", str(out))
    assert made.returncode == 0, made.stderr
    assert reunite("audit", "verify", "--checkpoint", str(out)).returncode == 0
    head = json.loads(out.read_text())["head_id"]
    _sql("DELETE FROM audit_log WHERE id >= :head", head=head)
    _forget_kept_checkpoints()
    checked = reunite("audit", "verify", "--checkpoint", str(out))
    assert checked.returncode == 1
    assert f"entries {head} to {head} are missing" in checked.stderr
    assert "Traceback" not in checked.stderr


def test_a_kept_checkpoint_of_a_replaced_key_is_named_not_fatal(
    logged: str, tmp_path: Path
) -> None:
    from reunite.keys.service import init_mediator_key, mediator_key_path

    _checkpoint(tmp_path)
    old = mediator_private_key().public_key()
    mediator_key_path().unlink()  # the mediator's key replaced
    new, created = init_mediator_key()
    assert created
    code, output = _verify()
    assert code == 0, output
    assert f"signed by key {key_id(old)}, not by this server's key {key_id(new)}" in output
    assert "not checked" in output


def test_a_kept_checkpoint_changed_in_the_database_is_a_break(logged: str, tmp_path: Path) -> None:
    out = _checkpoint(tmp_path)
    document = json.loads(out.read_text())
    _sql("DELETE FROM audit_log WHERE id > :keep", keep=document["head_id"] - 2)
    # The insider makes the kept checkpoint fit the shortened log; its signature does not.
    forged = {**document, "entries": 3, "head_id": document["head_id"] - 2}
    _sql("UPDATE audit_checkpoints SET document = :d", d=json.dumps(forged))
    code, output = _verify()
    assert code == 1
    assert "its signature no longer matches its content: it was changed" in output
