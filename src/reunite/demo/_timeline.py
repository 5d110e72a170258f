"""The demo's timeline: every step of the way home with its moment, done in the order of time.

Each step is a call of the services and flows people use; `Timeline.run` does them all in
the order of their moments, the clock run from each (db.base.clock_from). `Walker` is a case
to walk, `Actors` the demo's people who act.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from reunite.auth.models import User
from reunite.auth.principal import Principal
from reunite.auth.service import principal_of
from reunite.db.base import clock_from
from reunite.demo.generator import Child

Act = Callable[[], object]
DAY = timedelta(days=1)


@dataclass
class Walker:
    """One case to walk: the child, its case, the pair to confirm, what joins it first."""

    child: Child
    case_id: int
    candidate_id: int
    # The true pair the caseworker confirms: the child's request and disclosed record.
    request_id: uuid.UUID
    disclosed_id: uuid.UUID
    adult: bool
    surname: str
    given: str
    # A likely-duplicate pair of this child's requests, linked first (its cases join).
    duplicate: tuple[uuid.UUID, uuid.UUID] | None = None


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
        """Plan a step at a moment (never before the lists arrived, nor after now)."""
        moment = min(max(moment, self.start + DAY), self.now - timedelta(minutes=5))
        self.steps.append((moment, len(self.steps), act))
        return moment

    def ago(self, days: float) -> datetime:
        """Return the moment so many days before now."""
        return self.now - timedelta(days=days)

    def spread(self, first: datetime, last: datetime, acts: list[Act]) -> list[datetime]:
        """Plan steps one after another between two moments, at irregular intervals."""
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
