"""Calls between a child and their family: asked for, a time proposed and agreed, held or not.

The family (or the adult, or the requesting party's liaison for a family without an account)
asks; the mediator proposes a time; the side that holds the child agrees it (the custodial
party's liaison, or the adult themselves); afterwards the mediator or that liaison records
whether it was held, with a short note. What was said is never stored.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from reunite.audit.service import record_event
from reunite.auth.principal import Principal
from reunite.cases.access import get_visible_case
from reunite.cases.enums import Track
from reunite.cases.models import Case
from reunite.channel.enums import CallState
from reunite.channel.models import Call
from reunite.channel.service._messages import ChannelClosed
from reunite.channel.service._sides import ChannelSides, channel_refusal, sides_of
from reunite.db.base import utcnow
from reunite.errors import Conflict, InvalidInput, NotFound
from reunite.notifications.service import notify
from reunite.vocabulary import N_, say

MAX_NOTE = 300


def _note(text: str, *, required: bool) -> str:
    text = " ".join(text.split())
    if required and not text:
        raise InvalidInput(say(N_("say why: a reason is needed")))
    if len(text) > MAX_NOTE:
        raise InvalidInput(say(N_("the note is longer than {limit} characters"), limit=MAX_NOTE))
    return text


def _audit(session: Session, principal: Principal, action: str, call: Call) -> None:
    record_event(
        session,
        actor=principal,
        action=action,
        subject_type="call",
        subject_id=str(call.id),
        details={"case": call.case_id, "state": call.state},
    )


def _holder(sides: ChannelSides, principal: Principal) -> bool:
    """Tell whether the caller is the side that holds the child (agrees the time)."""
    if sides.case.track == Track.ADULT:
        return sides.adult_user == principal.user_id
    return "custodial" in sides.capacities(principal)


def _call(
    session: Session,
    principal: Principal,
    call_id: int,
    states: tuple[CallState, ...],
    may: Callable[[Call, ChannelSides], bool],
) -> tuple[Call, ChannelSides]:
    """Return a call the caller may act on (404 otherwise), in one of the states the step needs.

    Who may act is decided before the state is looked at: a refusal never tells someone
    who may not act where a call stands.
    """
    call = session.get(Call, call_id, with_for_update=True)
    if call is None:
        raise NotFound("no such call")
    case = get_visible_case(session, principal=principal, case_id=call.case_id)
    sides = sides_of(session, case=case)
    if not sides.capacities(principal) or not may(call, sides):
        raise NotFound("no such call")
    if call.state not in states:
        raise Conflict(
            say(N_("the call is {state}"), state=CallState(call.state)), code="wrong_state"
        )
    return call, sides


def _tell(session: Session, sides: ChannelSides, call: Call, *, requester: bool) -> None:
    link = f"/cases/{call.case_id}/messages"
    if requester and call.requested_by is not None:
        notify(session, users=[call.requested_by], kind="call", link=link)
    elif sides.adult_user is not None:
        notify(session, users=[sides.adult_user], kind="call", link=link)
    elif sides.custodial_party is not None:
        notify(session, liaisons_of=sides.custodial_party, kind="call", link=link)


def request_call(session: Session, *, principal: Principal, case_id: int, note: str) -> Call:
    """Ask for a call on a case whose channel is open (the family's side)."""
    case = get_visible_case(session, principal=principal, case_id=case_id)
    refusal = channel_refusal(session, case=case)
    if refusal is not None:
        raise ChannelClosed(refusal)
    sides = sides_of(session, case=case)
    capacities = sides.capacities(principal)
    if not capacities & {"family", "adult", "requesting"}:
        raise Conflict(say(N_("calls are asked for by the family's side")), code="not_a_writer")
    call = Call(
        case_id=case.id,
        state=CallState.REQUESTED,
        requested_by=principal.user_id,
        request_note=_note(note, required=False),
        outcome_note="",
    )
    session.add(call)
    session.flush()
    notify(session, staff=True, kind="call", link=f"/cases/{case.id}/messages")
    _audit(session, principal, "call.requested", call)
    return call


def propose_call(
    session: Session, *, principal: Principal, call_id: int, when: datetime | None
) -> Call:
    """Propose a time for a call (the mediator, after speaking with the holding side)."""
    call, sides = _call(
        session, principal, call_id, (CallState.REQUESTED, CallState.PROPOSED),
        lambda _call, _sides: principal.is_staff,
    )  # fmt: skip
    if when is None:
        raise InvalidInput(say(N_("give the call's day and time")))
    when = when if when.tzinfo else when.replace(tzinfo=UTC)
    if when <= utcnow():
        raise InvalidInput(say(N_("a call is proposed for a time to come")))
    call.state = CallState.PROPOSED
    call.scheduled_for = when
    call.proposed_by = principal.user_id
    session.flush()
    _tell(session, sides, call, requester=False)
    _audit(session, principal, "call.proposed", call)
    return call


def agree_call(session: Session, *, principal: Principal, call_id: int) -> Call:
    """Agree the proposed time, as the side that holds the child."""
    call, sides = _call(
        session, principal, call_id, (CallState.PROPOSED,),
        lambda _call, sides: _holder(sides, principal),
    )  # fmt: skip
    call.state = CallState.AGREED
    call.agreed_by = principal.user_id
    call.agreed_at = utcnow()
    session.flush()
    _tell(session, sides, call, requester=True)
    _audit(session, principal, "call.agreed", call)
    return call


def record_call(
    session: Session, *, principal: Principal, call_id: int, held: bool, note: str = ""
) -> Call:
    """Record whether an agreed call was held, with a short note (never what was said)."""
    call, sides = _call(
        session, principal, call_id, (CallState.AGREED,),
        lambda _call, sides: principal.is_staff or "custodial" in sides.capacities(principal),
    )  # fmt: skip
    outcome = _note(note, required=not held)
    call.state = CallState.HELD if held else CallState.NOT_HELD
    call.outcome_note = outcome
    call.recorded_by = principal.user_id
    call.recorded_at = utcnow()
    session.flush()
    _tell(session, sides, call, requester=True)
    _audit(session, principal, "call.recorded", call)
    return call


def cancel_call(session: Session, *, principal: Principal, call_id: int, reason: str) -> Call:
    """Cancel a call not yet held (the mediator, or the person who asked for it)."""
    call, _sides = _call(
        session, principal, call_id, (CallState.REQUESTED, CallState.PROPOSED, CallState.AGREED),
        lambda call, _sides: principal.is_staff or call.requested_by == principal.user_id,
    )  # fmt: skip
    outcome = _note(reason, required=True)
    call.state = CallState.CANCELLED
    call.outcome_note = outcome
    call.recorded_by = principal.user_id
    call.recorded_at = utcnow()
    session.flush()
    _audit(session, principal, "call.cancelled", call)
    return call


def calls_of_case(session: Session, *, principal: Principal, case: Case) -> list[Call]:
    """Return a case's calls for whoever sees its channel, newest first."""
    sides = sides_of(session, case=case)
    if not sides.capacities(principal):
        return []
    return list(
        session.scalars(select(Call).where(Call.case_id == case.id).order_by(Call.id.desc()))
    )
