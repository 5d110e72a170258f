"""The database server goes away under load: 503 with Retry-After, then recovery, no restart.

The application reaches PostgreSQL through a TCP relay this test runs; closing the relay
(and every connection through it) is the database restarting or the network between them
failing. Clients keep calling the whole time. SQLite is a file inside the server's own
process: there is no server to lose, so the test runs on PostgreSQL only.
"""

from __future__ import annotations

import socket
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from fastapi.testclient import TestClient

from reunite.app import create_app
from reunite.auth.service import create_token
from reunite.db.engine import transaction
from reunite.db.migrate import upgrade
from reunite.settings import get_settings
from reunite.wiring import default_engine, default_sessions, engine_for

from world import build_world


class Relay:
    """A TCP relay from a local port to the database server that can be cut and restored."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        self.port = probe.getsockname()[1]
        probe.close()
        self._listener: socket.socket | None = None
        self._open: list[socket.socket] = []
        self._lock = threading.Lock()

    def start(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        """Stop accepting and break every connection through the relay."""
        if self._listener is not None:
            # Closing alone leaves a thread blocked in accept() listening on (Linux): shut
            # the socket down first, which wakes it.
            try:
                self._listener.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self._listener.close()
            self._listener = None
        with self._lock:
            for sock in self._open:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                sock.close()
            self._open.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # cut
            try:
                server = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._open += [client, server]
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while chunk := source.recv(65536):
                sink.sendall(chunk)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


@dataclass
class Load:
    """Clients calling the API in a loop; every answer is kept with its time."""

    answers: list[tuple[float, int, str, str, str]] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def between(self, start: float, end: float) -> Counter[int]:
        return Counter(status for at, status, *_ in self.answers if start <= at < end)


def _through(url: str, relay: Relay) -> str:
    parts = urlsplit(url)
    netloc = parts.netloc.rsplit("@", 1)
    user = netloc[0] + "@" if len(netloc) == 2 else ""
    return urlunsplit(parts._replace(netloc=f"{user}127.0.0.1:{relay.port}"))


def test_a_database_away_gives_503_then_the_service_recovers_by_itself(
    configured: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not configured.startswith("postgresql"):
        pytest.skip("SQLite is a file in the server's own process: no server to lose")
    upgrade(default_engine())
    with transaction(default_sessions()) as session:
        build_world(session, tmp_path)
        token = create_token(session, username="liaison_requesting")[0]
    parts = urlsplit(configured)
    relay = Relay((parts.hostname or "127.0.0.1", parts.port or 5432))
    relay.start()
    monkeypatch.setenv("REUNITE_DATABASE_URL", _through(configured, relay))
    get_settings.cache_clear()
    engine_for.cache_clear()
    app = create_app()
    load = Load()
    headers = {"Authorization": f"Bearer {token}"}

    def client_loop() -> None:
        client = TestClient(app)
        while not load.stop.is_set():
            for url in ("/api/v1/me", "/api/v1/records?limit=5"):
                answer = client.get(url, headers=headers)
                code = answer.json().get("code", "") if answer.status_code != 200 else ""
                retry = answer.headers.get("retry-after", "")
                load.answers.append((time.monotonic(), answer.status_code, code, retry, url))

    clients = [threading.Thread(target=client_loop, daemon=True) for _ in range(4)]
    for thread in clients:
        thread.start()
    try:
        time.sleep(2)
        cut_at = time.monotonic()
        relay.cut()
        time.sleep(4)
        back_at = time.monotonic()
        relay.start()
        time.sleep(6)
    finally:
        load.stop.set()
        for thread in clients:
            thread.join(timeout=30)
        relay.cut()
        engine_for.cache_clear()
    end = time.monotonic()
    assert load.between(0, cut_at) and set(load.between(0, cut_at)) == {200}
    # Away: once the connections in flight have failed, every answer is a 503 that says why
    # and when to try again; never a 500, never a hang.
    away = load.between(cut_at + 0.5, back_at)
    assert away and set(away) == {503}, away
    refused = [a for a in load.answers if cut_at + 0.5 <= a[0] < back_at]
    assert {(code, retry) for _, _, code, retry, _ in refused} == {("database_unavailable", "5")}
    assert set(load.between(cut_at, end)) <= {200, 503}
    # Back: the same application, not restarted, answers again within seconds.
    recovered = load.between(back_at + 3, end)
    assert recovered and set(recovered) == {200}, recovered
