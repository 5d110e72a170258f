"""The channel's pages and API, as people and party systems use them (SQLite and PostgreSQL)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from integration.cases.conftest import Ways
from integration.web.test_pages_translated import interface_words, untranslated
from reunite.auth.service import create_token, create_user, principal_of
from reunite.channel.models import ChannelMessage
from reunite.db.engine import transaction
from reunite.flows.review import decide_pair
from reunite.web.deps import LANGUAGE_COOKIE
from reunite.wiring import default_sessions

from browsing import Site, make_site, text_of
from hostile import jpeg_with_secrets
from world import PASSWORD

LOVE = "Сонечко, ми тебе любимо і чекаємо вдома!"


@pytest.fixture
def site(configured: str, tmp_path: Path) -> Site:
    return make_site(tmp_path)


def _case(site: Site, *, verified: bool = True) -> int:
    """Confirm the site's proposed pair (the world's request and RU-1), verified or not."""
    with transaction(default_sessions()) as session:
        second = create_user(session, username="caseworker2", password=PASSWORD, role="caseworker")
        site.world.principals["caseworker2"] = principal_of(session, second)
        ways = Ways(session, site.world, site.folder)
        decide_pair(
            session, principal=ways.who("caseworker"), candidate_id=site.candidate_id,
            decision="confirmed", reason="photo and parents agree",
        )  # fmt: skip
        case = ways.case_of(site.world.request)
        if verified:
            ways.verify(case)
        return case.id


def _messages() -> list[ChannelMessage]:
    with transaction(default_sessions()) as session:
        return list(session.scalars(select(ChannelMessage).order_by(ChannelMessage.id)))


def _token(name: str) -> dict[str, str]:
    with transaction(default_sessions()) as session:
        return {"Authorization": f"Bearer {create_token(session, username=name)[0]}"}


def test_a_message_goes_from_the_family_through_the_mediator_to_the_child_and_back(
    site: Site,
) -> None:
    case = _case(site)
    family = site.browser("family")
    page = family.get(f"/cases/{case}/messages")
    assert page.status_code == 200 and 'id="write-form"' in page.text
    sent = family.post(
        f"/cases/{case}/messages",
        {"sender_name": "Мама", "recipient_name": "Оля", "text": LOVE + " Дзвони +380671234567"},
    )
    assert sent.status_code == 303, sent.text
    (message,) = _messages()
    assert message.state == "submitted"
    # The caseworker is told, and sees the phone number highlighted.
    caseworker = site.browser("caseworker")
    home = caseworker.get("/").text
    assert 'id="unread-count"' in home
    queue = caseworker.get("/messages/moderation").text
    assert 'data-kind="phone"' in queue and "+380671234567</mark>" in queue
    returned = caseworker.post(
        f"/messages/{message.id}/return",
        {"reason": "no phone numbers, please", "back": "moderation"},
    )
    assert returned.status_code == 303 and returned.headers["location"] == "/messages/moderation"
    mine = text_of(family.get(f"/cases/{case}/messages").text)
    assert "Returned because: no phone numbers, please" in mine
    # Written again without the number, approved, delivered by the custodial liaison.
    family.post(
        f"/cases/{case}/messages", {"sender_name": "Мама", "recipient_name": "Оля", "text": LOVE}
    )
    second = _messages()[-1]
    assert (
        caseworker.post(f"/messages/{second.id}/approve", {"back": "moderation"}).status_code == 303
    )
    liaison = site.browser("liaison_custodial")
    deliveries = liaison.get("/messages/deliveries").text
    assert f'id="deliver-{second.id}"' in deliveries and "Мама" in deliveries
    assert (
        liaison.post(f"/messages/{second.id}/delivery", {"back": "deliveries"}).headers["location"]
        == "/messages/deliveries"
    )
    family_page = family.get(f"/cases/{case}/messages").text
    assert "state-delivered" in family_page.split(f'id="message-{second.id}"')[1][:400]
    # The child's reply, entered by the liaison, reaches the family in the app.
    liaison.post(
        f"/cases/{case}/messages",
        {"sender_name": "Оля", "recipient_name": "Мама", "text": "Мамо, я здорова!"},
    )
    reply = _messages()[-1]
    assert reply.direction == "to_family"
    caseworker.post(f"/messages/{reply.id}/approve")
    assert "Мамо, я здорова!" in family.get(f"/cases/{case}/messages").text
    assert _messages()[-1].state == "read"


def test_a_refused_message_keeps_what_was_typed_and_stores_nothing(site: Site) -> None:
    case = _case(site)
    family = site.browser("family")
    long_text = " ".join(["слово"] * 30)
    answer = family.post(
        f"/cases/{case}/messages",
        {"sender_name": "Мама", "recipient_name": "Оля", "text": long_text},
    )
    assert answer.status_code == 422
    assert 'id="message-error"' in answer.text and long_text in answer.text
    assert "30 words" in text_of(answer.text)
    assert _messages() == []
    with_picture = family.post(
        f"/cases/{case}/messages",
        {"sender_name": "Мама", "recipient_name": "Оля", "text": LOVE},
        files={"photo": ("photo.jpg", b"%PDF-1.4 not a picture", "image/jpeg")},
    )
    assert with_picture.status_code == 422 and _messages() == []


def test_before_verification_the_page_says_why_nobody_can_write(site: Site) -> None:
    case = _case(site, verified=False)
    family = site.browser("family")
    page = family.get(f"/cases/{case}/messages").text
    assert 'id="channel-closed"' in page and 'id="write-form"' not in page
    refused = family.post(
        f"/cases/{case}/messages", {"sender_name": "Мама", "recipient_name": "Оля", "text": LOVE}
    )
    assert refused.status_code == 409 and "verified" in text_of(refused.text)


@pytest.mark.parametrize(
    ("user", "url"),
    [
        ("auditor", "/cases/{case}/messages"),
        ("adult", "/cases/{case}/messages"),
        ("family", "/messages/moderation"),
        ("liaison_custodial", "/messages/moderation"),
        ("caseworker", "/messages/deliveries"),
        ("family", "/messages/deliveries"),
    ],
)
def test_pages_a_role_may_not_use_do_not_exist_for_it(site: Site, user: str, url: str) -> None:
    case = _case(site)
    assert site.browser(user).get(url.format(case=case)).status_code == 404


def test_the_api_writes_reads_and_refuses_with_codes(site: Site) -> None:
    case = _case(site, verified=False)
    family = _token("family")
    client = site.browser().client
    closed = client.post(f"/api/v1/cases/{case}/messages", data={"text": LOVE}, headers=family)
    assert closed.status_code == 409 and closed.json()["code"] == "channel_closed"
    with transaction(default_sessions()) as session:
        ways = Ways(session, site.world, site.folder)
        ways.world.principals["caseworker2"] = ways.who("admin")
        ways.verify(ways.case_of(site.world.request))
    wordy = client.post(
        f"/api/v1/cases/{case}/messages", data={"text": "так " * 26}, headers=family
    )
    assert wordy.status_code == 422 and wordy.json()["code"] == "too_many_words"
    created = client.post(
        f"/api/v1/cases/{case}/messages",
        data={"text": LOVE},
        files={"photo": ("me.jpg", jpeg_with_secrets(), "image/jpeg")},
        headers=family,
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["state"] == "submitted" and body["has_photo"] and body["findings"] == []
    number = body["id"]
    staff = _token("caseworker")
    seen = client.get(f"/api/v1/messages/{number}", headers=staff).json()
    assert seen["text"] == LOVE
    photo = client.get(f"/api/v1/messages/{number}/photo", headers=staff)
    assert photo.status_code == 200 and photo.headers["content-type"] == "image/jpeg"
    for secret in (b"SecretCam", b"GPS", b"Exif", b"Shevchenka", b"xmpmeta"):
        assert secret not in photo.content
    with Image.open(io.BytesIO(photo.content)) as image:
        assert not image.getexif()
    for stranger in ("liaison_requesting", "adult", "auditor", "liaison_custodial"):
        token = _token(stranger)
        assert client.get(f"/api/v1/messages/{number}", headers=token).status_code == 404
        assert client.get(f"/api/v1/messages/{number}/photo", headers=token).status_code == 404
    assert client.get(f"/api/v1/messages/{number + 99}", headers=family).status_code == 404
    approved = client.post(f"/api/v1/messages/{number}/approve", headers=staff)
    assert approved.status_code == 200 and approved.json()["state"] == "approved"
    # Now the custodial liaison delivers it, through its system.
    custodial = _token("liaison_custodial")
    delivered = client.post(
        f"/api/v1/messages/{number}/delivery", json={"read": True}, headers=custodial
    )
    assert delivered.status_code == 200 and delivered.json()["state"] == "read"
    with transaction(default_sessions()) as session:
        assert session.scalar(select(func.count()).select_from(ChannelMessage)) == 1


def test_the_notification_leads_to_its_page_and_is_then_read(site: Site) -> None:
    case = _case(site)
    family = site.browser("family")
    family.post(
        f"/cases/{case}/messages", {"sender_name": "Мама", "recipient_name": "Оля", "text": LOVE}
    )
    caseworker = site.browser("caseworker")
    listing = caseworker.get("/notifications").text
    assert "a message waits for moderation" in text_of(listing)
    found = re.search(r'action="/notifications/(\d+)/open"', listing)
    assert found is not None
    number = int(found.group(1))
    opened = caseworker.post(f"/notifications/{number}/open")
    assert opened.status_code == 303 and opened.headers["location"] == "/messages/moderation"
    assert 'id="unread-count"' not in caseworker.get("/").text
    # Someone else's notification does not exist for them.
    assert family.post(f"/notifications/{number}/open").status_code == 404


@pytest.mark.parametrize("language", ["uk", "ru"])
def test_the_channel_pages_are_in_the_readers_language(site: Site, language: str) -> None:
    case = _case(site)
    family = site.browser("family")
    family.post(
        f"/cases/{case}/messages",
        {"sender_name": "Мама", "recipient_name": "Оля", "text": LOVE + " вул. Миру 3"},
    )
    family.post(f"/cases/{case}/calls", {"note": "після школи"})
    words = interface_words()
    failures = []
    for user, url in (
        ("family", f"/cases/{case}/messages"),
        ("caseworker", f"/cases/{case}/messages"),
        ("caseworker", "/messages/moderation"),
        ("caseworker", "/notifications"),
        ("liaison_custodial", f"/cases/{case}/messages"),
    ):
        browser = site.browser(user)
        browser.client.cookies.set(LANGUAGE_COOKIE, language)
        failures += [
            f"{user} {url}: {piece}" for piece in untranslated(browser.get(url).text, words)
        ]
    assert failures == [], "\n".join(failures)
