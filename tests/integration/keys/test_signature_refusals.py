"""Every refusal of the trusted exchange: a clear reason and code, nothing stored, audited.

Service-level checks run in a rolled-back session; the command line's exit code and its
audit entry are checked through the `reunite` app against a committed database.
"""

from __future__ import annotations

import base64
import io
import json
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from reunite.audit.models import AuditEntry
from reunite.cli import app
from reunite.db.engine import transaction
from reunite.errors import Conflict, InvalidInput, NotFound
from reunite.exchange.models import Batch
from reunite.exchange.service import import_list
from reunite.keys.models import PartyKey
from reunite.keys.service import add_key, revoke_key, set_require_signatures
from reunite.keys.signing import (
    RECEIPT_FORMAT,
    SignatureRefused,
    build_package,
    key_id,
    load_public_key,
    public_pem,
    sign_document,
    sign_file,
    verify_document,
    verify_package,
)
from reunite.parties.models import Party
from reunite.wiring import default_sessions

from factories import REQUEST_HEADER, REQUEST_ROWS, make_party, write_csv

runner = CliRunner()
NOW = datetime.now(UTC)


def _pem(key: Ed25519PrivateKey) -> bytes:
    return public_pem(key.public_key()).encode()


def _batches(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Batch)) or 0


@pytest.fixture
def parties(session: Session) -> tuple[Party, Party]:
    return make_party(session, "Ukraine", "requesting"), make_party(session, "Russia", "custodial")


def _signed(tmp_path: Path, key: Ed25519PrivateKey, *, when: datetime | None = None) -> Path:
    path = write_csv(tmp_path, "requests.csv", REQUEST_HEADER, REQUEST_ROWS)
    (tmp_path / "requests.csv.sig").write_text(sign_file(path, key, now=when))
    return path


def _refused(session: Session, party: Party, path: Path, signature: bytes | None) -> str:
    with pytest.raises(SignatureRefused) as refused:
        import_list(session, path=path, party=party, kind="requests", signature=signature)
    return refused.value.error_code


def test_a_good_signature_is_accepted_and_kept_on_the_batch(
    session: Session, parties: tuple[Party, Party], tmp_path: Path
) -> None:
    ukraine, _ = parties
    key = Ed25519PrivateKey.generate()
    add_key(session, party=ukraine, pem=_pem(key))
    path = _signed(tmp_path, key)
    report = import_list(
        session, path=path, party=ukraine, kind="requests",
        signature=(tmp_path / "requests.csv.sig").read_bytes(),
    )  # fmt: skip
    batch = session.get(Batch, report.batch_id)
    assert batch is not None and batch.signed_key_id == key_id(key.public_key())
    assert batch.signed_at is not None


def _mutate_signature(data: bytes, **changes: object) -> bytes:
    document = json.loads(data)
    document.update(changes)
    return json.dumps(document).encode()


def test_each_bad_signature_is_refused_with_its_reason_and_nothing_is_stored(
    session: Session, parties: tuple[Party, Party], tmp_path: Path
) -> None:
    ukraine, russia = parties
    key, other, stranger = (Ed25519PrivateKey.generate() for _ in range(3))
    add_key(session, party=ukraine, pem=_pem(key))
    add_key(session, party=russia, pem=_pem(other))
    path = _signed(tmp_path, key)
    good = (tmp_path / "requests.csv.sig").read_bytes()
    flipped = bytearray(base64.b64decode(json.loads(good)["signature"]))
    flipped[0] ^= 1
    cases: dict[str, bytes] = {
        "signature_invalid": _mutate_signature(
            good, signature=base64.b64encode(bytes(flipped)).decode()
        ),
        # Re-dated after signing: the statement signed is no longer the one shown.
        "signature_invalid_time": _mutate_signature(
            good, signed_at=(NOW - timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        ),
        "signature_garbled_truncated": good[: len(good) // 2],
        "signature_garbled_text": b"this is not a signature at all",
        "signature_garbled_empty": b"",
        "signature_garbled_binary": bytes(range(256)),
        "signature_garbled_short": _mutate_signature(good, signature="AAAA"),
    }
    for name, signature in cases.items():
        code = _refused(session, ukraine, path, signature)
        assert name.startswith(code), (name, code)
    # Signed by Russia's key, sent as Ukraine's; signed by a key nobody registered.
    (tmp_path / "x.sig").write_text(sign_file(path, other))
    assert _refused(session, ukraine, path, (tmp_path / "x.sig").read_bytes()) == (
        "signature_foreign_key"
    )
    (tmp_path / "y.sig").write_text(sign_file(path, stranger))
    assert _refused(session, ukraine, path, (tmp_path / "y.sig").read_bytes()) == (
        "signature_unknown_key"
    )
    # The file changed after it was signed.
    path.write_bytes(path.read_bytes().replace("Лисенко".encode(), "Лисенка".encode()))
    assert _refused(session, ukraine, path, good) == "signature_file_changed"
    assert _batches(session) == 0


def test_expired_revoked_and_future_keys_and_required_signatures(
    session: Session, parties: tuple[Party, Party], tmp_path: Path
) -> None:
    ukraine, _ = parties
    old, new = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    # Rotation: the old key was valid until yesterday, the new one since then.
    add_key(
        session, party=ukraine, pem=_pem(old),
        valid_from=NOW - timedelta(days=30), valid_until=NOW - timedelta(days=1),
    )  # fmt: skip
    add_key(session, party=ukraine, pem=_pem(new), valid_from=NOW - timedelta(days=1))
    path = _signed(tmp_path, old)
    expired = (tmp_path / "requests.csv.sig").read_bytes()
    assert _refused(session, ukraine, path, expired) == "signature_key_expired"
    # Signed with the old key while it was valid: accepted (keys valid at signing time).
    (tmp_path / "then.sig").write_text(sign_file(path, old, now=NOW - timedelta(days=2)))
    before = (tmp_path / "then.sig").read_bytes()
    future = sign_file(path, new, now=NOW + timedelta(hours=1)).encode()
    assert _refused(session, ukraine, path, future) == "signature_time_future"
    revoke_key(session, key=key_id(old.public_key()), reason="laptop lost in Kharkiv")
    assert _refused(session, ukraine, path, before) == "signature_key_revoked"
    set_require_signatures(session, party=ukraine, required=True)
    assert _refused(session, ukraine, path, None) == "signature_required"
    assert _batches(session) == 0


def test_a_replayed_older_list_is_refused_a_retry_is_a_no_op(
    session: Session, parties: tuple[Party, Party], tmp_path: Path
) -> None:
    ukraine, _ = parties
    key = Ed25519PrivateKey.generate()
    add_key(session, party=ukraine, pem=_pem(key), valid_from=NOW - timedelta(days=1))
    older = write_csv(tmp_path, "older.csv", REQUEST_HEADER, REQUEST_ROWS[:1])
    older_sig = sign_file(older, key, now=NOW - timedelta(hours=2)).encode()
    newer = write_csv(tmp_path, "newer.csv", REQUEST_HEADER, REQUEST_ROWS)
    newer_sig = sign_file(newer, key, now=NOW - timedelta(hours=1)).encode()
    stored = import_list(session, path=newer, party=ukraine, kind="requests", signature=newer_sig)
    assert stored.stored
    assert _refused(session, ukraine, older, older_sig) == "signature_replayed"
    again = import_list(session, path=newer, party=ukraine, kind="requests", signature=newer_sig)
    assert again.already_imported and again.batch_id == stored.batch_id
    assert _batches(session) == 1


def test_keys_are_checked_when_registered_and_revoked(
    session: Session, parties: tuple[Party, Party]
) -> None:
    ukraine, russia = parties
    key = Ed25519PrivateKey.generate()
    private = key.private_bytes_raw()
    with pytest.raises(SignatureRefused) as refused:
        add_key(session, party=ukraine, pem=b"-----BEGIN PRIVATE KEY-----\n" + private)
    assert refused.value.error_code == "key_is_private"
    with pytest.raises(SignatureRefused):
        add_key(session, party=ukraine, pem=b"not a key")
    add_key(session, party=ukraine, pem=_pem(key))
    with pytest.raises(Conflict, match="registered already"):
        add_key(session, party=russia, pem=_pem(key))
    with pytest.raises(InvalidInput, match="end after it starts"):
        add_key(
            session, party=russia, pem=_pem(Ed25519PrivateKey.generate()),
            valid_from=NOW, valid_until=NOW - timedelta(days=1),
        )  # fmt: skip
    with pytest.raises(InvalidInput, match="needs a reason"):
        revoke_key(session, key=key_id(key.public_key()), reason="  ")
    with pytest.raises(NotFound):
        revoke_key(session, key="0" * 16, reason="no such key")
    revoke_key(session, key=key_id(key.public_key()), reason="rotated")
    with pytest.raises(Conflict, match="revoked already"):
        revoke_key(session, key=key_id(key.public_key()), reason="again")
    assert session.scalar(select(func.count()).select_from(PartyKey)) == 1


def test_a_receipt_changed_or_signed_by_another_key_does_not_verify() -> None:
    mediator, impostor = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    receipt = sign_document(
        {"format": RECEIPT_FORMAT, "batch": 1, "counts": {"added": 3}}, mediator
    )
    public = mediator.public_key()
    assert verify_document(receipt, public, expected_format=RECEIPT_FORMAT)["batch"] == 1
    changed = {**receipt, "counts": {"added": 30}}
    refusals: list[tuple[object, str]] = [
        (changed, "document_signature_invalid"),
        (sign_document(receipt, impostor), "document_foreign_key"),
        ({**receipt, "signature": "garbage"}, "document_garbled"),
        ([1, 2], "document_garbled"),
    ]
    for document, code in refusals:
        with pytest.raises(SignatureRefused) as refused:
            verify_document(document, public, expected_format=RECEIPT_FORMAT)
        assert refused.value.error_code == code


def _repack(data: bytes, change: Callable[[dict[str, bytes]], None]) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    change(parts)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        for name, content in parts.items():
            package.writestr(name, content)
    return out.getvalue()


def test_a_package_whose_manifest_does_not_match_its_files_is_refused() -> None:
    mediator = Ed25519PrivateKey.generate()
    records = [{"release": 1, "fields": {"surname": "Лисенко"}}]
    data = build_package(records, {"recipient": "Ukraine"}, mediator)
    public = mediator.public_key()
    assert verify_package(data, public).records == records

    def edit_records(parts: dict[str, bytes]) -> None:
        parts["records.json"] = parts["records.json"].replace(
            "Лисенко".encode(), "Лысенко".encode()
        )

    def edit_manifest(parts: dict[str, bytes]) -> None:
        manifest = json.loads(parts["manifest.json"])
        manifest["recipient"] = "Russia"
        parts["manifest.json"] = json.dumps(manifest).encode()

    def add_part(parts: dict[str, bytes]) -> None:
        parts["extra.json"] = b"{}"

    def drop_signature(parts: dict[str, bytes]) -> None:
        del parts["manifest.sig"]

    refusals = [
        (_repack(data, edit_records), "package_manifest_mismatch"),
        (_repack(data, edit_manifest), "document_signature_invalid"),
        (_repack(data, add_part), "package_parts"),
        (_repack(data, drop_signature), "package_parts"),
        (data[: len(data) // 2], "package_garbled"),
        (b"not a zip", "package_garbled"),
    ]
    for broken, code in refusals:
        with pytest.raises(SignatureRefused) as refused:
            verify_package(broken, public)
        assert refused.value.error_code == code
    with pytest.raises(SignatureRefused) as refused:
        verify_package(data, load_public_key(_pem(Ed25519PrivateKey.generate())))
    assert refused.value.error_code == "document_foreign_key"


def _cli(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def test_the_command_line_refuses_with_exit_2_and_audits_the_refusal(
    configured: str, tmp_path: Path
) -> None:
    assert _cli("db", "upgrade")[0] == 0
    assert _cli("party", "add", "Ukraine", "--role", "requesting")[0] == 0
    assert _cli("party", "add", "Russia", "--role", "custodial")[0] == 0
    key, other = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    (tmp_path / "ua.pub").write_bytes(_pem(key))
    (tmp_path / "ru.pub").write_bytes(_pem(other))
    assert _cli("keys", "add", "--party", "Ukraine", str(tmp_path / "ua.pub"))[0] == 0
    assert _cli("keys", "add", "--party", "Russia", str(tmp_path / "ru.pub"))[0] == 0
    path = write_csv(tmp_path, "requests.csv", REQUEST_HEADER, REQUEST_ROWS)
    (tmp_path / "foreign.sig").write_text(sign_file(path, other))
    (tmp_path / "garbled.sig").write_text(sign_file(path, key)[:40])
    for name in ("foreign.sig", "garbled.sig"):
        status, output = _cli(
            "import", str(path), "--party", "Ukraine", "--kind", "requests",
            "--signature", str(tmp_path / name),
        )  # fmt: skip
        assert status == 2, output
        assert "not a key of Ukraine" in output or "truncated or garbled" in output
    revoked = _cli("keys", "revoke", key_id(key.public_key()), "--reason", "stolen")
    assert revoked[0] == 0 and "revoked key" in revoked[1]
    listed = _cli("keys", "list", "--party", "Ukraine")[1].split("\t")
    assert listed[2] == "revoked" and listed[-1] == "stolen\n"
    (tmp_path / "revoked.sig").write_text(sign_file(path, key))
    status, output = _cli(
        "import", str(path), "--party", "Ukraine", "--kind", "requests",
        "--signature", str(tmp_path / "revoked.sig"),
    )  # fmt: skip
    assert status == 2 and "revoked on" in output and "stolen" in output
    with transaction(default_sessions()) as session:
        assert _batches(session) == 0
        refusals = [
            json.loads(entry.details)
            for entry in session.scalars(
                select(AuditEntry)
                .where(AuditEntry.action == "list.refused")
                .order_by(AuditEntry.id)
            )
        ]
        assert [r["code"] for r in refusals] == [
            "signature_foreign_key",
            "signature_garbled",
            "signature_key_revoked",
        ]
        actions = set(session.scalars(select(AuditEntry.action)))
        assert {"key.added", "key.revoked"} <= actions
    # A receipt changed after it was issued is refused offline, exit 2.
    bad = tmp_path / "receipt.json"
    bad.write_text(json.dumps({"format": RECEIPT_FORMAT, "signature": "x"}))
    status, output = _cli("verify-receipt", str(bad))
    assert status == 2 and "no readable signature" in output
    status, output = _cli("verify-package", str(bad))
    assert status == 2 and "not a readable Reunite package" in output
