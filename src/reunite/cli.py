"""The `reunite` command: set up the database, exchange lists, run the server."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from reunite.errors import FileRejected, InvalidInput, ReuniteError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from reunite.demo.service import DemoCredential

app = typer.Typer(
    help="Reunite: trace and reunite children separated by war with their families.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Create and upgrade the database schema.", no_args_is_help=True)
party_app = typer.Typer(help="Register and list the parties to the exchange.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(party_app, name="party")
user_app = typer.Typer(help="Create and list user accounts.", no_args_is_help=True)
token_app = typer.Typer(help="Create, list and revoke API tokens.", no_args_is_help=True)
audit_app = typer.Typer(help="Check the hash-chained audit log.", no_args_is_help=True)
app.add_typer(user_app, name="user")
app.add_typer(token_app, name="token")
app.add_typer(audit_app, name="audit")

err = Console(stderr=True, highlight=False, soft_wrap=True)
T = TypeVar("T")


@contextmanager
def _session() -> Iterator[Session]:
    # Database modules load on demand: `reunite match` needs none and starts faster.
    from reunite.db.engine import transaction
    from reunite.db.migrate import is_initialised
    from reunite.db.session import default_engine, default_sessions

    engine = default_engine()
    if not is_initialised(engine):
        raise ReuniteError("the database has no schema yet; run `reunite db upgrade` first")
    with transaction(default_sessions()) as session:
        yield session


def _run(action: Callable[[], T]) -> T:
    """Run a command body; show a person a clear message instead of a traceback."""
    try:
        return action()
    except FileRejected as exc:
        err.print(f"[bold red]error:[/] {exc.detail}")
        for problem in exc.problems[:200]:
            err.print(problem, markup=False)
        if len(exc.problems) > 200:
            err.print(f"… and {len(exc.problems) - 200:,} more problems")
        raise typer.Exit(exc.exit_code) from None
    except ReuniteError as exc:
        err.print(f"[bold red]error:[/] {exc.detail}")
        raise typer.Exit(exc.exit_code) from None


def _audit_cli(
    session: Session,
    action: str,
    *,
    subject_type: str = "",
    subject_id: str = "",
    details: dict[str, object] | None = None,
) -> None:
    """Audit what the command line did, naming the operating-system account that ran it."""
    import getpass

    from reunite.audit.service import record_event

    try:
        account = getpass.getuser()
    except (KeyError, OSError):
        account = "unknown"
    record_event(
        session,
        actor=None,
        actor_name=f"cli:{account}",
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        details=details,
    )


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create the schema, or bring it up to date (safe to run again)."""
    from reunite.db.migrate import upgrade
    from reunite.db.session import default_engine

    upgrade(default_engine())
    typer.echo("database schema is up to date")


@party_app.command("add")
def party_add(
    name: Annotated[str, typer.Argument(help="The party's name, unique.")],
    role: Annotated[str, typer.Option(help="mediator, requesting or custodial.")],
) -> None:
    """Register a party with its role."""
    from reunite.parties import service

    def body() -> None:
        with _session() as session:
            party = service.add_party(session, name=name, role=role)
            typer.echo(f"added party {party.name} ({party.role})")

    _run(body)


@party_app.command("list")
def party_list() -> None:
    """Print one party per line: its name, then its role."""
    from reunite.parties import service

    def body() -> None:
        with _session() as session:
            for party in service.list_parties(session):
                typer.echo(f"{party.name}\t{party.role}")

    _run(body)


@user_app.command("create")
def user_create(
    username: Annotated[str, typer.Option(help="The login name: unique, no spaces.")],
    role: Annotated[
        str, typer.Option(help="admin, caseworker, liaison, family, adult or auditor.")
    ],
    party: Annotated[
        str | None,
        typer.Option(help="The user's party (a liaison's or a family member's; required)."),
    ] = None,
    display_name: Annotated[str, typer.Option(help="The name shown on pages.")] = "",
    language: Annotated[str, typer.Option(help="en, uk or ru.")] = "en",
    password_stdin: Annotated[
        bool,
        typer.Option("--password-stdin", help="Read the password from standard input."),
    ] = False,
) -> None:
    """Create a user account; asks for the password twice (hidden) unless --password-stdin."""
    from reunite.auth.models import ROLES
    from reunite.auth.service import PARTY_REQUIRED, create_user

    def body() -> None:
        # Say what is wrong before asking for a password that would then be wasted.
        if role not in ROLES:
            raise InvalidInput(f"unknown role {role!r}; use one of: {', '.join(ROLES)}")
        if role in PARTY_REQUIRED and not party:
            raise InvalidInput(f"a {role} user belongs to a party: give --party")
        password = _read_password(from_stdin=password_stdin)
        with _session() as session:
            user = create_user(
                session,
                username=username,
                password=password,
                role=role,
                party_name=party,
                display_name=display_name,
                language=language,
            )
            _audit_cli(
                session,
                "user.create",
                subject_type="user",
                subject_id=str(user.id),
                details={"username": user.username, "role": role, "party": party or ""},
            )
            typer.echo(f"created user {user.username} ({role}{f', {party}' if party else ''})")

    _run(body)


def _read_password(*, from_stdin: bool) -> str:
    if not from_stdin:
        entered: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
        return entered
    # One line: a password manager's `... | reunite user create --password-stdin` works.
    line = sys.stdin.readline().rstrip("\r\n")
    if not line:
        raise InvalidInput("no password on standard input")
    return line


@user_app.command("list")
def user_list() -> None:
    """Print one user per line: username, role, party, active or disabled, display name."""
    from sqlalchemy import select

    from reunite.auth.models import User
    from reunite.parties.models import Party

    def body() -> None:
        with _session() as session:
            rows = session.execute(
                select(User, Party.name)
                .outerjoin(Party, Party.id == User.party_id)
                .order_by(User.username)
            )
            for user, party_name in rows:
                state = "active" if user.active else "disabled"
                typer.echo(
                    f"{user.username}\t{user.role}\t{party_name or '-'}\t{state}\t"
                    f"{user.display_name}"
                )

    _run(body)


@token_app.command("create")
def token_create(
    username: Annotated[str, typer.Option(help="Whose token: the system acts as this user.")],
    label: Annotated[str, typer.Option(help="What the token is for (shown in listings).")] = "",
) -> None:
    """Create an API token and print it once; only its hash is kept."""
    from reunite.auth.service import create_token

    def body() -> None:
        with _session() as session:
            secret, token = create_token(session, username=username, label=label)
            _audit_cli(
                session,
                "token.create",
                subject_type="token",
                subject_id=str(token.id),
                details={"username": username.strip(), "prefix": token.prefix, "label": label},
            )
        typer.echo(secret)
        err.print(
            "This token is shown once: store it now. Send it as `Authorization: Bearer TOKEN`.",
            markup=False,
        )

    _run(body)


@token_app.command("revoke")
def token_revoke(
    token: Annotated[str, typer.Argument(help="The token, or the prefix `token list` shows.")],
) -> None:
    """Revoke an API token at once."""
    from reunite.auth.models import User
    from reunite.auth.service import revoke_token

    def body() -> None:
        with _session() as session:
            revoked = revoke_token(session, token=token)
            owner = session.get(User, revoked.user_id)
            owner_name = owner.username if owner is not None else "?"
            _audit_cli(
                session,
                "token.revoke",
                subject_type="token",
                subject_id=str(revoked.id),
                details={"username": owner_name, "prefix": revoked.prefix},
            )
            typer.echo(f"revoked token {revoked.prefix}… of {owner_name}")

    _run(body)


@token_app.command("list")
def token_list(
    username: Annotated[str, typer.Option(help="Whose tokens.")],
) -> None:
    """Print a user's tokens, newest first: prefix, label, created, last used, state."""
    from reunite.auth.service import list_tokens

    def body() -> None:
        with _session() as session:
            for token in list_tokens(session, username=username):
                used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never"
                state = (
                    f"revoked {token.revoked_at:%Y-%m-%d %H:%M}" if token.revoked_at else "active"
                )
                typer.echo(
                    f"{token.prefix}…\t{token.label or '-'}\t"
                    f"created {token.created_at:%Y-%m-%d %H:%M}\tused {used}\t{state}"
                )

    _run(body)


@audit_app.command("verify")
def audit_verify() -> None:
    """Walk the whole audit log; name the first entry that was changed, removed or inserted."""
    from reunite.audit.service import verify_chain

    def body() -> None:
        with _session() as session:
            report = verify_chain(session)
        if not report.intact:
            err.print(
                f"audit log broken at entry {report.broken_at}: {report.reason}", markup=False
            )
            raise typer.Exit(1)
        typer.echo(f"audit log intact: {report.entries:,} entries; head {report.head}")

    _run(body)


@app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(help="CSV, XLSX or JSON list.")],
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
) -> None:
    """Validate a party's list and store it as one batch (all or nothing by default)."""
    from reunite.exchange.service import import_list
    from reunite.parties.service import get_party_by_name

    def body() -> None:
        if encoding is not None:
            _check_encoding(encoding)
        with _session() as session, _progress(file) as advance:
            sender = get_party_by_name(session, name=party)
            report = import_list(
                session,
                path=file,
                party=sender,
                kind=kind,
                accept_valid=accept_valid,
                rejects_path=rejects,
                encoding=encoding,
                on_progress=advance,
            )
            _audit_cli(
                session,
                "list.import",
                subject_type="batch",
                subject_id=str(report.batch_id or ""),
                details={"party": sender.name, "kind": kind, "filename": file.name},
            )
        for line in report.errors[:200]:
            err.print(line, markup=False)
        if len(report.errors) > 200:
            err.print(f"… and {len(report.errors) - 200:,} more problems")
        if report.rejected and rejects is not None:
            err.print(f"rejected rows written to {rejects}", markup=False)
        typer.echo(report.summary())

    _run(body)


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
        with _session() as session:
            owner = get_party_by_name(session, name=party)
            count = export_records(
                session, party_id=owner.id, kind=kind, file_format=file_format, out=out_file
            )
            _audit_cli(
                session,
                "export",
                subject_type="party",
                subject_id=owner.name,
                details={"kind": kind, "format": file_format, "records": count},
            )
        typer.echo(f"wrote {count:,} {kind} of {party} to {out_file}")

    _run(body)


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
        with _session() as session:
            owner = get_party_by_name(session, name=party)
            lines = record_history(session, party_id=owner.id, kind=kind, external_id=record_id)
            _audit_cli(
                session,
                "record.read",
                subject_type="record",
                subject_id=f"{owner.name}/{kind}/{record_id}",
                details={"via": "history"},
            )
        for line in lines:
            typer.echo(line)

    _run(body)


@app.command("batches")
def batches_command(
    party: Annotated[str | None, typer.Option(help="Only this party's batches.")] = None,
) -> None:
    """List received batches (the receipts): who sent what, when, and what it changed."""
    from reunite.exchange.service import list_batches

    def body() -> None:
        with _session() as session:
            for line in list_batches(session, party_name=party):
                typer.echo(line)

    _run(body)


@app.command("demo")
def demo_command(
    seed: Annotated[int, typer.Option(help="Same seed, same data.")] = 2022,
    requests: Annotated[int, typer.Option(help="How many tracing requests.")] = 2000,
    disclosures: Annotated[int, typer.Option(help="How many disclosed records.")] = 3000,
    skip_if_present: Annotated[
        bool, typer.Option("--skip-if-present", help="Do nothing if data is already there.")
    ] = False,
    truth_out: Annotated[
        Path | None, typer.Option(help="Write the true request→record links here (CSV).")
    ] = None,
    credentials_out: Annotated[
        Path | None,
        typer.Option(help="Write the demo accounts (passwords, tokens) here as JSON, mode 0600."),
    ] = None,
) -> None:
    """Fill an empty database with a realistic synthetic scenario and one user per role."""
    from reunite.demo.service import load_demo

    def body() -> None:
        if credentials_out is not None and not credentials_out.parent.is_dir():
            raise InvalidInput(f"no folder {credentials_out.parent} for --credentials-out")
        with _session() as session:
            outcome = load_demo(
                session,
                seed=seed,
                n_requests=requests,
                n_disclosures=disclosures,
                skip_if_present=skip_if_present,
                truth_out=truth_out,
            )
        for line in outcome.lines:
            typer.echo(line)
        if outcome.skipped:
            if credentials_out is not None and credentials_out.is_file():
                typer.echo(f"the demo accounts of the first run are in {credentials_out}")
            return
        _print_credentials(outcome.credentials)
        if credentials_out is not None:
            _write_credentials(credentials_out, outcome.credentials)
            typer.echo(f"demo accounts with their API tokens written to {credentials_out}")

    _run(body)


def _print_credentials(credentials: list[DemoCredential]) -> None:
    rows = [("username", "password", "role", "party")]
    rows += [(c.username, c.password, c.role, c.party or "-") for c in credentials]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    typer.echo("demo accounts (the passwords are shown only now; the database keeps hashes):")
    for row in rows:
        typer.echo(
            "  ".join([*(cell.ljust(w) for cell, w in zip(row, widths, strict=False)), row[3]])
        )


def _write_credentials(path: Path, credentials: list[DemoCredential]) -> None:
    import json

    document = [
        {
            "username": c.username,
            "password": c.password,
            "role": c.role,
            "party": c.party,
            "token": c.token,
        }
        for c in credentials
    ]
    # Created owner-only: the file holds working passwords and tokens.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.chmod(path, 0o600)  # an existing file keeps its old mode otherwise
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump(document, handle, ensure_ascii=False, indent=2)
        handle.write("\n")


@app.command("match")
def match_command(
    requests_file: Annotated[Path, typer.Argument(help="Tracing requests (CSV, XLSX, JSON).")],
    disclosed_file: Annotated[Path, typer.Argument(help="Disclosed records (CSV, XLSX, JSON).")],
    out_file: Annotated[Path, typer.Option("--out", help="Where to write the pairs (CSV).")],
    threshold: Annotated[
        float | None,
        typer.Option(help="Probability from which a best guess is called a match."),
    ] = None,
) -> None:
    """Match two list files without a database; write candidate pairs with explanations."""
    import gc
    import time

    from reunite.matching import DEFAULT_THRESHOLD, Matcher
    from reunite.matching.files import load_lists, write_pairs

    def body() -> None:
        chosen = DEFAULT_THRESHOLD if threshold is None else threshold
        if not 0.0 < chosen < 1.0:
            raise ReuniteError("--threshold must be between 0 and 1", status=422)
        started = time.perf_counter()
        workers = os.cpu_count() or 1
        # The run builds millions of small objects without reference cycles; the cyclic
        # collector would only walk them again and again (a quarter of the run's time).
        collecting = gc.isenabled()
        gc.disable()
        try:
            with _stage_progress() as stage:
                matcher = Matcher(threshold=chosen)
                lists = load_lists(
                    requests_file,
                    disclosed_file,
                    matcher,
                    parallel=workers > 1,
                    on_progress=stage("reading both lists"),
                )
                for problem in lists.problems[:200]:
                    err.print(f"skipped {problem}", markup=False)
                loaded = time.perf_counter()
                result = matcher.match(
                    lists.requests,
                    estimate_model=True,
                    workers=workers,
                    on_progress=stage("comparing requests"),
                )
        finally:
            if collecting:
                gc.enable()
        finished = time.perf_counter()
        written = write_pairs(out_file, result.candidates)
        matches = len(result.matches())
        requests, disclosed, skipped = len(lists.requests), lists.disclosed, len(lists.problems)
        typer.echo(
            f"requests {requests:,}, disclosed {disclosed:,}, skipped rows {skipped:,}; "
            f"pairs written {written:,}: match {matches:,}, possible {written - matches:,}; "
            f"threshold {chosen}; {finished - started:.1f} s (reading and indexing "
            f"{loaded - started:.2f} s, matching {finished - loaded:.2f} s) → {out_file}"
        )

    _run(body)


@contextmanager
def _stage_progress() -> Iterator[Callable[[str], Callable[[int], None]]]:
    """Show the current stage and a running count on a terminal; stay silent elsewhere."""
    if not err.is_terminal:
        yield lambda _label: lambda _count: None
        return
    columns = (TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True) as progress:
        task = progress.add_task("starting", total=None)

        def stage(label: str) -> Callable[[int], None]:
            progress.update(task, description=label)
            return lambda count: progress.update(task, description=f"{label}: {count:,}")

        yield stage


@app.command("serve")
def serve_command(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
) -> None:
    """Run the web server."""
    import uvicorn

    from reunite.db.migrate import is_initialised
    from reunite.db.session import default_engine

    def body() -> None:
        if not is_initialised(default_engine()):
            raise ReuniteError("the database has no schema yet; run `reunite db upgrade` first")
        typer.echo(f"Reunite is serving on http://{host}:{port}/")
        uvicorn.run("reunite.app:create_server_app", factory=True, host=host, port=port)

    _run(body)


jobs_app = typer.Typer(help="Run queued background jobs (matching runs).", no_args_is_help=True)
app.add_typer(jobs_app, name="jobs")


@jobs_app.command("run")
def jobs_run_command(
    once: Annotated[
        bool,
        typer.Option("--once", help="Run the jobs queued now, then exit (do not wait for more)."),
    ] = False,
) -> None:
    """Run queued jobs one at a time, waiting for new ones until interrupted (or --once)."""
    import time

    from reunite.db.migrate import is_initialised
    from reunite.db.session import default_engine, default_sessions
    from reunite.jobs.service import jobs_run_by, worker_name
    from reunite.jobs.worker import POLL_SECONDS, run_pending

    def body() -> None:
        if not is_initialised(default_engine()):
            raise ReuniteError("the database has no schema yet; run `reunite db upgrade` first")
        sessions = default_sessions()
        worker = worker_name()
        reported: set[int] = set()
        failed = 0
        while True:
            run_pending(sessions, worker=worker)
            with sessions() as session:
                for job in jobs_run_by(session, worker=worker):
                    if job.id in reported or job.status not in ("done", "failed"):
                        continue
                    reported.add(job.id)
                    failed += job.status == "failed"
                    line = f"job {job.id} ({job.kind}): {job.status}: {job.message}"
                    if job.status == "failed":
                        err.print(line, markup=False)
                    else:
                        typer.echo(line)
            if once:
                break
            time.sleep(POLL_SECONDS)
        if not reported:
            typer.echo("no job was waiting")
        if failed:
            raise ReuniteError(f"{failed} of {len(reported)} jobs failed")

    _run(body)


def main() -> None:
    """Run the command line; unexpected failures get one line, not a traceback."""
    try:
        app()
    except SystemExit:
        raise
    except KeyboardInterrupt:
        err.print("interrupted; nothing of the unfinished step was stored")
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - the last line of defence for a person at a prompt
        if os.environ.get("REUNITE_DEBUG"):
            raise
        err.print(
            f"[bold red]unexpected error:[/] {type(exc).__name__}: {exc}\n"
            "Nothing of the unfinished step was stored. Set REUNITE_DEBUG=1 to see details."
        )
        sys.exit(1)
