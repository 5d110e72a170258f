"""Load the synthetic demo scenario through the same import path real lists take."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from reunite.demo.generator import generate_scenario, write_csv, write_links
from reunite.errors import Conflict
from reunite.exchange.service import import_list
from reunite.parties.models import Party
from reunite.parties.service import add_party
from reunite.records.models import Record

MEDIATOR = "Neutral Mediator"
REQUESTING = "Ukraine"
CUSTODIAL = "Russian Federation"


def load_demo(
    session: Session,
    *,
    seed: int = 2022,
    n_requests: int = 2000,
    n_disclosures: int = 3000,
    skip_if_present: bool = False,
    truth_out: Path | None = None,
    today: date | None = None,
) -> list[str]:
    """Create the three parties and import generated requests and disclosures."""
    has_data = (session.scalar(select(func.count()).select_from(Party)) or 0) > 0 or (
        session.scalar(select(func.count()).select_from(Record)) or 0
    ) > 0
    if has_data:
        if skip_if_present:
            return ["the database already holds data; demo data not loaded again"]
        raise Conflict("the demo fills an empty database only; this one already holds data")
    scenario = generate_scenario(
        seed=seed,
        n_children=max(n_requests, n_disclosures),
        n_requests=n_requests,
        n_disclosures=n_disclosures,
        today=today or date.today(),
    )
    add_party(session, name=MEDIATOR, role="mediator")
    requesting = add_party(session, name=REQUESTING, role="requesting")
    custodial = add_party(session, name=CUSTODIAL, role="custodial")
    lines = [f"parties: {MEDIATOR} (mediator), {REQUESTING} (requesting), {CUSTODIAL} (custodial)"]
    with tempfile.TemporaryDirectory(prefix="reunite-demo-") as folder:
        for party, kind, rows in (
            (requesting, "requests", scenario.requests),
            (custodial, "disclosures", scenario.disclosures),
        ):
            path = Path(folder) / f"demo-{kind}.csv"
            write_csv(rows, path)
            report = import_list(session, path=path, party=party, kind=kind)
            lines.append(report.summary())
    if truth_out is not None:
        write_links(scenario.links, truth_out)
        lines.append(f"true links written to {truth_out} (for benchmarks; not stored)")
    return lines
