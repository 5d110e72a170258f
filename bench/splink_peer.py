"""Splink 5 on DuckDB as the peer of Reunite's matcher in the record-linkage benchmark.

It links families' tracing requests (Ukrainian Cyrillic or Latin passport spellings) to
records disclosed by the custodial party (Russian Cyrillic) the way a competent Splink user
would, without any of Reunite's own name knowledge:

* every name and place is folded to ASCII with ONE scheme for both languages: Ukraine's
  official passport transliteration (KMU 2010, via ``translitua``), so that a Ukrainian
  Cyrillic request and a Latin passport spelling fold to the same string; letters that
  scheme lacks (Russian ы э ё ъ, Latin accents) go through ``unidecode``; then lower case,
  and every character that is not a-z is dropped (places and parents' names keep single
  spaces between words). ``scheme="unidecode"`` (Russian-style romanisation for both)
  is there for comparison: on our synthetic data it blocks more but scores worse;
* ``birth_date`` (partial ISO) is split into year, month and day columns beside the string;
* ``link_only`` between the two tables, eight blocking rules (see ``BLOCKING_RULES``);
* comparisons: ``NameComparison`` (exact with term-frequency adjustment, Jaro-Winkler 0.92,
  0.88, 0.70) on given name, surname and patronymic; custom birth-date levels (exact full
  date, Levenshtein 1, same year and month, same year, year +/- 1); exact match on sex;
  Jaro-Winkler 0.9 / 0.7 on birth place, mother's and father's names;
* training: the prior from deterministic rules, u by random sampling (1e6 pairs, seeded),
  m by expectation maximisation on two blocking rules; then ``predict()`` of every pair;
* DuckDB: 2 threads, 12 GB memory limit, spilling to a fresh folder under /tmp, no
  extension auto-install (nothing is downloaded at run time).

A pair is called a match when ``match_probability >= threshold``: the same ``>=`` that
Splink's own ``predict(threshold_match_probability=...)`` and clustering use. Splink has no
built-in decision threshold for ``predict()`` (``None``: every blocked pair is returned);
0.5 is the default of its label-based evaluation helpers and what its docs use.

``run_splink_in_subprocess`` runs everything in a fresh interpreter so that the peak
resident memory it reports is Splink's alone (interpreter, imports and data included).

CLI (for a quick look):  .venv/bin/python bench/splink_peer.py requests.csv disclosures.csv
[--truth truth.csv] [--in-process]; truth.csv holds request_id,disclosed_id rows.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import functools
import json
import logging
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

FIELDS = (
    "id",
    "given_name",
    "surname",
    "patronymic",
    "sex",
    "birth_date",
    "birth_place",
    "mother_name",
    "father_name",
)
NAME_FIELDS = ("given_name", "surname", "patronymic")
PHRASE_FIELDS = ("birth_place", "mother_name", "father_name")

REQUESTS = "requests"
DISCLOSURES = "disclosures"

# DuckDB on the 2-core, 24 GiB machine: both cores; half the memory before it spills to
# its temporary directory, which leaves room for the benchmark's parent process.
DUCKDB_THREADS = 2
DUCKDB_MEMORY_LIMIT = "12GB"

# Blocking for predict(): a pair is scored if ANY rule holds (Splink removes duplicates).
BLOCKING_RULES: tuple[str, ...] = (
    "substr(l.surname, 1, 3) = substr(r.surname, 1, 3) and l.birth_year = r.birth_year",
    "l.given_name = r.given_name and l.birth_year = r.birth_year",
    "l.birth_date = r.birth_date and length(l.birth_date) = 10",
    "l.surname = r.surname and l.given_name = r.given_name",
    "l.patronymic = r.patronymic and l.birth_year = r.birth_year",
    "l.surname = r.surname and substr(l.patronymic, 1, 3) = substr(r.patronymic, 1, 3)",
    "l.given_name = r.given_name and substr(l.surname, 1, 3) = substr(r.surname, 1, 3)",
    "substr(l.given_name, 1, 1) = substr(r.given_name, 1, 1) "
    "and l.birth_month = r.birth_month and l.birth_day = r.birth_day",
)
# Deterministic rules for the prior (few false positives), and the recall assumed for them.
DETERMINISTIC_RULES: tuple[str, ...] = (
    "l.surname = r.surname and l.given_name = r.given_name and l.birth_date = r.birth_date",
    "l.given_name = r.given_name and l.patronymic = r.patronymic "
    "and l.birth_date = r.birth_date and length(l.birth_date) = 10",
)
DETERMINISTIC_RECALL = 0.5
# EM sessions: each comparison is estimated in at least one of them.
EM_RULES: tuple[str, ...] = (
    "l.birth_date = r.birth_date and length(l.birth_date) = 10",
    "l.surname = r.surname and l.given_name = r.given_name",
)

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_NOT_LETTER = re.compile(r"[^a-z]+")
_NOT_LETTER_OR_SPACE = re.compile(r"[^a-z ]+")
_SPACES = re.compile(r"\s+")


@dataclass
class SplinkResult:
    """What one Splink run produced and cost."""

    pairs: list[tuple[str, str, float]]  # (request id, disclosed id, match probability)
    seconds: float  # Linker set-up, training and predict(), wall clock
    peak_memory_mb: float  # peak RSS of the process that ran Splink
    blocked_pairs: int  # distinct pairs scored by predict()
    prep_seconds: float = 0.0  # ASCII folding and table registration, before `seconds`
    baseline_memory_mb: float = 0.0  # RSS after imports, before any data (subprocess only)
    min_probability: float = 0.0  # pairs below this were dropped from `pairs`
    true_pairs_blocked: int | None = None  # of the `truth` given, how many were blocked
    true_pairs: int | None = None
    prior: float = 0.0  # probability_two_random_records_match used
    em_values_clamped: int = 0  # EM updates raised to Splink's 1e-300 floor (see below)
    splink_version: str = ""
    duckdb_version: str = ""
    # The worker process's whole life (interpreter, imports, reading its input, preparing,
    # training, predicting, writing the pairs): the end-to-end time, as `reunite match`'s.
    process_seconds: float = 0.0

    @property
    def blocking_recall(self) -> float | None:
        """Share of true pairs present among the blocked pairs (None without truth)."""
        if self.true_pairs is None or self.true_pairs_blocked is None:
            return None
        return self.true_pairs_blocked / self.true_pairs if self.true_pairs else 1.0


# --- preparation ------------------------------------------------------------------------


SCHEMES = ("kmu", "unidecode")
SCHEME = "kmu"


@functools.lru_cache(maxsize=1 << 16)
def _to_latin(text: str, scheme: str) -> str:
    from unidecode import unidecode

    if scheme == "kmu":
        from translitua import UkrainianKMU, translit

        text = translit(text, UkrainianKMU)
    elif scheme != "unidecode":
        raise ValueError(f"unknown transliteration scheme {scheme!r}; use one of {SCHEMES}")
    return unidecode(text).lower()


def fold_name(text: str, scheme: str = SCHEME) -> str | None:
    """ASCII-fold a name: transliterate, lower-case, keep a-z only; None when empty."""
    folded = _NOT_LETTER.sub("", _to_latin(text.strip(), scheme)) if text else ""
    return folded or None


def fold_phrase(text: str, scheme: str = SCHEME) -> str | None:
    """ASCII-fold a place or full name, keeping single spaces between words."""
    if not text:
        return None
    latin = _to_latin(text.strip(), scheme).replace("-", " ")
    folded = _SPACES.sub(" ", _NOT_LETTER_OR_SPACE.sub("", latin)).strip()
    return folded or None


def fold_sex(text: str) -> str | None:
    """'m' or 'f' from the usual English, Ukrainian and Russian spellings, else None."""
    first = text.strip().lower()[:1]
    if first in ("m", "ч", "м"):
        return "m"
    if first in ("f", "ж", "w"):
        return "f"
    return None


def split_date(text: str) -> tuple[str | None, int | None, int | None, int | None]:
    """The cleaned date string and its year, month and day (None where missing)."""
    match = _DATE.match(text.strip())
    if not match:
        return None, None, None, None
    year, month, day = (int(part) if part else None for part in match.groups())
    return match.group(0), year, month, day


def prepare(rows: Sequence[dict[str, str]], scheme: str = SCHEME) -> Any:
    """The rows as a pyarrow table of the columns the Splink model uses."""
    import pyarrow as pa

    columns: dict[str, list[Any]] = {
        name: []
        for name in (
            "unique_id",
            *NAME_FIELDS,
            "sex",
            "birth_date",
            "birth_year",
            "birth_month",
            "birth_day",
            *PHRASE_FIELDS,
        )
    }
    for row in rows:
        columns["unique_id"].append(row["id"])
        for name in NAME_FIELDS:
            columns[name].append(fold_name(row.get(name, ""), scheme))
        for name in PHRASE_FIELDS:
            columns[name].append(fold_phrase(row.get(name, ""), scheme))
        columns["sex"].append(fold_sex(row.get("sex", "")))
        date, year, month, day = split_date(row.get("birth_date", ""))
        columns["birth_date"].append(date)
        columns["birth_year"].append(year)
        columns["birth_month"].append(month)
        columns["birth_day"].append(day)
    integer = ("birth_year", "birth_month", "birth_day")
    return pa.table(
        {
            name: pa.array(values, type=pa.int32() if name in integer else pa.string())
            for name, values in columns.items()
        }
    )


# --- the model ------------------------------------------------------------------------


def birth_date_comparison() -> Any:
    """Birth-date levels that work for partial dates (a year or a year and month)."""
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    full = "length(birth_date_l) = 10 and length(birth_date_r) = 10"
    return cl.CustomComparison(
        output_column_name="birth_date",
        comparison_levels=[
            cll.CustomLevel("birth_year_l is null or birth_year_r is null").configure(
                is_null_level=True, label_for_charts="Null"
            ),
            cll.CustomLevel(f"birth_date_l = birth_date_r and {full}", "Exact full date"),
            cll.CustomLevel(
                f"{full} and levenshtein(birth_date_l, birth_date_r) <= 1", "Levenshtein <= 1"
            ),
            cll.CustomLevel(
                "birth_year_l = birth_year_r and birth_month_l = birth_month_r",
                "Same year and month",
            ),
            cll.CustomLevel("birth_year_l = birth_year_r", "Same year"),
            cll.CustomLevel("abs(birth_year_l - birth_year_r) <= 1", "Year +/- 1"),
            cll.ElseLevel(),
        ],
    )


def settings(prior: float = 1e-4) -> Any:
    """The Splink settings of the peer model."""
    import splink.comparison_library as cl
    from splink import SettingsCreator
    from splink.blocking_rule_library import CustomRule

    return SettingsCreator(
        link_type="link_only",
        unique_id_column_name="unique_id",
        probability_two_random_records_match=prior,
        comparisons=[
            cl.NameComparison("given_name"),
            cl.NameComparison("surname"),
            cl.NameComparison("patronymic"),
            birth_date_comparison(),
            cl.ExactMatch("sex"),
            cl.JaroWinklerAtThresholds("birth_place", [0.9, 0.7]),
            cl.JaroWinklerAtThresholds("mother_name", [0.9, 0.7]),
            cl.JaroWinklerAtThresholds("father_name", [0.9, 0.7]),
        ],
        blocking_rules_to_generate_predictions=[CustomRule(rule) for rule in BLOCKING_RULES],
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
    )


def _rss_mb(key: str) -> float:
    """VmHWM (peak) or VmRSS (current) of this process in MiB, from /proc/self/status."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(f"{key}:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


@contextlib.contextmanager
def _clamp_em_updates() -> Iterator[list[int]]:
    """Work around Splink 5.0.0 stopping EM with "m_probability value ... is below the
    minimum allowed value of 1e-300" when a level's m runs off towards zero (a level that
    never occurs among matches of the training block). Splink already clamps m and u at
    that floor (M_U_CLAMP_MIN) wherever it computes match weights; this applies the same
    floor to EM's updates instead of raising. It changes nothing in a run that would not
    have stopped. Yields a one-item list counting the values clamped."""
    import splink.internals.expectation_maximisation as em
    from splink.internals.comparison_level import M_U_CLAMP_MIN, ComparisonLevel

    original = em.populate_m_u_from_lookup
    clamped = [0]

    def populate(
        training_fixed_probabilities: set[str],
        comparison_level: ComparisonLevel,
        output_column_name: str,
        m_u_records_lookup: dict[str, dict[int, Any]],
    ) -> None:
        levels = m_u_records_lookup.get(output_column_name, {})
        record = levels.get(comparison_level.comparison_vector_value)
        if record is not None:
            for key in ("m_probability", "u_probability"):
                value = record.get(key)
                if isinstance(value, float | int) and value < M_U_CLAMP_MIN:
                    record[key] = M_U_CLAMP_MIN
                    clamped[0] += 1
        original(
            training_fixed_probabilities, comparison_level, output_column_name, m_u_records_lookup
        )

    em.populate_m_u_from_lookup = populate
    try:
        yield clamped
    finally:
        em.populate_m_u_from_lookup = original


def _set_prior(linker: Any, n_requests: int, n_disclosures: int) -> None:
    """Prior from deterministic rules; if they find nothing usable, assume that half of
    the smaller table has a match."""
    fallback = 0.5 * min(n_requests, n_disclosures) / max(1, n_requests * n_disclosures)
    try:
        linker.training.estimate_probability_two_random_records_match(
            list(DETERMINISTIC_RULES), recall=DETERMINISTIC_RECALL
        )
    except ValueError:
        linker._settings_obj._probability_two_random_records_match = fallback
        return
    if linker._settings_obj._probability_two_random_records_match <= 0:
        linker._settings_obj._probability_two_random_records_match = fallback


def run_splink(
    requests: list[dict[str, str]],
    disclosures: list[dict[str, str]],
    *,
    seed: int = 1,
    min_probability: float = 0.01,
    truth: Iterable[tuple[str, str]] | None = None,
    u_max_pairs: float = 1e6,
    threads: int = DUCKDB_THREADS,
    memory_limit: str = DUCKDB_MEMORY_LIMIT,
    scheme: str = SCHEME,
    verbose: bool = False,
) -> SplinkResult:
    """Train a Splink model on the two lists and score every blocked pair.

    ``pairs`` keeps those with probability >= ``min_probability`` (0 keeps all).
    With ``truth`` the blocking recall is counted in DuckDB over all blocked pairs, after
    the timed part. ``peak_memory_mb`` is this whole process's peak: use
    ``run_splink_in_subprocess`` for a figure that is Splink's alone.
    """
    import duckdb
    import pyarrow as pa
    import splink
    from splink import DuckDBAPI, Linker

    started = time.perf_counter()
    request_table = prepare(requests, scheme)
    disclosure_table = prepare(disclosures, scheme)
    temp_dir = tempfile.mkdtemp(prefix="splink-duckdb-", dir="/tmp")
    con = duckdb.connect(
        ":memory:",
        config={
            "threads": threads,
            "memory_limit": memory_limit,
            "temp_directory": temp_dir,
            "preserve_insertion_order": False,
            "autoinstall_known_extensions": False,  # never reach the network
        },
    )
    try:
        db_api = DuckDBAPI(connection=con)
        request_sdf = db_api.register(request_table, table_name=REQUESTS)
        disclosure_sdf = db_api.register(disclosure_table, table_name=DISCLOSURES)
        prepared = time.perf_counter()

        linker = Linker(
            [request_sdf, disclosure_sdf],
            settings(),
            log_level=logging.INFO if verbose else logging.ERROR,
        )
        _set_prior(linker, len(requests), len(disclosures))
        linker.training.estimate_u_using_random_sampling(max_pairs=u_max_pairs, seed=seed)
        with _clamp_em_updates() as clamped:
            for rule in EM_RULES:
                linker.training.estimate_parameters_using_expectation_maximisation(rule)
        predictions = linker.inference.predict()
        table = predictions.physical_name
        blocked = int(con.sql(f"select count(*) from {table}").fetchall()[0][0])
        seconds = time.perf_counter() - prepared

        # Splink orders each pair by source dataset; map both sides back to our roles.
        pair_sql = f"""
            select
                case when source_dataset_l = '{REQUESTS}' then unique_id_l
                     else unique_id_r end as request_id,
                case when source_dataset_l = '{REQUESTS}' then unique_id_r
                     else unique_id_l end as disclosed_id,
                match_probability
            from {table}
        """
        pairs = [
            (str(r), str(d), float(p))
            for r, d, p in con.sql(
                f"select * from ({pair_sql}) where match_probability >= {min_probability!r}"
            ).fetchall()
        ]
        true_pairs_blocked = true_pairs = None
        if truth is not None:
            truth_set = {(str(r), str(d)) for r, d in truth}
            true_pairs = len(truth_set)
            con.register(
                "truth_pairs",
                pa.table(
                    {
                        "request_id": pa.array([r for r, _ in truth_set], type=pa.string()),
                        "disclosed_id": pa.array([d for _, d in truth_set], type=pa.string()),
                    }
                ),
            )
            true_pairs_blocked = int(
                con.sql(
                    f"""select count(*) from ({pair_sql}) p join truth_pairs t
                        on p.request_id = t.request_id and p.disclosed_id = t.disclosed_id"""
                ).fetchall()[0][0]
            )
        prior = float(linker._settings_obj._probability_two_random_records_match)
    finally:
        con.close()
        shutil.rmtree(temp_dir, ignore_errors=True)

    return SplinkResult(
        pairs=pairs,
        seconds=seconds,
        peak_memory_mb=_rss_mb("VmHWM"),
        blocked_pairs=blocked,
        prep_seconds=prepared - started,
        min_probability=min_probability,
        true_pairs_blocked=true_pairs_blocked,
        true_pairs=true_pairs,
        prior=prior,
        em_values_clamped=clamped[0],
        splink_version=splink.__version__,
        duckdb_version=duckdb.__version__,
    )


# --- the same, in a fresh process ---------------------------------------------------


def run_splink_in_subprocess(
    requests: list[dict[str, str]],
    disclosures: list[dict[str, str]],
    *,
    seed: int = 1,
    min_probability: float = 0.01,
    truth: Iterable[tuple[str, str]] | None = None,
    timeout: float | None = None,
    **options: Any,
) -> SplinkResult:
    """``run_splink`` in a fresh interpreter; ``peak_memory_mb`` is that child's peak RSS.

    Inputs and outputs travel through files in a temporary folder under /tmp. The peak
    is the child's ``ru_maxrss`` from ``wait4`` (its whole life: interpreter, imports,
    reading the input, Splink, writing the pairs); ``baseline_memory_mb`` is its RSS after
    the imports, before any data.
    """
    folder = Path(tempfile.mkdtemp(prefix="splink-peer-", dir="/tmp"))
    try:
        job = {
            "requests": [{k: row.get(k, "") for k in FIELDS} for row in requests],
            "disclosures": [{k: row.get(k, "") for k in FIELDS} for row in disclosures],
            "truth": None if truth is None else [list(pair) for pair in truth],
            "options": {"seed": seed, "min_probability": min_probability, **options},
        }
        (folder / "job.json").write_text(json.dumps(job, ensure_ascii=False), encoding="utf-8")
        del job
        command = [sys.executable, str(Path(__file__).resolve()), "--worker", str(folder)]
        with (folder / "stderr.txt").open("wb") as stderr:
            launched = time.perf_counter()
            child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr)
            deadline = None if timeout is None else time.monotonic() + timeout
            while True:
                pid, status, usage = os.wait4(child.pid, os.WNOHANG)
                if pid:
                    break
                if deadline is not None and time.monotonic() > deadline:
                    child.kill()
                    os.wait4(child.pid, 0)
                    raise TimeoutError(f"Splink worker exceeded {timeout} s")
                time.sleep(0.05)
            process_seconds = time.perf_counter() - launched
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            message = (folder / "stderr.txt").read_text(encoding="utf-8", errors="replace")
            raise RuntimeError(f"Splink worker failed ({child.returncode}):\n{message[-4000:]}")
        meta = json.loads((folder / "result.json").read_text(encoding="utf-8"))
        with (folder / "pairs.tsv").open(encoding="utf-8", newline="") as handle:
            pairs = [(r, d, float(p)) for r, d, p in csv.reader(handle, delimiter="\t")]
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    meta["pairs"] = pairs
    meta["peak_memory_mb"] = usage.ru_maxrss / 1024  # KiB on Linux
    meta["process_seconds"] = process_seconds
    return SplinkResult(**meta)


def _worker(folder: Path) -> None:
    """Child side of ``run_splink_in_subprocess``."""
    import duckdb  # noqa: F401  (imported before the baseline is taken)
    import pyarrow  # noqa: F401
    import splink  # noqa: F401
    import translitua  # noqa: F401
    import unidecode  # noqa: F401

    baseline = _rss_mb("VmRSS")
    job = json.loads((folder / "job.json").read_text(encoding="utf-8"))
    truth = None if job["truth"] is None else [tuple(pair) for pair in job["truth"]]
    result = run_splink(job["requests"], job["disclosures"], truth=truth, **job["options"])
    del job
    with (folder / "pairs.tsv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter="\t", lineterminator="\n").writerows(result.pairs)
    meta = asdict(result)
    del meta["pairs"]
    meta["baseline_memory_mb"] = baseline
    (folder / "result.json").write_text(json.dumps(meta), encoding="utf-8")


# --- evaluation -----------------------------------------------------------------------


def evaluate(
    pairs: Iterable[tuple[str, str, float]], truth: set[tuple[str, str]], threshold: float
) -> dict[str, float]:
    """Pairwise precision, recall and F1 when ``match_probability >= threshold`` is a match.

    Precision is 0 when nothing is predicted; recall counts every true pair, blocked or not.
    """
    predicted = {(r, d) for r, d, p in pairs if p >= threshold}
    tp = len(predicted & truth)
    precision = tp / len(predicted) if predicted else 0.0
    recall = tp / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if tp else 0.0
    return {
        "threshold": threshold,
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "tp": tp,
        "fp": len(predicted) - tp,
        "fn": len(truth) - tp,
    }


def _cutoffs(
    pairs: Iterable[tuple[str, str, float]], truth: set[tuple[str, str]]
) -> list[tuple[float, int, int]]:
    """(threshold, predicted, true positives) for every distinct probability, high to low."""
    best: dict[tuple[str, str], float] = {}
    for r, d, p in pairs:
        if p > best.get((r, d), -1.0):
            best[(r, d)] = p
    ordered = sorted(best.items(), key=lambda item: item[1], reverse=True)
    rows: list[tuple[float, int, int]] = []
    tp = 0
    for index, (pair, probability) in enumerate(ordered):
        tp += pair in truth
        if index + 1 == len(ordered) or ordered[index + 1][1] != probability:
            rows.append((probability, index + 1, tp))
    return rows


def best_threshold(
    pairs: Iterable[tuple[str, str, float]], truth: set[tuple[str, str]]
) -> tuple[float, float]:
    """The threshold with the highest F1 (exact scan over all distinct probabilities)."""
    best = (1.0, 0.0)
    for threshold, predicted, tp in _cutoffs(pairs, truth):
        f1 = 2 * tp / (predicted + len(truth)) if tp else 0.0
        if f1 > best[1]:
            best = (threshold, f1)
    return best


def recall_at_precision(
    pairs: Iterable[tuple[str, str, float]],
    truth: set[tuple[str, str]],
    min_precision: float = 0.99,
) -> float:
    """The highest recall at any threshold whose precision is at least ``min_precision``."""
    best = 0.0
    for _threshold, predicted, tp in _cutoffs(pairs, truth):
        if tp / predicted >= min_precision and truth:
            best = max(best, tp / len(truth))
    return best


# --- command line ---------------------------------------------------------------------


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [{k: (v or "") for k, v in row.items()} for row in csv.DictReader(handle)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("requests", type=Path, nargs="?")
    parser.add_argument("disclosures", type=Path, nargs="?")
    parser.add_argument("--truth", type=Path, help="CSV of request_id,disclosed_id")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--in-process", action="store_true")
    args = parser.parse_args(argv)
    if args.worker:
        _worker(args.worker)
        return 0
    if not (args.requests and args.disclosures):
        parser.error("give the requests and disclosures CSV files")
    requests, disclosures = _read_csv(args.requests), _read_csv(args.disclosures)
    truth: set[tuple[str, str]] | None = None
    if args.truth:
        truth = {(row["request_id"], row["disclosed_id"]) for row in _read_csv(args.truth)}
    runner = run_splink if args.in_process else run_splink_in_subprocess
    result = runner(requests, disclosures, seed=args.seed, truth=truth)
    print(
        f"splink {result.splink_version} duckdb {result.duckdb_version}: "
        f"{len(requests)} x {len(disclosures)} rows, {result.blocked_pairs} blocked pairs, "
        f"prep {result.prep_seconds:.1f} s, train+predict {result.seconds:.1f} s, "
        f"peak {result.peak_memory_mb:.0f} MiB (baseline {result.baseline_memory_mb:.0f})"
    )
    if truth is not None:
        at_half = evaluate(result.pairs, truth, 0.5)
        threshold, f1 = best_threshold(result.pairs, truth)
        print(
            f"blocking recall {result.blocking_recall:.3f}; at 0.5: P {at_half['precision']:.3f}"
            f" R {at_half['recall']:.3f} F1 {at_half['f1']:.3f}; best F1 {f1:.3f} at "
            f"{threshold:.4g}; recall at precision 0.99: "
            f"{recall_at_precision(result.pairs, truth):.3f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
