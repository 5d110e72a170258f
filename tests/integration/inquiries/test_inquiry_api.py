"""Information requests through the API: ask, list, read, answer, withdraw; need to know."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from reunite.app import create_app
from reunite.auth.service import create_token
from reunite.cases.service import case_of_request
from reunite.db.base import utcnow
from reunite.db.engine import transaction
from reunite.db.migrate import upgrade
from reunite.inquiries.models import Inquiry
from reunite.wiring import default_engine, default_sessions

from world import ROLES_OF_WORLD, World, build_world


class Api:
    """A client of the application, the world it serves, and one token per user."""

    def __init__(self, world: World, tokens: dict[str, str], case_id: int) -> None:
        self.client = TestClient(create_app())
        self.world = world
        self.tokens = tokens
        self.case_id = case_id

    def call(self, method: str, user: str, url: str, **kwargs: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.tokens[user]}"}
        return self.client.request(method, "/api/v1" + url, headers=headers, **kwargs)

    def ask(self, **changes: Any) -> httpx.Response:
        body = {
            "party_id": self.world.custodial.id,
            "subject": "Children evacuated from Mariupol",
            "due_on": (utcnow().date() + timedelta(days=10)).isoformat(),
            "items": [
                {"case_id": self.case_id, "question": "Where is he?"},
                {"name": "Коваль Анна", "birth_date": "2015-01"},
            ],
        } | changes
        return self.call("POST", "caseworker", "/inquiries", json=body)


@pytest.fixture
def api(configured: str, tmp_path: Path) -> Api:
    upgrade(default_engine())
    with transaction(default_sessions()) as session:
        world = build_world(session, tmp_path)
        tokens = {name: create_token(session, username=name)[0] for name in ROLES_OF_WORLD}
        case = case_of_request(session, request_id=world.request)
        assert case is not None
        case_id = case.id
    return Api(world, tokens, case_id)


def test_staff_ask_and_the_party_answers_through_the_api(api: Api) -> None:
    created = api.ask()
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["state"] == "open" and body["items"] == 2 and body["answered_items"] == 0
    first, second = body["children"]
    assert first["name"] == "Лисенко Олександр Миколайович" and first["case_id"] == api.case_id
    assert second["birth_date"] == "2015-01" and second["case_id"] is None
    url = f"/inquiries/{body['id']}/items/{{}}/answer"

    # The party sees the child, not where the mediator found it.
    seen = api.call("GET", "liaison_custodial", f"/inquiries/{body['id']}").json()
    assert seen["children"][0]["case_id"] is None and seen["children"][0]["request_id"] is None
    listed = api.call("GET", "liaison_custodial", "/inquiries").json()
    assert [item["id"] for item in listed["items"]] == [body["id"]] and listed["total"] == 1

    refused = api.call("POST", "liaison_custodial", url.format(first["id"]),
                       json={"kind": "records", "records": ["UA-1"]})  # fmt: skip
    assert refused.status_code == 422 and refused.json()["code"] == "InvalidInput"
    answered = api.call("POST", "liaison_custodial", url.format(first["id"]),
                        json={"kind": "records", "records": ["RU-1"]})  # fmt: skip
    assert answered.status_code == 200
    assert answered.json()["children"][0]["records"][0]["reference"] == "RU-1"
    twice = api.call("POST", "liaison_custodial", url.format(first["id"]),
                     json={"kind": "not_on_record"})  # fmt: skip
    assert twice.status_code == 409 and twice.json()["code"] == "already_answered"
    last = api.call("POST", "liaison_custodial", url.format(second["id"]),
                    json={"kind": "not_on_record", "note": "not in our lists"})  # fmt: skip
    assert last.json()["state"] == "answered" and last.json()["answered_at"] is not None
    done = api.call("GET", "auditor", "/inquiries", params={"state": "answered"}).json()
    assert [item["id"] for item in done["items"]] == [body["id"]]


@pytest.mark.parametrize("who", ["liaison_requesting", "family", "adult"])
def test_others_get_404_for_a_request_and_its_answers(api: Api, who: str) -> None:
    body = api.ask().json()
    item = body["children"][0]["id"]
    assert api.call("GET", who, f"/inquiries/{body['id']}").status_code == 404
    answer = api.call("POST", who, f"/inquiries/{body['id']}/items/{item}/answer",
                      json={"kind": "not_on_record"})  # fmt: skip
    assert answer.status_code == 404
    listing = api.call("GET", who, "/inquiries")
    if who == "liaison_requesting":
        assert listing.json()["items"] == []
    else:
        assert listing.status_code == 404


def test_only_staff_ask_and_withdraw_and_bad_requests_are_refused(api: Api) -> None:
    for who in ("liaison_custodial", "auditor", "family"):
        answer = api.call("POST", who, "/inquiries", json={"party_id": 1})
        assert answer.status_code == 404
    past = api.ask(due_on="2001-01-01")
    assert past.status_code == 422 and "has passed" in past.json()["detail"]
    gone = api.ask(items=[{"case_id": 999_999}])
    assert gone.status_code == 422 and "no such case: 999999" in gone.json()["detail"]
    body = api.ask().json()
    assert api.call("POST", "liaison_custodial", f"/inquiries/{body['id']}/withdraw",
                    json={"reason": "no"}).status_code == 404  # fmt: skip
    withdrawn = api.call("POST", "admin", f"/inquiries/{body['id']}/withdraw",
                         json={"reason": "the family found him"})  # fmt: skip
    assert withdrawn.status_code == 200 and withdrawn.json()["state"] == "withdrawn"
    assert withdrawn.json()["withdraw_reason"] == "the family found him"
    late = api.call("POST", "liaison_custodial",
                    f"/inquiries/{body['id']}/items/{body['children'][0]['id']}/answer",
                    json={"kind": "not_on_record"})  # fmt: skip
    assert late.status_code == 409 and late.json()["code"] == "inquiry_withdrawn"


def test_overdue_is_listed_by_state(api: Api) -> None:
    body = api.ask().json()
    with transaction(default_sessions()) as session:
        inquiry = session.scalar(select(Inquiry).where(Inquiry.id == body["id"]))
        assert inquiry is not None
        inquiry.due_on = utcnow().date() - timedelta(days=1)
    overdue = api.call("GET", "caseworker", "/inquiries", params={"state": "overdue"}).json()
    assert [item["state"] for item in overdue["items"]] == ["overdue"]
    assert (
        api.call("GET", "caseworker", "/inquiries", params={"state": "open"}).json()["items"] == []
    )
    assert api.call("GET", "caseworker", "/inquiries", params={"state": "x"}).status_code == 422
