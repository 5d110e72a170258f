"""Key files and signatures without a database: modes, formats, and the `sign` command."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from typer.testing import CliRunner

from reunite.cli import app
from reunite.errors import ReuniteError
from reunite.keys.signing import (
    generate_key_pair,
    key_id,
    load_public_key,
    parse_signature,
    private_pem,
    read_private_key_file,
    sign_file,
)

runner = CliRunner()


def test_key_files_are_made_0600_whatever_the_umask_and_never_overwritten(tmp_path: Path) -> None:
    previous = os.umask(0)
    try:
        key = generate_key_pair(tmp_path / "k.pem", tmp_path / "k.pub")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "k.pem").stat().st_mode) == 0o600
    public = load_public_key((tmp_path / "k.pub").read_bytes())
    assert key_id(public) == key_id(key.public_key())
    with pytest.raises(FileExistsError):
        generate_key_pair(tmp_path / "k.pem")
    assert read_private_key_file(tmp_path / "k.pem").public_key() == key.public_key()


def test_a_private_key_file_others_may_read_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "open.pem"
    path.write_bytes(private_pem(Ed25519PrivateKey.generate()))
    path.chmod(0o644)
    with pytest.raises(ReuniteError, match="chmod 600"):
        read_private_key_file(path)
    (tmp_path / "list.csv").write_text("id,surname\nUA-1,Лисенко\n", encoding="utf-8")
    result = runner.invoke(app, ["sign", str(tmp_path / "list.csv"), "--key", str(path)])
    assert result.exit_code == 1 and "may be read by others" in result.output
    assert not (tmp_path / "list.csv.sig").exists()


def test_sign_writes_a_detached_signature_that_parses_and_verifies(tmp_path: Path) -> None:
    key_file = tmp_path / "k.pem"
    key = generate_key_pair(key_file)
    listed = tmp_path / "list.csv"
    listed.write_text("id,surname\nUA-1,Лисенко\n", encoding="utf-8")
    result = runner.invoke(app, ["sign", str(listed), "--key", str(key_file)])
    assert result.exit_code == 0, result.output
    text = (tmp_path / "list.csv.sig").read_text()
    assert "PRIVATE" not in text and "PRIVATE" not in result.output
    parsed = parse_signature(text.encode())
    assert parsed.key_id == key_id(key.public_key()) and parsed.verify_with(key.public_key())
    assert json.loads(text)["file"] == "list.csv"
    assert sign_file(listed, key, now=parsed.signed_at) == text  # deterministic


def test_the_mediators_key_is_made_once_0600_and_kept(tmp_path: Path) -> None:
    from reunite.keys.service import init_mediator_key

    path = tmp_path / "secret" / "mediator.pem"
    public, created = init_mediator_key(path)
    assert created and stat.S_IMODE(path.stat().st_mode) == 0o600
    again, created_again = init_mediator_key(path)
    assert not created_again and key_id(again) == key_id(public)
    assert sorted(p.name for p in path.parent.iterdir()) == ["mediator.pem"]  # no draft left
