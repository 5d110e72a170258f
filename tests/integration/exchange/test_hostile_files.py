"""Hostile lists are refused with a reason, store nothing and keep memory bounded.

Lists come from two parties at war, so any file may be built to hurt: a zip bomb, a sheet
that claims the whole grid, an endless line, JSON nested a hundred thousand deep, a damaged
workbook. Each is sent as people and party systems send lists: `reunite import` in a
process of its own, `POST /api/v1/lists`, and the upload page.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from reunite.app import create_app
from reunite.auth.service import create_token
from reunite.db.engine import make_engine, session_factory, transaction
from reunite.db.migrate import upgrade
from reunite.exchange.models import Batch
from reunite.parties.service import add_party
from reunite.records.models import Record
from reunite.settings import get_settings
from reunite.wiring import default_sessions

from browsing import make_site, text_of
from factories import REQUEST_HEADER, csv_bytes
from hostile import (
    MiB,
    csv_endless_line,
    json_deep,
    json_huge_item,
    xlsx_bomb,
    xlsx_broken_sheet_xml,
    xlsx_broken_workbook_xml,
    xlsx_far_row,
    xlsx_huge_dimension,
    xlsx_markup_in_a_cell,
    xlsx_missing_shared_string,
)
from serving import run_queued_jobs

REUNITE = Path(sys.executable).with_name("reunite")

CASES: dict[str, tuple[Callable[[Path], Path], str]] = {
    "zip-bomb": (xlsx_bomb, "bomb.xlsx: the workbook would unpack to 700.0 MiB"),
    "huge-dimension": (
        xlsx_huge_dimension,
        "huge-dimension.xlsx: the sheet declares 1,048,576 rows × 16,384 columns",
    ),
    "far-row": (xlsx_far_row, "far-row.xlsx:1000000000: row 1,000,000,000 is beyond"),
    "broken-sheet-xml": (xlsx_broken_sheet_xml, "broken-xml.xlsx:2: the workbook is damaged"),
    "missing-shared-string": (
        xlsx_missing_shared_string,
        "bad-string.xlsx:2: the workbook is damaged",
    ),
    "broken-workbook-xml": (
        xlsx_broken_workbook_xml,
        "broken-workbook.xlsx: not a readable XLSX workbook",
    ),
    "endless-csv-line": (csv_endless_line, "endless.csv:3: the row is longer than 1,048,576"),
    "huge-json-item": (json_huge_item, "huge-item.json: item 2 is longer than 1,048,576"),
    "deep-json": (json_deep, "deep.json: item 1 is nested too deeply"),
    "console-markup": (
        xlsx_markup_in_a_cell,
        "markup.xlsx:2: the workbook is damaged here (xl/worksheets/sheet1.xml: Invalid "
        "datetime value [/bold][link=x])",
    ),
}


@pytest.fixture(scope="module")
def hostile_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Build every hostile file once for the module (the bomb takes a second)."""
    folder = tmp_path_factory.mktemp("hostile")
    return {case: make(folder) for case, (make, _) in CASES.items()}


def _stored(url: str) -> tuple[int, int]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            batches = (
                connection.scalar(
                    select(func.count()).select_from(Batch).where(Batch.status != "refused")
                )
                or 0
            )
            records = connection.scalar(select(func.count()).select_from(Record)) or 0
        return batches, records
    finally:
        engine.dispose()


def _prepare(url: str) -> dict[str, str]:
    """Create the schema and the requesting party; return the environment of a command."""
    engine = make_engine(url)
    try:
        upgrade(engine)
        with transaction(session_factory(engine)) as session:
            add_party(session, name="Ukraine", role="requesting")
    finally:
        engine.dispose()
    return {**os.environ, "REUNITE_DATABASE_URL": url}


def _import(env: dict[str, str], path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(REUNITE), "import", str(path), "--party", "Ukraine", "--kind", "requests"],
        env=env,
        capture_output=True,
        text=True,
        # Long enough for any refusal; an unguarded reader is still busy by then.
        timeout=120,
    )


@pytest.mark.parametrize("case", CASES)
def test_the_command_line_refuses_a_hostile_file(
    configured: str, hostile_files: dict[str, Path], case: str
) -> None:
    env = _prepare(configured)
    before = _stored(configured)

    done = _import(env, hostile_files[case])

    assert done.returncode == 2, done.stderr
    assert CASES[case][1] in done.stderr, done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert "unexpected error" not in done.stderr
    assert _stored(configured) == before


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("background", [False, True], ids=["at-once", "in-background"])
def test_the_api_and_the_upload_page_refuse_a_hostile_file(
    configured: str,
    tmp_path: Path,
    hostile_files: dict[str, Path],
    case: str,
    background: bool,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Stored within the request, or (a large list) by the job worker: refused either way,
    # at once when its opening shows it, or by the job, with the same reason.
    monkeypatch.setenv("REUNITE_BACKGROUND_LIST_KB", "0" if background else "1000000")
    get_settings.cache_clear()
    site = make_site(tmp_path)
    with transaction(default_sessions()) as session:
        token, _ = create_token(session, username="liaison_requesting")
    before = _stored(configured)
    path = hostile_files[case]
    message = CASES[case][1]

    with path.open("rb") as handle:
        answer = TestClient(create_app()).post(
            "/api/v1/lists",
            headers={"Authorization": f"Bearer {token}"},
            files={"file": (path.name, handle, "application/octet-stream")},
            data={"kind": "requests"},
        )
    if background and answer.status_code == 202:
        run_queued_jobs()
        batch = answer.json()["batch_id"]
        answer = TestClient(create_app()).get(
            f"/api/v1/lists/{batch}", headers={"Authorization": f"Bearer {token}"}
        )
        assert answer.json()["status"] == "refused", answer.text
        assert message in answer.json()["problem"]
    else:
        assert answer.status_code == 422, answer.text
        assert answer.json()["code"] == "FileRejected"
        assert message in answer.json()["detail"]

    with path.open("rb") as handle:
        page = site.browser("liaison_requesting").post(
            "/lists/upload",
            {"kind": "requests"},
            files={"file": (path.name, handle, "application/octet-stream")},
        )
    if background and page.status_code == 303:
        run_queued_jobs()
        page = site.browser("liaison_requesting").get(page.headers["location"])
        assert page.status_code == 200 and "refused" in text_of(page.text)
    else:
        assert page.status_code == 422, page.text
    # The page marks the file's name as data (translate="no"): its text reads as the API's.
    assert message in text_of(page.text)
    assert f'<span translate="no">{path.name}</span>' in page.text
    assert _stored(configured) == before


# Runs `reunite import` in a child of its own and reports that child's peak memory: a
# process's RUSAGE_CHILDREN covers every child it ever waited for, so each measure needs a
# fresh parent.
MEASURE = """
import resource, subprocess, sys
try:
    done = subprocess.run(sys.argv[1:], capture_output=True, text=True, timeout=120)
    code, errors = done.returncode, done.stderr
except subprocess.TimeoutExpired:
    code, errors = "timeout", ""
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(code, peak)
sys.stderr.write(errors)
"""

BIG: dict[str, Callable[[Path], Path]] = {
    # Unpacks to 700 MiB from about 4 MB: the shared strings alone would take over 1 GB.
    "zip-bomb": xlsx_bomb,
    "endless-csv-line": lambda folder: csv_endless_line(folder, size=256 * MiB),
    "huge-json-item": lambda folder: json_huge_item(folder, size=128 * MiB),
}


def _peak(env: dict[str, str], path: Path) -> tuple[str, int, str]:
    """Return the exit code, peak resident memory (KiB) and messages of an import."""
    command = [str(REUNITE), "import", str(path), "--party", "Ukraine", "--kind", "requests"]
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, *command],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    code, peak = done.stdout.split()
    return code, int(peak), done.stderr


@pytest.mark.parametrize("case", BIG)
def test_refusing_a_hostile_file_keeps_memory_bounded(
    configured: str, tmp_path: Path, case: str
) -> None:
    env = _prepare(configured)
    refused = tmp_path / "refused.csv"
    refused.write_text(csv_bytes(REQUEST_HEADER, [["UA-1", "", "", "", "X"]]), encoding="utf-8")
    code, baseline, _ = _peak(env, refused)
    assert code == "2"

    code, peak, errors = _peak(env, BIG[case](tmp_path))

    assert code == "2", errors
    assert peak - baseline < 64 * 1024, (baseline, peak)
