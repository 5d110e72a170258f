"""Read people from list files for `reunite match` (any format the importer takes); write pairs.

The matching library reads no files: this is where the importer's readers and cleaning meet
the engine, for the file-to-file command and the benchmarks.
"""

from __future__ import annotations

import csv
import multiprocessing
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from reunite.exchange.readers import open_list
from reunite.exchange.validation import CleanRow, RowCleaner, plan_columns
from reunite.matching.engine import Candidate, Matcher
from reunite.matching.person import PERSON_FIELDS, Person, Prepared, prepare

RESULT_HEADER = ("request_id", "disclosed_id", "probability", "decision", "explanation")
# What matching reads of a row: the person's fields, and whether the row withdraws a record.
MATCHING_FIELDS = frozenset(PERSON_FIELDS) - {"id"} | {"withdrawn"}


def read_people(
    path: Path, *, on_progress: Callable[[int], None] | None = None
) -> tuple[list[Person], list[str]]:
    """Read and clean a list into people; return them and the problems of skipped rows.

    The fields matching uses are cleaned exactly as on import (names, full-name splitting,
    dates); the others are not read at all, so a mistake in, say, the separation date does
    not keep a child from being matched. A row whose matching fields fail validation is
    skipped and reported as `file:row: column: reason`; duplicate ids keep their first row.
    """
    listing = open_list(path)
    plan = plan_columns(listing.header, filename=path.name, is_json=listing.file_format == "json")
    cleaner = RowCleaner(plan, only=MATCHING_FIELDS)
    people: list[Person] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for count, raw in enumerate(listing.rows, start=1):
        outcome = cleaner.clean(raw)
        if not isinstance(outcome, CleanRow):
            problems.extend(error.render(path.name) for error in outcome)
        elif outcome.external_id in seen:
            problems.append(
                f"{path.name}:{raw.number}: {plan.id_header}: id {outcome.external_id!r} "
                f"repeats row {seen[outcome.external_id]}; the first one is used"
            )
        elif not outcome.fields.get("withdrawn"):
            seen[outcome.external_id] = raw.number
            people.append(Person.from_mapping({"id": outcome.external_id, **outcome.fields}))
        if on_progress is not None and count % 10_000 == 0:
            on_progress(count)
    return people, problems


def read_prepared(path: Path) -> tuple[list[Prepared], list[str]]:
    """Read a list and prepare every person for comparison (see read_people)."""
    people, problems = read_people(path)
    return [prepare(person) for person in people], problems


@dataclass
class LoadedLists:
    """Both lists of a file-to-file run, the disclosed records already in the matcher."""

    requests: list[Prepared]
    disclosed: int
    problems: list[str]


def load_lists(
    requests_path: Path,
    disclosed_path: Path,
    matcher: Matcher,
    *,
    parallel: bool = True,
    on_progress: Callable[[int], None] | None = None,
) -> LoadedLists:
    """Read the requests and index the disclosed records, side by side when `parallel`.

    Reading and preparing is most of a file-to-file run, and the two lists do not depend on
    each other: a forked process reads the requests while this one indexes the records.
    Problems are listed requests first, as if read one after the other.
    """
    if not parallel:
        requests, request_problems = read_prepared(requests_path)
        disclosed, disclosed_problems = read_people(disclosed_path, on_progress=on_progress)
        matcher.index(disclosed)
        return LoadedLists(requests, len(disclosed), request_problems + disclosed_problems)
    with multiprocessing.get_context("fork").Pool(1) as pool:
        pending = pool.apply_async(read_prepared, (requests_path,))
        try:
            disclosed, disclosed_problems = read_people(disclosed_path, on_progress=on_progress)
            matcher.index(disclosed)
        except Exception:
            # The requests file's own error, if it has one, is the one to report first.
            pending.wait()
            if not pending.successful():
                pending.get()
            raise
        requests, request_problems = pending.get()
    return LoadedLists(requests, len(disclosed), request_problems + disclosed_problems)


def write_pairs(path: Path, candidates: Iterable[Candidate]) -> int:
    """Write candidates as CSV (request_id, disclosed_id, probability, decision, explanation)."""
    count = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(RESULT_HEADER)
        for candidate in candidates:
            writer.writerow(
                (
                    candidate.request_id,
                    candidate.disclosed_id,
                    f"{candidate.probability:.6f}",
                    candidate.decision,
                    candidate.explanation_text(),
                )
            )
            count += 1
    return count
