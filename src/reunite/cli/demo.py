"""The demo command: a synthetic scenario and one account per role."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from reunite.cli.common import app, run_command, session_scope

if TYPE_CHECKING:
    from reunite.demo.service import DemoCredential

from reunite.errors import InvalidInput


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
    from reunite.demo.way_home import walk_home

    def body() -> None:
        if credentials_out is not None and not credentials_out.parent.is_dir():
            raise InvalidInput(f"no folder {credentials_out.parent} for --credentials-out")
        with session_scope() as session:
            outcome = load_demo(
                session,
                seed=seed,
                n_requests=requests,
                n_disclosures=disclosures,
                skip_if_present=skip_if_present,
                truth_out=truth_out,
                walk=walk_home,
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
            typer.echo(
                f"demo accounts with their API tokens and second factors written to "
                f"{credentials_out}"
            )

    run_command(body)


def _print_credentials(credentials: list[DemoCredential]) -> None:
    rows = [("username", "password", "role", "party")]
    rows += [(c.username, c.password, c.role, c.party or "-") for c in credentials]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    typer.echo("demo accounts (the passwords are shown only now; the database keeps hashes):")
    for row in rows:
        typer.echo(
            "  ".join([*(cell.ljust(w) for cell, w in zip(row, widths, strict=False)), row[3]])
        )
    staff = [c for c in credentials if c.totp_uri]
    if staff:
        typer.echo(
            "mediator staff also log in with a code from an authenticator app; add each "
            "account's second factor to one (open the otpauth link, or type its secret):"
        )
        for c in staff:
            typer.echo(f"  {c.username}: secret {c.totp_secret}  {c.totp_uri}")


def _write_credentials(path: Path, credentials: list[DemoCredential]) -> None:
    import json

    document = [
        {
            "username": c.username,
            "password": c.password,
            "role": c.role,
            "party": c.party,
            "token": c.token,
            "totp_secret": c.totp_secret,
            "totp_uri": c.totp_uri,
        }
        for c in credentials
    ]
    # Created owner-only: the file holds working passwords and tokens.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.chmod(path, 0o600)  # an existing file keeps its old mode otherwise
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump(document, handle, ensure_ascii=False, indent=2)
        handle.write("\n")
