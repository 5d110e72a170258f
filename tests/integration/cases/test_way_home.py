"""The rules of the way home, at the service: each status needs what it rests on."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from integration.cases.conftest import Ways
from reunite.cases import service as cases
from reunite.cases.models import Case, CaseEvent, CaseRequest, FollowUpVisit
from reunite.errors import Conflict, InvalidInput, NotFound
from reunite.flows.review import decide_pair


def _events(ways: Ways, case: Case) -> list[tuple[str, str | None, str]]:
    rows = ways.session.scalars(
        select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)
    )
    return [(e.kind, e.to_status, e.reason) for e in rows]


def _move(ways: Ways, case: Case, to: str, by: str = "caseworker") -> cases.Moved:
    return cases.transition(
        ways.session, principal=ways.who(by), case_id=case.id, to=to, reason="as recorded"
    )


# --- opening ----------------------------------------------------------------------------------


def test_each_request_of_a_list_opens_one_case_and_a_repeat_opens_none(ways: Ways) -> None:
    case = ways.case_of(ways.world.request)
    assert case.status == "open" and case.track == "minor"
    assert _events(ways, case) == [("opened", "open", "")]
    links = ways.session.scalars(select(CaseRequest).where(CaseRequest.case_id == case.id))
    assert [link.request_id for link in links] == [ways.world.request]
    # Disclosed records open no case; opening again opens nothing more.
    assert ways.session.scalar(select(Case).where(Case.request_id == ways.world.released)) is None
    assert cases.open_cases(ways.session) == 0


def test_a_person_already_18_opens_on_the_adult_track(ways: Ways) -> None:
    adult = ways.add_request("UA-9", "Бондар", "Ірина", "2006-02-01")
    assert ways.case_of(adult).track == "adult"
    kinds = [kind for kind, _to, _why in _events(ways, ways.case_of(adult))]
    assert kinds == ["opened", "track"]


def test_requests_linked_as_one_child_share_one_case(ways: Ways) -> None:
    first = ways.case_of(ways.world.request)
    other = ways.add_request("UA-2", "Лисенко", "Олександр", "2014-03-12")
    second = ways.case_of(other)
    assert second.id != first.id
    kept = cases.join_duplicates(
        ways.session, principal=ways.who("caseworker"), request_ids=[ways.world.request, other]
    )
    assert kept is not None and kept.id == first.id
    assert ways.case_of(other).id == first.id
    assert second.status == "duplicate"
    assert "the same child as in case " + first.number in _events(ways, second)[-1][2]


# --- located ----------------------------------------------------------------------------------


def test_located_needs_a_confirmed_match_and_says_so(ways: Ways) -> None:
    case = ways.case_of(ways.world.request)
    with pytest.raises(cases.IllegalTransition) as refused:
        _move(ways, case, "located")
    assert refused.value.code == "illegal_transition" and refused.value.status == 409
    assert "a case is located only on a confirmed match" in refused.value.detail
    assert case.status == "open"


def test_confirming_the_match_locates_the_case_and_reversing_it_takes_it_back(
    ways: Ways,
) -> None:
    case = ways.locate()
    assert case.disclosed_id == ways.world.released and case.candidate_id is not None
    candidate = case.candidate_id
    outcome = decide_pair(
        ways.session, principal=ways.who("admin"), candidate_id=candidate,
        decision="rejected", reason="DNA: not the child",
    )  # fmt: skip
    assert outcome.case is case and case.status == "tracing"
    assert case.disclosed_id is None and case.candidate_id is None
    kind, to, why = _events(ways, case)[-1]
    assert (kind, to) == ("transition", "tracing")
    assert why == "the match that located the child was reversed: DNA: not the child"


def test_a_reversal_is_refused_once_the_child_is_on_the_way_home(ways: Ways) -> None:
    case = ways.approve_return(ways.contact(ways.verify(ways.locate())))
    assert case.status == "return_approved"
    with pytest.raises(Conflict) as refused:
        decide_pair(
            ways.session, principal=ways.who("admin"), candidate_id=case.candidate_id or 0,
            decision="rejected", reason="second thoughts",
        )  # fmt: skip
    assert refused.value.code == "case_depends" and case.number in refused.value.detail


# --- verified ---------------------------------------------------------------------------------


def test_verified_needs_evidence_willingness_and_the_three_signatures(ways: Ways) -> None:
    case = ways.locate()
    with pytest.raises(cases.IllegalTransition, match="record how identity"):
        _move(ways, case, "verified")
    cases.record_verification(
        ways.session, principal=ways.who("caseworker"), case_id=case.id,
        evidence={"interview": "the boy named his school and his dog"},
        child_willing="yes", family_willing="no",
    )  # fmt: skip
    cases.sign_verification(ways.session, principal=ways.who("caseworker"), case_id=case.id)
    with pytest.raises(cases.IllegalTransition) as refused:
        _move(ways, case, "verified")
    missing = [str(m) for m in refused.value.missing]  # type: ignore[attr-defined]
    assert missing == [
        "the family's willingness is not recorded as yes",
        "the verification is not signed by the requesting party",
        "the verification is not signed by the custodial party",
    ]
    assert case.status == "located"


def test_each_side_signs_only_for_itself_and_only_once(ways: Ways) -> None:
    case = ways.locate()
    cases.record_verification(
        ways.session, principal=ways.who("caseworker"), case_id=case.id,
        evidence={"dna": "99.9% maternity"}, child_willing="yes", family_willing="yes",
    )  # fmt: skip
    signed = cases.sign_verification(
        ways.session, principal=ways.who("liaison_custodial"), case_id=case.id
    )
    assert signed.side == "custodial"
    with pytest.raises(Conflict, match="signed this verification already"):
        cases.sign_verification(
            ways.session, principal=ways.who("liaison_custodial"), case_id=case.id
        )
    # Families and auditors sign nothing; the family's case exists for them, the sign does not.
    for name in ("family", "auditor"):
        with pytest.raises(NotFound):
            cases.sign_verification(ways.session, principal=ways.who(name), case_id=case.id)


def test_a_new_verification_needs_new_signatures(ways: Ways) -> None:
    case = ways.verify(ways.locate())
    cases.transition(
        ways.session, principal=ways.who("caseworker"), case_id=case.id, to="tracing",
        reason="the custodial party withdrew the record",
    )  # fmt: skip
    assert case.status == "tracing"


# --- four eyes --------------------------------------------------------------------------------


def test_a_step_needing_approval_waits_and_its_asker_cannot_approve_it(ways: Ways) -> None:
    case = ways.locate()
    cases.record_verification(
        ways.session, principal=ways.who("caseworker"), case_id=case.id,
        evidence={"documents": "passport"}, child_willing="yes", family_willing="yes",
    )  # fmt: skip
    for name in ("caseworker", "liaison_requesting", "liaison_custodial"):
        cases.sign_verification(ways.session, principal=ways.who(name), case_id=case.id)
    moved = _move(ways, case, "verified")
    assert moved.event is None and moved.approval is not None and case.status == "located"
    with pytest.raises(Conflict) as refused:
        cases.decide_approval(
            ways.session, principal=ways.who("caseworker"), approval_id=moved.approval.id,
            approve=True, reason="",
        )  # fmt: skip
    assert refused.value.code == "four_eyes" and case.status == "located"
    # Asking twice while one waits is refused too.
    with pytest.raises(Conflict, match="already waits"):
        _move(ways, case, "verified")
    # A liaison is not a second person of the mediator.
    with pytest.raises(NotFound):
        cases.decide_approval(
            ways.session, principal=ways.who("liaison_requesting"),
            approval_id=moved.approval.id, approve=True, reason="",
        )  # fmt: skip
    sent_back = cases.decide_approval(
        ways.session, principal=ways.who("caseworker2"), approval_id=moved.approval.id,
        approve=False, reason="the photo set was not age-matched",
    )  # fmt: skip
    assert sent_back.event is None and case.status == "located"
    assert moved.approval.state == "sent_back"
    with pytest.raises(Conflict, match="decided already"):
        cases.decide_approval(
            ways.session, principal=ways.who("admin"), approval_id=moved.approval.id,
            approve=True, reason="",
        )  # fmt: skip


def test_sending_back_needs_a_reason(ways: Ways) -> None:
    case = ways.locate()
    cases.record_verification(
        ways.session, principal=ways.who("caseworker"), case_id=case.id,
        evidence={"documents": "passport"}, child_willing="yes", family_willing="yes",
    )  # fmt: skip
    for name in ("caseworker", "liaison_requesting", "liaison_custodial"):
        cases.sign_verification(ways.session, principal=ways.who(name), case_id=case.id)
    approval = _move(ways, case, "verified").approval
    assert approval is not None
    with pytest.raises(InvalidInput, match="say why"):
        cases.decide_approval(
            ways.session, principal=ways.who("caseworker2"), approval_id=approval.id,
            approve=False, reason="  ",
        )  # fmt: skip


# --- contact, best interests, return ----------------------------------------------------------


def test_contact_established_needs_contact_recorded(ways: Ways) -> None:
    case = ways.verify(ways.locate())
    with pytest.raises(cases.IllegalTransition, match="record the contact"):
        _move(ways, case, "contact_established")
    ways.contact(case)
    assert case.status == "contact_established"


def test_a_minors_return_needs_an_approved_best_interests_assessment(ways: Ways) -> None:
    case = ways.contact(ways.verify(ways.locate()))
    with pytest.raises(cases.IllegalTransition, match="best-interests assessment"):
        _move(ways, case, "return_approved")
    cases.record_best_interests(
        ways.session, principal=ways.who("caseworker"), case_id=case.id,
        child_views="wants to go home", care_arrangements="mother", risks="none",
        red_flag=False,
    )  # fmt: skip
    with pytest.raises(cases.IllegalTransition, match="a second person has not approved"):
        _move(ways, case, "return_approved")


def test_a_red_flag_needs_a_panel_of_three_that_finds_for_the_return(ways: Ways) -> None:
    case = ways.contact(ways.verify(ways.locate()))
    with pytest.raises(cases.IllegalTransition, match="red flag"):
        ways.approve_return(case, red_flag=True)
    with pytest.raises(InvalidInput, match="at least 3 named people"):
        cases.record_determination(
            ways.session, principal=ways.who("caseworker"), case_id=case.id,
            panel=["A. Koval", "A. Koval ", ""], decision="return",
            return_in_best_interests=True, decided_on=date.today(),
        )  # fmt: skip
    cases.record_determination(
        ways.session, principal=ways.who("caseworker"), case_id=case.id,
        panel=["A. Koval", "B. Petrenko", "C. Smith"], decision="the grandmother cannot care",
        return_in_best_interests=False, decided_on=date.today(),
    )  # fmt: skip
    with pytest.raises(cases.IllegalTransition, match="not in the child's best interests"):
        _move(ways, case, "return_approved")
    cases.record_determination(
        ways.session, principal=ways.who("caseworker"), case_id=case.id,
        panel=["A. Koval", "B. Petrenko", "C. Smith"], decision="the aunt will care",
        return_in_best_interests=True, decided_on=date.today(),
    )  # fmt: skip
    _move(ways, case, "return_approved")
    ways.approve_last(case)
    assert case.status == "return_approved"


def test_an_adults_return_needs_their_own_consent_and_nobody_else_can_give_it(
    ways: Ways,
) -> None:
    case = ways.contact_adult()
    assert case.track == "adult"
    with pytest.raises(cases.IllegalTransition, match="their own consent"):
        _move(ways, case, "return_approved")
    # A caseworker cannot record it for them; nor can the family, nor another adult.
    for name in ("caseworker", "family"):
        with pytest.raises(NotFound):
            cases.record_consent(
                ways.session, principal=ways.who(name), case_id=case.id, kind="return",
                answer="yes",
            )  # fmt: skip
    # A best-interests assessment is for minors.
    with pytest.raises(Conflict, match="adult decides for themselves"):
        cases.record_best_interests(
            ways.session, principal=ways.who("caseworker"), case_id=case.id,
            child_views="-", care_arrangements="-", risks="-", red_flag=False,
        )  # fmt: skip
    cases.record_consent(
        ways.session, principal=ways.who("adult"), case_id=case.id, kind="return", answer="no"
    )
    with pytest.raises(cases.IllegalTransition, match="their own consent"):
        _move(ways, case, "return_approved")
    cases.record_consent(
        ways.session, principal=ways.who("adult"), case_id=case.id, kind="return", answer="yes",
        note="I want to see my mother",
    )  # fmt: skip
    _move(ways, case, "return_approved")
    ways.approve_last(case)
    assert case.status == "return_approved"


# --- round, reunited, follow-up, closed -------------------------------------------------------


def test_in_transit_and_reunited_come_only_from_the_round(ways: Ways) -> None:
    case = ways.approve_return(ways.contact(ways.verify(ways.locate())))
    for status in ("in_transit", "reunited"):
        with pytest.raises(cases.IllegalTransition, match="recorded in the case's round"):
            _move(ways, case, status)
    round_id = ways.send_home(case)
    assert case.status == "reunited"
    kinds = [kind for kind, _to, _why in _events(ways, case)][-6:]
    assert kinds == ["round", "departure", "transition", "handover", "transition", "follow_up"]
    view = cases.read_round(ways.session, principal=ways.who("admin"), round_id=round_id)
    assert view.counts == {"waiting": 0, "travelling": 0, "home": 1, "removed": 0}
    visits = list(
        ways.session.scalars(select(FollowUpVisit).where(FollowUpVisit.case_id == case.id))
    )
    assert [(v.due_on - date.today()).days for v in visits] == [14, 91, 182]


def test_closed_needs_every_visit_done_or_waived_with_a_reason(ways: Ways) -> None:
    case = ways.approve_return(ways.contact(ways.verify(ways.locate())))
    ways.send_home(case)
    visits = list(
        ways.session.scalars(select(FollowUpVisit).where(FollowUpVisit.case_id == case.id))
    )
    cases.record_visit(
        ways.session, principal=ways.who("caseworker"), visit_id=visits[0].id,
        done_on=date.today(), outcome="settled, back at school",
    )  # fmt: skip
    assert case.status == "follow_up"
    with pytest.raises(cases.IllegalTransition, match="2 follow-up visit"):
        _move(ways, case, "closed")
    with pytest.raises(InvalidInput, match="say why"):
        cases.waive_visit(ways.session, principal=ways.who("caseworker"), visit_id=visits[1].id,
                          reason="")  # fmt: skip
    for visit in visits[1:]:
        cases.waive_visit(
            ways.session, principal=ways.who("caseworker"), visit_id=visit.id,
            reason="the family moved abroad",
        )  # fmt: skip
    _move(ways, case, "closed")
    assert case.status == "follow_up"  # closure waits for a second person
    ways.approve_last(case)
    assert case.status == "closed"
    with pytest.raises(cases.IllegalTransition, match="cannot become"):
        _move(ways, case, "tracing")


def test_a_family_travels_together_or_a_reason_is_given(ways: Ways) -> None:
    first = ways.approve_return(ways.contact(ways.verify(ways.locate())))
    sister = ways.case_of(ways.add_request("UA-7", "Лисенко", "Марія", "2016-06-01"))
    cases.group_cases(
        ways.session, principal=ways.who("caseworker"), case_ids=[first.id, sister.id],
        name="Лисенко",
    )  # fmt: skip
    round_ = cases.create_round(
        ways.session, principal=ways.who("caseworker"), name="Round 2",
        planned_on=date.today() + timedelta(days=3), route="by road", escort="ICRC",
        handover_point="Kyiv",
    )  # fmt: skip
    with pytest.raises(Conflict) as refused:
        cases.add_to_round(
            ways.session, principal=ways.who("caseworker"), round_id=round_.id,
            case_ids=[first.id],
        )  # fmt: skip
    assert refused.value.code == "family_apart" and sister.number in refused.value.detail
    # The sister's return is not approved: she cannot join, and the reason lets him go alone.
    with pytest.raises(Conflict, match="only a case whose return was approved"):
        cases.add_to_round(
            ways.session, principal=ways.who("caseworker"), round_id=round_.id,
            case_ids=[first.id, sister.id],
        )  # fmt: skip
    (member,) = cases.add_to_round(
        ways.session, principal=ways.who("caseworker"), round_id=round_.id, case_ids=[first.id],
        apart_reason="his sister is still being traced",
    )  # fmt: skip
    assert member.apart_reason == "his sister is still being traced"


# --- the illegal graph ------------------------------------------------------------------------


@pytest.mark.parametrize("wanted", ["verified", "reunited", "closed", "follow_up", "flying"])
def test_a_move_the_graph_does_not_allow_is_refused_with_the_reason(
    ways: Ways, wanted: str
) -> None:
    case = ways.case_of(ways.world.request)
    with pytest.raises((cases.IllegalTransition, InvalidInput)) as refused:
        _move(ways, case, wanted)
    if wanted == "flying":
        assert "unknown status 'flying'" in refused.value.detail
    else:
        assert refused.value.code == "illegal_transition"
    assert case.status == "open"
    assert _events(ways, case) == [("opened", "open", "")]


def test_an_ending_needs_a_reason_and_is_kept_on_the_timeline(ways: Ways) -> None:
    case = ways.case_of(ways.world.request)
    with pytest.raises(InvalidInput, match="say why"):
        cases.transition(
            ways.session, principal=ways.who("caseworker"), case_id=case.id, to="declined",
            reason=" ",
        )  # fmt: skip
    cases.transition(
        ways.session, principal=ways.who("caseworker"), case_id=case.id, to="declined",
        reason="the family withdrew the request",
    )  # fmt: skip
    assert _events(ways, case)[-1] == ("transition", "declined", "the family withdrew the request")


def test_linking_two_requests_as_one_child_joins_their_cases(ways: Ways) -> None:
    from reunite.flows.duplicates import decide_likely_duplicate

    other = ways.add_request(
        "UA-2", "Лисенко", "Олександр", "2014-03-12", sex="M", patronymic="Миколайович"
    )
    second = ways.case_of(other)
    link, kept = decide_likely_duplicate(
        ways.session, principal=ways.who("caseworker"), record_id=ways.world.request,
        other_id=other, decision="link", reason="the same boy, asked for by his aunt too",
    )  # fmt: skip
    assert link.status == "linked"
    first = ways.case_of(ways.world.request)
    assert kept is first and ways.case_of(other) is first and second.status == "duplicate"
