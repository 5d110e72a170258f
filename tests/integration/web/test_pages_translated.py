"""Every page, in Ukrainian and in Russian, shows no English sentence.

The catalogue test (test_pages_i18n.py) checks the messages it can find in the code; this
one reads what people read: each page every role can open, and the answers to forms sent
with mistakes, rendered in uk and ru. Data people typed or sent (names, purposes, reasons, a
file's own column names) is marked `translate="no"` in the templates, as HTML means it; any
other text with an English word of the interface in it is an untranslated message.
"""

from __future__ import annotations

import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from sqlalchemy import select

from reunite.db.engine import transaction
from reunite.inquiries.models import InquiryItem
from reunite.inquiries.service import ItemDraft, answer_item, create_inquiry
from reunite.jobs.service import set_progress
from reunite.sharing.service import release_record, revoke_release
from reunite.vocabulary import N_, say
from reunite.web.deps import LANGUAGE_COOKIE
from reunite.web.i18n import catalogue, translate
from reunite.wiring import default_sessions

from browsing import Browser, Site, make_site
from factories import csv_bytes
from world import confirm_pair

PAGES: dict[str, list[str]] = {
    "admin": [
        "/", "/lists", "/lists/upload", "/records", "/review", "/review?status=confirmed",
        "/review?status=related", "/review?band=sure", "/review?age=99", "/review?sex=X",
        "/sharing", "/audit", "/admin/accounts", "/admin/accounts/1", "/account/password",
    ],
    "caseworker": [
        "/", "/lists", "/records", "/review", "/sharing", "/messages/moderation",
        "/notifications", "/dashboard",
    ],
    "liaison_requesting": ["/", "/lists", "/lists/upload", "/records", "/messages/deliveries"],
    "liaison_custodial": ["/", "/lists", "/lists/upload", "/records", "/notifications"],
    "family": ["/", "/my-requests", "/requests/new", "/records", "/messages", "/notifications"],
    "adult": ["/", "/my-requests", "/requests/new", "/records", "/messages"],
    "auditor": ["/", "/audit", "/sharing"],
    "": ["/", "/login", "/no-such-page", "/statistics"],
}  # fmt: skip
# Words that are the same in every language of the pages, or are names of formats.
SAME_EVERYWHERE = frozenset(
    "reunite csv xlsx json pdf jpeg png api id utc gc iv art sha htmx http https hxl".split()
)
WORD = re.compile(r"[A-Za-z]{2,}")


def interface_words() -> frozenset[str]:
    """The English words of the interface: every word of every message id.

    Words a translation keeps as they are (example names: «Oleksandr Lysenko») are left out.
    """
    words: set[str] = set()
    kept: set[str] = set()
    for language in ("uk", "ru"):
        for msgid, translation in catalogue(language).items():
            words.update(w.lower() for w in WORD.findall(re.sub(r"\{[^}]*\}", " ", msgid)))
            kept.update(w.lower() for w in WORD.findall(re.sub(r"\{[^}]*\}", " ", translation)))
    return frozenset(words - kept - SAME_EVERYWHERE)


class _Text(HTMLParser):
    """The text of a page a person reads, but data marked translate="no" and code."""

    SKIPPED = frozenset({"script", "style", "code"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = []
        self.chunks: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("meta", "link", "input", "br", "img", "hr", "source"):
            return
        skipped = tag in self.SKIPPED or dict(attrs).get("translate") == "no"
        self.stack.append(skipped or (bool(self.stack) and self.stack[-1]))

    def handle_endtag(self, tag: str) -> None:
        if tag not in ("meta", "link", "input", "br", "img", "hr", "source") and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if data.strip() and not (self.stack and self.stack[-1]):
            self.chunks.append(" ".join(data.split()))


def untranslated(html: str, words: frozenset[str]) -> list[str]:
    """Return the pieces of a page's text that hold an English word of the interface."""
    reader = _Text()
    reader.feed(html)
    found = []
    for chunk in reader.chunks:
        english = [w for w in WORD.findall(chunk) if w.lower() in words]
        if english:
            found.append(chunk)
    return found


@pytest.fixture
def site(configured: str, tmp_path: Path) -> Site:
    site = make_site(tmp_path)
    world = site.world
    with transaction(default_sessions()) as session:
        candidate = confirm_pair(session, world, request=world.request, disclosed=world.disclosure)
        release = release_record(
            session,
            principal=world.principals["caseworker"],
            record_id=world.disclosure,
            to_user_id=world.users["family"].id,
            purpose="новини для родини",
            candidate_id=candidate,
        )
        revoke_release(
            session,
            principal=world.principals["admin"],
            release_id=release.id,
            reason="помилка",
        )
        inquiry = create_inquiry(
            session,
            principal=world.principals["caseworker"],
            party_id=world.custodial.id,
            subject="Діти з Маріуполя",
            due_on=date.today(),
            items=[ItemDraft(request_id=world.request), ItemDraft(name="Коваль Анна")],
        )
        first = session.scalars(
            select(InquiryItem.id).where(InquiryItem.inquiry_id == inquiry.id)
        ).first()
        assert first is not None
        answer_item(
            session, principal=world.principals["liaison_custodial"], inquiry_id=inquiry.id,
            item_id=first, kind="records", records=["RU-1"], note="так",
        )  # fmt: skip
    set_progress(
        default_sessions(),
        job_id=site.job_id,
        progress=3,
        total=10,
        message=say(N_("compared {count} requests"), count="3"),
    )
    return site


def _in(browser: Browser, language: str) -> Browser:
    browser.client.cookies.set(LANGUAGE_COOKIE, language)
    return browser


@pytest.mark.parametrize("language", ["uk", "ru"])
def test_every_page_of_every_role_is_in_the_readers_language(site: Site, language: str) -> None:
    words = interface_words()
    world = site.world
    failures: list[str] = []
    for role, pages in PAGES.items():
        browser = _in(site.browser(role or None), language)
        urls = list(pages)
        if role in ("admin", "caseworker"):
            urls += [
                f"/records/{world.request}",
                f"/records/{world.disclosure}",
                f"/records/{world.released}/release",
                f"/review/{site.candidate_id}",
                f"/lists/{site.requesting_batch}",
                f"/jobs/{site.job_id}",
            ]
        if role == "liaison_requesting":
            urls += [f"/records/{world.released}", f"/records/{world.disclosure}"]
        if role in ("admin", "auditor"):
            urls += ["/audit/1", "/audit/2"]
        if role in ("admin", "caseworker", "auditor", "liaison_custodial"):
            urls += ["/inquiries", "/inquiries/1"]
        if role in ("admin", "caseworker"):
            urls += ["/inquiries/new"]
        for url in urls:
            page = browser.get(url)
            if url.startswith("/inquiries"):
                assert page.status_code == 200, f"{role} {url}"
            for piece in untranslated(page.text, words):
                failures.append(f"{role or 'visitor'} {url}: {piece}")
    assert failures == [], "\n".join(failures)


@pytest.mark.parametrize("language", ["uk", "ru"])
def test_answers_to_forms_with_mistakes_are_in_the_readers_language(
    site: Site, language: str
) -> None:
    words = interface_words()
    failures: list[str] = []
    liaison = _in(site.browser("liaison_requesting"), language)
    rows = [
        ["UA-7", "Коваль", "Ірина", "ж", "31.02.2015"],
        ["UA-8", "", "", "x", "2015"],
        ["UA-9", "Шевчук", "Петро", "ч", "12.03.2016"],
    ]
    content = csv_bytes(["id", "прізвище", "ім'я", "стать", "дата народження"], rows)
    for accept in ("", "yes"):
        answer = liaison.client.post(
            "/lists/upload",
            data={"csrf_token": liaison.csrf, "accept_valid": accept},
            files={"file": ("квітень.csv", content.encode(), "text/csv")},
        )
        failures += [f"upload {accept}: {p}" for p in untranslated(answer.text, words)]
    family = _in(site.browser("family"), language)
    form = family.post("/requests/new", {"surname": "", "birth_date": "31.02.2015"})
    failures += [f"request form: {p}" for p in untranslated(form.text, words)]
    admin = _in(site.browser("admin"), language)
    wrong = admin.get(f"/review/{site.candidate_id}/decision")  # 405
    failures += [f"405: {p}" for p in untranslated(wrong.text, words)]
    no_reason = admin.post(f"/review/{site.other_candidate_id}/decision", {"decision": "x"})
    failures += [f"decision: {p}" for p in untranslated(no_reason.text, words)]
    release = admin.post(f"/records/{site.world.released}/release", {"to": "", "purpose": ""})
    failures += [f"release: {p}" for p in untranslated(release.text, words)]
    # A refusal that names one of the form's fields names it in the reader's words, not as data.
    too_long = admin.post(
        f"/records/{site.world.released}/release",
        {"to": f"party:{site.world.requesting.id}", "purpose": "x" * 2001},
    )
    error = re.search(r'id="release-error">(.*?)</p>', too_long.text, re.S)
    assert error is not None, too_long.text
    assert translate(language, "purpose") in error.group(1)
    failures += [f"long purpose: {p}" for p in untranslated(too_long.text, words)]
    assert failures == [], "\n".join(failures)


def test_the_check_finds_english_in_a_page() -> None:
    words = frozenset({"upload", "list", "nothing", "stored"})
    page = (
        "<main><h1>Завантажити список</h1><p>Nothing was stored.</p>"
        '<p translate="no">Upload of a list by John</p><code>list.import</code></main>'
    )
    assert untranslated(page, words) == ["Nothing was stored."]
