"""What every page and API route needs: a database session, the caller, CSRF checks.

Pages are used with a session cookie (HttpOnly, SameSite=Lax, Secure over HTTPS) and every
form carries a CSRF token tied to that session. The API is used with bearer tokens only, so
a browser's cookies never authorise an API call and the API needs no CSRF token.
"""

from __future__ import annotations

import asyncio
import secrets
import weakref
from collections.abc import AsyncIterator, Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from reunite.auth.models import WebSession
from reunite.auth.principal import Principal
from reunite.auth.service import principal_of, resume_session, user_for_token
from reunite.db.engine import (
    forget_failure_work,
    run_failure_work,
    sessions_at_once,
    shrink_wal,
)
from reunite.db.ids import LARGEST_ID
from reunite.errors import InvalidInput, NotFound, ReuniteError, Unauthorized
from reunite.vocabulary import N_, say

SESSION_COOKIE = "reunite_session"
# Before login there is no session to tie a CSRF token to: the login form uses a cookie.
LOGIN_CSRF_COOKIE = "reunite_login_csrf"
LANGUAGE_COOKIE = "reunite_lang"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


class LoginRequired(ReuniteError):
    """A page needs a logged-in user: the handler sends the browser to the login page."""

    status = 401


class PasswordChangeRequired(ReuniteError):
    """The caller's password was reset: the handler sends the browser to choose a new one."""

    status = 403


# What a person whose password was reset may still reach: the form to change it, logging
# out, the language switch and the page's own files.
PASSWORD_CHANGE_PATH = "/account/password"
_OPEN_DURING_PASSWORD_CHANGE = (PASSWORD_CHANGE_PATH, "/logout", "/language", "/static/")


class CsrfFailed(ReuniteError):
    """A form came without the token of the session that should have sent it."""

    status = 403


_GATES: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[Engine, asyncio.Semaphore]] = (
    weakref.WeakKeyDictionary()
)


def sessions_of(request: Request) -> sessionmaker[Session]:
    """Return the session factory the composition root gave the application."""
    factory: sessionmaker[Session] = request.app.state.sessions
    return factory


def sessions_gate(factory: sessionmaker[Session]) -> asyncio.Semaphore:
    """Return the gate requests queue at for a transaction (one at a time on SQLite)."""
    engine: Engine = factory.kw["bind"]
    gates = _GATES.setdefault(asyncio.get_running_loop(), {})
    gate = gates.get(engine)
    if gate is None:
        gate = gates[engine] = asyncio.Semaphore(sessions_at_once(engine))
    return gate


async def db_session(request: Request) -> AsyncIterator[Session]:
    """Yield a session; commit when the route returns, roll back when it raises.

    Requests queue for a session here, on the event loop, not in worker threads: a request
    hops between threads (caller, route, commit) while it holds its connection (and on
    SQLite the write lock), and threads all blocked waiting for a connection or the lock
    would leave it none to finish with (seen at 50 concurrent API clients: every call
    waited 30 s and failed).
    """
    factory = sessions_of(request)
    async with sessions_gate(factory):
        session = factory()
        try:
            yield session
            await run_in_threadpool(session.commit)
            forget_failure_work(session)
        except BaseException:
            await run_in_threadpool(session.rollback)
            # What the request kept for a failure (its refusal, for the audit log) is written
            # in a transaction of its own.
            await run_in_threadpool(run_failure_work, session, factory)
            await run_in_threadpool(shrink_wal, factory.kw["bind"])
            raise
        finally:
            await run_in_threadpool(session.close)


DbSession = Annotated[Session, Depends(db_session, scope="function")]


@dataclass(frozen=True)
class Caller:
    """The caller of one request: who (if anyone), and through which door."""

    principal: Principal | None
    web_session: WebSession | None = None
    by_token: bool = False


# What the header of every page shows about its reader (e.g. unread notifications): hooks
# handed over by the composition root, since the web layer knows no domain.
CallerFacts = Callable[[Session, Principal], Mapping[str, object]]
_caller_facts: list[CallerFacts] = []


def publish_caller_facts(hooks: Iterable[CallerFacts]) -> None:
    """Set the hooks that tell a page's header about its reader."""
    _caller_facts[:] = list(hooks)


def client_address(request: Request) -> str:
    """Return the caller's address (as the server, or its trusted proxy, saw it)."""
    return request.client.host if request.client else ""


def resolve_caller(request: Request, session: DbSession) -> Caller:
    """Identify the caller by bearer token (API) or session cookie (pages)."""
    cached: Caller | None = getattr(request.state, "caller", None)
    if cached is not None:
        return cached
    caller = Caller(None)
    authorization = request.headers.get("authorization", "")
    if authorization.lower().startswith("bearer "):
        user = user_for_token(session, token=authorization[7:].strip())
        if user is not None:
            caller = Caller(principal_of(session, user), by_token=True)
    else:
        found = resume_session(session, secret=request.cookies.get(SESSION_COOKIE, ""))
        if found is not None:
            user, web_session = found
            caller = Caller(principal_of(session, user), web_session=web_session)
    request.state.caller = caller
    if caller.web_session is not None and caller.principal is not None:
        request.state.facts = {
            name: value
            for hook in _caller_facts
            for name, value in hook(session, caller.principal).items()
        }
    # Kept as text: an error page renders after the session rolled back and expired its rows.
    request.state.csrf_token = caller.web_session.csrf_token if caller.web_session else ""
    if (
        caller.web_session is not None
        and caller.principal is not None
        and caller.principal.must_change_password
        and not request.url.path.startswith(_OPEN_DURING_PASSWORD_CHANGE)
    ):
        # A one-time password opens one door only: the form that replaces it.
        raise PasswordChangeRequired("choose a new password first")
    return caller


CurrentCaller = Annotated[Caller, Depends(resolve_caller)]


async def ensure_caller(request: Request) -> None:
    """Identify the caller of a request that failed before its route ran (say, a 405).

    An error page shows the menu, the language switch and its form token of the person who
    is logged in; without this it would greet them as a visitor, and the switch would fail.
    """
    if getattr(request.state, "caller", None) is not None:
        return

    def identify() -> None:
        factory = sessions_of(request)
        with factory() as session, session.begin():
            resolve_caller(request, session)

    try:
        await run_in_threadpool(identify)
    except Exception:  # noqa: BLE001 - an error page must render even if the database is away
        request.state.caller = Caller(None)


def page_principal(request: Request, caller: CurrentCaller) -> Principal:
    """Return the logged-in user of a page, or send the browser to log in."""
    if caller.principal is None or caller.by_token:
        raise LoginRequired(str(request.url.path))
    return caller.principal


def api_principal(caller: CurrentCaller) -> Principal:
    """Return the caller of an API route, authenticated by a bearer token."""
    if caller.principal is None or not caller.by_token:
        raise Unauthorized("send a valid API token: Authorization: Bearer TOKEN")
    return caller.principal


PagePrincipal = Annotated[Principal, Depends(page_principal)]
ApiPrincipal = Annotated[Principal, Depends(api_principal)]


async def check_csrf(request: Request, caller: CurrentCaller) -> None:
    """Refuse a state-changing page request that lacks its session's CSRF token."""
    if caller.web_session is None:
        raise LoginRequired(str(request.url.path))
    sent = request.headers.get(CSRF_HEADER, "")
    if not sent:
        form = await request.form()
        value = form.get(CSRF_FIELD, "")
        sent = value if isinstance(value, str) else ""
    if not sent or not secrets.compare_digest(sent, caller.web_session.csrf_token):
        raise CsrfFailed("the form expired or did not come from this site; reload and try again")


CsrfChecked = Depends(check_csrf)

_LARGEST_ID_DIGITS = len(str(LARGEST_ID))


def ids_in_range(request: Request) -> None:
    """Answer 404 for an address naming a number no row can have, on every page and API route.

    Runs before the route reads its parameters, so a number too long for Python to parse
    (over 4,300 digits) is refused here too.
    """
    for value in request.path_params.values():
        digits = value.lstrip("+-") if isinstance(value, str) else ""
        if (
            digits.isascii()
            and digits.isdigit()
            and (len(digits) > _LARGEST_ID_DIGITS or int(digits) > LARGEST_ID)
        ):
            raise NotFound(say(N_("not found")))


def _holds_nul(values: Iterable[object]) -> bool:
    return any(isinstance(value, str) and "\x00" in value for value in values)


async def no_nul_characters(request: Request) -> None:
    """Refuse text holding the character NUL, in the address, a form or a JSON body (422).

    PostgreSQL cannot store it and fails (a 500) where SQLite would keep it; refusing it at
    the door answers the same on both. Found by fuzzing the API (test_fuzz_api.py). Files
    uploaded in a form are data, not text, and may hold any byte.
    """
    values: list[object] = [*request.path_params.values(), *request.query_params.values()]
    content_type = request.headers.get("content-type", "").lower()
    if request.method in {"POST", "PUT", "PATCH", "DELETE"}:
        if content_type.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
            # FastAPI has read the form already (Starlette keeps it): no second read.
            values.extend(value for _, value in (await request.form()).multi_items())
        elif "json" in content_type and b"\\u0000" in (await request.body()).lower():
            values.append("\x00")
    if _holds_nul(values):
        raise InvalidInput(say(N_("the text holds a NUL character, which cannot be stored")))


def require_role(principal: Principal, *roles: str) -> None:
    """Let only these roles through; to anyone else the page does not exist (404)."""
    if principal.role not in roles:
        raise NotFound("no such page")
