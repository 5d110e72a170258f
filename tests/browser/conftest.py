"""A real Reunite server on a free port with demo data, and Debian's Chromium to drive it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from serving import REUNITE, serving

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass
class DemoServer:
    """A running `reunite serve` on a demo database, and the demo accounts it was given."""

    url: str
    # time.monotonic() when `reunite serve` was launched: the clock of the two-minute promise.
    started: float
    accounts: list[dict[str, Any]]

    def account(self, role: str, party: str | None = None) -> dict[str, Any]:
        """Return the demo account of a role (of a party, for the two liaisons)."""
        for account in self.accounts:
            if account["role"] == role and (party is None or account["party"] == party):
                return account
        raise LookupError(f"no demo account with role {role} and party {party}")


@contextmanager
def running_demo(folder: Path, *, requests: int, disclosures: int) -> Iterator[DemoServer]:
    """Fill a SQLite database with `reunite demo`, then run `reunite serve` on a free port."""
    env = {
        **os.environ,
        "REUNITE_DATABASE_URL": f"sqlite:///{folder / 'reunite.db'}",
        # `db upgrade` makes the mediator's signing key: in the test's folder, not the cwd.
        "REUNITE_MEDIATOR_KEY_FILE": str(folder / "mediator-key.pem"),
    }
    credentials = folder / "accounts.json"
    demo = ["demo", "--requests", str(requests), "--disclosures", str(disclosures)]
    for command in (["db", "upgrade"], [*demo, "--credentials-out", str(credentials)]):
        subprocess.run([str(REUNITE), *command], env=env, check=True, capture_output=True)
    accounts = json.loads(credentials.read_text(encoding="utf-8"))
    started = time.monotonic()
    log_path = folder / "server.log"
    with log_path.open("wb") as log, serving(env, log=log) as url:
        yield DemoServer(url=url, started=started, accounts=accounts)
    # A server error behind a page is a defect even when the test saw no symptom of it.
    logged = log_path.read_text(encoding="utf-8", errors="replace")
    if "Traceback" in logged:
        raise AssertionError(f"the server logged an error:\n{logged[-6000:]}")


@pytest.fixture(scope="session")
def start_demo() -> Callable[..., AbstractContextManager[DemoServer]]:
    """Give tests `running_demo`, to start a server of their own (one per module, say)."""
    return running_demo


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoServer]:
    """Start `reunite serve` on a SQLite database filled by `reunite demo`."""
    with running_demo(tmp_path_factory.mktemp("server"), requests=150, disclosures=200) as server:
        yield server


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Launch Debian's Chromium headless (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Debian's chromium is not installed; scripts/test installs it with apt")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_FLAGS
        )
        yield launched
        launched.close()
