"""Who is told what, without looking: families of their case's steps, liaisons of releases."""

from __future__ import annotations

from integration.cases.conftest import Ways
from reunite.cases import service as cases
from reunite.notifications import service as notifications
from reunite.sharing.service import release_record


def _kinds(ways: Ways, who: str) -> list[str]:
    listed = notifications.list_notifications(ways.session, principal=ways.who(who))
    return [item.kind for item in listed.items]


def test_a_family_is_told_of_the_steps_it_may_know_and_not_of_others(ways: Ways) -> None:
    case = ways.locate()
    assert _kinds(ways, "family") == ["case_step"]
    ways.verify(case)
    assert _kinds(ways, "family") == ["case_step", "case_step"]
    # Nobody else is told of the family's case.
    for other in ("adult", "liaison_requesting", "auditor"):
        assert "case_step" not in _kinds(ways, other)
    cases.transition(
        ways.session, principal=ways.who("caseworker"), case_id=case.id, to="declined",
        reason="the family withdrew",
    )  # fmt: skip
    assert len(_kinds(ways, "family")) == 2  # told in person, not by a notification


def test_a_party_is_told_of_a_record_released_to_it(ways: Ways) -> None:
    # The world released RU-1 to the requesting party already.
    before = len(_kinds(ways, "liaison_requesting"))
    release_record(
        ways.session, principal=ways.who("caseworker"), record_id=ways.world.disclosure,
        purpose="to check the child's identity", to_party_id=ways.world.requesting.id,
    )  # fmt: skip
    assert _kinds(ways, "liaison_requesting") == ["record_released"] * (before + 1)
    assert _kinds(ways, "liaison_custodial") == []
    told = notifications.list_notifications(
        ways.session, principal=ways.who("liaison_requesting")
    ).items[0]
    assert told.link == f"/records/{ways.world.disclosure}"
