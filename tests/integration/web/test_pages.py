"""The web pages: login, sessions, CSRF, security headers, and which role reaches which page."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from reunite.app import create_app
from reunite.auth.models import LoginAttempt, WebSession
from reunite.auth.service import MAX_FAILURES_PER_SOURCE
from reunite.db.base import utcnow
from reunite.db.engine import transaction
from reunite.review.models import MatchCandidate
from reunite.web.deps import LOGIN_CSRF_COOKIE, SESSION_COOKIE
from reunite.wiring import default_sessions

from browsing import (
    Site,
    audit_actions,
    count,
    log_in,
    make_site,
    token_in,
)
from world import PASSWORD, ROLES_OF_WORLD, VISIBLE


@pytest.fixture
def site(configured: str, tmp_path: Path) -> Site:
    return make_site(tmp_path)


# --- login, logout, sessions ---------------------------------------------------------------


def test_login_sets_a_safe_session_cookie_and_logout_ends_it(site: Site) -> None:
    browser = site.browser()
    answer = log_in(browser, "caseworker", code=site.code("caseworker"))
    assert answer.status_code == 303 and answer.headers["location"] == "/"
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith(f"{SESSION_COOKIE}=")
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie  # plain http in the test; https sets Secure
    home = browser.get("/")
    assert home.status_code == 200 and "count-to-review" in home.text
    browser.csrf = token_in(home.text)
    assert audit_actions("caseworker")[-1] == "login"

    out = browser.post("/logout")
    assert out.status_code == 303 and out.headers["location"] == "/"
    assert "logout" in audit_actions("caseworker")
    assert count(WebSession) == 0
    again = browser.get("/records")
    assert again.status_code == 303 and again.headers["location"] == "/login?next=/records"


def test_login_over_https_marks_the_cookie_secure(site: Site) -> None:
    client = TestClient(create_app(), base_url="https://testserver", follow_redirects=False)
    form = client.get("/login")
    answer = client.post(
        "/login",
        data={
            "username": "admin",
            "password": PASSWORD,
            "code": site.code("admin"),
            "csrf_token": token_in(form.text),
        },
    )
    assert answer.status_code == 303
    assert "Secure" in answer.headers["set-cookie"]
    assert answer.headers["strict-transport-security"].startswith("max-age=")


def test_login_goes_on_to_the_page_asked_for_but_never_off_site(site: Site) -> None:
    browser = site.browser()
    form = browser.get("/login?next=/review")
    token = token_in(form.text)
    answer = browser.post(
        "/login",
        {
            "username": "admin",
            "password": PASSWORD,
            "code": site.code("admin"),
            "csrf_token": token,
            "next": "/review",
        },
        token=False,
    )
    assert answer.headers["location"] == "/review"
    other = site.browser()
    form = other.get("/login")
    answer = other.post(
        "/login",
        {
            "username": "admin",
            "password": PASSWORD,
            "code": site.code("admin"),
            "csrf_token": token_in(form.text),
            "next": "//evil.example/",
        },
        token=False,
    )
    assert answer.headers["location"] == "/"


def test_a_wrong_password_is_refused_counted_and_audited(site: Site) -> None:
    browser = site.browser()
    answer = log_in(browser, "caseworker", "not the password")
    assert answer.status_code == 401
    assert "Wrong username or password." in answer.text
    assert 'value="caseworker"' in answer.text  # what was typed stays
    assert SESSION_COOKIE not in answer.headers.get("set-cookie", "")
    assert count(LoginAttempt, LoginAttempt.succeeded.is_(False)) == 1
    assert audit_actions("caseworker")[-1] == "login.failed"


def test_repeated_failures_lock_the_source_with_a_429_page(site: Site) -> None:
    browser = site.browser()
    for _ in range(MAX_FAILURES_PER_SOURCE):
        assert log_in(browser, "admin", "guess").status_code == 401
    locked = log_in(browser, "admin", PASSWORD, code=site.code("admin"))
    assert locked.status_code == 429
    assert "Too many failed logins" in locked.text
    assert SESSION_COOKIE not in locked.headers.get("set-cookie", "")


def test_login_without_its_csrf_token_is_refused(site: Site) -> None:
    browser = site.browser()
    answer = browser.post("/login", {"username": "admin", "password": PASSWORD}, token=False)
    assert answer.status_code == 403
    assert "The form expired" in answer.text
    assert count(LoginAttempt) == 0
    # A token that does not match the browser's cookie is refused as well.
    browser.get("/login")
    assert browser.client.cookies.get(LOGIN_CSRF_COOKIE)
    forged = browser.post(
        "/login",
        {"username": "admin", "password": PASSWORD, "csrf_token": "x" * 43},
        token=False,
    )
    assert forged.status_code == 403


def test_an_expired_session_sends_the_browser_to_log_in(site: Site) -> None:
    browser = site.browser("caseworker")
    assert browser.get("/records").status_code == 200
    with transaction(default_sessions()) as session:
        for web_session in session.scalars(select(WebSession)):
            web_session.expires_at = utcnow() - timedelta(seconds=1)
    answer = browser.get("/records")
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/login")
    htmx = browser.get("/records", headers={"HX-Request": "true"})
    assert htmx.status_code == 401 and htmx.headers["hx-redirect"] == "/login"


def test_state_changing_pages_refuse_requests_without_the_csrf_token(site: Site) -> None:
    browser = site.browser("caseworker")
    world = site.world
    requests = [
        ("/logout", {}),
        ("/language", {"lang": "uk"}),
        (f"/records/{world.disclosure}/release", {"to": f"party:{world.requesting.id}"}),
        (f"/review/{site.candidate_id}/decision", {"decision": "rejected", "reason": "x"}),
        ("/lists/upload", {"kind": "requests"}),
    ]
    for url, data in requests:
        answer = browser.post(url, data, token=False)
        assert answer.status_code == 403, url
        wrong = browser.post(url, {**data, "csrf_token": "forged"}, token=False)
        assert wrong.status_code == 403, url
    assert count(MatchCandidate, MatchCandidate.status == "rejected") == 0
    # The header HTMX sends works like the form field.
    answer = browser.client.post(
        "/logout", headers={"X-CSRF-Token": browser.csrf}, data={"csrf_token": ""}
    )
    assert answer.status_code == 303


def test_family_forms_refuse_requests_without_the_csrf_token(site: Site) -> None:
    browser = site.browser("family")
    answer = browser.post("/requests/new", {"surname": "Коваль"}, token=False)
    assert answer.status_code == 403


# --- security headers and the page shell ----------------------------------------------------


def test_pages_carry_security_headers_and_no_inline_code(site: Site) -> None:
    browser = site.browser("admin")
    for url in ("/", "/login", "/records", f"/records/{site.world.request}", "/review"):
        page = browser.get(url) if url != "/login" else site.browser().get(url)
        assert page.status_code == 200, url
        headers = page.headers
        csp = headers["content-security-policy"]
        assert "script-src 'self'" in csp and "style-src 'self'" in csp
        assert "frame-ancestors 'none'" in csp
        assert headers["x-frame-options"] == "DENY"
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "same-origin"
        assert headers["cache-control"] == "no-store"
        html = page.text
        # The CSP forbids inline scripts and styles: the pages must not need them.
        assert " style=" not in html and "<style" not in html, url
        for script in re.findall(r"<script[^>]*>", html):
            assert 'src="/static/' in script, url
        assert re.search(r"<script[^>]*>\s*[^<\s]", html) is None, url
        assert "includeIndicatorStyles" in html and 'historyCacheSize": 0' in html
        assert 'name="viewport"' in html


def test_the_vendored_htmx_is_served_from_this_site(site: Site) -> None:
    answer = site.browser().get("/static/htmx.min.js")
    assert answer.status_code == 200
    assert "htmx" in answer.text[:400] and "Zero-Clause BSD" in answer.text[:400]
    assert len(answer.content) > 40_000


def test_every_page_has_the_language_switcher_and_the_body_sends_csrf(site: Site) -> None:
    browser = site.browser("liaison_requesting")
    page = browser.get("/records")
    assert 'action="/language"' in page.text
    for code in ("en", "uk", "ru"):
        assert f'name="lang" value="{code}"' in page.text
    assert f'hx-headers=\'{{"X-CSRF-Token": "{browser.csrf}"}}\'' in page.text
    anonymous = site.browser().get("/")
    assert 'action="/language"' in anonymous.text


# --- who reaches which page -------------------------------------------------------------------

STAFF = {"admin", "caseworker"}
LIAISONS = {"liaison_requesting", "liaison_custodial"}
FILERS = {"family", "adult"}


def _expected_pages(site: Site) -> dict[str, set[str]]:
    world = site.world
    pages = {
        "/": set(ROLES_OF_WORLD),
        "/lists": STAFF | LIAISONS,
        "/lists/upload": STAFF | LIAISONS,
        f"/lists/{site.requesting_batch}": STAFF | {"liaison_requesting"},
        f"/lists/{site.custodial_batch}": STAFF | {"liaison_custodial"},
        "/records": STAFF | LIAISONS | FILERS,
        f"/records/{world.released}/release": STAFF,
        f"/records/{world.withheld}/release": STAFF,
        "/requests/new": FILERS,
        "/my-requests": FILERS,
        "/review": STAFF,
        f"/review/{site.candidate_id}": STAFF,
        "/audit": {"admin", "auditor"},
        "/sharing": {"admin", "caseworker", "auditor"},
        f"/jobs/{site.job_id}": STAFF,
        f"/records/{uuid.uuid4()}": set(),
        "/records/not-a-uuid": set(),
        "/review/999999": set(),
        "/lists/999999": set(),
        "/jobs/999999": set(),
    }
    records = world.records
    for index, record_id in enumerate(records):
        pages[f"/records/{record_id}"] = {r for r, seen in VISIBLE.items() if seen[index]}
    return pages


@pytest.mark.parametrize("role", ROLES_OF_WORLD)
def test_each_role_reaches_its_pages_and_nothing_else_exists_for_it(site: Site, role: str) -> None:
    browser = site.browser(role)
    for url, allowed in _expected_pages(site).items():
        answer = browser.get(url)
        expected = 200 if role in allowed else 404
        assert answer.status_code == expected, (role, url, answer.status_code)
        if expected == 404:
            assert "Not found" in answer.text


def test_visitors_see_only_the_way_to_log_in_and_are_sent_to_log_in_anywhere_else(
    site: Site,
) -> None:
    browser = site.browser()
    home = browser.get("/")
    assert home.status_code == 200 and 'href="/login"' in home.text
    for figure in ("count-requests", "count-disclosures", "count-parties", "count-batches"):
        assert figure not in home.text
    staff = site.browser("caseworker").get("/")
    assert 'id="count-requests">1<' in staff.text and 'id="count-disclosures">3<' in staff.text
    assert 'id="count-parties">3<' in staff.text
    for url in _expected_pages(site):
        if url == "/":
            continue
        answer = browser.get(url)
        assert answer.status_code == 303, url
        assert answer.headers["location"].startswith("/login?next="), url


def test_each_role_gets_its_own_home_and_menu(site: Site) -> None:
    expected = {
        "admin": ("count-to-review", 'href="/audit"'),
        "caseworker": ("count-to-review", 'href="/review"'),
        "liaison_requesting": ("count-own-records", 'href="/lists/upload"'),
        "liaison_custodial": ("count-released", 'href="/lists"'),
        "family": ("my-requests", 'href="/requests/new"'),
        "adult": ("no-requests", 'href="/requests/new"'),
        "auditor": ("count-audit", 'href="/sharing"'),
    }
    for role, (marker, link) in expected.items():
        home = site.browser(role).get("/")
        assert home.status_code == 200
        assert marker in home.text and link in home.text, role
    assert 'href="/audit"' not in site.browser("caseworker").get("/").text
    assert 'href="/review"' not in site.browser("liaison_requesting").get("/").text


def test_the_staff_home_counts_the_queue_and_shows_the_matching_job(site: Site) -> None:
    home = site.browser("caseworker").get("/")
    assert 'id="count-to-review" class="big">2<' in home.text
    assert f'id="job-{site.job_id}"' in home.text
    assert f'hx-get="/jobs/{site.job_id}"' in home.text and 'hx-trigger="every 2s"' in home.text


def test_an_error_page_knows_who_is_logged_in_and_its_language_switch_works(site: Site) -> None:
    browser = site.browser("caseworker")
    # A GET of a form's address: 405, before any route code has run.
    wrong = browser.get(f"/review/{site.candidate_id}/decision")
    assert wrong.status_code == 405
    assert 'href="/login"' not in wrong.text and "Log out" in wrong.text
    assert "use the page&#39;s own buttons" in wrong.text
    form = wrong.text[wrong.text.index('action="/language"') :]
    assert f'name="csrf_token" value="{browser.csrf}"' in form[:300]
    switched = browser.post("/language", {"lang": "uk", "next": "/"})
    assert switched.status_code == 303
    again = browser.get(f"/review/{site.candidate_id}/decision")
    assert '<html lang="uk">' in again.text
