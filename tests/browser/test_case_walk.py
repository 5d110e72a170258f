"""One case walked through the pages in a real browser, from a confirmed match to closed: two
caseworkers for the approvals, each party's liaison signing from their own login, an illegal
move refused with its reason, a round (departure, handover), follow-up visits recorded or
waived, closing refused until they are, then approved; and the adult's own page on a phone."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from playwright.sync_api import expect

from reunite.auth.service import create_user, enrol_second_factor, principal_of
from reunite.cases import service as cases
from reunite.db.engine import session_factory, transaction
from reunite.db.migrate import upgrade
from reunite.exchange.service import import_list
from reunite.flows.review import decide_pair
from reunite.review.models import MatchCandidate
from reunite.wiring import engine_for

from factories import REQUEST_HEADER, write_csv
from second_factor import fresh_code
from serving import serving
from world import PASSWORD, build_world

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@dataclass
class Walk:
    """A server on a database where a match was confirmed: the case waits, located."""

    url: str
    case_id: int
    adult_case_id: int
    # The TOTP secrets of the staff, who log in with a code too.
    totp: dict[str, str]


@pytest.fixture(scope="module")
def walk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Walk]:
    folder = tmp_path_factory.mktemp("case-walk")
    database = f"sqlite:///{folder / 'reunite.db'}"
    engine = engine_for(database)
    upgrade(engine)
    with transaction(session_factory(engine)) as session:
        world = build_world(session, folder)
        create_user(session, username="caseworker2", password=PASSWORD, role="caseworker")
        world.totp["caseworker2"], _user = enrol_second_factor(session, username="caseworker2")
        candidate = MatchCandidate(
            request_id=world.request, disclosed_id=world.released, probability=0.97,
            engine_decision="match", rival="relative", explanation=[], status="proposed",
        )  # fmt: skip
        session.add(candidate)
        session.flush()
        decide_pair(
            session, principal=world.principals["caseworker"], candidate_id=candidate.id,
            decision="confirmed", reason="photo, birth date and parents agree",
        )  # fmt: skip
        case = cases.case_of_request(session, request_id=world.request)
        assert case is not None and case.status == "located"
        # An adult on their own track, their account linked to their case.
        path = write_csv(
            folder, "adult.csv", REQUEST_HEADER,
            [["UA-8", "Шевченко", "Дарина", "", "F", "2007-01-10", "Маріуполь", "", ""]],
        )  # fmt: skip
        import_list(session, path=path, party=world.requesting, kind="requests")
        adult_case = cases.list_cases(
            session,
            principal=principal_of(session, world.users["caseworker"]),
            chosen=cases.case_filter(adult_track=True),
        )[0]
        cases.link_adult(
            session, principal=world.principals["caseworker"], case_id=adult_case.id,
            username="adult",
        )  # fmt: skip
        ids = case.id, adult_case.id
        totp = dict(world.totp)
    engine.dispose()
    env = {**os.environ, "REUNITE_DATABASE_URL": database}
    log_path = folder / "server.log"
    with log_path.open("wb") as log, serving(env, log=log) as url:
        yield Walk(url=url, case_id=ids[0], adult_case_id=ids[1], totp=totp)
    logged = log_path.read_text(encoding="utf-8", errors="replace")
    if "Traceback" in logged:
        raise AssertionError(f"the server logged an error:\n{logged[-6000:]}")


def _log_in(browser: Any, walk: Walk, username: str, viewport: dict[str, int] = DESKTOP) -> Any:
    page = browser.new_context(viewport=viewport).new_page()
    page.goto(walk.url + "/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    if username in walk.totp:
        page.fill("#code", fresh_code(walk.totp[username]))
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(walk.url + "/")
    return page


def _case(page: Any, walk: Walk) -> None:
    page.goto(f"{walk.url}/cases/{walk.case_id}")


def _move(page: Any, to: str, reason: str) -> None:
    page.select_option("#transition-to", to)
    page.fill("#transition-reason", reason)
    page.click("#transition-form button[type=submit]")


def _approve_waiting(browser: Any, walk: Walk) -> None:
    """The second caseworker approves the step waiting on the case."""
    page = _log_in(browser, walk, "caseworker2")
    _case(page, walk)
    page.locator("#approval-list form button[value=approve]").first.click()
    expect(page.locator("#done")).to_be_visible()
    page.context.close()


def test_a_case_walks_from_a_confirmed_match_to_closed(walk: Walk, browser: Any) -> None:
    worker = _log_in(browser, walk, "caseworker")
    worker.click("nav a[href='/cases']")
    worker.click(f"a[href='/cases/{walk.case_id}']")
    expect(worker.locator("#case-status")).to_have_text("located")
    # The verification, with what each piece of evidence showed, and the mediator's signature.
    worker.click("#verification summary")
    worker.fill("#evidence-documents", "birth certificate I-АП 123456")
    worker.fill("#evidence-photo_pick", "the mother picked his photo among eight boys of 10")
    worker.check("#verification-form input[name=child_willing][value=yes]")
    worker.check("#verification-form input[name=family_willing][value=yes]")
    worker.click("#verification-form button[type=submit]")
    expect(worker.locator("#done")).to_be_visible()
    worker.click("#signoff-form button")
    expect(worker.locator("#signoff-mediator strong")).to_be_visible()
    # Each party's liaison signs from their own login.
    for liaison in ("liaison_requesting", "liaison_custodial"):
        page = _log_in(browser, walk, liaison)
        page.click("nav a[href='/cases']")
        page.click(f"a[href='/cases/{walk.case_id}']")
        page.click("#signoff-form button")
        expect(page.locator("#done")).to_be_visible()
        expect(page.locator("#signoff-form")).to_have_count(0)
        page.context.close()
    _case(worker, walk)
    _move(worker, "verified", "identity and family link checked by all three teams")
    expect(worker.locator("#done")).to_contain_text("second person")
    expect(worker.locator("#case-status")).to_have_text("located")
    # The asker cannot approve their own step: the page says so and offers no button.
    expect(worker.locator("#approval-list")).to_contain_text("four eyes")
    expect(worker.locator("#approval-list button[value=approve]")).to_have_count(0)
    _approve_waiting(browser, walk)
    _case(worker, walk)
    expect(worker.locator("#case-status")).to_have_text("verified")
    # An illegal move is refused with the reason, and the form keeps what was typed.
    # (The form offers the moves the graph allows; what each still needs is listed beside.)
    expect(worker.locator("#move-contact_established")).to_contain_text("record the contact")
    _move(worker, "contact_established", "they spoke")
    expect(worker.locator("#step-error")).to_contain_text(
        "record the contact between the child and the family first"
    )
    expect(worker.locator("#transition-reason")).to_have_value("they spoke")
    expect(worker.locator("#case-status")).to_have_text("verified")
    # Contact, then the best-interests assessment approved by the second caseworker.
    worker.fill("#contact-how", "moderated video call, 20 minutes")
    worker.click("#contact-form button[type=submit]")
    _move(worker, "contact_established", "the first call went well")
    expect(worker.locator("#case-status")).to_have_text("contact established")
    _move(worker, "return_approved", "the family is waiting")
    expect(worker.locator("#step-error")).to_contain_text("best-interests assessment")
    worker.click("#best-interests summary")
    worker.fill("#bi-child_views", "wants to go home to his mother")
    worker.fill("#bi-care_arrangements", "mother and grandmother, own room")
    worker.fill("#bi-risks", "none found")
    worker.click("#best-interests-form button[type=submit]")
    worker.click("#approvals summary")
    worker.select_option("#approval-kind", "best_interests")
    worker.click("#approval-request-form button[type=submit]")
    _approve_waiting(browser, walk)
    _case(worker, walk)
    _move(worker, "return_approved", "in the child's best interests")
    expect(worker.locator("#done")).to_contain_text("second person")
    _approve_waiting(browser, walk)
    _case(worker, walk)
    expect(worker.locator("#case-status")).to_have_text("return approved")
    timeline = worker.locator("#timeline")
    expect(timeline).to_contain_text("caseworker2")
    expect(timeline).to_contain_text("return approved")
    _home_and_closed(browser, walk, worker)
    worker.context.close()


def _local(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M")


def _home_and_closed(browser: Any, walk: Walk, worker: Any) -> None:
    """Go on through the pages: a round, departure, handover, follow-up, and the case closed."""
    case = walk.case_id
    worker.click("header nav a[href='/rounds']")
    worker.click("#new-round")
    worker.fill("#round-name", "Round of the walk")
    worker.fill("#round-date", date.today().isoformat())
    worker.fill("#round-route", "Moscow – Minsk – Kyiv")
    worker.fill("#round-escort", "Embassy of Qatar")
    worker.fill("#round-handover", "Kyiv, the mediator's office")
    worker.click("#round-form button[type=submit]")
    worker.check(f"#add-{case}")
    worker.click("#add-cases button[type=submit]")
    row = worker.locator(f"#traveller-{case}")
    expect(row.locator(".where")).to_have_text("waiting to leave")
    worker.fill("#depart-at", _local(datetime.now(UTC) - timedelta(hours=3)))
    worker.click("#departure button[type=submit]")
    expect(row.locator(".where")).to_have_text("on the way")
    worker.fill(f"#handover-by-{case}", "Лисенко Ольга, mother")
    worker.click(f"#handover-{case} button[type=submit]")
    expect(row.locator(".where")).to_have_text("handed over")
    # Closing before the visits are done or waived is refused, with the reason.
    _case(worker, walk)
    expect(worker.locator("#case-status")).to_have_text("reunited")
    worker.click("header nav a[href='/follow-up']")
    first = worker.locator("#visits > li").first
    first.locator("textarea[name=outcome]").fill("settled, back at school")
    first.locator("form[action$='/record'] button[type=submit]").click()
    expect(worker.locator("#done")).to_have_text("The visit is recorded.")
    _case(worker, walk)
    _move(worker, "closed", "home and settled")
    expect(worker.locator("#step-error")).to_contain_text("neither done nor waived")
    worker.click("header nav a[href='/follow-up']")
    while worker.locator("#visits > li").count():
        card = worker.locator("#visits > li").first
        card.locator("input[name=reason]").fill("the family moved abroad")
        card.locator("form[action$='/waive'] button[type=submit]").click()
        expect(worker.locator("#done")).to_have_text("The visit is waived.")
    _case(worker, walk)
    _move(worker, "closed", "home, settled, every visit done or waived")
    expect(worker.locator("#done")).to_contain_text("second person")
    _approve_waiting(browser, walk)
    _case(worker, walk)
    expect(worker.locator("#case-status")).to_have_text("closed")


def test_the_adults_own_page_reads_on_a_phone(walk: Walk, browser: Any) -> None:
    page = _log_in(browser, walk, "adult", viewport=PHONE)
    page.click(f"#own-cases a[href='/cases/{walk.adult_case_id}'] >> nth=0")
    expect(page.locator("#consent-contact")).to_be_visible()
    # Nothing wider than the phone: no sideways scrolling to read or answer.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width
    page.locator("#consent-contact button[value=yes]").click()
    expect(page.locator("#done")).to_be_visible()
    expect(page.locator("#answer-contact")).to_have_text("yes")
    box = page.locator("#consent-return button[value=no]").bounding_box()
    assert box is not None and box["x"] + box["width"] <= PHONE["width"]
    page.context.close()
