"""The match command: two list files in, candidate pairs out, no database."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from reunite.cli.common import app, err, run_command
from reunite.errors import ReuniteError


@app.command("match")
def match_command(
    requests_file: Annotated[Path, typer.Argument(help="Tracing requests (CSV, XLSX, JSON).")],
    disclosed_file: Annotated[Path, typer.Argument(help="Disclosed records (CSV, XLSX, JSON).")],
    out_file: Annotated[Path, typer.Option("--out", help="Where to write the pairs (CSV).")],
    threshold: Annotated[
        float | None,
        typer.Option(help="Probability from which a best guess is called a match."),
    ] = None,
) -> None:
    """Match two list files without a database; write candidate pairs with explanations."""
    import gc
    import time

    from reunite.exchange.match_files import load_lists, write_pairs
    from reunite.matching import DEFAULT_THRESHOLD, EngineDecision, Matcher

    def body() -> None:
        chosen = DEFAULT_THRESHOLD if threshold is None else threshold
        if not 0.0 < chosen < 1.0:
            raise ReuniteError("--threshold must be between 0 and 1", status=422)
        started = time.perf_counter()
        workers = os.cpu_count() or 1
        # The run builds millions of small objects without reference cycles; the cyclic
        # collector would only walk them again and again (a quarter of the run's time).
        collecting = gc.isenabled()
        gc.disable()
        try:
            with _stage_progress() as stage:
                matcher = Matcher(threshold=chosen)
                lists = load_lists(
                    requests_file,
                    disclosed_file,
                    matcher,
                    parallel=workers > 1,
                    on_progress=stage("reading both lists"),
                )
                for problem in lists.problems[:200]:
                    err.print(f"skipped {problem}", markup=False)
                loaded = time.perf_counter()
                result = matcher.match(
                    lists.requests,
                    estimate_model=True,
                    workers=workers,
                    on_progress=stage("comparing requests"),
                )
        finally:
            if collecting:
                gc.enable()
        finished = time.perf_counter()
        written = write_pairs(out_file, result.candidates)
        decided = Counter(candidate.decision for candidate in result.candidates)
        requests, disclosed, skipped = len(lists.requests), lists.disclosed, len(lists.problems)
        kinds = ", ".join(f"{decision} {decided[decision]:,}" for decision in EngineDecision)
        typer.echo(
            f"requests {requests:,}, disclosed {disclosed:,}, skipped rows {skipped:,}; "
            f"pairs written {written:,}: {kinds}; "
            f"threshold {chosen}; {finished - started:.1f} s (reading and indexing "
            f"{loaded - started:.2f} s, matching {finished - loaded:.2f} s) → {out_file}"
        )

    run_command(body)


@contextmanager
def _stage_progress() -> Iterator[Callable[[str], Callable[[int], None]]]:
    """Show the current stage and a running count on a terminal; stay silent elsewhere."""
    if not err.is_terminal:
        yield lambda _label: lambda _count: None
        return
    columns = (TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True) as progress:
        task = progress.add_task("starting", total=None)

        def stage(label: str) -> Callable[[int], None]:
            progress.update(task, description=label)
            return lambda count: progress.update(task, description=f"{label}: {count:,}")

        yield stage
