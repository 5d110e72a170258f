"""Case pages: the list, a case and every step's form, the caseload, the adult's and the
family's view; each rule's refusal shown on the page, the four-eyes rule attacked."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from integration.cases.conftest import Ways
from reunite.auth.service import create_user, principal_of
from reunite.cases import service as cases
from reunite.cases.models import Approval, Case, CaseEvent, CaseTask, Consent, FamilyGroup
from reunite.db.engine import transaction
from reunite.db.migrate import upgrade
from reunite.sharing.models import Release
from reunite.sharing.service import release_record
from reunite.web.deps import LANGUAGE_COOKIE
from reunite.wiring import default_engine, default_sessions

from browsing import Browser, Site, audit_actions, text_of
from world import PASSWORD, World, build_world

sys.path.insert(0, str(Path(__file__).parents[1] / "web"))
from test_pages_translated import interface_words, untranslated  # noqa: E402


class CaseSite(Site):
    """The application on a world with cases, and the services at hand to set steps up."""

    @contextmanager
    def steps(self) -> Iterator[Ways]:
        """Take steps through the services, in a transaction of their own."""
        with transaction(default_sessions()) as session:
            yield Ways(session, self.world, self.folder)

    def case(self, request_id: object = None) -> Case:
        """Return (a fresh copy of) the case of a request, the world's own by default."""
        with transaction(default_sessions()) as session:
            found = cases.case_of_request(session, request_id=request_id or self.world.request)
            assert found is not None
            return found


@pytest.fixture
def site(configured: str, tmp_path: Path) -> CaseSite:
    upgrade(default_engine())
    with transaction(default_sessions()) as session:
        world: World = build_world(session, tmp_path)
        for name, role in (("caseworker2", "caseworker"), ("adult2", "adult")):
            user = create_user(session, username=name, password=PASSWORD, role=role)
            world.users[name] = user
            world.principals[name] = principal_of(session, user)
    return CaseSite(world, 0, 0, 0, 0, 0, tmp_path)


def _error(page: httpx.Response) -> str:
    found = re.search(r'id="step-error">(.*?)</div>|id="step-error">(.*?)</p>', page.text, re.S)
    assert found is not None, page.text[:3000]
    return text_of(found.group(1) or found.group(2))


def _post(browser: Browser, url: str, data: dict[str, object] | None = None) -> httpx.Response:
    return browser.post(url, data or {})


def _status(site: CaseSite, case_id: int) -> str:
    with transaction(default_sessions()) as session:
        case = session.get(Case, case_id)
        assert case is not None
        return case.status


# --- the list --------------------------------------------------------------------------------


def test_the_list_shows_each_role_the_cases_need_to_know_allows(site: CaseSite) -> None:
    other = None
    with site.steps() as ways:
        other = ways.add_request("UA-5", "Мельник", "Софія", "2012-04-02")
    case, second = site.case(), site.case(other)
    staff = site.browser("caseworker")
    listed = staff.get("/cases")
    assert listed.status_code == 200
    assert case.number in listed.text and second.number in listed.text
    assert 'id="cases-total">2<' in listed.text
    assert "cases.list" in audit_actions("caseworker")
    # Filters: status, party, track; an unknown status is said, not a crash.
    assert case.number not in staff.get("/cases", params={"status": "located"}).text
    assert case.number in staff.get("/cases", params={"status": "open"}).text
    assert case.number in staff.get("/cases", params={"party": "Ukraine"}).text
    assert case.number not in staff.get("/cases", params={"party": "Russian Federation"}).text
    assert case.number not in staff.get("/cases", params={"track": "adult"}).text
    wrong = staff.get("/cases", params={"status": "lost"})
    assert wrong.status_code == 200 and 'id="filter-error"' in wrong.text
    with site.steps() as ways:
        cases.assign(
            ways.session, principal=ways.who("admin"), case_id=case.id, username="caseworker2"
        )
    assigned = staff.get("/cases", params={"assigned": "caseworker2"}).text
    assert case.number in assigned and second.number not in assigned
    # Who works on which case is not for a party to filter by: the filter is ignored.
    liaison = site.browser("liaison_requesting")
    by_liaison = liaison.get("/cases", params={"assigned": "caseworker2"})
    assert case.number in by_liaison.text and second.number in by_liaison.text
    # The custodial party sees a case once its child is located in its records.
    custodial = site.browser("liaison_custodial")
    assert case.number not in custodial.get("/cases").text
    with site.steps() as ways:
        ways.locate()
    assert case.number in custodial.get("/cases").text
    assert second.number not in custodial.get("/cases").text
    # The family sees the case of the request it filed, in plain words; the auditor none.
    family = site.browser("family").get("/cases").text
    assert case.number in family and second.number not in family
    assert site.browser("auditor").get("/cases").status_code == 404
    assert site.browser("adult").get("/cases").text.count("C-0") == 0


def test_a_long_list_pages_and_keeps_its_filters(site: CaseSite) -> None:
    from reunite.cases import pages

    with site.steps() as ways:
        for i in range(3):
            ways.add_request(f"UA-P{i}", "Ткаченко", f"Дитина{i}", "2013-01-0" + str(i + 1))
    original = pages.PAGE_SIZE
    pages.PAGE_SIZE = 2
    try:
        staff = site.browser("caseworker")
        first = staff.get("/cases", params={"status": "open"}).text
        assert 'rel="next"' in first and "status=open" in first
        second = staff.get("/cases", params={"status": "open", "page": 2}).text
        assert 'rel="prev"' in second and 'rel="next"' not in second
    finally:
        pages.PAGE_SIZE = original


# --- a case ------------------------------------------------------------------------------------


def test_the_case_page_shows_the_child_the_next_steps_and_what_each_needs(
    site: CaseSite,
) -> None:
    case = site.case()
    staff = site.browser("caseworker")
    page = staff.get(f"/cases/{case.id}")
    assert page.status_code == 200
    text = text_of(page.text)
    assert case.number in text and f"/records/{site.world.request}" in page.text
    # Born 2014-03-12: the age today is computed, not shown as unknown.
    years = date.today().year - 2014 - ((date.today().month, date.today().day) < (3, 12))
    assert re.search(rf'id="age-today">{years}<', page.text)
    assert 'id="not-located"' in page.text
    move = re.search(r'id="move-located">(.*?)</li>\s*</ul>', page.text, re.S)
    assert move is not None and "a case is located only on a confirmed match" in move.group(1)
    assert 'id="move-tracing"' in page.text and "nothing missing" in page.text
    assert "case.read" in audit_actions("caseworker")
    # Nobody else of the mediator's workflow: the auditor and an unrelated adult get 404.
    for user in ("auditor", "adult", "liaison_custodial"):
        assert site.browser(user).get(f"/cases/{case.id}").status_code == 404
    assert staff.get("/cases/999999").status_code == 404


def test_an_illegal_move_shows_the_reason_and_keeps_the_form(site: CaseSite) -> None:
    case = site.case()
    staff = site.browser("caseworker")
    refused = _post(
        staff, f"/cases/{case.id}/transition", {"to": "located", "reason": "found her, I think"}
    )
    assert refused.status_code == 409
    assert "a case is located only on a confirmed match" in _error(refused)
    assert "found her, I think" in refused.text
    assert re.search(r'<option value="located" selected>', refused.text)
    assert _status(site, case.id) == "open"
    # A move the graph does not allow, and one without a reason.
    skipped = _post(staff, f"/cases/{case.id}/transition", {"to": "closed", "reason": "done"})
    assert skipped.status_code == 409
    assert "a case that is open cannot become closed" in _error(skipped)
    no_reason = _post(staff, f"/cases/{case.id}/transition", {"to": "tracing", "reason": " "})
    assert no_reason.status_code == 422 and "a reason is needed" in _error(no_reason)
    moved = _post(staff, f"/cases/{case.id}/transition", {"to": "tracing", "reason": "lists"})
    assert moved.status_code == 303 and moved.headers["location"].endswith("#transition")
    assert _status(site, case.id) == "tracing"
    after = staff.get(moved.headers["location"]).text
    assert 'id="done"' in after and "lists" in after
    # Only the mediator's staff move a case: to anyone else the form does not exist.
    family = site.browser("family")
    answer = _post(family, f"/cases/{case.id}/transition", {"to": "declined", "reason": "x"})
    assert answer.status_code == 404
    assert _status(site, case.id) == "tracing"


def test_verification_through_the_pages_with_each_partys_liaison_signing(
    site: CaseSite,
) -> None:
    with site.steps() as ways:
        case_id = ways.locate().id
    staff = site.browser("caseworker")
    # A verification without willingness is refused and what was typed stays.
    half = _post(
        staff,
        f"/cases/{case_id}/verification",
        {"evidence_documents": "birth certificate No 123", "child_willing": "yes"},
    )
    assert half.status_code == 422 and "answer yes or no" in _error(half)
    assert "birth certificate No 123" in half.text
    none = _post(staff, f"/cases/{case_id}/verification", {"child_willing": "yes"})
    assert none.status_code == 422
    assert "name at least one piece of evidence" in _error(none)
    recorded = _post(
        staff,
        f"/cases/{case_id}/verification",
        {
            "evidence_documents": "birth certificate No 123",
            "evidence_photo_pick": "the mother picked his photo among eight",
            "child_willing": "yes",
            "family_willing": "yes",
        },
    )
    assert recorded.status_code == 303
    early = _post(staff, f"/cases/{case_id}/transition", {"to": "verified", "reason": "checked"})
    assert early.status_code == 409
    missing = text_of(early.text)
    assert "the verification is not signed by the requesting party" in missing
    assert "the verification is not signed by the custodial party" in missing
    for user in ("caseworker", "liaison_requesting", "liaison_custodial"):
        signer = site.browser(user)
        page = signer.get(f"/cases/{case_id}")
        assert page.status_code == 200 and 'id="signoff-form"' in page.text
        assert _post(signer, f"/cases/{case_id}/signoff").status_code == 303
        again = _post(signer, f"/cases/{case_id}/signoff")
        assert again.status_code == 409 and "signed this verification already" in _error(again)
    # A liaison sees the signatures, not the mediator's forms or the evidence itself.
    liaison_page = site.browser("liaison_requesting").get(f"/cases/{case_id}").text
    assert 'id="transition-form"' not in liaison_page and "birth certificate" not in liaison_page
    assert liaison_page.count("<strong>signed</strong>") == 3
    # The family may not sign, and the page offers it nothing.
    assert _post(site.browser("family"), f"/cases/{case_id}/signoff").status_code == 404
    asked = _post(staff, f"/cases/{case_id}/transition", {"to": "verified", "reason": "checked"})
    assert asked.status_code == 303 and "done=asked" in asked.headers["location"]
    assert _status(site, case_id) == "located"


def test_four_eyes_the_asker_cannot_approve_through_the_page(site: CaseSite) -> None:
    with site.steps() as ways:
        case = ways.locate()
        cases.record_verification(
            ways.session, principal=ways.who("caseworker"), case_id=case.id,
            evidence={"dna": "99.9 %"}, child_willing="yes", family_willing="yes",
        )  # fmt: skip
        for name in ("caseworker", "liaison_requesting", "liaison_custodial"):
            cases.sign_verification(ways.session, principal=ways.who(name), case_id=case.id)
        case_id = case.id
    asker = site.browser("caseworker")
    assert _post(asker, f"/cases/{case_id}/transition", {"to": "verified", "reason": "ok"})
    with transaction(default_sessions()) as session:
        approval = session.scalars(select(Approval).where(Approval.case_id == case_id)).one()
    page = asker.get(f"/cases/{case_id}").text
    assert "another person decides it (four eyes)" in page
    own = _post(asker, f"/approvals/{approval.id}/decision", {"decision": "approve"})
    assert own.status_code == 409
    assert "four eyes: the person who asked for a step cannot approve it" in _error(own)
    assert _status(site, case_id) == "located"
    second = site.browser("caseworker2")
    back = _post(second, f"/approvals/{approval.id}/decision", {"decision": "send_back"})
    assert back.status_code == 422 and "a reason is needed" in _error(back)
    nothing = _post(second, f"/approvals/{approval.id}/decision", {"decision": "maybe"})
    assert nothing.status_code == 422
    assert _post(second, f"/approvals/{approval.id}/decision", {"decision": "approve"})
    assert _status(site, case_id) == "verified"
    shown = second.get(f"/cases/{case_id}").text
    assert "decided by" in shown and "caseworker2" in shown
    # A decided approval cannot be decided again, and others never reach the form.
    again = _post(second, f"/approvals/{approval.id}/decision", {"decision": "approve"})
    assert again.status_code == 409 and "decided already" in _error(again)
    liaison = site.browser("liaison_requesting")
    assert _post(liaison, f"/approvals/{approval.id}/decision", {}).status_code == 404


def test_best_interests_determination_and_return_through_the_pages(site: CaseSite) -> None:
    with site.steps() as ways:
        case_id = ways.contact(ways.verify(ways.locate())).id
    staff, second = site.browser("caseworker"), site.browser("caseworker2")
    refused = _post(staff, f"/cases/{case_id}/transition", {"to": "return_approved", "reason": "x"})
    assert refused.status_code == 409
    assert "a minor's return needs a best-interests assessment" in _error(refused)
    blank = _post(staff, f"/cases/{case_id}/best-interests", {"child_views": "wants home"})
    assert blank.status_code == 422 and "care arrangements is needed" in _error(blank)
    assert "wants home" in blank.text
    assert _post(
        staff, f"/cases/{case_id}/best-interests",
        {"child_views": "wants home", "care_arrangements": "mother", "risks": "stepfather",
         "red_flag": "true"},
    ).status_code == 303  # fmt: skip
    asked = _post(staff, f"/cases/{case_id}/approvals", {"kind": "best_interests", "note": "done"})
    assert asked.status_code == 303
    again = _post(staff, f"/cases/{case_id}/approvals", {"kind": "best_interests"})
    assert again.status_code == 409 and "already waits" in _error(again)
    with transaction(default_sessions()) as session:
        approval = session.scalars(
            select(Approval).where(Approval.case_id == case_id, Approval.kind == "best_interests")
        ).one()
    assert _post(second, f"/approvals/{approval.id}/decision", {"decision": "approve"})
    flagged = _post(staff, f"/cases/{case_id}/transition", {"to": "return_approved", "reason": "x"})
    assert flagged.status_code == 409 and "red flag" in _error(flagged)
    panel_of_two = _post(
        staff, f"/cases/{case_id}/determination",
        {"panel": "Olena Koval\nIvan Petrenko", "decision": "home", "in_best_interests": "yes",
         "decided_on": date.today().isoformat()},
    )  # fmt: skip
    assert panel_of_two.status_code == 422 and "at least 3 named people" in _error(panel_of_two)
    bad_day = _post(
        staff, f"/cases/{case_id}/determination",
        {"panel": "A\nB\nC", "decision": "home", "in_best_interests": "yes", "decided_on": "soon"},
    )  # fmt: skip
    assert bad_day.status_code == 422 and "YYYY-MM-DD" in _error(bad_day)
    assert _post(
        staff, f"/cases/{case_id}/determination",
        {"panel": "Olena Koval\nIvan Petrenko\nMaria Bondar", "decision": "home is safe",
         "in_best_interests": "yes", "decided_on": date.today().isoformat()},
    ).status_code == 303  # fmt: skip
    page = staff.get(f"/cases/{case_id}").text
    assert "Olena Koval, Ivan Petrenko, Maria Bondar" in page
    assert _post(staff, f"/cases/{case_id}/transition", {"to": "return_approved", "reason": "x"})
    with transaction(default_sessions()) as session:
        waiting = session.scalars(
            select(Approval).where(Approval.case_id == case_id, Approval.kind == "return")
        ).one()
    assert _post(second, f"/approvals/{waiting.id}/decision", {"decision": "approve"})
    assert _status(site, case_id) == "return_approved"


def test_contact_tasks_notes_assignment_and_the_caseload(site: CaseSite) -> None:
    with site.steps() as ways:
        case_id = ways.verify(ways.locate()).id
    staff = site.browser("caseworker")
    no_contact = _post(
        staff, f"/cases/{case_id}/transition", {"to": "contact_established", "reason": "x"}
    )
    assert no_contact.status_code == 409
    assert "record the contact between the child and the family first" in _error(no_contact)
    assert _post(staff, f"/cases/{case_id}/contact", {"how": "video call"}).status_code == 303
    assert (
        _post(
            staff, f"/cases/{case_id}/transition", {"to": "contact_established", "reason": "call"}
        ).status_code
        == 303
    )
    # Notes and tasks: empty ones are refused, a task past its day is flagged.
    assert _post(staff, f"/cases/{case_id}/notes", {"text": ""}).status_code == 422
    assert _post(staff, f"/cases/{case_id}/notes", {"text": "mother called"}).status_code == 303
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    bad = _post(staff, f"/cases/{case_id}/tasks", {"title": "call the school", "due_on": "x"})
    assert bad.status_code == 422 and "call the school" in bad.text
    assert (
        _post(
            staff, f"/cases/{case_id}/tasks", {"title": "call the school", "due_on": yesterday}
        ).status_code
        == 303
    )
    page = staff.get(f"/cases/{case_id}").text
    assert "mother called" in page and '<strong class="flag">overdue</strong>' in page
    assert _post(staff, f"/cases/{case_id}/assign", {"username": "nobody"}).status_code == 422
    assert _post(staff, f"/cases/{case_id}/assign", {"username": "caseworker"}).status_code == 303
    load = staff.get("/caseload")
    assert load.status_code == 200
    overdue = re.search(r'id="overdue">(.*?)</ul>', load.text, re.S)
    assert overdue is not None and "call the school" in overdue.group(1)
    assert f"/cases/{case_id}" in load.text
    # The admin (the lead) looks at another's caseload; a caseworker may not.
    admin = site.browser("admin").get("/caseload", params={"user": "caseworker"})
    assert admin.status_code == 200 and "call the school" in admin.text
    peer = site.browser("caseworker2").get("/caseload", params={"user": "caseworker"})
    assert peer.status_code == 404
    assert site.browser("liaison_requesting").get("/caseload").status_code == 404
    with transaction(default_sessions()) as session:
        task = session.scalars(select(CaseTask).where(CaseTask.case_id == case_id)).one()
    assert _post(staff, f"/tasks/{task.id}/done").status_code == 303
    assert _post(staff, f"/tasks/{task.id}/done").status_code == 409
    assert "call the school" not in staff.get("/caseload").text


def test_family_groups_through_the_pages(site: CaseSite) -> None:
    with site.steps() as ways:
        other = ways.add_request("UA-6", "Лисенко", "Марія", "2016-05-01")
    case, sister = site.case(), site.case(other)
    staff = site.browser("caseworker")
    alone = _post(staff, f"/cases/{case.id}/group", {"others": "", "name": "Лисенко"})
    assert alone.status_code == 422 and "at least two cases" in _error(alone)
    typo = _post(staff, f"/cases/{case.id}/group", {"others": "C-12x", "name": "Лисенко"})
    assert typo.status_code == 422 and "C-12x" in _error(typo)
    grouped = _post(staff, f"/cases/{case.id}/group", {"others": sister.number, "name": "Лисенко"})
    assert grouped.status_code == 303
    page = staff.get(f"/cases/{sister.id}").text
    assert f'href="/cases/{case.id}"' in page and "Лисенко" in page
    assert _post(staff, f"/cases/{sister.id}/group/leave", {"reason": ""}).status_code == 422
    assert (
        _post(
            staff, f"/cases/{sister.id}/group/leave", {"reason": "a cousin, not a sister"}
        ).status_code
        == 303
    )
    assert 'id="no-group"' in staff.get(f"/cases/{sister.id}").text


# --- the adult's own page, the family's view ------------------------------------------------


def test_an_adult_answers_for_themselves_on_their_own_page(site: CaseSite) -> None:
    with site.steps() as ways:
        request = ways.add_request("UA-8", "Шевченко", "Дарина", "2007-01-10")
        ways.confirm(request, site.world.disclosure)
        case_id = ways.case_of(request).id
    staff = site.browser("caseworker")
    assert _post(staff, f"/cases/{case_id}/adult", {"username": "family"}).status_code == 422
    assert _post(staff, f"/cases/{case_id}/adult", {"username": "adult"}).status_code == 303
    adult = site.browser("adult")
    home = adult.get("/").text
    assert f'href="/cases/{case_id}"' in home
    page = adult.get(f"/cases/{case_id}")
    assert page.status_code == 200 and 'id="consent-contact"' in page.text
    assert 'name="viewport"' in page.text and 'id="transition-form"' not in page.text
    assert "The child may have been found" in page.text
    assert _post(adult, f"/cases/{case_id}/consent", {"kind": "contact"}).status_code == 422
    yes = _post(adult, f"/cases/{case_id}/consent", {"kind": "contact", "answer": "yes"})
    assert yes.status_code == 303
    assert re.search(r'id="answer-contact">yes<', adult.get(f"/cases/{case_id}").text)
    # With the adult's yes the mediator may release; the adult's no withdraws the release.
    with site.steps() as ways:
        release = release_record(
            ways.session, principal=ways.who("caseworker"), record_id=site.world.disclosure,
            to_party_id=site.world.requesting.id, purpose="verify the identity of the adult",
        )  # fmt: skip
        release_id = release.id
    no = _post(
        adult, f"/cases/{case_id}/consent", {"kind": "contact", "answer": "no", "note": "not now"}
    )
    assert no.status_code == 303
    with transaction(default_sessions()) as session:
        withdrawn = session.get(Release, release_id)
        assert withdrawn is not None and withdrawn.revoked_at is not None
        answers = session.scalars(select(Consent.answer).where(Consent.case_id == case_id))
        assert list(answers) == ["yes", "no"]
    # Nobody else answers for them: another adult, the family, a liaison, the staff.
    for user in ("adult2", "family", "liaison_requesting", "caseworker"):
        other = site.browser(user)
        answer = _post(other, f"/cases/{case_id}/consent", {"kind": "return", "answer": "yes"})
        assert answer.status_code == 404, user
    assert site.browser("adult2").get(f"/cases/{case_id}").status_code == 404
    with transaction(default_sessions()) as session:
        kinds = session.scalars(select(Consent.kind).where(Consent.case_id == case_id))
        assert "return" not in list(kinds)


def test_the_family_follows_its_childs_case_in_plain_words(site: CaseSite) -> None:
    with site.steps() as ways:
        case = ways.locate()
        cases.add_note(
            ways.session, principal=ways.who("caseworker"), case_id=case.id,
            text="internal: the custodial party hesitates",
        )  # fmt: skip
    family = site.browser("family")
    for url in ("/", "/my-requests"):
        page = family.get(url).text
        assert case.number in page and "The child may have been found" in page
    own = family.get(f"/cases/{case.id}")
    assert own.status_code == 200 and 'id="plain-status"' in own.text
    # Plain words and the changes of status; not the mediator's notes, not the forms.
    assert "hesitates" not in own.text and "csrf_token" not in own.text.split("<main")[1]
    assert 'id="consent-contact"' not in own.text


@pytest.mark.parametrize("language", ["uk", "ru"])
def test_the_case_pages_are_in_the_readers_language(site: CaseSite, language: str) -> None:
    with site.steps() as ways:
        case = ways.locate()
        cases.record_verification(
            ways.session, principal=ways.who("caseworker"), case_id=case.id,
            evidence={"documents": "свідоцтво"}, child_willing="yes", family_willing="yes",
        )  # fmt: skip
        for name in ("caseworker", "liaison_requesting", "liaison_custodial"):
            cases.sign_verification(ways.session, principal=ways.who(name), case_id=case.id)
        cases.add_task(
            ways.session, principal=ways.who("caseworker"), case_id=case.id, title="подзвонити",
            due_on=date.today() - timedelta(days=2),
        )  # fmt: skip
        cases.transition(
            ways.session, principal=ways.who("caseworker"), case_id=case.id, to="verified",
            reason="перевірено",
        )  # fmt: skip
        adult_request = ways.add_request("UA-8", "Шевченко", "Дарина", "2007-01-10")
        adult_case = ways.case_of(adult_request)
        cases.link_adult(
            ways.session, principal=ways.who("caseworker"), case_id=adult_case.id,
            username="adult",
        )  # fmt: skip
    words = interface_words()
    failures: list[str] = []
    pages = {
        "caseworker": ["/cases", "/caseload", f"/cases/{case.id}", "/cases?status=lost"],
        "caseworker2": [f"/cases/{case.id}"],
        "liaison_requesting": ["/cases", f"/cases/{case.id}"],
        "family": ["/", "/my-requests", f"/cases/{case.id}", "/cases"],
        "adult": ["/", f"/cases/{adult_case.id}"],
    }
    for user, urls in pages.items():
        browser = site.browser(user)
        browser.client.cookies.set(LANGUAGE_COOKIE, language)
        for url in urls:
            page = browser.get(url)
            assert page.status_code == 200, (user, url)
            failures += [f"{user} {url}: {p}" for p in untranslated(page.text, words)]
        if user == "caseworker":
            move = f"/cases/{case.id}/transition"
            refused = _post(browser, move, {"to": "closed", "reason": "x"})
            failures += [f"refusal: {p}" for p in untranslated(refused.text, words)]
            no_reason = _post(browser, move, {"to": "tracing"})
            failures += [f"no reason: {p}" for p in untranslated(no_reason.text, words)]
    assert failures == [], "\n".join(failures)


def test_a_refused_step_leaves_nothing_behind(site: CaseSite) -> None:
    case = site.case()
    staff = site.browser("caseworker")
    with transaction(default_sessions()) as session:
        before = len(list(session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id))))
    # Grouping with a case that does not exist: 404, and no group is made.
    missing = _post(staff, f"/cases/{case.id}/group", {"others": "C-999999", "name": "X"})
    assert missing.status_code == 404
    # A refused move is not in the audit log as a move; the page's read is.
    assert _post(staff, f"/cases/{case.id}/transition", {"to": "closed", "reason": "x"})
    actions = audit_actions("caseworker")
    assert "case.transition" not in actions and actions[-1] == "case.read"
    with transaction(default_sessions()) as session:
        after = list(session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id)))
        assert len(after) == before
        kept = session.get(Case, case.id)
        assert kept is not None and kept.family_group_id is None and kept.status == "open"
        assert session.scalars(select(FamilyGroup)).first() is None


def test_the_caseload_puts_those_turning_18_and_new_adults_first(site: CaseSite) -> None:
    today = date.today()
    birthday = today + timedelta(days=30)
    # Turns 18 in 30 days (a 29 February birthday taken as the 28th).
    soon = birthday.replace(year=birthday.year - 18, day=min(birthday.day, 28)).isoformat()
    grown_up = today.replace(year=today.year - 19, day=min(today.day, 28)).isoformat()
    with site.steps() as ways:
        turning = ways.add_request("UA-T", "Коваль", "Ігор", soon)
        grown = ways.add_request("UA-G", "Бондар", "Ірина", grown_up)
        child = ways.add_request("UA-C", "Мороз", "Олег", "2016-02-02")
        cases.update_tracks(ways.session, today=today)
    flagged, adult, young = site.case(turning), site.case(grown), site.case(child)
    assert flagged.turning_adult and adult.track == "adult" and not young.turning_adult
    load = site.browser("caseworker").get("/caseload").text
    first = re.search(r'id="turning">(.*?)</ul>', load, re.S)
    assert first is not None
    assert flagged.number in first.group(1) and adult.number in first.group(1)
    assert young.number not in first.group(1)
    listed = site.browser("caseworker").get("/cases", params={"track": "turning"}).text
    assert flagged.number in listed and young.number not in listed


@pytest.mark.parametrize("language", ["uk", "ru"])
def test_a_case_not_there_is_said_in_the_readers_language(site: CaseSite, language: str) -> None:
    words = interface_words()
    staff = site.browser("caseworker")
    staff.client.cookies.set(LANGUAGE_COOKIE, language)
    family = site.browser("family")
    family.client.cookies.set(LANGUAGE_COOKIE, language)
    admin = site.browser("admin")
    admin.client.cookies.set(LANGUAGE_COOKIE, language)
    answers = [
        staff.get("/cases/999999"),
        staff.post("/approvals/999999/decision", {"decision": "approve"}),
        staff.post("/tasks/999999/done"),
        admin.get("/caseload", params={"user": "nobody"}),
        family.post(f"/cases/{site.case().id}/transition", {"to": "declined", "reason": "x"}),
    ]
    for answer in answers:
        assert answer.status_code == 404
        assert untranslated(answer.text, words) == [], answer.text
