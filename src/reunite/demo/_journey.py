"""The demo's journeys: a unit of siblings' steps for its story, between two moments.

Caseworkers assign, trace, confirm the true pair (the review flow locates the case), group
siblings, verify with both parties' liaisons signing, record contact, assess best interests
(a red flag goes to a panel), and ask the other caseworker to approve each gated step; adults
answer for themselves on their own accounts. Stories that go home continue in the rounds.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import Session

from reunite.audit.service import record_event
from reunite.auth.principal import Principal
from reunite.auth.service import create_user, principal_of
from reunite.cases import service as cases
from reunite.cases.access import get_visible_case
from reunite.cases.enums import ApprovalKind
from reunite.db.base import clock_from, utcnow
from reunite.demo._rounds import ROUND_OF, Rounds
from reunite.demo._timeline import DAY, Act, Actors, Timeline, Walker
from reunite.flows.consent import answer_for_oneself
from reunite.flows.duplicates import decide_likely_duplicate
from reunite.flows.review import decide_pair
from reunite.sharing.service import release_record


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
                    )
                )
            else:
                if case_id not in assigned:
                    acts.append(
                        self._move(
                            case_id,
                            cw,
                            "tracing",
                            "asked the custodial party whether the child is on its lists",
                        )
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
                    self.session,
                    username=username,
                    password=secrets.token_urlsafe(15),
                    role="adult",
                    display_name=f"Demo adult {number}",
                    language="uk",
                )
                record_event(
                    self.session,
                    actor=self.actors.admin,
                    action="user.create",
                    subject_type="user",
                    subject_id=str(user.id),
                    details={"username": username, "role": "adult", "party": ""},
                )
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
                )
            )
            return acts
        if story in ("declined", "deceased"):
            acts.append(self._task(case_id, cw, "share the news with the family", None))
            acts.append(self._move(case_id, cw, story, ENDINGS[story]))
            return acts
        if story == "located":
            acts.append(self._task(case_id, cw, "record how identity was checked", None))
            return acts
        if not walker.adult:
            acts.append(self._releases(walker, cw))
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
            # Nothing about an adult is shared before their own yes to contact.
            acts.append(self._releases(walker, cw))
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
                self.session,
                principal=who,
                case=case,
                kind=kind,
                note="assessment done with the child and the family",
            )
            approval["id"] = found.id

        return request

    def _approve(self, who: Principal, approval: dict[str, int]) -> Act:
        return lambda: cases.decide_approval(
            self.session,
            principal=who,
            approval_id=approval["id"],
            approve=True,
            reason="checked the file",
        )

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
            self.session,
            principal=cw,
            candidate_id=candidate_id,
            decision="confirmed",
            reason="names, date of birth and parents agree; the photo matches",
        )

    def _link(self, pair: tuple[uuid.UUID, uuid.UUID], cw: Principal) -> Act:
        return lambda: decide_likely_duplicate(
            self.session,
            principal=cw,
            record_id=pair[0],
            other_id=pair[1],
            decision="link",
            reason="the mother and the grandmother asked for the same child",
        )

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

    def _releases(self, walker: Walker, cw: Principal) -> Act:
        """Release each side's record to the other party's team, for the verification."""

        def release() -> None:
            case = get_visible_case(self.session, principal=cw, case_id=walker.case_id)
            for record_id, to in (
                (walker.disclosed_id, self.actors.requesting),
                (walker.request_id, self.actors.custodial),
            ):
                release_record(
                    self.session,
                    principal=cw,
                    record_id=record_id,
                    purpose="to check identity and the family link with the other party's team",
                    to_party_id=to.party_id,
                    case_ref=case.number,
                    candidate_id=walker.candidate_id,
                )

        return release

    def _verification(self, case_id: int, cw: Principal) -> Act:
        return lambda: cases.record_verification(
            self.session,
            principal=cw,
            case_id=case_id,
            evidence={
                "documents": "birth certificate and the custodial party's file agree",
                "photo_pick": "the mother picked the child's photo from a set of eight",
                "interview": "the child named the parents and the home street",
            },
            child_willing="yes",
            family_willing="yes",
        )

    def _sign(self, case_id: int, who: Principal) -> Act:
        return lambda: cases.sign_verification(self.session, principal=who, case_id=case_id)

    def _contact(self, case_id: int, cw: Principal) -> Act:
        return lambda: cases.record_contact(
            self.session,
            principal=cw,
            case_id=case_id,
            how="video call through the mediator, 30 minutes, moderated",
        )

    def _best_interests(self, case_id: int, cw: Principal, *, red_flag: bool) -> Act:
        return lambda: cases.record_best_interests(
            self.session,
            principal=cw,
            case_id=case_id,
            child_views="wants to go home to the mother and the younger brother",
            care_arrangements="mother and grandmother; school place arranged",
            risks=(
                "the father's violence before the separation: the mother has left him"
                if red_flag
                else "none found"
            ),
            red_flag=red_flag,
        )

    def _determination(self, case_id: int, cw: Principal) -> Act:
        return lambda: cases.record_determination(
            self.session,
            principal=cw,
            case_id=case_id,
            panel=list(PANEL),
            decision="the return to the mother is in the child's best interests, with visits",
            return_in_best_interests=True,
            decided_on=utcnow().date(),
        )


PANEL = ("O. Kovalenko, child protection", "M. Weber, mediator", "I. Sayed, psychologist")
ENDINGS = {
    "declined": "the family withdrew its request: they found the child through relatives",
    "deceased": "the custodial party reported the child's death; the certificate was checked",
}
