"""The cases API: lists and a case as each role may see them, moves and their refusals."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from integration.cases.conftest import Ways
from reunite.app import create_app
from reunite.auth.service import create_token, create_user, principal_of
from reunite.cases import service as cases
from reunite.cases.models import Approval, Case
from reunite.db.engine import transaction
from reunite.db.migrate import upgrade
from reunite.wiring import default_engine, default_sessions

from world import PASSWORD, ROLES_OF_WORLD, World, build_world


class Api:
    """The application, a token per user, and the services to set a case's steps up."""

    def __init__(self, world: World, folder: Path, tokens: dict[str, str]) -> None:
        self.world = world
        self.folder = folder
        self.tokens = tokens
        self.client = TestClient(create_app())

    def get(self, user: str, url: str, **params: object) -> tuple[int, object]:
        answer = self.client.get(
            url, params=params, headers={"Authorization": f"Bearer {self.tokens[user]}"}
        )
        return answer.status_code, answer.json()

    def post(self, user: str, url: str, body: object) -> tuple[int, object]:
        answer = self.client.post(
            url, json=body, headers={"Authorization": f"Bearer {self.tokens[user]}"}
        )
        return answer.status_code, answer.json()

    @contextmanager
    def steps(self) -> Iterator[Ways]:
        with transaction(default_sessions()) as session:
            yield Ways(session, self.world, self.folder)

    def case(self, request_id: object = None) -> Case:
        with transaction(default_sessions()) as session:
            found = cases.case_of_request(session, request_id=request_id or self.world.request)
            assert found is not None
            return found


@pytest.fixture
def api(configured: str, tmp_path: Path) -> Api:
    upgrade(default_engine())
    with transaction(default_sessions()) as session:
        world = build_world(session, tmp_path)
        for name, role in (("caseworker2", "caseworker"), ("adult2", "adult")):
            user = create_user(session, username=name, password=PASSWORD, role=role)
            world.users[name] = user
            world.principals[name] = principal_of(session, user)
        tokens = {
            name: create_token(session, username=name)[0]
            for name in (*ROLES_OF_WORLD, "caseworker2", "adult2")
        }
    return Api(world, tmp_path, tokens)


def _numbers(body: object) -> set[str]:
    assert isinstance(body, dict)
    return {item["number"] for item in body["items"]}


def test_each_role_lists_only_the_cases_it_may_see(api: Api) -> None:
    with api.steps() as ways:
        other = ways.add_request("UA-5", "Мельник", "Софія", "2012-04-02")
    case, second = api.case(), api.case(other)
    status, body = api.get("caseworker", "/api/v1/cases")
    assert status == 200 and _numbers(body) == {case.number, second.number}
    assert isinstance(body, dict) and body["total"] == 2
    assert api.get("liaison_requesting", "/api/v1/cases")[1]["items"]  # type: ignore[index]
    assert _numbers(api.get("liaison_custodial", "/api/v1/cases")[1]) == set()
    assert _numbers(api.get("family", "/api/v1/cases")[1]) == {case.number}
    assert _numbers(api.get("adult", "/api/v1/cases")[1]) == set()
    assert api.get("auditor", "/api/v1/cases")[0] == 404
    # Filters: status, party, assigned.
    assert _numbers(api.get("caseworker", "/api/v1/cases", status="located")[1]) == set()
    assert api.get("caseworker", "/api/v1/cases", status="lost")[0] == 422
    custodial = api.get("caseworker", "/api/v1/cases", party="Russian Federation")[1]
    assert _numbers(custodial) == set()
    assert _numbers(api.get("caseworker", "/api/v1/cases", party="Ukraine")[1]) == {
        case.number,
        second.number,
    }
    assert api.get("caseworker", "/api/v1/cases", party="Atlantis")[0] == 422
    with api.steps() as ways:
        cases.assign(
            ways.session, principal=ways.who("admin"), case_id=second.id, username="caseworker2"
        )
        ways.locate()
    assigned = api.get("caseworker", "/api/v1/cases", assigned="caseworker2")[1]
    assert _numbers(assigned) == {second.number}
    assert assigned["items"][0]["assigned_to"] == "caseworker2"  # type: ignore[index]
    # Located: the custodial party's liaison now sees the case, the family still its own.
    assert _numbers(api.get("liaison_custodial", "/api/v1/cases")[1]) == {case.number}


def test_a_case_with_its_events_as_each_role_may_know_it(api: Api) -> None:
    with api.steps() as ways:
        case = ways.locate()
        cases.add_note(
            ways.session, principal=ways.who("caseworker"), case_id=case.id, text="internal"
        )
    status, body = api.get("caseworker", f"/api/v1/cases/{case.id}")
    assert status == 200 and isinstance(body, dict)
    assert body["status"] == "located" and body["disclosed_id"] == str(api.world.released)
    kinds = [event["kind"] for event in body["events"]]
    assert kinds[0] == "opened" and "note" in kinds
    assert body["events"][-2]["to_status"] == "located"
    assert body["events"][-2]["details"]["disclosed_id"] == str(api.world.released)
    # The family reads the changes of status, not the notes nor what a step rested on.
    status, family = api.get("family", f"/api/v1/cases/{case.id}")
    assert status == 200 and isinstance(family, dict)
    assert [e["kind"] for e in family["events"]] == ["opened", "transition"]
    assert all(e["details"] is None for e in family["events"])
    # RU-1 was released to the requesting party, never to the family.
    assert family["disclosed_id"] is None
    requesting = api.get("liaison_requesting", f"/api/v1/cases/{case.id}")[1]
    assert requesting["disclosed_id"] == str(api.world.released)  # type: ignore[index]
    for user in ("auditor", "adult", "adult2"):
        assert api.get(user, f"/api/v1/cases/{case.id}")[0] == 404
    assert api.get("caseworker", "/api/v1/cases/999999")[0] == 404


def test_an_illegal_move_answers_409_with_the_reason(api: Api) -> None:
    case = api.case()
    url = f"/api/v1/cases/{case.id}/transitions"
    status, body = api.post("caseworker", url, {"to": "located", "reason": "found"})
    assert status == 409
    assert body == {
        "detail": "the case cannot become located: a case is located only on a confirmed match",
        "code": "illegal_transition",
    }
    status, body = api.post("caseworker", url, {"to": "reunited", "reason": "home"})
    assert status == 409 and body["code"] == "illegal_transition"  # type: ignore[index]
    assert api.post("caseworker", url, {"to": "lost", "reason": "x"})[0] == 422
    assert api.post("caseworker", url, {"to": "tracing", "reason": ""})[0] == 422
    status, body = api.post("caseworker", url, {"to": "tracing", "reason": "lists searched"})
    assert status == 201 and isinstance(body, dict)
    assert body["moved"] is True and body["case"]["status"] == "tracing"
    # Others may not move a case: 404, whatever they send, even one they may read.
    for user in ("family", "liaison_requesting", "auditor", "adult"):
        assert api.post(user, url, {"to": "declined", "reason": "x"})[0] == 404
        assert api.post(user, url, {})[0] == 404
    assert api.get("caseworker", f"/api/v1/cases/{case.id}")[1]["status"] == "tracing"  # type: ignore[index]


def test_four_eyes_through_the_api(api: Api) -> None:
    with api.steps() as ways:
        case = ways.locate()
        cases.record_verification(
            ways.session, principal=ways.who("caseworker"), case_id=case.id,
            evidence={"dna": "99.9 %"}, child_willing="yes", family_willing="yes",
        )  # fmt: skip
        for name in ("caseworker", "liaison_requesting", "liaison_custodial"):
            cases.sign_verification(ways.session, principal=ways.who(name), case_id=case.id)
    url = f"/api/v1/cases/{case.id}/transitions"
    status, body = api.post("caseworker", url, {"to": "verified", "reason": "all signed"})
    assert status == 201 and isinstance(body, dict)
    assert body["moved"] is False and body["approval_id"] and body["case"]["status"] == "located"
    # Asking again while an approval waits is refused; the asker cannot approve it either.
    again = api.post("caseworker", url, {"to": "verified", "reason": "again"})
    assert again[0] == 409
    decide = f"/api/v1/approvals/{body['approval_id']}/decision"
    status, refused = api.post("caseworker", decide, {"approve": True})
    assert status == 409 and refused == {
        "detail": "four eyes: the person who asked for a step cannot approve it",
        "code": "four_eyes",
    }
    assert api.get("caseworker", f"/api/v1/cases/{case.id}")[1]["status"] == "located"  # type: ignore[index]
    assert api.post("liaison_requesting", decide, {"approve": True})[0] == 404
    assert api.post("caseworker2", decide, {"approve": False})[0] == 422  # no reason
    status, decided = api.post("caseworker2", decide, {"approve": True})
    assert status == 200 and isinstance(decided, dict)
    assert decided["state"] == "approved" and decided["decided_by"] == "caseworker2"
    assert decided["requested_by"] == "caseworker" and decided["case"]["status"] == "verified"
    assert api.post("admin", decide, {"approve": True})[0] == 409
    assert api.get("caseworker", f"/api/v1/cases/{case.id}")[1]["status"] == "verified"  # type: ignore[index]
    with transaction(default_sessions()) as session:
        approval = session.scalars(select(Approval).where(Approval.case_id == case.id)).one()
        assert approval.decided_by == api.world.users["caseworker2"].id


def test_the_api_is_in_the_schema(api: Api) -> None:
    schema = api.client.get("/openapi.json").json()
    assert "/api/v1/cases" in schema["paths"]
    assert "/api/v1/cases/{case_id}/transitions" in schema["paths"]
    assert not any(path.startswith("/cases") for path in schema["paths"])
