"""API: cases as each caller may see them, their timelines, and moves by the mediator's staff."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, status

from reunite.audit.service import record_event
from reunite.auth.principal import MEDIATOR_STAFF, Principal
from reunite.auth.schemas import ErrorRead
from reunite.auth.service import get_user
from reunite.cases import service as cases
from reunite.cases.access import CASE_READERS
from reunite.cases.enums import ApprovalKind, ApprovalState, CaseStatus, Track
from reunite.cases.models import Case, CaseEvent
from reunite.cases.schemas import (
    ApprovalDecisionCreate,
    ApprovalRead,
    CaseDetailRead,
    CaseEventRead,
    CasePage,
    CaseRead,
    TransitionCreate,
    TransitionRead,
)
from reunite.db.ids import LARGEST_ID
from reunite.errors import InvalidInput, NotFound
from reunite.parties.service import get_party_by_name
from reunite.records.access import can_see_record
from reunite.web.deps import ApiPrincipal, DbSession, client_address, require_role

router = APIRouter(tags=["cases"], responses={401: {"model": ErrorRead}, 404: {"model": ErrorRead}})

MAX_PAGE = 200


def reader_principal(principal: ApiPrincipal) -> Principal:
    """Let those who may read cases through; to the others cases do not exist (404)."""
    require_role(principal, *CASE_READERS)
    return principal


def staff_principal(principal: ApiPrincipal) -> Principal:
    """Let the mediator's staff through, before any body is read; others get 404."""
    require_role(principal, *MEDIATOR_STAFF)
    return principal


ReaderPrincipal = Annotated[Principal, Depends(reader_principal)]
StaffPrincipal = Annotated[Principal, Depends(staff_principal)]


def _case_read(
    case: Case, *, principal: Principal, names: dict[int, str], disclosed_visible: bool
) -> CaseRead:
    return CaseRead(
        id=case.id,
        number=case.number,
        status=CaseStatus(case.status),
        status_since=case.status_since,
        track=Track(case.track),
        turning_adult=case.turning_adult,
        request_id=case.request_id,
        disclosed_id=case.disclosed_id if disclosed_visible else None,
        assigned_to=names.get(case.assigned_to or 0) if principal.is_staff else None,
        family_group_id=case.family_group_id,
        opened_at=case.opened_at,
        updated_at=case.updated_at,
    )


def _disclosed_visible(session: DbSession, principal: Principal, case: Case) -> bool:
    if case.disclosed_id is None:
        return False
    return principal.is_staff or can_see_record(
        session, principal=principal, record_id=case.disclosed_id
    )


def _event_read(event: CaseEvent, *, principal: Principal) -> CaseEventRead:
    return CaseEventRead(
        id=event.id,
        at=event.at,
        actor=event.actor,
        kind=event.kind,
        from_status=event.from_status,
        to_status=event.to_status,
        reason=event.reason,
        details=event.details if principal.is_staff else None,
    )


@router.get("/cases", response_model=CasePage, responses={422: {"model": ErrorRead}})
def list_cases_route(
    principal: ReaderPrincipal,
    session: DbSession,
    request: Request,
    status_: Annotated[
        CaseStatus | None, Query(alias="status", description="Only cases in this status.")
    ] = None,
    party: Annotated[
        str, Query(max_length=200, description="A party's name: cases of its records.")
    ] = "",
    assigned: Annotated[
        str, Query(max_length=100, description="A caseworker's username (staff only).")
    ] = "",
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
    offset: Annotated[int, Query(ge=0, le=LARGEST_ID)] = 0,
) -> CasePage:
    """List the cases the caller may see, those turning 18 soon first."""
    try:
        party_id = get_party_by_name(session, name=party).id if party else None
        # Who works on a case is the mediator's business: others cannot filter by it.
        by_worker = assigned and principal.is_staff
        assigned_to = get_user(session, username=assigned).id if by_worker else None
    except NotFound as exc:
        raise InvalidInput(exc.detail) from None
    chosen = cases.case_filter(
        status=status_.value if status_ else "", party_id=party_id, assigned_to=assigned_to
    )
    found = cases.list_cases(
        session, principal=principal, chosen=chosen, limit=limit, offset=offset
    )
    names = {
        user.id: user.username for user in cases.caseworkers(session)
    } if principal.is_staff else {}  # fmt: skip
    record_event(
        session,
        actor=principal,
        action="cases.list",
        subject_type="case",
        details={
            "status": status_.value if status_ else "",
            "party": party,
            "username": assigned,
            "offset": offset,
            "results": len(found),
        },
        address=client_address(request),
    )
    return CasePage(
        items=[
            _case_read(
                case,
                principal=principal,
                names=names,
                disclosed_visible=_disclosed_visible(session, principal, case),
            )
            for case in found
        ],
        total=cases.count_cases(session, principal=principal, chosen=chosen),
        limit=limit,
        offset=offset,
    )


@router.get("/cases/{case_id}", response_model=CaseDetailRead)
def read_case_route(
    case_id: int, principal: ReaderPrincipal, session: DbSession, request: Request
) -> CaseDetailRead:
    """Return a case with its timeline (a family or a party reads the changes of status)."""
    view = cases.read_case(
        session, principal=principal, case_id=case_id, address=client_address(request)
    )
    read = _case_read(
        view.case,
        principal=principal,
        names={view.case.assigned_to or 0: view.assigned} if view.assigned else {},
        disclosed_visible=_disclosed_visible(session, principal, view.case),
    )
    return CaseDetailRead(
        **read.model_dump(),
        events=[_event_read(event, principal=principal) for event in view.events],
    )


@router.post(
    "/cases/{case_id}/transitions",
    response_model=TransitionRead,
    status_code=status.HTTP_201_CREATED,
    responses={409: {"model": ErrorRead}, 422: {"model": ErrorRead}},
)
def transition_route(
    case_id: int,
    move: TransitionCreate,
    principal: StaffPrincipal,
    session: DbSession,
    request: Request,
) -> TransitionRead:
    """Move a case, or ask a second person to approve the move.

    An illegal move answers 409 `{"detail": why, "code": "illegal_transition"}`.
    """
    moved = cases.transition(
        session,
        principal=principal,
        case_id=case_id,
        to=move.to,
        reason=move.reason,
        address=client_address(request),
    )
    names = {principal.user_id: principal.username}
    if moved.case.assigned_to is not None and moved.case.assigned_to != principal.user_id:
        names = {user.id: user.username for user in cases.caseworkers(session)}
    return TransitionRead(
        case=_case_read(moved.case, principal=principal, names=names, disclosed_visible=True),
        moved=moved.event is not None,
        approval_id=moved.approval.id if moved.approval is not None else None,
    )


@router.post(
    "/approvals/{approval_id}/decision",
    response_model=ApprovalRead,
    responses={409: {"model": ErrorRead}, 422: {"model": ErrorRead}},
)
def decide_approval_route(
    approval_id: int,
    decision: ApprovalDecisionCreate,
    principal: StaffPrincipal,
    session: DbSession,
    request: Request,
) -> ApprovalRead:
    """Approve or send back a step another caseworker asked for.

    The person who asked cannot decide it: 409 with code `four_eyes`. An approval whose step
    the rules no longer allow answers 409 `illegal_transition`.
    """
    moved = cases.decide_approval(
        session,
        principal=principal,
        approval_id=approval_id,
        approve=decision.approve,
        reason=decision.reason,
        address=client_address(request),
    )
    approval = moved.approval
    assert approval is not None
    names = {user.id: user.username for user in cases.caseworkers(session)}
    return ApprovalRead(
        id=approval.id,
        case_id=approval.case_id,
        kind=ApprovalKind(approval.kind),
        state=ApprovalState(approval.state),
        note=approval.note,
        requested_by=names.get(approval.requested_by, ""),
        decided_by=names.get(approval.decided_by or 0),
        reason=approval.reason,
        case=_case_read(moved.case, principal=principal, names=names, disclosed_visible=True),
    )
