"""Backup and restore: one consistent snapshot of every table and stored file, encrypted.

`write_backup` reads every table of the schema in one read-only snapshot (a deferred reader
on SQLite, REPEATABLE READ on PostgreSQL: writers are not held up, and every table is seen
at the same moment), adds the attachment store's files, and writes the whole as a tar stream
sealed in chunks with AES-256-GCM under the backup key (settings). Each chunk's number is
authenticated and the last one is marked, so a file cut short, reordered or altered anywhere
is refused, never half restored. `restore_backup` refuses anything but an empty database at
the backup's schema revision, then loads every table in the order of its foreign keys.

Rows are written as JSON lines with their types tagged (times, dates, UUIDs, bytes, JSON
documents), so both databases restore each other's backups.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import shutil
import struct
import tarfile
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import JSON, Engine, LargeBinary, MetaData, Table, func, insert, select, text
from sqlalchemy.orm import Session

from reunite.db.engine import read_only_snapshot
from reunite.errors import InvalidInput

MAGIC = b"REUNITE-BACKUP-1\n"
CHUNK = 1024 * 1024
INSERT_BATCH = 1000
_FINAL = b"\x01"
_MORE = b"\x00"


class BackupRefused(InvalidInput):
    """A backup file that cannot be trusted or restored here; nothing was changed."""

    code = "backup_refused"


def new_key() -> str:
    """Return a new random backup key, as the settings hold it (URL-safe base64, 32 bytes)."""
    return base64.urlsafe_b64encode(os.urandom(32)).decode("ascii")


def _key_bytes(key: str) -> bytes:
    try:
        raw = base64.urlsafe_b64decode(key.encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        raw = b""
    if len(raw) != 32:
        raise BackupRefused(
            "the backup key must be 32 bytes in URL-safe base64 (make one: reunite backup key)"
        )
    return raw


def _key_id(raw: bytes) -> bytes:
    return hashlib.sha256(b"reunite-backup-key" + raw).digest()[:8]


class _Sealer(io.RawIOBase):
    """A writable stream that seals what it is given in numbered AES-GCM chunks."""

    def __init__(self, out: IO[bytes], raw_key: bytes) -> None:
        super().__init__()
        self._out = out
        self._aead = AESGCM(raw_key)
        self._buffer = bytearray()
        self._number = 0
        out.write(MAGIC + _key_id(raw_key))

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        view = bytes(data)
        self._buffer.extend(view)
        while len(self._buffer) >= CHUNK:
            self._seal(bytes(self._buffer[:CHUNK]), final=False)
            del self._buffer[:CHUNK]
        return len(view)

    def _seal(self, plain: bytes, *, final: bool) -> None:
        nonce = os.urandom(12)
        flag = _FINAL if final else _MORE
        sealed = self._aead.encrypt(nonce, plain, struct.pack(">Q", self._number) + flag)
        self._out.write(struct.pack(">I", len(sealed)) + flag + nonce + sealed)
        self._number += 1

    def close(self) -> None:
        if not self.closed:
            self._seal(bytes(self._buffer), final=True)
            self._buffer.clear()
        super().close()


def _opened(source: IO[bytes], raw_key: bytes) -> Iterator[bytes]:
    """Yield a sealed stream's chunks, checked; refuse a wrong key, a cut or an alteration."""
    head = source.read(len(MAGIC) + 8)
    if head[: len(MAGIC)] != MAGIC:
        raise BackupRefused("this is not a Reunite backup")
    if head[len(MAGIC) :] != _key_id(raw_key):
        raise BackupRefused("this backup was made with another key")
    aead = AESGCM(raw_key)
    number = 0
    while True:
        frame = source.read(5)
        if len(frame) < 5:
            raise BackupRefused("the backup is cut short: its last part is missing")
        (length,) = struct.unpack(">I", frame[:4])
        flag = frame[4:5]
        nonce = source.read(12)
        sealed = source.read(length)
        if len(nonce) < 12 or len(sealed) < length or length > CHUNK + 16:
            raise BackupRefused("the backup is cut short or damaged")
        try:
            plain = aead.decrypt(nonce, sealed, struct.pack(">Q", number) + flag)
        except InvalidTag:
            raise BackupRefused(
                f"the backup was altered or damaged (part {number + 1} fails its check)"
            ) from None
        yield plain
        number += 1
        if flag == _FINAL:
            if source.read(1):
                raise BackupRefused("the backup holds data after its last part")
            return


class _Opened(io.RawIOBase):
    """A readable stream over a sealed backup's checked chunks."""

    def __init__(self, source: IO[bytes], raw_key: bytes) -> None:
        super().__init__()
        self._chunks = _opened(source, raw_key)
        self._buffer = b""

    def readable(self) -> bool:
        return True

    def readinto(self, target: Any) -> int:
        while not self._buffer:
            try:
                self._buffer = next(self._chunks)
            except StopIteration:
                return 0
        count = min(len(target), len(self._buffer))
        target[:count] = self._buffer[:count]
        self._buffer = self._buffer[count:]
        return count


# --- rows as JSON lines -----------------------------------------------------------------


def _encode(value: Any, *, document: bool) -> Any:
    if value is None:
        return None
    if document:
        return {"$json": value}
    if isinstance(value, datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, date):
        return {"$d": value.isoformat()}
    if isinstance(value, uuid.UUID):
        return {"$uuid": str(value)}
    if isinstance(value, bytes | memoryview):
        return {"$b64": base64.b64encode(bytes(value)).decode("ascii")}
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict) and len(value) == 1:
        ((tag, inner),) = value.items()
        if tag == "$json":
            return inner
        if tag == "$dt":
            return datetime.fromisoformat(inner)
        if tag == "$d":
            return date.fromisoformat(inner)
        if tag == "$uuid":
            return uuid.UUID(inner)
        if tag == "$b64":
            return base64.b64decode(inner)
    return value


def _documents(table: Table) -> set[str]:
    return {
        column.name
        for column in table.columns
        if isinstance(column.type, JSON) or isinstance(getattr(column.type, "impl", None), JSON)
    }


def _rows(connection: Any, table: Table) -> Iterator[bytes]:
    documents = _documents(table)
    order = list(table.primary_key.columns) or list(table.columns)
    result = connection.execution_options(stream_results=True).execute(
        select(table).order_by(*order)
    )
    for row in result.mappings():
        line = {name: _encode(value, document=name in documents) for name, value in row.items()}
        yield json.dumps(line, ensure_ascii=False, sort_keys=True).encode("utf-8") + b"\n"


def _revision(connection: Any) -> str:
    try:
        found = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except Exception:  # noqa: BLE001 - no version table: not a Reunite database
        return ""
    return str(found or "")


@dataclass
class BackupReport:
    """What a backup holds (or a restore loaded): rows per table, files, the revision."""

    revision: str = ""
    tables: dict[str, int] = field(default_factory=dict)
    files: int = 0

    @property
    def rows(self) -> int:
        return sum(self.tables.values())


def _add(archive: tarfile.TarFile, name: str, data: IO[bytes], size: int) -> None:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mode = 0o600
    archive.addfile(info, data)


def write_backup(
    engine: Engine, metadata: MetaData, *, attachments: Path, out: Path, key: str
) -> BackupReport:
    """Write a sealed snapshot of every table and stored file to `out` (mode 0600)."""
    raw = _key_bytes(key)
    if out.exists():
        raise BackupRefused(f"{out} exists already; a backup never overwrites a file")
    report = BackupReport()
    descriptor = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as handle, _Sealer(handle, raw) as sealer:
            with tarfile.open(fileobj=sealer, mode="w|") as archive, Session(engine) as session:
                read_only_snapshot(session)
                connection = session.connection()
                report.revision = _revision(connection)
                for table in metadata.sorted_tables:
                    with tempfile.TemporaryFile() as spool:
                        count = 0
                        for line in _rows(connection, table):
                            spool.write(line)
                            count += 1
                        report.tables[table.name] = count
                        size = spool.tell()
                        spool.seek(0)
                        _add(archive, f"tables/{table.name}.jsonl", spool, size)
                files = (
                    sorted(p for p in attachments.rglob("*") if p.is_file())
                    if attachments.is_dir()
                    else []
                )
                for path in files:
                    with path.open("rb") as stored:
                        _add(
                            archive,
                            f"files/{path.relative_to(attachments).as_posix()}",
                            stored,
                            path.stat().st_size,
                        )
                report.files = len(files)
                manifest = json.dumps(
                    {"revision": report.revision, "tables": report.tables, "files": report.files},
                    sort_keys=True,
                ).encode("utf-8")
                _add(archive, "manifest.json", io.BytesIO(manifest), len(manifest))
    except BaseException:
        out.unlink(missing_ok=True)
        raise
    return report


def _empty(engine: Engine, metadata: MetaData) -> bool:
    with engine.connect() as connection:
        return all(
            not connection.execute(select(func.count()).select_from(table)).scalar()
            for table in metadata.sorted_tables
        )


def _reset_sequences(connection: Any, metadata: MetaData) -> None:
    """On PostgreSQL, let each table's id sequence go on after the restored rows."""
    if connection.dialect.name != "postgresql":
        return
    for table in metadata.sorted_tables:
        keys = list(table.primary_key.columns)
        if len(keys) != 1:
            continue
        sequence = connection.execute(
            text("SELECT pg_get_serial_sequence(:table, :column)"),
            {"table": table.name, "column": keys[0].name},
        ).scalar()
        if sequence:
            highest = connection.execute(select(func.max(keys[0]))).scalar() or 0
            connection.execute(
                text("SELECT setval(CAST(:sequence AS regclass), :next, false)"),
                {"sequence": sequence, "next": int(highest) + 1},
            )


def restore_backup(
    engine: Engine, metadata: MetaData, *, attachments: Path, source: Path, key: str, revision: str
) -> BackupReport:
    """Load a sealed backup into an empty database at the same schema revision, all or nothing."""
    raw = _key_bytes(key)
    if not _empty(engine, metadata):
        raise BackupRefused("the database is not empty: a backup is restored onto an empty one")
    if attachments.exists() and any(attachments.iterdir()):
        raise BackupRefused(f"the attachment folder {attachments} is not empty")
    tables = {table.name: table for table in metadata.sorted_tables}
    report = BackupReport()
    staged = Path(
        tempfile.mkdtemp(
            prefix="reunite-restore-",
            dir=attachments.parent if attachments.parent.exists() else None,
        )
    )
    try:
        with source.open("rb") as handle, engine.begin() as connection:
            stream = io.BufferedReader(_Opened(handle, raw), buffer_size=CHUNK)
            with tarfile.open(fileobj=stream, mode="r|") as archive:
                for member in archive:
                    name = member.name
                    data = archive.extractfile(member) if member.isfile() else None
                    if data is None:
                        raise BackupRefused(f"the backup holds an unexpected entry {name!r}")
                    if name.startswith("tables/") and name.endswith(".jsonl"):
                        table = tables.get(name[len("tables/") : -len(".jsonl")])
                        if table is None:
                            raise BackupRefused(
                                f"the backup holds a table this version has not: {name}"
                            )
                        report.tables[table.name] = _load(connection, table, data)
                    elif name.startswith("files/"):
                        relative = Path(name[len("files/") :])
                        if relative.is_absolute() or ".." in relative.parts:
                            raise BackupRefused(
                                f"the backup names a file outside its folder: {name}"
                            )
                        target = staged / relative
                        target.parent.mkdir(parents=True, exist_ok=True)
                        target.write_bytes(data.read())
                        report.files += 1
                    elif name == "manifest.json":
                        manifest = json.loads(data.read())
                        report.revision = str(manifest.get("revision", ""))
                        if report.revision != revision:
                            raise BackupRefused(
                                f"the backup is of schema revision {report.revision!r}; this "
                                f"installation is at {revision!r}"
                            )
                        if (
                            manifest.get("tables") != report.tables
                            or manifest.get("files") != report.files
                        ):
                            raise BackupRefused("the backup's contents do not match its manifest")
                    else:
                        raise BackupRefused(f"the backup holds an unexpected entry {name!r}")
            if not report.revision:
                raise BackupRefused("the backup has no manifest: it is incomplete")
            _reset_sequences(connection, metadata)
        attachments.parent.mkdir(parents=True, exist_ok=True)
        if attachments.exists():
            attachments.rmdir()
        staged.rename(attachments)
    finally:
        shutil.rmtree(staged, ignore_errors=True)
    return report


def _load(connection: Any, table: Table, data: IO[bytes]) -> int:
    count = 0
    batch: list[dict[str, Any]] = []
    binary = {c.name for c in table.columns if isinstance(c.type, LargeBinary)}
    for line in data:
        row = {name: _decode(value) for name, value in json.loads(line).items()}
        for name in binary:
            if isinstance(row.get(name), str):
                row[name] = base64.b64decode(row[name])
        batch.append(row)
        if len(batch) >= INSERT_BATCH:
            connection.execute(insert(table), batch)
            count += len(batch)
            batch = []
    if batch:
        connection.execute(insert(table), batch)
        count += len(batch)
    return count
