"""The dashboard in Chromium: its charts drawn in each language, times in the browser's zone."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from second_factor import fresh_code

HEADINGS = {"en": "Figures", "uk": "Цифри", "ru": "Цифры"}
TABLE = {"en": "The numbers as a table", "uk": "Цифри у вигляді таблиці",
         "ru": "Цифры в виде таблицы"}  # fmt: skip


def test_the_dashboard_draws_its_charts_in_each_language(demo_server: Any, browser: Any) -> None:
    account = demo_server.account("caseworker")
    # The browser says where it is: the page shows the windows in that zone.
    context = browser.new_context(timezone_id="Europe/Kyiv")
    page = context.new_page()
    page.goto(demo_server.url + "/login")
    page.fill("#username", account["username"])
    page.fill("#password", account["password"])
    if account.get("totp_secret"):
        page.fill("#code", fresh_code(account["totp_secret"]))
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(demo_server.url + "/")
    page.click("nav a[href='/dashboard']")
    # Chromium's time zone data may still call Kyiv by its older spelling.
    page.wait_for_url(re.compile(r".*/dashboard\?tz=Europe%2FKy?iev$"))
    expect(page.locator("#figure-reunited-24h")).to_be_visible()
    assert re.search(r"\(Europe/Ky?iev\)", page.locator("dd.window").first.inner_text())
    for language in ("en", "uk", "ru"):
        page.click(f"form.languages button[value='{language}']")
        expect(page.locator("h1")).to_have_text(HEADINGS[language])
        charts = page.locator("svg.chart")
        assert charts.count() >= 5
        # Drawn: each chart has a size on the screen and bars or a scale inside it.
        for index in range(charts.count()):
            box = charts.nth(index).bounding_box()
            assert box is not None and box["width"] > 200 and box["height"] > 50
        assert page.locator("svg.chart rect.bar").count() > 10
        assert page.locator("details summary").first.inner_text() == TABLE[language]
        assert re.search(r"\(Europe/Ky?iev\)", page.locator("dd.window").first.inner_text())
    context.close()


def test_a_visitor_reads_the_public_statistics_without_small_counts(
    demo_server: Any, browser: Any
) -> None:
    page = browser.new_page()
    page.goto(demo_server.url + "/")
    page.click("#public-statistics")
    expect(page.locator("h1")).to_have_text("Public statistics")
    cells = page.locator("table.public-table td").all_inner_texts()
    assert cells
    numbers = [int(text) for text in cells if text.strip().isdigit()]
    assert numbers and not [n for n in numbers if 0 < n < 5]
    page.close()
