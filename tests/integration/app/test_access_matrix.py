"""The full access matrix: every route × every role × records of either party, released or not.

Routes are not listed by hand: they are read from the application's routers, and a route
missing from RULES below fails the test, so a new page or endpoint cannot ship without a
decision on who may use it. Each cell is one real request through the application, with a
real session cookie (pages, with its CSRF token) or bearer token (API), and its answer is
sorted into "ok" (any answer but 401/403/404), "hidden" (404) or "login" (a redirect to the
login page, or 401 from the API). 403 must never appear: existence does not leak.

Requests that would change what later cells see (a release, a decision, an import) are sent
with one mistake in their body (no purpose, no reason, a bad row), so that the answer shows
the route let the caller in (422, a form with errors) without changing any record.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import select
from sqlalchemy.orm import Session

from reunite.app import create_app, routers
from reunite.attachments.service import attach_to_record
from reunite.auth.service import create_token, create_user, start_session
from reunite.cases import service as cases
from reunite.cases.enums import ApprovalKind
from reunite.cases.models import Case, FollowUpVisit
from reunite.cases.service import case_of_request, create_round
from reunite.channel.models import Call, ChannelMessage, MessagePhoto
from reunite.db.engine import transaction
from reunite.db.migrate import upgrade
from reunite.exchange.models import Batch
from reunite.exchange.service import import_list
from reunite.flows.review import decide_pair
from reunite.inquiries.models import InquiryItem
from reunite.inquiries.service import ItemDraft, create_inquiry
from reunite.jobs.service import enqueue
from reunite.notifications.models import Notification
from reunite.records.models import Record, RecordPhoto
from reunite.review.models import MatchCandidate
from reunite.settings import get_settings
from reunite.sharing.models import Release
from reunite.sharing.service import release_record
from reunite.web.deps import LOGIN_CSRF_COOKIE, SESSION_COOKIE
from reunite.wiring import default_engine, default_sessions

from world import ROLES_OF_WORLD, World, build_world

STAFF = {"admin", "caseworker"}
LIAISONS = {"liaison_requesting", "liaison_custodial"}
FILERS = {"family", "adult"}
EVERYONE = set(ROLES_OF_WORLD)
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000")


@dataclass
class Fixture:
    """The world, plus what the routes' path parameters point at."""

    world: World
    records: dict[str, uuid.UUID]  # variant -> record id
    photos: dict[str, int]  # variant -> photo id of that record
    batches: dict[str, int]  # "requesting" / "custodial" -> a batch of that party
    candidate: int
    job: int
    cookies: dict[str, tuple[str, str]]  # role -> (session secret, csrf token)
    tokens: dict[str, str]  # role -> API token
    release: int  # the world's release to the requesting party
    round: int  # a round of return, planned
    case: int  # the case of the world's request (open: it joins no round)
    visit: int  # a follow-up visit due on the case of the world's request
    message: int  # the family's draft on that case (26 words: submitting it is refused)
    call: int  # a call the family asked for on that case
    notification: int  # one of the family's notifications
    cases: dict[str, int]  # variant -> case id
    task: int  # a task of the located case
    approval: int  # an approval waiting on the located case
    attachments: dict[str, int]  # variant -> a photo attached to that record
    bystander: int  # an account nobody here logs in as: the admin's account pages act on it
    inquiry: tuple[int, int] = (0, 0)  # an information request to the custodial party, its item


# The records each party's point of view turns on: the other party's record released to
# the caller's party, or not; and a withheld one.
VISIBLE: dict[str, set[str]] = {
    "admin": {"ru_released", "ru_unreleased", "ru_withheld", "ua_released", "ua_unreleased"},
    "caseworker": {"ru_released", "ru_unreleased", "ru_withheld", "ua_released", "ua_unreleased"},
    "liaison_requesting": {"ua_released", "ua_unreleased", "ru_released"},
    "liaison_custodial": {"ru_released", "ru_unreleased", "ru_withheld", "ua_released"},
    "family": {"ua_unreleased"},  # the request the family member filed
    "adult": set(),
    "auditor": set(),
}
OWN_BATCHES = {
    "admin": {"requesting", "custodial"},
    "caseworker": {"requesting", "custodial"},
    "liaison_requesting": {"requesting"},
    "liaison_custodial": {"custodial"},
}


@pytest.fixture
def fixture(configured: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Fixture:
    monkeypatch.setenv("REUNITE_ATTACHMENTS_DIR", str(tmp_path / "attachments"))
    get_settings.cache_clear()
    upgrade(default_engine())
    with transaction(default_sessions()) as session:
        world = build_world(session, tmp_path)
        caseworker = world.principals["caseworker"]
        extra = tmp_path / "more-requests.csv"
        extra.write_text(
            "id,surname,given_name,sex,birth_date\nUA-2,Коваленко,Марія,F,2013-07-09\n",
            encoding="utf-8",
        )
        import_list(session, path=extra, party=world.requesting, kind="requests")
        ua_released = session.scalar(select(Record.id).where(Record.external_id == "UA-2"))
        assert ua_released is not None
        release_record(
            session,
            principal=caseworker,
            record_id=ua_released,
            to_party_id=world.custodial.id,
            purpose="ask the custodial party whether this girl is in its care",
        )
        records = {
            "ru_released": world.released,
            "ru_unreleased": world.disclosure,
            "ru_withheld": world.withheld,
            "ua_released": ua_released,
            "ua_unreleased": world.request,
        }
        photos = {}
        attachments = {}
        for variant, record_id in records.items():
            photo = RecordPhoto(record_id=record_id, content_type="image/png", data=PNG)
            session.add(photo)
            session.flush()
            photos[variant] = photo.id
            attached = attach_to_record(
                session, principal=caseworker, record_id=str(record_id), data=_png(variant),
                name="photo.png", kind="photo",
            )  # fmt: skip
            attachments[variant] = attached.attachment.id
        batches = {
            role: session.scalars(select(Batch.id).where(Batch.party_id == party.id)).first()
            for role, party in (("requesting", world.requesting), ("custodial", world.custodial))
        }
        candidate = MatchCandidate(
            request_id=world.request,
            disclosed_id=world.released,
            probability=0.97,
            engine_decision="match",
            explanation=[["given_name", "same", 5.0]],
        )
        session.add(candidate)
        job = enqueue(session, kind="match", payload={})
        inquiry = create_inquiry(
            session,
            principal=caseworker,
            party_id=world.custodial.id,
            subject="Is this boy in your care?",
            due_on=date.today() + timedelta(days=7),
            items=[ItemDraft(name="Лисенко Олександр", birth_date="2014-03-12")],
        )
        item = session.scalar(select(InquiryItem.id).where(InquiryItem.inquiry_id == inquiry.id))
        assert item is not None
        session.flush()
        # Cases: the family's own (open), and one located in the custodial party's records.
        located = MatchCandidate(
            request_id=ua_released, disclosed_id=world.disclosure, probability=0.9,
            engine_decision="match", explanation=[["given_name", "same", 5.0]],
        )  # fmt: skip
        session.add(located)
        session.flush()
        decide_pair(
            session, principal=caseworker, candidate_id=located.id, decision="confirmed",
            reason="same parents and birth date",
        )  # fmt: skip
        case_ids = {
            variant: cases.cases_of_request(session, request_ids=[request])[request].id
            for variant, request in (("case_filed", world.request), ("case_located", ua_released))
        }
        task = cases.add_task(
            session, principal=caseworker, case_id=case_ids["case_located"],
            title="call the school", due_on=date.today(),
        )  # fmt: skip
        approval = cases.request_approval(
            session, principal=caseworker, case=cases.read_case(
                session, principal=caseworker, case_id=case_ids["case_located"]
            ).case, kind=ApprovalKind.BEST_INTERESTS, note="assessed",
        )  # fmt: skip
        round_ = create_round(
            session, principal=caseworker, name="Round 1", planned_on=date(2030, 5, 1),
            route="by road", escort="ICRC", handover_point="Kyiv",
        )  # fmt: skip
        case = case_of_request(session, request_id=world.request)
        assert case is not None
        visit = FollowUpVisit(case_id=case.id, due_on=date(2030, 6, 1))
        session.add(visit)
        session.flush()
        message, call, notification = _channel_of(session, world, case)
        cookies = {}
        tokens = {}
        for role in ROLES_OF_WORLD:
            secret, web_session = start_session(session, user=world.users[role])
            cookies[role] = (secret, web_session.csrf_token)
            tokens[role], _ = create_token(session, username=role)
        return Fixture(
            world=world,
            records=records,
            photos=photos,
            batches={k: v for k, v in batches.items() if v is not None},
            candidate=candidate.id,
            job=job.id,
            cookies=cookies,
            tokens=tokens,
            release=session.scalars(select(Release.id).order_by(Release.id)).first() or 0,
            round=round_.id,
            case=case.id,
            visit=visit.id,
            message=message,
            call=call,
            notification=notification,
            cases=case_ids,
            task=task.id,
            approval=approval.id,
            inquiry=(inquiry.id, item),
            attachments=attachments,
            bystander=create_user(
                session, username="bystander", password="a bystander's passphrase", role="adult"
            ).id,
        )


def _channel_of(session: Session, world: World, case: Case) -> tuple[int, int, int]:
    """Open the case's channel (as if verified) with a draft, a call and a notification."""
    case.status = "verified"
    family = world.users["family"].id
    draft = ChannelMessage(
        case_id=case.id, direction="to_child", state="draft", sender_name="Мама",
        recipient_name="Оля", text=" ".join(["слово"] * 26), written_by=family, findings=[],
    )  # fmt: skip
    session.add(draft)
    session.flush()
    session.add(
        MessagePhoto(message_id=draft.id, content_type="image/png", data=PNG, width=1, height=1)
    )
    call = Call(case_id=case.id, state="requested", requested_by=family, request_note="")
    notification = Notification(user_id=family, kind="case_step", link="/my-requests")
    session.add_all([call, notification])
    session.flush()
    return draft.id, call.id, notification.id


def _png(variant: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), (len(variant) * 9, 40, 90)).save(out, "PNG")
    return out.getvalue()


# --- who may use which route ----------------------------------------------------------

Rule = Callable[[str, str], str]  # (role, variant) -> expected outcome


def roles(allowed: set[str], *, anonymous: str = "login") -> Rule:
    """These roles are let in; anyone else logged in gets 404; the anonymous get `anonymous`."""

    def rule(role: str, _variant: str) -> str:
        if role == "anonymous":
            return anonymous
        return "ok" if role in allowed else "hidden"

    return rule


def record_rule(allowed: set[str]) -> Rule:
    """These roles are let in, and only to records need to know shows them."""

    def rule(role: str, variant: str) -> str:
        if role == "anonymous":
            return "login"
        return "ok" if role in allowed and variant in VISIBLE[role] else "hidden"

    return rule


# Which case each role may see: the family's own request's case, and a case located in the
# custodial party's records (cases.access).
CASE_VISIBLE: dict[str, set[str]] = {
    "admin": {"case_filed", "case_located"},
    "caseworker": {"case_filed", "case_located"},
    "liaison_requesting": {"case_filed", "case_located"},
    "liaison_custodial": {"case_located"},
    "family": {"case_filed"},
    "adult": set(),
    "auditor": set(),
}


def case_rule(allowed: set[str]) -> Rule:
    """These roles are let in, and only to the cases need to know shows them."""

    def rule(role: str, variant: str) -> str:
        if role == "anonymous":
            return "login"
        return "ok" if role in allowed and variant in CASE_VISIBLE[role] else "hidden"

    return rule


def attach_rule(role: str, variant: str) -> str:
    """Staff attach files to any record; a liaison, to its own party's records only."""
    if role == "anonymous":
        return "login"
    own = {"liaison_requesting": "ua_", "liaison_custodial": "ru_"}.get(role)
    if role in STAFF or (own is not None and variant.startswith(own)):
        return "ok"
    return "hidden"


def batch_rule(role: str, variant: str) -> str:
    """A list is seen by its own party's liaisons and by the mediator's staff."""
    if role == "anonymous":
        return "login"
    return "ok" if variant in OWN_BATCHES.get(role, set()) else "hidden"


PAGE_USERS = EVERYONE - {"auditor"}
# Information requests: read by the staff and the auditor, and by the asked party's liaisons.
INQUIRY_READERS = STAFF | {"auditor"} | LIAISONS
ASKED = STAFF | {"auditor", "liaison_custodial"}
RULES: dict[tuple[str, str], Rule] = {
    ("GET", "/"): roles(EVERYONE, anonymous="ok"),
    ("GET", "/login"): roles(EVERYONE, anonymous="ok"),
    ("POST", "/login"): roles(EVERYONE, anonymous="ok"),
    ("POST", "/logout"): roles(EVERYONE, anonymous="any"),
    ("POST", "/language"): roles(EVERYONE, anonymous="any"),
    ("GET", "/lists"): roles(STAFF | LIAISONS),
    ("GET", "/lists/upload"): roles(STAFF | LIAISONS),
    ("POST", "/lists/upload"): roles(STAFF | LIAISONS),
    ("GET", "/lists/{batch_id}"): batch_rule,
    ("GET", "/lists/{batch_id}/standing"): batch_rule,
    ("GET", "/lists/{batch_id}/receipt"): batch_rule,
    ("GET", "/lists/{batch_id}/diff"): batch_rule,
    ("GET", "/keys/mediator.pem"): roles(EVERYONE, anonymous="ok"),
    ("GET", "/records"): roles(PAGE_USERS),
    ("GET", "/records/{record_id}"): record_rule(EVERYONE),
    ("GET", "/records/{record_id}/photos/{photo_id}"): record_rule(EVERYONE),
    ("GET", "/records/{record_id}/release"): record_rule(STAFF),
    ("POST", "/records/{record_id}/release"): record_rule(STAFF),
    ("POST", "/records/{record_id}/duplicates"): record_rule(STAFF),
    ("GET", "/duplicates"): roles(STAFF),
    ("GET", "/requests/new"): roles(FILERS),
    ("POST", "/requests/new"): roles(FILERS),
    ("GET", "/my-requests"): roles(FILERS),
    ("GET", "/review"): roles(STAFF),
    ("GET", "/review/{candidate_id}"): roles(STAFF),
    ("POST", "/review/{candidate_id}/decision"): roles(STAFF),
    ("GET", "/audit"): roles({"auditor", "admin"}),
    ("POST", "/audit/verify"): roles({"auditor", "admin"}),
    ("POST", "/audit/checkpoints"): roles({"auditor", "admin"}),
    ("GET", "/audit/{entry_id}"): roles({"auditor", "admin"}),
    ("GET", "/sharing"): roles({"auditor", "admin", "caseworker"}),
    ("POST", "/releases/{release_id}/revoke"): roles(STAFF),
    ("GET", "/jobs/{job_id}"): roles(STAFF),
    ("GET", "/cases"): roles(PAGE_USERS),
    ("GET", "/cases/{case_id}"): case_rule(PAGE_USERS),
    ("POST", "/cases/{case_id}/transition"): case_rule(STAFF),
    ("POST", "/cases/{case_id}/approvals"): case_rule(STAFF),
    ("POST", "/approvals/{approval_id}/decision"): roles(STAFF),
    ("POST", "/cases/{case_id}/assign"): case_rule(STAFF),
    ("POST", "/cases/{case_id}/notes"): case_rule(STAFF),
    ("POST", "/cases/{case_id}/tasks"): case_rule(STAFF),
    ("POST", "/tasks/{task_id}/done"): roles(STAFF),
    ("POST", "/cases/{case_id}/group"): case_rule(STAFF),
    ("POST", "/cases/{case_id}/group/leave"): case_rule(STAFF),
    ("POST", "/cases/{case_id}/verification"): case_rule(STAFF),
    ("POST", "/cases/{case_id}/signoff"): case_rule(STAFF | LIAISONS),
    ("POST", "/cases/{case_id}/best-interests"): case_rule(STAFF),
    ("POST", "/cases/{case_id}/determination"): case_rule(STAFF),
    ("POST", "/cases/{case_id}/contact"): case_rule(STAFF),
    ("POST", "/cases/{case_id}/adult"): case_rule(STAFF),
    # Only the adult whose own case it is answers (tests/integration/cases): here, nobody.
    ("POST", "/cases/{case_id}/consent"): case_rule({"adult"}),
    ("GET", "/caseload"): roles(STAFF),
    ("GET", "/api/v1/cases"): roles(PAGE_USERS),
    ("GET", "/api/v1/cases/{case_id}"): case_rule(PAGE_USERS),
    ("POST", "/api/v1/cases/{case_id}/transitions"): case_rule(STAFF),
    ("POST", "/api/v1/approvals/{approval_id}/decision"): roles(STAFF),
    # The printed file is for the people at work: the staff and the case's parties' liaisons.
    ("GET", "/cases/{case_id}/file.pdf"): case_rule(STAFF | LIAISONS),
    ("GET", "/inquiries"): roles(INQUIRY_READERS),
    ("GET", "/inquiries/new"): roles(STAFF),
    ("POST", "/inquiries/new"): roles(STAFF),
    ("GET", "/inquiries/{inquiry_id}"): roles(ASKED),
    ("POST", "/inquiries/{inquiry_id}/items/{item_id}/answer"): roles({"liaison_custodial"}),
    ("POST", "/inquiries/{inquiry_id}/withdraw"): roles(STAFF),
    ("GET", "/api/v1/me"): roles(EVERYONE),
    ("POST", "/api/v1/lists"): roles(STAFF | LIAISONS),
    ("GET", "/api/v1/lists"): roles(STAFF | LIAISONS),
    ("GET", "/api/v1/lists/{batch_id}"): batch_rule,
    ("GET", "/api/v1/lists/{batch_id}/receipt"): batch_rule,
    ("GET", "/api/v1/lists/{batch_id}/diff"): batch_rule,
    # What was released to the caller: a party's liaisons (its system), or a family or adult.
    ("GET", "/api/v1/releases"): roles(LIAISONS | FILERS),
    ("POST", "/api/v1/releases/ack"): roles(LIAISONS | FILERS),
    ("GET", "/api/v1/keys/mediator"): roles(EVERYONE, anonymous="ok"),
    # A signed checkpoint of the audit log, for the parties' systems to keep.
    ("GET", "/api/v1/audit/checkpoint"): roles(STAFF | LIAISONS | {"auditor"}),
    ("GET", "/api/v1/records"): roles(PAGE_USERS),
    ("GET", "/api/v1/records/{record_id}"): record_rule(EVERYONE),
    ("GET", "/api/v1/candidates"): roles(STAFF),
    ("POST", "/api/v1/candidates/{candidate_id}/decision"): roles(STAFF),
    ("GET", "/rounds"): roles(STAFF),
    ("GET", "/rounds/new"): roles(STAFF),
    ("POST", "/rounds/new"): roles(STAFF),
    ("GET", "/rounds/{round_id}"): roles(STAFF),
    ("POST", "/rounds/{round_id}/cases"): roles(STAFF),
    ("POST", "/rounds/{round_id}/remove"): roles(STAFF),
    ("POST", "/rounds/{round_id}/departure"): roles(STAFF),
    ("POST", "/rounds/{round_id}/handover"): roles(STAFF),
    ("GET", "/follow-up"): roles(STAFF),
    ("POST", "/follow-up/{visit_id}/record"): roles(STAFF),
    ("POST", "/follow-up/{visit_id}/waive"): roles(STAFF),
    ("POST", "/follow-up/visits"): roles(STAFF),
    ("GET", "/api/v1/rounds"): roles(STAFF),
    ("GET", "/api/v1/rounds/{round_id}"): roles(STAFF),
    # The channel of the family's case (verified) and of the located one (closed: writing is
    # refused with the reason) for whoever sees the case: the family, both parties' liaisons
    # once the child is located, the mediator. A draft is its writer's alone.
    ("GET", "/cases/{case_id}/messages"): case_rule(STAFF | LIAISONS | {"family"}),
    ("POST", "/cases/{case_id}/messages"): case_rule(STAFF | LIAISONS | {"family"}),
    ("POST", "/cases/{case_id}/calls"): case_rule(STAFF | LIAISONS | {"family"}),
    ("GET", "/messages"): roles(FILERS | LIAISONS),
    ("GET", "/messages/deliveries"): roles(LIAISONS),
    ("GET", "/messages/moderation"): roles(STAFF),
    ("GET", "/messages/{message_id}/photo"): roles({"family"}),
    ("POST", "/messages/{message_id}/submit"): roles({"family"}),
    ("POST", "/messages/{message_id}/approve"): roles(STAFF),
    ("POST", "/messages/{message_id}/return"): roles(STAFF),
    ("POST", "/messages/{message_id}/delivery"): roles(set()),
    ("GET", "/api/v1/cases/{case_id}/messages"): case_rule(STAFF | LIAISONS | {"family"}),
    ("POST", "/api/v1/cases/{case_id}/messages"): case_rule(STAFF | LIAISONS | {"family"}),
    ("GET", "/api/v1/messages/{message_id}"): roles({"family"}),
    ("GET", "/api/v1/messages/{message_id}/photo"): roles({"family"}),
    ("POST", "/api/v1/messages/{message_id}/approve"): roles(STAFF),
    ("POST", "/api/v1/messages/{message_id}/return"): roles(STAFF),
    ("POST", "/api/v1/messages/{message_id}/delivery"): roles(set()),
    # Calls: the mediator proposes and records; the side holding the child agrees (nobody,
    # here: the child is not located); the asker or the mediator cancels.
    ("POST", "/calls/{call_id}/propose"): roles(STAFF),
    ("POST", "/calls/{call_id}/agree"): roles(set()),
    ("POST", "/calls/{call_id}/record"): roles(STAFF),
    ("POST", "/calls/{call_id}/cancel"): roles(STAFF | {"family"}),
    # Accounts: one's own password; the admin's list of accounts and what it does to one.
    ("GET", "/account/password"): roles(EVERYONE),
    ("POST", "/account/password"): roles(EVERYONE),
    ("GET", "/admin/accounts"): roles({"admin"}),
    ("GET", "/admin/accounts/{user_id}"): roles({"admin"}),
    ("POST", "/admin/accounts/{user_id}/disable"): roles({"admin"}),
    ("POST", "/admin/accounts/{user_id}/enable"): roles({"admin"}),
    ("POST", "/admin/accounts/{user_id}/reset-password"): roles({"admin"}),
    ("POST", "/admin/accounts/{user_id}/logout-everywhere"): roles({"admin"}),
    ("POST", "/admin/accounts/{user_id}/unlock"): roles({"admin"}),
    ("POST", "/admin/accounts/{user_id}/second-factor"): roles({"admin"}),
    ("GET", "/notifications"): roles(EVERYONE),
    ("POST", "/notifications/read"): roles(EVERYONE),
    ("POST", "/notifications/{notification_id}/open"): roles({"family"}),
    ("GET", "/api/v1/inquiries"): roles(INQUIRY_READERS),
    ("POST", "/api/v1/inquiries"): roles(STAFF),
    ("GET", "/api/v1/inquiries/{inquiry_id}"): roles(ASKED),
    ("POST", "/api/v1/inquiries/{inquiry_id}/items/{item_id}/answer"): roles({"liaison_custodial"}),
    ("POST", "/api/v1/inquiries/{inquiry_id}/withdraw"): roles(STAFF),
    ("POST", "/records/{record_id}/attachments"): attach_rule,
    ("POST", "/cases/{case_id}/attachments"): case_rule(STAFF),
    ("GET", "/attachments/{attachment_id}"): record_rule(EVERYONE),
    ("POST", "/api/v1/records/{record_id}/attachments"): attach_rule,
    ("GET", "/api/v1/records/{record_id}/attachments"): record_rule(EVERYONE),
    ("POST", "/api/v1/cases/{case_id}/attachments"): case_rule(STAFF),
    # A case's files: whoever sees the case (a family only its photos; none here).
    ("GET", "/api/v1/cases/{case_id}/attachments"): case_rule(STAFF | LIAISONS | {"family"}),
    ("GET", "/api/v1/attachments/{attachment_id}"): record_rule(EVERYONE),
    # Figures: the dashboard is the mediator's; public statistics are anyone's, no login.
    ("GET", "/dashboard"): roles(STAFF),
    ("GET", "/dashboard/briefing.pdf"): roles(STAFF),
    ("GET", "/dashboard/{key}.csv"): roles(STAFF),
    ("GET", "/statistics"): roles(EVERYONE, anonymous="ok"),
    ("GET", "/statistics/{table}.csv"): roles(EVERYONE, anonymous="ok"),
    ("GET", "/statistics.json"): roles(EVERYONE, anonymous="ok"),
}


def all_routes() -> list[tuple[str, str]]:
    """Every (method, path) the application serves through its domain routers."""
    found = []
    for router, prefix in routers():
        for route in router.routes:
            if isinstance(route, APIRoute):
                found.extend((method, prefix + route.path) for method in sorted(route.methods))
    return found


def variants(path: str) -> list[str]:
    """The kinds of target a route is tried on."""
    if "{record_id}" in path or "{attachment_id}" in path:
        return ["ru_released", "ru_unreleased", "ru_withheld", "ua_released", "ua_unreleased"]
    if "{batch_id}" in path:
        return ["requesting", "custodial"]
    if "{case_id}" in path:
        return ["case_filed", "case_located"]
    return ["-"]


def _url(path: str, fixture: Fixture, variant: str) -> str:
    return (
        path.replace("{record_id}", str(fixture.records.get(variant, "")))
        .replace("{photo_id}", str(fixture.photos.get(variant, 0)))
        .replace("{batch_id}", str(fixture.batches.get(variant, 0)))
        .replace("{candidate_id}", str(fixture.candidate))
        .replace("{job_id}", str(fixture.job))
        .replace("{release_id}", str(fixture.release))
        .replace("{entry_id}", "1")
        .replace("{case_id}", str(fixture.cases.get(variant, 0)))
        .replace("{task_id}", str(fixture.task))
        .replace("{approval_id}", str(fixture.approval))
        .replace("{round_id}", str(fixture.round))
        .replace("{visit_id}", str(fixture.visit))
        .replace("{message_id}", str(fixture.message))
        .replace("{call_id}", str(fixture.call))
        .replace("{notification_id}", str(fixture.notification))
        .replace("{inquiry_id}", str(fixture.inquiry[0]))
        .replace("{item_id}", str(fixture.inquiry[1]))
        .replace("{attachment_id}", str(fixture.attachments.get(variant, 0)))
        .replace("{key}", "status")
        .replace("{table}", "oblast")
        .replace("{user_id}", str(fixture.bystander))
    )


BAD_REQUEST_ROW = "id,surname,given_name,birth_date\nUA-X,Шевченко,Тарас,31.02.2014\n"
BAD_DISCLOSURE_ROW = "id,surname,given_name,birth_date\nRU-X,Шевченко,Тарас,31.02.2014\n"


def _body(method: str, path: str, role: str, fixture: Fixture) -> dict[str, Any]:
    """A request body that gets past access control but changes nothing (one mistake in it)."""
    if method != "POST":
        return {}
    world = fixture.world
    if path in ("/lists/upload", "/api/v1/lists"):
        custodial = role == "liaison_custodial"
        text = BAD_DISCLOSURE_ROW if custodial else BAD_REQUEST_ROW
        data = {"kind": "disclosures" if custodial else "requests"}
        if role in STAFF:
            data["party"] = world.requesting.name
        return {"files": {"file": ("list.csv", text.encode(), "text/csv")}, "data": data}
    if path.endswith("/attachments"):
        # A file that is not a PDF, JPEG or PNG: refused (422) once the caller is let in.
        return {
            "files": {"file": ("p.png", b"not a picture", "image/png")},
            "data": {"kind": "photo"},
        }
    if path == "/api/v1/releases/ack":
        return {"json": {"cursor": "not a cursor"}}  # refused once the caller is let in
    if path.endswith("/release"):
        return {"data": {"to": f"party:{world.requesting.id}", "purpose": ""}}
    if path == "/requests/new":
        return {"data": {"surname": "", "given_name": ""}}
    if path.endswith("/decision"):
        if path.startswith("/api/"):
            return {"json": {"decision": "confirmed", "reason": ""}}
        return {"data": {"decision": "confirmed", "reason": ""}}
    if path.startswith(("/inquiries", "/api/v1/inquiries")):
        # Each with one mistake: no subject, no kind of answer, no reason.
        if path.startswith("/api/"):
            if path.endswith("/answer"):
                return {"json": {"kind": "records", "records": []}}
            if path.endswith("/withdraw"):
                return {"json": {"reason": ""}}
            return {"json": {"party_id": world.custodial.id, "subject": "", "due_on": "2030-01-01",
                             "items": [{"name": "x"}]}}  # fmt: skip
        if path == "/inquiries/new":
            return {"data": {"party": str(world.custodial.id), "subject": "", "due_on": ""}}
        return {"data": {"kind": "", "reason": ""}}
    if path == "/login":
        token = "login-form-token"  # the double-submit pair: cookie and field agree
        data = {"username": role, "password": "not the password", "csrf_token": token}
        return {"data": data, "cookies": {LOGIN_CSRF_COOKIE: token}}
    if path == "/language":
        return {"data": {"lang": "uk", "next": "/"}}
    if path.startswith(("/rounds", "/follow-up")):
        # Each form with a mistake (no date, reason, receiver or day; a case only open): refused.
        data = {"case": str(fixture.case), "reason": "", "received_by": "", "done_on": ""}
        return {"data": data}
    if path.endswith("/messages"):
        return {"data": {"text": " "}}  # empty: refused once the caller is let in
    if path.endswith("/calls"):
        return {"data": {"note": "x" * 301}}  # too long
    if path.endswith("/return") or path.endswith("/delivery"):
        return {"json": {"reason": ""}} if path.startswith("/api/") else {"data": {"reason": ""}}
    if path == "/api/v1/cases/{case_id}/transitions":
        return {"json": {"to": "tracing", "reason": ""}}
    if path == "/api/v1/approvals/{approval_id}/decision":
        return {"json": {"approve": False, "reason": ""}}
    if path.startswith(("/cases/", "/approvals/")):
        # Every case form sent empty: a reason, a name or an answer is missing (422), or the
        # step does not apply yet (409); nothing changes.
        return {"data": {"to": "", "reason": "", "decision": "", "username": ""}}
    return {"data": {}}


def outcome(path: str, status: int, location: str) -> str:
    """Sort an answer into ok / hidden / login."""
    if status == 404:
        return "hidden"
    if path.startswith("/api/") and status == 401:
        return "login"
    if status in (302, 303) and location.startswith("/login"):
        return "login"
    if status == 403:
        return "forbidden"  # never expected: a 403 tells that the thing exists
    if status >= 500:
        return "server error"
    return "ok"


def _cells(fixture: Fixture) -> Iterator[tuple[str, str, str, str]]:
    for method, path in all_routes():
        for role in ("anonymous", *ROLES_OF_WORLD):
            for variant in variants(path):
                yield method, path, role, variant


def test_every_route_has_a_rule() -> None:
    missing = sorted(set(all_routes()) - set(RULES))
    assert not missing, f"routes without an access rule: {missing}"
    stale = sorted(set(RULES) - set(all_routes()))
    assert not stale, f"rules for routes that no longer exist: {stale}"


def test_every_cell_of_the_matrix_answers_as_need_to_know_says(fixture: Fixture) -> None:
    client = TestClient(create_app(), follow_redirects=False)
    failures = []
    # Reads first; logging out (which ends the role's session) last of all.
    cells = sorted(_cells(fixture), key=lambda cell: (cell[0] == "POST", cell[1] == "/logout"))
    for method, path, role, variant in cells:
        expected = RULES[(method, path)](role, variant)
        headers: dict[str, str] = {}
        client.cookies.clear()
        if role != "anonymous":
            if path.startswith("/api/"):
                headers["Authorization"] = f"Bearer {fixture.tokens[role]}"
            else:
                secret, csrf = fixture.cookies[role]
                client.cookies.set(SESSION_COOKIE, secret)
                headers["X-CSRF-Token"] = csrf
        url = _url(path, fixture, variant)
        body = _body(method, path, role, fixture)
        for name, value in body.pop("cookies", {}).items():
            client.cookies.set(name, value)
        answer = client.request(method, url, headers=headers, **body)
        got = outcome(path, answer.status_code, answer.headers.get("location", ""))
        if expected != "any" and got != expected:
            failures.append(
                f"{method} {path} [{variant}] as {role}: {answer.status_code} ({got}), "
                f"expected {expected}"
            )
    assert not failures, "\n".join(failures)


EXTERNAL_IDS = {
    "ru_released": "RU-1",
    "ru_unreleased": "RU-2",
    "ru_withheld": "RU-3",
    "ua_released": "UA-2",
    "ua_unreleased": "UA-1",
}


@pytest.mark.parametrize("role", sorted(PAGE_USERS))
def test_lists_of_records_show_exactly_what_need_to_know_allows(
    fixture: Fixture, role: str
) -> None:
    client = TestClient(create_app(), follow_redirects=False)
    token = {"Authorization": f"Bearer {fixture.tokens[role]}"}
    listed = client.get("/api/v1/records", params={"limit": 200}, headers=token)
    assert listed.status_code == 200
    ids = {str(item["id"]) for item in listed.json()["items"]}
    assert ids == {str(fixture.records[variant]) for variant in VISIBLE[role]}
    client.cookies.set(SESSION_COOKIE, fixture.cookies[role][0])
    page = client.get("/records")
    assert page.status_code == 200
    shown = {variant for variant, external in EXTERNAL_IDS.items() if external in page.text}
    assert shown == VISIBLE[role]
