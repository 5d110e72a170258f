"""Pages of lists and records: upload and its report, search, a record, release, family form."""

from __future__ import annotations

import io
import re
from pathlib import Path

import httpx
import pytest
from PIL import Image
from sqlalchemy import select

from reunite.auth.service import create_user
from reunite.db.engine import transaction
from reunite.exchange.models import Batch
from reunite.jobs.models import Job
from reunite.records.models import Record, RecordPhoto
from reunite.sharing.models import Release
from reunite.wiring import default_sessions

from browsing import Browser, Site, audit_actions, count, make_site, text_of
from factories import REQUEST_HEADER, csv_bytes
from world import PASSWORD, confirm_pair


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (3, 2), (10, 20, 30, 128)).save(out, "PNG")
    return out.getvalue()


# A small PNG with a half-transparent colour (a bytes literal of it would hide whether it
# decodes: an earlier one did not).
PNG = _png()


@pytest.fixture
def site(configured: str, tmp_path: Path) -> Site:
    return make_site(tmp_path)


# --- lists ----------------------------------------------------------------------------------


def _upload(browser: Browser, name: str, content: str, **fields: str) -> httpx.Response:
    files = {"file": (name, content.encode(), "text/csv")}
    return browser.post("/lists/upload", fields, files=files)


def test_a_list_with_errors_shows_every_row_problem_and_stores_nothing(site: Site) -> None:
    browser = site.browser("liaison_requesting")
    batches = count(Batch)
    content = csv_bytes(
        REQUEST_HEADER,
        [
            ["UA-10", "Бондар", "Олена", "", "ж", "2013-02-30", "Ізюм", "", ""],
            ["UA-11", "Мельник", "Іван", "", "X", "2012", "Суми", "", ""],
            ["UA-12", "Ткаченко", "Марія", "", "ж", "2015", "Київ", "", ""],
        ],
    )
    answer = _upload(browser, "april.csv", content, kind="requests")
    assert answer.status_code == 422
    assert 'id="problems"' in answer.text
    # File names and columns are marked as data (translate="no"): the text reads as the CLI's.
    assert "april.csv:2: birth_date:" in text_of(answer.text)
    assert "april.csv:3: sex:" in text_of(answer.text)
    assert "nothing was stored" in answer.text
    assert count(Batch) == batches
    assert count(Record, Record.external_id == "UA-12") == 0
    assert audit_actions("liaison_requesting") == ["list.refused"]

    partial = _upload(browser, "april.csv", content, kind="requests", accept_valid="yes")
    assert partial.status_code == 200 and 'id="upload-partial"' in partial.text
    assert "april.csv:2: birth_date:" in text_of(partial.text)
    assert count(Record, Record.external_id == "UA-12") == 1
    assert count(Record, Record.external_id == "UA-10") == 0
    assert audit_actions("liaison_requesting") == ["list.refused", "list.import"]


def test_a_good_list_is_stored_and_its_receipt_lists_each_row(site: Site) -> None:
    browser = site.browser("liaison_requesting")
    content = csv_bytes(
        REQUEST_HEADER, [["UA-20", "Кравець", "Петро", "", "ч", "2012-05-01", "Суми", "", ""]]
    )
    answer = _upload(browser, "may.csv", content, kind="requests")
    assert answer.status_code == 303
    receipt = browser.get(answer.headers["location"])
    assert receipt.status_code == 200
    assert "may.csv" in receipt.text and 'id="rows-added">1<' in receipt.text
    assert ">UA-20</a>" in receipt.text
    # The same file again changes nothing and says so.
    again = _upload(browser, "may.csv", content, kind="requests")
    assert again.status_code == 303 and again.headers["location"].endswith("?repeat=1")
    lists = browser.get("/lists")
    assert "may.csv" in lists.text and "disclosures.csv" not in lists.text
    # Staff see every party's lists and name the party; its list kind must fit.
    staff = site.browser("caseworker")
    assert "disclosures.csv" in staff.get("/lists").text
    wrong = _upload(staff, "x.csv", content, kind="requests", party="Russian Federation")
    assert wrong.status_code == 422 and "it sends disclosed records" in wrong.text
    unnamed = _upload(staff, "x.csv", content, kind="requests")
    assert unnamed.status_code == 422 and "Choose the party" in unnamed.text


def test_a_liaison_cannot_upload_for_the_other_party(site: Site) -> None:
    browser = site.browser("liaison_custodial")
    content = csv_bytes(REQUEST_HEADER, [["X-1", "Коваль", "Анна", "", "ж", "2015", "", "", ""]])
    answer = _upload(browser, "x.csv", content, kind="disclosures", party="Ukraine")
    assert answer.status_code == 422 and "its own party" in answer.text
    assert count(Record, Record.external_id == "X-1") == 0


# --- records --------------------------------------------------------------------------------


def test_the_records_list_searches_names_in_any_script_and_filters(site: Site) -> None:
    browser = site.browser("caseworker")
    everything = browser.get("/records")
    assert everything.status_code == 200
    assert "Лисенко Олександр" in everything.text and "Смирнов Дмитрий" in everything.text
    for query in ("Lysenko", "Лысенко", "Oleksandr Lysenko"):
        found = browser.get("/records", params={"q": query})
        assert "Лисенко Олександр" in found.text, query
        assert "Smirnov" not in found.text and "Смирнов" not in found.text, query
    only_disclosures = browser.get("/records", params={"q": "Lysenko", "kind": "disclosures"})
    assert "Лысенко Александр" in only_disclosures.text
    assert "Лисенко Олександр" not in only_disclosures.text
    by_party = browser.get("/records", params={"party": str(site.world.requesting.id)})
    assert "Лисенко" in by_party.text and "Смирнов" not in by_party.text
    nothing = browser.get("/records", params={"q": "Zzyzx"})
    assert 'id="no-records"' in nothing.text
    actions = audit_actions("caseworker")
    assert "records.list" in actions and "records.search" in actions


def test_live_search_answers_htmx_with_the_results_fragment_only(site: Site) -> None:
    browser = site.browser("caseworker")
    fragment = browser.get(
        "/records",
        params={"q": "Лисенко"},
        headers={"HX-Request": "true", "HX-Target": "results"},
    )
    assert fragment.status_code == 200
    assert "<html" not in fragment.text and "Лисенко" in fragment.text
    page = browser.get("/records")
    assert 'hx-get="/records"' in page.text and 'hx-target="#results"' in page.text


def test_a_liaison_lists_its_own_and_released_records_only(site: Site) -> None:
    page = site.browser("liaison_requesting").get("/records")
    assert "Лисенко" in page.text and "Лысенко" in page.text  # own, and released to it
    assert "Смирнов" not in page.text and "Коваль" not in page.text
    search = site.browser("liaison_requesting").get("/records", params={"q": "Smirnov"})
    assert "Смирнов" not in search.text


def test_a_record_shows_names_in_both_scripts_history_and_is_audited(site: Site) -> None:
    browser = site.browser("caseworker")
    page = browser.get(f"/records/{site.world.request}")
    assert page.status_code == 200
    assert "Лисенко Олександр Миколайович" in page.text
    assert "(Lysenko Oleksandr Mykolaiovych)" in page.text
    assert "Version 1" in page.text and "/lists/" in page.text
    assert f'href="/review/{site.candidate_id}"' in page.text
    disclosed = browser.get(f"/records/{site.world.released}")
    assert "(Lysenko Aleksandr Nikolaevich)" in disclosed.text
    assert "verify the identity" in disclosed.text  # its release, for staff
    assert audit_actions("caseworker").count("record.read") == 2
    # A liaison sees the released record but not to whom else it went, nor candidates.
    liaison = site.browser("liaison_requesting").get(f"/records/{site.world.released}")
    assert liaison.status_code == 200
    assert "verify the identity" not in liaison.text and "/review/" not in liaison.text


# --- release --------------------------------------------------------------------------------


def test_the_release_dialog_releases_a_record_with_its_purpose(site: Site) -> None:
    world = site.world
    browser = site.browser("caseworker")
    dialog = browser.get(f"/records/{world.disclosure}/release", headers={"HX-Request": "true"})
    assert dialog.status_code == 200
    assert "<html" not in dialog.text and 'name="purpose"' in dialog.text
    assert f'value="party:{world.requesting.id}"' in dialog.text
    assert f'value="party:{world.custodial.id}"' not in dialog.text  # its own party
    assert f'value="user:{world.users["family"].id}"' in dialog.text
    page = browser.get(f"/records/{world.disclosure}/release")
    assert "<html" in page.text  # without HTMX, a whole page

    url = f"/records/{world.disclosure}/release"
    no_purpose = browser.post(url, {"to": f"party:{world.requesting.id}", "purpose": " "})
    assert no_purpose.status_code == 422 and "needs a purpose" in no_purpose.text
    no_one = browser.post(url, {"purpose": "tracing"})
    assert no_one.status_code == 422 and "Choose who receives" in no_one.text
    assert count(Release, Release.record_id == world.disclosure) == 0
    assert site.browser("liaison_requesting").get(f"/records/{world.disclosure}").status_code == 404

    done = browser.post(
        url,
        {"to": f"party:{world.requesting.id}", "purpose": "brother of UA-1", "case_ref": "UA-1"},
    )
    assert done.status_code == 303 and done.headers["location"].endswith("?released=1")
    assert count(Release, Release.record_id == world.disclosure) == 1
    assert site.browser("liaison_requesting").get(f"/records/{world.disclosure}").status_code == 200
    assert "brother of UA-1" in site.browser("auditor").get("/sharing").text
    to_family = {"to": f"user:{world.users['family'].id}", "purpose": "news for the family"}
    # Not before people confirmed that this is the child the family asked for.
    refused = browser.post(url, to_family, headers={"HX-Request": "true"})
    assert refused.status_code == 409 and "filed no request that people confirmed" in refused.text
    assert site.browser("family").get(f"/records/{world.disclosure}").status_code == 404
    with transaction(default_sessions()) as session:
        confirm_pair(session, world, request=world.request, disclosed=world.disclosure)
    by_htmx = browser.post(url, to_family, headers={"HX-Request": "true"})
    assert by_htmx.headers["hx-redirect"].startswith(f"/records/{world.disclosure}")
    assert site.browser("family").get(f"/records/{world.disclosure}").status_code == 200


def test_a_withheld_record_says_why_it_cannot_be_released(site: Site) -> None:
    browser = site.browser("admin")
    url = f"/records/{site.world.withheld}/release"
    dialog = browser.get(url, headers={"HX-Request": "true"})
    assert 'id="release-withheld"' in dialog.text and 'name="purpose"' not in dialog.text
    refused = browser.post(url, {"to": f"party:{site.world.requesting.id}", "purpose": "x"})
    assert refused.status_code == 409 and 'id="release-withheld"' in refused.text
    assert count(Release, Release.record_id == site.world.withheld) == 0


def test_only_staff_release(site: Site) -> None:
    for role in ("liaison_custodial", "family", "auditor"):
        browser = site.browser(role)
        answer = browser.post(
            f"/records/{site.world.released}/release",
            {"to": f"party:{site.world.requesting.id}", "purpose": "x"},
        )
        assert answer.status_code == 404, role


# --- the family's request form --------------------------------------------------------------


def _form(**values: str) -> dict[str, str]:
    return {
        "surname": "Шевчук",
        "given_name": "Дмитро",
        "sex": "M",
        "birth_date": "03.2011",
        "birth_place": "Херсон",
        "last_known_place": "Олешки",
        "separation_date": "11.2022",
        "separation_circumstances": "taken with the school group",
        "mother_name": "Шевчук Ірина",
        "distinguishing_marks": "scar on the left hand",
        "contact": "Ірина, +380 50 000 0000",
        **values,
    }


def test_the_family_form_files_a_request_its_filer_alone_follows(site: Site) -> None:
    browser = site.browser("family")
    form = browser.get("/requests/new")
    assert form.status_code == 200 and 'enctype="multipart/form-data"' in form.text
    jobs_before = count(Job)
    answer = browser.post("/requests/new", _form(), files={"photo": ("me.png", PNG, "image/png")})
    assert answer.status_code == 303 and answer.headers["location"] == "/my-requests?filed=1"
    with transaction(default_sessions()) as session:
        record = session.scalar(select(Record).where(Record.surname == "Шевчук"))
        assert record is not None
        assert record.filed_by_user_id == site.world.users["family"].id
        assert record.party_id == site.world.requesting.id and record.kind == "requests"
        assert (record.birth_date, record.separation_date) == ("2011-03", "2022-11")
        photo = session.scalar(select(RecordPhoto).where(RecordPhoto.record_id == record.id))
        assert photo is not None and photo.content_type == "image/png"
        job = session.scalar(select(Job).where(Job.status == "queued").order_by(Job.id.desc()))
        assert job is not None and job.kind == "match"
        # It joins the run already waiting, or waits as a run for this request alone.
        named = job.payload.get("request_ids")
        assert named is None or str(record.id) in named
        record_id, photo_id = record.id, photo.id
    assert count(Job) in (jobs_before, jobs_before + 1)
    mine = browser.get("/my-requests")
    assert "Шевчук Дмитро" in mine.text and "(Shevchuk Dmytro)" in mine.text
    assert "status-filed" in mine.text
    assert "request.filed" in audit_actions("family")
    own = browser.get(f"/records/{record_id}")
    assert own.status_code == 200 and f"/photos/{photo_id}" in own.text
    image = browser.get(f"/records/{record_id}/photos/{photo_id}")
    assert image.status_code == 200
    with Image.open(io.BytesIO(image.content)) as served:  # re-encoded: the same pixels
        assert served.size == (3, 2) and served.getpixel((0, 0)) == (10, 20, 30, 128)
    assert image.headers["content-type"] == "image/png"
    # Nobody else of the family's kind sees it; the mediator does.
    with transaction(default_sessions()) as session:
        create_user(
            session, username="cousin", password=PASSWORD, role="family", party_name="Ukraine"
        )
    cousin = site.browser("cousin")
    assert cousin.get(f"/records/{record_id}").status_code == 404
    assert cousin.get(f"/records/{record_id}/photos/{photo_id}").status_code == 404
    assert "Шевчук" not in cousin.get("/my-requests").text
    assert site.browser("adult").get(f"/records/{record_id}").status_code == 404
    assert site.browser("caseworker").get(f"/records/{record_id}").status_code == 200


def test_an_adult_files_into_the_requesting_party(site: Site) -> None:
    browser = site.browser("adult")
    answer = browser.post("/requests/new", _form(surname="Бойко", given_name="Ольга", sex="F"))
    assert answer.status_code == 303
    with transaction(default_sessions()) as session:
        record = session.scalar(select(Record).where(Record.surname == "Бойко"))
        assert record is not None and record.party_id == site.world.requesting.id
    assert "Бойко Ольга" in browser.get("/my-requests").text


def test_mistakes_show_the_form_again_with_a_message_per_field(site: Site) -> None:
    browser = site.browser("family")
    records = count(Record)
    answer = browser.post(
        "/requests/new",
        _form(surname="", given_name="", birth_date="31.02.2014", separation_date="2099"),
        files={"photo": ("notes.png", b"%PDF-1.7 not a picture", "image/png")},
    )
    assert answer.status_code == 422
    text = answer.text
    assert 'id="form-errors"' in text
    assert 'id="surname-error"' in text and "Give at least the child" in text
    assert 'id="birth_date-error"' in text and "This date does not exist" in text
    assert 'id="separation_date-error"' in text and "in the future" in text
    assert 'id="photo-error"' in text and "JPEG or PNG" in text
    assert 'aria-invalid="true"' in text
    # What was typed stays.
    assert 'value="31.02.2014"' in text and "taken with the school group" in text
    assert count(Record) == records
    assert count(Batch, Batch.filename.like("request-%")) == 0

    too_big = browser.post(
        "/requests/new",
        _form(),
        files={"photo": ("big.jpg", b"\xff\xd8\xff" + bytes(5 * 1024 * 1024), "image/jpeg")},
    )
    assert too_big.status_code == 422 and "larger than 5 MB" in too_big.text
    assert count(Record) == records


def test_the_form_speaks_the_language_of_the_family(site: Site) -> None:
    browser = site.browser("family")
    browser.client.cookies.set("reunite_lang", "uk")
    form = browser.get("/requests/new")
    assert '<html lang="uk">' in form.text
    assert "Подати запит на розшук" in form.text
    wrong = browser.post("/requests/new", _form(birth_date="31.02.2014"))
    assert "Такої дати не існує" in wrong.text
    browser.client.cookies.set("reunite_lang", "ru")
    assert "Подать запрос на розыск" in browser.get("/requests/new").text


def test_photos_and_records_stay_invisible_to_the_wrong_people(site: Site) -> None:
    with transaction(default_sessions()) as session:
        photo = RecordPhoto(record_id=site.world.disclosure, content_type="image/png", data=PNG)
        session.add(photo)
        session.flush()
        photo_id = photo.id
    url = f"/records/{site.world.disclosure}/photos/{photo_id}"
    assert site.browser("caseworker").get(url).status_code == 200
    assert site.browser("liaison_requesting").get(url).status_code == 404
    assert (
        site.browser("caseworker")
        .get(f"/records/{site.world.request}/photos/{photo_id}")
        .status_code
        == 404
    )
    assert re.search(
        r"/photos/\d+",
        site.browser("liaison_custodial").get(f"/records/{site.world.disclosure}").text,
    )
