"""Pages of likely duplicates: the staff list, and the decision on a pair (link or dismiss).

The record page shows a record's likely duplicates (`duplicates_context`); the routes here
are the mediator staff's: everyone else gets 404.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request, Response
from fastapi.responses import RedirectResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from reunite.auth.principal import MEDIATOR_STAFF, Principal
from reunite.errors import InvalidInput
from reunite.flows.duplicates import decide_likely_duplicate
from reunite.parties.service import list_parties
from reunite.records.access import get_visible_record, parse_record_id
from reunite.records.duplicates import (
    MAX_REASON,
    LinkStatus,
    count_duplicates,
    duplicates_of,
    linked_requests,
    list_duplicates,
)
from reunite.records.models import Record
from reunite.vocabulary import N_
from reunite.web.deps import CsrfChecked, DbSession, PagePrincipal, client_address, require_role
from reunite.web.present import Paging
from reunite.web.render import render

router = APIRouter()

PAGE_SIZE = 50
LINK_STATES = {
    LinkStatus.SUSPECTED: N_("suspected"),
    LinkStatus.LINKED: N_("linked: the same child"),
    LinkStatus.DISMISSED: N_("dismissed: not the same child"),
}
# What agreed between the two records.
EVIDENCE_LABELS = {
    "birth_date": N_("date of birth"),
    "sex": N_("sex"),
    "mother": N_("mother's given name"),
    "father": N_("father's given name"),
    "given_name": N_("given name"),
    "surname": N_("surname"),
}
# The messages of reunite.records.duplicates that a page shows (tests check the two agree).
MESSAGES = (
    N_("a decision needs a reason: say what settled it"),
    N_("choose link, dismiss or unlink"),
    N_("these records are not linked"),
    N_("these records are linked already"),
    N_("this suspicion is dismissed already"),
    N_("no such pair of likely duplicates"),
)
STATUS_CHOICES: dict[str, str] = {"all": N_("All")} | {str(k): v for k, v in LINK_STATES.items()}


def _labels() -> dict[str, Any]:
    return {"LINK_STATES": LINK_STATES, "EVIDENCE_LABELS": EVIDENCE_LABELS}


def duplicates_context(session: Session, principal: Principal, record: Record) -> dict[str, Any]:
    """Return what the record page shows of a record's likely duplicates and linked group."""
    duplicates = duplicates_of(session, principal=principal, record_id=record.id)
    group: list[Record] = []
    if any(item.link.status == LinkStatus.LINKED for item in duplicates):
        members = linked_requests(session, record_id=record.id)
        found = {r.id: r for r in session.scalars(select(Record).where(Record.id.in_(members)))}
        group = [found[member] for member in members if member in found]
    return {"duplicates": duplicates, "linked_group": group, **_labels()}


@router.get("/duplicates")
def duplicates_page(
    request: Request,
    session: DbSession,
    principal: PagePrincipal,
    party: Annotated[str, Query(max_length=20)] = "",
    status: Annotated[str, Query(max_length=20)] = LinkStatus.SUSPECTED,
    batch: Annotated[str, Query(max_length=20)] = "",
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
) -> Response:
    """List the pairs of likely duplicates, newest first, by status and party (staff only)."""
    require_role(principal, *MEDIATOR_STAFF)
    chosen_status = status if status in STATUS_CHOICES else LinkStatus.SUSPECTED
    chosen_party = int(party) if party.isdigit() else None
    chosen_batch = int(batch) if batch.isdigit() else None
    paging = Paging.of(
        request,
        page=page,
        size=PAGE_SIZE,
        party=chosen_party,
        status=chosen_status,
        batch=chosen_batch,
    )
    filters: dict[str, Any] = {
        "party_id": chosen_party,
        "status": None if chosen_status == "all" else chosen_status,
        "batch_id": chosen_batch,
    }
    pairs = list_duplicates(
        session, principal=principal, limit=paging.fetch, offset=paging.offset, **filters
    )
    context = {
        "pairs": paging.cut(pairs),
        "total": count_duplicates(session, principal=principal, **filters),
        "paging": paging,
        "parties": {p.id: p.name for p in list_parties(session)},
        "party": chosen_party,
        "status": chosen_status,
        "batch": chosen_batch,
        "status_choices": STATUS_CHOICES,
        **_labels(),
    }
    return render(request, "duplicates.html", context)


@router.post("/records/{record_id}/duplicates", dependencies=[CsrfChecked])
def decide(
    request: Request,
    record_id: str,
    session: DbSession,
    principal: PagePrincipal,
    other: Annotated[str, Form(max_length=40)] = "",
    decision: Annotated[str, Form(max_length=20)] = "",
    reason: Annotated[str, Form(max_length=MAX_REASON)] = "",
) -> Response:
    """Link a pair of likely duplicates as one child, dismiss it, or undo a link (staff)."""
    require_role(principal, *MEDIATOR_STAFF)
    record = get_visible_record(session, principal=principal, record_id=parse_record_id(record_id))
    try:
        other_id = uuid.UUID(other)
    except ValueError:
        # No such pair; the decision and reason are still checked first, and said so.
        other_id = uuid.UUID(int=0)
    try:
        decide_likely_duplicate(
            session,
            principal=principal,
            record_id=record.id,
            other_id=other_id,
            decision=decision,
            reason=reason,
            address=client_address(request),
        )
    except InvalidInput as exc:
        context = {
            "record": record,
            "other": session.get(Record, other_id),
            "values": {"other": other, "decision": decision, "reason": reason},
            "error": exc.detail,
            **_labels(),
        }
        return render(request, "duplicate_decision.html", context, status=exc.status)
    return RedirectResponse(f"/records/{record.id}", status_code=303)
