"""Keeping accounts: one's own password, and the administrator's list of accounts.

The administrator disables and enables accounts, resets a password (a one-time password,
shown once, that must be changed at the next login), ends a person's sessions, lifts login
locks, and gives an account a new second factor (its otpauth:// URI shown once). Every act
and every look at the list is audited.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import RedirectResponse

from reunite.audit.service import record_event
from reunite.auth.models import User
from reunite.auth.passwords import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH
from reunite.auth.principal import Principal
from reunite.auth.service import (
    account_states,
    change_password,
    disable_user,
    enable_user,
    end_all_sessions,
    enrol_second_factor,
    locked_sources,
    needs_second_factor,
    reset_password,
    second_factor_uri,
    unlock_user,
)
from reunite.errors import InvalidInput, NotFound
from reunite.vocabulary import N_, Message
from reunite.web.deps import (
    CsrfChecked,
    CurrentCaller,
    DbSession,
    PagePrincipal,
    client_address,
    require_role,
)
from reunite.web.render import render

router = APIRouter()

MISMATCH = N_("The two new passwords differ. Type the same one twice.")


def _account(session: DbSession, principal: Principal, user_id: int) -> User:
    require_role(principal, "admin")
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("no such account")
    return user


def _audit(
    session: DbSession,
    request: Request,
    principal: Principal,
    action: str,
    user: User,
    **details: object,
) -> None:
    record_event(
        session,
        actor=principal,
        action=action,
        subject_type="user",
        subject_id=str(user.id),
        details={"username": user.username, **details},
        address=client_address(request),
    )


# --- one's own password -------------------------------------------------------------------


def _password_page(request: Request, *, error: Message | str, status: int) -> Response:
    return render(
        request,
        "account_password.html",
        {"error": error, "min_length": MIN_PASSWORD_LENGTH},
        status=status,
    )


@router.get("/account/password")
def password_form(request: Request, principal: PagePrincipal) -> Response:
    """Show the form to change one's own password (the only page after a reset)."""
    del principal  # logged in is all it takes
    return _password_page(request, error="", status=200)


@router.post("/account/password", dependencies=[CsrfChecked])
def password_change(
    request: Request,
    session: DbSession,
    caller: CurrentCaller,
    principal: PagePrincipal,
    current: Annotated[str, Form(max_length=MAX_PASSWORD_LENGTH)] = "",
    new: Annotated[str, Form(max_length=MAX_PASSWORD_LENGTH)] = "",
    repeat: Annotated[str, Form(max_length=MAX_PASSWORD_LENGTH)] = "",
) -> Response:
    """Change one's own password; the policy refuses a guessable one, with the reason."""
    user = session.get(User, principal.user_id)
    if user is None:  # deleted between the session check and here
        raise NotFound("no such account")
    if new != repeat:
        return _password_page(request, error=MISMATCH, status=422)
    keep = caller.web_session.token_hash if caller.web_session is not None else ""
    try:
        change_password(session, user=user, current=current, new=new, keep_session=keep)
    except InvalidInput as exc:
        # Refused as a whole: nothing changed, and the page says why in the reader's words.
        return _password_page(request, error=exc.message, status=exc.status)
    _audit(session, request, principal, "user.password_changed", user)
    return RedirectResponse("/", status_code=303)


# --- the administrator's accounts -----------------------------------------------------------


@router.get("/admin/accounts")
def accounts_list(request: Request, session: DbSession, principal: PagePrincipal) -> Response:
    """List every account with its state: active or disabled, locks, sessions, second factor."""
    require_role(principal, "admin")
    states = account_states(session)
    record_event(
        session,
        actor=principal,
        action="accounts.list",
        details={"results": len(states)},
        address=client_address(request),
    )
    return render(request, "accounts.html", {"accounts": states})


def _account_page(
    request: Request,
    session: DbSession,
    user: User,
    *,
    one_time_password: str = "",
    second_factor: str = "",
    done: str = "",
) -> Response:
    context = {
        "account": user,
        "locked_sources": locked_sources(session, user=user),
        "needs_second_factor": needs_second_factor(user),
        "one_time_password": one_time_password,
        "second_factor_uri": second_factor,
        "done": done,
    }
    return render(request, "account.html", context)


@router.get("/admin/accounts/{user_id}")
def account_view(
    request: Request, session: DbSession, principal: PagePrincipal, user_id: int
) -> Response:
    """Show one account and what the administrator can do with it."""
    user = _account(session, principal, user_id)
    _audit(session, request, principal, "account.read", user)
    return _account_page(request, session, user)


@router.post("/admin/accounts/{user_id}/disable", dependencies=[CsrfChecked])
def account_disable(
    request: Request, session: DbSession, principal: PagePrincipal, user_id: int
) -> Response:
    """Disable an account: no login, its tokens refused, its sessions ended."""
    user = _account(session, principal, user_id)
    if user.id == principal.user_id:
        raise InvalidInput("an administrator cannot disable their own account", code="own_account")
    _user, ended = disable_user(session, username=user.username)
    _audit(session, request, principal, "user.disable", user, sessions=ended)
    return _account_page(request, session, user, done=N_("The account is disabled."))


@router.post("/admin/accounts/{user_id}/enable", dependencies=[CsrfChecked])
def account_enable(
    request: Request, session: DbSession, principal: PagePrincipal, user_id: int
) -> Response:
    """Enable a disabled account again."""
    user = _account(session, principal, user_id)
    enable_user(session, username=user.username)
    _audit(session, request, principal, "user.enable", user)
    return _account_page(request, session, user, done=N_("The account is enabled again."))


@router.post("/admin/accounts/{user_id}/reset-password", dependencies=[CsrfChecked])
def account_reset_password(
    request: Request, session: DbSession, principal: PagePrincipal, user_id: int
) -> Response:
    """Give an account a one-time password, shown on this answer only."""
    user = _account(session, principal, user_id)
    one_time, _user, ended = reset_password(session, username=user.username)
    _audit(session, request, principal, "user.password_reset", user, sessions=ended)
    return _account_page(request, session, user, one_time_password=one_time)


@router.post("/admin/accounts/{user_id}/logout-everywhere", dependencies=[CsrfChecked])
def account_logout_everywhere(
    request: Request, session: DbSession, principal: PagePrincipal, user_id: int
) -> Response:
    """End every session of an account (the administrator's own too, if it is theirs)."""
    user = _account(session, principal, user_id)
    ended = end_all_sessions(session, user=user)
    _audit(session, request, principal, "user.sessions_ended", user, sessions=ended)
    if user.id == principal.user_id:
        return RedirectResponse("/login", status_code=303)
    return _account_page(request, session, user, done=N_("Every session of the account ended."))


@router.post("/admin/accounts/{user_id}/unlock", dependencies=[CsrfChecked])
def account_unlock(
    request: Request, session: DbSession, principal: PagePrincipal, user_id: int
) -> Response:
    """Lift the account's lock and every locked-out source."""
    user = _account(session, principal, user_id)
    unlock_user(session, username=user.username)
    _audit(session, request, principal, "user.unlock", user)
    return _account_page(request, session, user, done=N_("The login locks are lifted."))


@router.post("/admin/accounts/{user_id}/second-factor", dependencies=[CsrfChecked])
def account_second_factor(
    request: Request, session: DbSession, principal: PagePrincipal, user_id: int
) -> Response:
    """Give an account a new TOTP secret; its otpauth:// URI is shown on this answer only."""
    user = _account(session, principal, user_id)
    secret, _user = enrol_second_factor(session, username=user.username)
    _audit(session, request, principal, "user.second_factor", user)
    return _account_page(request, session, user, second_factor=second_factor_uri(user, secret))
