"""What every `reunite` command shares: the app, the error console, sessions, audit."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from reunite.errors import FileRejected, InvalidInput, ReuniteError

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    from sqlalchemy.orm import Session

app = typer.Typer(
    help="Reunite: trace and reunite children separated by war with their families.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True, highlight=False, soft_wrap=True)
T = TypeVar("T")


def require_schema() -> None:
    """Refuse to go on, with what to do, when the configured database has no schema yet."""
    # Database modules load on demand: `reunite match` needs none and starts faster.
    from reunite.db.migrate import is_initialised
    from reunite.wiring import default_engine

    if not is_initialised(default_engine()):
        raise ReuniteError("the database has no schema yet; run `reunite db upgrade` first")


@contextmanager
def session_scope() -> Iterator[Session]:
    """Open a committed session on the configured database, once its schema exists."""
    from reunite.db.engine import transaction
    from reunite.wiring import default_sessions

    require_schema()
    with transaction(default_sessions()) as session:
        yield session


def run_command(action: Callable[[], T]) -> T:
    """Run a command body; show a person a clear message instead of a traceback."""
    try:
        return action()
    except FileRejected as exc:
        # A refusal may quote a hostile file: its text is shown, never read as markup.
        hint = (
            " (fix them, or store the valid rows only with --accept-valid)"
            if exc.some_valid
            else ""
        )
        err.print(f"[bold red]error:[/] {escape(exc.detail)}{hint}")
        for problem in exc.problems[:200]:
            err.print(problem, markup=False)
        if len(exc.problems) > 200:
            err.print(f"… and {len(exc.problems) - 200:,} more problems")
        raise typer.Exit(exc.exit_code) from None
    except ReuniteError as exc:
        err.print(f"[bold red]error:[/] {escape(exc.detail)}")
        raise typer.Exit(exc.exit_code) from None


def audit_cli(
    session: Session,
    action: str,
    *,
    subject_type: str = "",
    subject_id: str = "",
    details: dict[str, object] | None = None,
    refusal: bool = False,
) -> None:
    """Audit what the command line did, naming the operating-system account that ran it.

    A `refusal` is kept even though the command's transaction then rolls back.
    """
    import getpass

    from reunite.audit.service import record_event, record_refusal

    try:
        account = getpass.getuser()
    except (KeyError, OSError):
        account = "unknown"
    record = record_refusal if refusal else record_event
    record(
        session,
        actor=None,
        actor_name=f"cli:{account}",
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        details=details,
    )


def mediator_public_key(path: Path | None) -> Ed25519PublicKey:
    """Return the mediator's public key: from a PEM file given, or this server's own key."""
    from reunite.keys.service import mediator_private_key
    from reunite.keys.signing import load_public_key

    if path is None:
        return mediator_private_key().public_key()
    try:
        return load_public_key(path.read_bytes())
    except OSError as exc:
        # Exit 2, a mistake in the command (exit 1 says what was checked failed).
        raise InvalidInput(f"cannot read {path}: {exc.strerror}") from None
