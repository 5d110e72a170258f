"""The home page, as a person sees it in a real browser."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def test_home_page_shows_the_registry(server_url: str, browser: Any, tmp_path: Path) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844})  # a phone-sized screen
    page.goto(server_url + "/")
    assert page.title() == "Reunite"
    assert page.locator("h1").inner_text() == "Reunite"
    assert page.locator("#count-requests").inner_text() == "150"
    assert page.locator("#count-disclosures").inner_text() == "200"
    assert page.locator("#count-parties").inner_text() == "3"
    # Nothing overflows sideways on a phone.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    page.screenshot(path=str(tmp_path / "home.png"))
    page.close()
