"""The demo's children go part of the way home, as people would take them, over past months.

After the lists arrive (`DEMO_HISTORY` ago), the matching engine proposes its candidates and
the demo's staff, liaisons and adults do the work since, through the services and flows the
pages call (never writing a case's tables): caseworkers confirm true pairs (the generator's
ground truth, so every confirmed match of the demo is right), group siblings, verify with
both parties' liaisons, record contact, assess best interests, ask a second caseworker to
approve (four eyes), send children home in rounds, visit them, close cases. Some cases end
otherwise (declined, deceased, duplicate, transferred); adults answer for themselves.

Each step has its moment; every step of every case is done in the order of those moments,
with the clock run from each (db.base.clock_from), so the timelines, approvals, rounds and
the audit log read as months of work. Which child takes which story is drawn from the seed.
`plan_stories` picks, `walk_home` replays; `demo._journey` and `demo._rounds` lay out
the steps on a `demo._timeline`.
"""

from __future__ import annotations

import random
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from reunite.cases.enums import Track
from reunite.cases.models import Case, CaseRequest
from reunite.cases.service import update_tracks
from reunite.db.base import clock_from, utcnow
from reunite.demo._journey import Journey
from reunite.demo._rounds import Rounds
from reunite.demo._timeline import Actors, Timeline, Walker, actors_of
from reunite.demo.conversations import converse
from reunite.demo.generator import Child, Scenario
from reunite.records.models import Record, RecordLink
from reunite.review.jobs import match_now
from reunite.review.models import MatchCandidate


@dataclass(frozen=True)
class Story:
    """How far a child's case goes, and how: a status to end in, a round, what is left."""

    name: str
    share: float  # of the children walked
    # Whether siblings may take it together; whether an adult (without an account) may.
    siblings: bool = True
    adults: bool = False


# The stories of children the engine found, in the order a small demo fills them (each at
# least once, when there are children enough), and how many of the walked take each.
STORIES: tuple[Story, ...] = (
    Story("closed", 0.12),
    Story("in_transit", 0.06),
    Story("planned", 0.06),
    Story("follow_up", 0.08),
    Story("reunited", 0.05),
    Story("reunited_today", 0.04),
    Story("return_approved", 0.05),
    Story("red_flag", 0.02),
    Story("contact", 0.08),
    Story("best_interests_waiting", 0.03),
    Story("verified", 0.10, adults=True),
    Story("signing", 0.04, adults=True),
    Story("approval_waiting", 0.04, adults=True),
    Story("located", 0.12, adults=True),
    Story("declined", 0.03, siblings=False),
    Story("deceased", 0.02, siblings=False),
)
# Adults on their own track, with their own accounts (the first is the demo's adult).
ADULT_STORIES = ("adult_contact", "adult_home", "adult_planned", "adult_refused")
# Of the children the engine found, how many are walked; of the cases left, how many are
# being traced, have a caseworker and a task, or were transferred.
WALKED = 0.12
TRACING = 0.08
ASSIGNED_OPEN = 0.06
TRANSFERRED = 0.01
DUPLICATES = 0.3  # of the children with two requests flagged as likely duplicates


@dataclass
class Plan:
    """Who takes which story: units of siblings with their story, and the cases left."""

    units: list[tuple[str, list[Walker]]] = field(default_factory=list)
    duplicates: list[tuple[uuid.UUID, uuid.UUID]] = field(default_factory=list)
    tracing: list[int] = field(default_factory=list)
    assigned: list[int] = field(default_factory=list)
    transferred: list[int] = field(default_factory=list)


@dataclass
class _Found:
    """What the database says of the scenario's children: records, cases, candidates."""

    records: dict[tuple[str, str], uuid.UUID]
    case_of: dict[uuid.UUID, int]
    track: dict[int, str]
    candidate: dict[tuple[uuid.UUID, uuid.UUID], int]
    names: dict[uuid.UUID, tuple[str, str]]
    suspected: set[tuple[uuid.UUID, uuid.UUID]]


def _found(session: Session) -> _Found:
    records: dict[tuple[str, str], uuid.UUID] = {}
    names: dict[uuid.UUID, tuple[str, str]] = {}
    for row in session.execute(
        select(Record.id, Record.kind, Record.external_id, Record.surname, Record.given_name)
    ):
        records[(row.kind, row.external_id)] = row.id
        names[row.id] = (row.surname, row.given_name)
    case_of = {
        row.request_id: row.case_id
        for row in session.execute(select(CaseRequest.request_id, CaseRequest.case_id))
    }
    track = {row.id: row.track for row in session.execute(select(Case.id, Case.track))}
    candidate = {
        (row.request_id, row.disclosed_id): row.id
        for row in session.execute(
            select(MatchCandidate.id, MatchCandidate.request_id, MatchCandidate.disclosed_id).where(
                MatchCandidate.status == "proposed"
            )
        )
    }
    suspected = {
        (row.record_id, row.other_id)
        for row in session.execute(
            select(RecordLink.record_id, RecordLink.other_id).where(
                RecordLink.status == "suspected", RecordLink.kind == "requests"
            )
        )
    }
    return _Found(records, case_of, track, candidate, names, suspected)


def _walker(child: Child, found: _Found) -> Walker | None:
    """Return how a child's case would be walked, if the engine found its record."""
    if not child.request_ids or not child.disclosure_id or child.withheld:
        return None
    disclosed = found.records.get(("disclosures", child.disclosure_id))
    requests = [found.records.get(("requests", r)) for r in child.request_ids]
    known = [r for r in requests if r is not None]
    if disclosed is None or not known:
        return None
    duplicate = None
    if len(known) > 1:
        pair = (min(known[0], known[1]), max(known[0], known[1]))
        duplicate = pair if pair in found.suspected else None
    # The case that walks: the one its requests' cases join into (the oldest), or the first's.
    cases = sorted(found.case_of[r] for r in (known[:2] if duplicate else known[:1]))
    with_pair = [r for r in known if (r, disclosed) in found.candidate]
    if not with_pair or (duplicate is None and with_pair[0] != known[0]):
        return None
    surname, given = found.names[known[0]]
    return Walker(
        child=child,
        case_id=cases[0],
        candidate_id=found.candidate[(with_pair[0], disclosed)],
        request_id=with_pair[0],
        disclosed_id=disclosed,
        adult=found.track[cases[0]] == Track.ADULT,
        surname=surname,
        given=given,
        duplicate=duplicate,
    )


def plan_stories(session: Session, *, scenario: Scenario, seed: int) -> Plan:
    """Decide, from the seed, which children take which story (nothing is written)."""
    rng = random.Random(f"way-home:{seed}")
    found = _found(session)
    families: dict[int, list[Walker]] = {}
    for child in scenario.children:
        walker = _walker(child, found)
        if walker is not None:
            families.setdefault(child.family.id, []).append(walker)
    units = [families[key] for key in sorted(families)]
    rng.shuffle(units)
    plan = Plan()
    adults = [u for u in units if len(u) == 1 and u[0].adult and u[0].duplicate is None]
    for name, unit in zip(ADULT_STORIES, adults, strict=False):
        plan.units.append((name, unit))
    taken = {id(unit) for _name, unit in plan.units}
    free = [u for u in units if id(u) not in taken]
    walked = max(round(WALKED * sum(len(u) for u in units)), len(STORIES))
    wanted = {story.name: max(1, round(story.share * walked)) for story in STORIES}
    counts: Counter[str] = Counter()
    # Siblings first, so that groups travel in the rounds; then one of each; then the rest.
    for story in [s for s in STORIES if s.siblings][:3]:
        _give(plan, free, story, counts, wanted, siblings_only=True)
    for story in STORIES:
        if not counts[story.name]:
            _give(plan, free, story, counts, wanted)
    for story in STORIES:
        while counts[story.name] < wanted[story.name] and _give(plan, free, story, counts, wanted):
            pass
    # Joined and left at that: the cases of one child's requests flagged as duplicates.
    doubles = [w.duplicate for u in free for w in u if w.duplicate is not None]
    plan.duplicates = doubles[: max(1, round(DUPLICATES * len(doubles)))]
    walking = {w.case_id for _name, unit in plan.units for w in unit}
    pairs = [*plan.duplicates, *(w.duplicate for _n, u in plan.units for w in u if w.duplicate)]
    walking |= {found.case_of[request] for pair in pairs for request in pair}
    rest = sorted(set(found.case_of.values()) - walking)
    rng.shuffle(rest)
    n_tracing, n_assigned = round(TRACING * len(rest)), round(ASSIGNED_OPEN * len(rest))
    n_transferred = max(1, round(TRANSFERRED * len(rest)))
    plan.transferred = rest[:n_transferred]
    plan.tracing = rest[n_transferred : n_transferred + n_tracing]
    plan.assigned = rest[n_transferred + n_tracing : n_transferred + n_tracing + n_assigned]
    return plan


def _give(
    plan: Plan,
    free: list[list[Walker]],
    story: Story,
    counts: Counter[str],
    wanted: dict[str, int],
    *,
    siblings_only: bool = False,
) -> bool:
    """Give a story to the first unit that may take it; tell whether one did."""
    for index, unit in enumerate(free):
        if siblings_only and len(unit) < 2:
            continue
        if len(unit) > 1 and not story.siblings:
            continue
        if any(w.adult for w in unit) and not story.adults:
            continue
        if len(unit) > 1 and counts[story.name] + len(unit) > wanted[story.name] + 2:
            continue
        plan.units.append((story.name, free.pop(index)))
        counts[story.name] += len(unit)
        return True
    return False


def walk_home(session: Session, *, scenario: Scenario, started: datetime, seed: int) -> list[str]:
    """Match, then walk the seeded share of cases along the way home; return lines to print."""
    with clock_from(started + timedelta(hours=20)):
        match_now(session)
    plan = plan_stories(session, scenario=scenario, seed=seed)
    now = utcnow()
    actors: Actors = actors_of(session)
    timeline = Timeline(random.Random(f"way-home-times:{seed}"), start=started, now=now)
    rounds = Rounds(session, actors, timeline)
    journey = Journey(session, actors, timeline, rounds)
    journey.open_cases(plan.tracing, plan.assigned, plan.transferred)
    journey.duplicates(plan.duplicates)
    adults = sum(1 for name, _unit in plan.units if name in ADULT_STORIES)
    adult_accounts = journey.adult_accounts(adults)
    for number, (name, unit) in enumerate(plan.units):
        account = next(adult_accounts) if name in ADULT_STORIES else None
        journey.walk(name, unit, caseworker=number % 2, adult_account=account)
    rounds.plan()
    timeline.run()
    update_tracks(session)
    return _summary(session, plan) + converse(session, seed=seed)


def _summary(session: Session, plan: Plan) -> list[str]:
    statuses = Counter(session.scalars(select(Case.status)))
    walked = sum(len(unit) for _name, unit in plan.units)
    shown = ", ".join(f"{status} {count:,}" for status, count in sorted(statuses.items()))
    groups = sum(1 for _name, unit in plan.units if len(unit) > 1)
    linked = len(plan.duplicates) + sum(
        1 for _name, unit in plan.units for walker in unit if walker.duplicate is not None
    )
    return [
        f"way home: {walked:,} children walked ({groups} sibling groups), "
        f"{linked} pairs of requests linked as one child; cases: {shown}"
    ]
