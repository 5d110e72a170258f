"""Attachments through the pages and the API: upload, the record page's list, downloads."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from reunite.app import create_app
from reunite.attachments.models import Attachment
from reunite.attachments.store import AttachmentStore
from reunite.auth.service import create_token
from reunite.cases.service import case_of_request
from reunite.db.engine import transaction
from reunite.wiring import default_sessions

import evidence
from browsing import Site, audit_actions, count, make_site, text_of
from world import ROLES_OF_WORLD


@pytest.fixture
def site(configured: str, store: AttachmentStore, tmp_path: Path) -> Site:
    return make_site(tmp_path)


@pytest.fixture
def tokens(site: Site) -> dict[str, str]:
    with transaction(default_sessions()) as session:
        return {name: create_token(session, username=name)[0] for name in ROLES_OF_WORLD}


def _upload(browser, record, data: bytes, kind: str, name: str = "photo.jpg"):
    files = {"file": (name, data, "image/jpeg")}
    return browser.post(f"/records/{record}/attachments", {"kind": kind}, files=files)


def _attachment_ids(page: str) -> list[int]:
    return [int(found) for found in re.findall(r'id="attachment-(\d+)"', page)]


def test_staff_attach_on_the_record_page_and_download_as_a_file(
    site: Site, store: AttachmentStore
) -> None:
    world = site.world
    staff = site.browser("caseworker")
    page = staff.get(f"/records/{world.request}")
    assert 'id="attachment-form"' in page.text and "No attachments." in page.text
    sent = _upload(staff, world.request, evidence.jpeg_with_gps(), "photo", "../child.jpg")
    assert sent.status_code == 303
    assert sent.headers["location"].startswith(f"/records/{world.request}?attached=")
    page = staff.get(f"/records/{world.request}")
    (attachment_id,) = _attachment_ids(page.text)
    assert "child.jpg" in text_of(page.text) and "JPEG picture" in text_of(page.text)
    download = staff.get(f"/attachments/{attachment_id}")
    assert download.status_code == 200
    assert download.headers["content-type"] == "image/jpeg"
    assert download.headers["content-disposition"] == (
        f'attachment; filename="photo-{attachment_id}.jpg"'
    )
    assert download.headers["x-content-type-options"] == "nosniff"
    assert evidence.SECRET_COMMENT not in download.content
    assert audit_actions("caseworker")[-3:] == ["attachment.add", "record.read", "attachment.read"]


def test_a_refused_file_shows_its_reason_and_nothing_is_kept(
    site: Site, store: AttachmentStore
) -> None:
    staff = site.browser("caseworker")
    refused = _upload(staff, site.world.request, evidence.EXE, "photo", "photo.jpg")
    assert refused.status_code == 422
    assert "the file is a Windows program, not a PDF, JPEG or PNG" in text_of(refused.text)
    assert count(Attachment) == 0 and store.hashes() == set()
    assert audit_actions("caseworker")[-1] == "attachment.refused"


def test_a_page_in_ukrainian_names_the_refusal_in_ukrainian(
    site: Site, store: AttachmentStore
) -> None:
    staff = site.browser("caseworker")
    staff.post("/language", {"lang": "uk", "next": "/"})
    refused = _upload(staff, site.world.request, evidence.encrypted_pdf(), "biography", "a.pdf")
    assert refused.status_code == 422
    assert "PDF зашифровано" in text_of(refused.text)


def test_a_recipient_sees_the_released_photo_not_the_document(
    site: Site, store: AttachmentStore
) -> None:
    world = site.world
    staff = site.browser("caseworker")
    _upload(staff, world.released, evidence.png(), "photo", "face.png")
    _upload(staff, world.released, evidence.pdf(), "identity_document", "passport.pdf")
    ids = _attachment_ids(staff.get(f"/records/{world.released}").text)
    assert len(ids) == 2
    photo, document = ids
    liaison = site.browser("liaison_requesting")
    page = liaison.get(f"/records/{world.released}")
    assert _attachment_ids(page.text) == [photo]
    assert "passport.pdf" not in page.text
    # Not its party's record: no upload form.
    assert 'id="attachment-form"' not in page.text
    assert liaison.get(f"/attachments/{photo}").status_code == 200
    assert liaison.get(f"/attachments/{document}").status_code == 404
    assert _upload(liaison, world.released, evidence.png(), "photo").status_code == 404
    # The party that holds the child adds evidence to its own record.
    custodial = site.browser("liaison_custodial")
    assert 'id="attachment-form"' in custodial.get(f"/records/{world.released}").text
    assert _upload(custodial, world.released, evidence.png((1, 1, 1)), "photo").status_code == 303


def test_a_family_guessing_attachment_ids_gets_404_and_is_audited(
    site: Site, store: AttachmentStore
) -> None:
    world = site.world
    staff = site.browser("caseworker")
    _upload(staff, world.disclosure, evidence.png(), "photo", "face.png")
    (attachment_id,) = _attachment_ids(staff.get(f"/records/{world.disclosure}").text)
    family = site.browser("family")
    for guess in (attachment_id, attachment_id + 1, 0):
        assert family.get(f"/attachments/{guess}").status_code == 404
    assert audit_actions("family") == ["attachment.read.refused"] * 3


def test_the_api_attaches_lists_and_downloads(
    site: Site, tokens: dict[str, str], store: AttachmentStore
) -> None:
    world = site.world
    client = TestClient(create_app())

    def call(method: str, user: str, url: str, **kwargs):
        headers = {"Authorization": f"Bearer {tokens[user]}"}
        return client.request(method, "/api/v1" + url, headers=headers, **kwargs)

    def send(user: str, url: str, data: bytes, kind: str, name: str = "scan.pdf"):
        files = {"file": (name, data, "application/octet-stream")}
        return call("POST", user, url, files=files, data={"kind": kind})

    record_url = f"/records/{world.disclosure}/attachments"
    created = send("liaison_custodial", record_url, evidence.pdf(), "medical_report")
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["content_type"] == "application/pdf" and body["kind"] == "medical_report"
    assert body["original_name"] == "scan.pdf" and not body["already_attached"]
    again = send("caseworker", record_url, evidence.pdf(), "medical_report")
    assert again.status_code == 200 and again.json()["already_attached"]
    refused = send("caseworker", record_url, evidence.pdf_with_javascript(), "biography")
    assert refused.status_code == 422
    assert refused.json()["code"] == "attachment_refused"
    assert "JavaScript" in refused.json()["detail"]
    assert send("liaison_requesting", record_url, evidence.pdf(), "biography").status_code == 404
    assert send("caseworker", record_url, evidence.pdf(), "selfie").status_code == 422

    listed = call("GET", "caseworker", record_url)
    assert [item["id"] for item in listed.json()] == [body["id"]]
    assert call("GET", "liaison_requesting", record_url).status_code == 404
    download = call("GET", "liaison_custodial", f"/attachments/{body['id']}")
    assert download.status_code == 200 and download.content == evidence.pdf()
    assert download.headers["content-disposition"].startswith("attachment;")
    assert call("GET", "family", f"/attachments/{body['id']}").status_code == 404

    with transaction(default_sessions()) as session:
        case = case_of_request(session, request_id=world.request)
        assert case is not None
        case_id = case.id
    case_url = f"/cases/{case_id}/attachments"
    photo = send("caseworker", case_url, evidence.png(), "photo", "face.png")
    assert photo.status_code == 201 and photo.json()["case_id"] == case_id
    report = send("caseworker", case_url, evidence.pdf(2), "psychological_report")
    assert report.status_code == 201
    assert send("liaison_requesting", case_url, evidence.png(), "photo").status_code == 404
    kinds = {item["kind"] for item in call("GET", "family", case_url).json()}
    assert kinds == {"photo"}
    assert call("GET", "liaison_custodial", case_url).status_code == 404
    assert "attachments.list" in audit_actions("family")
    assert audit_actions("liaison_custodial")[-2:] == [
        "attachment.read",
        "attachment.read.refused",
    ] or ("attachment.read" in audit_actions("liaison_custodial"))


def test_a_zip_list_through_the_upload_page_attaches_its_files(
    site: Site, store: AttachmentStore
) -> None:
    from factories import REQUEST_HEADER, csv_bytes

    header = [*REQUEST_HEADER, "attachments"]
    listing = csv_bytes(
        header, [["UA-30", "Бондар", "Олена", "", "F", "2013-02-03", "Ізюм", "", "", "a.png"]]
    )
    path = evidence.write_zip(
        site.folder, "may.zip", [("may.csv", listing.encode()), ("a.png", evidence.png())]
    )
    browser = site.browser("liaison_requesting")
    files = {"file": ("may.zip", path.read_bytes(), "application/zip")}
    answer = browser.post("/lists/upload", {"kind": "requests"}, files=files)
    assert answer.status_code in (200, 303), answer.text
    assert count(Attachment) == 1
    assert audit_actions("liaison_requesting")[-1] == "list.import"
    missing = evidence.write_zip(site.folder, "june.zip", [("june.csv", listing.encode())])
    files = {"file": ("june.zip", missing.read_bytes(), "application/zip")}
    refused = browser.post("/lists/upload", {"kind": "requests"}, files=files)
    assert refused.status_code == 422
    assert "june.csv:2: attachments: a.png is not in the ZIP" in text_of(refused.text)
    assert count(Attachment) == 1
