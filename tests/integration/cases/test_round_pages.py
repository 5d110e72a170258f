"""Rounds of return and follow-up through the pages and the API, on SQLite and PostgreSQL.

A boy (the world's request UA-1) and his sister (UA-5), both with their return approved and
grouped as one family, and a third child whose case is only open (UA-6).
"""

from __future__ import annotations

import importlib.util
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from reunite.app import create_app
from reunite.auth.service import create_token
from reunite.cases import service as cases
from reunite.cases.models import Case, CaseEvent, FollowUpVisit, ReturnRound, RoundMember
from reunite.db.engine import transaction
from reunite.errors import InvalidInput
from reunite.web.deps import LANGUAGE_COOKIE
from reunite.wiring import default_sessions

from browsing import Browser, Site, audit_actions, count, make_site, text_of
from walking import add_request, add_second_caseworker, approve_return, case_of

OTHERS = ("liaison_requesting", "liaison_custodial", "family", "adult", "auditor")


@dataclass
class Scene:
    """The site, the three children's cases, and a round planned for them."""

    site: Site
    boy: int
    sister: int
    other: int
    round_id: int

    def browser(self, user: str = "caseworker") -> Browser:
        return self.site.browser(user)

    def status(self, case_id: int) -> str:
        with transaction(default_sessions()) as session:
            case = session.get(Case, case_id)
            assert case is not None
            return case.status

    def number(self, case_id: int) -> str:
        return f"C-{case_id:06d}"


@pytest.fixture
def scene(configured: str, tmp_path: Path) -> Scene:
    site = make_site(tmp_path)
    world = site.world
    with transaction(default_sessions()) as session:
        add_second_caseworker(session, world)
        boy = approve_return(session, world, request=world.request, disclosed=world.released)
        sister_request = add_request(
            session, world, tmp_path, "UA-5", "Лисенко", "Марія", "2016-06-01"
        )
        sister = approve_return(session, world, request=sister_request, disclosed=world.disclosure)
        cases.group_cases(
            session, principal=world.principals["caseworker"], case_ids=[boy.id, sister.id],
            name="Лисенко",
        )  # fmt: skip
        other = case_of(
            session, add_request(session, world, tmp_path, "UA-6", "Гончар", "Іван", "2012-05-01")
        )
        round_ = cases.create_round(
            session, principal=world.principals["caseworker"], name="Round 7",
            planned_on=date.today() + timedelta(days=2), route="Moscow – Minsk – Kyiv",
            escort="Embassy of Qatar", handover_point="Kyiv, the mediator's office",
        )  # fmt: skip
        return Scene(site, boy.id, sister.id, other.id, round_.id)


def _at(hours_ago: float) -> str:
    """A time as a datetime-local field sends it (UTC)."""
    return (datetime.now(UTC) - timedelta(hours=hours_ago)).strftime("%Y-%m-%dT%H:%M")


def _members(round_id: int) -> dict[int, RoundMember]:
    with transaction(default_sessions()) as session:
        rows = session.scalars(select(RoundMember).where(RoundMember.round_id == round_id))
        return {member.case_id: member for member in rows}


def count_in(session: Session, model: type[Any], *conditions: Any) -> int:
    return session.scalar(select(func.count()).select_from(model).where(*conditions)) or 0


def _row(page: str, case_id: int) -> str:
    found = re.search(rf'<tr id="traveller-{case_id}".*?</tr>', page, re.S)
    assert found is not None, f"no row of case {case_id}"
    return text_of(found.group(0))


def _both_aboard(scene: Scene, browser: Browser) -> None:
    added = browser.post(
        f"/rounds/{scene.round_id}/cases", {"case": [str(scene.boy), str(scene.sister)]}
    )
    assert added.status_code == 303, added.text


# --- who may use the pages ---------------------------------------------------------------


def test_rounds_and_follow_up_are_the_mediator_staffs_alone(scene: Scene) -> None:
    gets = ["/rounds", "/rounds/new", f"/rounds/{scene.round_id}", "/follow-up"]
    posts = {
        "/rounds/new": {"name": "R", "planned_on": "2030-01-01", "route": "r", "escort": "e",
                        "handover_point": "h"},
        f"/rounds/{scene.round_id}/cases": {"case": [str(scene.boy), str(scene.sister)]},
        f"/rounds/{scene.round_id}/remove": {"case": str(scene.boy), "reason": "ill"},
        f"/rounds/{scene.round_id}/departure": {"case": [str(scene.boy)]},
        f"/rounds/{scene.round_id}/handover": {"case": str(scene.boy), "received_by": "mother"},
        "/follow-up/visits": {"case": str(scene.boy), "due_on": "2030-01-01"},
        "/follow-up/1/record": {"done_on": "2020-01-01", "outcome": "fine"},
        "/follow-up/1/waive": {"reason": "moved"},
    }  # fmt: skip
    for role in OTHERS:
        browser = scene.browser(role)
        for url in gets:
            assert browser.get(url).status_code == 404, (role, url)
        for url, form in posts.items():
            assert browser.post(url, form).status_code == 404, (role, url)
    assert count(ReturnRound) == 1 and count(RoundMember) == 0
    anonymous = scene.site.browser()
    for url in gets:
        answer = anonymous.get(url)
        assert answer.status_code == 303 and answer.headers["location"].startswith("/login")
    for role in ("admin", "caseworker"):
        for url in gets:
            assert scene.browser(role).get(url).status_code == 200, (role, url)
    # The menu leads the staff there, and nobody else.
    assert 'href="/rounds"' in scene.browser().get("/").text
    assert 'href="/follow-up"' in scene.browser("admin").get("/").text
    assert 'href="/rounds"' not in scene.browser("liaison_custodial").get("/").text


def test_a_form_without_its_token_is_refused(scene: Scene) -> None:
    browser = scene.browser()
    form = {"case": [str(scene.boy), str(scene.sister)]}
    answer = browser.post(f"/rounds/{scene.round_id}/cases", form, token=False)
    assert answer.status_code == 403
    assert _members(scene.round_id) == {}


# --- planning a round --------------------------------------------------------------------


def test_a_round_is_planned_with_its_date_route_escort_and_handover_point(scene: Scene) -> None:
    browser = scene.browser()
    form = browser.get("/rounds/new")
    assert 'name="planned_on"' in form.text and 'name="handover_point"' in form.text
    values = {"name": "Round 8", "planned_on": "2030-05-01", "route": "by road via Sumy",
              "escort": "ICRC", "handover_point": "Sumy"}  # fmt: skip
    no_name = browser.post("/rounds/new", {**values, "name": " "})
    assert no_name.status_code == 422
    assert "the round's name is needed" in text_of(no_name.text)
    assert 'value="by road via Sumy"' not in no_name.text  # a textarea keeps it as its text
    assert "by road via Sumy</textarea>" in no_name.text
    bad_date = browser.post("/rounds/new", {**values, "planned_on": "1 May"})
    assert bad_date.status_code == 422 and "give the date as YYYY-MM-DD" in bad_date.text
    no_point = browser.post("/rounds/new", {**values, "handover_point": ""})
    assert no_point.status_code == 422 and "the handover point is needed" in text_of(no_point.text)
    assert count(ReturnRound) == 1
    made = browser.post("/rounds/new", values)
    assert made.status_code == 303
    target = made.headers["location"]
    assert target.endswith("?done=created")
    page = text_of(browser.get(target).text)
    for shown in (
        "Round 8",
        "2030-05-01",
        "by road via Sumy",
        "ICRC",
        "Sumy",
        "The round is planned",
    ):
        assert shown in page
    listed = browser.get("/rounds").text
    planned = re.search(r'id="rounds-planned".*?</table>', listed, re.S)
    assert planned is not None and "Round 8" in planned.group(0) and "Round 7" in planned.group(0)
    assert "round.created" in audit_actions("caseworker")


# --- who joins ---------------------------------------------------------------------------


def test_only_cases_whose_return_was_approved_are_offered_and_join(scene: Scene) -> None:
    browser = scene.browser()
    page = browser.get(f"/rounds/{scene.round_id}").text
    offered = re.search(r'<form[^>]*id="add-cases".*?</form>', page, re.S)
    assert offered is not None
    assert f'value="{scene.boy}"' in offered.group(0)
    assert f'value="{scene.sister}"' in offered.group(0)
    assert f'value="{scene.other}"' not in offered.group(0)
    assert "Лисенко" in offered.group(0) and "family group" in offered.group(0)
    # Sent anyway (an old page, a crafted form): refused with the reason.
    answer = browser.post(f"/rounds/{scene.round_id}/cases", {"case": [str(scene.other)]})
    assert answer.status_code == 409
    error = re.search(r'id="add-error">(.*?)</p>', answer.text, re.S)
    assert error is not None
    assert "only a case whose return was approved joins a round" in text_of(error.group(1))
    assert scene.number(scene.other) in text_of(error.group(1))
    nothing = browser.post(f"/rounds/{scene.round_id}/cases", {})
    assert nothing.status_code == 422 and "choose at least one case" in nothing.text
    assert _members(scene.round_id) == {}
    assert (
        browser.post(f"/rounds/{scene.round_id + 99}/cases", {"case": [str(scene.boy)]}).status_code
        == 404
    )


def test_a_family_group_travels_together_or_someone_says_why(scene: Scene) -> None:
    browser = scene.browser()
    url = f"/rounds/{scene.round_id}/cases"
    alone = browser.post(url, {"case": [str(scene.boy)]})
    assert alone.status_code == 409
    error = re.search(r'id="add-error">(.*?)</p>', alone.text, re.S)
    assert error is not None
    said = text_of(error.group(1))
    assert "belongs to a family group" in said and scene.number(scene.sister) in said
    assert "say why they travel apart" in said
    reason_box = re.search(r'<textarea id="apart-reason"[^>]*>', alone.text)
    assert reason_box is not None and 'aria-invalid="true"' in reason_box.group(0)
    assert f'id="add-{scene.boy}" name="case" value="{scene.boy}" checked' in alone.text
    assert _members(scene.round_id) == {}
    why = "his sister has measles: she follows in the next round"
    answer = browser.post(url, {"case": [str(scene.boy)], "apart_reason": why})
    assert answer.status_code == 303 and answer.headers["location"].endswith("?done=added")
    page = browser.get(answer.headers["location"]).text
    assert why in _row(page, scene.boy) and "waiting to leave" in _row(page, scene.boy)
    assert "The children joined the round." in page
    offered = re.search(r'<form[^>]*id="add-cases".*?</form>', page, re.S)
    assert offered is not None and f'value="{scene.sister}"' in offered.group(0)
    assert f'value="{scene.boy}"' not in offered.group(0)
    # Together they need no reason; the boy is in already.
    again = browser.post(url, {"case": [str(scene.boy)], "apart_reason": why})
    assert again.status_code == 409 and "is in this round already" in text_of(again.text)
    assert browser.post(url, {"case": [str(scene.sister)]}).status_code == 303
    assert _members(scene.round_id)[scene.sister].apart_reason == ""


def test_a_child_is_taken_out_before_departure_with_a_reason(scene: Scene) -> None:
    browser = scene.browser()
    _both_aboard(scene, browser)
    url = f"/rounds/{scene.round_id}/remove"
    no_reason = browser.post(url, {"case": str(scene.sister), "reason": ""})
    assert no_reason.status_code == 422
    error = re.search(rf'id="remove-{scene.sister}-error">(.*?)</p>', no_reason.text, re.S)
    assert error is not None and "say why: a reason is needed" in error.group(1)
    assert _members(scene.round_id)[scene.sister].removed_at is None
    assert browser.post(url, {"case": str(scene.other), "reason": "x"}).status_code == 404
    answer = browser.post(url, {"case": str(scene.sister), "reason": "fever, a doctor's advice"})
    assert answer.status_code == 303
    page = browser.get(f"/rounds/{scene.round_id}").text
    row = _row(page, scene.sister)
    assert "taken out of the round" in row and "fever, a doctor's advice" in row
    offered = re.search(r'<form[^>]*id="add-cases".*?</form>', page, re.S)
    assert offered is not None and f'value="{scene.sister}"' in offered.group(0)
    assert scene.status(scene.sister) == "return_approved"


# --- departure and handover --------------------------------------------------------------


def test_departure_and_handover_show_where_each_child_is(scene: Scene) -> None:
    browser = scene.browser()
    _both_aboard(scene, browser)
    url = f"/rounds/{scene.round_id}"
    early = browser.post(f"{url}/handover", {"case": str(scene.boy), "received_by": "mother"})
    assert early.status_code == 409 and "record the child's departure first" in text_of(early.text)
    none_ticked = browser.post(f"{url}/departure", {"at": _at(3)})
    assert none_ticked.status_code == 422
    assert re.search(r'id="depart-error">[^<]*choose at least one case', none_ticked.text)
    future = browser.post(f"{url}/departure", {"case": [str(scene.boy)], "at": _at(-2)})
    assert future.status_code == 422 and "the time given is in the future" in future.text
    garbled = browser.post(f"{url}/departure", {"case": [str(scene.boy)], "at": "noon"})
    assert garbled.status_code == 422 and "give the time as YYYY-MM-DD HH:MM" in garbled.text
    assert scene.status(scene.boy) == "return_approved"
    left = _at(3)
    both = [str(scene.boy), str(scene.sister)]
    assert browser.post(f"{url}/departure", {"case": both, "at": left}).status_code == 303
    assert scene.status(scene.boy) == scene.status(scene.sister) == "in_transit"
    page = browser.get(url).text
    shown_time = left.replace("T", " ") + " UTC"
    assert "on the way" in _row(page, scene.boy) and shown_time in _row(page, scene.boy)
    assert 'id="round-left"' in page and 'id="add-cases"' not in page
    assert 'id="departure"' not in page  # nobody waits any more
    late = browser.post(f"{url}/remove", {"case": str(scene.boy), "reason": "ill"})
    assert late.status_code == 409 and "record the handover instead" in late.text
    joining = browser.post(f"{url}/cases", {"case": [str(scene.other)]})
    assert joining.status_code == 409 and "the round has left" in joining.text
    handover = f"{url}/handover"
    nobody = browser.post(handover, {"case": str(scene.boy), "received_by": " "})
    assert nobody.status_code == 422
    error = re.search(rf'id="handover-{scene.boy}-error">(.*?)</p>', nobody.text, re.S)
    assert error is not None and "who received the child is needed" in text_of(error.group(1))
    before = browser.post(handover, {"case": str(scene.boy), "received_by": "mother", "at": _at(4)})
    assert before.status_code == 422 and "cannot come before the departure" in before.text
    assert (
        scene.status(scene.boy) == "in_transit"
        and _members(scene.round_id)[scene.boy].handed_over_at is None
    )
    received = "Лисенко Ольга, mother"
    answer = browser.post(
        handover,
        {"case": str(scene.boy), "received_by": received, "at": _at(1), "place": "Sumy station"},
    )
    assert answer.status_code == 303 and answer.headers["location"].endswith("done=handed_over")
    assert scene.status(scene.boy) == "reunited"
    page = browser.get(url).text
    row = _row(page, scene.boy)
    assert "handed over" in row and received in row and "Sumy station" in row
    assert _at(1).replace("T", " ") in row
    assert re.search(r'id="round-phase">\s*under way', page)
    twice = browser.post(handover, {"case": str(scene.boy), "received_by": received})
    assert twice.status_code == 409 and "recorded already" in twice.text
    # Without a place, the child was handed over at the round's handover point.
    sister = {"case": str(scene.sister), "received_by": "Лисенко Ольга, mother"}
    assert browser.post(handover, sister).status_code == 303
    page = browser.get(url).text
    assert "Kyiv, the mediator's office" in _row(page, scene.sister)
    assert re.search(r'id="round-phase">\s*finished', page)
    listed = browser.get("/rounds").text
    finished = re.search(r'id="rounds-finished".*?</table>', listed, re.S)
    assert finished is not None and "Round 7" in finished.group(0)
    actions = audit_actions("caseworker")
    for action in ("round.cases_added", "round.departed", "round.handover", "round.read"):
        assert action in actions


def test_a_departure_of_some_children_leaves_the_others_waiting(scene: Scene) -> None:
    browser = scene.browser()
    _both_aboard(scene, browser)
    url = f"/rounds/{scene.round_id}"
    assert browser.post(f"{url}/departure", {"case": [str(scene.boy)]}).status_code == 303
    assert scene.status(scene.boy) == "in_transit"
    assert scene.status(scene.sister) == "return_approved"
    page = browser.get(url).text
    assert "waiting to leave" in _row(page, scene.sister)
    assert re.search(r'id="round-phase">\s*under way', page)
    departure = re.search(r'<form[^>]*id="departure".*?</form>', page, re.S)
    assert departure is not None and f'value="{scene.sister}"' in departure.group(0)


def test_a_departure_refused_for_one_child_moves_none(scene: Scene) -> None:
    browser = scene.browser()
    _both_aboard(scene, browser)
    with transaction(default_sessions()) as session:
        cases.transition(
            session, principal=scene.site.world.principals["caseworker"], case_id=scene.sister,
            to="declined", reason="the family withdrew the request for her",
        )  # fmt: skip
    both = [str(scene.boy), str(scene.sister)]
    answer = browser.post(f"/rounds/{scene.round_id}/departure", {"case": both})
    assert answer.status_code == 409
    error = re.search(r'id="depart-error">(.*?)</p>', answer.text, re.S)
    assert error is not None and "declined" in text_of(error.group(1))
    # The boy came first and was moved before the sister was refused: undone with her.
    assert scene.status(scene.boy) == "return_approved"
    assert all(member.departed_at is None for member in _members(scene.round_id).values())


# --- follow-up ---------------------------------------------------------------------------


def _home(scene: Scene) -> None:
    """Send both children home through the round's page."""
    browser = scene.browser()
    _both_aboard(scene, browser)
    url = f"/rounds/{scene.round_id}"
    both = [str(scene.boy), str(scene.sister)]
    assert browser.post(f"{url}/departure", {"case": both, "at": _at(2)}).status_code == 303
    for case in (scene.boy, scene.sister):
        answer = browser.post(f"{url}/handover", {"case": str(case), "received_by": "mother"})
        assert answer.status_code == 303


def _visits(case_id: int) -> list[FollowUpVisit]:
    with transaction(default_sessions()) as session:
        return list(
            session.scalars(
                select(FollowUpVisit)
                .where(FollowUpVisit.case_id == case_id)
                .order_by(FollowUpVisit.due_on)
            )
        )


def test_follow_up_lists_the_visits_due_and_flags_the_overdue(scene: Scene) -> None:
    browser = scene.browser()
    assert 'id="no-visits"' in browser.get("/follow-up").text
    _home(scene)
    page = browser.get("/follow-up").text
    assert 'id="due-count" class="big">6<' in page
    assert "overdue-count" not in page and "overdue-flag" not in page
    assert scene.number(scene.boy) in page and "Лисенко" in page
    # A visit added for yesterday is overdue at once.
    added = browser.post(
        "/follow-up/visits",
        {"case": str(scene.boy), "due_on": (date.today() - timedelta(days=1)).isoformat()},
    )
    assert added.status_code == 303 and added.headers["location"].endswith("done=visit_added")
    page = browser.get("/follow-up").text
    assert 'id="due-count" class="big">7<' in page
    assert re.search(r'id="overdue-count">\s*1 overdue', page)
    first = re.search(r'<li class="card overdue" id="visit-(\d+)"', page)
    assert first is not None  # the most overdue first
    assert page.index(first.group(0)) < page.index('<li class="card" id="visit-')
    assert "follow_up.read" in audit_actions("caseworker")


def test_a_visit_is_recorded_or_waived_and_then_the_case_can_close(scene: Scene) -> None:
    browser = scene.browser()
    _home(scene)
    first, second, third = _visits(scene.boy)
    record = f"/follow-up/{first.id}/record"
    empty = browser.post(record, {"done_on": date.today().isoformat(), "outcome": ""})
    assert empty.status_code == 422
    error = re.search(rf'id="record-{first.id}-error">(.*?)</p>', empty.text, re.S)
    assert error is not None and "the outcome of the visit is needed" in text_of(error.group(1))
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    ahead = browser.post(record, {"done_on": tomorrow, "outcome": "fine"})
    assert ahead.status_code == 422 and "the day of the visit is in the future" in ahead.text
    done = browser.post(record, {"done_on": date.today().isoformat(), "outcome": "back at school"})
    assert done.status_code == 303 and done.headers["location"].endswith("done=recorded")
    assert scene.status(scene.boy) == "follow_up"
    again = browser.post(record, {"done_on": date.today().isoformat(), "outcome": "again"})
    assert again.status_code == 409 and "this visit is recorded already" in again.text
    page = browser.get("/follow-up").text
    assert f'id="visit-{first.id}"' not in page and f'id="visit-{second.id}"' in page
    no_reason = browser.post(f"/follow-up/{second.id}/waive", {"reason": " "})
    assert no_reason.status_code == 422
    assert re.search(rf'id="waive-{second.id}-error">[^<]*say why', no_reason.text)
    for visit in (second, third):
        answer = browser.post(f"/follow-up/{visit.id}/waive", {"reason": "the family moved abroad"})
        assert answer.status_code == 303
    assert browser.post("/follow-up/999999/waive", {"reason": "x"}).status_code == 404
    visits = _visits(scene.boy)
    assert visits[0].outcome == "back at school"
    assert [v.waived_reason for v in visits[1:]] == ["the family moved abroad"] * 2
    world = scene.site.world
    with transaction(default_sessions()) as session:
        from walking import SECOND

        moved = cases.transition(
            session, principal=world.principals["caseworker"], case_id=scene.boy, to="closed",
            reason="home, settled, every visit done or waived",
        )  # fmt: skip
        assert moved.approval is not None
        cases.decide_approval(
            session, principal=world.principals[SECOND], approval_id=moved.approval.id,
            approve=True, reason="the file is complete",
        )  # fmt: skip
    assert scene.status(scene.boy) == "closed"


def test_a_visit_is_added_only_for_a_child_who_is_home(scene: Scene) -> None:
    browser = scene.browser()
    page = browser.get("/follow-up").text
    assert 'id="nobody-home"' in page
    away = browser.post("/follow-up/visits", {"case": str(scene.other), "due_on": "2030-01-01"})
    assert away.status_code == 409
    assert "follow-up visits are for children who are home" in away.text
    nobody = browser.post("/follow-up/visits", {"case": "", "due_on": "2030-01-01"})
    assert nobody.status_code == 422 and "choose a case" in nobody.text
    _home(scene)
    page = browser.get("/follow-up").text
    chooser = re.search(r'<select id="visit-case".*?</select>', page, re.S)
    assert chooser is not None
    assert f'value="{scene.boy}"' in chooser.group(
        0
    ) and f'value="{scene.other}"' not in chooser.group(0)
    bad_day = browser.post("/follow-up/visits", {"case": str(scene.boy), "due_on": "soon"})
    assert bad_day.status_code == 422 and "give the date as YYYY-MM-DD" in bad_day.text
    assert len(_visits(scene.boy)) == 3


# --- the API -----------------------------------------------------------------------------


def test_the_api_lists_rounds_and_shows_where_each_child_is(scene: Scene) -> None:
    _home(scene)
    with transaction(default_sessions()) as session:
        staff, _ = create_token(session, username="caseworker")
        liaison, _ = create_token(session, username="liaison_requesting")
    client = TestClient(create_app())
    as_staff = {"Authorization": f"Bearer {staff}"}
    listed = client.get("/api/v1/rounds", headers=as_staff)
    assert listed.status_code == 200
    (item,) = listed.json()["items"]
    assert item["name"] == "Round 7" and item["phase"] == "finished"
    assert item["counts"] == {"waiting": 0, "travelling": 0, "home": 2, "removed": 0}
    assert item["handover_point"] == "Kyiv, the mediator's office"
    assert client.get("/api/v1/rounds?phase=planned", headers=as_staff).json()["total"] == 0
    assert client.get("/api/v1/rounds?phase=flying", headers=as_staff).status_code == 422
    one = client.get(f"/api/v1/rounds/{scene.round_id}", headers=as_staff)
    assert one.status_code == 200
    travellers = {t["case_id"]: t for t in one.json()["travellers"]}
    boy = travellers[scene.boy]
    assert boy["where"] == "home" and boy["status"] == "reunited"
    assert boy["received_by"] == "mother" and boy["place"] == "Kyiv, the mediator's office"
    assert boy["departed_at"] <= boy["handed_over_at"]
    assert boy["case_number"] == scene.number(scene.boy)
    missing = client.get(f"/api/v1/rounds/{scene.round_id + 99}", headers=as_staff)
    assert missing.status_code == 404 and missing.json()["code"] == "NotFound"
    as_liaison = {"Authorization": f"Bearer {liaison}"}
    for url in ("/api/v1/rounds", f"/api/v1/rounds/{scene.round_id}"):
        assert client.get(url, headers=as_liaison).status_code == 404
        assert client.get(url).status_code == 401
    assert "round.read" in audit_actions("caseworker")


# --- in the reader's language ------------------------------------------------------------


def _translated_checks() -> ModuleType:
    path = Path(__file__).parents[1] / "web" / "test_pages_translated.py"
    spec = importlib.util.spec_from_file_location("pages_translated_checks", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("language", ["uk", "ru"])
def test_the_pages_and_their_refusals_are_in_the_readers_language(
    scene: Scene, language: str
) -> None:
    checks = _translated_checks()
    words = checks.interface_words()
    browser = scene.browser()
    browser.client.cookies.set(LANGUAGE_COOKIE, language)
    url = f"/rounds/{scene.round_id}"
    answers = {
        "rounds": browser.get("/rounds"),
        "new": browser.get("/rounds/new"),
        "new refused": browser.post("/rounds/new", {"name": "", "planned_on": "x"}),
        "apart": browser.post(f"{url}/cases", {"case": [str(scene.boy)]}),
        "not approved": browser.post(f"{url}/cases", {"case": [str(scene.other)]}),
        "empty round": browser.get(url),
        "no follow-up": browser.get("/follow-up"),
    }
    _both_aboard(scene, browser)
    answers["aboard"] = browser.get(url)
    answers["no reason"] = browser.post(f"{url}/remove", {"case": str(scene.boy)})
    answers["future"] = browser.post(f"{url}/departure", {"case": [str(scene.boy)], "at": _at(-5)})
    browser.post(f"{url}/departure", {"case": [str(scene.boy)], "at": _at(2)})
    answers["no receiver"] = browser.post(f"{url}/handover", {"case": str(scene.boy)})
    browser.post(f"{url}/handover", {"case": str(scene.boy), "received_by": "мати"})
    answers["under way"] = browser.get(url)
    answers["follow-up"] = browser.get("/follow-up")
    visit = _visits(scene.boy)[0]
    answers["no outcome"] = browser.post(f"/follow-up/{visit.id}/record", {"done_on": "x"})
    answers["away"] = browser.post(
        "/follow-up/visits", {"case": str(scene.other), "due_on": "2030-01-01"}
    )
    answers["gone"] = browser.get(f"/rounds/{scene.round_id + 99}")
    failures = [
        f"{name}: {piece}"
        for name, answer in answers.items()
        for piece in checks.untranslated(answer.text, words)
    ]
    assert failures == [], "\n".join(failures)


# --- the services beneath ----------------------------------------------------------------


def test_a_refused_handover_or_removal_leaves_nothing_half_done(scene: Scene) -> None:
    caseworker = scene.site.world.principals["caseworker"]
    with transaction(default_sessions()) as session:
        cases.add_to_round(
            session, principal=caseworker, round_id=scene.round_id,
            case_ids=[scene.boy, scene.sister],
        )  # fmt: skip
        view = cases.read_round(session, principal=caseworker, round_id=scene.round_id)
        assert view.phase == "planned"
        with pytest.raises(InvalidInput, match="say why"):
            cases.remove_from_round(
                session, principal=caseworker, round_id=scene.round_id, case_id=scene.sister,
                reason=" ",
            )  # fmt: skip
        cases.record_departure(
            session, principal=caseworker, round_id=scene.round_id, case_ids=[scene.boy]
        )
        events = count_in(session, CaseEvent, CaseEvent.case_id == scene.boy)
        for mistake in ({"received_by": ""}, {"received_by": "mother", "place": "x" * 301}):
            with pytest.raises(InvalidInput):
                cases.record_handover(
                    session, principal=caseworker, round_id=scene.round_id, case_id=scene.boy,
                    **{"received_by": "", **mistake},
                )  # fmt: skip
        # Nothing of the refused steps was written, not even in this open transaction.
        assert count_in(session, CaseEvent, CaseEvent.case_id == scene.boy) == events
        view = cases.read_round(session, principal=caseworker, round_id=scene.round_id)
        where = {t.case.id: t.where for t in view.travellers}
        assert where == {scene.boy: "travelling", scene.sister: "waiting"}
        assert view.phase == "under_way"
        cases.record_handover(
            session, principal=caseworker, round_id=scene.round_id, case_id=scene.boy,
            received_by="mother", place="Sumy station",
        )  # fmt: skip
        view = cases.read_round(session, principal=caseworker, round_id=scene.round_id)
        (boy,) = [t for t in view.travellers if t.case.id == scene.boy]
        assert (boy.received_by, boy.place) == ("mother", "Sumy station")
        assert view.phase == "under_way"  # the sister still waits
        cases.remove_from_round(
            session, principal=caseworker, round_id=scene.round_id, case_id=scene.sister,
            reason="stays until her treatment ends",
        )  # fmt: skip
        view = cases.read_round(session, principal=caseworker, round_id=scene.round_id)
        assert view.phase == "finished"
