"""Rounds of return: a planned group of children going home, and where each child is.

Only cases whose return was approved join a round. A family group travels together: a child
of the group who does not travel with the others needs a recorded reason. The departure and
the handover of each child are events with a time; they move the case to in_transit and to
reunited, and the handover schedules the follow-up visits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from reunite.audit.service import record_event
from reunite.auth.principal import Principal
from reunite.cases.access import get_visible_case
from reunite.cases.enums import CaseStatus, EventKind
from reunite.cases.models import Case, CaseEvent, ReturnRound, RoundMember
from reunite.cases.rules import ENDINGS
from reunite.cases.service._common import add_event, move, reason_of, staff_only, text_of
from reunite.cases.service._follow_up import schedule_visits
from reunite.cases.service._transitions import check_move, refuse
from reunite.db.base import utcnow
from reunite.errors import Conflict, InvalidInput, NotFound
from reunite.vocabulary import N_, Message, say

# A time given for a departure or a handover may be late by days, never ahead of the clock.
CLOCK_SLACK = timedelta(minutes=5)


def _round(session: Session, round_id: int, *, for_update: bool = False) -> ReturnRound:
    found = session.get(ReturnRound, round_id, with_for_update=for_update)
    if found is None:
        raise NotFound("no such round")
    return found


def _audit(
    session: Session,
    principal: Principal,
    action: str,
    round_: ReturnRound,
    details: dict[str, object],
) -> None:
    record_event(
        session,
        actor=principal,
        action=action,
        subject_type="round",
        subject_id=str(round_.id),
        details=details,
    )


def create_round(
    session: Session,
    *,
    principal: Principal,
    name: str,
    planned_on: date,
    route: str,
    escort: str,
    handover_point: str,
) -> ReturnRound:
    """Plan a round: its date, route, escort organisation and handover point."""
    staff_only(principal)
    round_ = ReturnRound(
        name=text_of(name, what=Message(N_("the round's name")), limit=200),
        planned_on=planned_on,
        route=text_of(route, what=Message(N_("the route"))),
        escort=text_of(escort, what=Message(N_("the escort organisation")), limit=300),
        handover_point=text_of(handover_point, what=Message(N_("the handover point")), limit=300),
        created_by=principal.user_id,
    )
    session.add(round_)
    session.flush()
    _audit(session, principal, "round.created", round_, {"planned_on": planned_on.isoformat()})
    return round_


def _members(session: Session, round_id: int) -> list[RoundMember]:
    return list(
        session.scalars(
            select(RoundMember)
            .where(RoundMember.round_id == round_id, RoundMember.removed_at.is_(None))
            .order_by(RoundMember.id)
        )
    )


def _siblings_left_behind(session: Session, case: Case, travelling: set[int]) -> list[Case]:
    if case.family_group_id is None:
        return []
    ended = [status.value for status in ENDINGS]
    siblings = session.scalars(
        select(Case).where(
            Case.family_group_id == case.family_group_id,
            Case.id != case.id,
            Case.status.not_in(ended),
        )
    )
    return [sibling for sibling in siblings if sibling.id not in travelling]


def add_to_round(
    session: Session,
    *,
    principal: Principal,
    round_id: int,
    case_ids: list[int],
    apart_reason: str = "",
) -> list[RoundMember]:
    """Put cases whose return was approved in a round; a family travels together.

    A child whose siblings (same family group, case not ended) do not join the round too
    needs `apart_reason`; without it nothing is added and the refusal names the siblings.
    """
    staff_only(principal)
    round_ = _round(session, round_id, for_update=True)
    if any(member.departed_at is not None for member in _members(session, round_.id)):
        raise Conflict(say(N_("the round has left: children cannot join it any more")))
    cases = [
        get_visible_case(session, principal=principal, case_id=case_id, for_update=True)
        for case_id in dict.fromkeys(case_ids)
    ]
    if not cases:
        raise InvalidInput(say(N_("choose at least one case")))
    present = {member.case_id for member in _members(session, round_.id)}
    travelling = present | {case.id for case in cases}
    reason = reason_of(apart_reason, required=False)
    for case in cases:
        if case.status != CaseStatus.RETURN_APPROVED:
            raise Conflict(
                say(
                    N_(
                        "case {case} is {status}: only a case whose return was approved "
                        "joins a round"
                    ),
                    case=case.number,
                    status=CaseStatus(case.status),
                ),
                code="illegal_transition",
            )
        if case.id in present:
            raise Conflict(say(N_("case {case} is in this round already"), case=case.number))
        elsewhere = session.scalar(
            select(RoundMember.round_id).where(
                RoundMember.case_id == case.id,
                RoundMember.removed_at.is_(None),
                RoundMember.handed_over_at.is_(None),
            )
        )
        if elsewhere is not None:
            raise Conflict(say(N_("case {case} is in another round"), case=case.number))
        behind = _siblings_left_behind(session, case, travelling)
        if behind and not reason:
            raise Conflict(
                say(
                    N_(
                        "case {case} belongs to a family group whose other children ({others}) "
                        "do not join this round: add them too, or say why they travel apart"
                    ),
                    case=case.number,
                    others=", ".join(sibling.number for sibling in behind),
                ),
                code="family_apart",
            )
    members = []
    for case in cases:
        behind = _siblings_left_behind(session, case, travelling)
        member = RoundMember(
            round_id=round_.id,
            case_id=case.id,
            added_by=principal.user_id,
            apart_reason=reason if behind else "",
        )
        session.add(member)
        members.append(member)
        add_event(
            session,
            case=case,
            kind=EventKind.ROUND,
            actor=principal,
            reason=member.apart_reason,
            details={
                "round": round_.id,
                "name": round_.name,
                "planned_on": round_.planned_on.isoformat(),
            },
        )
    session.flush()
    _audit(session, principal, "round.cases_added", round_, {"cases": [c.id for c in cases]})
    return members


def _member(session: Session, round_id: int, case_id: int) -> RoundMember:
    member = session.scalar(
        select(RoundMember)
        .where(
            RoundMember.round_id == round_id,
            RoundMember.case_id == case_id,
            RoundMember.removed_at.is_(None),
        )
        .with_for_update()
    )
    if member is None:
        raise NotFound("no such case in this round")
    return member


def remove_from_round(
    session: Session, *, principal: Principal, round_id: int, case_id: int, reason: str
) -> RoundMember:
    """Take a child out of a round before departure, saying why."""
    staff_only(principal)
    round_ = _round(session, round_id, for_update=True)
    # What was typed is checked before anything is touched: a refusal leaves nothing half-done.
    why = reason_of(reason)
    case = get_visible_case(session, principal=principal, case_id=case_id, for_update=True)
    member = _member(session, round_.id, case.id)
    if member.departed_at is not None:
        raise Conflict(say(N_("the child has left with the round: record the handover instead")))
    member.removed_at = utcnow()
    member.removed_reason = why
    add_event(
        session,
        case=case,
        kind=EventKind.ROUND,
        actor=principal,
        reason=member.removed_reason,
        details={"round": round_.id, "removed": True},
    )
    _audit(session, principal, "round.case_removed", round_, {"case": case.id})
    return member


def as_utc(value: datetime) -> datetime:
    """Return a time in UTC; one given without a zone (a form's local field) is taken as UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _moment(value: datetime | None) -> datetime:
    now = utcnow()
    if value is None:
        return now
    value = as_utc(value)
    if value > now + CLOCK_SLACK:
        raise InvalidInput(say(N_("the time given is in the future")))
    return value


def record_departure(
    session: Session,
    *,
    principal: Principal,
    round_id: int,
    case_ids: list[int] | None = None,
    at: datetime | None = None,
) -> list[Case]:
    """Record that children of a round left (all waiting ones by default): in transit."""
    staff_only(principal)
    round_ = _round(session, round_id, for_update=True)
    moment = _moment(at)
    waiting = [m for m in _members(session, round_.id) if m.departed_at is None]
    if case_ids is not None:
        waiting = [m for m in waiting if m.case_id in set(case_ids)]
    if not waiting:
        raise Conflict(say(N_("no child of this round is waiting to leave")))
    moved = []
    for member in waiting:
        case = get_visible_case(
            session, principal=principal, case_id=member.case_id, for_update=True
        )
        member.departed_at = moment
        add_event(
            session,
            case=case,
            kind=EventKind.DEPARTURE,
            actor=principal,
            details={"round": round_.id, "at": moment.isoformat()},
        )
        missing = check_move(session, case=case, wanted=CaseStatus.IN_TRANSIT)
        if missing:
            raise refuse(CaseStatus.IN_TRANSIT, missing)
        move(
            session,
            case=case,
            to=CaseStatus.IN_TRANSIT,
            actor=principal,
            reason=str(say(N_("left with round {name}"), name=round_.name)),
            details={"round": round_.id, "at": moment.isoformat()},
        )
        moved.append(case)
    _audit(session, principal, "round.departed", round_, {"cases": [c.id for c in moved]})
    return moved


def record_handover(
    session: Session,
    *,
    principal: Principal,
    round_id: int,
    case_id: int,
    received_by: str,
    at: datetime | None = None,
    note: str = "",
    place: str = "",
) -> Case:
    """Record a child handed over to the family: reunited; the follow-up visits are scheduled.

    `place` is where it happened, when not at the round's handover point.
    """
    staff_only(principal)
    round_ = _round(session, round_id, for_update=True)
    # What was typed is checked before anything is touched: a refusal leaves nothing half-done.
    receiver = text_of(received_by, what=Message(N_("who received the child")), limit=300)
    where = (
        text_of(place, what=Message(N_("the place of the handover")), required=False, limit=300)
        or round_.handover_point
    )
    remark = text_of(note, what=Message(N_("note")), required=False)
    case = get_visible_case(session, principal=principal, case_id=case_id, for_update=True)
    member = _member(session, round_.id, case.id)
    if member.departed_at is None:
        raise Conflict(say(N_("record the child's departure first")))
    if member.handed_over_at is not None:
        raise Conflict(say(N_("the handover of this child is recorded already")))
    moment = _moment(at)
    if moment < as_utc(member.departed_at):
        raise InvalidInput(say(N_("the handover cannot come before the departure")))
    member.handed_over_at = moment
    add_event(
        session,
        case=case,
        kind=EventKind.HANDOVER,
        actor=principal,
        reason=remark,
        details={
            "round": round_.id,
            "at": moment.isoformat(),
            "received_by": receiver,
            "place": where,
        },
    )
    missing = check_move(session, case=case, wanted=CaseStatus.REUNITED)
    if missing:
        raise refuse(CaseStatus.REUNITED, missing)
    move(
        session,
        case=case,
        to=CaseStatus.REUNITED,
        actor=principal,
        reason=str(
            say(
                N_("handed over to {receiver} at {place}"),
                receiver=receiver,
                place=where,
            )
        ),
        details={"round": round_.id, "at": moment.isoformat()},
    )
    schedule_visits(session, principal=principal, case=case, start=moment.date())
    _audit(session, principal, "round.handover", round_, {"case": case.id})
    return case


@dataclass(frozen=True)
class Traveller:
    """Where one child of a round is."""

    case: Case
    member: RoundMember
    # Who received the child, and where (from the handover's event), once handed over.
    received_by: str = ""
    place: str = ""

    @property
    def where(self) -> str:
        """Return a code for where the child is: waiting, travelling, home or removed."""
        if self.member.removed_at is not None:
            return "removed"
        if self.member.handed_over_at is not None:
            return "home"
        if self.member.departed_at is not None:
            return "travelling"
        return "waiting"


@dataclass(frozen=True)
class RoundView:
    """A round and its children."""

    round: ReturnRound
    travellers: list[Traveller]

    @property
    def counts(self) -> dict[str, int]:
        """Return how many children are at each place."""
        counted: dict[str, int] = {"waiting": 0, "travelling": 0, "home": 0, "removed": 0}
        for traveller in self.travellers:
            counted[traveller.where] += 1
        return counted

    @property
    def phase(self) -> str:
        """Return where the round stands: planned, under_way or finished.

        It is under way from the first departure until every child who left is handed over
        and none waits; a round whose children were all taken out stays planned.
        """
        counted = self.counts
        if counted["travelling"] or (counted["home"] and counted["waiting"]):
            return "under_way"
        if counted["home"]:
            return "finished"
        return "planned"


def read_round(session: Session, *, principal: Principal, round_id: int) -> RoundView:
    """Return a round with where each of its children is."""
    staff_only(principal)
    round_ = _round(session, round_id)
    rows = list(
        session.execute(
            select(RoundMember, Case)
            .join(Case, Case.id == RoundMember.case_id)
            .where(RoundMember.round_id == round_.id)
            .order_by(Case.family_group_id, RoundMember.id)
        )
    )
    handovers = _handovers(session, round_.id, [case.id for _member, case in rows])
    travellers = []
    for member, case in rows:
        details = handovers.get(case.id, {}) if member.handed_over_at is not None else {}
        received_by, place = str(details.get("received_by", "")), str(details.get("place", ""))
        travellers.append(Traveller(case, member, received_by=received_by, place=place))
    return RoundView(round_, travellers)


def _handovers(session: Session, round_id: int, case_ids: list[int]) -> dict[int, dict[str, Any]]:
    """Return the details of each case's handover event in this round (who received, where)."""
    if not case_ids:
        return {}
    events = session.scalars(
        select(CaseEvent)
        .where(CaseEvent.case_id.in_(case_ids), CaseEvent.kind == EventKind.HANDOVER)
        .order_by(CaseEvent.id)
    )
    return {
        event.case_id: event.details for event in events if event.details.get("round") == round_id
    }


def list_rounds(session: Session, *, principal: Principal) -> list[RoundView]:
    """Return every round, the next planned first, the finished ones after."""
    staff_only(principal)
    rounds = list(session.scalars(select(ReturnRound).order_by(ReturnRound.planned_on.desc())))
    return [read_round(session, principal=principal, round_id=r.id) for r in rounds]


def round_of_case(session: Session, *, case_id: int) -> RoundMember | None:
    """Return a case's latest place in a round (not removed), if it has one."""
    return session.scalar(
        select(RoundMember)
        .where(RoundMember.case_id == case_id, RoundMember.removed_at.is_(None))
        .order_by(RoundMember.id.desc())
        .limit(1)
    )
