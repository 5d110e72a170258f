"""The demo's information requests: every state, and a median time to answer, at first start."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from reunite.auth.models import User
from reunite.auth.service import principal_of
from reunite.demo.service import load_demo
from reunite.inquiries import service as inquiries
from reunite.inquiries.enums import InquiryState
from reunite.parties.models import Party


def test_the_demo_has_open_overdue_answered_and_withdrawn_requests(session: Session) -> None:
    today = date.today()
    outcome = load_demo(session, n_requests=40, n_disclosures=60, today=today)
    assert any(line.startswith("information requests: 3 answered") for line in outcome.lines)
    caseworker = session.scalar(select(User).where(User.username == "demo-caseworker"))
    assert caseworker is not None
    staff = principal_of(session, caseworker)
    figures = {f.party.role: f for f in inquiries.party_figures(session, principal=staff)}
    custodial = figures["custodial"]
    assert (custodial.open, custodial.overdue, custodial.answered, custodial.withdrawn) == (
        1, 1, 3, 1,
    )  # fmt: skip
    # Answered after 4, 9 and 15 days.
    assert custodial.median_days == 9.0
    assert (figures["requesting"].answered, figures["requesting"].open) == (1, 1)
    states = {line.state for line in inquiries.list_inquiries(session, principal=staff, limit=200)}
    assert states == set(InquiryState)
    # The custodial party's liaison sees its own party's requests and can answer the open ones.
    liaison = session.scalar(select(User).where(User.username == "demo-liaison-custodial"))
    assert liaison is not None
    own = inquiries.list_inquiries(session, principal=principal_of(session, liaison))
    custodial_party = session.scalar(select(Party.id).where(Party.role == "custodial"))
    assert len(own) == 6 and {line.inquiry.party_id for line in own} == {custodial_party}
