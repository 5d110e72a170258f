"""Bad files get a clear message naming the file (and row), exit code 2, and change nothing."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from reunite.cli import app
from reunite.db.engine import make_engine
from reunite.exchange.models import Batch
from reunite.records.models import Record

from factories import LYSENKO, REQUEST_HEADER, REQUEST_ROWS, csv_bytes, write_csv, write_xlsx

runner = CliRunner()
SAMPLE_BYTES = 4096


@pytest.fixture(autouse=True)
def small_encoding_sample(monkeypatch: pytest.MonkeyPatch) -> None:
    """Guess encodings from 4 KiB, so a wrong guess needs a small file, not a huge one."""
    monkeypatch.setattr("reunite.exchange.readers.SAMPLE_BYTES", SAMPLE_BYTES)


def _empty(folder: Path) -> Path:
    path = folder / "empty.csv"
    path.write_bytes(b"")
    return path


def _header_only(folder: Path) -> Path:
    return write_csv(folder, "header.csv", REQUEST_HEADER, [])


def _garbage(folder: Path) -> Path:
    path = folder / "garbage.csv"
    path.write_bytes(bytes(range(256)) * 40)
    return path


def _wrong_guess(folder: Path) -> Path:
    # More plain ASCII than the encoding sample before the first cp1251 byte: the guess from
    # the start of the file (UTF-8) is wrong, and that must be caught, not stored as mojibake.
    rows = [[f"UA-{i}", "Koval", "Hanna", "", "F", "2015", "", "", ""] for i in range(300)]
    rows.append(["UA-X", "Лисенко", "Олександр", "", "ч", "2014", "", "", ""])
    path = folder / "wrong-guess.csv"
    path.write_bytes(csv_bytes(REQUEST_HEADER, rows).encode("cp1251"))
    assert path.stat().st_size > 2 * SAMPLE_BYTES
    return path


def _no_id(folder: Path) -> Path:
    return write_csv(folder, "noid.csv", REQUEST_HEADER[1:], [r[1:] for r in REQUEST_ROWS])


def _duplicate_ids(folder: Path) -> Path:
    return write_csv(folder, "dup.csv", REQUEST_HEADER, [LYSENKO, REQUEST_ROWS[1], LYSENKO])


def _long_cell(folder: Path) -> Path:
    row = [*LYSENKO[:6], "Ж" * 10_000, *LYSENKO[7:]]
    return write_csv(folder, "long.csv", REQUEST_HEADER, [REQUEST_ROWS[1], row])


def _too_many_cells(folder: Path) -> Path:
    return write_csv(folder, "wide.csv", REQUEST_HEADER, [REQUEST_ROWS[1], [*LYSENKO, "extra"]])


def _truncated_xlsx(folder: Path) -> Path:
    whole = write_xlsx(folder, "whole.xlsx", REQUEST_HEADER, REQUEST_ROWS * 50)
    data = whole.read_bytes()
    path = folder / "truncated.xlsx"
    path.write_bytes(data[: len(data) // 2])
    return path


def _json_not_a_list(folder: Path) -> Path:
    path = folder / "object.json"
    path.write_text('{"id": "UA-1", "surname": "Лисенко"}', encoding="utf-8")
    return path


def _json_list_of_strings(folder: Path) -> Path:
    path = folder / "strings.json"
    path.write_text('["UA-1", "UA-2"]', encoding="utf-8")
    return path


CASES: list[tuple[Callable[[Path], Path], str]] = [
    (_empty, "empty.csv: the file is empty"),
    (_header_only, "header.csv: the header is there but no rows follow"),
    (_garbage, "garbage.csv: binary content"),
    (_wrong_guess, "wrong-guess.csv:302: bytes that are not valid utf-8"),
    (_no_id, "noid.csv:1: no id column"),
    (_duplicate_ids, "dup.csv:4: id: id 'UA-1' repeats row 2"),
    (_long_cell, "long.csv:3: birth_place: cell is 10,000 characters long"),
    (_too_many_cells, "wide.csv:3: (row): 10 cells but the header has 9 columns"),
    (_truncated_xlsx, "truncated.xlsx: not a readable XLSX workbook"),
    (_json_not_a_list, "object.json: the JSON is an object"),
    (_json_list_of_strings, "strings.json: item 1 is a str, not an object"),
]


@pytest.mark.parametrize(("make", "message"), CASES, ids=[c[0].__name__[1:] for c in CASES])
def test_bad_file_is_refused_clearly_and_changes_nothing(
    configured: str, tmp_path: Path, make: Callable[[Path], Path], message: str
) -> None:
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    assert runner.invoke(app, ["party", "add", "Ukraine", "--role", "requesting"]).exit_code == 0
    good = write_csv(tmp_path, "good.csv", REQUEST_HEADER, REQUEST_ROWS[1:])
    assert (
        runner.invoke(
            app, ["import", str(good), "--party", "Ukraine", "--kind", "requests"]
        ).exit_code
        == 0
    )
    before = _snapshot(configured)

    result = runner.invoke(
        app, ["import", str(make(tmp_path)), "--party", "Ukraine", "--kind", "requests"]
    )

    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert _snapshot(configured) == before


def test_wrong_guess_imports_once_the_encoding_is_given(configured: str, tmp_path: Path) -> None:
    runner.invoke(app, ["db", "upgrade"])
    runner.invoke(app, ["party", "add", "Ukraine", "--role", "requesting"])
    path = _wrong_guess(tmp_path)
    args = ["import", str(path), "--party", "Ukraine", "--kind", "requests"]
    result = runner.invoke(app, [*args, "--encoding", "cp1251"])
    assert result.exit_code == 0, result.output
    assert "added 301" in result.output


def _snapshot(url: str) -> tuple[int, int, list[tuple[str, int]]]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            batches = connection.scalar(select(func.count()).select_from(Batch)) or 0
            records = connection.scalar(select(func.count()).select_from(Record)) or 0
            versions = sorted(
                (str(external_id), version)
                for external_id, version in connection.execute(
                    select(Record.external_id, Record.version)
                )
            )
        return batches, records, versions
    finally:
        engine.dispose()


def test_truncated_zip_is_really_truncated(tmp_path: Path) -> None:
    with pytest.raises(zipfile.BadZipFile):
        zipfile.ZipFile(_truncated_xlsx(tmp_path))
