"""Sharing through the pages: what rests on a decision, what a recipient sees, what a photo keeps.

Each test attacks one hole the landed code had: a reversal that left releases standing, a
release to any family account, history that showed a recipient what a party had deleted, and
photos served with their GPS position.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from reunite.db.engine import transaction
from reunite.records.models import Record, RecordPhoto
from reunite.sharing.models import Release
from reunite.wiring import default_sessions

from browsing import Site, count, make_site
from factories import csv_bytes
from hostile import jpeg_with_secrets, png_with_secrets
from world import confirm_pair


@pytest.fixture
def site(configured: str, tmp_path: Path) -> Site:
    return make_site(tmp_path)


def test_a_reversal_shows_what_rests_on_the_match_and_revokes_it_or_is_refused(
    site: Site,
) -> None:
    world = site.world
    with transaction(default_sessions()) as session:
        candidate = confirm_pair(session, world, request=world.request, disclosed=world.disclosure)
    caseworker = site.browser("caseworker")
    released = caseworker.post(
        f"/records/{world.disclosure}/release",
        {"to": f"party:{world.requesting.id}", "purpose": "verify the boy's identity",
         "match": str(candidate)},
    )  # fmt: skip
    assert released.status_code == 303
    liaison = site.browser("liaison_requesting")
    assert liaison.get(f"/records/{world.disclosure}").status_code == 200

    admin = site.browser("admin")
    pair = admin.get(f"/review/{candidate}")
    assert 'id="dependents"' in pair.text and "verify the boy&#39;s identity" in pair.text
    assert 'name="revoke_dependents"' in pair.text
    url = f"/review/{candidate}/decision"
    refused = admin.post(url, {"decision": "rejected", "reason": "the mother says it is not him"})
    assert refused.status_code == 409 and "tick the box" in refused.text
    assert liaison.get(f"/records/{world.disclosure}").status_code == 200

    done = admin.post(
        url,
        {"decision": "rejected", "reason": "the mother says it is not him",
         "revoke_dependents": "true"},
    )  # fmt: skip
    assert done.status_code == 303
    assert liaison.get(f"/records/{world.disclosure}").status_code == 404
    home = liaison.get("/")
    assert 'id="withdrawn"' in home.text and "a disclosed record, to the other party" in home.text
    log = site.browser("auditor").get("/sharing").text
    assert "revoked" in log and "the mother says it is not him" in log
    assert count(Release, Release.revoked_at.is_not(None)) == 1


def test_the_release_dialog_says_what_goes_and_offers_the_match(site: Site) -> None:
    world = site.world
    with transaction(default_sessions()) as session:
        candidate = confirm_pair(session, world, request=world.request, disclosed=world.disclosure)
    dialog = site.browser("caseworker").get(f"/records/{world.disclosure}/release").text
    assert f'<option value="{candidate}" selected>' in dialog
    assert 'id="fields-party"' in dialog and 'id="fields-user"' in dialog
    assert 'name="override_reason"' not in dialog  # the caseworker cannot override
    assert (
        'name="override_reason"'
        in site.browser("admin").get(f"/records/{world.disclosure}/release").text
    )


def _upload(site: Site, role: str, name: str, header: list[str], rows: list[list[str]]) -> None:
    browser = site.browser(role)
    answer = browser.client.post(
        "/lists/upload",
        data={"kind": "disclosures", "csrf_token": browser.csrf},
        files={"file": (name, csv_bytes(header, rows).encode(), "text/csv")},
    )
    assert answer.status_code == 303, answer.text


def test_a_recipient_sees_the_record_as_it_is_now_without_its_history(site: Site) -> None:
    header = ["id", "surname", "given_name", "current_location", "institution"]
    _upload(
        site, "liaison_custodial", "with-place.csv", header,
        [["RU-1", "Лысенко", "Александр", "Ростовская обл.", "Детский дом «Солнышко»"]],
    )  # fmt: skip
    # The party corrects its record: the place and the institution are emptied.
    _upload(
        site, "liaison_custodial", "emptied.csv", header,
        [["RU-1", "Лысенко", "Александр", "", ""]],
    )  # fmt: skip
    url = f"/records/{site.world.released}"
    recipient = site.browser("liaison_requesting").get(url)
    assert recipient.status_code == 200
    assert "Солнышко" not in recipient.text and "Ростовская" not in recipient.text
    assert 'id="history-heading"' not in recipient.text
    owner = site.browser("liaison_custodial").get(url)
    assert 'id="history-heading"' in owner.text and "Солнышко" in owner.text


def test_a_recipient_is_told_which_fields_were_left_out(site: Site) -> None:
    with transaction(default_sessions()) as session:
        record = session.get(Record, site.world.released)
        assert record is not None
        record.institution = "Детский дом «Солнышко», ул. Ленина 5"
        record.current_location = "Ростовская обл."
    page = site.browser("liaison_requesting").get(f"/records/{site.world.released}").text
    assert "Ростовская обл." in page  # the region goes with the record
    assert "Солнышко" not in page and 'id="left-out"' in page
    assert "Institution or guardian" in page[page.index('id="left-out"') :]


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("photo.jpg", jpeg_with_secrets(), "image/jpeg"),
        ("photo.png", png_with_secrets(), "image/png"),
    ],
)
def test_a_photo_is_served_without_any_of_its_metadata(
    site: Site, name: str, data: bytes, content_type: str
) -> None:
    assert b"SecretCam" in data and b"Shevchenka" in data
    family = site.browser("family")
    form = {"surname": "Гнатюк", "given_name": "Марта", "sex": "F", "csrf_token": family.csrf}
    filed = family.client.post(
        "/requests/new", data=form, files={"photo": (name, data, "application/octet-stream")}
    )
    assert filed.status_code == 303, filed.text
    with transaction(default_sessions()) as session:
        photo = session.scalar(select(RecordPhoto).order_by(RecordPhoto.id.desc()).limit(1))
        assert photo is not None
        record_id, photo_id = photo.record_id, photo.id
    served = site.browser("caseworker").get(f"/records/{record_id}/photos/{photo_id}")
    assert served.status_code == 200 and served.headers["content-type"] == content_type
    for secret in (b"SecretCam", b"Shevchenka", b"GPS", b"Exif", b"eXIf", b"tEXt", b"xmpmeta"):
        assert secret not in served.content, secret
    with Image.open(io.BytesIO(served.content)) as image:
        assert image.size == Image.open(io.BytesIO(data)).size
        assert not image.getexif()


@pytest.mark.parametrize(
    "data",
    [
        b"not a picture at all, only text",
        jpeg_with_secrets()[:200],
        b"\x89PNG\r\n\x1a\n" + b"0" * 50,
    ],
)
def test_a_file_that_does_not_decode_as_a_picture_is_refused(site: Site, data: bytes) -> None:
    family = site.browser("family")
    form = {"surname": "Гнатюк", "given_name": "Марта", "csrf_token": family.csrf}
    refused = family.client.post(
        "/requests/new", data=form, files={"photo": ("photo.jpg", data, "image/jpeg")}
    )
    assert refused.status_code == 422 and "must be a JPEG or PNG picture" in refused.text
    assert count(RecordPhoto) == 0
