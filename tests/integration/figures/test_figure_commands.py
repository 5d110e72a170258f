"""`reunite report` and `reunite stats --public`, each run as its own process."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
from pathlib import Path

from pypdf import PdfReader

from browsing import make_site
from serving import REUNITE


def _run(database_url: str, folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "REUNITE_DATABASE_URL": database_url}
    return subprocess.run(
        [str(REUNITE), *args], env=env, cwd=folder, capture_output=True, text=True, timeout=300
    )


def test_the_briefing_and_the_public_statistics_from_fresh_processes(
    configured: str, tmp_path: Path
) -> None:
    make_site(tmp_path)  # a migrated database with the world's cases
    out = tmp_path / "briefing.pdf"
    done = _run(configured, tmp_path, "report", "--pdf", str(out), "--lang", "ru")
    assert done.returncode == 0, done.stderr
    text = " ".join(page.extract_text() for page in PdfReader(out).pages)
    assert "Воссоединено за последние 24 часа" in text
    assert "Справка: цифры пути домой" in text
    sheet = _run(configured, tmp_path, "stats", "--public", "--format", "csv", "--table", "month")
    assert sheet.returncode == 0, sheet.stderr
    rows = list(csv.reader(io.StringIO(sheet.stdout)))
    assert rows[1][0] == "#date+month" and rows[1][-1] == "#affected+children+total"
    assert rows[-1][0] == "total"
    whole = _run(configured, tmp_path, "stats", "--public", "--format", "json")
    data = json.loads(whole.stdout)
    assert [table["table"] for table in data["tables"]] == ["oblast", "sex", "age", "month"]
    for table in data["tables"]:
        for row in [*table["rows"], {"counts": table["total"]}]:
            assert not [v for v in row["counts"].values() if v is not None and 0 < v < 5]
    refused = _run(configured, tmp_path, "stats", "--format", "json")
    assert refused.returncode != 0 and "--public" in refused.stderr
