"""Information requests through the pages: asking, the lists per party, answering, need to know."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from reunite.cases.service import case_of_request
from reunite.db.base import utcnow
from reunite.db.engine import transaction
from reunite.exchange.service import import_list
from reunite.inquiries.models import Inquiry, InquiryItem
from reunite.records.models import Record
from reunite.wiring import default_sessions

from browsing import Site, audit_actions, make_site, text_of
from factories import REQUEST_HEADER, write_csv


@pytest.fixture
def site(configured: str, tmp_path: Path) -> Site:
    made = make_site(tmp_path)
    path = write_csv(
        tmp_path,
        "contact.csv",
        [*REQUEST_HEADER, "contact"],
        [["UA-7", "Мельник", "Софія", "Петрівна", "F", "2016-08", "Маріуполь", "", "",
          "Мельник Олена, +380 67 123 45 67"]],
    )  # fmt: skip
    with transaction(default_sessions()) as session:
        import_list(session, path=path, party=made.world.requesting, kind="requests")
    return made


def _case_ids(site: Site) -> list[int]:
    with transaction(default_sessions()) as session:
        found = []
        for external in ("UA-1", "UA-7"):
            record = session.scalar(select(Record.id).where(Record.external_id == external))
            case = case_of_request(session, request_id=record)
            assert case is not None
            found.append(case.id)
        return found


def _ask(site: Site, **changes: str | list[str]) -> int:
    cases = _case_ids(site)
    form: dict[str, str | list[str]] = {
        "party": str(site.world.custodial.id),
        "subject": "Children evacuated from Mariupol",
        "due_on": (utcnow().date() + timedelta(days=10)).isoformat(),
        "note": "Please tell us where they are.",
        "question": "Is the child in your care?",
        "cases": [str(case) for case in cases],
        "children": "Коваль Анна; 2015-01-02; Her aunt asks.\nПетренко Іван",
    }
    form.update(changes)
    answer = site.browser("caseworker").post("/inquiries/new", form)
    assert answer.status_code == 303, answer.text
    location = answer.headers["location"]
    assert location.startswith("/inquiries/")
    return int(location.split("/")[2].split("?")[0])


def test_staff_ask_a_party_from_cases_and_typed_names(site: Site) -> None:
    caseworker = site.browser("caseworker")
    form = caseworker.get("/inquiries/new")
    assert form.status_code == 200
    assert "Лисенко Олександр Миколайович" in form.text  # the case offered by its child's name
    preselected = caseworker.get(f"/inquiries/new?case={_case_ids(site)[0]}").text
    assert f'<option value="{_case_ids(site)[0]}" selected' in preselected
    inquiry_id = _ask(site)
    page = caseworker.get(f"/inquiries/{inquiry_id}?created=1")
    text = text_of(page.text)
    assert 'id="created-notice"' in page.text
    for name in ("Лисенко Олександр Миколайович", "Мельник Софія Петрівна", "Коваль Анна",
                 "Петренко Іван", "Her aunt asks.", "Is the child in your care?"):  # fmt: skip
        assert name in text
    assert f"/cases/{_case_ids(site)[0]}" in page.text  # staff see where a child came from
    assert "inquiry.created" in audit_actions("caseworker")


def test_a_refused_request_shows_the_form_again_with_its_reason(site: Site) -> None:
    answer = site.browser("caseworker").post(
        "/inquiries/new",
        {"party": str(site.world.custodial.id), "subject": "Mariupol", "due_on": "2001-01-01",
         "children": "Коваль Анна"},
    )  # fmt: skip
    assert answer.status_code == 422
    assert 'id="form-error"' in answer.text and "has passed" in answer.text
    assert 'value="Mariupol"' in answer.text
    nothing = site.browser("caseworker").post(
        "/inquiries/new",
        {"party": str(site.world.custodial.id), "subject": "Mariupol", "due_on": "tomorrow"},
    )
    assert nothing.status_code == 422 and "YYYY-MM-DD" in nothing.text


def test_the_asked_party_reads_only_what_it_needs_and_answers_each_child(site: Site) -> None:
    inquiry_id = _ask(site)
    liaison = site.browser("liaison_custodial")
    listing = liaison.get("/inquiries")
    assert listing.status_code == 200 and f'id="inquiry-{inquiry_id}"' in listing.text
    page = liaison.get(f"/inquiries/{inquiry_id}")
    text = text_of(page.text)
    assert "Мельник Софія Петрівна" in text and "2016-08" in text
    # Not the family's contact details, and no way to the request or the case.
    assert "+380" not in text and "Мельник Олена" not in text
    assert "/cases/" not in page.text and "/records/" not in page.text
    with transaction(default_sessions()) as session:
        items = list(
            session.scalars(
                select(InquiryItem.id)
                .where(InquiryItem.inquiry_id == inquiry_id)
                .order_by(InquiryItem.position)
            )
        )
    assert len(items) == 4
    assert page.text.count('class="stack answer-form"') == 4
    url = f"/inquiries/{inquiry_id}/items/{{}}/answer"
    wrong = liaison.post(url.format(items[0]), {"kind": "records", "records": "UA-1"})
    assert wrong.status_code == 422 and "not among your party" in wrong.text
    assert 'value="UA-1"' in wrong.text  # the answer typed is kept
    done = liaison.post(url.format(items[0]), {"kind": "records", "records": "RU-1, RU-2"})
    assert done.status_code == 303
    again = liaison.post(url.format(items[0]), {"kind": "not_on_record"})
    assert again.status_code == 409 and "answered already" in again.text
    liaison.post(url.format(items[1]), {"kind": "batch", "batch": str(site.custodial_batch)})
    liaison.post(url.format(items[2]), {"kind": "not_on_record", "note": "no such girl"})
    last = liaison.post(url.format(items[3]), {"kind": "not_on_record"})
    assert last.status_code == 303
    with transaction(default_sessions()) as session:
        inquiry = session.get(Inquiry, inquiry_id)
        assert inquiry is not None and inquiry.state == "answered"
    seen = site.browser("caseworker").get(f"/inquiries/{inquiry_id}").text
    assert "RU-1" in seen and "RU-2" in seen and "no such girl" in seen
    assert 'class="stack answer-form"' not in seen
    assert audit_actions("liaison_custodial").count("inquiry.answered") == 4


@pytest.mark.parametrize("who", ["liaison_requesting", "family", "adult"])
def test_others_do_not_see_the_request(site: Site, who: str) -> None:
    inquiry_id = _ask(site)
    browser = site.browser(who)
    assert browser.get(f"/inquiries/{inquiry_id}").status_code == 404
    assert browser.get(f"/inquiries/{inquiry_id + 1000}").status_code == 404
    with transaction(default_sessions()) as session:
        item = session.scalar(select(InquiryItem.id).where(InquiryItem.inquiry_id == inquiry_id))
    answer = browser.post(f"/inquiries/{inquiry_id}/items/{item}/answer", {"kind": "not_on_record"})
    assert answer.status_code == 404
    listing = browser.get("/inquiries")
    if who == "liaison_requesting":
        assert listing.status_code == 200 and f'id="inquiry-{inquiry_id}"' not in listing.text
    else:
        assert listing.status_code == 404


def test_the_list_per_party_flags_overdue_and_gives_the_median_time(site: Site) -> None:
    overdue = _ask(site, subject="Late")
    answered = _ask(site, subject="Answered", children="Петренко Іван", cases=[])
    with transaction(default_sessions()) as session:
        late = session.get(Inquiry, overdue)
        done = session.get(Inquiry, answered)
        assert late is not None and done is not None
        late.due_on = utcnow().date() - timedelta(days=1)
        for item in session.scalars(select(InquiryItem).where(InquiryItem.inquiry_id == done.id)):
            item.answer_kind, item.answered_at = "not_on_record", utcnow()
        done.state, done.created_at = "answered", utcnow() - timedelta(days=3, hours=12)
        done.answered_at = utcnow()
    page = site.browser("admin").get("/inquiries")
    assert page.status_code == 200
    row = page.text.split(f'id="party-{site.world.custodial.id}"')[1].split("</tr>")[0]
    assert ">3.5<" in row.replace(" ", "")  # median time to answer, days
    assert 'class="warning"' in row  # one overdue
    late_row = page.text.split(f'id="inquiry-{overdue}"')[1].split("</tr>")[0]
    assert "overdue-flag" in late_row
    only_late = site.browser("admin").get("/inquiries?state=overdue").text
    assert f'id="inquiry-{overdue}"' in only_late and f'id="inquiry-{answered}"' not in only_late
    never = page.text.split(f'id="party-{site.world.requesting.id}"')[1].split("</tr>")[0]
    assert "none answered yet" in never
    detail = site.browser("liaison_custodial").get(f"/inquiries/{overdue}").text
    assert "overdue-flag" in detail


def test_staff_withdraw_an_open_request_with_a_reason(site: Site) -> None:
    inquiry_id = _ask(site)
    caseworker = site.browser("caseworker")
    refused = caseworker.post(f"/inquiries/{inquiry_id}/withdraw", {"reason": ""})
    assert refused.status_code == 422 and 'id="withdraw-error"' in refused.text
    done = caseworker.post(f"/inquiries/{inquiry_id}/withdraw", {"reason": "found at home"})
    assert done.status_code == 303
    liaison = site.browser("liaison_custodial").get(f"/inquiries/{inquiry_id}").text
    assert 'id="withdrawn-note"' in liaison and "found at home" in liaison
    assert 'class="stack answer-form"' not in liaison
    assert "inquiry.withdrawn" in audit_actions("caseworker")
    assert (
        site.browser("liaison_custodial")
        .post(f"/inquiries/{inquiry_id}/withdraw", {"reason": "no"})
        .status_code
        == 404
    )


def test_the_auditor_reads_requests_without_answering(site: Site) -> None:
    inquiry_id = _ask(site)
    auditor = site.browser("auditor")
    assert auditor.get("/inquiries").status_code == 200
    page = auditor.get(f"/inquiries/{inquiry_id}")
    assert page.status_code == 200 and 'class="stack answer-form"' not in page.text
    assert "/cases/" not in page.text
    assert auditor.get("/inquiries/new").status_code == 404
    assert "inquiry.read" in audit_actions("auditor")


def test_the_homes_count_the_requests_waiting_and_overdue(site: Site) -> None:
    waiting = _ask(site)
    late = _ask(site, children="Петренко Іван", cases=[])
    with transaction(default_sessions()) as session:
        inquiry = session.get(Inquiry, late)
        assert inquiry is not None
        inquiry.due_on = utcnow().date() - timedelta(days=1)
    liaison = site.browser("liaison_custodial").get("/").text
    figure = liaison.split('id="count-inquiries"')[1].split("</dd>")[0]
    assert ">2</a>" in figure and "overdue: 1" in text_of(figure)
    other = site.browser("liaison_requesting").get("/").text
    assert ">0</a>" in other.split('id="count-inquiries"')[1].split("</dd>")[0]
    staff = site.browser("caseworker").get("/").text
    assert 'id="count-inquiries-overdue"' in staff and "overdue: 1" in text_of(staff)
    assert waiting != late
