"""Bodies are judged before they are read: who sends them, and how large they are.

The attacks: an anonymous 210 MB upload that was written to disk before its 401, a body of
any size, a chunked body that never says its size, and the gigabytes of write-ahead log a
refused import left behind on SQLite until shutdown.
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from reunite.app import create_app
from reunite.auth.service import create_token
from reunite.db import engine as db_engine
from reunite.db.engine import make_engine, shrink_wal, transaction
from reunite.db.migrate import upgrade
from reunite.wiring import default_engine, default_sessions

from factories import REQUEST_HEADER, csv_bytes
from serving import REUNITE, serving
from world import build_world


@pytest.fixture
def server(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[str, str, Path]]:
    """A real server whose uploads may be 1 MB at most, its token, and its temporary folder."""
    import subprocess

    temporary = tmp_path / "server-tmp"
    temporary.mkdir()
    env = {**os.environ, "REUNITE_DATABASE_URL": database_url, "TMPDIR": str(temporary)}
    env["REUNITE_MAX_UPLOAD_MB"] = "1"
    subprocess.run([str(REUNITE), "db", "upgrade"], env=env, check=True, capture_output=True)
    engine = make_engine(database_url)
    with transaction(db_engine.session_factory(engine)) as session:
        build_world(session, tmp_path)
        token, _ = create_token(session, username="liaison_requesting")
    engine.dispose()
    with serving(env) as url:
        yield url, token, temporary


def _raw(url: str, head: str, body: bytes, *, read_seconds: float = 5.0) -> tuple[int, float]:
    """Send a request's head and part of its body; return the status and how long it took."""
    host, port = url.removeprefix("http://").split(":")
    started = time.monotonic()
    with socket.create_connection((host, int(port)), timeout=read_seconds) as connection:
        connection.sendall(head.encode("latin-1") + body)
        answer = connection.recv(4096)
    status = int(answer.split(b" ", 2)[1])
    return status, time.monotonic() - started


def _head(path: str, *, length: int | None, token: str = "", extra: str = "") -> str:
    lines = [
        f"POST {path} HTTP/1.1",
        "Host: 127.0.0.1",
        "Content-Type: multipart/form-data; boundary=x",
    ]
    if length is not None:
        lines.append(f"Content-Length: {length}")
    if token:
        lines.append(f"Authorization: Bearer {token}")
    return "\r\n".join(lines) + extra + "\r\n\r\n"


def test_an_anonymous_upload_is_refused_before_its_body_is_read(
    server: tuple[str, str, Path],
) -> None:
    url, _token, temporary = server
    # 210 MB announced, 64 KB sent: an answer can only come if the body was never awaited.
    status, seconds = _raw(url, _head("/api/v1/lists", length=210 * 2**20), b"x" * 65536)
    assert status == 401 and seconds < 3
    status, _ = _raw(url, _head("/lists/upload", length=210 * 2**20), b"x" * 65536)
    assert status == 303  # a page: off to log in
    # A token that is not valid is no better than none.
    bad = _head("/api/v1/lists", length=210 * 2**20, token="rnt_not-a-token")
    assert _raw(url, bad, b"x" * 65536)[0] == 401
    assert list(temporary.iterdir()) == []  # nothing of it touched the disk


def test_a_body_larger_than_the_route_takes_is_refused(server: tuple[str, str, Path]) -> None:
    url, token, temporary = server
    status, seconds = _raw(url, _head("/api/v1/lists", length=5 * 2**20, token=token), b"x" * 1024)
    assert status == 413 and seconds < 3
    # Forms other than list uploads take far less (8 MB by default).
    status, _ = _raw(
        url, _head("/api/v1/candidates/1/decision", length=50 * 2**20, token=token), b""
    )
    assert status == 413
    assert list(temporary.iterdir()) == []


def test_a_chunked_body_is_cut_off_once_it_passes_the_limit(server: tuple[str, str, Path]) -> None:
    url, token, _temporary = server
    # A well-formed multipart start, so the form parser keeps reading what follows.
    start = b'--x\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\n'
    chunk = b"y" * 65536
    pieces = [start] + [chunk] * 40  # 2.5 MB
    body = b"".join(b"%x\r\n%s\r\n" % (len(piece), piece) for piece in pieces)
    head = _head("/api/v1/lists", length=None, token=token, extra="\r\nTransfer-Encoding: chunked")
    status, _ = _raw(url, head, body + b"0\r\n\r\n", read_seconds=30)
    assert status == 413


def test_a_refused_large_import_does_not_leave_its_write_ahead_log_behind(
    configured: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not configured.startswith("sqlite"):
        pytest.skip("the write-ahead log is SQLite's")
    upgrade(default_engine())
    with transaction(default_sessions()) as session:
        build_world(session, tmp_path)
        token, _ = create_token(session, username="liaison_requesting")
    monkeypatch.setattr(db_engine, "WAL_LIMIT_BYTES", 64 * 1024)
    rows = [[f"UA-{n}", "Коваль", "Ірина", "", "F", "2015-01-02", "", "", ""] for n in range(3000)]
    rows.append(["UA-BAD", "Коваль", "Ірина", "", "F", "31.02.2015", "", "", ""])
    client = TestClient(create_app())
    refused = client.post(
        "/api/v1/lists",
        headers={"Authorization": f"Bearer {token}"},
        data={"kind": "requests"},
        files={"file": ("big.csv", csv_bytes(REQUEST_HEADER, rows).encode(), "text/csv")},
    )
    assert refused.status_code == 422
    wal = Path(configured.removeprefix("sqlite:///") + "-wal")
    assert not wal.exists() or wal.stat().st_size <= 64 * 1024


def test_shrink_wal_cuts_a_long_log_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'w.db'}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE t (x BLOB)"))
    monkeypatch.setattr(db_engine, "WAL_LIMIT_BYTES", 1024)
    connection = engine.connect()
    transaction_ = connection.begin()
    for _ in range(50):
        connection.execute(text("INSERT INTO t VALUES (:x)"), {"x": os.urandom(50_000)})
    transaction_.rollback()
    connection.close()
    wal = tmp_path / "w.db-wal"
    assert wal.stat().st_size > 1024
    shrink_wal(engine)
    assert wal.stat().st_size == 0
    engine.dispose()
