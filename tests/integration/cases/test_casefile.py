"""The printable case file: what it holds, for whom, in which language; read back from the PDF.

A case is walked home through the services (a confirmed match with the engine's reasons, a
verification signed by three teams, a red-flagged assessment and a panel's determination,
four-eyes approvals, a round and a handover), printed, and the PDF's text is read back with
pypdf, as anyone opening the file would read it.
"""

from __future__ import annotations

import io
import json
import re
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.orm import Session

from integration.cases.conftest import Ways
from reunite.audit.models import AuditEntry
from reunite.auth.service import create_user, principal_of
from reunite.cases import service as cases
from reunite.cases.casefile import print_case
from reunite.cases.enums import ApprovalKind
from reunite.cases.models import Case
from reunite.db.engine import transaction
from reunite.errors import NotFound
from reunite.flows.review import decide_pair
from reunite.parties.service import add_party
from reunite.records.models import Record
from reunite.review.models import MatchCandidate
from reunite.sharing.service import release_record
from reunite.web.deps import LANGUAGE_COOKIE
from reunite.wiring import default_sessions

from browsing import EXPLANATION, Site, make_site
from world import PASSWORD

CONTACT = "Лисенко Ольга Петрівна, +380 50 123 45 67"
INSTITUTION = "Дитячий будинок «Сонечко», Таганрог"
PANEL = ["Олена Коваль", "Bohdan Petrenko", "Claire Smith"]
CHILD = "Лисенко Олександр Миколайович"  # the family's spelling (Ukrainian)
DISCLOSED = "Лысенко Александр Николаевич"  # the custodial party's (Russian)


def text_of_pdf(data: bytes) -> tuple[str, int]:
    """Return a PDF's text as a reader extracts it, lines joined, and its number of pages."""
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    pages = [page.extract_text() or "" for page in reader.pages]
    return " ".join(" ".join(page.split()) for page in pages), len(reader.pages)


def second_caseworker(session: Session, ways: Ways) -> None:
    """Give the world its second caseworker (four eyes), if it has none yet."""
    if "caseworker2" in ways.world.principals:
        return
    user = create_user(session, username="caseworker2", password=PASSWORD, role="caseworker")
    ways.world.users["caseworker2"] = user
    ways.world.principals["caseworker2"] = principal_of(session, user)


def walk_home(ways: Ways, candidate_id: int) -> Case:
    """Take the world's request from a proposed match to reunited, every step recorded."""
    session, world = ways.session, ways.world
    second_caseworker(session, ways)
    request = session.get(Record, world.request)
    disclosed = session.get(Record, world.released)
    assert request is not None and disclosed is not None
    request.contact = CONTACT
    request.separation_date = "2022-04"  # a month only: the age at separation is still known
    disclosed.institution = INSTITUTION
    session.flush()
    decide_pair(
        session, principal=ways.who("caseworker"), candidate_id=candidate_id,
        decision="confirmed", reason="the mother recognised him in the photo",
    )  # fmt: skip
    case = ways.case_of(world.request)
    ways.verify(case)
    ways.contact(case)
    worker = ways.who("caseworker")
    cases.record_best_interests(
        session, principal=worker, case_id=case.id,
        child_views="wants to go home to his mother", care_arrangements="mother, grandmother",
        risks="the home town was shelled last spring", red_flag=True,
    )  # fmt: skip
    cases.record_determination(
        session, principal=worker, case_id=case.id, panel=PANEL,
        decision="the family moved to Kyiv; the return is safe", return_in_best_interests=True,
        decided_on=date.today(),
    )  # fmt: skip
    cases.request_approval(
        session, principal=worker, case=case, kind=ApprovalKind.BEST_INTERESTS,
        note="assessment and determination done",
    )  # fmt: skip
    ways.approve_last(case)
    cases.transition(
        session, principal=worker, case_id=case.id, to="return_approved",
        reason="in the child's best interests",
    )  # fmt: skip
    ways.approve_last(case)
    ways.send_home(case)
    assert case.status == "reunited"
    return case


def candidate_with_reasons(ways: Ways) -> int:
    """Add the engine's proposal of the world's pair, with its reasons."""
    candidate = MatchCandidate(
        request_id=ways.world.request, disclosed_id=ways.world.released, probability=0.987,
        engine_decision="match", rival="relative", explanation=EXPLANATION, status="proposed",
    )  # fmt: skip
    ways.session.add(candidate)
    ways.session.flush()
    return candidate.id


def printed(ways: Ways, name: str, case_id: int, language: str = "en") -> tuple[str, int]:
    made = print_case(ways.session, principal=ways.who(name), case_id=case_id, language=language)
    return text_of_pdf(made.data)


def test_the_staffs_file_holds_the_child_the_match_the_decisions_and_the_round(
    ways: Ways,
) -> None:
    case = walk_home(ways, candidate_with_reasons(ways))
    text, pages = printed(ways, "caseworker", case.id)
    assert pages >= 2 and f"page 1 of {pages}" in text and f"page {pages} of {pages}" in text
    assert f"Case file {case.number}" in text and "CONFIDENTIAL" in text
    assert "Status: reunited" in text and "printed on" in text and "by caseworker" in text
    # The child, in both parties' spellings, with ages.
    assert CHILD in text and DISCLOSED in text
    assert "Date of birth: 2014-03-12" in text and "Age at separation: 8" in text
    assert re.search(r"Age today: \d+", text) and "Turns 18: 2032-03-12" in text
    assert "Sex: male" in text and "Мариуполь" in text
    # The family's contact and the institution: the staff see everything.
    assert CONTACT in text and INSTITUTION in text
    # The match: the score and the engine's reasons, and who confirmed it.
    assert "98.7%" in text and "a relative (sibling or cousin)" in text
    assert "Date of birth: exactly the same — strong evidence for the same child" in text
    assert "the mother recognised him in the photo" in text
    # The verification's evidence and its three signatures, with names.
    assert "birth certificate seen" in text and "mother picked it" in text
    for side, who in (
        ("The mediator", "caseworker"),
        ("The requesting party", "liaison_requesting"),
        ("The custodial party", "liaison_custodial"),
    ):
        assert re.search(rf"{side}: signed by {who} on \d{{4}}-\d\d-\d\d", text), side
    # Best interests: the red flag and the panel by name.
    assert "the home town was shelled last spring" in text and "Red flag: yes" in text
    assert "Panel: Олена Коваль, Bohdan Petrenko, Claire Smith" in text
    # Four eyes: who asked, who approved.
    assert "Best-interests decision: approved" in text and "caseworker2" in text
    # The round and the handover.
    assert "Route: Moscow – Minsk – Kyiv" in text and "Escort: Qatar embassy" in text
    assert "Handover point: Kyiv, the mediator's office" in text
    assert "received by Лисенко Ольга, mother" in text
    # Follow-up visits were scheduled at the handover, and the timeline ends there.
    assert "Follow-up visits" in text and "Visit due on" in text
    assert "status changed: on the way home → reunited" in text


def test_a_liaisons_file_holds_only_what_their_party_may_see(ways: Ways) -> None:
    case = walk_home(ways, candidate_with_reasons(ways))
    # The request goes to the custodial party as requests do: without the family's contact.
    release_record(
        ways.session, principal=ways.who("caseworker"), record_id=ways.world.request,
        to_party_id=ways.world.custodial.id, purpose="look for the boy",
    )  # fmt: skip
    staff_only = (
        "98.7%", "the engine's reasons", "wants to go home to his mother", "Claire Smith",
        "Moscow – Minsk – Kyiv", "caseworker2", "assessment and determination done",
    )  # fmt: skip
    requesting, _ = printed(ways, "liaison_requesting", case.id)
    assert CHILD in requesting and CONTACT in requesting  # their own party's request
    assert DISCLOSED in requesting  # the custodial party's record, released to them
    assert INSTITUTION not in requesting  # a release to a party never carries it
    custodial, _ = printed(ways, "liaison_custodial", case.id)
    assert DISCLOSED in custodial and INSTITUTION in custodial  # their own record
    assert CHILD in custodial and CONTACT not in custodial  # the request, as released
    for text in (requesting, custodial):
        assert "This file holds only what its reader may know" in text
        assert all(secret not in text for secret in staff_only), text
        # They see the verification they signed: the sides and the times, not the names.
        assert "birth certificate seen" in text
        assert re.search(r"The custodial party: signed on \d{4}-\d\d-\d\d", text)
        assert "reunited" in text  # the timeline a family reads: what became of the child
    # Nobody is named to a party but its reader: not the other party's signatory.
    assert "liaison_custodial" not in requesting and "liaison_requesting" not in custodial


def test_the_family_group_lists_the_cases_the_reader_may_see(ways: Ways) -> None:
    case = walk_home(ways, candidate_with_reasons(ways))
    sister = ways.case_of(ways.add_request("UA-5", "Лисенко", "Ганна", "2016-09-09"))
    cases.group_cases(
        ways.session, principal=ways.who("caseworker"), case_ids=[case.id, sister.id],
        name="Лисенко family",
    )  # fmt: skip
    line = f"{sister.number}: open"
    staff, _ = printed(ways, "caseworker", case.id)
    requesting, _ = printed(ways, "liaison_requesting", case.id)
    custodial, _ = printed(ways, "liaison_custodial", case.id)
    assert "Group: Лисенко family" in staff and line in staff and line in requesting
    # The sister is not in the custodial party's records: her case is not theirs to know of.
    assert "Group: Лисенко family" in custodial and sister.number not in custodial


def test_an_adults_file_holds_their_own_consent(ways: Ways) -> None:
    case = ways.contact_adult()
    text, _ = printed(ways, "caseworker", case.id)
    assert "Track: adult track" in text and "The adult's own consent" in text
    assert re.search(r"Contact with the family: yes \(\d{4}-\d\d-\d\d \d\d:\d\d UTC, adult\)", text)
    assert "Best interests" in text and "nothing recorded" in text  # an adult decides alone


def test_nobody_else_prints_a_case(ways: Ways) -> None:
    case = walk_home(ways, candidate_with_reasons(ways))
    third = add_party(ways.session, name="Belarus", role="custodial")
    user = create_user(
        ways.session, username="liaison_third", password=PASSWORD, role="liaison",
        party_name=third.name,
    )  # fmt: skip
    outsider = principal_of(ways.session, user)
    for principal in (outsider, ways.who("family"), ways.who("adult"), ways.who("auditor")):
        with pytest.raises(NotFound):
            print_case(ways.session, principal=principal, case_id=case.id)
    # A case not located in the custodial party's records is not theirs to print.
    other = ways.case_of(ways.add_request("UA-5", "Коваль", "Ганна", "2013-09-09"))
    with pytest.raises(NotFound):
        print_case(ways.session, principal=ways.who("liaison_custodial"), case_id=other.id)
    with pytest.raises(NotFound):
        print_case(ways.session, principal=ways.who("caseworker"), case_id=other.id + 1000)


def test_a_ukrainian_reader_gets_ukrainian_labels_and_long_texts_wrap(ways: Ways) -> None:
    case = walk_home(ways, candidate_with_reasons(ways))
    for part in range(3):  # notes of many lines, more than a page in all
        words = " ".join(f"слово{i}" for i in range(part * 300, (part + 1) * 300))
        cases.add_note(ways.session, principal=ways.who("caseworker"), case_id=case.id, text=words)
    unbroken = "Документ№" + "7" * 300  # one word wider than the page
    cases.add_note(ways.session, principal=ways.who("caseworker"), case_id=case.id, text=unbroken)
    english, english_pages = printed(ways, "caseworker", case.id)
    ukrainian, pages = printed(ways, "caseworker", case.id, language="uk")
    assert pages == english_pages and pages >= 3
    assert f"Справа {case.number}" in ukrainian or f"справи {case.number}" in ukrainian
    assert "КОНФІДЕНЦІЙНО" in ukrainian and f"сторінка 1 з {pages}" in ukrainian
    assert "Case file" not in ukrainian and "Status:" not in ukrainian
    assert CHILD in ukrainian and "слово0" in ukrainian and "слово899" in ukrainian
    assert "Документ№777" in ukrainian
    russian, _ = printed(ways, "caseworker", case.id, language="ru")
    assert "КОНФИДЕНЦИАЛЬНО" in russian and "Case file" not in russian


# --- through the page -------------------------------------------------------------------


@pytest.fixture
def site(configured: str, tmp_path: Path) -> Site:
    return make_site(tmp_path)


def _walked(site: Site) -> int:
    with transaction(default_sessions()) as session:
        ways = Ways(session, site.world, site.folder)
        return walk_home(ways, site.candidate_id).id


def test_the_page_sends_the_file_to_download_and_audits_it(site: Site) -> None:
    case_id = _walked(site)
    answer = site.browser("caseworker").get(f"/cases/{case_id}/file.pdf")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.headers["content-disposition"] == f'attachment; filename="case-{case_id}.pdf"'
    assert answer.headers["cache-control"] == "no-store"
    text, pages = text_of_pdf(answer.content)
    assert CHILD in text and "Panel: Олена Коваль" in text and f"page 1 of {pages}" in text
    with transaction(default_sessions()) as session:
        entries = session.execute(
            select(AuditEntry.actor, AuditEntry.subject_id, AuditEntry.details).where(
                AuditEntry.action == "case.printed"
            )
        ).all()
    assert [(actor, subject) for actor, subject, _details in entries] == [
        ("caseworker", str(case_id))
    ]
    assert json.loads(entries[0][2]) == {"language": "en"}


def test_the_page_prints_in_the_readers_language(site: Site) -> None:
    case_id = _walked(site)
    browser = site.browser("liaison_requesting")
    browser.client.cookies.set(LANGUAGE_COOKIE, "uk")
    answer = browser.get(f"/cases/{case_id}/file.pdf")
    assert answer.status_code == 200
    text, pages = text_of_pdf(answer.content)
    assert "КОНФІДЕНЦІЙНО" in text and f"сторінка 1 з {pages}" in text
    assert CHILD in text and "Case file" not in text


def test_the_page_does_not_exist_for_others(site: Site) -> None:
    case_id = _walked(site)
    for name in ("family", "adult", "auditor"):
        assert site.browser(name).get(f"/cases/{case_id}/file.pdf").status_code == 404
    with transaction(default_sessions()) as session:
        ways = Ways(session, site.world, site.folder)
        other = ways.case_of(ways.add_request("UA-5", "Коваль", "Ганна", "2013-09-09")).id
    answer = site.browser("liaison_custodial").get(f"/cases/{other}/file.pdf")
    assert answer.status_code == 404 and answer.headers["content-type"].startswith("text/html")
    anonymous = site.browser().get(f"/cases/{case_id}/file.pdf", follow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login")
    with transaction(default_sessions()) as session:
        refused = session.scalar(
            select(AuditEntry.id).where(
                AuditEntry.action == "case.printed", AuditEntry.actor != "caseworker"
            )
        )
    assert refused is None
