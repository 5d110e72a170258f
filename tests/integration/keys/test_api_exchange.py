"""The API party systems rely on: signed, idempotent submissions; a batch's status, receipt
and diff; the records released since a cursor, acknowledged; the mediator's public key."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from reunite.app import create_app
from reunite.audit.models import AuditEntry
from reunite.auth.service import create_token
from reunite.db.engine import transaction
from reunite.db.migrate import upgrade
from reunite.exchange.models import Batch
from reunite.keys.service import add_key
from reunite.keys.signing import (
    RECEIPT_FORMAT,
    load_public_key,
    public_pem,
    sign_file,
    verify_document,
)
from reunite.sharing.service import revoke_release
from reunite.wiring import default_engine, default_sessions

from factories import REQUEST_HEADER, csv_bytes
from world import ROLES_OF_WORLD, World, build_world

LIST_V1 = csv_bytes(
    REQUEST_HEADER,
    [["UA-7", "Коваль", "Ганна", "Андріївна", "F", "2016-07-01", "Бахмут", "", ""]],
).encode()
LIST_V2 = csv_bytes(
    REQUEST_HEADER,
    [["UA-7", "Коваль", "Ганна", "Андріївна", "F", "2016-07-01", "Краматорськ", "", ""]],
).encode()


@dataclass
class Api:
    """A client of the application, its world, a token per user, Ukraine's signing key."""

    client: TestClient
    world: World
    tokens: dict[str, str]
    key: Ed25519PrivateKey
    folder: Path

    def call(self, method: str, user: str | None, url: str, **kwargs: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.tokens[user]}"} if user else {}
        headers.update(kwargs.pop("headers", {}))
        return self.client.request(method, "/api/v1" + url, headers=headers, **kwargs)

    def submit(
        self, content: bytes, *, key: str = "", signature: bytes | None = None
    ) -> httpx.Response:
        files: dict[str, tuple[str, bytes, str]] = {"file": ("list.csv", content, "text/csv")}
        if signature is not None:
            files["signature"] = ("list.csv.sig", signature, "application/json")
        headers = {"Idempotency-Key": key} if key else {}
        return self.call(
            "POST", "liaison_requesting", "/lists",
            files=files, data={"kind": "requests"}, headers=headers,
        )  # fmt: skip

    def sign(self, content: bytes) -> bytes:
        path = self.folder / "list.csv"
        path.write_bytes(content)
        return sign_file(path, self.key).encode()


@pytest.fixture
def api(configured: str, tmp_path: Path) -> Api:
    upgrade(default_engine())
    key = Ed25519PrivateKey.generate()
    with transaction(default_sessions()) as session:
        world = build_world(session, tmp_path)
        tokens = {name: create_token(session, username=name)[0] for name in ROLES_OF_WORLD}
        add_key(session, party=world.requesting, pem=public_pem(key.public_key()).encode())
    return Api(TestClient(create_app()), world, tokens, key, tmp_path)


def _batches() -> int:
    with transaction(default_sessions()) as session:
        return session.scalar(select(func.count()).select_from(Batch)) or 0


def test_a_signed_list_its_status_receipt_and_diff(api: Api) -> None:
    first = api.submit(LIST_V1, signature=api.sign(LIST_V1))
    assert first.status_code == 201, first.text
    batch = first.json()["batch_id"]
    status = api.call("GET", "liaison_requesting", f"/lists/{batch}").json()
    assert status["status"] == "stored" and status["rows_added"] == 1
    assert status["signed_key_id"] and status["receipt_url"] == f"/api/v1/lists/{batch}/receipt"
    assert status["matching"] == "queued"
    receipt = api.call("GET", "liaison_requesting", f"/lists/{batch}/receipt").json()
    mediator = api.client.get("/api/v1/keys/mediator").json()
    assert api.client.get("/keys/mediator.pem").text == mediator["pem"]
    checked = verify_document(
        receipt, load_public_key(mediator["pem"].encode()), expected_format=RECEIPT_FORMAT
    )
    assert checked["counts"]["added"] == 1 and checked["party_key_id"] == status["signed_key_id"]
    # The other party, and people without a part in lists, do not see the batch at all.
    for role in ("liaison_custodial", "family", "auditor"):
        assert api.call("GET", role, f"/lists/{batch}/receipt").status_code == 404
    second = api.submit(LIST_V2, signature=api.sign(LIST_V2)).json()["batch_id"]
    diff = api.call("GET", "liaison_requesting", f"/lists/{second}/diff").json()
    assert diff["from_batch"] == batch and diff["to_batch"] == second
    assert diff["corrected"][0]["external_id"] == "UA-7"
    assert diff["corrected"][0]["changes"] == [
        {"field": "birth_place", "old": "Бахмут", "new": "Краматорськ"}
    ]
    first_ever = api.call("GET", "liaison_requesting", f"/lists/{batch}/diff?against=1")
    assert first_ever.status_code == 200  # the world's first list of Ukraine
    alone = api.call("GET", "admin", "/lists/2/diff")  # Russia's only list
    assert alone.status_code == 422


def test_idempotency_key_a_retry_finds_its_batch_another_body_is_refused(api: Api) -> None:
    before = _batches()
    first = api.submit(LIST_V1, key="ua-0001")
    assert first.status_code == 201
    retry = api.submit(LIST_V1, key="ua-0001")
    assert retry.status_code == 200
    assert retry.json()["batch_id"] == first.json()["batch_id"]
    assert retry.json()["already_imported"] is True
    reused = api.submit(LIST_V2, key="ua-0001")
    assert reused.status_code == 422
    assert reused.json()["code"] == "idempotency_key_reused"
    assert _batches() == before + 1
    with transaction(default_sessions()) as session:
        codes = [
            json.loads(details).get("code")
            for details in session.scalars(
                select(AuditEntry.details).where(AuditEntry.action == "list.refused")
            )
        ]
    assert codes == ["idempotency_key_reused"]


def test_bad_signatures_answer_422_with_a_code_and_store_nothing(api: Api) -> None:
    before = _batches()
    good = api.sign(LIST_V1)
    answers = {
        "signature_file_changed": api.submit(LIST_V2, signature=good),
        "signature_garbled": api.submit(LIST_V1, signature=good[:50]),
    }
    stranger = Ed25519PrivateKey.generate()
    path = api.folder / "other.csv"
    path.write_bytes(LIST_V1)
    answers["signature_unknown_key"] = api.submit(
        LIST_V1, signature=sign_file(path, stranger).encode()
    )
    for code, answer in answers.items():
        assert answer.status_code == 422, answer.text
        assert answer.json()["code"] == code
    assert _batches() == before


def test_the_release_feed_since_a_cursor_and_its_acknowledgement(api: Api) -> None:
    feed = api.call("GET", "liaison_requesting", "/releases").json()
    assert [item["fields"]["external_id"] for item in feed["items"]] == ["RU-1"]
    item = feed["items"][0]
    # Only the release's fields: never the institution or the party's notes.
    assert "institution" not in item["fields"] and "contact" not in item["fields"]
    assert feed["acknowledged"] is None and feed["more"] is False
    ack = api.call("POST", "liaison_requesting", "/releases/ack", json={"cursor": feed["cursor"]})
    assert ack.status_code == 200 and ack.json()["acknowledged"] == feed["cursor"]
    # Nothing new since: the default start is the acknowledged cursor.
    assert api.call("GET", "liaison_requesting", "/releases").json()["items"] == []
    with transaction(default_sessions()) as session:
        release_id = item["release"]
        revoke_release(
            session,
            principal=api.world.principals["caseworker"],
            release_id=release_id,
            reason="the match was wrong",
        )
    changed = api.call("GET", "liaison_requesting", "/releases").json()["items"]
    assert changed == [
        {"release": release_id, "record": item["record"], "revoked": True,
         "changed_at": changed[0]["changed_at"]}
    ]  # fmt: skip
    behind = api.call(
        "POST", "liaison_requesting", "/releases/ack", json={"cursor": "2020-01-01T00:00:00Z"}
    )
    assert behind.status_code == 422 and behind.json()["code"] == "ack_behind"
    garbage = api.call("GET", "liaison_requesting", "/releases?since=yesterday")
    assert garbage.status_code == 422 and garbage.json()["code"] == "bad_cursor"
    # The other party received nothing; staff and auditors are no recipients.
    assert api.call("GET", "liaison_custodial", "/releases").json()["items"] == []
    for role in ("admin", "auditor"):
        assert api.call("GET", role, "/releases").status_code == 404
    assert api.call("GET", None, "/releases").status_code == 401
    with transaction(default_sessions()) as session:
        actions = list(session.scalars(select(AuditEntry.action)))
    assert actions.count("releases.read") >= 4 and "releases.ack" in actions


def test_openapi_documents_every_call_with_an_example(api: Api) -> None:
    schema = api.client.get("/openapi.json").json()
    paths = schema["paths"]
    for path in (
        "/api/v1/lists",
        "/api/v1/lists/{batch_id}",
        "/api/v1/lists/{batch_id}/receipt",
        "/api/v1/lists/{batch_id}/diff",
        "/api/v1/releases",
        "/api/v1/releases/ack",
        "/api/v1/keys/mediator",
    ):
        assert path in paths, path
    text = json.dumps(schema)
    assert "Idempotency-Key" in text and "idempotency_key_reused" in text
    for name in ("BatchStatusRead", "BatchDiffRead", "ReleaseFeedRead", "MediatorKeyRead"):
        assert schema["components"]["schemas"][name].get("examples"), name


def test_the_same_key_arriving_twice_at_once_stores_one_batch(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = api.submit(LIST_V1, key="ua-race")
    assert first.status_code == 201
    before = _batches()
    # The twin request checked for the key before the first one stored it.
    monkeypatch.setattr("reunite.exchange.submission._earlier_submission", lambda *_a, **_k: None)
    twin = api.submit(LIST_V2, key="ua-race")
    assert twin.status_code == 409 and twin.json()["code"] == "idempotency_key_in_flight"
    assert _batches() == before
