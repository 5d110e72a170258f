"""Pages of match review: the queue, the side-by-side pair, and the decision."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request, Response
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session

from reunite.audit.service import record_event
from reunite.auth.principal import MEDIATOR_STAFF, Principal
from reunite.errors import InvalidInput
from reunite.review.models import CANDIDATE_STATES
from reunite.review.service import (
    CandidateView,
    count_queue,
    decide,
    get_candidate,
    latest_match_job,
    review_queue,
)
from reunite.web.deps import CsrfChecked, DbSession, PagePrincipal, client_address, require_role
from reunite.web.present import N_, Paging
from reunite.web.render import render

router = APIRouter()

PAGE_SIZE = 50
# The fields shown side by side, in the order a caseworker compares them.
PAIR_FIELDS = (
    "surname",
    "given_name",
    "patronymic",
    "name_variants",
    "sex",
    "birth_date",
    "birth_place",
    "mother_name",
    "father_name",
    "last_known_place",
    "separation_date",
    "current_location",
    "institution",
    "distinguishing_marks",
    "external_id",
)
CHOOSE_DECISION = N_("Choose: confirm or reject.")


@router.get("/review")
def queue(
    request: Request,
    session: DbSession,
    principal: PagePrincipal,
    status: Annotated[str, Query(max_length=10)] = "proposed",
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
) -> Response:
    """Show the candidates of one status, the most probable first."""
    require_role(principal, *MEDIATOR_STAFF)
    if status not in CANDIDATE_STATES:
        status = "proposed"
    paging = Paging.of(
        request, page=page, size=PAGE_SIZE, status=status if status != "proposed" else ""
    )
    items = paging.cut(
        review_queue(
            session, principal=principal, status=status, limit=paging.fetch, offset=paging.offset
        )
    )
    record_event(
        session,
        actor=principal,
        action="records.list",
        subject_type="match_candidate",
        details={"view": "review queue", "status": status, "offset": paging.offset},
        address=client_address(request),
    )
    decided = request.query_params.get("decided", "")
    context = {
        "items": items,
        "paging": paging,
        "status": status,
        "total": count_queue(session, principal=principal, status=status),
        "latest_job": latest_match_job(session),
        "decided": int(decided) if decided.isdigit() else None,
    }
    return render(request, "review_queue.html", context)


def _pair_page(
    request: Request,
    session: Session,
    principal: Principal,
    view: CandidateView,
    *,
    values: dict[str, str] | None = None,
    error: str = "",
    status: int = 200,
) -> Response:
    record_event(
        session,
        actor=principal,
        action="record.read",
        subject_type="match_candidate",
        subject_id=str(view.candidate.id),
        details={
            "request_id": str(view.candidate.request_id),
            "disclosed_id": str(view.candidate.disclosed_id),
        },
        address=client_address(request),
    )
    explanation = [
        (str(item[0]), str(item[1]), float(item[2]))
        for item in view.candidate.explanation
        if isinstance(item, list | tuple) and len(item) == 3
    ]
    context: dict[str, Any] = {
        "view": view,
        "pair_fields": PAIR_FIELDS,
        "explanation": explanation,
        "total_bits": sum(bits for _f, _l, bits in explanation),
        "values": values or {},
        "error": error,
    }
    return render(request, "review_pair.html", context, status=status)


@router.get("/review/{candidate_id}")
def pair(
    request: Request, candidate_id: int, session: DbSession, principal: PagePrincipal
) -> Response:
    """Show a candidate pair side by side, with the engine's per-field explanation."""
    require_role(principal, *MEDIATOR_STAFF)
    view = get_candidate(session, principal=principal, candidate_id=candidate_id)
    return _pair_page(request, session, principal, view)


@router.post("/review/{candidate_id}/decision", dependencies=[CsrfChecked])
def decision(
    request: Request,
    candidate_id: int,
    session: DbSession,
    principal: PagePrincipal,
    decision: Annotated[str, Form(max_length=20)] = "",
    reason: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    """Confirm or reject a pair with a reason; a rejected pair is never proposed again."""
    require_role(principal, *MEDIATOR_STAFF)
    view = get_candidate(session, principal=principal, candidate_id=candidate_id)
    try:
        if decision not in ("confirmed", "rejected"):
            raise InvalidInput(CHOOSE_DECISION)
        decide(
            session,
            principal=principal,
            candidate_id=candidate_id,
            decision=decision,
            reason=reason,
            address=client_address(request),
        )
    except InvalidInput as exc:
        values = {"decision": decision, "reason": reason}
        return _pair_page(
            request, session, principal, view, values=values, error=exc.detail, status=422
        )
    return RedirectResponse(f"/review?decided={candidate_id}", status_code=303)
