"""Run a real `reunite serve` for a test: on a free port, stopped afterwards."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import httpx

REUNITE = Path(sys.executable).with_name("reunite")


def free_port() -> int:
    """Return a port nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(condition: Callable[[], bool], seconds: float = 60.0) -> bool:
    """Ask `condition` every 50 ms until it holds (True) or `seconds` pass (False)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


@contextmanager
def serving(env: dict[str, str], *options: str, log: IO[bytes] | None = None) -> Iterator[str]:
    """Start `reunite serve` with this environment; yield its URL once it answers."""
    port = free_port()
    output: IO[bytes] | int = log if log is not None else subprocess.DEVNULL
    server = subprocess.Popen(
        [str(REUNITE), "serve", "--port", str(port), *options],
        env=env,
        stdout=output,
        stderr=subprocess.STDOUT if log is not None else subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            raise RuntimeError("the server did not start")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


def run_queued_jobs() -> list[str]:
    """Run the queued jobs in this process as the job worker would; return their kinds.

    The application's settings (its database) must be configured, as for `create_app`.
    """
    from sqlalchemy import select

    from reunite.db.engine import transaction
    from reunite.jobs.models import Job
    from reunite.jobs.service import run_next
    from reunite.wiring import default_sessions, job_handlers

    ran: list[str] = []
    sessions = default_sessions()
    while True:
        with transaction(sessions) as session:
            queued = session.scalar(
                select(Job.kind).where(Job.status == "queued").order_by(Job.id).limit(1)
            )
        if queued is None or not run_next(sessions, handlers=job_handlers(), worker="test"):
            return ran
        ran.append(queued)
