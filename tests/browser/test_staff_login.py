"""Logging in with the second factor, and the admin's account pages, in a real browser.

The demo gives each of the mediator's staff a TOTP secret (demo-credentials.json); the
code a person's authenticator app would show is computed here from it.
"""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from second_factor import fresh_code

DESKTOP = {"width": 1280, "height": 900}


def _login_form(browser: Any, url: str, username: str, password: str) -> Any:
    page = browser.new_context(viewport=DESKTOP).new_page()
    page.goto(url + "/login")
    page.fill("#username", username)
    page.fill("#password", password)
    return page


def test_a_caseworker_logs_in_with_the_code_of_their_authenticator(
    demo_server: Any, browser: Any
) -> None:
    account = demo_server.account("caseworker")
    page = _login_form(browser, demo_server.url, account["username"], account["password"])
    # Without the code the login is refused, and the page says what is missing.
    page.click("form[action='/login'] button[type=submit]")
    expect(page.locator("#login-error")).to_contain_text("6-digit code")
    assert page.url.startswith(demo_server.url + "/login")
    # The password must be typed again (the browser never keeps it in the page); then the code.
    page.fill("#password", account["password"])
    page.fill("#code", fresh_code(account["totp_secret"]))
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(demo_server.url + "/")
    expect(page.locator("header .who")).to_contain_text(account["username"])
    page.context.close()


def test_the_admin_resets_a_password_and_its_owner_must_choose_a_new_one(
    demo_server: Any, browser: Any
) -> None:
    admin = demo_server.account("admin")
    page = _login_form(browser, demo_server.url, admin["username"], admin["password"])
    page.fill("#code", fresh_code(admin["totp_secret"]))
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(demo_server.url + "/")
    page.click("header nav a[href='/admin/accounts']")
    adult = demo_server.account("adult")
    row = page.locator(f"#accounts tr[data-username='{adult['username']}']")
    expect(row).to_contain_text("active")
    row.locator("a").click()
    page.click("#reset-password")
    one_time = page.locator("#one-time-password-value").inner_text().strip()
    assert len(one_time) >= 20
    page.context.close()

    owner = _login_form(browser, demo_server.url, adult["username"], one_time)
    owner.click("form[action='/login'] button[type=submit]")
    owner.wait_for_url(demo_server.url + "/account/password")
    expect(owner.locator("#must-change")).to_be_visible()
    # Anywhere else leads back to the form until the password is changed.
    owner.goto(demo_server.url + "/my-requests")
    owner.wait_for_url(demo_server.url + "/account/password")
    chosen = "a quiet harbour at first light"
    owner.fill("#current", one_time)
    owner.fill("#new", chosen)
    owner.fill("#repeat", chosen)
    owner.click("#password-form button[type=submit]")
    owner.wait_for_url(demo_server.url + "/")
    owner.goto(demo_server.url + "/my-requests")
    assert owner.url == demo_server.url + "/my-requests"
    owner.context.close()
    # Later tests of this server log in with the demo adult's password as it is now.
    adult["password"] = chosen
