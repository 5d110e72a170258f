"""Logging in and out, and choosing the language of the pages."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import RedirectResponse

from reunite.audit.service import record_event
from reunite.auth.enums import Language
from reunite.auth.models import User
from reunite.auth.passwords import MAX_PASSWORD_LENGTH
from reunite.auth.service import (
    LoginRefused,
    authenticate,
    end_session,
    principal_of,
    start_session,
)
from reunite.errors import InvalidInput, TooManyAttempts, Unauthorized
from reunite.vocabulary import N_, say
from reunite.web.deps import (
    CSRF_FIELD,
    LANGUAGE_COOKIE,
    PASSWORD_CHANGE_PATH,
    SESSION_COOKIE,
    CsrfChecked,
    CurrentCaller,
    DbSession,
    check_csrf,
    client_address,
)
from reunite.web.present import (
    anonymous_token,
    anonymous_token_sent,
    keep_anonymous_token,
    safe_next,
    secure_cookie,
)
from reunite.web.render import render, render_error

router = APIRouter()

# Long enough for any passphrase, short enough that hashing it costs nothing unusual.
MAX_PASSWORD = MAX_PASSWORD_LENGTH
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600

FORM_EXPIRED = N_("The form expired. Reload the page and try again.")


def _login_page(
    request: Request, *, next_path: str, username: str, error: str, status: int
) -> Response:
    token = anonymous_token(request)
    response = render(
        request,
        "login.html",
        {"next": next_path, "username": username, "error": error, "login_token": token},
        status=status,
    )
    keep_anonymous_token(request, response)
    return response


@router.get("/login")
def login_form(request: Request, caller: CurrentCaller, next: str = "/") -> Response:
    """Show the login form (or go on, when already logged in)."""
    if caller.web_session is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return _login_page(request, next_path=safe_next(next), username="", error="", status=200)


@router.post("/login")
def login(
    request: Request,
    session: DbSession,
    username: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=MAX_PASSWORD)] = "",
    code: Annotated[str, Form(max_length=20)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    """Check the password (and a staff member's code), open a session; count and audit failures."""
    target = safe_next(next)
    if not anonymous_token_sent(request, csrf_token):
        return _login_page(
            request, next_path=target, username=username, error=FORM_EXPIRED, status=403
        )
    address = client_address(request)
    try:
        user = authenticate(
            session, username=username, password=password, address=address, code=code
        )
    except (Unauthorized, TooManyAttempts) as exc:
        # The attempt was recorded: returning normally lets the request commit it.
        record_event(
            session,
            actor=None,
            actor_name=username.strip()[:100],
            action="login.failed",
            details={"reason": exc.error_code},
            address=address,
        )
        if isinstance(exc, LoginRefused) and exc.locked_account:
            record_event(
                session,
                actor=None,
                actor_name=username.strip()[:100],
                action="account.locked",
                subject_type="user",
                details={"username": username.strip()[:100]},
                address=address,
            )
        return _login_page(
            request,
            next_path=target,
            username=username,
            error=exc.message.template,
            status=exc.status,
        )
    secret, _web_session = start_session(session, user=user)
    record_event(
        session,
        actor=principal_of(session, user),
        action="login",
        subject_type="user",
        subject_id=str(user.id),
        address=address,
    )
    # A one-time password opens one door only: the form that replaces it.
    response = RedirectResponse(
        PASSWORD_CHANGE_PATH if user.must_change_password else target, status_code=303
    )
    response.set_cookie(
        SESSION_COOKIE,
        secret,
        httponly=True,
        samesite="lax",
        secure=secure_cookie(request),
        path="/",
    )
    return response


@router.post("/logout", dependencies=[CsrfChecked])
def logout(request: Request, session: DbSession, caller: CurrentCaller) -> Response:
    """End this browser's session and forget its cookie."""
    end_session(session, secret=request.cookies.get(SESSION_COOKIE, ""))
    if caller.principal is not None:
        record_event(
            session,
            actor=caller.principal,
            action="logout",
            subject_type="user",
            subject_id=str(caller.principal.user_id),
            address=client_address(request),
        )
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.post("/language")
async def choose_language(
    request: Request,
    session: DbSession,
    caller: CurrentCaller,
    lang: Annotated[str, Form(max_length=5)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    """Switch the language of the pages; a logged-in user keeps it in their profile."""
    if caller.web_session is not None:
        await check_csrf(request, caller)
    else:
        # Before login the token is the double-submit cookie the pages handed out.
        form = await request.form()
        if not anonymous_token_sent(request, form.get(CSRF_FIELD, "")):
            # A fresh token goes out with the refusal, so that reloading the page fixes it.
            anonymous_token(request)
            refusal = render_error(request, 403, FORM_EXPIRED)
            keep_anonymous_token(request, refusal)
            return refusal
    if lang not in Language.values():
        raise InvalidInput(
            say(
                N_("unknown language {value}; choose one of: {codes}"),
                value=repr(lang),
                codes=", ".join(Language),
            )
        )
    if caller.principal is not None:
        user = session.get(User, caller.principal.user_id)
        if user is not None:
            user.language = lang
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(
        LANGUAGE_COOKIE,
        lang,
        max_age=LANGUAGE_COOKIE_AGE,
        httponly=True,
        samesite="lax",
        secure=secure_cookie(request),
        path="/",
    )
    return response
