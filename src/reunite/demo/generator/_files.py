"""The public entry points: a whole scenario in memory, or streamed to CSV files."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path

from reunite.demo.generator._model import (
    DISCLOSURE_COLUMNS,
    LINK_COLUMNS,
    REQUEST_COLUMNS,
    Scenario,
)
from reunite.demo.generator._population import ScenarioStream, stream_scenario


def generate_scenario(
    *,
    seed: int = 2022,
    n_children: int = 2500,
    n_requests: int = 2000,
    n_disclosures: int = 3000,
    today: date = date(2026, 11, 25),
) -> Scenario:
    """Generate a deterministic scenario of requests, disclosures and ground-truth links."""
    stream = stream_scenario(
        seed=seed,
        n_children=n_children,
        n_requests=n_requests,
        n_disclosures=n_disclosures,
        today=today,
    )
    return Scenario(
        requests=list(stream.iter_requests()),
        disclosures=list(stream.iter_disclosures()),
        links=stream.links,
        children=stream.children,
    )


def _header(first: Mapping[str, str]) -> list[str]:
    keys = list(first)
    canonical = max(
        (REQUEST_COLUMNS, DISCLOSURE_COLUMNS), key=lambda cols: len(set(cols) & set(keys))
    )
    return [c for c in canonical if c in first] + [k for k in keys if k not in canonical]


def write_csv(rows: Iterable[Mapping[str, str]], path: Path) -> None:
    """Write rows as UTF-8 CSV with the canonical column order of the first row's keys."""
    it = iter(rows)
    with path.open("w", encoding="utf-8", newline="") as fh:
        first = next(it, None)
        if first is None:
            return
        header = _header(first)
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerow([first.get(k, "") for k in header])
        writer.writerows([row.get(k, "") for k in header] for row in it)


def write_links(links: Iterable[tuple[str, str]], path: Path) -> None:
    """Write ground-truth links as CSV with columns request_id,disclosed_id."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(LINK_COLUMNS)
        writer.writerows(links)


def write_scenario(
    directory: Path,
    *,
    seed: int = 2022,
    n_children: int = 2500,
    n_requests: int = 2000,
    n_disclosures: int = 3000,
    today: date = date(2026, 11, 25),
) -> ScenarioStream:
    """Stream requests.csv, disclosures.csv and links.csv into a directory."""
    stream = stream_scenario(
        seed=seed,
        n_children=n_children,
        n_requests=n_requests,
        n_disclosures=n_disclosures,
        today=today,
    )
    directory.mkdir(parents=True, exist_ok=True)
    write_csv(stream.iter_requests(), directory / "requests.csv")
    write_csv(stream.iter_disclosures(), directory / "disclosures.csv")
    write_links(stream.links, directory / "links.csv")
    return stream
