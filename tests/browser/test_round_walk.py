"""A child's last steps home in a real browser: a round, departure, handover, follow-up, closed.

The case is taken to return_approved through the services (tests/walking.py); from there a
caseworker uses the pages of a real `reunite serve`: plans a round, puts the child in it,
tries a departure in the future and reads the refusal, records the departure and the
handover (the case is reunited), records one follow-up visit and waives the others; then
the case can be closed, with a second caseworker's approval.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from reunite.cases import service as cases
from reunite.cases.models import Case
from reunite.db.engine import session_factory, transaction
from reunite.db.migrate import upgrade
from reunite.wiring import engine_for

from second_factor import fresh_code
from serving import serving
from walking import SECOND, add_second_caseworker, approve_return
from world import PASSWORD, World, build_world

DESKTOP = {"width": 1280, "height": 900}


@dataclass
class Scene:
    """A running server, its database, the world in it and the case to bring home."""

    url: str
    database: str
    world: World
    case_id: int

    def status(self) -> str:
        with transaction(session_factory(engine_for(self.database))) as session:
            case = session.get(Case, self.case_id)
            assert case is not None
            return case.status


@pytest.fixture
def scene(tmp_path: Path) -> Iterator[Scene]:
    database = f"sqlite:///{tmp_path / 'reunite.db'}"
    engine = engine_for(database)
    upgrade(engine)
    with transaction(session_factory(engine)) as session:
        world = build_world(session, tmp_path)
        add_second_caseworker(session, world)
        case = approve_return(session, world, request=world.request, disclosed=world.released)
        case_id = case.id
    env = {**os.environ, "REUNITE_DATABASE_URL": database}
    log_path = tmp_path / "server.log"
    with log_path.open("wb") as log, serving(env, log=log) as url:
        yield Scene(url, database, world, case_id)
    engine.dispose()
    logged = log_path.read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in logged, logged[-6000:]


def _local(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M")


def test_a_child_goes_home_in_a_round_and_is_followed_up_until_the_case_closes(
    scene: Scene, browser: Any
) -> None:
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    complaints: list[str] = []
    page.on("pageerror", lambda error: complaints.append(str(error)))
    page.goto(scene.url + "/login")
    page.fill("#username", "caseworker")
    page.fill("#password", PASSWORD)
    page.fill("#code", fresh_code(scene.world.totp["caseworker"]))
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(scene.url + "/")

    # Plan the round from the menu.
    page.click("header nav a[href='/rounds']")
    page.click("#new-round")
    page.fill("#round-name", "Round of 6 December")
    page.fill("#round-date", date.today().isoformat())
    page.fill("#round-route", "Moscow – Minsk – Kyiv")
    page.fill("#round-escort", "Embassy of Qatar")
    page.fill("#round-handover", "Kyiv, the mediator's office")
    page.click("#round-form button[type=submit]")
    expect(page.locator("#done")).to_contain_text("The round is planned")
    round_url = page.url.split("?")[0]

    # The child whose return was approved joins it.
    case = scene.case_id
    row = page.locator(f"#traveller-{case}")
    page.check(f"#add-{case}")
    page.click("#add-cases button[type=submit]")
    expect(page.locator("#done")).to_contain_text("joined the round")
    expect(row.locator(".where")).to_have_text("waiting to leave")

    # A departure in the future is refused, with the reason, and nothing moves.
    page.fill("#depart-at", _local(datetime.now(UTC) + timedelta(hours=3)))
    page.click("#departure button[type=submit]")
    expect(page.locator("#depart-error")).to_contain_text("the time given is in the future")
    assert scene.status() == "return_approved"

    left = datetime.now(UTC) - timedelta(hours=2)
    page.fill("#depart-at", _local(left))
    page.click("#departure button[type=submit]")
    expect(page.locator("#done")).to_contain_text("on the way home")
    expect(row.locator(".where")).to_have_text("on the way")
    expect(row).to_contain_text(left.strftime("%Y-%m-%d %H:%M UTC"))
    assert scene.status() == "in_transit"

    page.fill(f"#handover-by-{case}", "Лисенко Ольга, mother")
    page.click(f"#handover-{case} button[type=submit]")
    expect(page.locator("#done")).to_contain_text("the child is reunited")
    expect(row.locator(".where")).to_have_text("handed over")
    expect(row).to_contain_text("Лисенко Ольга, mother")
    expect(page.locator("#round-phase")).to_have_text("finished")
    assert scene.status() == "reunited"

    # Follow-up: the first visit is recorded, the others waived.
    page.click("header nav a[href='/follow-up']")
    expect(page.locator("#due-count")).to_have_text("3")
    cards = page.locator("#visits > li")
    first = cards.first
    first.locator("textarea[name=outcome]").fill("settled, back at school")
    first.locator("form[action$='/record'] button[type=submit]").click()
    expect(page.locator("#done")).to_have_text("The visit is recorded.")
    assert scene.status() == "follow_up"
    for _ in range(2):
        card = page.locator("#visits > li").first
        card.locator("input[name=reason]").fill("the family moved abroad")
        card.locator("form[action$='/waive'] button[type=submit]").click()
        expect(page.locator("#done")).to_have_text("The visit is waived.")
    expect(page.locator("#no-visits")).to_be_visible()

    # The round, finished, is listed as such.
    page.goto(scene.url + "/rounds")
    expect(page.locator("#rounds-finished")).to_contain_text("Round of 6 December")
    assert round_url.startswith(scene.url + "/rounds/")
    assert complaints == []
    context.close()

    # Every visit is done or waived: the case may close (asked by one, approved by another).
    with transaction(session_factory(engine_for(scene.database))) as session:
        moved = cases.transition(
            session, principal=scene.world.principals["caseworker"], case_id=case,
            to="closed", reason="home, settled, every visit done or waived",
        )  # fmt: skip
        assert moved.approval is not None
        cases.decide_approval(
            session, principal=scene.world.principals[SECOND], approval_id=moved.approval.id,
            approve=True, reason="the file is complete",
        )  # fmt: skip
    assert scene.status() == "closed"
