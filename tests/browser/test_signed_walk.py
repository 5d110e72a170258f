"""A signed list in a real browser: uploaded with its signature, its receipt, what changed.

Ukraine must sign its lists. Its liaison, on a phone, uploads a list without a signature
(refused, with the reason), then with it; the list's page says which key signed it and
offers the mediator's signed receipt, which verifies with the public key the site gives;
a second signed list shows, field by field, what it changed.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from playwright.sync_api import Page, expect

from reunite.db.engine import session_factory, transaction
from reunite.db.migrate import upgrade
from reunite.keys.service import add_key, init_mediator_key, set_require_signatures
from reunite.keys.signing import (
    RECEIPT_FORMAT,
    load_public_key,
    public_pem,
    sign_file,
    verify_document,
)
from reunite.wiring import engine_for

from serving import serving
from world import PASSWORD, build_world

PHONE = {"width": 390, "height": 844}
HEADER = "id,surname,given_name,sex,birth_date,birth_place\n"


@dataclass
class Scene:
    url: str
    key: Ed25519PrivateKey
    folder: Path


@pytest.fixture
def scene(tmp_path: Path) -> Iterator[Scene]:
    database = f"sqlite:///{tmp_path / 'reunite.db'}"
    key_file = tmp_path / "secret" / "mediator.pem"
    init_mediator_key(key_file)
    engine = engine_for(database)
    upgrade(engine)
    key = Ed25519PrivateKey.generate()
    with transaction(session_factory(engine)) as session:
        world = build_world(session, tmp_path)
        add_key(session, party=world.requesting, pem=public_pem(key.public_key()).encode())
        set_require_signatures(session, party=world.requesting, required=True)
    env = {
        **os.environ,
        "REUNITE_DATABASE_URL": database,
        "REUNITE_MEDIATOR_KEY_FILE": str(key_file),
    }
    log_path = tmp_path / "server.log"
    with log_path.open("wb") as log, serving(env, log=log) as url:
        yield Scene(url, key, tmp_path)
    engine.dispose()
    logged = log_path.read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in logged, logged[-6000:]


def _log_in(browser: Any, scene: Scene) -> Page:
    page: Page = browser.new_context(viewport=PHONE, accept_downloads=True).new_page()
    page.goto(scene.url + "/login")
    page.fill("#username", "liaison_requesting")
    page.fill("#password", PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(scene.url + "/")
    return page


def _upload(page: Page, scene: Scene, listed: Path, signature: Path | None) -> None:
    page.goto(scene.url + "/lists/upload")
    page.set_input_files("#file", str(listed))
    if signature is not None:
        page.set_input_files("#signature", str(signature))
    page.click("form[action='/lists/upload'] button[type=submit]")


def _signed(scene: Scene, name: str, rows: str) -> tuple[Path, Path]:
    listed = scene.folder / name
    listed.write_text(HEADER + rows, encoding="utf-8")
    signature = scene.folder / f"{name}.sig"
    signature.write_text(sign_file(listed, scene.key))
    return listed, signature


def test_a_liaison_uploads_a_signed_list_and_keeps_its_receipt(scene: Scene, browser: Any) -> None:
    page = _log_in(browser, scene)
    first, first_sig = _signed(scene, "requests-1.csv", "UA-8,Бондар,Олена,F,2013-02-01,Ізюм\n")
    _upload(page, scene, first, None)
    expect(page.locator("#upload-error")).to_contain_text("Ukraine signs its lists")
    _upload(page, scene, first, first_sig)
    page.wait_for_url(f"{scene.url}/lists/*")
    expect(page.locator("#signed")).to_contain_text("by key")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    with page.expect_download() as downloading:
        page.click("#receipt-links a[href$='/receipt']")
    receipt = json.loads(Path(downloading.value.path()).read_text(encoding="utf-8"))
    pem = page.request.get(scene.url + "/keys/mediator.pem").text()
    checked = verify_document(
        receipt, load_public_key(pem.encode()), expected_format=RECEIPT_FORMAT
    )
    assert checked["counts"]["added"] == 1 and checked["filename"] == "requests-1.csv"

    second, second_sig = _signed(scene, "requests-2.csv", "UA-8,Бондар,Олена,F,2013-02-01,Суми\n")
    _upload(page, scene, second, second_sig)
    page.wait_for_url(f"{scene.url}/lists/*")
    page.click("#receipt-links a[href$='/diff']")
    expect(page.locator("#diff-corrected")).to_contain_text("Ізюм")
    expect(page.locator("#diff-corrected")).to_contain_text("Суми")
    page.context.close()
