"""API: rounds of return and where each child is (the mediator's staff; 404 to anyone else)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from reunite.audit.service import record_event
from reunite.auth.schemas import ErrorRead
from reunite.cases.round_schemas import (
    Phase,
    RoundCounts,
    RoundPage,
    RoundRead,
    RoundSummaryRead,
    TravellerRead,
)
from reunite.cases.service import RoundView, list_rounds, read_round
from reunite.web.deps import ApiPrincipal, DbSession, client_address

router = APIRouter(
    tags=["rounds"], responses={401: {"model": ErrorRead}, 404: {"model": ErrorRead}}
)


def _summary(view: RoundView) -> dict[str, object]:
    round_ = view.round
    return {
        "id": round_.id,
        "name": round_.name,
        "planned_on": round_.planned_on,
        "route": round_.route,
        "escort": round_.escort,
        "handover_point": round_.handover_point,
        "phase": view.phase,
        "counts": RoundCounts(**view.counts),
        "created_at": round_.created_at,
    }


@router.get("/rounds", response_model=RoundPage)
def list_rounds_route(
    principal: ApiPrincipal,
    session: DbSession,
    phase: Annotated[Phase | None, Query(description="Only rounds in this phase.")] = None,
) -> RoundPage:
    """List rounds of return, the latest planned date first, with how many children are where."""
    views = list_rounds(session, principal=principal)
    if phase is not None:
        views = [view for view in views if view.phase == phase]
    items = [RoundSummaryRead.model_validate(_summary(view)) for view in views]
    return RoundPage(items=items, total=len(items))


@router.get("/rounds/{round_id}", response_model=RoundRead)
def read_round_route(
    round_id: int, principal: ApiPrincipal, session: DbSession, request: Request
) -> RoundRead:
    """Return a round with each child: waiting, departed at, handed over at, to whom, where."""
    view = read_round(session, principal=principal, round_id=round_id)
    travellers = [
        TravellerRead.model_validate(
            {
                "case_id": t.case.id,
                "case_number": t.case.number,
                "status": t.case.status,
                "family_group_id": t.case.family_group_id,
                "where": t.where,
                "added_at": t.member.added_at,
                "departed_at": t.member.departed_at,
                "handed_over_at": t.member.handed_over_at,
                "received_by": t.received_by,
                "place": t.place,
                "apart_reason": t.member.apart_reason,
                "removed_at": t.member.removed_at,
                "removed_reason": t.member.removed_reason,
            }
        )
        for t in view.travellers
    ]
    # Who received each child is personal data read.
    record_event(
        session,
        actor=principal,
        action="round.read",
        subject_type="round",
        subject_id=str(round_id),
        address=client_address(request),
    )
    return RoundRead.model_validate({**_summary(view), "travellers": travellers})
