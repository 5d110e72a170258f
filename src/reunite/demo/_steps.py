"""The steps of the demo's way home, each a call of the services and flows people use.

`Timeline` keeps every step with its moment and runs them all in the order of time, the
clock run from each moment. `Journey` lays out a unit of siblings' steps for a story, between
a first and a last moment; `Rounds` lays out the rounds of return, their departures,
handovers, the visits after and the closures.
"""

from __future__ import annotations

import random
import secrets
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from reunite.audit.service import record_event
from reunite.auth.models import User
from reunite.auth.principal import Principal
from reunite.auth.service import create_user, principal_of
from reunite.cases import service as cases
from reunite.cases.access import get_visible_case
from reunite.cases.enums import ApprovalKind
from reunite.cases.models import FollowUpVisit
from reunite.db.base import clock_from, utcnow
from reunite.flows.consent import answer_for_oneself
from reunite.flows.duplicates import decide_likely_duplicate
from reunite.flows.review import decide_pair
from reunite.settings import get_settings

if TYPE_CHECKING:
    from reunite.demo.way_home import Walker

Act = Callable[[], object]
DAY = timedelta(days=1)


@dataclass(frozen=True)
class Actors:
    """The demo's people who act: two caseworkers, the admin, each party's liaison, an adult."""

    caseworkers: tuple[Principal, Principal]
    admin: Principal
    requesting: Principal
    custodial: Principal
    adult: Principal


def actors_of(session: Session) -> Actors:
    """Return the demo accounts that act on the cases."""

    def who(username: str) -> Principal:
        user = session.scalar(select(User).where(User.username == username))
        assert user is not None, username
        return principal_of(session, user)

    return Actors(
        caseworkers=(who("demo-caseworker"), who("demo-caseworker-2")),
        admin=who("demo-admin"),
        requesting=who("demo-liaison-requesting"),
        custodial=who("demo-liaison-custodial"),
        adult=who("demo-adult"),
    )


@dataclass
class Timeline:
    """Every step with its moment; `run` does them in the order of time."""

    rng: random.Random
    start: datetime
    now: datetime
    steps: list[tuple[datetime, int, Act]] = field(default_factory=list)

    def at(self, moment: datetime, act: Act) -> datetime:
        """Do a step at a moment (never before the lists arrived, nor after now)."""
        moment = min(max(moment, self.start + DAY), self.now - timedelta(minutes=5))
        self.steps.append((moment, len(self.steps), act))
        return moment

    def ago(self, days: float) -> datetime:
        """Return the moment so many days before now."""
        return self.now - timedelta(days=days)

    def spread(self, first: datetime, last: datetime, acts: list[Act]) -> list[datetime]:
        """Do steps one after another between two moments, at working-like intervals."""
        span = max(last - first, timedelta(hours=len(acts)))
        moments = []
        for index, act in enumerate(acts):
            share = (index + self.rng.uniform(0.0, 0.7)) / max(len(acts), 1)
            moments.append(self.at(first + span * share, act))
        return moments

    def run(self) -> None:
        """Do every step, in the order of time, the clock run from each step's moment."""
        for moment, _order, act in sorted(self.steps, key=lambda step: step[:2]):
            with clock_from(moment):
                act()


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
ROUNDS: dict[str, dict[str, Any]] = {
    FINISHED: {
        "name": "Round 1: Moscow – Minsk – Kyiv",
        "route": "Moscow – Bryansk – Minsk – Kyiv, by bus; a night in Minsk",
        "escort": "the mediator's escort team with the embassy of Qatar",
        "handover_point": "Kyiv, the mediator's office",
        "created": 236.0,
        "added": 226.0,
        "left": 220.0,
        "home": 219.6,
    },
    UNDER_WAY: {
        "name": "Round 2: Moscow – Minsk – Chernihiv",
        "route": "Moscow – Minsk by train, Minsk – Chernihiv by bus",
        "escort": "the mediator's escort team",
        "handover_point": "Chernihiv, the regional children's service",
        "created": 14.0,
        "added": 7.0,
        "left": 1.25,
        "home": 0.17,
    },
    PLANNED: {
        "name": "Round 3: Moscow – Minsk – Sumy",
        "route": "Moscow – Minsk – Sumy, by bus",
        "escort": "the mediator's escort team with the Vatican's envoy",
        "handover_point": "Sumy, the mediator's field office",
        "created": 5.0,
        "added": 3.0,
        "left": -12.0,  # in twelve days
        "home": -12.5,
    },
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
        return self.timeline.ago(ROUNDS[key]["added"] + self.timeline.rng.uniform(0.5, 4.0))

    def join(self, key: str, case_ids: list[int], story: str) -> None:
        """Put a unit of siblings in a round: they join it together, and go home together."""
        members = self.members.setdefault(key, [])
        added = self.timeline.ago(ROUNDS[key]["added"]) + timedelta(minutes=7 * len(members))
        members.append(_Member(case_ids, story, added))

    def plan(self) -> None:
        """Lay out each round: planned, joined, left, children handed over, visited, closed."""
        for key, members in self.members.items():
            self._plan_round(key, members)

    def _plan_round(self, key: str, members: list[_Member]) -> None:
        spec = ROUNDS[key]
        cw = self.actors.caseworkers[0]
        timeline = self.timeline
        planned_on = (timeline.now - timedelta(days=spec["left"])).date()

        def create() -> None:
            made = cases.create_round(
                self.session, principal=cw, name=spec["name"], planned_on=planned_on,
                route=spec["route"], escort=spec["escort"],
                handover_point=spec["handover_point"],
            )  # fmt: skip
            self.ids[key] = made.id

        timeline.at(timeline.ago(spec["created"]), create)
        for member in members:
            timeline.at(member.added, self._adder(key, member.case_ids))
        if spec["left"] < 0:
            return

        def depart() -> None:
            cases.record_departure(self.session, principal=cw, round_id=self.ids[key])

        left = timeline.at(timeline.ago(spec["left"]), depart)
        home = timeline.ago(spec["home"])
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
                self.session, principal=self.actors.caseworkers[0], round_id=self.ids[key],
                case_ids=case_ids,
            )  # fmt: skip

        return add

    def _handover(self, key: str, case_id: int) -> Act:
        def hand_over() -> None:
            cases.record_handover(
                self.session, principal=self.actors.caseworkers[0], round_id=self.ids[key],
                case_id=case_id, received_by="the child's mother (passport checked)",
                note="the child recognised the family at once",
            )  # fmt: skip

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
                self.session, principal=cw, case_id=case_id, to="closed",
                reason="the child is settled at home; every visit is done or waived",
            )  # fmt: skip
            assert moved.approval is not None
            approval["id"] = moved.approval.id

        def approve() -> None:
            cases.decide_approval(
                self.session, principal=other, approval_id=approval["id"], approve=True,
                reason="read the visit reports",
            )  # fmt: skip

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
                    self.session, principal=cw, visit_id=visit_id,
                    reason="the family moved to Lviv; the local children's service follows her",
                )  # fmt: skip
                return
            cases.record_visit(
                self.session, principal=cw, visit_id=visit_id, done_on=utcnow().date(),
                outcome=VISIT_OUTCOMES[index % len(VISIT_OUTCOMES)],
            )  # fmt: skip

        return visit


VISIT_OUTCOMES = (
    "settling in; sleeps badly, sees the school psychologist weekly",
    "back at school, in the same class as before; the family copes",
    "well; no further support needed",
)


@dataclass
class Journey:
    """Lays out each unit's steps for its story: the services people call, in their order."""

    session: Session
    actors: Actors
    timeline: Timeline
    rounds: Rounds

    # --- the cases that stay near the start ------------------------------------------------

    def open_cases(self, tracing: list[int], assigned: list[int], transferred: list[int]) -> None:
        """Assign some open cases with a task, trace some, transfer a few."""
        rng = self.timeline.rng
        for number, case_id in enumerate(tracing + assigned + transferred):
            cw = self.actors.caseworkers[number % 2]
            first = self.timeline.ago(rng.uniform(3.0, 250.0))
            acts: list[Act] = [self._assign(case_id, cw)]
            if case_id in transferred:
                acts.append(
                    self._move(
                        case_id,
                        cw,
                        "transferred",
                        "the family now lives in Poland: the Polish Red Cross leads the tracing",
                    )  # fmt: skip
                )
            else:
                if case_id not in assigned:
                    acts.append(
                        self._move(
                            case_id,
                            cw,
                            "tracing",
                            "asked the custodial party whether the child is on its lists",
                        )  # fmt: skip
                    )
                due = (first + timedelta(days=rng.uniform(7.0, 60.0))).date()
                acts.append(
                    self._task(case_id, cw, "ask the family for a recent photo and documents", due)
                )
            self.timeline.spread(first, first + timedelta(days=rng.uniform(1.0, 10.0)), acts)

    def duplicates(self, pairs: list[tuple[uuid.UUID, uuid.UUID]]) -> None:
        """Link requests flagged as likely duplicates as one child (their cases join)."""
        for number, pair in enumerate(pairs):
            cw = self.actors.caseworkers[number % 2]
            self.timeline.at(
                self.timeline.ago(self.timeline.rng.uniform(5.0, 200.0)), self._link(pair, cw)
            )

    def adult_accounts(self, count: int) -> Iterator[Principal]:
        """Yield the accounts of adults on their own track: the demo's adult, then new ones."""
        yield self.actors.adult
        for number in range(2, count + 1):
            username = f"demo-adult-{number}"
            # Nobody logs in as them: their passwords are thrown away.
            with clock_from(self.timeline.start + 2 * DAY):
                user = create_user(
                    self.session, username=username, password=secrets.token_urlsafe(15),
                    role="adult", display_name=f"Demo adult {number}", language="uk",
                )  # fmt: skip
                record_event(
                    self.session, actor=self.actors.admin, action="user.create",
                    subject_type="user", subject_id=str(user.id),
                    details={"username": username, "role": "adult", "party": ""},
                )  # fmt: skip
            yield principal_of(self.session, user)

    # --- a unit of siblings along its story ------------------------------------------------

    def walk(
        self,
        story: str,
        unit: list[Walker],
        *,
        caseworker: int,
        adult_account: Principal | None,
    ) -> None:
        """Lay out the steps of a unit of siblings for its story, from first to last moment."""
        rng = self.timeline.rng
        cw = self.actors.caseworkers[caseworker]
        other = self.actors.caseworkers[1 - caseworker]
        key = ROUND_OF.get(story)
        last = (
            self.rounds.ready_by(key)
            if key is not None
            else self.timeline.ago(rng.uniform(0.5, 30.0))
        )
        earliest = self.timeline.start + timedelta(days=rng.uniform(2.0, 6.0))
        first = max(earliest, last - timedelta(days=rng.uniform(20.0, 110.0)))
        for number, walker in enumerate(unit):
            acts = self._acts(story, walker, cw, other, adult_account)
            if number == 0 and len(unit) > 1:
                acts.insert(2, self._group([w.case_id for w in unit], cw, walker.surname))
            self.timeline.spread(first, last, acts)
        if key is not None:
            self.rounds.join(key, [w.case_id for w in unit], story)

    def _acts(
        self,
        story: str,
        walker: Walker,
        cw: Principal,
        other: Principal,
        adult: Principal | None,
    ) -> list[Act]:
        rng = self.timeline.rng
        case_id = walker.case_id
        acts: list[Act] = []
        if walker.duplicate is not None:
            acts.append(self._link(walker.duplicate, cw))
        acts.append(self._assign(case_id, cw))
        if rng.random() < 0.5:
            acts.append(
                self._move(case_id, cw, "tracing", "asked the custodial party about the child")
            )
        acts.append(self._confirm(walker.candidate_id, cw))
        if adult is not None:
            acts.append(self._link_adult(case_id, cw, adult))
        if story == "adult_refused":
            assert adult is not None
            acts.append(self._consent(case_id, adult, "contact", "no"))
            acts.append(
                self._move(
                    case_id,
                    cw,
                    "declined",
                    "the person, now an adult, does not wish contact with the family",
                )  # fmt: skip
            )
            return acts
        if story in ("declined", "deceased"):
            acts.append(self._task(case_id, cw, "share the news with the family", None))
            acts.append(self._move(case_id, cw, story, ENDINGS[story]))
            return acts
        if story == "located":
            acts.append(self._task(case_id, cw, "record how identity was checked", None))
            return acts
        acts.append(self._verification(case_id, cw))
        acts.append(self._sign(case_id, cw))
        acts.append(self._sign(case_id, self.actors.requesting))
        if story == "signing":
            acts.append(self._task(case_id, cw, "remind the custodial party to sign", None))
            return acts
        acts.append(self._sign(case_id, self.actors.custodial))
        approval: dict[str, int] = {}
        acts.append(
            self._ask(case_id, cw, "verified", "identity and family link checked", approval)
        )
        if story == "approval_waiting":
            return acts
        acts.append(self._approve(other, approval))
        if story == "verified":
            acts.append(self._task(case_id, cw, "arrange a first call with the family", None))
            return acts
        if adult is not None:
            acts.append(self._consent(case_id, adult, "contact", "yes"))
        acts.append(self._contact(case_id, cw))
        acts.append(self._move(case_id, cw, "contact_established", "the first call went well"))
        if story == "adult_contact":
            return acts
        if adult is not None:
            acts.append(self._consent(case_id, adult, "return", "yes"))
        else:
            red_flag = story == "red_flag"
            acts.append(self._best_interests(case_id, cw, red_flag=red_flag))
            bi: dict[str, int] = {}
            acts.append(self._request(case_id, cw, ApprovalKind.BEST_INTERESTS, bi))
            if story == "best_interests_waiting":
                return acts
            acts.append(self._approve(other, bi))
            if red_flag:
                acts.append(self._determination(case_id, cw))
        if story == "contact":
            acts.append(self._task(case_id, cw, "assess the child's best interests", None))
            return acts
        back: dict[str, int] = {}
        acts.append(self._ask(case_id, cw, "return_approved", "the return is approved", back))
        acts.append(self._approve(other, back))
        if rng.random() < 0.6:
            acts.append(
                self._task(case_id, cw, "book the child's place in a round", None, done=True)
            )
        return acts

    # --- the steps -------------------------------------------------------------------------

    def _assign(self, case_id: int, cw: Principal) -> Act:
        return lambda: cases.assign(
            self.session, principal=self.actors.admin, case_id=case_id, username=cw.username
        )

    def _move(self, case_id: int, who: Principal, to: str, reason: str) -> Act:
        return lambda: cases.transition(
            self.session, principal=who, case_id=case_id, to=to, reason=reason
        )

    def _ask(
        self, case_id: int, who: Principal, to: str, reason: str, approval: dict[str, int]
    ) -> Act:
        def ask() -> None:
            moved = cases.transition(
                self.session, principal=who, case_id=case_id, to=to, reason=reason
            )
            assert moved.approval is not None
            approval["id"] = moved.approval.id

        return ask

    def _request(
        self, case_id: int, who: Principal, kind: ApprovalKind, approval: dict[str, int]
    ) -> Act:
        def request() -> None:
            case = get_visible_case(self.session, principal=who, case_id=case_id)
            found = cases.request_approval(
                self.session, principal=who, case=case, kind=kind,
                note="assessment done with the child and the family",
            )  # fmt: skip
            approval["id"] = found.id

        return request

    def _approve(self, who: Principal, approval: dict[str, int]) -> Act:
        return lambda: cases.decide_approval(
            self.session, principal=who, approval_id=approval["id"], approve=True,
            reason="checked the file",
        )  # fmt: skip

    def _task(
        self, case_id: int, cw: Principal, title: str, due: date | None, *, done: bool = False
    ) -> Act:
        rng = self.timeline.rng
        days = rng.uniform(3.0, 40.0)

        def task() -> None:
            on = due or (utcnow().date() + timedelta(days=days))
            added = cases.add_task(
                self.session, principal=cw, case_id=case_id, title=title, due_on=on
            )
            if done:
                cases.complete_task(self.session, principal=cw, task_id=added.id)

        return task

    def _confirm(self, candidate_id: int, cw: Principal) -> Act:
        return lambda: decide_pair(
            self.session, principal=cw, candidate_id=candidate_id, decision="confirmed",
            reason="names, date of birth and parents agree; the photo matches",
        )  # fmt: skip

    def _link(self, pair: tuple[uuid.UUID, uuid.UUID], cw: Principal) -> Act:
        return lambda: decide_likely_duplicate(
            self.session, principal=cw, record_id=pair[0], other_id=pair[1], decision="link",
            reason="the mother and the grandmother asked for the same child",
        )  # fmt: skip

    def _group(self, case_ids: list[int], cw: Principal, surname: str) -> Act:
        return lambda: cases.group_cases(
            self.session, principal=cw, case_ids=case_ids, name=f"{surname} family"
        )

    def _link_adult(self, case_id: int, cw: Principal, adult: Principal) -> Act:
        return lambda: cases.link_adult(
            self.session, principal=cw, case_id=case_id, username=adult.username
        )

    def _consent(self, case_id: int, adult: Principal, kind: str, answer: str) -> Act:
        return lambda: answer_for_oneself(
            self.session, principal=adult, case_id=case_id, kind=kind, answer=answer
        )

    def _verification(self, case_id: int, cw: Principal) -> Act:
        return lambda: cases.record_verification(
            self.session, principal=cw, case_id=case_id,
            evidence={
                "documents": "birth certificate and the custodial party's file agree",
                "photo_pick": "the mother picked the child's photo from a set of eight",
                "interview": "the child named the parents and the home street",
            },
            child_willing="yes", family_willing="yes",
        )  # fmt: skip

    def _sign(self, case_id: int, who: Principal) -> Act:
        return lambda: cases.sign_verification(self.session, principal=who, case_id=case_id)

    def _contact(self, case_id: int, cw: Principal) -> Act:
        return lambda: cases.record_contact(
            self.session, principal=cw, case_id=case_id,
            how="video call through the mediator, 30 minutes, moderated",
        )  # fmt: skip

    def _best_interests(self, case_id: int, cw: Principal, *, red_flag: bool) -> Act:
        return lambda: cases.record_best_interests(
            self.session, principal=cw, case_id=case_id,
            child_views="wants to go home to the mother and the younger brother",
            care_arrangements="mother and grandmother; school place arranged",
            risks=(
                "the father's violence before the separation: the mother has left him"
                if red_flag
                else "none found"
            ),
            red_flag=red_flag,
        )  # fmt: skip

    def _determination(self, case_id: int, cw: Principal) -> Act:
        return lambda: cases.record_determination(
            self.session, principal=cw, case_id=case_id,
            panel=["O. Kovalenko, child protection", "M. Weber, mediator", "I. Sayed, psychologist"],
            decision="the return to the mother is in the child's best interests, with visits",
            return_in_best_interests=True, decided_on=utcnow().date(),
        )  # fmt: skip


ENDINGS = {
    "declined": "the family withdrew its request: they found the child through relatives",
    "deceased": "the custodial party reported the child's death; the certificate was checked",
}
