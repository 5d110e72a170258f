"""Match quality and speed: Reunite's engine side by side with Splink 5 on DuckDB.

Run:  .venv/bin/python bench/match_quality.py [--sizes 2000x3000,10000x15000] [--scale]
          [--alt] [--no-splink] [--splink-timeout SECONDS]

Each data set is written to CSV; Reunite runs exactly as people run it
(`reunite match REQUESTS DISCLOSED --out PAIRS.csv`, default threshold) and Splink runs as a
competent user would set it up (bench/splink_peer.py), each in its own process so that time
and peak memory are the process's own. Both are scored against the generator's ground truth.

Data sets: the demo generator (src/reunite/demo) at several sizes; with --alt, the
independent generator bench/alt_generator.py; always the hand-written hard cases in
tests/fixtures/hard_cases. --scale adds 100,000 requests × 1,000,000 disclosed records.

On the demo generator's data, whose families are known, it also counts the engine's
decisions on pairs of a request and the record of the sought child's brother, sister or
twin: none may be a `match` (they are shown as `related` or `possible`).
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from reunite.demo.generator import Child, generate_scenario, write_csv  # noqa: E402
from reunite.exchange.match_files import read_people  # noqa: E402
from reunite.matching import EngineDecision, Matcher  # noqa: E402
from splink_peer import (  # noqa: E402
    best_threshold,
    evaluate,
    recall_at_precision,
    run_splink_in_subprocess,
)

ROOT = Path(__file__).resolve().parent.parent
REUNITE = ROOT / ".venv" / "bin" / "reunite"
HARD_CASES = ROOT / "tests" / "fixtures" / "hard_cases"
TODAY = date(2026, 11, 25)


@dataclass
class Figures:
    """What one engine did on one data set."""

    precision: float
    recall: float
    f1: float
    recall_at_99: float
    blocking_recall: float
    seconds: float  # the whole process: start, reading the files, matching, writing
    engine_seconds: float  # the matching alone (Reunite) / set-up, training, predict (Splink)
    peak_mb: float
    note: str = ""
    # The engine's decisions on pairs of a request and a sibling's or twin's record.
    siblings: Counter[str] = field(default_factory=Counter)
    twins: Counter[str] = field(default_factory=Counter)


def read_rows(path: Path) -> list[dict[str, str]]:
    """Read a CSV into dicts."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [{k: v or "" for k, v in row.items()} for row in csv.DictReader(handle)]


def read_truth(path: Path) -> set[tuple[str, str]]:
    """Read request_id,disclosed_id pairs."""
    with path.open(encoding="utf-8", newline="") as handle:
        return {(row["request_id"], row["disclosed_id"]) for row in csv.DictReader(handle)}


Pair = tuple[str, str]


def run_reunite(
    requests: Path, disclosed: Path, truth: set[Pair], relatives: dict[Pair, str] | None = None
) -> Figures:
    """Run `reunite match` in its own process; score its decisions against the truth."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "pairs.csv"
        command = [str(REUNITE), "match", str(requests), str(disclosed), "--out", str(out)]
        started = time.perf_counter()
        child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        _pid, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        assert child.stdout is not None and child.stderr is not None
        if os.waitstatus_to_exitcode(status) != 0:
            raise RuntimeError(child.stderr.read().decode())
        summary = child.stdout.read().decode()
        engine = re.search(r"matching ([\d.]+) s", summary)
        rows = read_rows(out)
    matches = {(r["request_id"], r["disclosed_id"]) for r in rows if r["decision"] == "match"}
    scored = [(r["request_id"], r["disclosed_id"], float(r["probability"])) for r in rows]
    tp = len(matches & truth)
    precision = tp / len(matches) if matches else 0.0
    recall = tp / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if tp else 0.0
    kinds = relatives or {}
    siblings: Counter[str] = Counter()
    twins: Counter[str] = Counter()
    for row in rows:
        kind = kinds.get((row["request_id"], row["disclosed_id"]))
        if kind is not None:
            (twins if kind == "twin" else siblings)[row["decision"]] += 1
    return Figures(
        precision=precision,
        recall=recall,
        f1=f1,
        recall_at_99=recall_at_precision(scored, truth, 0.99),
        blocking_recall=reunite_blocking_recall(requests, disclosed, truth),
        seconds=seconds,
        engine_seconds=float(engine[1]) if engine else seconds,
        peak_mb=usage.ru_maxrss / 1024,
        siblings=siblings,
        twins=twins,
    )


def reunite_blocking_recall(requests: Path, disclosed: Path, truth: set[tuple[str, str]]) -> float:
    """Share of true pairs that Reunite's blocking brings together (measured apart, untimed)."""
    if not truth:
        return 1.0
    people, _ = read_people(requests)
    records, _ = read_people(disclosed)
    matcher = Matcher()
    matcher.index(records)
    wanted: dict[str, set[str]] = {}
    for request_id, disclosed_id in truth:
        wanted.setdefault(request_id, set()).add(disclosed_id)
    found = 0
    for person in people:
        if person.id in wanted:
            found += len(wanted[person.id] & matcher.blocked_ids(person))
    return found / len(truth)


def run_peer(
    requests: Path, disclosed: Path, truth: set[tuple[str, str]], timeout: float
) -> tuple[Figures, Figures] | str:
    """Run Splink in its own process; return figures at 0.5 and at its best threshold."""
    try:
        result = run_splink_in_subprocess(
            read_rows(requests), read_rows(disclosed), truth=truth, timeout=timeout
        )
    except (TimeoutError, RuntimeError, MemoryError) as exc:
        return f"did not finish: {str(exc).splitlines()[0][:120]}"
    at_default = evaluate(result.pairs, truth, 0.5)
    threshold, _ = best_threshold(result.pairs, truth)
    at_best = evaluate(result.pairs, truth, threshold)
    common = {
        "recall_at_99": recall_at_precision(result.pairs, truth, 0.99),
        "blocking_recall": result.blocking_recall if result.true_pairs else 1.0,
        "seconds": result.process_seconds,
        "engine_seconds": result.seconds + result.prep_seconds,
        "peak_mb": result.peak_memory_mb,
    }
    return (
        Figures(at_default["precision"], at_default["recall"], at_default["f1"], **common),
        Figures(
            at_best["precision"],
            at_best["recall"],
            at_best["f1"],
            **common,
            note=f"threshold {threshold:.3f} chosen with the answers",
        ),
    )


def write_scenario(
    folder: Path, n_requests: int, n_disclosed: int, seed: int
) -> tuple[Path, Path, set[Pair], dict[Pair, str]]:
    """Generate a demo scenario, write it as two CSV files; return its truth and relatives.

    The relatives are the pairs of a request and the record of another child of the
    sought child's family: "twin" or "sibling".
    """
    scenario = generate_scenario(
        seed=seed,
        n_children=max(n_requests, n_disclosed),
        n_requests=n_requests,
        n_disclosures=n_disclosed,
        today=TODAY,
    )
    requests, disclosed = folder / "requests.csv", folder / "disclosed.csv"
    write_csv(scenario.requests, requests)
    write_csv(scenario.disclosures, disclosed)
    families: dict[int, list[Child]] = {}
    for child in scenario.children:
        families.setdefault(id(child.family), []).append(child)
    relatives: dict[Pair, str] = {}
    for family in families.values():
        for sought in family:
            for other in family:
                if other is sought or not other.disclosure_id:
                    continue
                kind = "twin" if sought.twin_of == other.index else "sibling"
                for request_id in sought.request_ids:
                    relatives[(request_id, other.disclosure_id)] = kind
    return requests, disclosed, set(scenario.links), relatives


def write_alt(folder: Path, children: int, seed: int) -> tuple[Path, Path, set[tuple[str, str]]]:
    """Generate data with the independent generator and write it as two CSV files."""
    from alt_generator import generate

    requests_rows, disclosed_rows, truth = generate(seed, children)
    requests, disclosed = folder / "requests.csv", folder / "disclosed.csv"
    for path, rows in ((requests, requests_rows), (disclosed, disclosed_rows)):
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    return requests, disclosed, set(truth)


def print_rows(label: str, rows: Iterable[tuple[str, Figures | str]]) -> None:
    """Print one data set's table."""
    print(f"\n### {label}\n")
    print(
        "| engine | precision | recall | F1 | recall at P≥0.99 | blocking recall "
        "| seconds, whole run | seconds, engine | peak MiB |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for name, figures in rows:
        if isinstance(figures, str):
            print(f"| {name} | {figures} | | | | | | | |")
            continue
        note = f" ({figures.note})" if figures.note else ""
        print(
            f"| {name}{note} | {figures.precision:.4f} | {figures.recall:.4f} | "
            f"{figures.f1:.4f} | {figures.recall_at_99:.4f} | {figures.blocking_recall:.4f} | "
            f"{figures.seconds:.1f} | {figures.engine_seconds:.2f} | {figures.peak_mb:,.0f} |"
        )
    sys.stdout.flush()


def compare(
    label: str,
    requests: Path,
    disclosed: Path,
    truth: set[Pair],
    relatives: dict[Pair, str] | None = None,
    *,
    splink: bool,
    timeout: float,
) -> None:
    """Run both engines on one data set and print the table with ratios."""
    ours = run_reunite(requests, disclosed, truth, relatives)
    rows: list[tuple[str, Figures | str]] = [("Reunite (default threshold 0.5)", ours)]
    if splink:
        peer = run_peer(requests, disclosed, truth, timeout)
        if isinstance(peer, str):
            rows.append(("Splink 5", peer))
        else:
            rows += [("Splink 5 at 0.5", peer[0]), ("Splink 5 at best threshold", peer[1])]
    print_rows(label, rows)
    if relatives:
        print(
            f"\nReunite on pairs of a request and a brother's or sister's record: "
            f"{_decisions(ours.siblings)}; a twin's record: {_decisions(ours.twins)}"
        )
    if splink and not isinstance(peer, str):
        print(
            f"\nratios Reunite/Splink: F1 {ours.f1 / max(peer[0].f1, 1e-9):.2f}× "
            f"(vs Splink's best threshold {ours.f1 / max(peer[1].f1, 1e-9):.2f}×), "
            f"time {ours.seconds / peer[0].seconds:.2f}× whole run, "
            f"{max(ours.engine_seconds, 0.01) / peer[0].engine_seconds:.2f}× engine alone, "
            f"memory {ours.peak_mb / peer[0].peak_mb:.2f}×"
        )


def _decisions(counts: Counter[str]) -> str:
    return ", ".join(f"{decision} {counts[decision]:,}" for decision in EngineDecision)


def main() -> int:
    """Run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="2000x3000,10000x15000,50000x70000")
    parser.add_argument("--seed", type=int, default=31)
    parser.add_argument("--alt", action="store_true", help="also the independent generator")
    parser.add_argument("--scale", action="store_true", help="also 100,000 × 1,000,000")
    parser.add_argument("--no-splink", action="store_true")
    parser.add_argument("--splink-timeout", type=float, default=3600)
    args = parser.parse_args()
    splink = not args.no_splink
    print(f"Reunite matching benchmark, {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} cores")
    if HARD_CASES.exists():
        compare(
            "hand-written hard cases (tests/fixtures/hard_cases)",
            HARD_CASES / "requests.csv",
            HARD_CASES / "disclosures.csv",
            read_truth(HARD_CASES / "truth.csv"),
            splink=splink,
            timeout=args.splink_timeout,
        )
    for size in filter(None, args.sizes.split(",")):
        n_requests, n_disclosed = (int(x) for x in size.split("x"))
        with tempfile.TemporaryDirectory() as folder:
            paths = write_scenario(Path(folder), n_requests, n_disclosed, args.seed)
            compare(
                f"demo generator, {n_requests:,} requests × {n_disclosed:,} disclosed",
                *paths,
                splink=splink,
                timeout=args.splink_timeout,
            )
    if args.alt:
        for children in (3000, 20000):
            with tempfile.TemporaryDirectory() as folder:
                paths = write_alt(Path(folder), children, args.seed)
                compare(
                    f"independent generator (bench/alt_generator.py), {children:,} children",
                    *paths,
                    splink=splink,
                    timeout=args.splink_timeout,
                )
    if args.scale:
        with tempfile.TemporaryDirectory() as folder:
            paths = write_scenario(Path(folder), 100_000, 1_000_000, args.seed)
            compare(
                "scale: 100,000 requests × 1,000,000 disclosed",
                *paths,
                splink=splink,
                timeout=args.splink_timeout,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
