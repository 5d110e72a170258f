"""The door of every request with a body: who is calling, and how much they may send.

FastAPI reads a request's form, files included, before any dependency runs: an anonymous
200 MB upload would be written to a temporary file before its 401. This guard stands in
front of the application and, before the body is read,

- refuses a body larger than its route allows (413), by its declared length or, when none
  is declared, as soon as more than that has arrived;
- refuses a caller without valid credentials (a session cookie for pages, a bearer token for
  the API) everywhere but the two forms a visitor may send: logging in, choosing a language.

What the caller may then do is decided where it always is, by the route and its services.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session, sessionmaker

from reunite.auth.service import resume_session, user_for_token
from reunite.web.deps import SESSION_COOKIE, sessions_gate

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# The only forms a visitor sends before logging in.
ANONYMOUS_FORMS = frozenset({"/login", "/language"})
MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """How large a body may be: a list upload, an attachment, or anything else."""

    upload_bytes: int
    request_bytes: int
    upload_paths: frozenset[str] = frozenset({"/api/v1/lists", "/lists/upload"})
    # One file attached to a record or a case (…/attachments), with its form around it.
    attachment_bytes: int = 0

    def for_path(self, path: str) -> int:
        """Return the largest body a route takes."""
        if path in self.upload_paths:
            return self.upload_bytes
        if path.endswith("/attachments") and self.attachment_bytes:
            return max(self.attachment_bytes + MB, self.request_bytes)
        return self.request_bytes


class RequestGuard:
    """ASGI middleware: limit bodies and check credentials before a body is read."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        limits: Limits,
        sessions: Callable[[Scope], sessionmaker[Session]],
    ) -> None:
        self.app = app
        self.limits = limits
        self.sessions = sessions

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in BODY_METHODS:
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        limit = self.limits.for_path(path)
        headers = {key.decode("latin-1").lower(): value for key, value in scope["headers"]}
        if path not in ANONYMOUS_FORMS and not await self._known_caller(scope, headers):
            await _unauthenticated(scope, send, headers)
            return
        declared = headers.get("content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            await _too_large(scope, send, limit)
            return
        await self._within(scope, receive, send, limit)

    async def _known_caller(self, scope: Scope, headers: dict[str, bytes]) -> bool:
        authorization = headers.get("authorization", b"").decode("latin-1")
        cookie = _cookie(headers.get("cookie", b"").decode("latin-1"), SESSION_COOKIE)
        if not authorization and not cookie:
            return False
        factory = self.sessions(scope)

        def check() -> bool:
            with factory() as session, session.begin():
                if authorization.lower().startswith("bearer "):
                    return user_for_token(session, token=authorization[7:].strip()) is not None
                return resume_session(session, secret=cookie) is not None

        # Queued like every request's transaction (one at a time on SQLite: web.deps).
        async with sessions_gate(factory):
            return await run_in_threadpool(check)

    async def _within(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        received = 0
        too_large = False
        answered = False
        started = False

        async def counted_receive() -> Message:
            nonlocal received, too_large
            if too_large:
                return {"type": "http.request", "body": b"", "more_body": False}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit and not started:
                    # The body ends here for the application; whatever it answers to the
                    # truncated body, the caller is told why: 413.
                    too_large = True
                    return {"type": "http.request", "body": b"", "more_body": False}
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal answered, started
            if message["type"] == "http.response.start":
                started = True
            if too_large:
                if message["type"] == "http.response.start" and not answered:
                    answered = True
                    await _too_large(scope, send, limit)
                return
            await send(message)

        await self.app(scope, counted_receive, guarded_send)


def _cookie(header: str, name: str) -> str:
    for part in header.split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            return value
    return ""


def _is_api(scope: Scope) -> bool:
    return str(scope["path"]).startswith("/api/")


async def _answer(send: Send, status: int, body: bytes, headers: list[tuple[bytes, bytes]]) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            # The rest of the body is not read: the connection is closed after this answer.
            "headers": [
                *headers,
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def _too_large(scope: Scope, send: Send, limit: int) -> None:
    detail = f"the request is larger than {limit // MB} MB, the most this address takes"
    if _is_api(scope):
        body = json.dumps({"detail": detail, "code": "TooLarge"}).encode()
        await _answer(send, 413, body, [(b"content-type", b"application/json")])
        return
    page = (
        "<!doctype html><html><head><meta charset=utf-8><title>413 · Reunite</title></head>"
        f'<body><h1>413</h1><p>{detail}.</p><p><a href="/">Reunite</a></p></body></html>'
    ).encode()
    await _answer(send, 413, page, [(b"content-type", b"text/html; charset=utf-8")])


async def _unauthenticated(scope: Scope, send: Send, headers: dict[str, bytes]) -> None:
    if _is_api(scope):
        body = json.dumps(
            {
                "detail": "send a valid API token: Authorization: Bearer TOKEN",
                "code": "Unauthorized",
            }
        ).encode()
        await _answer(send, 401, body, [(b"content-type", b"application/json")])
        return
    if headers.get("hx-request"):
        await _answer(send, 401, b"", [(b"hx-redirect", b"/login")])
        return
    target = quote(str(scope["path"]))
    await _answer(send, 303, b"", [(b"location", f"/login?next={target}".encode())])
