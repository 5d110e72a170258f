"""The JSON API under /api/v1: token auth, need to know, lists, records, OpenAPI."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update

from reunite.app import create_app
from reunite.audit.models import AuditEntry
from reunite.auth.service import create_token, revoke_token, start_session
from reunite.db.engine import transaction
from reunite.db.migrate import upgrade
from reunite.errors import Conflict
from reunite.exchange.models import Batch
from reunite.records.models import Record
from reunite.review.models import MatchCandidate
from reunite.sharing.models import Release
from reunite.sharing.service import release_record
from reunite.web.deps import SESSION_COOKIE
from reunite.wiring import default_engine, default_sessions

from factories import REQUEST_HEADER, csv_bytes
from world import ROLES_OF_WORLD, World, build_world


@dataclass
class Api:
    """A client of the application, the world it serves, and one token per user."""

    client: TestClient
    world: World
    tokens: dict[str, str]

    def call(self, method: str, user: str | None, url: str, **kwargs: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.tokens[user]}"} if user else {}
        return self.client.request(method, "/api/v1" + url, headers=headers, **kwargs)

    def get(self, user: str | None, url: str, **kwargs: Any) -> httpx.Response:
        return self.call("GET", user, url, **kwargs)


@pytest.fixture
def api(configured: str, tmp_path: Path) -> Api:
    upgrade(default_engine())
    with transaction(default_sessions()) as session:
        world = build_world(session, tmp_path)
        tokens = {name: create_token(session, username=name)[0] for name in ROLES_OF_WORLD}
    return Api(TestClient(create_app()), world, tokens)


def _audit_actions(actor: str) -> list[str]:
    with transaction(default_sessions()) as session:
        return list(
            session.scalars(
                select(AuditEntry.action).where(AuditEntry.actor == actor).order_by(AuditEntry.id)
            )
        )


# --- token authentication ------------------------------------------------------------------


def test_missing_invalid_and_revoked_tokens_get_401_json(api: Api) -> None:
    missing = api.get(None, "/me")
    assert missing.status_code == 401
    assert missing.json()["code"] == "Unauthorized" and "Bearer" in missing.json()["detail"]
    for header in ("Bearer rnt_not-a-token", "Bearer ", "Basic YWRtaW46eA==", "rnt_x"):
        answer = api.client.get("/api/v1/records", headers={"Authorization": header})
        assert answer.status_code == 401, header
        assert answer.json()["code"] == "Unauthorized"
    assert api.get("caseworker", "/me").status_code == 200
    # A browser's session cookie never authorises an API call.
    with transaction(default_sessions()) as session:
        secret, _ = start_session(session, user=api.world.users["caseworker"])
    api.client.cookies.set(SESSION_COOKIE, secret)
    assert api.get(None, "/me").status_code == 401
    api.client.cookies.clear()
    with transaction(default_sessions()) as session:
        revoke_token(session, token=api.tokens["caseworker"][:12])
    revoked = api.get("caseworker", "/me")
    assert revoked.status_code == 401 and revoked.json()["code"] == "Unauthorized"


def test_me_describes_the_token_owner(api: Api) -> None:
    me = api.get("liaison_custodial", "/me").json()
    assert me == {
        "user_id": api.world.users["liaison_custodial"].id,
        "username": "liaison_custodial",
        "display_name": "liaison_custodial",
        "role": "liaison",
        "party": "Russian Federation",
        "party_role": "custodial",
        "language": "en",
    }
    assert api.get("adult", "/me").json()["party"] is None


# --- records and need to know --------------------------------------------------------------


def _ids(answer: httpx.Response) -> set[uuid.UUID]:
    assert answer.status_code == 200, answer.text
    return {uuid.UUID(item["id"]) for item in answer.json()["items"]}


def test_record_lists_hold_what_each_role_may_see(api: Api) -> None:
    world = api.world
    everything = set(world.records)
    assert _ids(api.get("caseworker", "/records")) == everything
    assert _ids(api.get("admin", "/records?kind=disclosures")) == everything - {world.request}
    assert _ids(api.get("liaison_requesting", "/records")) == {world.request, world.released}
    assert _ids(api.get("liaison_custodial", "/records")) == everything - {world.request}
    assert _ids(api.get("family", "/records")) == {world.request}
    assert _ids(api.get("adult", "/records")) == set()
    page = api.get("liaison_requesting", "/records?kind=disclosures").json()
    assert page["total"] == 1 and page["limit"] == 50 and page["offset"] == 0
    assert page["items"][0]["external_id"] == "RU-1"
    assert page["items"][0]["surname"] == "Лысенко"
    # An auditor reads logs, not records: the route does not exist for them.
    assert api.get("auditor", "/records").status_code == 404


def test_record_pages_are_bounded(api: Api) -> None:
    first = api.get("caseworker", "/records?limit=2").json()
    second = api.get("caseworker", "/records?limit=2&offset=2").json()
    assert first["total"] == second["total"] == 4
    assert len(first["items"]) == len(second["items"]) == 2
    assert not {i["id"] for i in first["items"]} & {i["id"] for i in second["items"]}
    for query in ("limit=201", "limit=0", "offset=-1", "kind=people"):
        answer = api.get("caseworker", f"/records?{query}")
        assert answer.status_code == 422, query
        assert answer.json()["code"] == "InvalidInput"


def test_liaison_reads_the_other_partys_record_only_once_released(api: Api) -> None:
    world = api.world
    url = f"/records/{world.disclosure}"
    hidden = api.get("liaison_requesting", url)
    assert hidden.status_code == 404 and hidden.json() == {
        "detail": "no such record",
        "code": "NotFound",
    }
    assert api.get("liaison_custodial", url).status_code == 200  # its own party's
    assert api.get("liaison_requesting", f"/records/{world.released}").status_code == 200
    with transaction(default_sessions()) as session:
        release_record(
            session,
            principal=world.principals["caseworker"],
            record_id=world.disclosure,
            to_party_id=world.requesting.id,
            purpose="the family of request UA-1 named a brother",
        )
    shown = api.get("liaison_requesting", url)
    assert shown.status_code == 200 and shown.json()["external_id"] == "RU-2"
    assert world.disclosure in _ids(api.get("liaison_requesting", "/records"))
    # Released to the requesting party's liaisons: not to a family member of that party.
    assert api.get("family", url).status_code == 404


def test_a_released_record_carries_only_the_fields_of_its_release(api: Api) -> None:
    world = api.world
    with transaction(default_sessions()) as session:
        record = session.get(Record, world.released)
        assert record is not None
        record.institution = "Детский дом «Солнышко»"
        record.current_location = "Ростовская обл."
    shown = api.get("liaison_requesting", f"/records/{world.released}").json()
    assert shown["institution"] is None and "institution" in shown["not_shared"]
    assert shown["current_location"] == "Ростовская обл." and shown["surname"] == "Лысенко"
    listed = api.get("liaison_requesting", "/records", params={"q": "Лысенко"}).json()
    (item,) = [i for i in listed["items"] if i["id"] == str(world.released)]
    assert item["institution"] is None and "institution" in item["not_shared"]
    own = api.get("liaison_custodial", f"/records/{world.released}").json()
    assert own["institution"] == "Детский дом «Солнышко»" and own["not_shared"] == []


def test_withheld_records_are_never_shown_to_the_other_party(api: Api) -> None:
    world = api.world
    url = f"/records/{world.withheld}"
    assert api.get("caseworker", url).json()["withheld"] is True
    assert api.get("liaison_custodial", url).status_code == 200
    assert api.get("liaison_requesting", url).status_code == 404
    with transaction(default_sessions()) as session, pytest.raises(Conflict):
        release_record(
            session,
            principal=world.principals["caseworker"],
            record_id=world.withheld,
            to_party_id=world.requesting.id,
            purpose="try anyway",
        )
    # Even a release row that got there somehow (say, made before the flag was set) does not
    # show it.
    with transaction(default_sessions()) as session:
        session.add(
            Release(
                record_id=world.withheld,
                to_party_id=world.requesting.id,
                purpose="made before the flag",
                scope="disclosure_to_party",
                fields=["surname", "given_name"],
                released_by=world.users["caseworker"].id,
            )
        )
    assert api.get("liaison_requesting", url).status_code == 404
    assert world.withheld not in _ids(api.get("liaison_requesting", "/records"))


def test_unknown_and_malformed_record_ids_are_not_found(api: Api) -> None:
    for record_id in (uuid.uuid4(), "not-a-uuid", "1"):
        answer = api.get("caseworker", f"/records/{record_id}")
        assert answer.status_code == 404 and answer.json()["code"] == "NotFound"
    assert api.get("auditor", f"/records/{api.world.request}").status_code == 404


def test_reading_records_is_audited(api: Api) -> None:
    api.get("liaison_requesting", "/records")
    api.get("liaison_requesting", f"/records/{api.world.released}")
    api.get("liaison_requesting", f"/records/{api.world.disclosure}")  # 404: refused
    assert _audit_actions("liaison_requesting") == [
        "records.list",
        "record.read",
        "record.read.refused",
    ]
    with transaction(default_sessions()) as session:
        read = session.scalar(select(AuditEntry).where(AuditEntry.action == "record.read"))
        assert read is not None and read.subject_id == str(api.world.released)
        assert read.actor_id == api.world.users["liaison_requesting"].id


def test_search_finds_names_in_any_script_among_visible_records(api: Api) -> None:
    world = api.world
    for query in ("Lysenko", "Лисенко", "Лысенко Александр"):
        assert _ids(api.get("caseworker", f"/records?q={query}")) == {
            world.request,
            world.released,
        }, query
    assert _ids(api.get("liaison_custodial", "/records?q=Lysenko")) == {world.released}
    assert _ids(api.get("family", "/records?q=Lysenko")) == {world.request}
    page = api.get("caseworker", "/records?q=Lysenko&kind=requests").json()
    assert page["total"] == 1 and page["items"][0]["external_id"] == "UA-1"
    assert _audit_actions("family") == ["records.search"]


# --- lists ---------------------------------------------------------------------------------

DISCLOSURES = [
    ["RU-10", "Петренко", "Иван", "Петрович", "M", "2013-02-01", "Херсон", "", ""],
    ["RU-11", "Петренко", "Мария", "Петровна", "F", "2015-06-01", "Херсон", "", ""],
]


def _upload(
    api: Api, user: str, rows: list[list[str]], *, name: str = "list.csv", **form: str
) -> httpx.Response:
    content = csv_bytes(REQUEST_HEADER, rows).encode()
    return api.call(
        "POST",
        user,
        "/lists",
        files={"file": (name, content, "text/csv")},
        data={"kind": "disclosures", **form},
    )


def _batches() -> int:
    with transaction(default_sessions()) as session:
        return session.scalar(select(func.count()).select_from(Batch)) or 0


def test_a_liaison_submits_its_partys_list_once(api: Api) -> None:
    first = _upload(api, "liaison_custodial", DISCLOSURES, name="../../etc/ru list.csv")
    assert first.status_code == 201, first.text
    report = first.json()
    assert report["stored"] is True and report["already_imported"] is False
    assert report["rows_read"] == 2 and report["added"] == 2 and report["errors"] == []
    assert report["filename"] == "ru list.csv"
    again = _upload(api, "liaison_custodial", DISCLOSURES, name="renamed.csv")
    assert again.status_code == 200
    assert again.json()["already_imported"] is True
    assert again.json()["batch_id"] == report["batch_id"]
    with transaction(default_sessions()) as session:
        batch = session.get(Batch, report["batch_id"])
        assert batch is not None and batch.party_id == api.world.custodial.id
        stored = session.scalar(select(func.count()).where(Record.external_id == "RU-10"))
        assert stored == 1
    assert _audit_actions("liaison_custodial") == ["list.import", "list.import"]


def test_a_list_with_errors_is_refused_whole(api: Api) -> None:
    before = _batches()
    bad = ["RU-12", "Мельник", "Петро", "", "X", "31.02.2015", "", "", ""]
    answer = _upload(api, "liaison_custodial", [*DISCLOSURES, bad], name="bad.csv")
    assert answer.status_code == 422
    body = answer.json()
    assert body["code"] == "FileRejected" and "nothing was stored" in body["detail"]
    assert any(p.startswith("bad.csv:4: birth_date:") for p in body["problems"])
    assert any(p.startswith("bad.csv:4: sex:") for p in body["problems"])
    assert _batches() == before
    with transaction(default_sessions()) as session:
        assert session.scalar(select(Record).where(Record.external_id == "RU-10")) is None
    assert _audit_actions("liaison_custodial") == ["list.refused"]  # who, the file, why


def test_who_may_submit_which_list(api: Api) -> None:
    # Staff name the party; a liaison cannot submit for the other party or the wrong kind.
    staff = _upload(api, "caseworker", DISCLOSURES, party="Russian Federation")
    assert staff.status_code == 201, staff.text
    unnamed = _upload(api, "admin", DISCLOSURES[:1])
    assert unnamed.status_code == 422 and "party" in unnamed.json()["detail"]
    other = _upload(api, "liaison_requesting", DISCLOSURES, party="Russian Federation")
    assert other.status_code == 422 and "its own party" in other.json()["detail"]
    wrong_kind = _upload(api, "liaison_requesting", DISCLOSURES)
    assert wrong_kind.status_code == 422 and "sends tracing requests" in wrong_kind.json()["detail"]
    for user in ("family", "adult", "auditor"):
        assert _upload(api, user, DISCLOSURES).status_code == 404, user
    no_file = api.call("POST", "liaison_custodial", "/lists", data={"kind": "disclosures"})
    assert no_file.status_code == 422 and no_file.json()["code"] == "InvalidInput"
    bad_kind = _upload(api, "liaison_custodial", DISCLOSURES, kind="people")
    assert bad_kind.status_code == 422
    assert _batches() == 3  # the world's two and the caseworker's


def test_batch_lists_follow_the_party(api: Api) -> None:
    _upload(api, "liaison_custodial", DISCLOSURES)
    mine = api.get("liaison_custodial", "/lists").json()
    assert [b["filename"] for b in mine] == ["list.csv", "disclosures.csv"]
    assert {b["party_id"] for b in mine} == {api.world.custodial.id}
    theirs = api.get("liaison_requesting", "/lists").json()
    assert [b["filename"] for b in theirs] == ["requests.csv"]
    assert len(api.get("caseworker", "/lists").json()) == 3
    assert len(api.get("caseworker", "/lists?limit=1").json()) == 1
    for user in ("family", "adult", "auditor"):
        assert api.get(user, "/lists").status_code == 404, user


# --- review --------------------------------------------------------------------------------


def _candidates(api: Api) -> tuple[int, int]:
    """Store two proposed pairs for the world's request: a likely one and an unlikely one."""
    world = api.world
    with transaction(default_sessions()) as session:
        likely = MatchCandidate(
            request_id=world.request,
            disclosed_id=world.released,
            probability=0.97,
            engine_decision="match",
            explanation=[["surname", "exact", 9.5]],
        )
        unlikely = MatchCandidate(
            request_id=world.request,
            disclosed_id=world.disclosure,
            probability=0.41,
            engine_decision="possible",
            explanation=[["surname", "different", -4.0]],
        )
        session.add_all([unlikely, likely])
        session.flush()
        return likely.id, unlikely.id


def test_staff_list_candidates_most_probable_first(api: Api) -> None:
    likely, unlikely = _candidates(api)
    page = api.get("caseworker", "/candidates").json()
    assert [c["id"] for c in page["items"]] == [likely, unlikely]
    assert page["total"] == 2 and page["status"] == "proposed"
    first = page["items"][0]
    assert first["request"]["external_id"] == "UA-1"
    assert first["disclosed"]["external_id"] == "RU-1"
    assert first["explanation"] == [["surname", "exact", 9.5]] and first["decisions"] == []
    second = api.get("admin", "/candidates?limit=1&offset=1").json()
    assert [c["id"] for c in second["items"]] == [unlikely]
    assert api.get("caseworker", "/candidates?status=maybe").status_code == 422
    assert _audit_actions("caseworker")[-1] == "records.list"  # after the world's release


def test_a_decision_is_kept_audited_and_moves_the_pair(api: Api) -> None:
    likely, unlikely = _candidates(api)
    url = f"/candidates/{likely}/decision"
    decided = api.call(
        "POST", "caseworker", url, json={"decision": "confirmed", "reason": "same birth mark"}
    )
    assert decided.status_code == 201, decided.text
    body = decided.json()
    assert body["decision"] == "confirmed" and body["reason"] == "same birth mark"
    assert body["candidate_id"] == likely
    assert body["decided_by"] == api.world.users["caseworker"].id
    proposed = api.get("caseworker", "/candidates").json()
    assert [c["id"] for c in proposed["items"]] == [unlikely]
    confirmed = api.get("caseworker", "/candidates?status=confirmed").json()["items"]
    assert [c["id"] for c in confirmed] == [likely]
    assert [d["reason"] for d in confirmed[0]["decisions"]] == ["same birth mark"]
    rejected = api.call(
        "POST",
        "admin",
        f"/candidates/{unlikely}/decision",
        json={"decision": "rejected", "reason": "different father"},
    )
    assert rejected.status_code == 201
    assert api.get("caseworker", "/candidates").json()["total"] == 0
    assert "match.decision" in _audit_actions("caseworker")
    assert _audit_actions("admin")[-1] == "match.decision"


def test_the_queue_filters_and_a_reversal_over_the_api(api: Api) -> None:
    likely, unlikely = _candidates(api)
    assert [c["id"] for c in api.get("caseworker", "/candidates?band=high").json()["items"]] == [
        likely
    ]
    assert api.get("caseworker", "/candidates?band=low").json()["total"] == 1
    assert api.get("caseworker", "/candidates?reference=ru-2").json()["items"][0]["id"] == unlikely
    assert api.get("caseworker", "/candidates?age=18%2B").json()["total"] == 0
    assert api.get("caseworker", "/candidates?band=sure").status_code == 422
    url = f"/candidates/{likely}/decision"
    confirmed = api.call("POST", "caseworker", url, json={"decision": "confirmed", "reason": "ok"})
    assert confirmed.json()["decided_by_name"] == "caseworker"
    # The world's release of RU-1 to the requesting party now rests on this confirmation.
    with transaction(default_sessions()) as session:
        session.execute(
            update(Release)
            .where(Release.record_id == api.world.released)
            .values(candidate_id=likely)
        )
    reversal = {"decision": "related", "reason": "a twin brother, not the child"}
    refused = api.call("POST", "admin", url, json=reversal)
    assert refused.status_code == 409 and refused.json()["code"] == "releases_depend"
    assert api.get("liaison_requesting", f"/records/{api.world.released}").status_code == 200
    done = api.call("POST", "admin", url, json=reversal | {"revoke_releases": True})
    assert done.status_code == 201 and done.json()["decision"] == "related"
    assert len(done.json()["revoked_releases"]) == 1
    assert api.get("liaison_requesting", f"/records/{api.world.released}").status_code == 404
    related = api.get("caseworker", "/candidates?status=related").json()["items"]
    assert [c["id"] for c in related] == [likely]


def test_bad_decisions_are_refused(api: Api) -> None:
    likely, _ = _candidates(api)
    url = f"/candidates/{likely}/decision"
    for body in (
        {"decision": "maybe", "reason": "unsure"},
        {"decision": "confirmed", "reason": ""},
        {"decision": "confirmed", "reason": "   "},
        {"decision": "confirmed"},
        {"reason": "no decision"},
    ):
        answer = api.call("POST", "caseworker", url, json=body)
        assert answer.status_code == 422, body
        assert answer.json()["code"] == "InvalidInput"
    missing = api.call(
        "POST",
        "caseworker",
        "/candidates/999999/decision",
        json={"decision": "rejected", "reason": "x"},
    )
    assert missing.status_code == 404 and missing.json()["code"] == "NotFound"
    assert api.get("caseworker", "/candidates").json()["total"] == 2


def test_review_does_not_exist_for_anyone_but_staff(api: Api) -> None:
    likely, _ = _candidates(api)
    for user in ("liaison_requesting", "liaison_custodial", "family", "adult", "auditor"):
        assert api.get(user, "/candidates").status_code == 404, user
        for body in ({"decision": "confirmed", "reason": "looks right"}, {"junk": 1}):
            answer = api.call("POST", user, f"/candidates/{likely}/decision", json=body)
            assert answer.status_code == 404, (user, body)
            assert answer.json()["code"] == "NotFound"
    assert api.get("caseworker", "/candidates").json()["total"] == 2
    assert api.call("POST", None, f"/candidates/{likely}/decision", json={}).status_code == 401


# --- OpenAPI -------------------------------------------------------------------------------


def test_openapi_documents_every_api_route(api: Api) -> None:
    document = api.client.get("/openapi.json").json()
    operations = {
        (method.upper(), path)
        for path, item in document["paths"].items()
        for method in item
        if path.startswith("/api/v1/")
    }
    assert operations == {
        ("GET", "/api/v1/me"),
        ("POST", "/api/v1/lists"),
        ("GET", "/api/v1/lists"),
        ("GET", "/api/v1/records"),
        ("GET", "/api/v1/records/{record_id}"),
        ("GET", "/api/v1/candidates"),
        ("POST", "/api/v1/candidates/{candidate_id}/decision"),
        ("GET", "/api/v1/rounds"),
        ("GET", "/api/v1/rounds/{round_id}"),
        ("GET", "/api/v1/inquiries"),
        ("POST", "/api/v1/inquiries"),
        ("GET", "/api/v1/inquiries/{inquiry_id}"),
        ("POST", "/api/v1/inquiries/{inquiry_id}/items/{item_id}/answer"),
        ("POST", "/api/v1/inquiries/{inquiry_id}/withdraw"),
        ("POST", "/api/v1/records/{record_id}/attachments"),
        ("GET", "/api/v1/records/{record_id}/attachments"),
        ("POST", "/api/v1/cases/{case_id}/attachments"),
        ("GET", "/api/v1/cases/{case_id}/attachments"),
        ("GET", "/api/v1/attachments/{attachment_id}"),
        ("GET", "/api/v1/cases"),
        ("GET", "/api/v1/cases/{case_id}"),
        ("POST", "/api/v1/cases/{case_id}/transitions"),
        ("POST", "/api/v1/approvals/{approval_id}/decision"),
        ("POST", "/api/v1/cases/{case_id}/messages"),
        ("GET", "/api/v1/cases/{case_id}/messages"),
        ("GET", "/api/v1/messages/{message_id}"),
        ("GET", "/api/v1/messages/{message_id}/photo"),
        ("POST", "/api/v1/messages/{message_id}/approve"),
        ("POST", "/api/v1/messages/{message_id}/return"),
        ("POST", "/api/v1/messages/{message_id}/delivery"),
        ("GET", "/api/v1/lists/{batch_id}"),
        ("GET", "/api/v1/lists/{batch_id}/receipt"),
        ("GET", "/api/v1/lists/{batch_id}/diff"),
        ("GET", "/api/v1/releases"),
        ("POST", "/api/v1/releases/ack"),
        ("GET", "/api/v1/keys/mediator"),
        ("GET", "/api/v1/audit/checkpoint"),
    }
    assert not [p for p in document["paths"] if not p.startswith("/api/v1/")]  # pages hidden
    schemas = document["components"]["schemas"]
    for name in ("MeRead", "RecordRead", "RecordPage", "CandidateRead", "DecisionCreate"):
        assert name in schemas
    for path, item in document["paths"].items():
        for method, operation in item.items():
            ok = next(c for c in ("200", "201") if c in operation["responses"])
            content = operation["responses"][ok]["content"]
            if path.endswith("/photo"):  # the picture itself
                assert {"image/jpeg", "image/png"} <= set(content), path
                continue
            if "application/json" in content:
                assert "schema" in content["application/json"], path
            if path != "/api/v1/keys/mediator":  # the one public call: no login, no 401
                assert "401" in operation["responses"], (method, path)
