"""Likely duplicates through every door: upload page, API, command line, family form, pages."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from reunite.app import create_app
from reunite.auth.service import create_token
from reunite.cli import app as cli
from reunite.db.engine import transaction
from reunite.records import duplicate_pages, duplicates
from reunite.records.models import Record, RecordLink
from reunite.wiring import default_sessions

from browsing import Browser, Site, audit_actions, count, make_site
from factories import REQUEST_HEADER, csv_bytes

# The world's request UA-1 (Лисенко Олександр Миколайович, 12.03.2014) sent again: his
# father's name agrees with his patronymic.
AGAIN = ["UA-9", "Lysenko", "Oleksandr", "", "M", "2014-03-12", "Mariupol", "", "Mykola Lysenko"]


@pytest.fixture
def site(configured: str, tmp_path: Path) -> Site:
    return make_site(tmp_path)


def _record_id(external_id: str) -> uuid.UUID:
    with transaction(default_sessions()) as session:
        found = session.scalar(select(Record.id).where(Record.external_id == external_id))
    assert found is not None
    return found


def _upload(browser: Browser, rows: list[list[str]]) -> httpx.Response:
    files = {"file": ("again.csv", csv_bytes(REQUEST_HEADER, rows).encode(), "text/csv")}
    return browser.post("/lists/upload", {"kind": "requests"}, files=files)


def _uploaded(site: Site) -> tuple[uuid.UUID, uuid.UUID]:
    answer = _upload(site.browser("liaison_requesting"), [AGAIN])
    assert answer.status_code == 303
    return site.world.request, _record_id("UA-9")


def test_the_upload_receipt_counts_the_flags(site: Site) -> None:
    browser = site.browser("liaison_requesting")
    answer = _upload(browser, [AGAIN])
    assert answer.status_code == 303
    receipt = browser.get(answer.headers["location"])
    assert 'id="rows-duplicates">1<' in receipt.text
    assert "Likely duplicates flagged" in receipt.text
    # A list without any shows none.
    clean = _upload(browser, [["UA-30", "Гончар", "Іван", "", "ч", "2012-05-01", "", "", ""]])
    assert 'id="rows-duplicates">0<' in browser.get(clean.headers["location"]).text


def test_the_api_reports_the_flags_of_a_list(site: Site) -> None:
    with transaction(default_sessions()) as session:
        token, _ = create_token(session, username="liaison_requesting")
    client = TestClient(create_app())
    answer = client.post(
        "/api/v1/lists",
        headers={"Authorization": f"Bearer {token}"},
        files={"file": ("again.csv", csv_bytes(REQUEST_HEADER, [AGAIN]).encode(), "text/csv")},
        data={"kind": "requests"},
    )
    assert answer.status_code == 201, answer.text
    assert answer.json()["duplicates"] == 1


def test_the_command_line_prints_the_flags(site: Site) -> None:
    path = site.folder / "again.csv"
    path.write_text(csv_bytes(REQUEST_HEADER, [AGAIN]), encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["import", str(path), "--party", "Ukraine", "--kind", "requests"]
    )
    assert result.exit_code == 0, result.output
    assert "1 likely duplicate requests flagged" in result.output


def test_a_family_filing_the_same_child_again_is_flagged(site: Site) -> None:
    browser = site.browser("family")
    form = {
        "surname": "Лисенко",
        "given_name": "Олександр",
        "sex": "M",
        "birth_date": "12.03.2014",
        "father_name": "Лисенко Микола",
    }
    answer = browser.post("/requests/new", form)
    assert answer.status_code == 303, answer.text
    assert count(RecordLink, RecordLink.status == "suspected") == 1


def test_the_record_page_names_the_likely_duplicates_to_staff_and_the_partys_liaison(
    site: Site,
) -> None:
    first, second = _uploaded(site)
    liaison = site.browser("liaison_requesting").get(f"/records/{first}")
    assert "likely the same child as" in liaison.text
    assert f'href="/records/{second}"' in liaison.text and "UA-9" in liaison.text
    assert 'name="decision"' not in liaison.text  # deciding is the mediator's
    family = site.browser("family").get(f"/records/{first}")
    assert family.status_code == 200 and "likely the same child" not in family.text
    staff = site.browser("caseworker").get(f"/records/{second}")
    assert f'href="/records/{first}"' in staff.text and 'name="decision"' in staff.text
    assert "date of birth" in staff.text  # what agreed


def test_a_caseworker_links_the_two_requests_and_undoes_it(site: Site) -> None:
    first, second = _uploaded(site)
    browser = site.browser("caseworker")
    url = f"/records/{first}/duplicates"
    form = {"other": str(second), "decision": "link", "reason": ""}
    refused = browser.post(url, form)
    assert refused.status_code == 422
    assert "needs a reason" in refused.text and 'name="decision"' in refused.text
    assert browser.post(url, form | {"reason": "x"}, token=False).status_code == 403
    linked = browser.post(url, form | {"reason": "same birth certificate number"})
    assert linked.status_code == 303 and linked.headers["location"] == f"/records/{first}"
    page = browser.get(f"/records/{first}").text
    assert 'id="linked-group"' in page
    group = page.split('id="linked-group"', 1)[1].split("</section>", 1)[0]
    assert f'href="/records/{second}"' in group
    assert "same birth certificate number" in page and "caseworker" in page
    # The party's liaison sees the group too, but not the caseworker's notes.
    liaison = site.browser("liaison_requesting").get(f"/records/{second}").text
    assert 'id="linked-group"' in liaison and "same birth certificate number" not in liaison

    undone = browser.post(
        url, {"other": str(second), "decision": "unlink", "reason": "two boys after all"}
    )
    assert undone.status_code == 303
    assert 'id="linked-group"' not in browser.get(f"/records/{first}").text
    assert "duplicate.unlink" in audit_actions("caseworker")
    assert audit_actions("caseworker").count("duplicate.link") == 1


def test_the_staff_list_of_likely_duplicates_pages_and_filters(site: Site) -> None:
    first, second = _uploaded(site)
    browser = site.browser("caseworker")
    records = browser.get("/records")
    assert 'href="/duplicates"' in records.text
    listed = browser.get("/duplicates")
    assert listed.status_code == 200
    assert f'href="/records/{first}"' in listed.text and f'href="/records/{second}"' in listed.text
    assert re.search(r'id="duplicates-count">\s*1\b', listed.text)
    other_party = browser.get("/duplicates", params={"party": str(site.world.custodial.id)})
    assert f'href="/records/{first}"' not in other_party.text
    linked_only = browser.get("/duplicates", params={"status": "linked"})
    assert f'href="/records/{first}"' not in linked_only.text
    everything = browser.get("/duplicates", params={"status": "all"})
    assert f'href="/records/{first}"' in everything.text
    assert site.browser("liaison_requesting").get("/duplicates").status_code == 404
    assert 'href="/duplicates"' not in site.browser("liaison_requesting").get("/records").text


def test_every_message_of_the_duplicates_service_is_marked_for_translation() -> None:
    assert set(duplicates.MESSAGES) == set(duplicate_pages.MESSAGES)
