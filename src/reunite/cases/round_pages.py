"""Pages of rounds of return and of follow-up visits (the mediator's staff; 404 to anyone else).

`/rounds` lists the rounds by phase; `/rounds/{id}` shows where each child is and holds the
forms of the way home: add children whose return was approved, take one out, record the
departure and each handover. `/follow-up` lists the visits due after a child is home, the
overdue ones flagged, with the forms to record, waive or add a visit. Every form answers a
refusal with the same page and the service's reason beside the form that was sent; each
change runs in a savepoint, so a refused one leaves nothing half-written (a departure
refused for its third child has not moved the first two).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session

from reunite.audit.service import record_event
from reunite.auth.principal import MEDIATOR_STAFF, Principal
from reunite.cases.enums import CaseStatus
from reunite.cases.models import Case, FamilyGroup
from reunite.cases.service import (
    RoundView,
    add_to_round,
    add_visit,
    case_filter,
    create_round,
    due_visits,
    list_cases,
    list_rounds,
    read_round,
    record_departure,
    record_handover,
    record_visit,
    remove_from_round,
    round_of_case,
    waive_visit,
)
from reunite.errors import Conflict, InvalidInput, NotFound
from reunite.records.models import Record
from reunite.vocabulary import N_, Message, say
from reunite.web.deps import CsrfChecked, DbSession, PagePrincipal, client_address, require_role
from reunite.web.render import render

router = APIRouter()

# How many cases a form offers (the service's own page limit).
OFFERED = 200
PHASES = ("under_way", "planned", "finished")
PHASE_LABELS = {
    "planned": N_("planned"),
    "under_way": N_("under way"),
    "finished": N_("finished"),
}
WHERE_LABELS = {
    "waiting": N_("waiting to leave"),
    "travelling": N_("on the way"),
    "home": N_("handed over"),
    "removed": N_("taken out of the round"),
}
# What a page says after a form did its work (?done=…).
DONE = {
    "created": N_("The round is planned. Add the children whose return was approved."),
    "added": N_("The children joined the round."),
    "removed": N_("The child was taken out of the round."),
    "departed": N_("The departure is recorded: the children are on the way home."),
    "handed_over": N_(
        "The handover is recorded: the child is reunited, and the follow-up visits are "
        "scheduled."
    ),
    "recorded": N_("The visit is recorded."),
    "waived": N_("The visit is waived."),
    "visit_added": N_("The visit is added."),
}  # fmt: skip
# The services' messages a page shows, plain (tests check each is translated).
MESSAGES = (
    N_("no such round"),
    N_("no such case in this round"),
    N_("no such visit"),
    N_("no such case"),
)
MAX_FIELD = 4000


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(say(N_("give the date as YYYY-MM-DD"))) from None


def _moment(text: str) -> datetime | None:
    """Read a time from a form (UTC); empty means now."""
    if not text.strip():
        return None
    try:
        return datetime.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(say(N_("give the time as YYYY-MM-DD HH:MM (UTC)"))) from None


def _case_id(text: str) -> int:
    if not text.isdigit():
        raise NotFound("no such case in this round")
    return int(text)


def _ids(values: list[str]) -> list[int]:
    return [int(value) for value in values if value.isdigit()]


def _children(session: Session, cases: list[Case]) -> dict[int, Record]:
    """Return the tracing request of each case: the child as the family named them."""
    found: dict[int, Record] = {}
    for case in cases:
        record = session.get(Record, case.request_id)
        if record is not None:
            found[case.id] = record
    return found


def _groups(session: Session, cases: list[Case]) -> dict[int, str]:
    ids = {case.family_group_id for case in cases if case.family_group_id is not None}
    groups = (session.get(FamilyGroup, group_id) for group_id in ids)
    return {group.id: group.name for group in groups if group is not None}


def _done(request: Request) -> str:
    return DONE.get(request.query_params.get("done", ""), "")


@dataclass
class Refusal:
    """A form the service refused: which form, why, and what was typed (shown again)."""

    form: str
    message: Message
    status: int
    values: dict[str, Any] = field(default_factory=dict)
    code: str = ""


# --- rounds ------------------------------------------------------------------------------


@router.get("/rounds")
def rounds_page(request: Request, session: DbSession, principal: PagePrincipal) -> Response:
    """List the rounds: under way, planned (the next first), finished (staff only)."""
    require_role(principal, *MEDIATOR_STAFF)
    views = list_rounds(session, principal=principal)
    by_phase: dict[str, list[RoundView]] = {phase: [] for phase in PHASES}
    for view in views:
        by_phase[view.phase].append(view)
    by_phase["planned"].sort(key=lambda view: (view.round.planned_on, view.round.id))
    context = {"by_phase": by_phase, "phases": PHASES, "PHASE_LABELS": PHASE_LABELS}
    return render(request, "rounds.html", context)


def _round_form(
    request: Request, *, values: dict[str, str] | None = None, error: Refusal | None = None
) -> Response:
    context = {"values": values or {}, "error": error}
    return render(request, "round_form.html", context, status=error.status if error else 200)


@router.get("/rounds/new")
def new_round_page(request: Request, principal: PagePrincipal) -> Response:
    """Show the form that plans a round: name, date, route, escort, handover point."""
    require_role(principal, *MEDIATOR_STAFF)
    return _round_form(request)


@router.post("/rounds/new", dependencies=[CsrfChecked])
def new_round(
    request: Request,
    session: DbSession,
    principal: PagePrincipal,
    name: Annotated[str, Form(max_length=MAX_FIELD)] = "",
    planned_on: Annotated[str, Form(max_length=40)] = "",
    route: Annotated[str, Form(max_length=MAX_FIELD)] = "",
    escort: Annotated[str, Form(max_length=MAX_FIELD)] = "",
    handover_point: Annotated[str, Form(max_length=MAX_FIELD)] = "",
) -> Response:
    """Plan a round; a refusal shows the form again with the reason."""
    require_role(principal, *MEDIATOR_STAFF)
    values = {
        "name": name,
        "planned_on": planned_on,
        "route": route,
        "escort": escort,
        "handover_point": handover_point,
    }
    try:
        with session.begin_nested():
            round_ = create_round(
                session,
                principal=principal,
                name=name,
                planned_on=_date(planned_on),
                route=route,
                escort=escort,
                handover_point=handover_point,
            )
    except InvalidInput as exc:
        return _round_form(request, values=values, error=Refusal("new", exc.message, exc.status))
    return RedirectResponse(f"/rounds/{round_.id}?done=created", status_code=303)


def _offered(session: Session, principal: Principal, view: RoundView) -> list[Case]:
    """Return the cases a round may take: return approved, in no round that has not ended."""
    chosen = case_filter(status=CaseStatus.RETURN_APPROVED)
    present = {t.case.id for t in view.travellers if t.where != "removed"}
    offered = []
    for case in list_cases(session, principal=principal, chosen=chosen, limit=OFFERED):
        place = round_of_case(session, case_id=case.id)
        if case.id not in present and (place is None or place.handed_over_at is not None):
            offered.append(case)
    return sorted(offered, key=lambda case: (case.family_group_id or 0, case.id))


def _round_page(
    request: Request,
    session: Session,
    principal: Principal,
    round_id: int,
    *,
    refusal: Refusal | None = None,
) -> Response:
    view = read_round(session, principal=principal, round_id=round_id)
    left = any(t.member.departed_at is not None for t in view.travellers)
    offered = [] if left else _offered(session, principal, view)
    cases = [t.case for t in view.travellers] + offered
    forms = {"add"} if offered else set()
    for t in view.travellers:
        if t.where == "waiting":
            forms |= {"depart", f"remove-{t.case.id}"}
        elif t.where == "travelling":
            forms.add(f"handover-{t.case.id}")
    # The child's form may be gone (the child left meanwhile): the reason shows on top.
    if refusal is not None and refusal.form not in forms:
        refusal.form = "page"
    # The children's names are personal data read.
    record_event(
        session,
        actor=principal,
        action="round.read",
        subject_type="round",
        subject_id=str(round_id),
        address=client_address(request),
    )
    context = {
        "view": view,
        "offered": offered,
        "children": _children(session, cases),
        "groups": _groups(session, cases),
        "refusal": refusal,
        "done": "" if refusal else _done(request),
        "PHASE_LABELS": PHASE_LABELS,
        "WHERE_LABELS": WHERE_LABELS,
    }
    return render(request, "round.html", context, status=refusal.status if refusal else 200)


@router.get("/rounds/{round_id}")
def round_page(
    request: Request, round_id: int, session: DbSession, principal: PagePrincipal
) -> Response:
    """Show a round: its children, where each is, and the forms of the way home."""
    require_role(principal, *MEDIATOR_STAFF)
    return _round_page(request, session, principal, round_id)


def _refused(
    request: Request,
    session: Session,
    principal: Principal,
    round_id: int,
    form: str,
    exc: InvalidInput | Conflict,
    values: dict[str, Any],
) -> Response:
    refusal = Refusal(form, exc.message, exc.status, values, exc.error_code)
    return _round_page(request, session, principal, round_id, refusal=refusal)


@router.post("/rounds/{round_id}/cases", dependencies=[CsrfChecked])
def add_cases(
    request: Request,
    round_id: int,
    session: DbSession,
    principal: PagePrincipal,
    case: Annotated[list[str] | None, Form()] = None,
    apart_reason: Annotated[str, Form(max_length=MAX_FIELD)] = "",
) -> Response:
    """Put cases in the round; a family group travels together unless the reason is given."""
    require_role(principal, *MEDIATOR_STAFF)
    case_ids = _ids(case or [])
    try:
        with session.begin_nested():
            add_to_round(
                session,
                principal=principal,
                round_id=round_id,
                case_ids=case_ids,
                apart_reason=apart_reason,
            )
    except (InvalidInput, Conflict) as exc:
        values = {"cases": case_ids, "apart_reason": apart_reason}
        return _refused(request, session, principal, round_id, "add", exc, values)
    return RedirectResponse(f"/rounds/{round_id}?done=added", status_code=303)


@router.post("/rounds/{round_id}/remove", dependencies=[CsrfChecked])
def remove_case(
    request: Request,
    round_id: int,
    session: DbSession,
    principal: PagePrincipal,
    case: Annotated[str, Form(max_length=20)] = "",
    reason: Annotated[str, Form(max_length=MAX_FIELD)] = "",
) -> Response:
    """Take a child out of the round before it leaves, saying why."""
    require_role(principal, *MEDIATOR_STAFF)
    try:
        with session.begin_nested():
            remove_from_round(
                session,
                principal=principal,
                round_id=round_id,
                case_id=_case_id(case),
                reason=reason,
            )
    except (InvalidInput, Conflict) as exc:
        values = {"reason": reason}
        return _refused(request, session, principal, round_id, f"remove-{case}", exc, values)
    return RedirectResponse(f"/rounds/{round_id}?done=removed", status_code=303)


@router.post("/rounds/{round_id}/departure", dependencies=[CsrfChecked])
def depart(
    request: Request,
    round_id: int,
    session: DbSession,
    principal: PagePrincipal,
    case: Annotated[list[str] | None, Form()] = None,
    at: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    """Record that the ticked children left, at the time given (now when empty)."""
    require_role(principal, *MEDIATOR_STAFF)
    case_ids = _ids(case or [])
    try:
        if not case_ids:
            raise InvalidInput(say(N_("choose at least one case")))
        with session.begin_nested():
            record_departure(
                session, principal=principal, round_id=round_id, case_ids=case_ids, at=_moment(at)
            )
    except (InvalidInput, Conflict) as exc:
        values = {"cases": case_ids, "at": at}
        return _refused(request, session, principal, round_id, "depart", exc, values)
    return RedirectResponse(f"/rounds/{round_id}?done=departed", status_code=303)


@router.post("/rounds/{round_id}/handover", dependencies=[CsrfChecked])
def hand_over(
    request: Request,
    round_id: int,
    session: DbSession,
    principal: PagePrincipal,
    case: Annotated[str, Form(max_length=20)] = "",
    received_by: Annotated[str, Form(max_length=MAX_FIELD)] = "",
    at: Annotated[str, Form(max_length=40)] = "",
    place: Annotated[str, Form(max_length=MAX_FIELD)] = "",
    note: Annotated[str, Form(max_length=MAX_FIELD)] = "",
) -> Response:
    """Record a child handed over: when, to whom, where; the case becomes reunited."""
    require_role(principal, *MEDIATOR_STAFF)
    try:
        with session.begin_nested():
            record_handover(
                session,
                principal=principal,
                round_id=round_id,
                case_id=_case_id(case),
                received_by=received_by,
                at=_moment(at),
                place=place,
                note=note,
            )
    except (InvalidInput, Conflict) as exc:
        values = {"received_by": received_by, "at": at, "place": place, "note": note}
        return _refused(request, session, principal, round_id, f"handover-{case}", exc, values)
    return RedirectResponse(f"/rounds/{round_id}?done=handed_over", status_code=303)


# --- follow-up ---------------------------------------------------------------------------


def _follow_up_page(
    request: Request,
    session: Session,
    principal: Principal,
    *,
    refusal: Refusal | None = None,
) -> Response:
    today = date.today()
    due = due_visits(session, principal=principal, today=today)
    home = [
        case
        for status in (CaseStatus.REUNITED, CaseStatus.FOLLOW_UP)
        for case in list_cases(
            session, principal=principal, chosen=case_filter(status=status), limit=OFFERED
        )
    ]
    home.sort(key=lambda case: case.id)
    cases = [item.case for item in due] + home
    forms = {"add"} if home else set()
    forms |= {f"{kind}-{item.visit.id}" for item in due for kind in ("record", "waive")}
    if refusal is not None and refusal.form not in forms:
        refusal.form = "page"
    # The children's names are personal data read.
    record_event(
        session,
        actor=principal,
        action="follow_up.read",
        subject_type="follow_up",
        details={"results": len(due)},
        address=client_address(request),
    )
    context = {
        "due": due,
        "overdue": sum(1 for item in due if item.overdue),
        "home": home,
        "children": _children(session, cases),
        "today": today,
        "refusal": refusal,
        "done": "" if refusal else _done(request),
    }
    return render(request, "follow_up.html", context, status=refusal.status if refusal else 200)


@router.get("/follow-up")
def follow_up_page(request: Request, session: DbSession, principal: PagePrincipal) -> Response:
    """List the follow-up visits neither done nor waived, the overdue ones flagged first."""
    require_role(principal, *MEDIATOR_STAFF)
    return _follow_up_page(request, session, principal)


def _visit_refused(
    request: Request,
    session: Session,
    principal: Principal,
    form: str,
    exc: InvalidInput | Conflict,
    values: dict[str, Any],
) -> Response:
    refusal = Refusal(form, exc.message, exc.status, values, exc.error_code)
    return _follow_up_page(request, session, principal, refusal=refusal)


@router.post("/follow-up/{visit_id}/record", dependencies=[CsrfChecked])
def record_visit_done(
    request: Request,
    visit_id: int,
    session: DbSession,
    principal: PagePrincipal,
    done_on: Annotated[str, Form(max_length=40)] = "",
    outcome: Annotated[str, Form(max_length=MAX_FIELD)] = "",
) -> Response:
    """Record a visit made: the day, and what was found."""
    require_role(principal, *MEDIATOR_STAFF)
    try:
        with session.begin_nested():
            record_visit(
                session,
                principal=principal,
                visit_id=visit_id,
                done_on=_date(done_on),
                outcome=outcome,
            )
    except (InvalidInput, Conflict) as exc:
        values = {"done_on": done_on, "outcome": outcome}
        return _visit_refused(request, session, principal, f"record-{visit_id}", exc, values)
    return RedirectResponse("/follow-up?done=recorded", status_code=303)


@router.post("/follow-up/{visit_id}/waive", dependencies=[CsrfChecked])
def waive(
    request: Request,
    visit_id: int,
    session: DbSession,
    principal: PagePrincipal,
    reason: Annotated[str, Form(max_length=MAX_FIELD)] = "",
) -> Response:
    """Waive a visit, saying why."""
    require_role(principal, *MEDIATOR_STAFF)
    try:
        with session.begin_nested():
            waive_visit(session, principal=principal, visit_id=visit_id, reason=reason)
    except (InvalidInput, Conflict) as exc:
        values = {"reason": reason}
        return _visit_refused(request, session, principal, f"waive-{visit_id}", exc, values)
    return RedirectResponse("/follow-up?done=waived", status_code=303)


@router.post("/follow-up/visits", dependencies=[CsrfChecked])
def add_follow_up_visit(
    request: Request,
    session: DbSession,
    principal: PagePrincipal,
    case: Annotated[str, Form(max_length=20)] = "",
    due_on: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    """Add a visit to a case whose child is home (one more than the schedule gave)."""
    require_role(principal, *MEDIATOR_STAFF)
    try:
        if not case.isdigit():
            raise InvalidInput(say(N_("choose a case")))
        with session.begin_nested():
            add_visit(session, principal=principal, case_id=int(case), due_on=_date(due_on))
    except (InvalidInput, Conflict) as exc:
        values = {"case": case, "due_on": due_on}
        return _visit_refused(request, session, principal, "add", exc, values)
    return RedirectResponse("/follow-up?done=visit_added", status_code=303)
