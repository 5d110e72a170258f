"""Attachments in a real browser: a liaison attaches a photo to its own record and downloads it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

import evidence
from second_factor import fresh_code

PHONE = {"width": 390, "height": 844}
REQUESTING = "Ukraine"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, start_demo: Any) -> Iterator[Any]:
    """A small demo server of this module's own."""
    with start_demo(tmp_path_factory.mktemp("attachments"), requests=20, disclosures=20) as server:
        yield server


def _log_in(browser: Any, demo: Any, role: str, party: str | None = None) -> tuple[Any, list[str]]:
    account = demo.account(role, party)
    page = browser.new_context(viewport=PHONE, accept_downloads=True).new_page()
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


def test_a_liaison_attaches_a_photo_its_metadata_gone_and_a_program_is_refused(
    demo: Any, browser: Any, tmp_path: Path
) -> None:
    token = {"Authorization": f"Bearer {demo.account('liaison', REQUESTING)['token']}"}
    own = httpx.get(
        f"{demo.url}/api/v1/records", params={"kind": "requests", "limit": 1}, headers=token
    ).json()["items"][0]
    photo = tmp_path / "child.jpg"
    photo.write_bytes(evidence.jpeg_with_gps())
    program = tmp_path / "also-child.jpg"
    program.write_bytes(evidence.EXE)

    page, complaints = _log_in(browser, demo, "liaison", REQUESTING)
    page.goto(f"{demo.url}/records/{own['id']}")
    page.select_option("#attachment-kind", "photo")
    page.set_input_files("#attachment-file", str(photo))
    page.click("#attachment-form button[type=submit]")
    page.wait_for_selector("#attachment-list li")
    assert "child.jpg" in page.locator("#attachment-list").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    with page.expect_download() as downloading:
        page.click("#attachment-list a")
    download = downloading.value
    assert download.suggested_filename.startswith("photo-")
    assert download.suggested_filename.endswith(".jpg")
    kept = Path(download.path()).read_bytes()
    assert kept[:3] == b"\xff\xd8\xff" and evidence.SECRET_COMMENT not in kept

    page.goto(f"{demo.url}/records/{own['id']}")
    page.set_input_files("#attachment-file", str(program))
    with page.expect_response(lambda answer: answer.request.method == "POST") as answered:
        page.click("#attachment-form button[type=submit]")
    assert answered.value.status == 422
    # In the demo liaison's language (Ukrainian).
    assert "програма для Windows" in page.locator("main").inner_text()
    page.goto(f"{demo.url}/records/{own['id']}")
    assert page.locator("#attachment-list li").count() == 1
    assert complaints == []
    page.context.close()
