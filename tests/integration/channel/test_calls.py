"""Calls: asked for by the family's side, a time proposed by the mediator and agreed by the
side holding the child, recorded as held or not; never their content."""

from __future__ import annotations

from datetime import timedelta

import pytest

from integration.cases.conftest import Ways
from reunite.channel import service as channel
from reunite.channel.service._messages import ChannelClosed
from reunite.db.base import utcnow
from reunite.errors import Conflict, InvalidInput, NotFound
from reunite.notifications import service as notifications


def test_a_call_is_asked_for_agreed_and_recorded(ways: Ways) -> None:
    case = ways.verify(ways.locate())
    call = channel.request_call(
        ways.session, principal=ways.who("family"), case_id=case.id, note="after school, please"
    )
    assert call.state == "requested"
    assert notifications.unread_count(ways.session, principal=ways.who("caseworker")) == 1
    with pytest.raises(NotFound):  # only the mediator proposes a time
        channel.propose_call(
            ways.session, principal=ways.who("family"), call_id=call.id,
            when=utcnow() + timedelta(days=2),
        )  # fmt: skip
    with pytest.raises(InvalidInput, match="time to come"):
        channel.propose_call(
            ways.session, principal=ways.who("caseworker"), call_id=call.id,
            when=utcnow() - timedelta(hours=1),
        )  # fmt: skip
    channel.propose_call(
        ways.session, principal=ways.who("caseworker"), call_id=call.id,
        when=utcnow() + timedelta(days=2),
    )  # fmt: skip
    assert call.state == "proposed"
    # The side holding the child agrees the time: not the family, not the requesting party.
    for other in ("family", "liaison_requesting"):
        with pytest.raises(NotFound):
            channel.agree_call(ways.session, principal=ways.who(other), call_id=call.id)
    channel.agree_call(ways.session, principal=ways.who("liaison_custodial"), call_id=call.id)
    assert call.state == "agreed" and call.agreed_at is not None
    with pytest.raises(InvalidInput, match="reason"):  # not held: say why
        channel.record_call(
            ways.session, principal=ways.who("caseworker"), call_id=call.id, held=False
        )
    channel.record_call(
        ways.session, principal=ways.who("liaison_custodial"), call_id=call.id, held=True,
        note="20 minutes, video",
    )  # fmt: skip
    assert call.state == "held"
    with pytest.raises(Conflict):
        channel.cancel_call(
            ways.session, principal=ways.who("caseworker"), call_id=call.id, reason="late"
        )
    seen = channel.calls_of_case(ways.session, principal=ways.who("family"), case=case)
    assert [c.state for c in seen] == ["held"]


def test_a_call_not_held_and_one_cancelled(ways: Ways) -> None:
    case = ways.verify(ways.locate())
    first = channel.request_call(
        ways.session, principal=ways.who("family"), case_id=case.id, note=""
    )
    channel.propose_call(
        ways.session, principal=ways.who("caseworker"), call_id=first.id,
        when=utcnow() + timedelta(days=1),
    )  # fmt: skip
    channel.agree_call(ways.session, principal=ways.who("liaison_custodial"), call_id=first.id)
    channel.record_call(
        ways.session, principal=ways.who("caseworker"), call_id=first.id, held=False,
        note="the line to the institution was down",
    )  # fmt: skip
    assert first.state == "not_held"
    second = channel.request_call(
        ways.session, principal=ways.who("family"), case_id=case.id, note=""
    )
    with pytest.raises(NotFound):  # only the asker or the mediator cancels
        channel.cancel_call(
            ways.session, principal=ways.who("liaison_custodial"), call_id=second.id, reason="x"
        )
    channel.cancel_call(
        ways.session, principal=ways.who("family"), call_id=second.id, reason="we will write"
    )
    assert second.state == "cancelled"


def test_no_call_before_verification_and_none_for_strangers(ways: Ways) -> None:
    case = ways.locate()
    with pytest.raises(ChannelClosed):
        channel.request_call(ways.session, principal=ways.who("family"), case_id=case.id, note="")
    ways.verify(case)
    call = channel.request_call(
        ways.session, principal=ways.who("family"), case_id=case.id, note=""
    )
    for stranger in ("adult", "auditor"):
        with pytest.raises(NotFound):
            channel.cancel_call(
                ways.session, principal=ways.who(stranger), call_id=call.id, reason="x"
            )
    assert channel.calls_of_case(ways.session, principal=ways.who("adult"), case=case) == []
