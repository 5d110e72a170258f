"""Who sees which case, and the adult track's rule: nothing about an adult leaves without them."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from integration.cases.conftest import Ways
from reunite.auth.service import create_user, principal_of
from reunite.cases import service as cases
from reunite.errors import Conflict, NotFound
from reunite.flows.consent import answer_for_oneself
from reunite.records.access import can_see_record, released_fields
from reunite.records.models import Record
from reunite.sharing.service import release_record

from world import PASSWORD


def _sees(ways: Ways, name: str, case_id: int) -> bool:
    try:
        cases.read_case(ways.session, principal=ways.who(name), case_id=case_id)
    except NotFound:
        return False
    return True


def test_who_sees_a_case_before_and_after_its_child_is_located(ways: Ways) -> None:
    case = ways.case_of(ways.world.request)
    before = {name: _sees(ways, name, case.id) for name in ways.world.principals}
    assert before == {
        "admin": True, "caseworker": True, "caseworker2": True, "liaison_requesting": True,
        "liaison_custodial": False, "family": True, "adult": False, "auditor": False,
    }  # fmt: skip
    ways.locate()  # the child is found in the custodial party's records
    assert _sees(ways, "liaison_custodial", case.id)
    assert not _sees(ways, "adult", case.id) and not _sees(ways, "auditor", case.id)


def test_lists_hold_only_what_the_caller_may_see(ways: Ways) -> None:
    other = ways.case_of(ways.add_request("UA-5", "Коваль", "Ганна", "2013-09-09"))
    listed = {
        name: {c.id for c in cases.list_cases(ways.session, principal=ways.who(name))}
        for name in ("caseworker", "liaison_requesting", "liaison_custodial", "family", "auditor")
    }
    mine = ways.case_of(ways.world.request).id
    assert listed == {
        "caseworker": {mine, other.id},
        "liaison_requesting": {mine, other.id},
        "liaison_custodial": set(),
        "family": {mine},  # the family filed UA-1 only
        "auditor": set(),
    }
    assert cases.count_cases(ways.session, principal=ways.who("family")) == 1


def test_a_family_reads_what_became_of_their_child_not_the_work(ways: Ways) -> None:
    case = ways.verify(ways.locate())
    cases.add_note(
        ways.session, principal=ways.who("caseworker"), case_id=case.id,
        text="the mother is fragile: call her before noon",
    )  # fmt: skip
    view = cases.read_case(ways.session, principal=ways.who("family"), case_id=case.id)
    assert {event.kind for event in view.events} <= {"opened", "transition", "handover"}
    assert all("fragile" not in event.reason for event in view.events)
    assert view.approvals == [] and view.tasks == [] and view.best_interests is None


def test_the_staff_only_steps_do_not_exist_for_others(ways: Ways) -> None:
    case = ways.locate()
    for name in ("liaison_requesting", "family", "adult", "auditor"):
        with pytest.raises(NotFound):
            cases.transition(
                ways.session, principal=ways.who(name), case_id=case.id, to="tracing",
                reason="let me try",
            )  # fmt: skip
        with pytest.raises(NotFound):
            cases.add_note(ways.session, principal=ways.who(name), case_id=case.id, text="hi")


def _adult_case(ways: Ways) -> tuple[int, Record]:
    case = ways.contact_adult()
    disclosed = ways.session.get(Record, case.disclosed_id)
    assert disclosed is not None
    return case.id, disclosed


def test_an_adult_sees_their_own_case_and_record_and_nobody_elses(ways: Ways) -> None:
    case_id, disclosed = _adult_case(ways)
    adult = ways.who("adult")
    assert _sees(ways, "adult", case_id)
    assert not _sees(ways, "adult", ways.case_of(ways.world.request).id)
    assert can_see_record(ways.session, principal=adult, record_id=disclosed.id)
    assert "current_location" in released_fields(ways.session, principal=adult, record=disclosed)
    assert not can_see_record(ways.session, principal=adult, record_id=ways.world.withheld)
    # Another adult account sees nothing of it.
    stranger = create_user(ways.session, username="adult2", password=PASSWORD, role="adult")
    other = principal_of(ways.session, stranger)
    with pytest.raises(NotFound):
        cases.read_case(ways.session, principal=other, case_id=case_id)
    with pytest.raises(NotFound):
        answer_for_oneself(
            ways.session, principal=other, case_id=case_id, kind="return", answer="yes"
        )
    assert not can_see_record(ways.session, principal=other, record_id=disclosed.id)


def test_nothing_about_an_adult_is_released_without_their_consent(ways: Ways) -> None:
    request = ways.add_request("UA-8", "Шевченко", "Дарина", "2007-01-10")
    ways.confirm(request, ways.world.disclosure)
    case = ways.case_of(request)
    assert case.track == "adult"
    cases.link_adult(
        ways.session, principal=ways.who("caseworker"), case_id=case.id, username="adult"
    )
    with pytest.raises(Conflict) as refused:
        release_record(
            ways.session, principal=ways.who("caseworker"), record_id=ways.world.disclosure,
            to_party_id=ways.world.requesting.id, purpose="identify the child",
        )  # fmt: skip
    assert refused.value.code == "adult_consent" and case.number in refused.value.detail
    # Nor the request that sought her, to the party that holds her.
    with pytest.raises(Conflict, match="adult track"):
        release_record(
            ways.session, principal=ways.who("caseworker"), record_id=request,
            to_party_id=ways.world.custodial.id, purpose="ask about her",
        )  # fmt: skip
    answer_for_oneself(
        ways.session, principal=ways.who("adult"), case_id=case.id, kind="contact", answer="yes"
    )
    release = release_record(
        ways.session, principal=ways.who("caseworker"), record_id=ways.world.disclosure,
        to_party_id=ways.world.requesting.id, purpose="identify the child",
    )  # fmt: skip
    liaison = ways.who("liaison_requesting")
    assert can_see_record(ways.session, principal=liaison, record_id=ways.world.disclosure)
    # She changes her mind: what was shared on her yes is withdrawn at once.
    answered = answer_for_oneself(
        ways.session, principal=ways.who("adult"), case_id=case.id, kind="contact", answer="no",
        note="not now",
    )  # fmt: skip
    assert [r.id for r in answered.withdrawn] == [release.id] and release.revoked_at is not None
    assert not can_see_record(ways.session, principal=liaison, record_id=ways.world.disclosure)
    with pytest.raises(Conflict, match="adult track"):
        release_record(
            ways.session, principal=ways.who("caseworker"), record_id=ways.world.disclosure,
            to_party_id=ways.world.requesting.id, purpose="again",
        )  # fmt: skip


def test_an_adults_record_without_a_case_is_not_released(ways: Ways) -> None:
    request = ways.add_request("UA-6", "Мельник", "Ольга", "2005-05-05")
    # Its case is on the adult track; a disclosed record of an adult with no case at all too.
    ways.session.execute(
        Record.__table__.update()  # type: ignore[attr-defined]
        .where(Record.id == ways.world.disclosure)
        .values(birth_date="2006-01-01")
    )
    ways.session.expire_all()
    for record_id, party in ((ways.world.disclosure, ways.world.requesting),
                             (request, ways.world.custodial)):  # fmt: skip
        with pytest.raises(Conflict) as refused:
            release_record(
                ways.session, principal=ways.who("caseworker"), record_id=record_id,
                to_party_id=party.id, purpose="identify",
            )  # fmt: skip
        assert refused.value.code == "adult_consent"
    still = ways.session.scalar(select(Record.birth_date).where(Record.id == ways.world.released))
    assert still == "2014-03-12"
