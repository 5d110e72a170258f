"""The README's commands, each as its own process, in the order a newcomer meets them.

An in-process test imports everything before it starts, so it cannot see what a fresh
process sees (a table registered only as a side effect of some other import, say). Here each
step is a new `reunite` process with nothing but the environment, as on a fresh machine.
"""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from factories import REQUEST_HEADER, REQUEST_ROWS, write_csv
from serving import REUNITE, serving

DISCLOSURE_HEADER = ["id", "фамилия", "имя", "отчество", "пол", "дата рождения", "отец"]
DISCLOSURE_ROWS = [
    ["RU-1", "Лысенко", "Александр", "Николаевич", "м", "12.03.2014", "Лысенко Николай"],
    ["RU-2", "Петренко", "Мария", "Ивановна", "ж", "2015-07-01", ""],
]


@dataclass
class Reunite:
    """The `reunite` command in a fresh process per call, against one database."""

    env: dict[str, str]
    folder: Path

    def run(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(REUNITE), *args],
            env=self.env,
            cwd=self.folder,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=600,
        )

    def ok(self, *args: str, stdin: str | None = None) -> str:
        result = self.run(*args, stdin=stdin)
        assert result.returncode == 0, (args, result.stdout, result.stderr)
        assert "Traceback" not in result.stderr and "unexpected error" not in result.stderr
        return result.stdout


@pytest.fixture
def reunite(database_url: str, tmp_path: Path) -> Reunite:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("REUNITE_") or key == "REUNITE_TEST_POSTGRES_URL"
    }
    env["REUNITE_DATABASE_URL"] = database_url
    env["REUNITE_CACHE_DIR"] = str(tmp_path / "cache")
    return Reunite(env, tmp_path)


@pytest.mark.slow
def test_the_readme_walk_each_command_in_a_fresh_process(reunite: Reunite, tmp_path: Path) -> None:
    assert "up to date" in reunite.ok("db", "upgrade")
    reunite.ok("party", "add", "Sought", "--role", "requesting")
    reunite.ok("party", "add", "Holder", "--role", "custodial")
    assert reunite.ok("party", "list").splitlines() == ["Holder\tcustodial", "Sought\trequesting"]

    good = write_csv(tmp_path, "good.csv", REQUEST_HEADER, REQUEST_ROWS)
    imported = reunite.ok("import", str(good), "--party", "Sought", "--kind", "requests")
    assert f"good.csv: stored — rows read {len(REQUEST_ROWS)}" in imported

    again = reunite.ok("import", str(good), "--party", "Sought", "--kind", "requests")
    assert "already imported" in again

    bad_rows = [*REQUEST_ROWS[:1], ["UA-BAD", "Коваль", "Ірина", "", "ж", "31.02.2015", "", "", ""]]
    bad = write_csv(tmp_path, "bad.csv", REQUEST_HEADER, bad_rows)
    refused = reunite.run("import", str(bad), "--party", "Sought", "--kind", "requests")
    assert refused.returncode == 2
    assert "bad.csv:3: birth_date: impossible birth date 31.02.2015" in refused.stderr
    assert "nothing was stored" in refused.stderr and "Traceback" not in refused.stderr

    rejects = tmp_path / "rejects.csv"
    partial = reunite.ok(
        "import", str(bad), "--party", "Sought", "--kind", "requests",
        "--accept-valid", "--rejects", str(rejects),
    )  # fmt: skip
    assert "rejected 1" in partial
    assert "UA-BAD" in rejects.read_text(encoding="utf-8")

    disclosed = write_csv(tmp_path, "holder.csv", DISCLOSURE_HEADER, DISCLOSURE_ROWS)
    reunite.ok("import", str(disclosed), "--party", "Holder", "--kind", "disclosures")

    exported = tmp_path / "out.json"
    reunite.ok(
        "export", "--party", "Sought", "--kind", "requests", "--format", "json",
        "--out", str(exported),
    )  # fmt: skip
    ids = {row["id"] for row in json.loads(exported.read_text(encoding="utf-8"))}
    assert {row[0] for row in REQUEST_ROWS} <= ids

    first_id = REQUEST_ROWS[0][0]
    history = reunite.ok("history", first_id, "--party", "Sought", "--kind", "requests")
    assert f"requests record {first_id}: version 1" in history

    batches = reunite.ok("batches").splitlines()
    assert len(batches) == 3 and "Holder\tdisclosures\tholder.csv" in batches[-1]

    pairs = tmp_path / "pairs.csv"
    matched = reunite.ok("match", str(good), str(disclosed), "--out", str(pairs))
    assert "RU-1" in pairs.read_text(encoding="utf-8"), matched

    reunite.ok(
        "user", "create", "--username", "walker", "--role", "caseworker", "--password-stdin",
        stdin="a long enough passphrase for a caseworker\n",
    )  # fmt: skip
    assert "walker" in reunite.ok("user", "list")
    token = reunite.ok("token", "create", "--username", "walker", "--label", "walk").strip()
    token = token.splitlines()[-1].split()[-1]
    assert token.startswith("rnt_")
    assert "walk" in reunite.ok("token", "list", "--username", "walker")

    # The job the imports queued runs in a process of its own, as the worker runs it.
    ran = reunite.ok("jobs", "run", "--once")
    assert "(match): done" in ran

    with serving(reunite.env) as url:
        me = httpx.get(f"{url}/api/v1/me", headers={"Authorization": f"Bearer {token}"})
        assert me.status_code == 200 and me.json()["username"] == "walker"
        assert httpx.get(f"{url}/login").status_code == 200

    reunite.ok("token", "revoke", token)
    assert "audit log intact" in reunite.ok("audit", "verify")


@pytest.mark.slow
def test_the_demo_on_a_fresh_database_then_serve_and_the_worker(
    reunite: Reunite, tmp_path: Path
) -> None:
    reunite.ok("db", "upgrade")
    credentials = tmp_path / "credentials.json"
    loaded = reunite.ok(
        "demo", "--requests", "60", "--disclosures", "90",
        "--credentials-out", str(credentials),
    )  # fmt: skip
    assert "demo-caseworker" in loaded
    accounts = {a["username"]: a for a in json.loads(credentials.read_text(encoding="utf-8"))}
    assert reunite.ok("demo", "--skip-if-present").count("already") >= 1
    ran = reunite.ok("jobs", "run", "--once")
    assert "done" in ran and "failed" not in ran
    with serving(reunite.env) as url:
        token = accounts["demo-caseworker"]["token"]
        candidates = httpx.get(
            f"{url}/api/v1/candidates", headers={"Authorization": f"Bearer {token}"}
        )
        assert candidates.status_code == 200 and candidates.json()["total"] > 0
    assert "audit log intact" in reunite.ok("audit", "verify")
