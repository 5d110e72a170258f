"""The matcher: index disclosed records once, then match requests against them.

Typical use::

    matcher = Matcher()
    matcher.index(disclosed_people)
    matcher.fit(request_people)              # estimate parameters from these lists (EM)
    result = matcher.match(request_people)   # candidates, probabilities, best guesses

The engine proposes; people decide. Nothing here confirms a match.
"""

from __future__ import annotations

import multiprocessing
import random
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from operator import itemgetter

from reunite.matching import names
from reunite.matching.assignment import Scored, assign
from reunite.matching.blocking import BlockingIndex
from reunite.matching.comparisons import (
    CONFLICTING_DATES,
    DATE_AT,
    GIVEN_AT,
    GIVEN_CLOSE,
    GIVEN_DIFFERENT,
    MISSING,
    SEX_AT,
    SEX_DIFFERENT,
    Vector,
    compare,
    identity_conflict,
)
from reunite.matching.person import Person, Prepared, prepare
from reunite.matching.scoring import RELATIVE, Model, estimate

DEFAULT_THRESHOLD = 0.5
# Candidates below this are not worth a caseworker's look.
POSSIBLE_THRESHOLD = 0.02
MAX_POSSIBLE = 5
# Candidates kept per request after a first ranking (the rest are far below the best).
SHORTLIST = 20
# The best candidates of a request compete for it: they train the model (EM) and share the
# request's probability. Estimating on these, not on every blocked pair, keeps the model
# about the hard cases whatever the size of the index: at a million records most blocked
# pairs are namesakes, and they would swamp the few true pairs.
CONTENDERS = 5
EM_SAMPLE_PAIRS = 400_000

# Requests handed to a worker process at a time when comparisons run in parallel.
WORKER_CHUNK = 400


class EngineDecision(StrEnum):
    """What the engine calls a pair it proposes; people confirm or reject every one."""

    # The engine's best guess for a request: one record per request, and a record is never
    # given to two different children.
    MATCH = "match"
    # Another candidate worth a look.
    POSSIBLE = "possible"
    # Most likely the same family but another child (a brother, sister, twin or cousin):
    # shown, as a lead for the family, but never as the child.
    RELATED = "related"


@dataclass(frozen=True, slots=True)
class Candidate:
    """A request–record pair the engine proposes, with its reasons."""

    request_id: str
    disclosed_id: str
    probability: float
    decision: EngineDecision
    explanation: tuple[tuple[str, str, float], ...]
    rival: str = "other"  # the likeliest other explanation: relative, namesake or other

    def explanation_text(self) -> str:
        """Render the explanation: the rival, then field=level(bits for the same child)."""
        fields = "; ".join(
            f"{name}={level}({weight:+.1f})"
            for name, level, weight in self.explanation
            if level != "missing"
        )
        return f"vs {self.rival}: {fields}"


@dataclass
class MatchResult:
    """All proposals for a set of requests, and figures about the run."""

    candidates: list[Candidate] = field(default_factory=list)
    compared_pairs: int = 0

    def matches(self) -> list[Candidate]:
        """Return the engine's best guesses only."""
        return [c for c in self.candidates if c.decision is EngineDecision.MATCH]


def same_child(a: Prepared, b: Prepared) -> bool:
    """Tell whether two requests could describe the same child (a check, not a match)."""
    return not identity_conflict(compare(a, b))


def another_child(model: Model, request: Prepared, record: Prepared, vector: Vector) -> bool:
    """Tell whether a pair is most likely the same family but another child.

    Its likeliest explanation other than the child is a relative (the family's surname,
    parents, town), and its child has another given name: two names that cannot be one
    (see `_names_differ`), or a name merely alike with another sex or birth date too. A
    same or short-form name with a bad date is the child with a clerical slip, not a
    sibling.
    """
    given = vector[GIVEN_AT]
    if given == MISSING or given in GIVEN_CLOSE or model.rival(vector) != RELATIVE:
        return False
    if given == GIVEN_DIFFERENT and _names_differ(request, record):
        return True
    return vector[SEX_AT] == SEX_DIFFERENT or vector[DATE_AT] in CONFLICTING_DATES


def _names_differ(request: Prepared, record: Prepared) -> bool:
    """Tell whether two different given names cannot be one child's.

    Two names the dictionaries know are two names. A name they do not know may be a short
    form they lack, which still starts like its name in one of its forms (Mykytka, Микита;
    Верочка, Віра): only one that starts otherwise is another name.
    """
    if request.given_known and record.given_known:
        return True
    a = names.initials_of(request.person.given_name, request.given_ids)
    b = names.initials_of(record.person.given_name, record.given_ids)
    return bool(a and b) and not names.initials_agree(a, b)


class Matcher:
    """Match tracing requests against an index of disclosed records."""

    def __init__(self, model: Model | None = None, *, threshold: float = DEFAULT_THRESHOLD):
        self.model = model or Model()
        self.threshold = threshold
        self._records: list[Prepared | None] = []
        self._position: dict[str, int] = {}
        self._blocking = BlockingIndex()
        self._requests: list[Prepared] = []
        self._request_blocking = BlockingIndex(query_side=True)

    def __len__(self) -> int:
        return len(self._position)

    def index(
        self,
        disclosed: Iterable[Person | Prepared],
        *,
        on_progress: Callable[[int], None] | None = None,
    ) -> None:
        """Add disclosed records to the index (a record with a known id replaces the old one)."""
        for count, person in enumerate(disclosed, start=1):
            self.add(person)
            if on_progress is not None and count % 10_000 == 0:
                on_progress(count)

    def add(self, person: Person | Prepared) -> None:
        """Index one disclosed record, replacing an earlier version with the same id."""
        prepared = _prepared(person)
        record_id = prepared.person.id
        if record_id in self._position:
            self.remove(record_id)
        position = len(self._records)
        self._records.append(prepared)
        self._position[record_id] = position
        self._blocking.add(position, prepared)

    def remove(self, disclosed_id: str) -> None:
        """Drop a record from matching and from the blocking buckets it was filed in."""
        position = self._position.pop(disclosed_id, None)
        if position is not None:
            record = self._records[position]
            assert record is not None
            self._blocking.remove(position, record)
            self._records[position] = None

    def track_requests(self, requests: Iterable[Person]) -> None:
        """Remember requests so that new records can be matched against them later."""
        for person in requests:
            prepared = prepare(person)
            self._request_blocking.add(len(self._requests), prepared)
            self._requests.append(prepared)

    def affected_requests(self, records: Iterable[Person]) -> list[Person]:
        """Return the tracked requests that new or changed records could match.

        After a batch arrives, only these requests need matching again: the others' blocked
        candidates did not change.
        """
        positions: set[int] = set()
        for person in records:
            positions |= self._request_blocking.candidates(prepare(person), role="record")
        return [self._requests[p].person for p in sorted(positions)]

    def learn(
        self, requests: Sequence[Person], decisions: Iterable[tuple[str, str, bool]]
    ) -> Model:
        """Re-estimate the model with people's decisions: (request id, record id, confirmed)."""
        by_id = {person.id: prepare(person) for person in requests}
        labelled: dict[Vector, tuple[int, int]] = {}
        for request_id, disclosed_id, confirmed in decisions:
            position = self._position.get(disclosed_id)
            request = by_id.get(request_id)
            record = self._records[position] if position is not None else None
            if request is None or record is None:
                continue
            vector = compare(request, record)
            yes, no = labelled.get(vector, (0, 0))
            labelled[vector] = (yes + 1, no) if confirmed else (yes, no + 1)
        return self.fit(requests, labelled=labelled)

    def _blocked(
        self, request: Prepared, interned: dict[Vector, Vector]
    ) -> tuple[array[int], list[Vector]]:
        """Compare a request with its blocked candidates; return the shortlist, best first.

        Identical vectors share one tuple; positions are 4-byte integers. Equal scores are
        ordered by record id, not by position: an index built up by additions and removals
        then answers exactly as one built afresh from the same records.
        """
        records = self._records
        ratio = self.model.log_likelihood_ratio
        scored: list[tuple[float, str, int, Vector]] = []
        for position in self._blocking.candidates(request):
            record = records[position]
            if record is not None:
                vector = compare(request, record)
                scored.append(
                    (
                        -ratio(vector),
                        record.person.id,
                        position,
                        interned.setdefault(vector, vector),
                    )
                )
        scored.sort(key=itemgetter(0, 1))  # best score first, then record id
        del scored[SHORTLIST:]
        return array("i", [p for _r, _i, p, _v in scored]), [v for _r, _i, _p, v in scored]

    def _ranked(
        self, positions: Sequence[int], vectors: list[Vector]
    ) -> list[tuple[float, int, Vector]]:
        """Return (probability, position, vector) of the contenders for a request, best first."""
        model = self.model
        ranked = sorted(
            zip((model.log_likelihood_ratio(v) for v in vectors), positions, vectors, strict=True),
            key=lambda item: -item[0],
        )[:CONTENDERS]
        posteriors = model.request_posteriors([r for r, _p, _v in ranked])
        return [
            (probability, position, vector)
            for probability, (_r, position, vector) in zip(posteriors, ranked, strict=True)
        ]

    def _scored(self, request: Prepared) -> list[tuple[float, int, Vector]]:
        return self._ranked(*self._blocked(request, {}))

    def _compare_all(
        self, prepared: list[Prepared], workers: int
    ) -> Iterator[tuple[array[int], list[Vector]]]:
        if workers <= 1 or len(prepared) < 2 * WORKER_CHUNK:
            interned: dict[Vector, Vector] = {}
            for request in prepared:
                yield self._blocked(request, interned)
            return
        global _SHARED
        # Workers are forked after this: they find the matcher and the requests in their
        # copy of memory, so a chunk is sent as two numbers, not as pickled requests; and
        # the tables built on first use, built once here, rather than once in each worker.
        names.build_tables()
        _SHARED = (self, prepared)
        bounds = [(i, i + WORKER_CHUNK) for i in range(0, len(prepared), WORKER_CHUNK)]
        try:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                for chunk in pool.imap(_compare_chunk, bounds):
                    yield from chunk
        finally:
            _SHARED = None

    def blocked_ids(self, person: Person) -> set[str]:
        """Return the ids of indexed records that blocking brings together with a request."""
        request = prepare(person)
        out = set()
        for position in self._blocking.candidates(request):
            record = self._records[position]
            if record is not None:
                out.add(record.person.id)
        return out

    def fit(
        self,
        requests: Sequence[Person],
        *,
        labelled: dict[Vector, tuple[int, int]] | None = None,
        sample_pairs: int = EM_SAMPLE_PAIRS,
        seed: int = 1,
    ) -> Model:
        """Estimate the parameters by EM on blocked pairs of these requests; return the model."""
        people = list(requests)
        random.Random(seed).shuffle(people)
        vectors: list[Vector] = []
        interned: dict[Vector, Vector] = {}
        sampled = 0
        for person in people:
            sampled += 1
            vectors.extend(self._blocked(prepare(person), interned)[1][:CONTENDERS])
            if len(vectors) >= sample_pairs:
                break
        self.model = self._estimate(Counter(vectors), sampled, labelled)
        return self.model

    def _estimate(
        self,
        patterns: Counter[Vector],
        requests: int,
        labelled: dict[Vector, tuple[int, int]] | None = None,
    ) -> Model:
        model = estimate(patterns, labelled=labelled)
        if requests:
            # Expected matches per request; a request seeks one child, so this is the share
            # of requests whose child is in the index.
            expected = model.shares["match"] * sum(patterns.values()) / requests
            model.found_rate = min(max(expected, 0.05), 0.9)
        return model

    def match_one(self, person: Person) -> list[Candidate]:
        """Rank the indexed records for one request (no assignment across requests)."""
        request = prepare(person)
        ranked = self._scored(request)
        out = []
        guessed = False
        for rank, (probability, position, vector) in enumerate(ranked):
            faint = probability < POSSIBLE_THRESHOLD and rank > 0
            if faint and not self._maybe_kin(vector):
                continue
            record = self._records[position]
            assert record is not None
            decision = self._decision(request, record, vector)
            if faint and decision is not EngineDecision.RELATED:
                continue
            if decision is EngineDecision.POSSIBLE and not guessed:
                # The best candidate that is not another child of the family is the guess.
                guessed = True
                if probability >= self.threshold:
                    decision = EngineDecision.MATCH
            out.append(self._candidate(person.id, record.person.id, probability, decision, vector))
        return out[: MAX_POSSIBLE + 1]

    def _record(self, position: int) -> Prepared:
        record = self._records[position]
        assert record is not None
        return record

    def _maybe_kin(self, vector: Vector) -> bool:
        """Tell whether a relative is the likeliest explanation of a pair other than the child."""
        return self.model.rival(vector) == RELATIVE

    def _decision(self, request: Prepared, record: Prepared, vector: Vector) -> EngineDecision:
        """Return "related" for another child of the family, else "possible" (for now)."""
        if another_child(self.model, request, record, vector):
            return EngineDecision.RELATED
        return EngineDecision.POSSIBLE

    def _candidate(
        self,
        request_id: str,
        disclosed_id: str,
        probability: float,
        decision: EngineDecision,
        vector: Vector,
    ) -> Candidate:
        rival, explanation = self.model.explanation(vector)
        return Candidate(
            request_id=request_id,
            disclosed_id=disclosed_id,
            probability=probability,
            decision=decision,
            explanation=explanation,
            rival=rival,
        )

    def match(
        self,
        requests: Sequence[Person | Prepared],
        *,
        estimate_model: bool = False,
        workers: int = 1,
        on_progress: Callable[[int], None] | None = None,
    ) -> MatchResult:
        """Propose candidates for every request and the engine's one-to-one best guesses.

        With `estimate_model`, the model is first estimated (EM) from these very comparisons,
        so each pair is compared once for both purposes. With `workers` > 1 the comparisons
        run in that many forked processes, which share the index copy-on-write (use it from
        a command, not inside a threaded server).
        """
        result = MatchResult()
        prepared = [_prepared(person) for person in requests]
        # Positions are kept as 4-byte arrays and vectors as references to one shared tuple
        # per pattern: at a million records this is what keeps memory within bounds.
        blocked: list[tuple[array[int], list[Vector]]] = [(array("i"), [])] * len(prepared)
        interned: dict[Vector, Vector] = {}
        patterns: Counter[Vector] = Counter()
        # Requests of one family name meet the same records and the same name pairs, whose
        # comparisons are memoised: taken together (and each worker its own families) they
        # hit the memos instead of computing the same pairs again.
        order = sorted(range(len(prepared)), key=lambda i: _family_order(prepared[i]))
        in_order = [prepared[i] for i in order]
        for done, (positions, vectors) in enumerate(self._compare_all(in_order, workers), 1):
            shared = [interned.setdefault(v, v) for v in vectors]
            patterns.update(shared[:CONTENDERS])
            blocked[order[done - 1]] = (positions, shared)
            result.compared_pairs += len(positions)
            if on_progress is not None and done % 1000 == 0:
                on_progress(done)
        if estimate_model:
            self.model = self._estimate(patterns, len(requests))
        kept: list[tuple[int, int, float, Vector]] = []
        for index, (positions, vectors) in enumerate(blocked):
            for probability, position, vector in self._ranked(positions, vectors):
                # A sibling or twin is unlikely to be the child, yet a lead for the family:
                # kept when the likeliest other explanation is a relative, and shown if the
                # family fields say it is another child of the family.
                if probability >= POSSIBLE_THRESHOLD or self._maybe_kin(vector):
                    kept.append((index, position, probability, vector))
        del blocked
        cache: dict[tuple[int, int], bool] = {}

        def compatible(r1: int, r2: int) -> bool:
            key = (min(r1, r2), max(r1, r2))
            if key not in cache:
                cache[key] = same_child(prepared[r1], prepared[r2])
            return cache[key]

        decisions = [
            self._decision(prepared[r], self._record(d), vector) for r, d, _p, vector in kept
        ]
        leads = [
            i
            for i, ((_r, _d, p, _v), decision) in enumerate(zip(kept, decisions, strict=True))
            if p >= POSSIBLE_THRESHOLD or decision is EngineDecision.RELATED
        ]
        kept = [kept[i] for i in leads]
        decisions = [decisions[i] for i in leads]
        # Another child of the family is never the engine's guess, however likely: a family
        # told that its child's brother is its child is hurt twice.
        chosen = assign(
            [
                Scored(r, d, p)
                for (r, d, p, _v), decision in zip(kept, decisions, strict=True)
                if decision is not EngineDecision.RELATED
            ],
            threshold=self.threshold,
            same_child=compatible,
        )
        per_request: dict[int, int] = {}
        order = sorted(range(len(kept)), key=lambda i: (kept[i][0], -kept[i][2]))
        for i in order:
            r, d, p, vector = kept[i]
            decision = EngineDecision.MATCH if (r, d) in chosen else decisions[i]
            if decision is not EngineDecision.MATCH:
                if per_request.get(r, 0) >= MAX_POSSIBLE:
                    continue
                per_request[r] = per_request.get(r, 0) + 1
            result.candidates.append(
                self._candidate(
                    prepared[r].person.id, self._record(d).person.id, p, decision, vector
                )
            )
        return result


_SHARED: tuple[Matcher, list[Prepared]] | None = None


def _family_order(request: Prepared) -> tuple[str, tuple[str, ...]]:
    return min(request.surname_keys, default=""), request.givens


def _prepared(person: Person | Prepared) -> Prepared:
    return person if isinstance(person, Prepared) else prepare(person)


def _compare_chunk(bounds: tuple[int, int]) -> list[tuple[array[int], list[Vector]]]:
    """Compare a slice of the requests in a worker (matcher and requests inherited by fork)."""
    assert _SHARED is not None
    matcher, requests = _SHARED
    interned: dict[Vector, Vector] = {}
    start, stop = bounds
    return [matcher._blocked(request, interned) for request in requests[start:stop]]
