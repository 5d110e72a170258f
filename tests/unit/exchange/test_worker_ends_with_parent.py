"""A list's worker process ends with its importer: by the kernel on Linux, by a watcher else."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

# A parent that forks a worker, tells its id, and dies without a word.
PARENT = """
import os, sys, time
from reunite.exchange import preparing
if sys.argv[1] == "elsewhere":
    sys.platform = "darwin"  # the watcher thread, as on systems without prctl
parent = os.getpid()
child = os.fork()
if child == 0:
    quiet = os.open(os.devnull, os.O_WRONLY)
    os.dup2(quiet, 1)  # the test reads the parent's output to its end
    os.dup2(quiet, 2)
    try:
        preparing.end_with_parent(parent)
    finally:  # lives on for a minute unless ended
        time.sleep(60)
        os._exit(0)
print(child, flush=True)
time.sleep(0.3)
os._exit(0)
"""


def _running(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").is_file(), reason="reads Linux's /proc")
@pytest.mark.parametrize("system", ["linux", "elsewhere"])
def test_a_worker_ends_when_its_parent_dies(system: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", PARENT, system], capture_output=True, text=True, timeout=30
    )
    worker = int(done.stdout.strip())
    try:
        deadline = time.monotonic() + 5
        while _running(worker) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _running(worker)
    finally:
        if _running(worker):
            os.kill(worker, signal.SIGKILL)
