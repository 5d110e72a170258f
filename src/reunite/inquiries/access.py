"""Need to know, for information requests: who may see which. Every read goes through here.

- The mediator's admin and caseworkers see every request; so does the auditor, read only.
- A party's liaison sees the requests addressed to its own party, and nothing else.
- A family member or an adult sees none (a request is the mediator's work with a party).

A request a caller may not see does not exist for them: 404, never 403.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, select, true
from sqlalchemy.orm import Session

from reunite.auth.principal import Principal
from reunite.errors import NotFound
from reunite.inquiries.models import Inquiry
from reunite.vocabulary import N_, say

INQUIRY_READERS = ("admin", "caseworker", "auditor", "liaison")
UNSEEN = N_("no such information request")


def visible_inquiries(principal: Principal) -> ColumnElement[bool]:
    """Return the SQL condition on Inquiry that selects what this caller may see."""
    if principal.is_staff or principal.role == "auditor":
        return true()
    if principal.role == "liaison" and principal.party_id is not None:
        return Inquiry.party_id == principal.party_id
    return false()


def get_visible_inquiry(
    session: Session, *, principal: Principal, inquiry_id: int, for_update: bool = False
) -> Inquiry:
    """Return a request the caller may see; anything else is "not found"."""
    if principal.role not in INQUIRY_READERS:
        raise NotFound(say(UNSEEN))
    statement = select(Inquiry).where(Inquiry.id == inquiry_id, visible_inquiries(principal))
    if for_update:
        statement = statement.with_for_update()
    inquiry = session.scalar(statement)
    if inquiry is None:
        raise NotFound(say(UNSEEN))
    return inquiry


def sees_sources(principal: Principal) -> bool:
    """Tell whether the caller sees which case and tracing request an item came from."""
    return principal.is_staff
