"""What fuzzing the API found (test_fuzz_api.py), each pinned by a test that failed before its fix.

- an id beyond 32 bits crashed PostgreSQL, beyond 64 the SQLite driver (a 500), on API
  routes and pages alike;
- an offset or a cursor beyond 32 bits did the same;
- text holding NUL crashed PostgreSQL (a 500) where SQLite stored it;
- the schema declared FastAPI's own 422 shape (a list), not `{"detail","code"}`, and no 400
  or 413 for a body that cannot be read or is too large;
- a list refused before its file is read (no party named) broke its declared 422 shape.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from reunite.app import create_app
from reunite.auth.service import create_token, start_session
from reunite.db.engine import transaction
from reunite.db.migrate import upgrade
from reunite.web.deps import SESSION_COOKIE
from reunite.wiring import default_engine, default_sessions

from factories import REQUEST_HEADER, csv_bytes
from world import ROLES_OF_WORLD, World, build_world

HUGE = str(2**64)  # past what SQLite holds, let alone an INTEGER id on PostgreSQL
LARGE = str(2**31)  # one past an INTEGER id on PostgreSQL
ENORMOUS = "9" * 5000  # more digits than Python parses by default


class Site:
    def __init__(self, client: TestClient, world: World, tokens: dict[str, str]) -> None:
        self.client, self.world, self.tokens = client, world, tokens

    def api(
        self, method: str, user: str, url: str, headers: dict[str, str] | None = None,
        **kwargs: object,
    ) -> httpx.Response:  # fmt: skip
        headers = {**(headers or {}), "Authorization": f"Bearer {self.tokens[user]}"}
        return self.client.request(method, "/api/v1" + url, headers=headers, **kwargs)  # type: ignore[arg-type]

    def log_in(self, user: str) -> None:
        with transaction(default_sessions()) as session:
            secret, _ = start_session(session, user=self.world.users[user])
        self.client.cookies.set(SESSION_COOKIE, secret)


@pytest.fixture
def site(configured: str, tmp_path: Path) -> Site:
    upgrade(default_engine())
    with transaction(default_sessions()) as session:
        world = build_world(session, tmp_path)
        tokens = {name: create_token(session, username=name)[0] for name in ROLES_OF_WORLD}
    return Site(TestClient(create_app()), world, tokens)


def _refusal(answer: httpx.Response, status: int, code: str) -> None:
    assert answer.status_code == status, answer.text
    body = answer.json()
    assert body["code"] == code and isinstance(body["detail"], str) and body["detail"]


def test_ids_no_row_can_have_are_not_found_not_a_crash(site: Site) -> None:
    for number in (LARGE, HUGE, ENORMOUS, f"-{HUGE}", f"-{LARGE}"):
        for url in (f"/cases/{number}", f"/messages/{number}", f"/rounds/{number}"):
            _refusal(site.api("GET", "caseworker", url), 404, "NotFound")
        _refusal(site.api("POST", "caseworker", f"/messages/{number}/approve"), 404, "NotFound")
        decision = {"decision": "confirmed", "reason": "same child"}
        answer = site.api("POST", "caseworker", f"/candidates/{number}/decision", json=decision)
        _refusal(answer, 404, "NotFound")
    # The largest id a row can have is looked up and simply not found.
    _refusal(site.api("GET", "caseworker", f"/cases/{2**31 - 1}"), 404, "NotFound")
    # Pages too: a page of its own, not a crash.
    site.log_in("caseworker")
    for url in (f"/cases/{HUGE}", f"/review/{HUGE}", f"/audit/{HUGE}"):
        page = site.client.get(url)
        assert page.status_code == 404, (url, page.status_code)
        assert "text/html" in page.headers["content-type"]


def test_offsets_and_cursors_beyond_32_bits_are_refused_as_invalid(site: Site) -> None:
    for url in ("/records", "/lists", "/cases", "/candidates"):
        for number in (LARGE, HUGE):
            _refusal(site.api("GET", "admin", f"{url}?offset={number}"), 422, "InvalidInput")
        assert site.api("GET", "admin", f"{url}?offset={2**31 - 1}").status_code == 200
    site.log_in("admin")
    for url in ("/audit", "/sharing"):
        for number in (LARGE, HUGE):
            assert site.client.get(f"{url}?before={number}").status_code == 422, url


def test_text_holding_nul_is_refused_on_both_databases(site: Site) -> None:
    _refusal(site.api("GET", "caseworker", "/records?q=Ли%00сенко"), 422, "InvalidInput")
    _refusal(site.api("GET", "caseworker", "/cases?party=Ukr%00aine"), 422, "InvalidInput")
    upload = {"file": ("list.csv", csv_bytes(REQUEST_HEADER, []).encode(), "text/csv")}
    answer = site.api(
        "POST", "admin", "/lists", data={"kind": "requests", "party": "Ukr\x00aine"}, files=upload
    )
    _refusal(answer, 422, "InvalidInput")
    assert "NUL" in answer.json()["detail"]
    decision = {"decision": "confirmed", "reason": "same\u0000child"}
    answer = site.api("POST", "caseworker", "/candidates/1/decision", json=decision)
    _refusal(answer, 422, "InvalidInput")
    # A file may hold any byte: it is data, read by the list readers, not stored as text.
    nul_file = {"file": ("list.csv", b"external_id\x00,surname\n", "text/csv")}
    answer = site.api(
        "POST", "liaison_requesting", "/lists", data={"kind": "requests"}, files=nul_file
    )
    assert answer.status_code == 422 and "NUL character" not in answer.json()["detail"]
    # Pages refuse it too, with a page.
    site.log_in("caseworker")
    page = site.client.get("/records?q=%00")
    assert page.status_code == 422 and "text/html" in page.headers["content-type"]


def test_the_schema_declares_every_refusal_in_the_shape_it_is_sent(site: Site) -> None:
    document = site.client.get("/openapi.json").json()
    error = {"$ref": "#/components/schemas/ErrorRead"}
    assert "HTTPValidationError" not in str(document)
    for path, item in document["paths"].items():
        for method, operation in item.items():
            answers = operation["responses"]
            if "422" in answers:
                schema = answers["422"]["content"]["application/json"]["schema"]
                assert schema in (error, {"$ref": "#/components/schemas/FileRejectedRead"})
            if "requestBody" in operation:
                for status in ("400", "413", "422"):
                    assert status in answers, (method, path, status)
    rejected = document["components"]["schemas"]["FileRejectedRead"]
    assert rejected["required"] == ["detail", "code"]
    # What the schema now declares is what is sent.
    broken = site.api(
        "POST", "caseworker", "/candidates/1/decision", content=b"{not json",
        headers={"Content-Type": "application/json"},
    )  # fmt: skip
    _refusal(broken, 422, "InvalidInput")
    multipart = site.api(
        "POST", "admin", "/lists", content=b"--x\r\nbroken",
        headers={"Content-Type": "multipart/form-data; boundary=x"},
    )  # fmt: skip
    assert multipart.status_code in (400, 422)
    assert set(multipart.json()) == {"detail", "code"}


def test_a_list_refused_before_its_file_is_read_fits_its_declared_shape(site: Site) -> None:
    upload = {"file": ("list.csv", csv_bytes(REQUEST_HEADER, []).encode(), "text/csv")}
    answer = site.api("POST", "admin", "/lists", data={"kind": "requests"}, files=upload)
    _refusal(answer, 422, "InvalidInput")
    assert "party" in answer.json()["detail"]
