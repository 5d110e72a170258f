"""The pages, as people see them in a real browser on a phone-sized screen."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from second_factor import fresh_code

PHONE = {"width": 390, "height": 844}


def test_a_visitor_sees_the_way_to_log_in_and_no_figures(demo_server: Any, browser: Any) -> None:
    page = browser.new_page(viewport=PHONE)  # a phone-sized screen
    page.goto(demo_server.url + "/")
    assert page.title() == "Reunite"
    assert page.locator("h1").inner_text() == "Reunite"
    assert page.locator("a[href='/login']").count() >= 1
    # How many children each party listed is not for the public.
    assert page.locator("#count-requests, #count-disclosures, #count-parties").count() == 0
    page.close()


def test_the_caseworker_home_shows_the_registry(
    demo_server: Any, browser: Any, tmp_path: Path
) -> None:
    account = demo_server.account("caseworker")
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(demo_server.url + "/login")
    page.fill("#username", account["username"])
    page.fill("#password", account["password"])
    page.fill("#code", fresh_code(account["totp_secret"]))
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(demo_server.url + "/")
    assert page.locator("#count-requests").inner_text() == "150"
    assert page.locator("#count-disclosures").inner_text() == "200"
    assert page.locator("#count-parties").inner_text() == "3"
    # Nothing overflows sideways on a phone.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
    page.screenshot(path=str(tmp_path / "home.png"))
    context.close()


@dataclass
class Demo:
    """A server filled by `reunite demo`, and the passwords of its demo accounts."""

    url: str
    passwords: dict[str, str]
    # The staff's TOTP secrets (they log in with a code too).
    totp: dict[str, str]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, start_demo: Any) -> Iterator[Demo]:
    """Start `reunite serve` on a demo database whose accounts' passwords we know."""
    with start_demo(tmp_path_factory.mktemp("pages"), requests=60, disclosures=80) as server:
        yield Demo(
            server.url,
            {a["username"]: a["password"] for a in server.accounts},
            {a["username"]: a["totp_secret"] for a in server.accounts if a["totp_secret"]},
        )


def _open_as(browser: Any, demo: Demo, username: str) -> tuple[Any, list[str]]:
    """Log in through the form on a phone-sized page; collect CSP and script complaints."""
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    complaints: list[str] = []
    # Refused inline code or styles, and script errors, show up here.
    page.on(
        "console",
        lambda message: (
            complaints.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.on("pageerror", lambda error: complaints.append(str(error)))
    page.goto(demo.url + "/login")
    page.fill("#username", username)
    page.fill("#password", demo.passwords[username])
    if username in demo.totp:
        page.fill("#code", fresh_code(demo.totp[username]))
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(demo.url + "/")
    return page, complaints


def _fits_a_phone(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], (page.url, width)


def test_a_caseworker_searches_live_and_opens_the_release_dialog(
    demo: Demo, browser: Any, tmp_path: Path
) -> None:
    page, complaints = _open_as(browser, demo, "demo-caseworker")
    for path in ("/", "/lists", "/lists/upload", "/review", "/sharing", "/records"):
        page.goto(demo.url + path)
        assert page.locator("h1").count() == 1, path
        _fits_a_phone(page)
    first = page.locator("table.records tbody tr").first
    surname = first.locator("td a").inner_text().split()[0]
    page.fill("#q", surname)
    # HTMX asks for the results as the person types, and keeps the address in step.
    page.wait_for_url(lambda url: "q=" in url)
    page.wait_for_function(
        "name => [...document.querySelectorAll('#results td a')]"
        ".every(a => a.textContent.includes(name))",
        arg=surname,
    )
    assert page.locator("#results td a").count() >= 1
    page.locator("#results td a").first.click()
    page.wait_for_url(lambda url: "/records/" in url)
    _fits_a_phone(page)
    release = page.locator("a[hx-get$='/release']")
    if release.count():
        release.click()
        page.wait_for_selector("#release-dialog form textarea[name=purpose]")
        _fits_a_phone(page)
    page.screenshot(path=str(tmp_path / "record.png"), full_page=True)
    assert complaints == []
    page.context.close()


def test_a_family_member_files_in_their_language_on_a_phone(
    demo: Demo, browser: Any, tmp_path: Path
) -> None:
    page, complaints = _open_as(browser, demo, "demo-family")
    # The demo family member reads Ukrainian: the profile chooses the pages' language.
    assert page.locator("html").get_attribute("lang") == "uk"
    page.goto(demo.url + "/requests/new")
    _fits_a_phone(page)
    page.fill("#surname", "Гнатюк")
    page.fill("#given_name", "Марта")
    page.select_option("#sex", "F")
    page.fill("#birth_date", "31.02.2015")
    page.click("form.guided button[type=submit]")
    assert page.locator("#birth_date-error").inner_text().startswith("Такої дати не існує")
    assert page.input_value("#surname") == "Гнатюк"
    page.fill("#birth_date", "02.2015")
    page.click("form.guided button[type=submit]")
    page.wait_for_url(lambda url: "/my-requests" in url)
    assert "Гнатюк Марта" in page.locator("#my-requests").inner_text()
    _fits_a_phone(page)
    page.click(".languages button[value=ru]")
    # The page is already loaded before the click: wait for the new one, which says "ru".
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    assert page.locator("h1").inner_text() == "Мои запросы"
    page.screenshot(path=str(tmp_path / "my-requests.png"), full_page=True)
    assert complaints == []
    page.context.close()
