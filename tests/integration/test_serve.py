"""`reunite serve` behind a TLS proxy: it believes forwarded headers from trusted proxies only."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from serving import REUNITE, serving


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
