"""The pages of accounts: logging in with the second factor, the admin's account pages, a
password that must be changed, locks an admin lifts; every act audited."""

from __future__ import annotations

import re
from pathlib import Path

import pyotp
import pytest
from sqlalchemy import select

from reunite.auth.models import User, WebSession
from reunite.auth.service import ACCOUNT_LOCKED, MAX_FAILURES_PER_SOURCE
from reunite.db.base import utcnow
from reunite.db.engine import transaction
from reunite.wiring import default_sessions

from browsing import Browser, Site, audit_actions, count, log_in, make_site, text_of, token_in


@pytest.fixture
def site(configured: str, tmp_path: Path) -> Site:
    return make_site(tmp_path)


def _user(username: str) -> User:
    with transaction(default_sessions()) as session:
        user = session.scalar(select(User).where(User.username == username))
        assert user is not None
        session.expunge(user)
        return user


def _admin(site: Site) -> Browser:
    return site.browser("admin")


# --- logging in with the second factor -----------------------------------------------------


def test_staff_without_their_code_are_refused_with_a_clear_message(site: Site) -> None:
    browser = site.browser()
    answer = log_in(browser, "caseworker")
    assert answer.status_code == 401
    assert "6-digit code from their authenticator app" in answer.text
    assert 'id="code"' in answer.text and 'autocomplete="one-time-code"' in answer.text
    assert count(WebSession) == 0
    assert audit_actions("caseworker")[-1] == "login.failed"


def test_a_code_logs_staff_in_once_and_its_replay_is_refused(site: Site) -> None:
    code = str(pyotp.TOTP(site.world.totp["caseworker"]).now())
    first = log_in(site.browser(), "caseworker", code=code)
    assert first.status_code == 303 and first.headers["location"] == "/"
    replay = log_in(site.browser(), "caseworker", code=code)
    assert replay.status_code == 401 and "This code was already used" in replay.text
    wrong = log_in(site.browser(), "caseworker", code=f"{(int(code) + 7) % 1_000_000:06d}")
    assert wrong.status_code == 401 and "Wrong code" in wrong.text


def test_the_login_page_says_it_in_the_readers_language(site: Site) -> None:
    browser = site.browser()
    browser.client.cookies.set("reunite_lang", "uk")
    answer = log_in(browser, "admin")
    assert answer.status_code == 401 and "6-значний код" in answer.text


# --- the admin's pages ---------------------------------------------------------------------


def test_the_admin_lists_accounts_with_their_state(site: Site) -> None:
    admin = _admin(site)
    page = admin.get("/admin/accounts")
    assert page.status_code == 200
    for name in ("admin", "caseworker", "liaison_custodial", "family", "auditor"):
        assert f'data-username="{name}"' in page.text
    assert 'href="/admin/accounts"' in admin.get("/").text  # in the admin's menu
    assert "accounts.list" in audit_actions("admin")
    assert site.browser("caseworker").get("/admin/accounts").status_code == 404


def test_the_admin_disables_an_account_and_its_browser_is_logged_out(site: Site) -> None:
    liaison = site.browser("liaison_custodial")
    assert liaison.get("/records").status_code == 200
    admin = _admin(site)
    target = _user("liaison_custodial").id
    page = admin.post(f"/admin/accounts/{target}/disable")
    assert page.status_code == 200 and "The account is disabled." in page.text
    assert liaison.get("/records").status_code == 303  # sent to log in
    refused = log_in(site.browser(), "liaison_custodial")
    assert refused.status_code == 401 and "This account is disabled" in refused.text
    enabled = admin.post(f"/admin/accounts/{target}/enable")
    assert "The account is enabled again." in enabled.text
    assert log_in(site.browser(), "liaison_custodial").status_code == 303
    assert {"user.disable", "user.enable"} <= set(audit_actions("admin"))
    # An admin cannot disable themselves (and so lock everyone out of the admin's pages).
    own = admin.post(f"/admin/accounts/{_user('admin').id}/disable")
    assert own.status_code == 422 and _user("admin").active


def test_a_reset_password_works_once_then_must_be_changed(site: Site) -> None:
    admin = _admin(site)
    page = admin.post(f"/admin/accounts/{_user('family').id}/reset-password")
    found = re.search(r'id="one-time-password-value">([^<]+)<', page.text)
    assert page.status_code == 200 and found is not None
    one_time = found.group(1)
    # Shown once: the account's page does not show it again.
    assert one_time not in admin.get(f"/admin/accounts/{_user('family').id}").text
    family = site.browser()
    answer = log_in(family, "family", one_time)
    assert answer.status_code == 303 and answer.headers["location"] == "/account/password"
    # Every other page sends them to choose a password first.
    for url in ("/", "/records", "/my-requests"):
        elsewhere = family.get(url)
        assert elsewhere.status_code == 303, url
        assert elsewhere.headers["location"] == "/account/password"
    form = family.get("/account/password")
    assert form.status_code == 200 and 'id="must-change"' in form.text
    family.csrf = token_in(form.text)
    weak = family.post(
        "/account/password",
        {"current": one_time, "new": "password12345", "repeat": "password12345"},
    )
    assert weak.status_code == 422 and "too easy to guess" in weak.text
    differ = family.post(
        "/account/password",
        {"current": one_time, "new": "violet tram at dawn", "repeat": "violet tram at noon"},
    )
    assert differ.status_code == 422 and "The two new passwords differ" in differ.text
    done = family.post(
        "/account/password",
        {"current": one_time, "new": "violet tram at dawn", "repeat": "violet tram at dawn"},
    )
    assert done.status_code == 303 and done.headers["location"] == "/"
    assert family.get("/records").status_code == 200
    assert log_in(site.browser(), "family", "violet tram at dawn").status_code == 303
    assert "user.password_reset" in audit_actions("admin")
    assert "user.password_changed" in audit_actions("family")


def test_the_admin_ends_every_session_of_an_account(site: Site) -> None:
    phone, laptop = site.browser("caseworker"), site.browser("caseworker")
    page = _admin(site).post(f"/admin/accounts/{_user('caseworker').id}/logout-everywhere")
    assert page.status_code == 200 and "Every session of the account ended." in page.text
    assert phone.get("/records").status_code == 303
    assert laptop.get("/records").status_code == 303
    assert "user.sessions_ended" in audit_actions("admin")


def test_the_admin_sees_and_lifts_the_locks(site: Site) -> None:
    outsider = site.browser()
    for _ in range(MAX_FAILURES_PER_SOURCE):
        assert log_in(outsider, "auditor", "guess").status_code == 401
    assert log_in(outsider, "auditor").status_code == 429
    admin = _admin(site)
    target = _user("auditor").id
    listing = admin.get("/admin/accounts")
    assert "Addresses locked out: 1" in text_of(listing.text)
    page = admin.get(f"/admin/accounts/{target}")
    assert "Locked out for now: testclient" in text_of(page.text) and 'id="unlock"' in page.text
    lifted = admin.post(f"/admin/accounts/{target}/unlock")
    assert "The login locks are lifted." in lifted.text and 'id="unlock"' not in lifted.text
    assert log_in(outsider, "auditor").status_code == 303
    assert "user.unlock" in audit_actions("admin")


def test_an_account_lock_is_shown_and_lifted_by_the_admin(site: Site) -> None:
    with transaction(default_sessions()) as session:
        user = session.scalar(select(User).where(User.username == "adult"))
        assert user is not None
        user.locked_at = utcnow()
    refused = log_in(site.browser(), "adult")
    assert refused.status_code == 429 and ACCOUNT_LOCKED.split(".")[0] in refused.text
    admin = _admin(site)
    page = admin.get(f"/admin/accounts/{_user('adult').id}")
    assert "The account is locked since" in page.text
    admin.post(f"/admin/accounts/{_user('adult').id}/unlock")
    assert log_in(site.browser(), "adult").status_code == 303


def test_the_admin_gives_a_new_second_factor_shown_once(site: Site) -> None:
    admin = _admin(site)
    target = _user("caseworker").id
    page = admin.post(f"/admin/accounts/{target}/second-factor")
    found = re.search(r'id="second-factor-uri">([^<]+)<', page.text)
    assert found is not None
    uri = found.group(1).replace("&amp;", "&")
    secret = pyotp.parse_uri(uri).secret
    assert secret != site.world.totp["caseworker"]
    old = log_in(site.browser(), "caseworker", code=site.code("caseworker"))
    assert old.status_code == 401
    new = log_in(site.browser(), "caseworker", code=str(pyotp.TOTP(secret).now()))
    assert new.status_code == 303
    assert "user.second_factor" in audit_actions("admin")
