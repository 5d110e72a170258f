"""Backup and restore, as an operator runs them: each command its own process.

A world with attachments, a message with its photo, JSON documents and an audit chain is
backed up, restored onto an empty database of either kind, and compared table by table and
file by file; the restored audit chain verifies, and holds a checkpoint signed before the
backup. Wrong keys, cut, altered and misplaced backups are refused with the reason, and
nothing is changed.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from integration.cases.conftest import Ways
from reunite.channel import service as channel
from reunite.channel.service._messages import NewMessage
from reunite.db.backup import _rows, new_key
from reunite.db.engine import make_engine, session_factory, transaction
from reunite.wiring import schema

from evidence import pdf, png
from world import PASSWORD, build_world

REUNITE = str(Path(sys.executable).with_name("reunite"))
POSTGRES_URL = os.environ.get("REUNITE_TEST_POSTGRES_URL", "")
KEY = new_key()


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [REUNITE, *args], env=env, capture_output=True, text=True, timeout=300, check=False
    )


def _env(url: str, attachments: Path, key: str = KEY) -> dict[str, str]:
    return {
        **os.environ,
        "REUNITE_DATABASE_URL": url,
        "REUNITE_ATTACHMENTS_DIR": str(attachments),
        "REUNITE_BACKUP_KEY": key,
    }


@pytest.fixture
def filled(
    configured: str, engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[str, Path]]:
    """The configured database with a world in it, attachments, a message with a photo."""
    from reunite.attachments.service import attach_to_record
    from reunite.auth.service import create_user, principal_of
    from reunite.settings import get_settings

    store = tmp_path / "attachments"
    monkeypatch.setenv("REUNITE_ATTACHMENTS_DIR", str(store))
    get_settings.cache_clear()
    with transaction(session_factory(engine)) as session:
        world = build_world(session, tmp_path)
        second = create_user(session, username="caseworker2", password=PASSWORD, role="caseworker")
        world.principals["caseworker2"] = principal_of(session, second)
        ways = Ways(session, world, tmp_path)
        case = ways.verify(ways.locate())
        channel.write_message(
            session, principal=ways.who("family"), case_id=case.id,
            form=NewMessage(text="Сонечко, чекаємо!", sender_name="Мама", recipient_name="Оля",
                            photo=png()),
        )  # fmt: skip
        for data, name, kind in ((png(), "photo.png", "photo"), (pdf(2), "bio.pdf", "biography")):
            attach_to_record(
                session, principal=ways.who("caseworker"), record_id=str(world.disclosure),
                data=data, name=name, kind=kind,
            )  # fmt: skip
    yield configured, store


def _dump(url: str) -> dict[str, list[bytes]]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return {t.name: list(_rows(connection, t)) for t in schema().sorted_tables}
    finally:
        engine.dispose()


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


@pytest.fixture
def empty_url(tmp_path: Path) -> Iterator[str]:
    """A fresh SQLite database file with no schema."""
    yield f"sqlite:///{tmp_path / 'restored.db'}"


def _restore_and_compare(source: str, store: Path, target: str, tmp_path: Path) -> None:
    backup = tmp_path / "reunite.backup"
    # A checkpoint handed to a party before the backup: the restored log must still hold it.
    checkpoint = tmp_path / "checkpoint.json"
    signed = _run(_env(source, store), "audit", "checkpoint", "--out", str(checkpoint))
    assert signed.returncode == 0, signed.stderr
    made = _run(_env(source, store), "backup", str(backup))
    assert made.returncode == 0, made.stderr
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    raw = backup.read_bytes()
    for secret in (b"Sonechko", "Сонечко".encode(), b"%PDF", b"PNG"):
        assert secret not in raw  # encrypted, names and files alike
    before = _dump(source)
    restored_store = tmp_path / "restored-attachments"
    done = _run(_env(target, restored_store), "restore", str(backup))
    assert done.returncode == 0, done.stderr
    after = _dump(target)
    for table, rows in before.items():
        if table == "audit_log":
            # The original went on (the backup's own entry); the copy adds its restore.
            assert after[table][: len(rows) - 1] == rows[: len(rows) - 1]
            continue
        assert after[table] == rows, table
    assert _files(restored_store) == _files(store) and _files(store)
    verified = _run(
        _env(target, restored_store), "audit", "verify", "--checkpoint", str(checkpoint)
    )
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "holds 2 signed checkpoint(s)" in verified.stdout  # the file's and the kept one
    # The restored database works on: a new row gets a new id, not a restored one's.
    added = _run(_env(target, restored_store), "party", "add", "Another", "--role", "requesting")
    assert added.returncode == 0, added.stderr


def test_a_backup_restores_every_row_and_file(
    filled: tuple[str, Path], empty_url: str, tmp_path: Path
) -> None:
    source, store = filled
    _restore_and_compare(source, store, empty_url, tmp_path)


@pytest.mark.skipif(not POSTGRES_URL, reason="REUNITE_TEST_POSTGRES_URL is not set")
def test_a_backup_restores_onto_postgresql(filled: tuple[str, Path], tmp_path: Path) -> None:
    source, store = filled
    name = f"test_{uuid.uuid4().hex[:12]}"
    admin = make_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{name}"'))
    separator = "&" if "?" in POSTGRES_URL else "?"
    try:
        target = f"{POSTGRES_URL}{separator}options=-csearch_path%3D{name}"
        _restore_and_compare(source, store, target, tmp_path)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{name}" CASCADE'))
        admin.dispose()


def test_bad_backups_and_wrong_keys_are_refused_and_change_nothing(
    filled: tuple[str, Path], empty_url: str, tmp_path: Path
) -> None:
    source, store = filled
    backup = tmp_path / "reunite.backup"
    assert _run(_env(source, store), "backup", str(backup)).returncode == 0
    again = _run(_env(source, store), "backup", str(backup))
    assert again.returncode != 0 and "never overwrites" in again.stderr
    raw = backup.read_bytes()
    cut = tmp_path / "cut.backup"
    cut.write_bytes(raw[: len(raw) // 2])
    altered = tmp_path / "altered.backup"
    altered.write_bytes(raw[:200] + bytes([raw[200] ^ 1]) + raw[201:])
    target_store = tmp_path / "target-attachments"
    cases = [
        (backup, new_key(), "another key"),
        (cut, KEY, "cut short"),
        (altered, KEY, "altered or damaged"),
    ]
    for path, key, reason in cases:
        refused = _run(_env(empty_url, target_store, key), "restore", str(path))
        assert refused.returncode == 2 and reason in refused.stderr, (path, refused.stderr)
        assert "Traceback" not in refused.stderr
        assert not any(_dump(empty_url).values())  # the schema, not one row
    # Onto a database that holds data: refused.
    onto = _run(_env(source, store), "restore", str(backup))
    assert onto.returncode == 2 and "not empty" in onto.stderr
    no_key = _run({**_env(source, store), "REUNITE_BACKUP_KEY": ""}, "backup", str(tmp_path / "x"))
    assert no_key.returncode != 0 and "reunite backup-key" in no_key.stderr
