"""Ed25519 signatures on lists, receipts and packages: the formats, with no database.

GC IV art. 137 asks that what an information bureau sends be authenticated by a signature or
seal. Between two parties at war nobody should have to take a file on trust, nor be able to
deny what they sent or received; so a party signs its lists, the mediator signs a receipt
for each accepted list and every package of released records, and each of these can be
checked offline with the signer's public key alone (`reunite verify-receipt`,
`reunite verify-package`).

Keys are PEM as OpenSSL writes them: SubjectPublicKeyInfo for public keys, PKCS#8 for
private keys. A key's id is the first 16 hex digits of the SHA-256 of its raw 32-byte public
key, so anyone holding the public key computes the same id.

A detached signature (`FILE.sig`) is a small JSON document::

    {"format": "reunite-signature-1", "file": "list.csv", "sha256": "…",
     "signed_at": "2026-12-06T10:00:00Z", "key_id": "…", "signature": "<base64>"}

The signature covers the line-separated text `reunite-signature-1`, sha256, signed_at and
key_id (each on its own line): the file's content, when it was signed, and by which key.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import json
import os
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from reunite.errors import InvalidInput, ReuniteError
from reunite.vocabulary import N_, say

SIGNATURE_FORMAT = "reunite-signature-1"
RECEIPT_FORMAT = "reunite-receipt-1"
PACKAGE_FORMAT = "reunite-package-1"
CHECKPOINT_FORMAT = "reunite-audit-checkpoint-1"
# What each signed document is called when one is refused.
_DOCUMENT_NAMES = {
    RECEIPT_FORMAT: N_("receipt"),
    PACKAGE_FORMAT: N_("package manifest"),
    CHECKPOINT_FORMAT: N_("audit checkpoint"),
}
# A signature file is a few hundred bytes; anything much larger is not one.
MAX_SIGNATURE_BYTES = 4096
MAX_KEY_BYTES = 16_384
# What a package zip may hold, and how big its parts may unpack (a package is made by us,
# but checked by a receiver who must not trust it: bounded like any hostile zip).
PACKAGE_PARTS = ("records.json", "manifest.json", "manifest.sig")
MAX_PACKAGE_PART_BYTES = 256 * 1024 * 1024


class SignatureRefused(InvalidInput):
    """A signature, receipt or package that does not hold; `code` names why, for programs."""


def _refuse(code: str, template: str, **values: object) -> SignatureRefused:
    return SignatureRefused(say(template, **values), code=code)


# --- keys -------------------------------------------------------------------------------


def key_id(public_key: Ed25519PublicKey) -> str:
    """Return a public key's id: the first 16 hex digits of the SHA-256 of its raw bytes."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def public_pem(public_key: Ed25519PublicKey) -> str:
    """Return a public key as PEM (SubjectPublicKeyInfo), as OpenSSL writes it."""
    return public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")


def load_public_key(data: bytes) -> Ed25519PublicKey:
    """Read an Ed25519 public key from PEM; refuse anything else, saying what it is."""
    if len(data) > MAX_KEY_BYTES:
        raise _refuse("key_unreadable", N_("this is not an Ed25519 public key in PEM"))
    if b"PRIVATE KEY" in data:
        # A party must never hand its private key over: refuse it and say so.
        raise _refuse(
            "key_is_private",
            N_("this is a private key; register the public key (openssl pkey -pubout)"),
        )
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, TypeError):
        raise _refuse("key_unreadable", N_("this is not an Ed25519 public key in PEM")) from None
    if not isinstance(key, Ed25519PublicKey):
        raise _refuse("key_not_ed25519", N_("this key is not an Ed25519 key"))
    return key


def load_private_key(data: bytes) -> Ed25519PrivateKey:
    """Read an Ed25519 private key from PEM (PKCS#8, unencrypted)."""
    try:
        key = serialization.load_pem_private_key(data[:MAX_KEY_BYTES], password=None)
    except (ValueError, TypeError):
        raise _refuse(
            "key_unreadable", N_("this is not an unencrypted Ed25519 private key in PEM")
        ) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise _refuse("key_not_ed25519", N_("this key is not an Ed25519 key"))
    return key


def private_pem(private_key: Ed25519PrivateKey) -> bytes:
    """Return a private key as unencrypted PKCS#8 PEM, as `openssl genpkey` writes it."""
    return private_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def write_private_file(path: Path, data: bytes) -> None:
    """Write a secret file readable by its owner only (0600), never wider, even for a moment.

    The file is created with mode 0600 whatever the umask, and refused if it exists: a key
    is never overwritten.
    """
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.fchmod(descriptor, 0o600)
        os.write(descriptor, data)
    finally:
        os.close(descriptor)


def generate_key_pair(private_path: Path, public_path: Path | None = None) -> Ed25519PrivateKey:
    """Make a new key pair: the private key in a 0600 file, the public one beside it (PEM)."""
    key = Ed25519PrivateKey.generate()
    write_private_file(private_path, private_pem(key))
    if public_path is not None:
        public_path.write_text(public_pem(key.public_key()), encoding="ascii")
    return key


def read_private_key_file(path: Path) -> Ed25519PrivateKey:
    """Read a private key file; refuse one that others may read (it is a secret)."""
    try:
        mode = path.stat().st_mode & 0o777
        data = path.read_bytes()
    except OSError as exc:
        raise ReuniteError(
            say(N_("cannot read the key file {path}: {why}"), path=str(path), why=exc.strerror)
        ) from None
    if mode & 0o077:
        raise ReuniteError(
            say(
                N_("the key file {path} may be read by others (mode {mode}); chmod 600 it"),
                path=str(path),
                mode=f"{mode:o}",
            )
        )
    return load_private_key(data)


def file_digest(path: Path) -> str:
    """Return the SHA-256 of a file's bytes, read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _parse_timestamp(text: object) -> datetime | None:
    if not isinstance(text, str) or not text.endswith("Z") or len(text) > 40:
        return None
    try:
        moment = datetime.fromisoformat(text[:-1] + "+00:00")
    except ValueError:
        return None
    return moment


# --- detached signatures of lists --------------------------------------------------------


@dataclass(frozen=True)
class DetachedSignature:
    """A parsed `.sig` file: which content, when, by which key, and the signature bytes."""

    filename: str
    sha256: str
    signed_at: datetime
    key_id: str
    signature: bytes

    def signed_bytes(self) -> bytes:
        """Return the exact bytes the signature covers."""
        return _signed_statement(self.sha256, _timestamp(self.signed_at), self.key_id)

    def verify_with(self, public_key: Ed25519PublicKey) -> bool:
        """Tell whether the signature was made by this key over this statement."""
        try:
            public_key.verify(self.signature, self.signed_bytes())
        except InvalidSignature:
            return False
        return True


def _signed_statement(sha256: str, signed_at: str, key: str) -> bytes:
    return f"{SIGNATURE_FORMAT}\n{sha256}\n{signed_at}\n{key}\n".encode("ascii")


def sign_file(path: Path, private_key: Ed25519PrivateKey, *, now: datetime | None = None) -> str:
    """Return the detached signature of a file (the `.sig` file's text)."""
    sha256 = file_digest(path)
    signed_at = _timestamp(now or datetime.now(UTC))
    public = private_key.public_key()
    kid = key_id(public)
    signature = private_key.sign(_signed_statement(sha256, signed_at, kid))
    document = {
        "format": SIGNATURE_FORMAT,
        "file": path.name,
        "sha256": sha256,
        "signed_at": signed_at,
        "key_id": kid,
        "signature": base64.b64encode(signature).decode("ascii"),
    }
    return json.dumps(document, indent=2) + "\n"


def _is_hex(text: object, length: int) -> bool:
    return (
        isinstance(text, str) and len(text) == length and all(c in "0123456789abcdef" for c in text)
    )


def parse_signature(data: bytes) -> DetachedSignature:
    """Read a `.sig` file; a truncated or garbled one is refused as such, never half-read."""
    garbled = _refuse(
        "signature_garbled",
        N_("the signature file is truncated or garbled: it is not a Reunite signature"),
    )
    if not data.strip() or len(data) > MAX_SIGNATURE_BYTES:
        raise garbled
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise garbled from None
    if not isinstance(document, dict) or document.get("format") != SIGNATURE_FORMAT:
        raise garbled
    signed_at = _parse_timestamp(document.get("signed_at"))
    raw = document.get("signature")
    try:
        signature = base64.b64decode(raw, validate=True) if isinstance(raw, str) else b""
    except (binascii.Error, ValueError):
        signature = b""
    name = document.get("file", "")
    if (
        signed_at is None
        or not _is_hex(document.get("sha256"), 64)
        or not _is_hex(document.get("key_id"), 16)
        or len(signature) != 64
        or not isinstance(name, str)
    ):
        raise garbled
    return DetachedSignature(
        filename=name[:500],
        sha256=document["sha256"],
        signed_at=signed_at,
        key_id=document["key_id"],
        signature=signature,
    )


# --- documents signed by the mediator (receipts, package manifests) ----------------------


def canonical_bytes(document: dict[str, Any]) -> bytes:
    """Return the one byte form of a JSON document that signatures cover."""
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )


def sign_document(document: dict[str, Any], private_key: Ed25519PrivateKey) -> dict[str, Any]:
    """Return the document with the signer's key id and its signature over the rest."""
    body = {k: v for k, v in document.items() if k != "signature"}
    body["key_id"] = key_id(private_key.public_key())
    signature = private_key.sign(canonical_bytes(body))
    return {**body, "signature": base64.b64encode(signature).decode("ascii")}


def verify_document(
    document: object, public_key: Ed25519PublicKey, *, expected_format: str
) -> dict[str, Any]:
    """Check a document signed with `sign_document`; return it, or refuse saying why."""
    what = _DOCUMENT_NAMES.get(expected_format, N_("package manifest"))
    if not isinstance(document, dict) or document.get("format") != expected_format:
        raise _refuse("document_garbled", N_("this is not a Reunite {what}"), what=say(what))
    raw = document.get("signature")
    try:
        signature = base64.b64decode(raw, validate=True) if isinstance(raw, str) else b""
    except (binascii.Error, ValueError):
        signature = b""
    if len(signature) != 64:
        raise _refuse(
            "document_garbled", N_("the {what} carries no readable signature"), what=say(what)
        )
    if document.get("key_id") != key_id(public_key):
        raise _refuse(
            "document_foreign_key",
            N_("the {what} was signed by key {signer}, not by this key ({key})"),
            what=say(what),
            signer=str(document.get("key_id")),
            key=key_id(public_key),
        )
    body = {k: v for k, v in document.items() if k != "signature"}
    try:
        public_key.verify(signature, canonical_bytes(body))
    except InvalidSignature:
        raise _refuse(
            "document_signature_invalid",
            N_("the {what}'s signature does not match its content: it was changed"),
            what=say(what),
        ) from None
    return document


def read_json_document(data: bytes, *, expected_format: str) -> object:
    """Parse a signed JSON document's bytes, refusing what is not JSON."""
    what = _DOCUMENT_NAMES.get(expected_format, N_("package manifest"))
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise _refuse(
            "document_garbled", N_("this is not a Reunite {what}"), what=say(what)
        ) from None


# --- packages of released records --------------------------------------------------------


def build_package(
    records: list[dict[str, Any]], manifest: dict[str, Any], private_key: Ed25519PrivateKey
) -> bytes:
    """Return a signed package: records.json, manifest.json (with its hash), manifest.sig."""
    records_bytes = json.dumps(records, ensure_ascii=False, indent=1, sort_keys=True).encode()
    body = {
        **manifest,
        "format": PACKAGE_FORMAT,
        "files": {"records.json": hashlib.sha256(records_bytes).hexdigest()},
        "records": len(records),
    }
    signed = sign_document(body, private_key)
    signature = signed.pop("signature")
    manifest_bytes = json.dumps(signed, ensure_ascii=False, indent=1, sort_keys=True).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as package:
        package.writestr("records.json", records_bytes)
        package.writestr("manifest.json", manifest_bytes)
        package.writestr("manifest.sig", signature + "\n")
    return out.getvalue()


@dataclass(frozen=True)
class VerifiedPackage:
    """A package that holds: its manifest and its records."""

    manifest: dict[str, Any]
    records: list[dict[str, Any]]


def verify_package(data: bytes, public_key: Ed25519PublicKey) -> VerifiedPackage:
    """Check a package offline: its parts, the manifest's signature, every file's hash."""
    broken = _refuse("package_garbled", N_("this is not a readable Reunite package"))
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        names = package.namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise broken from None
    if sorted(names) != sorted(PACKAGE_PARTS):
        raise _refuse(
            "package_parts",
            N_("the package holds {found}; a package holds exactly {expected}"),
            found=", ".join(sorted(names)) or "nothing",
            expected=", ".join(PACKAGE_PARTS),
        )
    parts: dict[str, bytes] = {}
    for info in package.infolist():
        if info.file_size > MAX_PACKAGE_PART_BYTES:
            raise broken
        try:
            with package.open(info) as handle:
                parts[info.filename] = handle.read(MAX_PACKAGE_PART_BYTES + 1)
        except (zipfile.BadZipFile, ValueError, OSError, EOFError):
            raise broken from None
        if len(parts[info.filename]) > MAX_PACKAGE_PART_BYTES:
            raise broken
    manifest = read_json_document(parts["manifest.json"], expected_format=PACKAGE_FORMAT)
    if isinstance(manifest, dict):
        manifest = {**manifest, "signature": parts["manifest.sig"].decode("ascii", "replace")}
        manifest["signature"] = manifest["signature"].strip()
    checked = verify_document(manifest, public_key, expected_format=PACKAGE_FORMAT)
    files = checked.get("files")
    if not isinstance(files, dict) or set(files) != {"records.json"}:
        raise broken
    actual = hashlib.sha256(parts["records.json"]).hexdigest()
    if files["records.json"] != actual:
        raise _refuse(
            "package_manifest_mismatch",
            N_("records.json does not match the package's manifest: it was changed"),
        )
    try:
        records = json.loads(parts["records.json"].decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise broken from None
    if not isinstance(records, list) or len(records) != checked.get("records"):
        raise _refuse(
            "package_manifest_mismatch",
            N_("records.json does not match the package's manifest: it was changed"),
        )
    checked.pop("signature", None)
    return VerifiedPackage(manifest=checked, records=records)
