"""Figures of information requests: open, answered and overdue per party, time to answer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from reunite.parties.models import Party


@dataclass(frozen=True)
class PartyInquiries:
    """The information requests the mediator sent one party, and how fast it answered."""

    party: Party
    open: int
    answered: int
    overdue: int
    # The median days from asking to the last child answered (None: nothing answered yet).
    median_days: float | None


def inquiries_per_party(session: Session, *, today: date) -> list[PartyInquiries]:
    """Return, per party asked, its information requests by state and its median answer time.

    Information requests are recorded by their own domain, which this installation does not
    have yet: there is nothing to count, and the dashboard says so.
    """
    del session, today
    return []
