"""Import speed: a 100,000-row CSV list into Reunite vs PostgreSQL COPY of the same rows.

Run:  .venv/bin/python bench/import_speed.py [--rows 100000] [--postgres URL]

Reunite's import streams the file, detects the encoding, maps headers, cleans and validates
every cell, checks duplicate ids, writes records, versions and row receipts; a list this
large is read and cleaned in a worker process while the importing process writes. COPY only
parses CSV into a plain table of text columns: it is the floor, not a like-for-like peer.
"""

from __future__ import annotations

import argparse
import csv
import multiprocessing
import resource
import sys
import tempfile
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from pathlib import Path

import psycopg
from sqlalchemy import text

from reunite.db.engine import make_engine, session_factory, transaction
from reunite.db.migrate import upgrade
from reunite.demo.generator import generate_scenario
from reunite.exchange.service import import_list
from reunite.parties.service import add_party

DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"


def make_list(rows: int, folder: Path) -> Path:
    """Write a disclosures list of the given size, generated like the demo data."""
    scenario = generate_scenario(
        seed=7, n_children=rows, n_requests=1, n_disclosures=rows, today=date(2026, 11, 25)
    )
    path = folder / f"disclosures-{rows}.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(scenario.disclosures[0]))
        writer.writeheader()
        writer.writerows(scenario.disclosures)
    return path


def time_reunite(url: str, path: Path) -> tuple[float, int]:
    """Import the list into a fresh Reunite database; return seconds and rows stored."""
    engine = make_engine(url)
    upgrade(engine)
    sessions = session_factory(engine)
    with transaction(sessions) as session:
        party = add_party(session, name="Russian Federation", role="custodial")
        party_id = party.id
    started = time.perf_counter()
    with transaction(sessions) as session:
        from reunite.parties.models import Party

        sender = session.get(Party, party_id)
        assert sender is not None
        report = import_list(session, path=path, party=sender, kind="disclosures")
    seconds = time.perf_counter() - started
    engine.dispose()
    return seconds, report.added


def time_copy(url: str, path: Path) -> float:
    """COPY the same CSV into a plain table of text columns; return seconds."""
    with path.open(encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    columns = ", ".join(f'"{c}" text' for c in header)
    with psycopg.connect(url) as connection:
        connection.execute(f"CREATE TEMP TABLE copy_target ({columns})")
        started = time.perf_counter()
        with (
            connection.cursor() as cursor,
            cursor.copy("COPY copy_target FROM STDIN WITH (FORMAT csv, HEADER true)") as copy,
            path.open("rb") as source,
        ):
            while block := source.read(1 << 20):
                copy.write(block)
        connection.commit()
        return time.perf_counter() - started


def postgres_schema(url: str) -> tuple[str, str]:
    """Create a scratch schema; return its name and a URL that uses it."""
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    return schema, f"{url}?options=-csearch_path%3D{schema}"


def drop_schema(url: str, schema: str) -> None:
    """Remove the scratch schema."""
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()


def main() -> int:
    """Run the benchmark and print a table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        # Generated in a process of its own: the import is then measured in a process like
        # the one `reunite import` runs in, not one holding the generator's 100k people.
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
            path = pool.submit(make_list, args.rows, Path(folder)).result()
        size_mb = path.stat().st_size / 1e6
        print(f"list: {args.rows:,} rows, {size_mb:.1f} MB CSV (UTF-8)")
        copy_seconds = time_copy(args.postgres, path)
        sqlite_seconds, stored = time_reunite(f"sqlite:///{folder}/bench.db", path)
        assert stored == args.rows
        schema, url = postgres_schema(args.postgres)
        try:
            pg_seconds, stored = time_reunite(url, path)
            assert stored == args.rows
        finally:
            drop_schema(args.postgres, schema)
    rate = args.rows / copy_seconds
    print(f"{'run':<44} {'seconds':>8} {'rows/s':>10} {'× COPY':>7}")
    print(
        f"{'PostgreSQL COPY into a plain text table':<44} {copy_seconds:>8.2f} {rate:>10,.0f} "
        f"{1.0:>7.2f}"
    )
    for label, seconds in (
        ("Reunite import, full validation, SQLite", sqlite_seconds),
        ("Reunite import, full validation, PostgreSQL", pg_seconds),
    ):
        print(
            f"{label:<44} {seconds:>8.2f} {args.rows / seconds:>10,.0f} "
            f"{seconds / copy_seconds:>7.2f}"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of the importing process (its reading worker not counted): {peak:,.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
