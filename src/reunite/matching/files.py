"""Read people from list files (any format `reunite import` takes) and write match results."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from pathlib import Path

from reunite.exchange.readers import open_list
from reunite.exchange.validation import CleanRow, RowCleaner, plan_columns
from reunite.matching.engine import Candidate
from reunite.matching.person import Person

RESULT_HEADER = ("request_id", "disclosed_id", "probability", "decision", "explanation")


def read_people(
    path: Path, *, on_progress: Callable[[int], None] | None = None
) -> tuple[list[Person], list[str]]:
    """Read and clean a list into people; return them and the problems of skipped rows.

    Rows are cleaned exactly as on import (names, full-name splitting, dates). A row that
    fails validation is skipped and reported as `file:row: column: reason`; duplicate ids
    keep their first row.
    """
    listing = open_list(path)
    plan = plan_columns(listing.header, filename=path.name, is_json=listing.file_format == "json")
    cleaner = RowCleaner(plan)
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
