"""What the pages share: labels, paging, dates, names in Latin, cookies and HTMX helpers.

Strings marked with `N_()` are English message ids: the templates translate them with `_()`
at render time, and the catalogue test checks each has a Ukrainian and a Russian translation.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar
from urllib.parse import urlencode

from fastapi import Request, Response

from reunite.matching.names import detect_script, transliterate
from reunite.vocabulary import N_
from reunite.web.deps import LOGIN_CSRF_COOKIE
from reunite.web.render import templates

T = TypeVar("T")


NAME_FIELDS = ("surname", "given_name", "patronymic", "mother_name", "father_name")
# Messages of the services that people meet on the pages; the page shows their translation.
SERVICE_MESSAGES = (
    N_("no such page"),
    N_("no such record"),
    N_("not found"),
    N_("log in first"),
    N_("wrong username or password"),
    N_("too many failed logins; wait 15 minutes and try again"),
    N_("the form expired or did not come from this site; reload and try again"),
    N_("a release needs a purpose: say why this party needs this record"),
    N_("release to one party or to one user"),
    N_("records are released to the requesting or the custodial party"),
    N_("records are released to a family member or an adult"),
    N_("a decision needs a reason: say what settled it"),
    N_("a decision is confirmed or rejected"),
    N_("this record is withheld by the party that sent it (GC IV art. 137): it is never released"),
)


def nav_items(role: str | None) -> list[tuple[str, str]]:
    """Return the navigation of a role: (path, label) pairs."""
    home = ("/", N_("Home"))
    if role in ("admin", "caseworker"):
        items = [
            home,
            ("/caseload", N_("Caseload")),
            ("/cases", N_("Cases")),
            ("/review", N_("Review")),
            ("/messages/moderation", N_("Messages")),
            ("/inquiries", N_("Information requests")),
            ("/rounds", N_("Rounds")),
            ("/follow-up", N_("Follow-up")),
            ("/records", N_("Records")),
            ("/lists", N_("Lists")),
            ("/sharing", N_("Sharing log")),
            ("/dashboard", N_("Figures")),
        ]
        if role == "admin":
            items.append(("/audit", N_("Audit log")))
            items.append(("/admin/accounts", N_("Accounts")))
        return items
    if role == "liaison":
        return [
            home,
            ("/cases", N_("Cases")),
            ("/lists", N_("Lists")),
            ("/records", N_("Records")),
            ("/messages/deliveries", N_("Messages to deliver")),
            ("/inquiries", N_("Information requests")),
        ]
    if role in ("family", "adult"):
        return [
            home,
            ("/my-requests", N_("My requests")),
            ("/requests/new", N_("File a request")),
            ("/records", N_("Records shared with me")),
            ("/messages", N_("Messages")),
        ]
    if role == "auditor":
        return [
            home,
            ("/audit", N_("Audit log")),
            ("/sharing", N_("Sharing log")),
            ("/inquiries", N_("Information requests")),
        ]
    return [home]


def is_htmx(request: Request) -> bool:
    """Tell whether HTMX sent this request (it wants a fragment, not a whole page)."""
    return request.headers.get("hx-request") == "true"


def safe_next(target: str | None, default: str = "/") -> str:
    """Return a local path to go to after a form; never another site."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


def secure_cookie(request: Request) -> bool:
    """Tell whether cookies must be Secure: whenever the site is reached over HTTPS."""
    return request.url.scheme == "https"


def anonymous_token(request: Request) -> str:
    """Return the CSRF token of a visitor who has not logged in (double-submit cookie)."""
    token = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if len(token) < 20:
        token = secrets.token_urlsafe(32)
    request.state.anonymous_token = token
    return token


def keep_anonymous_token(request: Request, response: Response) -> None:
    """Set the anonymous CSRF cookie when this page handed out a new token."""
    token = getattr(request.state, "anonymous_token", "")
    if token and request.cookies.get(LOGIN_CSRF_COOKIE) != token:
        response.set_cookie(
            LOGIN_CSRF_COOKIE,
            token,
            httponly=True,
            samesite="lax",
            secure=secure_cookie(request),
            path="/",
        )


def anonymous_token_sent(request: Request, sent: object) -> bool:
    """Tell whether a visitor's form carries the token of their double-submit cookie."""
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    return (
        isinstance(sent, str)
        and bool(sent)
        and bool(cookie)
        and (secrets.compare_digest(sent, cookie))
    )


def anonymous_csrf(request: Request) -> str:
    """Return the anonymous CSRF token this page may put in its forms, if there is one."""
    token = getattr(request.state, "anonymous_token", "")
    return str(token or request.cookies.get(LOGIN_CSRF_COOKIE, ""))


def when(moment: datetime | None) -> str:
    """Format a moment for people: UTC, to the minute."""
    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def latin(text: str, hint: str = "uk") -> str:
    """Spell a Cyrillic name in Latin letters as the passports of its language do.

    `hint` is the language to assume ("uk", "ru", or a list kind: requests come from
    Ukrainian families, disclosures in Russian); letters only one language has win.
    """
    if not text or detect_script(text) not in ("cyrillic", "mixed"):
        return ""
    language = {"requests": "uk", "disclosures": "ru"}.get(hint, hint)
    if any(letter in text for letter in "іїєґІЇЄҐ"):
        language = "uk"
    elif any(letter in text for letter in "ыэёъЫЭЁЪ"):
        language = "ru"
    if language == "ru":
        return transliterate(text, language="ru", standard="icao")
    return transliterate(text, language="uk", standard="kmu2010")


def percent(part: int, whole: int) -> int:
    """Return part/whole as a whole percentage (0 when the whole is unknown)."""
    if whole <= 0:
        return 0
    return max(0, min(100, round(100 * part / whole)))


@dataclass
class Paging:
    """One page of a long list, and links to its neighbours that keep the filters."""

    path: str
    page: int = 1
    size: int = 50
    params: dict[str, str] = field(default_factory=dict)
    has_next: bool = False

    @classmethod
    def of(cls, request: Request, *, page: int, size: int = 50, **params: Any) -> Paging:
        """Describe the requested page of a list shown at this request's path."""
        kept = {k: str(v) for k, v in params.items() if v not in (None, "")}
        return cls(path=request.url.path, page=max(1, page), size=size, params=kept)

    @property
    def offset(self) -> int:
        """Return how many items come before this page."""
        return (self.page - 1) * self.size

    @property
    def fetch(self) -> int:
        """Return how many items to ask for: one more than shown tells if a next page exists."""
        return self.size + 1

    def cut(self, items: Sequence[T]) -> list[T]:
        """Keep this page's items of a fetch of `fetch` items; note if more follow."""
        self.has_next = len(items) > self.size
        return list(items[: self.size])

    @property
    def has_previous(self) -> bool:
        """Tell whether a page comes before this one."""
        return self.page > 1

    def url(self, page: int) -> str:
        """Return the link to another page of the same list."""
        query = urlencode({**self.params, "page": page} if page > 1 else self.params)
        return f"{self.path}?{query}" if query else self.path


def _link(path: str, **params: Any) -> str:
    query = urlencode({name: value for name, value in params.items() if value})
    return path + (f"?{query}" if query else "")


def keyset_links(
    path: str, ends: tuple[int, int, bool, bool] | None, *, paged: bool, **filters: Any
) -> dict[str, str]:
    """Links to the older, newer and newest pages of a log shown newest first.

    `ends` holds the page's newest and oldest ids and whether entries lie beyond each.
    """
    older = newer = ""
    if ends is not None:
        newest_id, oldest_id, has_older, has_newer = ends
        if has_older:
            older = _link(path, **filters, before=oldest_id)
        if has_newer:
            newer = _link(path, **filters, after=newest_id)
    elif paged:
        # Past either end (an old link, a filter changed): offer the way back to the newest.
        newer = _link(path, **filters)
    return {"older": older, "newer": newer, "newest": _link(path, **filters) if newer else ""}


templates.env.filters["when"] = when
templates.env.filters["latin"] = latin
templates.env.filters["percent"] = percent
templates.env.globals["nav_items"] = nav_items
templates.env.globals["anonymous_csrf"] = anonymous_csrf
