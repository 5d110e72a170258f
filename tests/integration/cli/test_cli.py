"""The `reunite` command end to end against a real database."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from typer.testing import CliRunner

from reunite.cli import app
from reunite.db.engine import transaction
from reunite.parties.models import Party
from reunite.wiring import default_sessions

from factories import LYSENKO, REQUEST_HEADER, REQUEST_ROWS, write_csv

runner = CliRunner()


def _setup() -> None:
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0  # running again is safe


def test_help_lists_every_command_with_a_description() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    commands = ("db", "party", "user", "token", "audit", "import", "export", "history")
    for command in (*commands, "batches", "demo", "serve"):
        line = next(line for line in result.output.splitlines() if line.startswith(f"│ {command} "))
        assert len(line.split(command, 1)[1].strip(" │")) > 10


def test_commands_before_the_schema_exists_say_what_to_do(configured: str) -> None:
    result = runner.invoke(app, ["party", "list"])
    assert result.exit_code == 1
    assert "run `reunite db upgrade` first" in result.output


def test_party_add_and_list(configured: str) -> None:
    _setup()
    assert runner.invoke(app, ["party", "add", "Ukraine", "--role", "requesting"]).exit_code == 0
    assert runner.invoke(app, ["party", "add", "ICRC CTA", "--role", "mediator"]).exit_code == 0
    result = runner.invoke(app, ["party", "list"])
    assert result.output.splitlines() == ["ICRC CTA\tmediator", "Ukraine\trequesting"]
    clash = runner.invoke(app, ["party", "add", "Ukraine", "--role", "custodial"])
    assert clash.exit_code == 1 and "already exists" in clash.output
    wrong = runner.invoke(app, ["party", "add", "X", "--role", "observer"])
    assert wrong.exit_code == 2 and "unknown role" in wrong.output


def test_a_party_is_named_in_the_languages_of_the_pages(configured: str) -> None:
    _setup()
    added = runner.invoke(
        app,
        ["party", "add", "Russian Federation", "--role", "custodial",
         "--name-uk", "Російська  Федерація", "--name-ru", "Российская Федерация"],
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    with transaction(default_sessions()) as session:
        party = session.scalar(select(Party).where(Party.name == "Russian Federation"))
        assert party is not None
        assert party.name_in("uk") == "Російська Федерація"  # spaces tidied
        assert party.name_in("ru") == "Российская Федерация"
        assert party.name_in("en") == "Russian Federation"
    empty = runner.invoke(app, ["party", "add", "X", "--role", "custodial", "--name-uk", " "])
    assert empty.exit_code == 2 and "1 to 200 characters" in empty.output


def test_import_unknown_party_names_the_known_ones(configured: str, tmp_path: Path) -> None:
    _setup()
    runner.invoke(app, ["party", "add", "Ukraine", "--role", "requesting"])
    path = write_csv(tmp_path, "r.csv", REQUEST_HEADER, REQUEST_ROWS)
    result = runner.invoke(app, ["import", str(path), "--party", "Ukrain", "--kind", "requests"])
    assert result.exit_code == 1
    assert "no party named 'Ukrain' (known parties: Ukraine)" in result.output


def test_import_history_batches_and_round_trip(configured: str, tmp_path: Path) -> None:
    _setup()
    runner.invoke(app, ["party", "add", "Ukraine", "--role", "requesting"])
    path = write_csv(tmp_path, "r.csv", REQUEST_HEADER, REQUEST_ROWS)
    args = ["--party", "Ukraine", "--kind", "requests"]

    first = runner.invoke(app, ["import", str(path), *args])
    assert first.exit_code == 0, first.output
    assert "rows read 3, added 3, corrected 0" in first.output
    again = runner.invoke(app, ["import", str(path), *args])
    assert again.exit_code == 0 and "already imported as batch 1; nothing changed" in again.output

    fixed = [*LYSENKO[:5], "2014-03-21", *LYSENKO[6:]]
    runner.invoke(
        app, ["import", str(write_csv(tmp_path, "fix.csv", REQUEST_HEADER, [fixed])), *args]
    )
    history = runner.invoke(app, ["history", "UA-1", *args])
    assert history.exit_code == 0
    assert "v2 corrected" in history.output and "by batch 2 (fix.csv) row 2" in history.output
    assert 'birth_date: "2014-03-12" → "2014-03-21"' in history.output

    batches = runner.invoke(app, ["batches"]).output.splitlines()
    assert len(batches) == 2 and "r.csv" in batches[0] and "corrected 1" in batches[1]

    for file_format in ("csv", "xlsx", "json"):
        out = tmp_path / f"export.{file_format}"
        exported = runner.invoke(app, ["export", *args, "--format", file_format, "--out", str(out)])
        assert exported.exit_code == 0 and "wrote 3 requests" in exported.output
        back = runner.invoke(app, ["import", str(out), *args])
        assert "added 0, corrected 0, withdrawn 0, unchanged 3" in back.output


def test_accept_valid_writes_rejects(configured: str, tmp_path: Path) -> None:
    _setup()
    runner.invoke(app, ["party", "add", "Ukraine", "--role", "requesting"])
    bad = ["UA-9", "Мельник", "Петро", "", "ч", "31.02.2015", "", "", ""]
    path = write_csv(tmp_path, "m.csv", REQUEST_HEADER, [*REQUEST_ROWS, bad])
    rejects = tmp_path / "rejects.csv"
    args = ["import", str(path), "--party", "Ukraine", "--kind", "requests"]

    refused = runner.invoke(app, args)
    assert refused.exit_code == 2
    assert "m.csv:5: birth_date:" in refused.output and "nothing was stored" in refused.output

    result = runner.invoke(app, [*args, "--accept-valid", "--rejects", str(rejects)])
    assert result.exit_code == 0
    assert "added 3" in result.output and "rejected 1" in result.output
    assert rejects.read_text(encoding="utf-8").splitlines()[1].startswith("UA-9,Мельник")


def test_demo_fills_an_empty_database_once(configured: str, tmp_path: Path) -> None:
    _setup()
    truth = tmp_path / "truth.csv"
    result = runner.invoke(
        app, ["demo", "--requests", "120", "--disclosures", "150", "--truth-out", str(truth)]
    )
    assert result.exit_code == 0, result.output
    assert "added 120" in result.output and "added 150" in result.output
    assert truth.read_text(encoding="utf-8").startswith("request_id,disclosed_id")
    again = runner.invoke(app, ["demo"])
    assert again.exit_code == 1 and "empty database only" in again.output
    skipped = runner.invoke(app, ["demo", "--skip-if-present"])
    assert skipped.exit_code == 0 and "not loaded again" in skipped.output
    parties = runner.invoke(app, ["party", "list"]).output.splitlines()
    assert sorted(p.split("\t")[1] for p in parties) == ["custodial", "mediator", "requesting"]


def test_imports_exports_and_history_reads_are_audited(configured: str, tmp_path: Path) -> None:
    from reunite.audit.service import list_entries, verify_chain
    from reunite.db.engine import transaction
    from reunite.wiring import default_sessions

    _setup()
    runner.invoke(app, ["party", "add", "Ukraine", "--role", "requesting"])
    path = write_csv(tmp_path, "requests.csv", REQUEST_HEADER, REQUEST_ROWS)
    imported = runner.invoke(app, ["import", str(path), "--party", "Ukraine", "--kind", "requests"])
    assert imported.exit_code == 0, imported.output
    out = tmp_path / "out.csv"
    exported = runner.invoke(
        app,
        ["export", "--party", "Ukraine", "--kind", "requests", "--out", str(out)],
    )
    assert exported.exit_code == 0, exported.output
    record_id = REQUEST_ROWS[0][0]
    history = runner.invoke(
        app, ["history", str(record_id), "--party", "Ukraine", "--kind", "requests"]
    )
    assert history.exit_code == 0, history.output
    with transaction(default_sessions()) as session:
        entries = list(reversed(list_entries(session)))
        assert [e.action for e in entries] == ["list.import", "export", "record.read"]
        assert all(e.actor.startswith("cli:") for e in entries)
        assert '"records":' in entries[1].details
        assert verify_chain(session).intact
