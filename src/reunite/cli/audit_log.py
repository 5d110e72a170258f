"""Commands for the audit trail: verify it, sign checkpoints of it, test search words."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from reunite.cli.common import (
    app,
    audit_cli,
    err,
    mediator_public_key,
    run_command,
    session_scope,
)
from reunite.errors import InvalidInput, ReuniteError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from reunite.audit.checkpoints import CheckpointCheck

audit_app = typer.Typer(
    help="Check the hash-chained audit log and sign checkpoints of it.", no_args_is_help=True
)
app.add_typer(audit_app, name="audit")


def _read_checkpoint(path: Path) -> object:
    from reunite.audit.checkpoints import checkpoint_in
    from reunite.keys.signing import CHECKPOINT_FORMAT, read_json_document

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror}") from None
    # A file as `reunite audit checkpoint` writes it, or a receipt that carries one.
    return checkpoint_in(read_json_document(data, expected_format=CHECKPOINT_FORMAT))


def _against_checkpoints(
    session: Session, files: list[Path], key: Path | None
) -> tuple[list[tuple[str, CheckpointCheck]], list[str]]:
    """Check the log against the files given and, when this server signs, those it kept.

    Return the checks made, and a line for each kept checkpoint another key signed.
    """
    from reunite.audit.checkpoints import check_against, check_kept
    from reunite.keys.service import mediator_key_path
    from reunite.keys.signing import key_id

    checks: list[tuple[str, CheckpointCheck]] = []
    unchecked: list[str] = []
    if files:
        public = mediator_public_key(key)
        for path in files:
            checks.append((str(path), check_against(session, _read_checkpoint(path), public)))
    if key is None and mediator_key_path().exists():
        public = mediator_public_key(None)
        for kept in check_kept(session, public):
            if kept.check is not None:
                checks.append((f"kept checkpoint {kept.checkpoint_id}", kept.check))
            else:
                unchecked.append(
                    f"kept checkpoint {kept.checkpoint_id}: signed by key {kept.signer}, not "
                    f"by this server's key {key_id(public)}; not checked (check a copy with "
                    "--checkpoint FILE --key THAT_KEY.pem)"
                )
    return checks, unchecked


@audit_app.command("verify")
def audit_verify(
    checkpoint: Annotated[
        list[Path] | None,
        typer.Option(
            help="A checkpoint (or a receipt carrying one) the log must still hold; "
            "repeat for several."
        ),
    ] = None,
    key: Annotated[
        Path | None,
        typer.Option(help="The mediator's public key (PEM); default: this server's own key."),
    ] = None,
) -> None:
    """Walk the whole audit log; name what was changed, removed, inserted, cut off or wiped.

    Without --checkpoint the log is also checked against the checkpoints it keeps; with it,
    against copies kept elsewhere, which no one at the server can reach.
    """
    from reunite.audit.service import verify_chain
    from reunite.db.engine import read_only_snapshot

    def body() -> None:
        with session_scope() as session:
            # A long walk that writes nothing: it must not hold the server's writers back.
            read_only_snapshot(session)
            report = verify_chain(session)
            checks, unchecked = _against_checkpoints(session, checkpoint or [], key)
        broken = False
        for line in unchecked:
            err.print(line, markup=False)
        if not report.intact:
            err.print(
                f"audit log broken at entry {report.broken_at}: {report.reason}", markup=False
            )
            broken = True
        for source, check in checks:
            if not check.holds:
                err.print(f"{source}: {check.problem}", markup=False)
                broken = True
        if broken:
            raise typer.Exit(1)
        held = f"; holds {len(checks)} signed checkpoint(s)" if checks else ""
        typer.echo(f"audit log intact: {report.entries:,} entries; head {report.head}{held}")

    run_command(body)


@audit_app.command("checkpoint")
def audit_checkpoint(
    out: Annotated[
        Path | None, typer.Option(help="Write the signed checkpoint to this file (JSON).")
    ] = None,
) -> None:
    """Sign the log's head now (entries, last entry, its hash) with the mediator's key.

    Keep the file away from this server, or hand it to the parties: `reunite audit verify
    --checkpoint FILE` then shows whether the log still holds everything it held.
    """
    from reunite.audit.checkpoints import checkpoint_text, make_checkpoint

    def body() -> None:
        with session_scope() as session:
            made = make_checkpoint(session, reason="on demand")
            text = checkpoint_text(made)
            audit_cli(
                session,
                "audit.checkpoint",
                subject_type="audit_checkpoint",
                subject_id=str(made.id),
                details={"entries": made.entries, "head": made.head_id},
            )
            summary = (
                f"checkpoint {made.id}: {made.entries:,} entries up to entry {made.head_id}, "
                f"head {made.head_hash or '(empty log)'}"
            )
        if out is not None:
            try:
                out.write_text(text, encoding="utf-8")
            except OSError as exc:
                raise ReuniteError(f"cannot write {out}: {exc.strerror}") from None
            summary += f"; written to {out}"
        typer.echo(summary)

    run_command(body)


@audit_app.command("search-term")
def audit_search_term(
    words: Annotated[list[str], typer.Argument(help="The names to look for, one or more.")],
) -> None:
    """Print the keyed hash the audit log keeps of each word typed into a search.

    An investigator finds the searches for a name by looking for its hash in the log's
    `terms`; the log itself never holds the name. Testing names is itself audited.
    """
    from reunite.audit.terms import term_hash
    from reunite.settings import get_settings

    def body() -> None:
        key = get_settings().audit_search_key
        if not key:
            raise InvalidInput(
                "no REUNITE_AUDIT_SEARCH_KEY is set: the audit log keeps no search words"
            )
        with session_scope() as session:
            audit_cli(session, "audit.search_term", details={"words": len(words)})
        for word in words:
            typer.echo(f"{term_hash(word, key=key)}\t{word}")

    run_command(body)
