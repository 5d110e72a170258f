"""Name search speed: records.search against the plain LIKE scan it replaced, side by side.

Run:  .venv/bin/python bench/search_speed.py [--records 1000000] [--postgres URL]

Fills a fresh database (a temporary SQLite file, or a new schema of the PostgreSQL database
given, dropped afterwards) with generated disclosed records, migrated to the newest schema.
Each query then runs as the records API runs it: one page of 50 (`search_records`, which
also orders the child's own name before a parent's and says why each was found) and the
total (`count_search`), as a caseworker. The old way is the statement search.py built before
(every token a `LIKE '% token %'`, ordered by the plain name columns); on PostgreSQL it runs
with bitmap scans off, which is the only way the trigram index can be used, so it reads the
table as it did before the index. Both ways must find the same records (the same total, and
every record of the new page among the old way's answers; the two orders differ); each
figure is the median of --repeat runs.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, and_, func, insert, or_, select, text
from sqlalchemy.orm import Session

from reunite.auth.principal import Principal
from reunite.db.engine import make_engine, session_factory
from reunite.db.migrate import upgrade
from reunite.demo.generator import stream_scenario
from reunite.exchange.models import Batch
from reunite.matching import names
from reunite.parties.models import Party
from reunite.records import keys, search
from reunite.records.models import Record

CASEWORKER = Principal(user_id=1, username="bench", role="caseworker")
QUERIES = (
    ("surname, Russian", "Пархоменко"),
    ("surname, Latin", "Parkhomenko"),
    ("given name and surname, Ukrainian", "Микита Пархоменко"),
    ("prefix of a surname", "Parkh"),
    ("common given name", "Анна"),
    ("party's reference", "RU-000777"),
    ("nobody by that name", "Zyxwvut"),
)
CHUNK = 5000
Answer = tuple[list[uuid.UUID], int]


def fill(engine: Engine, count: int, seed: int) -> None:
    """Store `count` generated disclosed records with their search keys."""
    stream = stream_scenario(
        seed=seed,
        n_children=count,
        n_requests=1000,
        n_disclosures=count,
        today=date(2026, 11, 25),
    )
    with engine.begin() as connection:
        party_id = connection.scalar(
            insert(Party).values(name="Russian Federation", role="custodial").returning(Party.id)
        )
        batch_id = connection.scalar(
            insert(Batch)
            .values(
                party_id=party_id,
                kind="disclosures",
                sha256="0" * 64,
                filename="bench",
                file_format="csv",
            )
            .returning(Batch.id)
        )
    fields = [*keys.SEARCH_FIELDS, "sex", "birth_date", "birth_place"]
    rows: list[dict[str, Any]] = []
    for row in stream.iter_disclosures():
        values = {field: row.get(field, "") or "" for field in fields}
        values["external_id"] = row["id"]
        values |= keys.record_keys(values)
        values.update(
            id=uuid.uuid4(),
            party_id=party_id,
            kind="disclosures",
            created_batch_id=batch_id,
            updated_batch_id=batch_id,
        )
        rows.append(values)
        if len(rows) == CHUNK:
            _store(engine, rows)
            rows = []
    if rows:
        _store(engine, rows)
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            connection.execute(text("ANALYZE records"))
            connection.commit()


def _store(engine: Engine, rows: list[dict[str, Any]]) -> None:
    with engine.begin() as connection:
        connection.execute(insert(Record), rows)


def _plain_like_word(word: str) -> Any:
    # records.search as it was: every token of the word a LIKE over the whole key.
    tokens = keys.word_tokens(word) | {keys.ID_MARK + word.lower()}
    conditions = [Record.search_key.contains(f" {token} ", autoescape=True) for token in tokens]
    key = names.fold(word)
    if len(key) >= search.PREFIX_MIN and " " not in key:
        conditions.append(Record.search_key.contains(f" {key}", autoescape=True))
    return or_(*conditions)


def _plain_like_statement(query: str) -> Any:
    words = keys.split_words(" ".join(query.split()))
    return select(Record).where(and_(*[_plain_like_word(word) for word in words]))


def plain_like(session: Session, query: str) -> tuple[list[uuid.UUID], int]:
    """Run one search the old way: a page of 50 and the count."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL enable_bitmapscan = off"))
    statement = _plain_like_statement(query)
    page = session.scalars(
        statement.order_by(Record.surname, Record.given_name, Record.id).limit(50)
    )
    found = [record.id for record in page]
    total = session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    return found, total


def indexed(session: Session, query: str) -> tuple[list[uuid.UUID], int]:
    """Run one search as records.search does now: a page of 50 and the count."""
    page = search.search_records(session, principal=CASEWORKER, query=query, limit=50)
    total = search.count_search(session, principal=CASEWORKER, query=query)
    return [hit.record.id for hit in page], total


def same_answer(engine: Engine, query: str, old: Answer, new: Answer) -> bool:
    """Tell whether both ways found the same records: same total, new page among the old."""
    if old[1] != new[1] or len(old[0]) != len(new[0]):
        return False
    if not new[0]:
        return True
    with session_factory(engine)() as session:
        statement = _plain_like_statement(query).where(Record.id.in_(new[0]))
        found = set(session.scalars(statement.with_only_columns(Record.id)))
    return found == set(new[0])


@contextmanager
def database(postgres: str, folder: Path) -> Iterator[Engine]:
    """Yield an engine on an empty, migrated database; remove it afterwards."""
    if not postgres:
        engine = make_engine(f"sqlite:///{folder / 'search.db'}")
        upgrade(engine)
        yield engine
        engine.dispose()
        return
    schema = f"bench_search_{uuid.uuid4().hex[:8]}"
    admin = make_engine(postgres)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in postgres else "?"
    engine = make_engine(f"{postgres}{separator}options=-csearch_path%3D{schema}")
    try:
        upgrade(engine)
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def timed(
    engine: Engine, run: Callable[[Session, str], tuple[list[uuid.UUID], int]], query: str
) -> tuple[float, tuple[list[uuid.UUID], int]]:
    """Run one search in its own (rolled back) transaction; return milliseconds and answer."""
    with session_factory(engine)() as session:
        started = time.perf_counter()
        answer = run(session, query)
        elapsed = (time.perf_counter() - started) * 1000
        session.rollback()  # the audit entry of the search is not wanted here
    return elapsed, answer


def main() -> int:
    """Fill a database, run the queries both ways and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--postgres", default="", help="postgresql://… (default: SQLite)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, database(args.postgres, Path(folder)) as engine:
        started = time.perf_counter()
        fill(engine, args.records, args.seed)
        print(
            f"{engine.dialect.name}: {args.records:,} records stored in "
            f"{time.perf_counter() - started:.0f} s"
        )
        print("| query | found | plain LIKE, ms | now, ms | now / plain LIKE |")
        print("|---|---|---|---|---|")
        for label, query in QUERIES:
            old_times, new_times = [], []
            for _ in range(args.repeat):
                old_ms, old = timed(engine, plain_like, query)
                new_ms, new = timed(engine, indexed, query)
                if not same_answer(engine, query, old, new):
                    print(f"different answers for {query!r}: {old[1]} vs {new[1]}")
                    return 1
                old_times.append(old_ms)
                new_times.append(new_ms)
            old_median, new_median = statistics.median(old_times), statistics.median(new_times)
            print(
                f"| {label}: «{query}» | {new[1]:,} | {old_median:,.1f} | {new_median:,.1f} "
                f"| {new_median / old_median:.3f}× |"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
