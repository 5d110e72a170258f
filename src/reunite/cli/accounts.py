"""Commands for accounts: user, token."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from reunite.cli.common import app, audit_cli, err, run_command, session_scope
from reunite.errors import InvalidInput

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

user_app = typer.Typer(
    help="Create, list and keep user accounts: disable, enable, passwords, sessions, locks, "
    "the second factor.",
    no_args_is_help=True,
)
token_app = typer.Typer(help="Create, list and revoke API tokens.", no_args_is_help=True)
app.add_typer(user_app, name="user")
app.add_typer(token_app, name="token")


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
    email: Annotated[
        str, typer.Option(help="Where notifications are e-mailed (optional; needs SMTP).")
    ] = "",
    password_stdin: Annotated[
        bool,
        typer.Option("--password-stdin", help="Read the password from standard input."),
    ] = False,
) -> None:
    """Create a user account; asks for the password twice (hidden) unless --password-stdin."""
    from reunite.auth.enums import Role
    from reunite.auth.service import (
        PARTY_REQUIRED,
        create_user,
        enrol_second_factor,
        needs_second_factor,
        second_factor_uri,
    )

    def body() -> None:
        # Say what is wrong before asking for a password that would then be wasted.
        if role not in Role.values():
            raise InvalidInput(f"unknown role {role!r}; use one of: {', '.join(Role)}")
        if role in PARTY_REQUIRED and not party:
            raise InvalidInput(f"a {role} user belongs to a party: give --party")
        password = _read_password(from_stdin=password_stdin)
        with session_scope() as session:
            user = create_user(
                session,
                username=username,
                password=password,
                role=role,
                party_name=party,
                display_name=display_name,
                language=language,
                email=email,
            )
            audit_cli(
                session,
                "user.create",
                subject_type="user",
                subject_id=str(user.id),
                details={"username": user.username, "role": role, "party": party or ""},
            )
            typer.echo(f"created user {user.username} ({role}{f', {party}' if party else ''})")
            if needs_second_factor(user):
                # Staff log in with a code too: without a secret they could not log in at all.
                secret, _user = enrol_second_factor(session, username=user.username)
                audit_cli(
                    session,
                    "user.second_factor",
                    subject_type="user",
                    subject_id=str(user.id),
                    details={"username": user.username},
                )
                _print_second_factor(second_factor_uri(user, secret), secret)

    run_command(body)


def _print_second_factor(uri: str, secret: str) -> None:
    typer.echo(uri)
    err.print(
        "This is the account's second factor, shown once: add it to an authenticator app "
        f"(open the otpauth link, or type the secret {secret}). Mediator staff give its "
        "6-digit code at every login.",
        markup=False,
    )


@user_app.command("email")
def user_email(
    username: Annotated[str, typer.Argument(help="Whose address.")],
    address: Annotated[str, typer.Argument(help="The address; empty to stop e-mails.")] = "",
) -> None:
    """Set where a user's notifications are e-mailed (they say only that there is news)."""
    from reunite.auth.service import set_email

    def body() -> None:
        with session_scope() as session:
            user = set_email(session, username=username, address=address)
            audit_cli(
                session,
                "user.email",
                subject_type="user",
                subject_id=str(user.id),
                details={"username": user.username, "email": "set" if user.email else "removed"},
            )
            said = f"notifications go to {user.email}" if user.email else "no e-mail is sent"
            typer.echo(f"{user.username}: {said}")

    run_command(body)


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
    """Print one user per line: username, role, party, state, display name.

    The state is active or disabled, with `,locked` (locked after failures from many places)
    and `,must-change-password` (a one-time password was given) where they apply.
    """
    from sqlalchemy import select

    from reunite.auth.models import User
    from reunite.parties.models import Party

    def body() -> None:
        with session_scope() as session:
            rows = session.execute(
                select(User, Party.name)
                .outerjoin(Party, Party.id == User.party_id)
                .order_by(User.username)
            )
            for user, party_name in rows:
                state = "active" if user.active else "disabled"
                if user.locked_at is not None:
                    state += ",locked"
                if user.must_change_password:
                    state += ",must-change-password"
                typer.echo(
                    f"{user.username}\t{user.role}\t{party_name or '-'}\t{state}\t"
                    f"{user.display_name}"
                )

    run_command(body)


@user_app.command("disable")
def user_disable(username: Annotated[str, typer.Argument(help="Whose account.")]) -> None:
    """Disable an account: no login, its API tokens refused, its sessions ended at once."""
    from reunite.auth.service import disable_user

    def body() -> None:
        with session_scope() as session:
            user, ended = disable_user(session, username=username)
            _audit_user(session, "user.disable", user.id, user.username, sessions=ended)
            typer.echo(f"{user.username}: disabled; {ended} session(s) ended")

    run_command(body)


@user_app.command("enable")
def user_enable(username: Annotated[str, typer.Argument(help="Whose account.")]) -> None:
    """Enable a disabled account again (its unrevoked API tokens work again)."""
    from reunite.auth.service import enable_user

    def body() -> None:
        with session_scope() as session:
            user = enable_user(session, username=username)
            _audit_user(session, "user.enable", user.id, user.username)
            typer.echo(f"{user.username}: enabled")

    run_command(body)


@user_app.command("reset-password")
def user_reset_password(
    username: Annotated[str, typer.Argument(help="Whose password.")],
    password_stdin: Annotated[
        bool,
        typer.Option(
            "--password-stdin",
            help="Set the password read from standard input instead of a one-time password.",
        ),
    ] = False,
) -> None:
    """Give an account a one-time password (printed once; to be changed at the next login).

    Every session of the account ends. With --password-stdin the password given is set as
    it is (the policy still applies) and need not be changed.
    """
    from reunite.auth.service import reset_password, set_password

    def body() -> None:
        if password_stdin:
            password = _read_password(from_stdin=True)
            with session_scope() as session:
                user = set_password(session, username=username, password=password)
                _audit_user(session, "user.password_set", user.id, user.username)
            typer.echo(f"{user.username}: password set; every session ended")
            return
        with session_scope() as session:
            one_time, user, ended = reset_password(session, username=username)
            _audit_user(session, "user.password_reset", user.id, user.username, sessions=ended)
        typer.echo(one_time)
        err.print(
            f"The one-time password of {user.username}, shown once: {user.username} must "
            f"choose a new one at the next login. {ended} session(s) ended.",
            markup=False,
        )

    run_command(body)


@user_app.command("logout-everywhere")
def user_logout_everywhere(
    username: Annotated[str, typer.Argument(help="Whose sessions.")],
) -> None:
    """End every web session of an account (API tokens are revoked with `token revoke`)."""
    from reunite.auth.service import end_all_sessions, get_user

    def body() -> None:
        with session_scope() as session:
            user = get_user(session, username=username)
            ended = end_all_sessions(session, user=user)
            _audit_user(session, "user.sessions_ended", user.id, user.username, sessions=ended)
            typer.echo(f"{user.username}: {ended} session(s) ended")

    run_command(body)


@user_app.command("unlock")
def user_unlock(username: Annotated[str, typer.Argument(help="Whose account.")]) -> None:
    """Lift an account's login locks: the account-wide lock and every locked-out address."""
    from reunite.auth.service import get_user, locked_sources, unlock_user

    def body() -> None:
        with session_scope() as session:
            user = get_user(session, username=username)
            sources = locked_sources(session, user=user)
            account_locked = user.locked_at is not None
            unlock_user(session, username=username)
            _audit_user(session, "user.unlock", user.id, user.username)
            lifted = [*(["the account lock"] if account_locked else []), *sources]
            typer.echo(
                f"{user.username}: login locks lifted"
                + (f" ({', '.join(lifted)})" if lifted else " (there were none)")
            )

    run_command(body)


@user_app.command("totp")
def user_totp(username: Annotated[str, typer.Argument(help="Whose second factor.")]) -> None:
    """Give an account a new second factor and print its otpauth:// URI once.

    The old secret stops working at once. Mediator staff (admin, caseworker) need one to log in.
    """
    from reunite.auth.service import enrol_second_factor, second_factor_uri

    def body() -> None:
        with session_scope() as session:
            secret, user = enrol_second_factor(session, username=username)
            _audit_user(session, "user.second_factor", user.id, user.username)
            uri = second_factor_uri(user, secret)
        _print_second_factor(uri, secret)

    run_command(body)


def _audit_user(
    session: Session, action: str, user_id: int, username: str, **details: object
) -> None:
    audit_cli(
        session,
        action,
        subject_type="user",
        subject_id=str(user_id),
        details={"username": username, **details},
    )


@token_app.command("create")
def token_create(
    username: Annotated[str, typer.Option(help="Whose token: the system acts as this user.")],
    label: Annotated[str, typer.Option(help="What the token is for (shown in listings).")] = "",
) -> None:
    """Create an API token and print it once; only its hash is kept."""
    from reunite.auth.service import create_token

    def body() -> None:
        with session_scope() as session:
            secret, token = create_token(session, username=username, label=label)
            audit_cli(
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

    run_command(body)


@token_app.command("revoke")
def token_revoke(
    token: Annotated[str, typer.Argument(help="The token, or the prefix `token list` shows.")],
) -> None:
    """Revoke an API token at once."""
    from reunite.auth.models import User
    from reunite.auth.service import revoke_token

    def body() -> None:
        with session_scope() as session:
            revoked = revoke_token(session, token=token)
            owner = session.get(User, revoked.user_id)
            owner_name = owner.username if owner is not None else "?"
            audit_cli(
                session,
                "token.revoke",
                subject_type="token",
                subject_id=str(revoked.id),
                details={"username": owner_name, "prefix": revoked.prefix},
            )
            typer.echo(f"revoked token {revoked.prefix}… of {owner_name}")

    run_command(body)


@token_app.command("list")
def token_list(
    username: Annotated[str, typer.Option(help="Whose tokens.")],
) -> None:
    """Print a user's tokens, newest first: prefix, label, created, last used, state."""
    from reunite.auth.service import list_tokens

    def body() -> None:
        with session_scope() as session:
            for token in list_tokens(session, username=username):
                used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never"
                state = (
                    f"revoked {token.revoked_at:%Y-%m-%d %H:%M}" if token.revoked_at else "active"
                )
                typer.echo(
                    f"{token.prefix}…\t{token.label or '-'}\t"
                    f"created {token.created_at:%Y-%m-%d %H:%M}\tused {used}\t{state}"
                )

    run_command(body)
