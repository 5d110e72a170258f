"""Backup and restore: `reunite backup OUT`, `reunite restore IN`, `reunite backup-key`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from reunite.cli.common import app, audit_cli, require_schema, run_command, session_scope
from reunite.errors import ReuniteError


def _key() -> str:
    from reunite.settings import get_settings

    key = get_settings().backup_key
    if not key:
        raise ReuniteError(
            "no backup key is set: make one with `reunite backup-key` and keep it in "
            "REUNITE_BACKUP_KEY (and somewhere safe apart from the backups)"
        )
    return key


@app.command("backup-key")
def backup_key_command() -> None:
    """Print a new random backup key once; keep it in REUNITE_BACKUP_KEY and apart, safe."""
    from reunite.db.backup import new_key

    typer.echo(new_key())


@app.command("backup")
def backup_command(
    out: Annotated[Path, typer.Argument(help="The backup file to write (never overwritten).")],
) -> None:
    """Write an encrypted snapshot of the whole database and the attachment store."""
    from reunite.db.backup import write_backup
    from reunite.settings import get_settings
    from reunite.wiring import default_engine, schema

    def body() -> None:
        require_schema()
        report = write_backup(
            default_engine(),
            schema(),
            attachments=get_settings().attachments_path(),
            out=out,
            key=_key(),
        )
        with session_scope() as session:
            audit_cli(
                session,
                "backup.written",
                details={"rows": report.rows, "files": report.files, "revision": report.revision},
            )
        typer.echo(
            f"backup written to {out}: {report.rows:,} rows in {len(report.tables)} tables, "
            f"{report.files:,} files, schema revision {report.revision} (encrypted, mode 0600)"
        )

    run_command(body)


@app.command("restore")
def restore_command(
    source: Annotated[Path, typer.Argument(help="The backup file to restore.")],
) -> None:
    """Restore a backup onto an empty database (migrated to the backup's revision)."""
    from reunite.db.backup import restore_backup
    from reunite.db.migrate import current_revision, upgrade
    from reunite.settings import get_settings
    from reunite.wiring import default_engine, schema

    def body() -> None:
        if not source.is_file():
            raise ReuniteError(f"{source}: no such file")
        engine = default_engine()
        upgrade(engine)
        report = restore_backup(
            engine,
            schema(),
            attachments=get_settings().attachments_path(),
            source=source,
            key=_key(),
            revision=current_revision(engine),
        )
        with session_scope() as session:
            audit_cli(
                session,
                "backup.restored",
                details={"rows": report.rows, "files": report.files, "revision": report.revision},
            )
        typer.echo(
            f"restored {report.rows:,} rows in {len(report.tables)} tables and "
            f"{report.files:,} files from {source}"
        )

    run_command(body)
