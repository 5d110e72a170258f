"""Information requests in a real browser: the mediator asks, the party answers, others see 404."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from second_factor import fresh_code

PHONE = {"width": 390, "height": 844}
CUSTODIAL = "Russian Federation"
REQUESTING = "Ukraine"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, start_demo: Any) -> Iterator[Any]:
    """A demo server of this module's own (its demo holds requests in every state)."""
    with start_demo(tmp_path_factory.mktemp("inquiries"), requests=40, disclosures=60) as server:
        yield server


def _log_in(browser: Any, demo: Any, role: str, party: str | None = None) -> tuple[Any, list[str]]:
    account = demo.account(role, party)
    page = browser.new_context(viewport=PHONE).new_page()
    complaints: list[str] = []
    page.on(
        "console",
        lambda message: (
            complaints.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.on("pageerror", lambda error: complaints.append(str(error)))
    page.goto(demo.url + "/login")
    page.fill("#username", account["username"])
    page.fill("#password", account["password"])
    if account.get("totp_secret"):
        page.fill("#code", fresh_code(account["totp_secret"]))
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(demo.url + "/")
    return page, complaints


def _fits_a_phone(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], (page.url, width)


def test_the_mediator_asks_and_the_party_answers_in_a_browser(demo: Any, browser: Any) -> None:
    page, complaints = _log_in(browser, demo, "caseworker")
    page.click("header nav a[href='/inquiries']")
    page.wait_for_url(demo.url + "/inquiries")
    # The demo's requests: the custodial party has one overdue, and answers in 9 days (median).
    figures = page.locator("#party-figures tbody tr", has_text=CUSTODIAL)
    assert figures.locator("td.overdue").inner_text().strip() == "1"
    assert figures.locator("td.median").inner_text().strip() == "9.0"
    assert page.locator("#inquiries .overdue-flag").count() == 1
    _fits_a_phone(page)

    page.click("#new-inquiry")
    page.wait_for_url(demo.url + "/inquiries/new")
    page.select_option("#party", label=CUSTODIAL)
    page.fill("#subject", "Діти з Маріуполя, весна 2022")
    page.fill("#due_on", (date.today() + timedelta(days=10)).isoformat())
    cases = page.locator("#cases option")
    chosen = [str(cases.nth(i).get_attribute("value")) for i in (0, 1)]
    page.select_option("#cases", chosen)
    page.fill("#children", "Коваль Анна; 2015-01; Чи є вона у ваших списках?")
    page.click("form[action='/inquiries/new'] button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#form-error").count() == 0, page.locator("#form-error").inner_text()
    page.wait_for_url(re.compile(rf"{re.escape(demo.url)}/inquiries/\d+\?created=1$"))
    address = page.url.split("?")[0]
    assert page.locator("#created-notice").is_visible()
    assert page.locator("#children > li").count() == 3
    assert "Коваль Анна" in page.locator("#children").inner_text()
    _fits_a_phone(page)
    assert complaints == []
    page.context.close()

    page, complaints = _log_in(browser, demo, "liaison", CUSTODIAL)
    page.goto(demo.url + "/inquiries")
    page.click(f"#inquiries a[href='{address.removeprefix(demo.url)}']")
    page.wait_for_url(address)
    # The liaison reads the children, with no way to the family's requests or the cases.
    assert page.locator("main a[href^='/records/'], main a[href^='/cases/']").count() == 0
    first = page.locator("#children > li").first
    first.locator("input[value='not_on_record']").check()
    first.locator("textarea").fill("Не значится.")
    first.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(rf"{re.escape(address)}\?answered=\d+"))
    assert page.locator("#answered-notice").is_visible()
    assert "Не значится." in page.locator("#children > li").first.inner_text()
    assert page.locator("form.answer-form").count() == 2
    _fits_a_phone(page)
    assert complaints == []
    page.context.close()

    # The other party's liaison: the request does not exist for it, in the API either.
    token = {"Authorization": f"Bearer {demo.account('liaison', REQUESTING)['token']}"}
    number = address.rsplit("/", 1)[1]
    api = httpx.get(f"{demo.url}/api/v1/inquiries/{number}", headers=token)
    assert api.status_code == 404
    page, _ = _log_in(browser, demo, "liaison", REQUESTING)
    answer = page.goto(address)
    assert answer is not None and answer.status == 404
    page.context.close()
