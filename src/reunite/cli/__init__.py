"""The `reunite` command: set up the database, exchange lists, match, serve, manage accounts."""

from __future__ import annotations

import importlib
import sys

from rich.markup import escape

from reunite.cli.common import app, err

# Each module adds its commands to the one Typer app; this order is the order of `--help`.
for _module in (
    "lists",
    "keys",
    "demo",
    "matching",
    "server",
    "accounts",
    "audit_log",
    "backups",
    "figures",
):
    importlib.import_module(f"reunite.cli.{_module}")

__all__ = ["app", "main"]


def main() -> None:
    """Run the command line; unexpected failures get one line, not a traceback."""
    from reunite.matching.disk_cache import use_cache_folder
    from reunite.settings import get_settings

    try:
        settings = get_settings()
    except ValueError as exc:  # pydantic's ValidationError: a REUNITE_ variable is malformed
        err.print(f"[bold red]error:[/] the settings cannot be read: {exc}")
        sys.exit(2)
    use_cache_folder(settings.cache_dir)
    try:
        app()
    except SystemExit:
        raise
    except KeyboardInterrupt:
        err.print("interrupted; nothing of the unfinished step was stored")
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - the last line of defence for a person at a prompt
        if settings.debug:
            raise
        err.print(
            f"[bold red]unexpected error:[/] {type(exc).__name__}: {escape(str(exc))}\n"
            "Nothing of the unfinished step was stored. Set REUNITE_DEBUG=true to see details."
        )
        sys.exit(1)
