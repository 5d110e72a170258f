"""The load benchmark in a short form: many clients at once lose no write and break nothing.

`bench/api_load.py` drives a real `reunite serve` (two server processes and the job worker)
with clients of every role calling at once: reads, searches, list uploads, review
decisions, case moves, attachments, and one party's larger list stored in the background
meanwhile. Here it runs briefly on each database and must end with
no error, no acknowledged write missing, no traceback in the server's log and the audit
chain intact. Its latency target is judged by the benchmark's full run (bench/RESULTS.md),
not by a test.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).parents[3] / "bench" / "api_load.py"
POSTGRES_URL = os.environ.get("REUNITE_TEST_POSTGRES_URL", "")

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(
    "backend",
    [
        "sqlite",
        pytest.param(
            "postgresql",
            marks=pytest.mark.skipif(
                not POSTGRES_URL, reason="REUNITE_TEST_POSTGRES_URL is not set"
            ),
        ),
    ],
)
def test_many_clients_at_once_lose_no_write(backend: str, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("REUNITE_")}
    env["REUNITE_MEDIATOR_KEY_FILE"] = str(tmp_path / "mediator.pem")
    run = subprocess.run(
        [
            sys.executable, str(BENCH), "--backends", backend, "--postgres", POSTGRES_URL,
            "--clients", "12", "--seconds", "8", "--think", "0.2", "--workers", "2",
            "--demo-requests", "300", "--demo-disclosures", "400", "--no-latency-target",
            # A party's larger list stored by the job worker meanwhile, then checked whole.
            "--big-list-mb", "3",
        ],
        env=env, cwd=tmp_path, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    report = run.stdout + run.stderr
    assert run.returncode == 0, report
    assert "errors 0; lost writes 0; server tracebacks 0" in report
    assert "audit log intact" in report
    # Writes did happen, and were each looked up afterwards.
    acknowledged = re.search(r"writes acknowledged: (\d+) lists .*?, (\d+) decisions", report)
    assert acknowledged and int(acknowledged.group(1)) > 0 and int(acknowledged.group(2)) > 0
    assert re.search(r"big list: \d+ MiB, [\d,]+ rows; answered in [\d.]+ s; stored", report)
