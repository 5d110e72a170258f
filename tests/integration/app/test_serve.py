"""`reunite serve` behind a TLS proxy: it believes forwarded headers from trusted proxies only."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import httpx

from serving import REUNITE, free_port, serving


@contextmanager
def _serving(tmp_path: Path, *options: str) -> Iterator[str]:
    env = {**os.environ, "REUNITE_DATABASE_URL": f"sqlite:///{tmp_path / 'reunite.db'}"}
    subprocess.run([str(REUNITE), "db", "upgrade"], env=env, check=True, capture_output=True)
    with serving(env, *options) as url:
        yield url


def _login_cookie(url: str) -> str:
    response = httpx.get(f"{url}/login", headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == 200
    return response.headers["set-cookie"]


def test_cookies_are_secure_behind_a_trusted_proxy(tmp_path: Path) -> None:
    with _serving(tmp_path) as url:
        # The proxy on this machine said the browser came over HTTPS.
        assert "secure" in _login_cookie(url).lower()


def test_forwarded_headers_of_an_untrusted_address_are_ignored(tmp_path: Path) -> None:
    with _serving(tmp_path, "--forwarded-allow-ips", "10.9.8.7") as url:
        # We are not the trusted proxy: our claim of HTTPS is not believed.
        assert "secure" not in _login_cookie(url).lower()


def test_many_concurrent_callers_all_get_answers(tmp_path: Path) -> None:
    """More callers at once than the server has threads and connections: none may starve.

    A request holds its connection (and on SQLite the write lock) across several thread
    hops; when the threads all waited for connections, the holders could not finish and
    every call failed after 30 s. Requests now queue for a session on the event loop.
    """
    env = {**os.environ, "REUNITE_DATABASE_URL": f"sqlite:///{tmp_path / 'reunite.db'}"}
    for command in (["db", "upgrade"], ["party", "add", "Ukraine", "--role", "requesting"]):
        subprocess.run([str(REUNITE), *command], env=env, check=True, capture_output=True)
    made = subprocess.run(
        [str(REUNITE), "user", "create", "--username", "liaison", "--role", "liaison"]
        + ["--party", "Ukraine", "--password-stdin"],
        env=env,
        input="a long enough password 1",
        capture_output=True,
        text=True,
        check=True,
    )
    assert made.returncode == 0
    token = subprocess.run(
        [str(REUNITE), "token", "create", "--username", "liaison"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()[-1]
    callers = 120  # three times the server's 40 threads, eight times its 15 connections

    def everyone(url: str) -> list[int]:
        headers = {"Authorization": f"Bearer {token}"}
        # Threads, not asyncio: a test run that drives a browser has an event loop already.
        with ThreadPoolExecutor(max_workers=callers) as pool:
            calls = [
                pool.submit(httpx.get, f"{url}/api/v1/records", headers=headers, timeout=60)
                for _ in range(callers)
            ]
            return [call.result().status_code for call in calls]

    with serving(env) as url:
        assert (
            httpx.get(f"{url}/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code
            == 200
        )
        statuses = everyone(url)
    # Starved calls used to fail (500) when the 30 s pool and lock timeouts ran out.
    assert statuses == [200] * callers


def test_a_server_told_to_stop_stops_its_worker_and_leaks_nothing(tmp_path: Path) -> None:
    env = {**os.environ, "REUNITE_DATABASE_URL": f"sqlite:///{tmp_path / 'reunite.db'}"}
    env["REUNITE_PORT"] = str(free_port())  # the port comes from the settings
    subprocess.run([str(REUNITE), "db", "upgrade"], env=env, check=True, capture_output=True)
    log = tmp_path / "server.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            [str(REUNITE), "serve"], env=env, stdout=output, stderr=subprocess.STDOUT
        )
        url = f"http://127.0.0.1:{env['REUNITE_PORT']}"
        for _ in range(300):
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        children = _children(server.pid)
        assert children, "the job worker runs beside the server"
        server.send_signal(signal.SIGTERM)  # as a process manager stops it
        assert server.wait(timeout=60) == 0
    text = log.read_text(encoding="utf-8", errors="replace")
    assert "leaked" not in text and "Traceback" not in text, text
    # The job worker, and multiprocessing's resource tracker, end with the server (the
    # tracker a moment after: it sees its pipe close).
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not all(_gone(child) for child in children):
        time.sleep(0.1)
    assert all(_gone(child) for child in children), children


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(n) for n in (task / "children").read_text().split()]
    return found


def _gone(pid: int) -> bool:
    return not Path(f"/proc/{pid}").exists() or _zombie(pid)


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1].startswith("Z")
    except OSError:
        return True
