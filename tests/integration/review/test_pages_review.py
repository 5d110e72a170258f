"""Pages of review, logs, jobs and languages: decisions, audit and sharing logs, progress."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from sqlalchemy import select, update

from reunite.audit import pages as audit_pages
from reunite.audit.models import AuditEntry
from reunite.audit.service import record_event
from reunite.auth.models import User
from reunite.db.engine import transaction
from reunite.jobs.models import Job
from reunite.review.models import MatchCandidate, MatchDecision
from reunite.sharing import pages as sharing_pages
from reunite.sharing.models import Release
from reunite.wiring import default_sessions

from browsing import Site, audit_actions, count, make_site, token_in


@pytest.fixture
def site(configured: str, tmp_path: Path) -> Site:
    return make_site(tmp_path)


# --- review ---------------------------------------------------------------------------------


def test_the_queue_lists_candidates_most_probable_first(site: Site) -> None:
    page = site.browser("caseworker").get("/review")
    assert page.status_code == 200
    assert 'id="queue-total">2<' in page.text
    first = page.text.index(f'href="/review/{site.candidate_id}"')
    second = page.text.index(f'href="/review/{site.other_candidate_id}"')
    assert first < second
    assert "98.7%" in page.text and "(Lysenko Oleksandr Mykolaiovych)" in page.text
    assert "records.list" in audit_actions("caseworker")


def test_the_pair_page_shows_both_records_in_both_scripts_and_the_evidence(site: Site) -> None:
    page = site.browser("caseworker").get(f"/review/{site.candidate_id}")
    assert page.status_code == 200
    text = page.text
    assert "Лисенко" in text and "(Lysenko)" in text  # the request, Ukrainian
    assert "Лысенко" in text and "Александр" in text and "(Aleksandr)" in text  # Russian
    assert 'id="explanation"' in text
    # What each field says, in words: no "bits" to decode.
    assert "strong evidence for the same child" in text  # the birth date, +6.3 bits
    assert "weak evidence against" in text  # the birth place, -0.8 bits
    assert "Bits" not in text and "+6.3" not in text
    assert "a relative (sibling or cousin)" in text  # the rival explanation
    assert "not known on one side, so it counts for nothing" in text
    assert "record.read" in audit_actions("caseworker")


def test_a_decision_needs_a_reason_and_is_kept_and_audited(site: Site) -> None:
    browser = site.browser("caseworker")
    url = f"/review/{site.other_candidate_id}/decision"
    no_reason = browser.post(url, {"decision": "rejected", "reason": "  "})
    assert no_reason.status_code == 422 and "needs a reason" in no_reason.text
    no_choice = browser.post(url, {"reason": "different mother"})
    assert no_choice.status_code == 422 and "not the same child, or related" in no_choice.text
    assert 'value="different mother"' not in no_choice.text  # a textarea keeps it as text
    assert ">different mother</textarea>" in no_choice.text
    assert count(MatchDecision) == 0

    done = browser.post(url, {"decision": "rejected", "reason": "different birth year"})
    assert done.status_code == 303
    # The next pair waiting opens at once.
    following_url = f"/review/{site.candidate_id}?decided={site.other_candidate_id}"
    assert done.headers["location"] == following_url
    with transaction(default_sessions()) as session:
        candidate = session.get(MatchCandidate, site.other_candidate_id)
        assert candidate is not None and candidate.status == "rejected"
        decision = session.scalar(select(MatchDecision))
        assert decision is not None and decision.reason == "different birth year"
    assert "match.decision" in audit_actions("caseworker")
    following = browser.get(done.headers["location"])
    assert 'id="decided"' in following.text
    assert f"/review/{site.candidate_id}/decision" in following.text
    queue = browser.get("/review")
    assert 'id="queue-total">1<' in queue.text
    rejected = browser.get("/review?status=rejected")
    assert f'href="/review/{site.other_candidate_id}?status=rejected"' in rejected.text
    pair = browser.get(f"/review/{site.other_candidate_id}")
    assert 'id="decisions"' in pair.text and "different birth year" in pair.text
    # Who decided, and when.
    decisions = pair.text[pair.text.index('id="decisions"') :]
    assert "caseworker" in decisions[:400] and " UTC" in decisions[:400]


def test_review_does_not_exist_outside_the_mediator(site: Site) -> None:
    for role in ("liaison_requesting", "family", "auditor"):
        answer = site.browser(role).post(
            f"/review/{site.candidate_id}/decision", {"decision": "confirmed", "reason": "x"}
        )
        assert answer.status_code == 404, role
    assert count(MatchDecision) == 0


# --- logs -----------------------------------------------------------------------------------


def test_the_audit_page_shows_entries_newest_first_and_filters(site: Site) -> None:
    site.browser("caseworker").get(f"/records/{site.world.request}")
    auditor = site.browser("auditor")
    page = auditor.get("/audit")
    assert page.status_code == 200
    # Viewing does not walk the chain; the auditor asks for that.
    assert 'id="chain-status"' not in page.text and 'action="/audit/verify"' in page.text
    read = page.text.index("record.read")
    release = page.text.index('<code translate="no">release</code>')
    assert read < release  # newest first
    filtered = auditor.get("/audit", params={"action": "release"})
    assert (
        '<code translate="no">release</code>' in filtered.text
        and '<code translate="no">record.read</code>' not in filtered.text
    )
    by_actor = auditor.get("/audit", params={"actor": "nobody"})
    assert 'id="no-entries"' in by_actor.text


def test_the_chain_is_verified_on_demand_with_the_forms_token(site: Site) -> None:
    site.browser("caseworker").get(f"/records/{site.world.request}")
    auditor = site.browser("auditor")
    total = count(AuditEntry)
    verified = auditor.post("/audit/verify", {"action": "record.read"})
    assert verified.status_code == 200
    assert 'data-intact="yes"' in verified.text
    assert f"{total} entries verified" in verified.text
    # The verdict comes with the page the auditor was on: its filter is kept.
    assert '<code translate="no">record.read</code>' in verified.text
    assert '<code translate="no">release</code>' not in verified.text
    assert auditor.post("/audit/verify", token=False).status_code == 403


def test_the_audit_page_names_a_tampered_entry(site: Site) -> None:
    site.browser("caseworker").get(f"/records/{site.world.request}")
    with transaction(default_sessions()) as session:
        first = session.scalar(select(AuditEntry.id).order_by(AuditEntry.id).limit(1))
        session.execute(update(AuditEntry).where(AuditEntry.id == first).values(actor="mallory"))
    admin = site.browser("admin")
    assert 'id="chain-status"' not in admin.get("/audit").text
    page = admin.post("/audit/verify")
    assert 'data-intact="no"' in page.text and f"broken at entry {first}" in page.text


def _shown(page: str, pattern: str) -> list[str]:
    return re.findall(pattern, page)


def _href(page: str, link: str) -> str:
    found = re.search(f'id="page-{link}" href="([^"]+)"|href="([^"]+)" id="page-{link}"', page)
    assert found is not None, link
    return html.unescape(found.group(1) or found.group(2))


def test_the_audit_log_pages_by_id_both_ways_keeping_the_filter(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(audit_pages, "PAGE_SIZE", 5)
    with transaction(default_sessions()) as session:
        for number in range(1, 13):
            record_event(session, actor=None, action="records.search", subject_id=f"n{number}")
    auditor = site.browser("auditor")

    def subjects(page: str) -> list[str]:
        return _shown(page, r'translate="no"> (n\d+)</a>')

    first = auditor.get("/audit", params={"action": "records.search"}).text
    assert subjects(first) == ["n12", "n11", "n10", "n9", "n8"]
    assert 'id="page-newer"' not in first and 'id="page-newest"' not in first
    second = auditor.get(_href(first, "older")).text
    assert subjects(second) == ["n7", "n6", "n5", "n4", "n3"]
    assert "action=records.search" in _href(second, "older")
    last = auditor.get(_href(second, "older")).text
    assert subjects(last) == ["n2", "n1"] and 'id="page-older"' not in last
    back = auditor.get(_href(last, "newer")).text
    assert subjects(back) == ["n7", "n6", "n5", "n4", "n3"]
    assert subjects(auditor.get(_href(back, "newer")).text) == subjects(first)
    assert subjects(auditor.get(_href(last, "newest")).text) == subjects(first)
    # Verifying from an older page shows that page again, with the verdict.
    before = re.search(r"before=(\d+)", _href(first, "older"))
    assert before is not None
    verified = auditor.post(
        "/audit/verify", {"action": "records.search", "before": before.group(1)}
    ).text
    assert 'data-intact="yes"' in verified and subjects(verified) == subjects(second)


def test_the_sharing_log_pages_by_id(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sharing_pages, "SHARING_PAGE_SIZE", 2)
    with transaction(default_sessions()) as session:
        releaser = session.scalar(select(User.id).where(User.username == "caseworker"))
        assert releaser is not None
        for number in range(1, 6):
            session.add(
                Release(
                    record_id=site.world.request,
                    to_party_id=site.world.custodial.id,
                    purpose=f"paging purpose {number}",
                    scope="request_to_party",
                    fields=["surname"],
                    released_by=releaser,
                )
            )
    browser = site.browser("auditor")

    def purposes(page: str) -> list[str]:
        return _shown(page, r"paging purpose (\d)")

    first = browser.get("/sharing").text
    assert purposes(first) == ["5", "4"] and 'id="page-newer"' not in first
    second = browser.get(_href(first, "older")).text
    assert purposes(second) == ["3", "2"]
    third = browser.get(_href(second, "older")).text
    assert purposes(third) == ["1"]  # and the world's own release, the oldest
    assert 'id="page-older"' not in third
    assert purposes(browser.get(_href(third, "newer")).text) == ["3", "2"]
    assert purposes(browser.get(_href(third, "newest")).text) == ["5", "4"]


def test_the_sharing_log_says_what_went_to_whom_why_and_by_whom(site: Site) -> None:
    for role in ("auditor", "admin", "caseworker"):
        page = site.browser(role).get("/sharing")
        assert page.status_code == 200, role
        assert "verify the identity of the child sought in request UA-1" in page.text
        assert "Disclosed record" in page.text and ">RU-1<" in page.text and "Ukraine" in page.text
    # The auditor reads the logs, not the records.
    assert 'href="/records/' not in site.browser("auditor").get("/sharing").text


# --- jobs -----------------------------------------------------------------------------------


def test_the_job_fragment_polls_until_the_job_ends(site: Site) -> None:
    browser = site.browser("caseworker")
    running = browser.get(f"/jobs/{site.job_id}", headers={"HX-Request": "true"})
    assert running.status_code == 200 and "<html" not in running.text
    assert 'hx-trigger="every 2s"' in running.text and "waiting to start" in running.text
    with transaction(default_sessions()) as session:
        session.execute(
            update(Job)
            .where(Job.id == site.job_id)
            .values(status="running", progress=40, total=100, message="compared 40 requests")
        )
    halfway = browser.get(f"/jobs/{site.job_id}", headers={"HX-Request": "true"})
    assert 'value="40"' in halfway.text and 'max="100"' in halfway.text
    assert "compared 40 requests" in halfway.text and "every 2s" in halfway.text
    with transaction(default_sessions()) as session:
        session.execute(update(Job).where(Job.id == site.job_id).values(status="done"))
    done = browser.get(f"/jobs/{site.job_id}", headers={"HX-Request": "true"})
    assert "every 2s" not in done.text and ">done<" in done.text
    assert "<html" in browser.get(f"/jobs/{site.job_id}").text


# --- languages ------------------------------------------------------------------------------


def test_a_visitor_switches_the_language_before_logging_in(site: Site) -> None:
    browser = site.browser()
    home = browser.get("/")
    token = token_in(home.text)
    switched = browser.post(
        "/language", {"lang": "uk", "next": "/login", "csrf_token": token}, token=False
    )
    assert switched.status_code == 303 and switched.headers["location"] == "/login"
    assert "reunite_lang=uk" in switched.headers["set-cookie"]
    login = browser.get("/login")
    assert '<html lang="uk">' in login.text and "Увійти" in login.text
    refused = browser.post("/language", {"lang": "ru", "csrf_token": "forged"}, token=False)
    assert refused.status_code == 403
    unknown = browser.post("/language", {"lang": "de", "csrf_token": token}, token=False)
    assert unknown.status_code == 422


def test_a_user_switches_the_language_and_keeps_it(site: Site) -> None:
    browser = site.browser("caseworker")
    switched = browser.post("/language", {"lang": "ru", "next": "/review"})
    assert switched.status_code == 303 and switched.headers["location"] == "/review"
    with transaction(default_sessions()) as session:
        user = session.scalar(select(User).where(User.username == "caseworker"))
        assert user is not None and user.language == "ru"
    page = browser.get("/review")
    assert '<html lang="ru">' in page.text and "Проверка совпадений" in page.text
    # The profile's language follows the user to a browser without the cookie.
    other = site.browser("caseworker")
    assert "Проверка совпадений" in other.get("/review").text
    other.client.cookies.set("reunite_lang", "uk")
    assert "Перевірка збігів" in other.get("/review").text


def test_errors_speak_the_language_of_the_page(site: Site) -> None:
    browser = site.browser("auditor")
    browser.client.cookies.set("reunite_lang", "uk")
    missing = browser.get("/review")
    assert missing.status_code == 404 and "Не знайдено" in missing.text


def test_the_queue_filters_by_band_age_sex_region_and_reference(site: Site) -> None:
    browser = site.browser("caseworker")

    def shown(**filters: str) -> list[int]:
        page = browser.get("/review", params=filters)
        assert page.status_code == 200, filters
        return [int(n) for n in re.findall(r'<a href="/review/(\d+)', page.text)]

    assert shown() == [site.candidate_id, site.other_candidate_id]
    assert shown(band="high") == [site.candidate_id]
    assert shown(band="low") == [site.other_candidate_id]
    assert shown(reference="ru-2") == [site.other_candidate_id]  # case does not matter
    assert shown(reference="UA-1") == [site.candidate_id, site.other_candidate_id]
    assert shown(sex="F") == []
    assert shown(age="10-13") == [site.candidate_id, site.other_candidate_id]  # born 2014
    assert shown(age="0-4") == []
    assert shown(region="мариуп") == [site.candidate_id, site.other_candidate_id]
    assert shown(region="МАРИУП") == shown(region="мариуп")  # Cyrillic folds on SQLite too
    assert shown(region="Херсон") == []
    total = browser.get("/review", params={"band": "high"}).text
    assert 'id="queue-total">1<' in total
    # A value the page does not know is said, not a crash.
    odd = browser.get("/review", params={"band": "sure"})
    assert odd.status_code == 200 and "unknown probability band" in odd.text


def test_a_related_pair_is_remembered_and_shown_on_both_records(site: Site) -> None:
    browser = site.browser("caseworker")
    done = browser.post(
        f"/review/{site.other_candidate_id}/decision",
        {"decision": "related", "reason": "the same parents: his younger brother"},
    )
    assert done.status_code == 303
    for record in (site.world.request, site.world.disclosure):
        page = browser.get(f"/records/{record}").text
        assert 'id="related"' in page, record
        assert "the same parents: his younger brother" in page
    related = browser.get("/review", params={"status": "related"})
    assert f'href="/review/{site.other_candidate_id}?status=related"' in related.text


def test_the_auditor_follows_an_entry_to_its_detail_never_to_a_dead_record_link(
    site: Site,
) -> None:
    site.browser("caseworker").get(f"/records/{site.world.request}")
    auditor = site.browser("auditor")
    log = auditor.get("/audit").text
    assert 'href="/records/' not in log  # the auditor reads the log, not the records
    entries = re.findall(r'href="/audit/(\d+)"', log)
    assert entries
    for number in set(entries):
        assert auditor.get(f"/audit/{number}").status_code == 200, number
    read = next(n for n in entries if "record.read" in auditor.get(f"/audit/{n}").text)
    page = auditor.get(f"/audit/{read}").text
    assert "read a record" in page and str(site.world.request) in page
    assert 'id="entry"' in page and "Hash of the entry before" in page
    assert 'href="/records/' not in page
    assert (
        f'href="/records/{site.world.request}"' in site.browser("admin").get(f"/audit/{read}").text
    )
    assert auditor.get("/audit/999999").status_code == 404
