"""The matching job's index of disclosed records, kept in the process from one run to the next.

Indexing a million disclosed records takes minutes; a family's new request needs seconds of
comparing. So the job keeps its `Matcher` between runs, one per database, and brings it up
to date from what changed: it reads the (id, version, batch) of every matchable record,
loads in full only the records that are new or whose version changed, adds those (which
replaces their old version) and removes the ones that are gone or withdrawn.

The answers are those of an index built afresh: the engine files a removed record out of
its blocking buckets and breaks ties between equal scores by record id, never by the order
records were indexed in. Whatever goes wrong while bringing the index up to date, the
cache is dropped and the next build starts from nothing.
"""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Engine, Row, and_, select
from sqlalchemy.orm import Session

from reunite.matching import Matcher, Person
from reunite.matching.scoring import Model
from reunite.records.access import published
from reunite.records.models import Record
from reunite.vocabulary import N_, Message, say

PERSON_COLUMNS = (
    Record.id,
    Record.given_name,
    Record.surname,
    Record.patronymic,
    Record.sex,
    Record.birth_date,
    Record.birth_place,
    Record.mother_name,
    Record.father_name,
    Record.name_variants,
)
# What tells that a record changed: every correction, withdrawal or restoration writes a new
# version from a new batch.
MARKER_COLUMNS = (Record.version, Record.updated_batch_id)
READ_CHUNK = 5000
ID_CHUNK = 500
# Databases a process keeps an index for (a server has one; a test run meets many).
MAX_CACHES = 2

Marker = tuple[int, int]


def matchable(kind: str) -> ColumnElement[bool]:
    """Return the condition for the records of a kind that matching looks at."""
    return and_(Record.kind == kind, Record.withdrawn.is_(False), published())


def person_of(row: Row[*tuple[Any, ...]]) -> Person:
    """Return the engine's view of a record read with PERSON_COLUMNS."""
    return Person(
        id=str(row.id),
        given_name=row.given_name,
        surname=row.surname,
        patronymic=row.patronymic,
        sex=row.sex,
        birth_date=row.birth_date,
        birth_place=row.birth_place,
        mother_name=row.mother_name,
        father_name=row.father_name,
        name_variants=row.name_variants,
    )


def read_people(session: Session, kind: str) -> Iterator[Person]:
    """Yield every matchable record of a kind, by id."""
    statement = (
        select(*PERSON_COLUMNS)
        .where(matchable(kind))
        .order_by(Record.id)
        .execution_options(yield_per=READ_CHUNK)
    )
    for row in session.execute(statement):
        yield person_of(row)


@dataclass
class Changes:
    """What an index needs to reach a snapshot of the disclosed records."""

    full: bool
    markers: dict[uuid.UUID, Marker]
    people: list[Person] = field(default_factory=list)  # new or changed (all when full)
    gone: list[uuid.UUID] = field(default_factory=list)
    kept: int = 0

    def describe(self) -> Message:
        """Say, for the job's message, how the index was brought up to date."""
        if self.full:
            return say(
                N_("index built from {count} disclosed records"), count=f"{len(self.people):,}"
            )
        return say(
            N_("index kept {kept} records, added or replaced {changed}, removed {gone}"),
            kept=f"{self.kept:,}",
            changed=f"{len(self.people):,}",
            gone=f"{len(self.gone):,}",
        )


class IndexCache:
    """One database's index of disclosed records, and the lock its users take.

    Hold `lock` from `changes` until the run has finished with the matcher.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self._matcher: Matcher | None = None
        self._markers: dict[uuid.UUID, Marker] = {}
        # Removed or replaced records leave an empty slot in the matcher's list of records;
        # once there are more of those than live records, a fresh build compacts it.
        self._holes = 0

    def drop(self) -> None:
        """Forget the index: the next run builds it afresh."""
        self._matcher = None
        self._markers = {}
        self._holes = 0

    def changes(self, session: Session) -> Changes:
        """Read, in the session's snapshot, what the index lacks (all records if it is empty)."""
        if self._matcher is None:
            return _everything(session)
        markers = _markers(session)
        cached = self._markers
        gone = [record_id for record_id in cached if record_id not in markers]
        changed = sorted(
            record_id for record_id, marker in markers.items() if cached.get(record_id) != marker
        )
        replaced = len(changed) - sum(1 for record_id in changed if record_id not in cached)
        if self._holes + len(gone) + replaced > len(markers):
            return _everything(session)
        people = list(_read_by_id(session, changed))
        return Changes(
            full=False,
            markers=markers,
            people=people,
            gone=gone,
            kept=len(markers) - len(changed),
        )

    def apply(self, changes: Changes) -> Matcher:
        """Bring the index up to the snapshot `changes` was read in; return it, model reset.

        The model is the engine's default, as in a new Matcher: a run's learning and fitting
        start from it and leave nothing that would change a later run's answers.
        """
        if changes.full:
            self.drop()
            matcher = Matcher()
            matcher.index(changes.people)
            holes = 0
        else:
            if self._matcher is None:
                raise RuntimeError("changes read against an index that was dropped since")
            matcher = self._matcher
            holes = self._holes
            for record_id in changes.gone:
                matcher.remove(str(record_id))
            holes += len(changes.gone)
            for person in changes.people:
                if uuid.UUID(person.id) in self._markers:
                    holes += 1
                matcher.add(person)
        if len(matcher) != len(changes.markers):
            raise RuntimeError(
                f"the index holds {len(matcher):,} records where the database has "
                f"{len(changes.markers):,}"
            )
        matcher.model = Model()
        self._matcher, self._markers, self._holes = matcher, changes.markers, holes
        return matcher


def _markers(session: Session) -> dict[uuid.UUID, Marker]:
    statement = (
        select(Record.id, *MARKER_COLUMNS)
        .where(matchable("disclosures"))
        .execution_options(yield_per=READ_CHUNK)
    )
    return {row.id: (row.version, row.updated_batch_id) for row in session.execute(statement)}


def _everything(session: Session) -> Changes:
    statement = (
        select(*PERSON_COLUMNS, *MARKER_COLUMNS)
        .where(matchable("disclosures"))
        .order_by(Record.id)
        .execution_options(yield_per=READ_CHUNK)
    )
    markers: dict[uuid.UUID, Marker] = {}
    people: list[Person] = []
    for row in session.execute(statement):
        markers[row.id] = (row.version, row.updated_batch_id)
        people.append(person_of(row))
    return Changes(full=True, markers=markers, people=people)


def _read_by_id(session: Session, record_ids: Sequence[uuid.UUID]) -> Iterator[Person]:
    for start in range(0, len(record_ids), ID_CHUNK):
        chunk = record_ids[start : start + ID_CHUNK]
        statement = (
            select(*PERSON_COLUMNS)
            .where(matchable("disclosures"), Record.id.in_(chunk))
            .order_by(Record.id)
        )
        for row in session.execute(statement):
            yield person_of(row)


_caches: OrderedDict[str, IndexCache] = OrderedDict()
_caches_lock = threading.Lock()


def index_cache_for(engine: Engine) -> IndexCache:
    """Return the index cache of a database (one per database URL, the latest few kept)."""
    key = engine.url.render_as_string(hide_password=True)
    with _caches_lock:
        cache = _caches.pop(key, None) or IndexCache()
        _caches[key] = cache
        while len(_caches) > MAX_CACHES:
            _caches.popitem(last=False)
        return cache


def drop_index_caches() -> None:
    """Forget every database's index: the next runs build theirs afresh."""
    with _caches_lock:
        _caches.clear()
