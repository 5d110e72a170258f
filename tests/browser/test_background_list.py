"""A large list in a real browser: uploaded, followed while it is stored, then its receipt.

Russia's liaison uploads its register (60,000 children) through the page. The server
answers at once; the list's page says the list is being stored and that nobody sees its
rows yet, and follows it by itself until it is stored, then shows its counts and the
receipt. A second list with a bad row ends refused, the page saying which row and why.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from reunite.db.engine import session_factory, transaction
from reunite.db.migrate import upgrade
from reunite.keys.service import init_mediator_key
from reunite.wiring import engine_for

from serving import serving
from world import PASSWORD, build_world

HEADER = ["id", "surname", "given_name", "sex", "birth_date", "birth_place", "institution"]
REGISTER_ROWS = 60_000


@dataclass
class Scene:
    url: str
    folder: Path


@pytest.fixture
def scene(tmp_path: Path) -> Iterator[Scene]:
    database = f"sqlite:///{tmp_path / 'reunite.db'}"
    key_file = tmp_path / "secret" / "mediator.pem"
    init_mediator_key(key_file)
    engine = engine_for(database)
    upgrade(engine)
    with transaction(session_factory(engine)) as session:
        build_world(session, tmp_path)
    env = {
        **os.environ,
        "REUNITE_DATABASE_URL": database,
        "REUNITE_MEDIATOR_KEY_FILE": str(key_file),
        "REUNITE_BACKGROUND_LIST_KB": "1024",
    }
    log_path = tmp_path / "server.log"
    with log_path.open("wb") as log, serving(env, log=log) as url:
        yield Scene(url, tmp_path)
    engine.dispose()
    logged = log_path.read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in logged, logged[-6000:]


def _register(path: Path, rows: int, *, bad_row: int | None = None) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for number in range(rows):
            birth = f"{2008 + number % 12}-0{1 + number % 9}-1{number % 9}"
            if number == bad_row:
                birth = "2015-02-31"  # no such day: a row error
            writer.writerow(
                [f"RU-{number}", "Иванов", "Пётр", "M", birth, "Мариуполь", "Детский дом № 3"]
            )
    return path


def _upload(browser: Any, scene: Scene, listed: Path) -> Page:
    page: Page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(scene.url + "/login")
    page.fill("#username", "liaison_custodial")
    page.fill("#password", PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(scene.url + "/")
    page.goto(scene.url + "/lists/upload")
    page.set_input_files("#file", str(listed))
    page.click("form[action='/lists/upload'] button[type=submit]")
    page.wait_for_url(f"{scene.url}/lists/*")
    return page


def test_a_large_list_is_followed_on_its_page_until_it_is_stored(
    scene: Scene, browser: Any
) -> None:
    register = _register(scene.folder / "register.csv", REGISTER_ROWS)
    page = _upload(browser, scene, register)
    # Answered at once: the list is waiting or being stored, and says nobody sees it yet.
    expect(page.locator("#standing")).to_contain_text("Nobody sees any of its rows")
    expect(page.locator("#batch-status")).not_to_have_text("stored")
    assert page.locator("#receipt-links").count() == 0
    # The page follows the list by itself, and shows it whole once stored.
    expect(page.locator("#receipt-links")).to_be_visible(timeout=240_000)
    expect(page.locator("#rows-read")).to_have_text(f"{REGISTER_ROWS}")
    assert page.locator("#standing").count() == 0
    expect(page.locator("#receipts tbody tr").first).to_contain_text("RU-0")
    page.context.close()


def test_a_large_list_with_a_bad_row_ends_refused_and_says_why(scene: Scene, browser: Any) -> None:
    register = _register(scene.folder / "bad-register.csv", 20_000, bad_row=12_345)
    page = _upload(browser, scene, register)
    expect(page.locator("#batch-status")).to_have_text("refused", timeout=240_000)
    expect(page.locator("#batch-problem")).to_contain_text("nothing was stored")
    expect(page.locator("#batch-problems")).to_contain_text("bad-register.csv:12347")
    assert page.locator("#receipt-links").count() == 0
    page.context.close()
