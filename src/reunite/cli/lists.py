"""Commands for the database, the parties and their lists (import, export, history, batches)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from reunite.cli.common import app, audit_cli, err, run_command, session_scope
from reunite.errors import InvalidInput, ReuniteError

if TYPE_CHECKING:
    from reunite.exchange.schemas import ReceivedBatch
    from reunite.records.service import RecordHistory

db_app = typer.Typer(help="Create and upgrade the database schema.", no_args_is_help=True)
party_app = typer.Typer(help="Register and list the parties to the exchange.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(party_app, name="party")


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create the schema, or bring it up to date (safe to run again); make the mediator's key."""
    from reunite.db.migrate import upgrade
    from reunite.keys.service import init_mediator_key, mediator_key_path
    from reunite.keys.signing import key_id
    from reunite.wiring import default_engine

    upgrade(default_engine())
    typer.echo("database schema is up to date")

    def make_key() -> None:
        # The mediator signs receipts and packages from the first list on: its key is made
        # at setup, in a file of mode 0600 outside the database, and never printed.
        public, created = init_mediator_key()
        if created:
            typer.echo(
                f"created the mediator's signing key {key_id(public)} in {mediator_key_path()}"
            )

    run_command(make_key)


@party_app.command("add")
def party_add(
    name: Annotated[str, typer.Argument(help="The party's name, unique.")],
    role: Annotated[str, typer.Option(help="mediator, requesting or custodial.")],
    name_uk: Annotated[
        str | None, typer.Option(help="The party's name on Ukrainian pages.")
    ] = None,
    name_ru: Annotated[str | None, typer.Option(help="The party's name on Russian pages.")] = None,
) -> None:
    """Register a party with its role (and its name as Ukrainian and Russian pages show it)."""
    from reunite.parties import service

    local = {code: text for code, text in (("uk", name_uk), ("ru", name_ru)) if text is not None}

    def body() -> None:
        with session_scope() as session:
            party = service.add_party(session, name=name, role=role, local_names=local)
            typer.echo(f"added party {party.name} ({party.role})")

    run_command(body)


@party_app.command("list")
def party_list() -> None:
    """Print one party per line: its name, then its role."""
    from reunite.parties import service

    def body() -> None:
        with session_scope() as session:
            for party in service.list_parties(session):
                typer.echo(f"{party.name}\t{party.role}")

    run_command(body)


@party_app.command("require-signatures")
def party_require_signatures(
    name: Annotated[str, typer.Argument(help="The party's name.")],
    off: Annotated[bool, typer.Option("--off", help="Accept unsigned lists again.")] = False,
) -> None:
    """Accept a party's lists only when signed with one of its registered keys."""
    from reunite.keys.service import set_require_signatures
    from reunite.parties import service

    def body() -> None:
        with session_scope() as session:
            party = service.get_party_by_name(session, name=name)
            party_name = party.name
            set_require_signatures(session, party=party, required=not off)
            audit_cli(
                session,
                "party.signatures",
                subject_type="party",
                subject_id=party.name,
                details={"required": not off},
            )
        state = "no longer requires" if off else "now requires"
        typer.echo(f"{party_name} {state} signed lists")

    run_command(body)


def _queue_list(
    file: Path,
    *,
    party: str,
    kind: str,
    accept_valid: bool,
    encoding: str | None,
    signature: bytes | None,
    unsupported: tuple[Path | None, ...],
) -> None:
    """Queue a list for the job worker (`reunite import --background`) and say so."""
    from reunite.exchange.background import accept_list
    from reunite.exchange.bundles import is_bundle
    from reunite.exchange.models import LIST_KINDS
    from reunite.exchange.readers import file_sha256
    from reunite.parties.service import get_party_by_name

    if any(option is not None for option in unsupported):
        raise InvalidInput(
            "--rejects and --receipt-out need the list stored within the command; "
            "without --background they work (the page and the API list a queued list's "
            "problems, and give its receipt once it is stored)"
        )
    if kind not in LIST_KINDS:
        raise InvalidInput(f"unknown list kind {kind!r}; use requests or disclosures")
    if not file.is_file():
        raise InvalidInput(f"{file}: no such file")
    if is_bundle(file):
        raise InvalidInput(
            f"{file.name}: a ZIP of a list and its files is stored within the command"
        )
    with session_scope() as session:
        sender = get_party_by_name(session, name=party)
        report = accept_list(
            session, user_id=None, username="command line", path=file,
            sha256=file_sha256(file), party=sender, kind=kind, accept_valid=accept_valid,
            signature=signature, address="", encoding=encoding,
        )  # fmt: skip
        audit_cli(
            session,
            "list.import",
            subject_type="batch",
            subject_id=str(report.batch_id or ""),
            details={"party": sender.name, "kind": kind, "filename": file.name,
                     "status": report.status, "already_imported": report.already_imported},
        )  # fmt: skip
    if report.already_imported:
        typer.echo(f"{file.name}: already received as batch {report.batch_id} ({report.status})")
        return
    typer.echo(
        f"{file.name}: queued as batch {report.batch_id}; the job worker stores it "
        "(`reunite batches` shows it stored, or why it was refused)"
    )


@app.command("import")
def import_command(
    file: Annotated[
        Path,
        typer.Argument(help="CSV, XLSX or JSON list, or a ZIP of a list and the files it names."),
    ],
    party: Annotated[str, typer.Option(help="The party that sent the list.")],
    kind: Annotated[str, typer.Option(help="requests or disclosures.")],
    accept_valid: Annotated[
        bool, typer.Option("--accept-valid", help="Store the valid rows even if others fail.")
    ] = False,
    rejects: Annotated[
        Path | None, typer.Option(help="With --accept-valid: write failing rows here, unchanged.")
    ] = None,
    encoding: Annotated[
        str | None, typer.Option(help="Text encoding, when detection guesses wrong.")
    ] = None,
    signature: Annotated[
        Path | None, typer.Option(help="The list's detached signature (`reunite sign`).")
    ] = None,
    receipt_out: Annotated[
        Path | None, typer.Option(help="Write the mediator's signed receipt here.")
    ] = None,
    background: Annotated[
        bool,
        typer.Option(
            "--background",
            help="Queue the list for the job worker, which stores it in short transactions "
            "(a large list on a server in use); `reunite batches` shows when it is stored.",
        ),
    ] = False,
) -> None:
    """Validate a party's list and store it as one batch (all or nothing by default)."""
    from reunite.exchange.readers import file_sha256
    from reunite.exchange.receipts import receipt_text, visible_batch
    from reunite.exchange.service import import_list
    from reunite.keys.service import mediator_private_key
    from reunite.keys.signing import MAX_SIGNATURE_BYTES
    from reunite.parties.service import get_party_by_name

    def body() -> None:
        if encoding is not None:
            _check_encoding(encoding)
        signed = _read_signature(signature, MAX_SIGNATURE_BYTES)
        if background:
            _queue_list(
                file, party=party, kind=kind, accept_valid=accept_valid, encoding=encoding,
                signature=signed, unsupported=(rejects, receipt_out),
            )  # fmt: skip
            return
        if receipt_out is not None:
            mediator_private_key()  # no receipt to sign with: say so before importing
        receipt = ""
        with session_scope() as session, _progress(file) as advance:
            sender = get_party_by_name(session, name=party)
            try:
                report = import_list(
                    session,
                    path=file,
                    party=sender,
                    kind=kind,
                    accept_valid=accept_valid,
                    rejects_path=rejects,
                    encoding=encoding,
                    on_progress=advance,
                    signature=signed,
                )
            except InvalidInput as exc:
                audit_cli(
                    session,
                    "list.refused",
                    subject_type="file",
                    subject_id=file_sha256(file) if file.is_file() else "",
                    details={"party": sender.name, "kind": kind, "filename": file.name,
                             "why": exc.detail, "code": exc.error_code},
                    refusal=True,
                )  # fmt: skip
                raise
            audit_cli(
                session,
                "list.import",
                subject_type="batch",
                subject_id=str(report.batch_id or ""),
                details={
                    "party": sender.name,
                    "kind": kind,
                    "filename": file.name,
                    "attachments": report.attachments,
                },
            )
            if receipt_out is not None and report.batch_id is not None:
                batch = visible_batch(session, principal=None, batch_id=report.batch_id)
                session.flush()
                receipt = receipt_text(session, batch=batch)
        if receipt_out is not None and receipt:
            receipt_out.write_text(receipt, encoding="utf-8")
        for line in report.errors[:200]:
            err.print(line, markup=False)
        if len(report.errors) > 200:
            err.print(f"… and {len(report.errors) - 200:,} more problems")
        if report.rejected and rejects is not None:
            err.print(f"rejected rows written to {rejects}", markup=False)
        typer.echo(report.summary())
        if receipt_out is not None and receipt:
            typer.echo(f"wrote the mediator's signed receipt to {receipt_out}")

    run_command(body)


def _read_signature(path: Path | None, limit: int) -> bytes | None:
    if path is None:
        return None
    try:
        with path.open("rb") as handle:
            return handle.read(limit + 1)  # a larger file is no signature; no need to read it
    except OSError as exc:
        raise ReuniteError(f"cannot read the signature {path}: {exc.strerror}") from None


def _check_encoding(name: str) -> None:
    import codecs

    try:
        codecs.lookup(name)
    except LookupError:
        raise ReuniteError(f"unknown encoding {name!r}") from None


@contextmanager
def _progress(file: Path) -> Iterator[Callable[[int, int], None]]:
    if not err.is_terminal:
        yield lambda _rows, _bytes: None
        return
    total = file.stat().st_size if file.is_file() else None
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.fields[rows]:,} rows"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=err, transient=True) as progress:
        task = progress.add_task(f"importing {file.name}", total=total, rows=0)
        yield lambda rows, done: progress.update(task, completed=done, rows=rows)


@app.command("export")
def export_command(
    party: Annotated[str, typer.Option(help="Whose records to export.")],
    kind: Annotated[str, typer.Option(help="requests or disclosures.")],
    out_file: Annotated[Path, typer.Option("--out", help="The file to write.")],
    file_format: Annotated[str, typer.Option("--format", help="csv, xlsx or json.")] = "csv",
) -> None:
    """Write a party's records to a file that imports back unchanged."""
    from reunite.exchange.writers import export_records
    from reunite.parties.service import get_party_by_name

    def body() -> None:
        with session_scope() as session:
            owner = get_party_by_name(session, name=party)
            count = export_records(
                session, party_id=owner.id, kind=kind, file_format=file_format, out=out_file
            )
            audit_cli(
                session,
                "export",
                subject_type="party",
                subject_id=owner.name,
                details={"kind": kind, "format": file_format, "records": count},
            )
        typer.echo(f"wrote {count:,} {kind} of {party} to {out_file}")

    run_command(body)


@app.command("history")
def history_command(
    record_id: Annotated[str, typer.Argument(help="The party's own id of the record.")],
    party: Annotated[str, typer.Option(help="The party that sent the record.")],
    kind: Annotated[str, typer.Option(help="requests or disclosures.")],
) -> None:
    """Show every version of one record: what changed, from which batch and row, when."""
    from reunite.parties.service import get_party_by_name
    from reunite.records.service import record_history

    def body() -> None:
        with session_scope() as session:
            owner = get_party_by_name(session, name=party)
            history = record_history(session, party_id=owner.id, kind=kind, external_id=record_id)
            audit_cli(
                session,
                "record.read",
                subject_type="record",
                subject_id=f"{owner.name}/{kind}/{record_id}",
                details={"via": "history"},
            )
        for line in _history_lines(history, kind=kind):
            typer.echo(line)

    run_command(body)


def _history_lines(history: RecordHistory, *, kind: str) -> list[str]:
    """Describe a record's versions, one block per version, for people to read."""
    lines = [
        f"{kind} record {history.external_id}: version {history.version}"
        + (", withdrawn" if history.withdrawn else "")
        + (", withheld (GC IV art. 137)" if history.withheld else "")
    ]
    for entry in history.entries:
        lines.append(
            f"v{entry.version} {entry.action} {entry.recorded_at:%Y-%m-%d %H:%M:%S} UTC "
            f"by batch {entry.batch_id} ({entry.filename}) row {entry.row_number}"
        )
        for field, (old, new) in sorted(entry.changes.items()):
            old_text = json.dumps(old, ensure_ascii=False) if old is not None else "—"
            lines.append(f"    {field}: {old_text} → {json.dumps(new, ensure_ascii=False)}")
    return lines


@app.command("batches")
def batches_command(
    party: Annotated[str | None, typer.Option(help="Only this party's batches.")] = None,
) -> None:
    """List received batches (the receipts): who sent what, when, and what it changed."""
    from reunite.exchange.service import list_batches

    def body() -> None:
        with session_scope() as session:
            received = list_batches(session, party_name=party)
        for batch in received:
            typer.echo(_batch_line(batch))

    run_command(body)


def _batch_line(batch: ReceivedBatch) -> str:
    """Describe a received batch on one line."""
    if batch.status != "stored":
        return (
            f"batch {batch.id}\t{batch.received_at:%Y-%m-%d %H:%M} UTC\t{batch.party}\t"
            f"{batch.kind}\t{batch.filename}\tsha256 {batch.sha256[:12]}…\t{batch.status}"
        )
    return (
        f"batch {batch.id}\t{batch.received_at:%Y-%m-%d %H:%M} UTC\t{batch.party}\t{batch.kind}\t"
        f"{batch.filename}\tsha256 {batch.sha256[:12]}…\trows {batch.rows_read:,}: "
        f"added {batch.added:,}, corrected {batch.corrected:,}, "
        f"withdrawn {batch.withdrawn:,}, unchanged {batch.unchanged:,}, "
        f"rejected {batch.rejected:,}"
    )
