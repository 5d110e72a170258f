"""Figures of information requests: open, answered and overdue per party, time to answer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from reunite.figures._sql import days_between, dialect_of, median_by_group
from reunite.inquiries.enums import InquiryState
from reunite.inquiries.models import Inquiry
from reunite.inquiries.service import ASKABLE_ROLES
from reunite.parties.models import Party


@dataclass(frozen=True)
class PartyInquiries:
    """The information requests the mediator sent one party, and how fast it answered."""

    party: Party
    # Open and not yet due; overdue ones (open past their due day) are counted apart.
    open: int
    answered: int
    overdue: int
    # The median days from asking to the last child answered (None: nothing answered yet).
    median_days: float | None


def inquiries_per_party(session: Session, *, today: date) -> list[PartyInquiries]:
    """Return, per party that can be asked, its requests by state and its median answer time.

    Overdue is read off the due day, as the information requests' own pages read it
    (inquiries.service): an open request whose due day is before `today`. Withdrawn ones
    count nowhere.
    """
    parties = list(
        session.scalars(select(Party).where(Party.role.in_(ASKABLE_ROLES)).order_by(Party.name))
    )
    late = and_(Inquiry.state == InquiryState.OPEN, Inquiry.due_on < today)
    counted: dict[tuple[int, str, bool], int] = {
        (party_id, state, bool(overdue)): count
        for party_id, state, overdue, count in session.execute(
            select(Inquiry.party_id, Inquiry.state, late.label("late"), func.count()).group_by(
                Inquiry.party_id, Inquiry.state, "late"
            )
        )
    }
    times = (
        select(
            Inquiry.party_id.label("group"),
            days_between(Inquiry.answered_at, Inquiry.created_at).label("value"),
        )
        .where(Inquiry.state == InquiryState.ANSWERED, Inquiry.answered_at.is_not(None))
        .subquery()
    )
    medians = {
        int(party_id): float(median)
        for party_id, median, _n in session.execute(median_by_group(times, dialect_of(session)))
    }
    return [
        PartyInquiries(
            party=party,
            open=counted.get((party.id, InquiryState.OPEN, False), 0),
            answered=counted.get((party.id, InquiryState.ANSWERED, False), 0),
            overdue=counted.get((party.id, InquiryState.OPEN, True), 0),
            median_days=medians.get(party.id),
        )
        for party in parties
    ]
