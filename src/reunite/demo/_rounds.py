"""The demo's rounds of return: one finished months ago, one under way, one planned.

`Rounds` lays out each round on the timeline: planned, joined by units of siblings together,
left, children handed over, visited after (by the settings' follow-up days), cases closed
with a second caseworker's approval, as far as each child's story goes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from reunite.cases import service as cases
from reunite.cases.models import FollowUpVisit
from reunite.db.base import utcnow
from reunite.demo._timeline import DAY, Act, Actors, Timeline
from reunite.settings import get_settings

# Where a round stands now: finished long ago (children home, visited, cases closed), under
# way (left yesterday, some handed over today), planned (children waiting to leave).
FINISHED, UNDER_WAY, PLANNED = "finished", "under_way", "planned"
ROUND_OF = {
    "closed": FINISHED,
    "follow_up": FINISHED,
    "reunited": FINISHED,
    "adult_home": FINISHED,
    "in_transit": UNDER_WAY,
    "reunited_today": UNDER_WAY,
    "planned": PLANNED,
    "adult_planned": PLANNED,
}


@dataclass(frozen=True)
class RoundPlan:
    """A round as the demo lays it out: its particulars, and its moments in days before now."""

    name: str
    route: str
    escort: str
    handover_point: str
    created: float
    added: float  # the children join it
    left: float  # negative: it leaves in so many days
    home: float  # the first handover


ROUNDS = {
    FINISHED: RoundPlan(
        name="Round 1: Moscow – Minsk – Kyiv",
        route="Moscow – Bryansk – Minsk – Kyiv, by bus; a night in Minsk",
        escort="the mediator's escort team with the embassy of Qatar",
        handover_point="Kyiv, the mediator's office",
        created=236.0,
        added=226.0,
        left=220.0,
        home=219.6,
    ),
    UNDER_WAY: RoundPlan(
        name="Round 2: Moscow – Minsk – Chernihiv",
        route="Moscow – Minsk by train, Minsk – Chernihiv by bus",
        escort="the mediator's escort team",
        handover_point="Chernihiv, the regional children's service",
        created=14.0,
        added=7.0,
        left=1.25,
        home=0.17,
    ),
    PLANNED: RoundPlan(
        name="Round 3: Moscow – Minsk – Sumy",
        route="Moscow – Minsk – Sumy, by bus",
        escort="the mediator's escort team with the Vatican's envoy",
        handover_point="Sumy, the mediator's field office",
        created=5.0,
        added=3.0,
        left=-12.0,
        home=-12.5,
    ),
}


@dataclass
class _Member:
    case_ids: list[int]
    story: str
    added: datetime


@dataclass
class Rounds:
    """The rounds of return and what happens to their children, laid out on the timeline."""

    session: Session
    actors: Actors
    timeline: Timeline
    members: dict[str, list[_Member]] = field(default_factory=dict)
    ids: dict[str, int] = field(default_factory=dict)

    def ready_by(self, key: str) -> datetime:
        """Return the moment a round's children must have their return approved by."""
        return self.timeline.ago(ROUNDS[key].added + self.timeline.rng.uniform(0.5, 4.0))

    def join(self, key: str, case_ids: list[int], story: str) -> None:
        """Put a unit of siblings in a round: they join it together, and go home together."""
        members = self.members.setdefault(key, [])
        added = self.timeline.ago(ROUNDS[key].added) + timedelta(minutes=7 * len(members))
        members.append(_Member(case_ids, story, added))

    def plan(self) -> None:
        """Lay out each round: planned, joined, left, children handed over, visited, closed."""
        for key, members in self.members.items():
            self._plan_round(key, members)

    def _plan_round(self, key: str, members: list[_Member]) -> None:
        spec = ROUNDS[key]
        cw = self.actors.caseworkers[0]
        timeline = self.timeline
        planned_on = (timeline.now - timedelta(days=spec.left)).date()

        def create() -> None:
            made = cases.create_round(
                self.session,
                principal=cw,
                name=spec.name,
                planned_on=planned_on,
                route=spec.route,
                escort=spec.escort,
                handover_point=spec.handover_point,
            )
            self.ids[key] = made.id

        timeline.at(timeline.ago(spec.created), create)
        for member in members:
            timeline.at(member.added, self._adder(key, member.case_ids))
        if spec.left < 0:
            return

        def depart() -> None:
            cases.record_departure(self.session, principal=cw, round_id=self.ids[key])

        left = timeline.at(timeline.ago(spec.left), depart)
        home = timeline.ago(spec.home)
        for number, member in enumerate(members):
            if member.story == "in_transit":
                continue
            for case_id in member.case_ids:
                handed = timeline.at(
                    max(home + timedelta(minutes=9 * number), left + timedelta(hours=2)),
                    self._handover(key, case_id),
                )
                self._after(member.story, case_id, handed)

    def _adder(self, key: str, case_ids: list[int]) -> Act:
        def add() -> None:
            cases.add_to_round(
                self.session,
                principal=self.actors.caseworkers[0],
                round_id=self.ids[key],
                case_ids=case_ids,
            )

        return add

    def _handover(self, key: str, case_id: int) -> Act:
        def hand_over() -> None:
            cases.record_handover(
                self.session,
                principal=self.actors.caseworkers[0],
                round_id=self.ids[key],
                case_id=case_id,
                received_by="the child's mother (passport checked)",
                note="the child recognised the family at once",
            )

        return hand_over

    def _after(self, story: str, case_id: int, handed: datetime) -> None:
        """Lay out the visits after the handover, and the closure, as far as the story goes."""
        if story not in ("closed", "follow_up", "adult_home"):
            return  # reunited: the first visit is overdue
        rng, timeline = self.timeline.rng, self.timeline
        days = sorted(set(get_settings().follow_up_days))
        done = len(days) if story in ("closed", "adult_home") else rng.randint(1, len(days) - 1)
        waive_last = story == "closed" and rng.random() < 0.3
        last = handed
        for index in range(done):
            moment = handed + timedelta(days=days[index] + rng.uniform(0.0, 5.0))
            if moment >= timeline.now - DAY:
                return
            waive = waive_last and index == len(days) - 1
            last = timeline.at(moment, self._visit(case_id, index, waive))
        if done < len(days):
            return
        cw, other = self.actors.caseworkers
        approval: dict[str, int] = {}

        def ask() -> None:
            moved = cases.transition(
                self.session,
                principal=cw,
                case_id=case_id,
                to="closed",
                reason="the child is settled at home; every visit is done or waived",
            )
            assert moved.approval is not None
            approval["id"] = moved.approval.id

        def approve() -> None:
            cases.decide_approval(
                self.session,
                principal=other,
                approval_id=approval["id"],
                approve=True,
                reason="read the visit reports",
            )

        asked = timeline.at(last + timedelta(days=rng.uniform(1.0, 4.0)), ask)
        timeline.at(asked + timedelta(hours=rng.uniform(2.0, 40.0)), approve)

    def _visit(self, case_id: int, index: int, waive: bool) -> Act:
        cw = self.actors.caseworkers[0]

        def visit() -> None:
            visit_id = self.session.scalars(
                select(FollowUpVisit.id)
                .where(FollowUpVisit.case_id == case_id)
                .order_by(FollowUpVisit.due_on, FollowUpVisit.id)
            ).all()[index]
            if waive:
                cases.waive_visit(
                    self.session,
                    principal=cw,
                    visit_id=visit_id,
                    reason="the family moved to Lviv; the local children's service visits them",
                )
                return
            cases.record_visit(
                self.session,
                principal=cw,
                visit_id=visit_id,
                done_on=utcnow().date(),
                outcome=VISIT_OUTCOMES[index % len(VISIT_OUTCOMES)],
            )

        return visit


VISIT_OUTCOMES = (
    "settling in; sleeps badly, sees the school psychologist weekly",
    "back at school, in the same class as before; the family copes",
    "well; no further support needed",
)
