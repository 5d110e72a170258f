"""Pages of the trusted exchange: a signed upload, its receipt, the diff, the mediator's key."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from reunite.db.engine import transaction
from reunite.exchange.models import Batch
from reunite.keys.service import add_key, set_require_signatures
from reunite.keys.signing import (
    RECEIPT_FORMAT,
    load_public_key,
    public_pem,
    sign_file,
    verify_document,
)
from reunite.parties.models import Party
from reunite.wiring import default_sessions

from browsing import Browser, Site, count, make_site, text_of
from factories import REQUEST_HEADER, csv_bytes

V1 = csv_bytes(REQUEST_HEADER, [["UA-9", "Бондар", "Олена", "", "ж", "2013-02-01", "Ізюм", "", ""]])
V2 = csv_bytes(REQUEST_HEADER, [["UA-9", "Бондар", "Олена", "", "ж", "2013-02-01", "Суми", "", ""]])


@pytest.fixture
def site(configured: str, tmp_path: Path) -> Site:
    return make_site(tmp_path)


@pytest.fixture
def key(site: Site) -> Ed25519PrivateKey:
    private = Ed25519PrivateKey.generate()
    with transaction(default_sessions()) as session:
        party = session.get(Party, site.world.requesting.id)
        assert party is not None
        add_key(session, party=party, pem=public_pem(private.public_key()).encode())
        set_require_signatures(session, party=party, required=True)
    return private


def _upload(
    browser: Browser, content: str, signature: bytes | None, *, empty_field: bool = False
) -> httpx.Response:
    files: dict[str, tuple[str, bytes, str]] = {"file": ("list.csv", content.encode(), "text/csv")}
    if signature is not None:
        files["signature"] = ("list.csv.sig", signature, "application/json")
    elif empty_field:
        # What a browser sends for a file field left empty.
        files["signature"] = ("", b"", "application/octet-stream")
    return browser.post("/lists/upload", {"kind": "requests"}, files=files)


def _sign(site: Site, content: str, key: Ed25519PrivateKey) -> bytes:
    path = site.folder / "list.csv"
    path.write_bytes(content.encode())
    return sign_file(path, key).encode()


def test_a_signed_list_uploaded_its_receipt_and_what_changed(
    site: Site, key: Ed25519PrivateKey
) -> None:
    browser = site.browser("liaison_requesting")
    form = browser.get("/lists/upload").text
    assert 'name="signature"' in form
    batches = count(Batch)
    unsigned = _upload(browser, V1, None, empty_field=True)
    assert unsigned.status_code == 422
    assert "Ukraine signs its lists" in text_of(unsigned.text)
    assert count(Batch) == batches
    stored = _upload(browser, V1, _sign(site, V1, key))
    assert stored.status_code == 303, stored.text
    first = stored.headers["location"]
    page = browser.get(first).text
    assert 'id="signed"' in page and "by key" in page
    receipt = browser.get(first + "/receipt")
    assert receipt.headers["content-disposition"].startswith("attachment")
    mediator = browser.get("/keys/mediator.pem").text
    checked = verify_document(
        json.loads(receipt.text),
        load_public_key(mediator.encode()),
        expected_format=RECEIPT_FORMAT,
    )
    assert checked["counts"]["added"] == 1
    second = _upload(browser, V2, _sign(site, V2, key)).headers["location"]
    assert "/diff" in browser.get(second).text
    diff = browser.get(second + "/diff")
    assert diff.status_code == 200
    table = diff.text.split('id="diff-corrected"', 1)[1].split("</table>", 1)[0]
    assert "UA-9" in table and "Ізюм" in table and "Суми" in table
    # A changed file with an old signature is refused with its reason, nothing stored.
    changed = _upload(browser, V2.replace("Суми", "Харків"), _sign(site, V2, key))
    assert changed.status_code == 422
    assert "changed after it was signed" in text_of(changed.text)
    # The other party does not learn that these lists exist.
    other = site.browser("liaison_custodial")
    for url in (first, first + "/receipt", second + "/diff"):
        assert other.get(url).status_code == 404


def test_an_unsigned_upload_of_a_party_that_need_not_sign_still_works(site: Site) -> None:
    browser = site.browser("liaison_requesting")
    stored = _upload(browser, V1, None, empty_field=True)
    assert stored.status_code == 303, stored.text
    page = browser.get(stored.headers["location"]).text
    assert "not signed" in page


def test_the_mediators_public_key_needs_no_login(site: Site) -> None:
    anonymous = site.browser()
    pem = anonymous.get("/keys/mediator.pem")
    assert pem.status_code == 200 and "BEGIN PUBLIC KEY" in pem.text
    assert "PRIVATE" not in pem.text
    assert anonymous.get("/api/v1/keys/mediator").json()["pem"] == pem.text
