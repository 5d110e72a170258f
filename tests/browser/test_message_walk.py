"""A family news message in a real browser: written on a phone, moderated, delivered, «delivered».

The case is taken to return_approved through the services (tests/walking.py); then a family
member on a phone writes to the child, a caseworker approves the message from the queue, the
custodial party's liaison records its delivery, and the family's page says it was delivered.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from reunite.db.engine import session_factory, transaction
from reunite.db.migrate import upgrade
from reunite.wiring import engine_for

from second_factor import fresh_code
from serving import serving
from walking import add_second_caseworker, approve_return
from world import PASSWORD, build_world

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@dataclass
class Scene:
    url: str
    case_id: int
    totp: dict[str, str]


@pytest.fixture
def scene(tmp_path: Path) -> Iterator[Scene]:
    database = f"sqlite:///{tmp_path / 'reunite.db'}"
    engine = engine_for(database)
    upgrade(engine)
    with transaction(session_factory(engine)) as session:
        world = build_world(session, tmp_path)
        add_second_caseworker(session, world)
        case_id = approve_return(session, world, request=world.request, disclosed=world.released).id
    env = {**os.environ, "REUNITE_DATABASE_URL": database}
    log_path = tmp_path / "server.log"
    with log_path.open("wb") as log, serving(env, log=log) as url:
        yield Scene(url, case_id, dict(world.totp))
    engine.dispose()
    logged = log_path.read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in logged, logged[-6000:]


def _log_in(browser: Any, scene: Scene, username: str, viewport: dict[str, int]) -> Page:
    page: Page = browser.new_context(viewport=viewport).new_page()
    page.goto(scene.url + "/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    if username in scene.totp:
        page.fill("#code", fresh_code(scene.totp[username]))
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(scene.url + "/")
    return page


def test_a_familys_message_is_moderated_delivered_and_shown_as_delivered(
    scene: Scene, browser: Any
) -> None:
    family = _log_in(browser, scene, "family", PHONE)
    family.click("header nav a[href='/messages']")
    family.click(f"a[href='/cases/{scene.case_id}/messages']")
    # Nothing on the phone page is wider than the phone.
    assert family.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    family.fill("#sender_name", "Мама")
    family.fill("#recipient_name", "Оля")
    family.fill("#text", "Сонечко, ми тебе любимо і чекаємо вдома!")
    family.click("#send")
    mine = family.locator("article.message.mine").last
    expect(mine.locator(".state")).to_have_text("waiting for the mediator")

    caseworker = _log_in(browser, scene, "caseworker", DESKTOP)
    expect(caseworker.locator("#unread-count")).to_have_text("1")
    caseworker.click("header nav a[href='/messages/moderation']")
    queued = caseworker.locator("article.message").first
    expect(queued).to_contain_text("Сонечко")
    queued.locator("button[id^=approve-]").click()
    expect(caseworker.locator("#queue-empty")).to_be_visible()

    liaison = _log_in(browser, scene, "liaison_custodial", DESKTOP)
    liaison.click("header nav a[href='/messages/deliveries']")
    expect(liaison.locator("article.message")).to_contain_text("Сонечко")
    liaison.locator("button[id^=deliver-]").click()
    expect(liaison.locator("#nothing-to-deliver")).to_be_visible()

    family.reload()
    expect(mine.locator(".state")).to_have_text("delivered")
    expect(mine.locator(".times")).to_contain_text("delivered")
    # The family heard of it without looking.
    expect(family.locator("#unread-count")).to_be_visible()
