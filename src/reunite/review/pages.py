"""Pages of match review: the filtered queue, the side-by-side pair, and the decision."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request, Response
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session

from reunite.audit.service import record_event
from reunite.audit.terms import hidden_filters
from reunite.auth.principal import MEDIATOR_STAFF, Principal
from reunite.errors import Conflict, InvalidInput
from reunite.flows.review import decide_pair, dependents
from reunite.jobs.service import get_job
from reunite.review.enums import CandidateStatus, Decision
from reunite.review.explanation import explain, rival_name
from reunite.review.service import (
    TYPED_FILTERS,
    AgeBand,
    CandidateView,
    ProbabilityBand,
    QueueFilter,
    count_queue,
    get_candidate,
    latest_match_job,
    next_in_queue,
    queue_filter,
    review_queue,
)
from reunite.vocabulary import N_, Message
from reunite.web.deps import CsrfChecked, DbSession, PagePrincipal, client_address, require_role
from reunite.web.present import Paging, is_htmx
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
CHOOSE_DECISION = N_("Choose: the same child, not the same child, or related.")
Text = Annotated[str, Query(max_length=100)]


def _filter_from(
    *, status: str, band: str, sex: str, age: str, region: str, reference: str
) -> tuple[QueueFilter, Message | str]:
    """Read the queue's filter; an unknown value is dropped with a word, never a crash."""
    try:
        return queue_filter(
            status=status, band=band, sex=sex, age=age, region=region, reference=reference
        ), ""
    except InvalidInput as exc:
        return QueueFilter(), exc.message


@router.get("/review")
def queue(
    request: Request,
    session: DbSession,
    principal: PagePrincipal,
    status: Text = "",
    band: Text = "",
    sex: Text = "",
    age: Text = "",
    region: Text = "",
    reference: Text = "",
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
) -> Response:
    """Show the pairs the filters select, the most probable first, with how many there are."""
    require_role(principal, *MEDIATOR_STAFF)
    chosen, error = _filter_from(
        status=status, band=band, sex=sex, age=age, region=region, reference=reference
    )
    paging = Paging.of(request, page=page, size=PAGE_SIZE, **chosen.query_values())
    items = paging.cut(
        review_queue(
            session, principal=principal, chosen=chosen, limit=paging.fetch, offset=paging.offset
        )
    )
    record_event(
        session,
        actor=principal,
        action="records.list",
        subject_type="match_candidate",
        details={
            "view": "review queue",
            **hidden_filters(chosen.query_values(), TYPED_FILTERS),
            "offset": paging.offset,
        },
        address=client_address(request),
    )
    decided = request.query_params.get("decided", "")
    context = {
        "items": items,
        "paging": paging,
        "chosen": chosen,
        "filters": chosen.query_values(),
        "statuses": CandidateStatus,
        "bands": ProbabilityBand,
        "ages": AgeBand,
        "total": count_queue(session, principal=principal, chosen=chosen),
        "latest_job": latest_match_job(session),
        "decided": int(decided) if decided.isdigit() else None,
        "error": error,
    }
    return render(request, "review_queue.html", context)


def _pair_page(
    request: Request,
    session: Session,
    principal: Principal,
    view: CandidateView,
    *,
    filters: dict[str, str],
    values: dict[str, str] | None = None,
    error: Message | str = "",
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
    evidence = explain(view.candidate.explanation, rival=view.candidate.rival)
    resting = None
    if view.candidate.status == CandidateStatus.CONFIRMED:
        resting = dependents(session, candidate_id=view.candidate.id)
    context: dict[str, Any] = {
        "view": view,
        "pair_fields": PAIR_FIELDS,
        "evidence": evidence,
        "rival": rival_name(view.candidate.rival),
        "decisions": Decision,
        "dependents": resting,
        "values": values or {},
        "error": error,
        "filters": filters,
        "queue_link": "/review" + (f"?{urlencode(filters)}" if filters else ""),
        "decided": request.query_params.get("decided", ""),
    }
    return render(request, "review_pair.html", context, status=status)


@router.get("/review/{candidate_id}")
def pair(
    request: Request,
    candidate_id: int,
    session: DbSession,
    principal: PagePrincipal,
    status: Text = "",
    band: Text = "",
    sex: Text = "",
    age: Text = "",
    region: Text = "",
    reference: Text = "",
) -> Response:
    """Show a pair side by side: the engine's reasons in words, the decisions, what hangs on it."""
    require_role(principal, *MEDIATOR_STAFF)
    chosen, _error = _filter_from(
        status=status, band=band, sex=sex, age=age, region=region, reference=reference
    )
    view = get_candidate(session, principal=principal, candidate_id=candidate_id)
    return _pair_page(request, session, principal, view, filters=chosen.query_values())


@router.post("/review/{candidate_id}/decision", dependencies=[CsrfChecked])
def decision(
    request: Request,
    candidate_id: int,
    session: DbSession,
    principal: PagePrincipal,
    decision: Annotated[str, Form(max_length=20)] = "",
    reason: Annotated[str, Form(max_length=4000)] = "",
    revoke_dependents: Annotated[bool, Form()] = False,
    status: Annotated[str, Form(max_length=100)] = "",
    band: Annotated[str, Form(max_length=100)] = "",
    sex: Annotated[str, Form(max_length=100)] = "",
    age: Annotated[str, Form(max_length=100)] = "",
    region: Annotated[str, Form(max_length=100)] = "",
    reference: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Decide a pair with a reason, then open the next pair waiting in the same queue."""
    require_role(principal, *MEDIATOR_STAFF)
    chosen, _error = _filter_from(
        status=status, band=band, sex=sex, age=age, region=region, reference=reference
    )
    filters = chosen.query_values()
    view = get_candidate(session, principal=principal, candidate_id=candidate_id)
    try:
        if decision not in Decision.values():
            raise InvalidInput(CHOOSE_DECISION)
        decide_pair(
            session,
            principal=principal,
            candidate_id=candidate_id,
            decision=decision,
            reason=reason,
            revoke_dependents=revoke_dependents,
            address=client_address(request),
        )
    except (InvalidInput, Conflict) as exc:
        values = {"decision": decision, "reason": reason}
        return _pair_page(
            request, session, principal, view, filters=filters, values=values,
            error=exc.message, status=exc.status,
        )  # fmt: skip
    following = next_in_queue(session, principal=principal, chosen=chosen)
    query = urlencode({**filters, "decided": candidate_id})
    if following is not None:
        return RedirectResponse(f"/review/{following}?{query}", status_code=303)
    return RedirectResponse(f"/review?{query}", status_code=303)


@router.get("/jobs/{job_id}")
def job_progress(
    request: Request, job_id: int, session: DbSession, principal: PagePrincipal
) -> Response:
    """Show how far a matching run is; while it runs, the fragment asks again every 2 s."""
    require_role(principal, *MEDIATOR_STAFF)
    job = get_job(session, job_id=job_id)
    return render(request, "job.html", {"job": job, "fragment": is_htmx(request)})
