"""Information requests as services: asking, answering, withdrawing, need to know, the median."""

from __future__ import annotations

from datetime import timedelta

import pytest
from asking import NOW, TODAY, Asking
from sqlalchemy import select
from sqlalchemy.orm import Session

from reunite.cases.models import Case
from reunite.errors import Conflict, InvalidInput, NotFound
from reunite.exchange.models import Batch
from reunite.inquiries import service as inquiries
from reunite.inquiries.enums import InquiryState
from reunite.inquiries.models import InquiryItem, InquiryItemRecord
from reunite.inquiries.service import ItemDraft, median_time
from reunite.web import present  # noqa: F401 - registers the filters the templates use
from reunite.web.render import templates


def _actions(session: Session) -> list[str]:
    return [entry["action"] for entry in session.info.get("reunite_audit_pending", [])]


def _items(asking: Asking, inquiry_id: int) -> list[InquiryItem]:
    return list(
        asking.session.scalars(
            select(InquiryItem)
            .where(InquiryItem.inquiry_id == inquiry_id)
            .order_by(InquiryItem.position)
        )
    )


def test_a_request_copies_each_childs_name_and_birth_date_and_is_audited(asking: Asking) -> None:
    world = asking.world
    typed = ItemDraft(name="Коваль  Анна", birth_date="12.05.2015", question="Is she with you?")
    inquiry = asking.ask(
        items=[
            ItemDraft(case_id=asking.case_id(world.request)),
            ItemDraft(request_id=asking.record("UA-7").id, question="Her mother asks."),
            typed,
            # The same child chosen again, from its request: asked once.
            ItemDraft(request_id=world.request),
        ]
    )
    assert inquiry.state == "open" and inquiry.party_id == world.custodial.id
    first, second, third = _items(asking, inquiry.id)
    assert (first.name, first.birth_date) == ("Лисенко Олександр Миколайович", "2014-03-12")
    assert first.case_id == asking.case_id(world.request) and first.request_id == world.request
    assert (second.name, second.birth_date, second.question) == (
        "Мельник Софія Петрівна", "2016-08", "Her mother asks.",
    )  # fmt: skip
    assert second.case_id == asking.case_id(asking.record("UA-7").id)
    assert (third.name, third.birth_date, third.case_id) == ("Коваль Анна", "2015-05-12", None)
    assert "inquiry.created" in _actions(asking.session)


@pytest.mark.parametrize("who", ["liaison_requesting", "liaison_custodial", "family", "auditor"])
def test_only_the_mediators_staff_ask(asking: Asking, who: str) -> None:
    with pytest.raises(NotFound):
        inquiries.create_inquiry(
            asking.session, principal=asking.who(who), party_id=asking.world.custodial.id,
            subject="x", due_on=TODAY + timedelta(days=3), items=[ItemDraft(name="Анна")],
            now=NOW,
        )  # fmt: skip


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"due_on": TODAY - timedelta(days=1)}, "has passed"),
        ({"due_on": TODAY + timedelta(days=400)}, "within a year"),
        ({"items": [ItemDraft(question="who?")]}, "needs a name"),
        ({"items": [ItemDraft(name="Анна", birth_date="31.02.2015")]}, "birth date"),
        ({"items": [ItemDraft(name="Анна", birth_date="1980")]}, "before"),
        ({"party": "mediator"}, "requesting or custodial"),
        ({"subject": "   "}, "subject"),
    ],
)
def test_a_request_is_refused_with_its_reason(
    asking: Asking, change: dict[str, object], says: str
) -> None:
    world = asking.world
    party = {"mediator": world.mediator}.get(str(change.get("party")), world.custodial)
    arguments = {
        "subject": change.get("subject", "Mariupol"),
        "due_on": change.get("due_on", TODAY + timedelta(days=7)),
        "items": change.get("items", [ItemDraft(name="Анна")]),
    }
    with pytest.raises(InvalidInput) as refused:
        inquiries.create_inquiry(
            asking.session, principal=asking.who("caseworker"), party_id=party.id, now=NOW,
            **arguments,  # type: ignore[arg-type]
        )  # fmt: skip
    assert says in str(refused.value)


def test_an_empty_list_of_children_is_refused(asking: Asking) -> None:
    with pytest.raises(InvalidInput, match="at least one child"):
        inquiries.create_inquiry(
            asking.session, principal=asking.who("admin"), party_id=asking.world.custodial.id,
            subject="Mariupol", due_on=TODAY, items=[], now=NOW,
        )  # fmt: skip


def test_the_party_answers_each_child_and_the_last_answer_answers_the_request(
    asking: Asking,
) -> None:
    world = asking.world
    inquiry = asking.ask(items=[ItemDraft(case_id=asking.case_id(world.request)),
                                ItemDraft(name="Коваль Анна", birth_date="2015")])  # fmt: skip
    answered_at = NOW + timedelta(days=3)
    asking.answer(inquiry, 1, kind="records", records=["RU-2", str(world.released)],
                  note="two boys of that name", now=answered_at)  # fmt: skip
    assert inquiry.state == "open" and inquiry.answered_at is None
    asking.answer(inquiry, 2, kind="not_on_record", now=answered_at + timedelta(hours=5))
    assert inquiry.state == InquiryState.ANSWERED
    assert inquiry.answered_at == answered_at + timedelta(hours=5)
    first, second = _items(asking, inquiry.id)
    given = set(
        asking.session.scalars(
            select(InquiryItemRecord.record_id).where(InquiryItemRecord.item_id == first.id)
        )
    )
    assert given == {world.disclosure, world.released}
    assert (first.answer_kind, first.answer_note) == ("records", "two boys of that name")
    assert second.answer_kind == "not_on_record" and second.answered_at is not None
    assert _actions(asking.session).count("inquiry.answered") == 2
    view = inquiries.read_inquiry(
        asking.session, principal=asking.who("caseworker"), inquiry_id=inquiry.id
    )
    assert view.state == InquiryState.ANSWERED and view.answered_count == 2
    assert {r.reference for r in view.items[0].records} == {"RU-1", "RU-2"}
    assert view.items[0].answered_by == "liaison_custodial"
    assert "inquiry.read" in _actions(asking.session)


def test_a_party_answers_only_with_its_own_records_and_lists(asking: Asking) -> None:
    world = asking.world
    inquiry = asking.ask()
    # The requesting party's request is not the custodial party's to give, by id or reference.
    for reference in ("UA-1", str(world.request), "RU-404"):
        with pytest.raises(InvalidInput, match="not among your party's records"):
            asking.answer(inquiry, 1, kind="records", records=[reference])
    with pytest.raises(InvalidInput, match="name the records"):
        asking.answer(inquiry, 1, kind="records", records=[" "])
    theirs = asking.session.scalar(select(Batch.id).where(Batch.party_id == world.requesting.id))
    ours = asking.session.scalar(select(Batch.id).where(Batch.party_id == world.custodial.id))
    with pytest.raises(InvalidInput, match="list your party sent"):
        asking.answer(inquiry, 1, kind="batch", batch_id=theirs)
    with pytest.raises(InvalidInput, match="answer with records"):
        asking.answer(inquiry, 1, kind="maybe")
    asking.answer(inquiry, 1, kind="batch", batch_id=ours)
    (item,) = _items(asking, inquiry.id)
    assert item.batch_id == ours and inquiry.state == "answered"


def test_an_answer_is_given_once_and_never_to_a_withdrawn_request(asking: Asking) -> None:
    inquiry = asking.ask(items=[ItemDraft(name="Анна"), ItemDraft(name="Олена")])
    asking.answer(inquiry, 1)
    with pytest.raises(Conflict) as twice:
        asking.answer(inquiry, 1, kind="records", records=["RU-1"])
    assert twice.value.code == "already_answered"
    with pytest.raises(InvalidInput, match="reason"):
        inquiries.withdraw_inquiry(
            asking.session, principal=asking.who("caseworker"), inquiry_id=inquiry.id, reason=" "
        )
    inquiries.withdraw_inquiry(
        asking.session, principal=asking.who("caseworker"), inquiry_id=inquiry.id,
        reason="the child was found through the family",
    )  # fmt: skip
    assert inquiry.state == "withdrawn" and inquiry.withdraw_reason.startswith("the child")
    assert "inquiry.withdrawn" in _actions(asking.session)
    with pytest.raises(Conflict) as late:
        asking.answer(inquiry, 2)
    assert late.value.code == "inquiry_withdrawn"
    with pytest.raises(Conflict) as again:
        inquiries.withdraw_inquiry(
            asking.session, principal=asking.who("admin"), inquiry_id=inquiry.id, reason="again"
        )
    assert again.value.code == "inquiry_withdrawn"


def test_an_answered_request_cannot_be_withdrawn_and_only_staff_withdraw(asking: Asking) -> None:
    inquiry = asking.ask()
    for who in ("liaison_custodial", "auditor", "family"):
        with pytest.raises(NotFound):
            inquiries.withdraw_inquiry(
                asking.session, principal=asking.who(who), inquiry_id=inquiry.id, reason="no"
            )
    asking.answer(inquiry, 1)
    with pytest.raises(Conflict) as refused:
        inquiries.withdraw_inquiry(
            asking.session, principal=asking.who("caseworker"), inquiry_id=inquiry.id,
            reason="too late",
        )  # fmt: skip
    assert refused.value.code == "inquiry_answered"


def test_need_to_know_the_asked_party_only(asking: Asking) -> None:
    inquiry = asking.ask()
    (item,) = _items(asking, inquiry.id)
    for who in ("liaison_requesting", "family", "adult"):
        with pytest.raises(NotFound):
            inquiries.read_inquiry(asking.session, principal=asking.who(who), inquiry_id=inquiry.id)
        lines = inquiries.list_inquiries(asking.session, principal=asking.who("liaison_requesting"))
        assert lines == []
    # Another party's liaison, the family and the staff do not answer for the asked party.
    for who in ("liaison_requesting", "family", "caseworker", "admin", "auditor"):
        with pytest.raises(NotFound):
            inquiries.answer_item(
                asking.session, principal=asking.who(who), inquiry_id=inquiry.id,
                item_id=item.id, kind="not_on_record",
            )  # fmt: skip
    # An id guessed beyond the requests, or an item of another request, is as unknown.
    with pytest.raises(NotFound):
        inquiries.read_inquiry(
            asking.session, principal=asking.who("liaison_custodial"), inquiry_id=inquiry.id + 99
        )
    other = asking.ask(items=[ItemDraft(name="Олена")])
    with pytest.raises(NotFound):
        inquiries.answer_item(
            asking.session, principal=asking.who("liaison_custodial"), inquiry_id=other.id,
            item_id=item.id, kind="not_on_record",
        )  # fmt: skip
    seen = inquiries.read_inquiry(
        asking.session, principal=asking.who("liaison_custodial"), inquiry_id=inquiry.id
    )
    assert seen.answers and not seen.sees_sources
    audited = inquiries.read_inquiry(
        asking.session, principal=asking.who("auditor"), inquiry_id=inquiry.id
    )
    assert not audited.answers and not audited.sees_sources
    staff = inquiries.read_inquiry(
        asking.session, principal=asking.who("caseworker"), inquiry_id=inquiry.id
    )
    assert staff.sees_sources and not staff.answers
    listed = inquiries.list_inquiries(asking.session, principal=asking.who("liaison_custodial"))
    assert {line.inquiry.id for line in listed} == {inquiry.id, other.id}
    with pytest.raises(NotFound):
        inquiries.list_inquiries(asking.session, principal=asking.who("family"))


def test_overdue_is_an_open_request_past_its_due_date(asking: Asking) -> None:
    late = asking.ask(now=NOW - timedelta(days=30), due_on=TODAY - timedelta(days=2))
    due_today = asking.ask(due_on=TODAY)
    answered = asking.ask(now=NOW - timedelta(days=30), due_on=TODAY - timedelta(days=3))
    asking.answer(answered, 1)
    withdrawn = asking.ask(now=NOW - timedelta(days=30), due_on=TODAY - timedelta(days=3))
    inquiries.withdraw_inquiry(
        asking.session, principal=asking.who("admin"), inquiry_id=withdrawn.id, reason="found"
    )
    assert inquiries.state_of(late, TODAY) == InquiryState.OVERDUE
    assert inquiries.state_of(due_today, TODAY) == InquiryState.OPEN
    assert inquiries.state_of(answered, TODAY) == InquiryState.ANSWERED
    assert inquiries.state_of(withdrawn, TODAY) == InquiryState.WITHDRAWN
    staff = asking.who("caseworker")
    for state, expected in (
        (InquiryState.OVERDUE, {late.id}),
        (InquiryState.OPEN, {due_today.id}),
        (InquiryState.ANSWERED, {answered.id}),
        (InquiryState.WITHDRAWN, {withdrawn.id}),
    ):
        lines = inquiries.list_inquiries(asking.session, principal=staff, state=state, today=TODAY)
        assert {line.inquiry.id for line in lines} == expected
        assert all(line.state == state for line in lines)
        assert inquiries.count_inquiries(
            asking.session, principal=staff, state=state, today=TODAY
        ) == len(expected)
    figures = {
        f.party.id: f for f in inquiries.party_figures(asking.session, principal=staff, today=TODAY)
    }
    custodial = figures[asking.world.custodial.id]
    assert (custodial.open, custodial.overdue, custodial.answered, custodial.withdrawn) == (
        1, 1, 1, 1,
    )  # fmt: skip
    # A party never asked is listed with nothing.
    requesting = figures[asking.world.requesting.id]
    assert (requesting.open, requesting.overdue, requesting.median_to_answer) == (0, 0, None)
    # The day after its due date, the request due today is overdue too.
    tomorrow = TODAY + timedelta(days=1)
    assert inquiries.state_of(due_today, tomorrow) == InquiryState.OVERDUE


def test_the_median_time_to_answer() -> None:
    hours = [timedelta(hours=h) for h in (10, 1, 3)]
    assert median_time(hours) == timedelta(hours=3)
    assert median_time([*hours, timedelta(hours=5)]) == timedelta(hours=4)
    assert median_time([timedelta(days=2)]) == timedelta(days=2)
    assert median_time([]) is None


@pytest.mark.parametrize(
    ("hours", "median"),
    [((30, 6, 12), 12.0), ((30, 6, 12, 48), 21.0), ((), None)],
    ids=["odd", "even", "none answered"],
)
def test_the_median_time_to_answer_per_party(
    asking: Asking, hours: tuple[int, ...], median: float | None
) -> None:
    for taken in hours:
        inquiry = asking.ask(now=NOW - timedelta(days=10))
        asking.answer(inquiry, 1, now=NOW - timedelta(days=10) + timedelta(hours=taken))
    # Open and withdrawn requests do not count, however old.
    asking.ask(now=NOW - timedelta(days=20))
    # Another party's answers are its own.
    other = asking.ask(party="requesting", now=NOW - timedelta(days=10))
    asking.answer(other, 1, by="liaison_requesting", now=NOW)
    figures = {
        f.party.id: f
        for f in inquiries.party_figures(asking.session, principal=asking.who("auditor"))
    }
    custodial = figures[asking.world.custodial.id]
    got = custodial.median_to_answer
    assert (got.total_seconds() / 3600 if got is not None else None) == median
    assert custodial.answered == len(hours)
    assert figures[asking.world.requesting.id].median_days == 10.0
    # A liaison sees its own party's figures only.
    mine = inquiries.party_figures(asking.session, principal=asking.who("liaison_custodial"))
    assert [f.party.id for f in mine] == [asking.world.custodial.id]


def test_the_requests_about_a_case_as_each_caller_may_see_them(asking: Asking) -> None:
    world = asking.world
    case_id = asking.case_id(world.request)
    to_custodial = asking.ask()
    to_requesting = asking.ask(party="requesting")
    asking.ask(items=[ItemDraft(name="Олена")])  # about another child
    staff = inquiries.inquiries_about_case(
        asking.session, principal=asking.who("caseworker"), case_id=case_id
    )
    assert {line.inquiry.id for line in staff} == {to_custodial.id, to_requesting.id}
    # The requesting party's liaison sees the case, and only the request to its party.
    theirs = inquiries.inquiries_about_case(
        asking.session, principal=asking.who("liaison_requesting"), case_id=case_id
    )
    assert [line.inquiry.id for line in theirs] == [to_requesting.id]
    # The family sees its case, never the mediator's requests about it.
    assert (
        inquiries.inquiries_about_case(
            asking.session, principal=asking.who("family"), case_id=case_id
        )
        == []
    )
    # The custodial liaison does not see the case (its child was not located there).
    with pytest.raises(NotFound):
        inquiries.inquiries_about_case(
            asking.session, principal=asking.who("liaison_custodial"), case_id=case_id
        )


@pytest.mark.parametrize("language", ["en", "uk"])
def test_the_case_partial_lists_a_cases_requests_for_the_lead_to_include(
    asking: Asking, language: str
) -> None:
    world = asking.world
    case_id = asking.case_id(world.request)
    inquiry = asking.ask(now=NOW - timedelta(days=30), due_on=TODAY - timedelta(days=1))
    partial = templates.get_template("_case_inquiries.html")

    def shown(who: str) -> str:
        lines = inquiries.inquiries_about_case(
            asking.session, principal=asking.who(who), case_id=case_id
        )
        case = type("CaseStub", (), {"id": case_id})()
        return partial.render(
            case_inquiries=lines, case=case, principal=asking.who(who), lang=language
        )

    staff = shown("caseworker")
    assert f'href="/inquiries/{inquiry.id}"' in staff and "overdue-flag" in staff
    assert f'href="/inquiries/new?case={case_id}"' in staff
    if language == "uk":
        assert "Інформаційні запити" in staff and "прострочено" in staff
    # The family's case page shows nothing of the mediator's requests.
    assert shown("family").strip() == ""
    # The requesting party's liaison was not asked: nothing to show, no link to ask.
    assert "/inquiries" not in shown("liaison_requesting")


def test_a_withheld_request_or_an_adult_without_consent_is_not_named_to_the_other_party(
    asking: Asking,
) -> None:
    world = asking.world
    request = asking.record("UA-7")
    request.withheld = True
    with pytest.raises(InvalidInput, match="withheld it"):
        asking.ask(items=[ItemDraft(request_id=request.id)])
    # Its own party may be asked about it.
    asking.ask(party="requesting", items=[ItemDraft(request_id=request.id)])
    request.withheld = False
    case = asking.session.get(Case, asking.case_id(world.request))
    assert case is not None
    case.track = "adult"
    asking.session.flush()
    with pytest.raises(InvalidInput, match="adult track"):
        asking.ask(items=[ItemDraft(case_id=case.id)])
    asking.ask(items=[ItemDraft(request_id=request.id)])


def test_the_form_offers_minors_cases_under_way_from_requests_not_withheld(asking: Asking) -> None:
    world = asking.world
    staff = asking.who("caseworker")
    offered = {c.case_id: c for c in inquiries.case_choices(asking.session, principal=staff)}
    first, second = asking.case_id(world.request), asking.case_id(asking.record("UA-7").id)
    assert set(offered) == {first, second}
    assert offered[first].name == "Лисенко Олександр Миколайович"
    assert offered[first].birth_date == "2014-03-12" and offered[first].number.startswith("C-")
    asking.record("UA-7").withheld = True
    case = asking.session.get(Case, first)
    assert case is not None
    case.track = "adult"
    asking.session.flush()
    assert inquiries.case_choices(asking.session, principal=staff) == []
    case.track, case.status = "minor", "closed"
    asking.session.flush()
    assert inquiries.case_choices(asking.session, principal=staff) == []
    with pytest.raises(NotFound):
        inquiries.case_choices(asking.session, principal=asking.who("liaison_custodial"))
