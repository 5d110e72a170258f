"""Pages of cases: the list, a case with every step's form, a caseworker's caseload, and the
adult's and the family's own view of a case.

Routes are thin: read the form, call the cases service (or the consent flow), render. A step
the rules refuse is shown on the case page beside its form, with the service's reason and
what was typed kept (409 or 422): the savepoint of the attempt is rolled back, so nothing of
a refused step stays, but the read of the page is still audited.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request, Response
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session

from reunite.attachments.pages import case_attachments_context
from reunite.audit.service import record_event
from reunite.auth.principal import MEDIATOR_STAFF, Principal
from reunite.auth.service import get_user, principal_of
from reunite.cases import service as cases
from reunite.cases.access import CASE_READERS, get_visible_case
from reunite.cases.enums import ApprovalKind, ApprovalState, CaseStatus, ConsentKind, Evidence
from reunite.cases.models import Approval, CaseTask
from reunite.cases.rules import ALLOWED, APPROVED_BY, RECORDED_BY_EVENTS, WAY_HOME
from reunite.errors import Conflict, InvalidInput, NotFound
from reunite.flows.consent import answer_for_oneself
from reunite.inquiries.service import inquiries_about_case
from reunite.parties.service import get_party_by_name, list_parties
from reunite.records.access import can_see_record
from reunite.records.models import Record
from reunite.vocabulary import N_, Message, say
from reunite.web.deps import CsrfChecked, DbSession, PagePrincipal, client_address, require_role
from reunite.web.present import Paging
from reunite.web.render import render

router = APIRouter()

PAGE_SIZE = 50
STAFF = tuple(MEDIATOR_STAFF)
SIGNERS = (*STAFF, "liaison")
Text = Annotated[str, Query(max_length=100)]
Short = Annotated[str, Form(max_length=300)]
Long = Annotated[str, Form(max_length=4000)]

# What the page says after a step went through (the `done` of the redirect).
DONE: dict[str, str] = {
    "moved": N_("The case moved on."),
    "asked": N_("A second person is asked to approve this step."),
    "approved": N_("Approved."),
    "sent_back": N_("Sent back."),
    "assigned": N_("The case was assigned."),
    "note": N_("The note was added to the timeline."),
    "task": N_("The task was added."),
    "task_done": N_("The task is done."),
    "grouped": N_("The cases are grouped as one family."),
    "left": N_("The case left its family group."),
    "verification": N_("The verification was recorded. Each team signs it now."),
    "signed": N_("You signed the verification."),
    "best_interests": N_("The best-interests assessment was recorded."),
    "determination": N_("The panel's determination was recorded."),
    "contact": N_("The contact was recorded."),
    "adult": N_("The adult's own account now sees this case."),
    "answered": N_("Your answer was recorded."),
}
# What a 404 of the cases service says, translated on the error page.
NOT_FOUND = (N_("no such case"), N_("no such approval"), N_("no such task"))
DATE_NEEDED = N_("give the date as YYYY-MM-DD")
CHOOSE_DECISION = N_("choose: approve, or send back with a reason")
CHOOSE_ANSWER = N_("choose yes or no")


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(say(DATE_NEEDED)) from None


def _case_ids(text: str) -> list[int]:
    """Read case numbers as people write them: «C-000012, 14»."""
    ids: list[int] = []
    for word in text.replace(",", " ").split():
        digits = word.upper().removeprefix("C-")
        if not digits.isdigit():
            raise InvalidInput(say(N_("not a case number: {value}"), value=word))
        ids.append(int(digits))
    return ids


def _party_id(session: Session, name: str) -> int | None:
    if not name:
        return None
    try:
        return get_party_by_name(session, name=name).id
    except NotFound:
        raise InvalidInput(say(N_("no party named {name}"), name=name)) from None


def _worker_id(session: Session, username: str) -> int | None:
    if not username:
        return None
    try:
        return get_user(session, username=username).id
    except NotFound:
        raise InvalidInput(say(N_("no caseworker named {name}"), name=repr(username))) from None


# --- the list --------------------------------------------------------------------------------


@router.get("/cases")
def cases_list(
    request: Request,
    session: DbSession,
    principal: PagePrincipal,
    status: Text = "",
    party: Text = "",
    assigned: Text = "",
    track: Text = "",
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
) -> Response:
    """List the cases the caller may see, filtered by status, party, caseworker and track."""
    require_role(principal, *CASE_READERS)
    error: Message | str = ""
    chosen = cases.CaseFilter()
    filters = {"status": status, "party": party, "assigned": assigned, "track": track}
    try:
        party_id = _party_id(session, party)
        # Who works on a case is the mediator's business: others cannot filter by it.
        assigned_to = _worker_id(session, assigned) if principal.is_staff else None
        if track not in ("", "adult", "turning"):
            raise InvalidInput(say(N_("unknown track {value}"), value=track))
        chosen = cases.case_filter(
            status=status,
            party_id=party_id,
            assigned_to=assigned_to,
            adult_track=track == "adult",
            turning_adult=track == "turning",
        )
    except InvalidInput as exc:
        error = exc.message
        filters = {}
    paging = Paging.of(request, page=page, size=PAGE_SIZE, **filters)
    items = paging.cut(
        cases.list_cases(
            session, principal=principal, chosen=chosen, limit=paging.fetch, offset=paging.offset
        )
    )
    record_event(
        session,
        actor=principal,
        action="cases.list",
        subject_type="case",
        details={"view": "cases", **{k: v for k, v in filters.items() if v}},
        address=client_address(request),
    )
    context = {
        "items": items,
        "paging": paging,
        "filters": filters,
        "total": cases.count_cases(session, principal=principal, chosen=chosen),
        "statuses": CaseStatus,
        "parties": list_parties(session) if principal.is_staff else [],
        "workers": cases.caseworkers(session) if principal.is_staff else [],
        "error": error,
        "plain": principal.files_own_requests,
    }
    return render(request, "cases.html", context)


# --- a case ----------------------------------------------------------------------------------


def _moves(session: Session, view: cases.CaseView) -> list[dict[str, Any]]:
    """The statuses a person may choose next, each with what it still needs."""
    current = CaseStatus(view.case.status)
    # The way home in its order, then the other ends.
    order = [*WAY_HOME, *(status for status in CaseStatus if status not in WAY_HOME)]
    chosen = sorted(ALLOWED[current] - RECORDED_BY_EVENTS, key=order.index)
    return [
        {
            "status": status,
            "missing": cases.check_move(session, case=view.case, wanted=status),
            "approval": APPROVED_BY.get(status),
        }
        for status in chosen
    ]


def _visible(session: Session, principal: Principal, records: list[Record]) -> list[Record]:
    return [
        record
        for record in records
        if principal.is_staff or can_see_record(session, principal=principal, record_id=record.id)
    ]


def _case_page(
    request: Request,
    session: Session,
    principal: Principal,
    case_id: int,
    *,
    form: str = "",
    error: Message | str = "",
    missing: list[Message] | None = None,
    values: dict[str, Any] | None = None,
    status: int = 200,
) -> Response:
    view = cases.read_case(
        session, principal=principal, case_id=case_id, address=client_address(request)
    )
    case = view.case
    records = _visible(session, principal, view.requests)
    located = _visible(session, principal, [view.disclosed] if view.disclosed else [])
    member = cases.round_of_case(session, case_id=case.id)
    done = request.query_params.get("done", "")
    context: dict[str, Any] = {
        "view": view,
        "case": case,
        "records": records,
        "located": located,
        "round_id": member.round_id if member is not None else None,
        "whole": principal.is_staff,
        "form": form,
        "error": error,
        "missing": missing or [],
        "values": values or {},
        "done": DONE.get(done, ""),
        "today": date.today(),
    }
    context |= case_attachments_context(session, principal, case.id)
    if principal.is_staff:
        context |= {
            "case_inquiries": inquiries_about_case(session, principal=principal, case_id=case.id),
            "moves": _moves(session, view),
            "workers": cases.caseworkers(session),
            "evidence_kinds": Evidence,
            "approval_kinds": ApprovalKind,
            "pending": ApprovalState.PENDING,
        }
    side = cases.side_of(session, principal=principal, case=case)
    context["side"] = side
    context["may_sign"] = (
        side is not None and view.verification is not None and side.value not in view.signed
    )
    if principal.files_own_requests:
        context["own"] = case.adult_user_id == principal.user_id and case.track == "adult"
        context["consent_kinds"] = ConsentKind
        latest: dict[str, str] = {}
        for consent in view.consents:
            latest[consent.kind] = consent.answer
        context["answers"] = latest
        return render(request, "case_own.html", context, status=status)
    return render(request, "case.html", context, status=status)


@router.get("/cases/{case_id}")
def case_page(
    request: Request, case_id: int, session: DbSession, principal: PagePrincipal
) -> Response:
    """Show a case as the caller may know it: status and next steps, timeline, the work."""
    require_role(principal, *CASE_READERS)
    return _case_page(request, session, principal, case_id)


def _attempt(
    request: Request,
    session: Session,
    principal: Principal,
    case_id: int,
    *,
    form: str,
    values: dict[str, Any],
    step: Callable[[], str],
) -> Response:
    """Take a step in a savepoint; on a refusal show the case with the reason, form kept."""
    savepoint = session.begin_nested()
    try:
        done = step()
    except (InvalidInput, Conflict) as exc:
        savepoint.rollback()
        return _case_page(
            request,
            session,
            principal,
            case_id,
            form=form,
            error=exc.message,
            missing=getattr(exc, "missing", None),
            values=values,
            status=exc.status,
        )
    except BaseException:
        savepoint.rollback()
        raise
    savepoint.commit()
    return RedirectResponse(f"/cases/{case_id}?done={done}#{form}", status_code=303)


@router.post("/cases/{case_id}/transition", dependencies=[CsrfChecked])
def transition_form(
    request: Request,
    case_id: int,
    session: DbSession,
    principal: PagePrincipal,
    to: Annotated[str, Form(max_length=30)] = "",
    reason: Long = "",
) -> Response:
    """Move the case, or ask a second person to approve the move; refused with the reason."""
    require_role(principal, *STAFF)

    def step() -> str:
        moved = cases.transition(
            session,
            principal=principal,
            case_id=case_id,
            to=to,
            reason=reason,
            address=client_address(request),
        )
        return "asked" if moved.approval is not None else "moved"

    values = {"to": to, "reason": reason}
    return _attempt(
        request, session, principal, case_id, form="transition", values=values, step=step
    )


@router.post("/cases/{case_id}/approvals", dependencies=[CsrfChecked])
def request_approval_form(
    request: Request,
    case_id: int,
    session: DbSession,
    principal: PagePrincipal,
    kind: Annotated[str, Form(max_length=30)] = "",
    note: Long = "",
) -> Response:
    """Ask a second person to approve a step (the best-interests decision, for one)."""
    require_role(principal, *STAFF)

    def step() -> str:
        if kind not in ApprovalKind.values():
            raise InvalidInput(say(N_("choose what is to be approved")))
        case = get_visible_case(session, principal=principal, case_id=case_id, for_update=True)
        cases.request_approval(
            session,
            principal=principal,
            case=case,
            kind=ApprovalKind(kind),
            note=note,
            address=client_address(request),
        )
        return "asked"

    values = {"kind": kind, "note": note}
    return _attempt(
        request, session, principal, case_id, form="approvals", values=values, step=step
    )


def _approval(session: Session, approval_id: int) -> Approval:
    approval = session.get(Approval, approval_id)
    if approval is None:
        raise NotFound("no such approval")
    return approval


@router.post("/approvals/{approval_id}/decision", dependencies=[CsrfChecked])
def decide_approval_form(
    request: Request,
    approval_id: int,
    session: DbSession,
    principal: PagePrincipal,
    decision: Annotated[str, Form(max_length=20)] = "",
    reason: Long = "",
) -> Response:
    """Approve or send back a step another person asked for (never one's own: four eyes)."""
    require_role(principal, *STAFF)
    approval = _approval(session, approval_id)
    case_id = approval.case_id

    def step() -> str:
        if decision not in ("approve", "send_back"):
            raise InvalidInput(say(CHOOSE_DECISION))
        cases.decide_approval(
            session,
            principal=principal,
            approval_id=approval_id,
            approve=decision == "approve",
            reason=reason,
            address=client_address(request),
        )
        return "approved" if decision == "approve" else "sent_back"

    values = {"approval": approval_id, "decision": decision, "reason": reason}
    return _attempt(
        request, session, principal, case_id, form=f"approval-{approval_id}", values=values,
        step=step,
    )  # fmt: skip


@router.post("/cases/{case_id}/assign", dependencies=[CsrfChecked])
def assign_form(
    request: Request,
    case_id: int,
    session: DbSession,
    principal: PagePrincipal,
    username: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Give the case to a caseworker."""
    require_role(principal, *STAFF)

    def step() -> str:
        cases.assign(session, principal=principal, case_id=case_id, username=username)
        return "assigned"

    values = {"username": username}
    return _attempt(request, session, principal, case_id, form="assign", values=values, step=step)


@router.post("/cases/{case_id}/notes", dependencies=[CsrfChecked])
def note_form(
    request: Request, case_id: int, session: DbSession, principal: PagePrincipal, text: Long = ""
) -> Response:
    """Write a note on the case's timeline."""
    require_role(principal, *STAFF)

    def step() -> str:
        cases.add_note(session, principal=principal, case_id=case_id, text=text)
        return "note"

    return _attempt(
        request, session, principal, case_id, form="note", values={"text": text}, step=step
    )


@router.post("/cases/{case_id}/tasks", dependencies=[CsrfChecked])
def task_form(
    request: Request,
    case_id: int,
    session: DbSession,
    principal: PagePrincipal,
    title: Short = "",
    due_on: Annotated[str, Form(max_length=20)] = "",
    username: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Add a task to the case, due on a day."""
    require_role(principal, *STAFF)

    def step() -> str:
        cases.add_task(
            session, principal=principal, case_id=case_id, title=title, due_on=_day(due_on),
            username=username,
        )  # fmt: skip
        return "task"

    values = {"title": title, "due_on": due_on, "username": username}
    return _attempt(request, session, principal, case_id, form="tasks", values=values, step=step)


@router.post("/tasks/{task_id}/done", dependencies=[CsrfChecked])
def task_done_form(
    request: Request, task_id: int, session: DbSession, principal: PagePrincipal
) -> Response:
    """Mark a task done."""
    require_role(principal, *STAFF)
    task = session.get(CaseTask, task_id)
    if task is None:
        raise NotFound("no such task")
    case_id = task.case_id

    def step() -> str:
        cases.complete_task(session, principal=principal, task_id=task_id)
        return "task_done"

    return _attempt(request, session, principal, case_id, form="tasks", values={}, step=step)


@router.post("/cases/{case_id}/group", dependencies=[CsrfChecked])
def group_form(
    request: Request,
    case_id: int,
    session: DbSession,
    principal: PagePrincipal,
    others: Short = "",
    name: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Group this case with others as one family (siblings)."""
    require_role(principal, *STAFF)

    def step() -> str:
        ids = [case_id, *_case_ids(others)]
        cases.group_cases(session, principal=principal, case_ids=ids, name=name)
        return "grouped"

    values = {"others": others, "name": name}
    return _attempt(request, session, principal, case_id, form="group", values=values, step=step)


@router.post("/cases/{case_id}/group/leave", dependencies=[CsrfChecked])
def leave_group_form(
    request: Request, case_id: int, session: DbSession, principal: PagePrincipal, reason: Long = ""
) -> Response:
    """Take the case out of its family group, saying why."""
    require_role(principal, *STAFF)

    def step() -> str:
        cases.leave_group(session, principal=principal, case_id=case_id, reason=reason)
        return "left"

    values = {"leave_reason": reason}
    return _attempt(request, session, principal, case_id, form="group", values=values, step=step)


@router.post("/cases/{case_id}/verification", dependencies=[CsrfChecked])
def verification_form(
    request: Request,
    case_id: int,
    session: DbSession,
    principal: PagePrincipal,
    evidence_documents: Long = "",
    evidence_photo_pick: Long = "",
    evidence_interview: Long = "",
    evidence_marks: Long = "",
    evidence_dna: Long = "",
    evidence_community: Long = "",
    child_willing: Annotated[str, Form(max_length=3)] = "",
    family_willing: Annotated[str, Form(max_length=3)] = "",
    notes: Long = "",
) -> Response:
    """Record how identity and the family link were checked, and who is willing."""
    require_role(principal, *STAFF)
    evidence = {
        Evidence.DOCUMENTS.value: evidence_documents,
        Evidence.PHOTO_PICK.value: evidence_photo_pick,
        Evidence.INTERVIEW.value: evidence_interview,
        Evidence.MARKS.value: evidence_marks,
        Evidence.DNA.value: evidence_dna,
        Evidence.COMMUNITY.value: evidence_community,
    }

    def step() -> str:
        cases.record_verification(
            session, principal=principal, case_id=case_id, evidence=evidence,
            child_willing=child_willing, family_willing=family_willing, notes=notes,
        )  # fmt: skip
        return "verification"

    values: dict[str, Any] = {f"evidence_{code}": text for code, text in evidence.items()}
    values |= {"child_willing": child_willing, "family_willing": family_willing, "notes": notes}
    return _attempt(
        request, session, principal, case_id, form="verification", values=values, step=step
    )


@router.post("/cases/{case_id}/signoff", dependencies=[CsrfChecked])
def signoff_form(
    request: Request, case_id: int, session: DbSession, principal: PagePrincipal
) -> Response:
    """Sign the verification for one's team: the mediator, or one's own party."""
    require_role(principal, *SIGNERS)

    def step() -> str:
        cases.sign_verification(session, principal=principal, case_id=case_id)
        return "signed"

    return _attempt(request, session, principal, case_id, form="verification", values={}, step=step)


@router.post("/cases/{case_id}/best-interests", dependencies=[CsrfChecked])
def best_interests_form(
    request: Request,
    case_id: int,
    session: DbSession,
    principal: PagePrincipal,
    child_views: Long = "",
    care_arrangements: Long = "",
    risks: Long = "",
    red_flag: Annotated[bool, Form()] = False,
) -> Response:
    """Record a minor's best-interests assessment."""
    require_role(principal, *STAFF)

    def step() -> str:
        cases.record_best_interests(
            session, principal=principal, case_id=case_id, child_views=child_views,
            care_arrangements=care_arrangements, risks=risks, red_flag=red_flag,
        )  # fmt: skip
        return "best_interests"

    values = {
        "child_views": child_views,
        "care_arrangements": care_arrangements,
        "risks": risks,
        "red_flag": red_flag,
    }
    return _attempt(
        request, session, principal, case_id, form="best-interests", values=values, step=step
    )


@router.post("/cases/{case_id}/determination", dependencies=[CsrfChecked])
def determination_form(
    request: Request,
    case_id: int,
    session: DbSession,
    principal: PagePrincipal,
    panel: Long = "",
    decision: Long = "",
    in_best_interests: Annotated[str, Form(max_length=3)] = "",
    decided_on: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    """Record a panel's formal determination (at least three named people, one a line)."""
    require_role(principal, *STAFF)

    def step() -> str:
        if in_best_interests not in ("yes", "no"):
            raise InvalidInput(say(CHOOSE_ANSWER))
        cases.record_determination(
            session, principal=principal, case_id=case_id, panel=panel.splitlines(),
            decision=decision, return_in_best_interests=in_best_interests == "yes",
            decided_on=_day(decided_on),
        )  # fmt: skip
        return "determination"

    values = {
        "panel": panel,
        "decision": decision,
        "in_best_interests": in_best_interests,
        "decided_on": decided_on,
    }
    return _attempt(
        request, session, principal, case_id, form="determination", values=values, step=step
    )


@router.post("/cases/{case_id}/contact", dependencies=[CsrfChecked])
def contact_form(
    request: Request, case_id: int, session: DbSession, principal: PagePrincipal, how: Long = ""
) -> Response:
    """Record that the child and the family were in contact."""
    require_role(principal, *STAFF)

    def step() -> str:
        cases.record_contact(session, principal=principal, case_id=case_id, how=how)
        return "contact"

    return _attempt(
        request, session, principal, case_id, form="contact", values={"how": how}, step=step
    )


@router.post("/cases/{case_id}/adult", dependencies=[CsrfChecked])
def adult_form(
    request: Request,
    case_id: int,
    session: DbSession,
    principal: PagePrincipal,
    username: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Give an adult's own account their case."""
    require_role(principal, *STAFF)

    def step() -> str:
        cases.link_adult(session, principal=principal, case_id=case_id, username=username)
        return "adult"

    values = {"adult_username": username}
    return _attempt(request, session, principal, case_id, form="adult", values=values, step=step)


@router.post("/cases/{case_id}/consent", dependencies=[CsrfChecked])
def consent_form(
    request: Request,
    case_id: int,
    session: DbSession,
    principal: PagePrincipal,
    kind: Annotated[str, Form(max_length=20)] = "",
    answer: Annotated[str, Form(max_length=3)] = "",
    note: Long = "",
) -> Response:
    """An adult answers for themselves: contact with the family, return; a no withdraws."""
    require_role(principal, "adult")

    def step() -> str:
        if answer not in ("yes", "no"):
            raise InvalidInput(say(CHOOSE_ANSWER))
        answer_for_oneself(
            session, principal=principal, case_id=case_id, kind=kind, answer=answer, note=note
        )
        return "answered"

    values = {"kind": kind, "answer": answer, "note": note}
    return _attempt(
        request, session, principal, case_id, form=f"consent-{kind}", values=values, step=step
    )


# --- the caseload ----------------------------------------------------------------------------


@router.get("/caseload")
def caseload_page(
    request: Request,
    session: DbSession,
    principal: PagePrincipal,
    user: Text = "",
) -> Response:
    """Show a caseworker's load: overdue tasks first, those turning 18 and new adults first.

    The admin (the lead) may look at another caseworker's load.
    """
    require_role(principal, *STAFF)
    whose = principal
    if user and user != principal.username:
        require_role(principal, "admin")
        try:
            account = get_user(session, username=user)
        except NotFound:
            raise NotFound("no such page") from None
        if account.role not in STAFF:
            raise NotFound("no such page")
        whose = principal_of(session, account)
    today = date.today()
    load = cases.caseload(session, principal=whose, today=today)
    record_event(
        session,
        actor=principal,
        action="cases.list",
        subject_type="case",
        details={"view": "caseload", "username": whose.username},
        address=client_address(request),
    )
    context = {
        "load": load,
        "whose": whose,
        "today": today,
        "workers": cases.caseworkers(session) if principal.role == "admin" else [],
    }
    return render(request, "caseload.html", context)
