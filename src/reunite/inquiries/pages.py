"""Pages of information requests: the lists per party, a new request, a request and its answers."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request, Response
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session

from reunite.auth.principal import MEDIATOR_STAFF, Principal
from reunite.db.base import utcnow
from reunite.db.ids import RowId
from reunite.errors import Conflict, InvalidInput
from reunite.inquiries.enums import AnswerKind, InquiryState
from reunite.inquiries.service import (
    ASKABLE_ROLES,
    ItemDraft,
    answer_batches,
    answer_item,
    case_choices,
    count_inquiries,
    create_inquiry,
    list_inquiries,
    party_figures,
    read_inquiry,
    withdraw_inquiry,
)
from reunite.parties.service import list_parties
from reunite.vocabulary import N_, Message, say
from reunite.web.deps import CsrfChecked, DbSession, PagePrincipal, client_address, require_role
from reunite.web.present import Paging
from reunite.web.render import render

router = APIRouter()

PAGE_SIZE = 50
READERS = ("admin", "caseworker", "auditor", "liaison")
# A new request is due in two weeks unless the mediator says otherwise.
DEFAULT_WAIT = timedelta(days=14)
Text = Annotated[str, Query(max_length=100)]


def _state_from(text: str) -> InquiryState | None:
    return InquiryState(text) if text in InquiryState.values() else None


@router.get("/inquiries")
def inquiries(
    request: Request,
    session: DbSession,
    principal: PagePrincipal,
    party: Text = "",
    state: Text = "",
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
) -> Response:
    """Show the requests per party (open, overdue, answered, median time), then the list."""
    require_role(principal, *READERS)
    chosen_state = _state_from(state)
    party_id = int(party) if party.isdigit() else None
    paging = Paging.of(
        request,
        page=page,
        size=PAGE_SIZE,
        party=party_id or "",
        state=chosen_state.value if chosen_state else "",
    )
    lines = paging.cut(
        list_inquiries(
            session,
            principal=principal,
            party_id=party_id,
            state=chosen_state,
            limit=paging.fetch,
            offset=paging.offset,
        )
    )
    context = {
        "figures": party_figures(session, principal=principal),
        "lines": lines,
        "paging": paging,
        "total": count_inquiries(
            session, principal=principal, party_id=party_id, state=chosen_state
        ),
        "chosen_party": party_id,
        "chosen_state": chosen_state.value if chosen_state else "",
        "states": InquiryState,
        "withdrawn": request.query_params.get("withdrawn", ""),
    }
    return render(request, "inquiries.html", context)


def _askable_parties(session: Session) -> list[Any]:
    return [party for party in list_parties(session) if party.role in ASKABLE_ROLES]


def _new_page(
    request: Request,
    session: Session,
    principal: Principal,
    *,
    values: dict[str, Any],
    error: Message | str = "",
    status: int = 200,
) -> Response:
    context = {
        "parties": _askable_parties(session),
        "cases": case_choices(session, principal=principal),
        "values": values,
        "error": error,
    }
    return render(request, "inquiry_new.html", context, status=status)


@router.get("/inquiries/new")
def new_inquiry(
    request: Request,
    session: DbSession,
    principal: PagePrincipal,
    case: Annotated[list[RowId], Query()] = [],  # noqa: B006 - FastAPI reads it, never mutates
) -> Response:
    """Show the form to ask a party about children: chosen among cases, or typed."""
    require_role(principal, *MEDIATOR_STAFF)
    values = {
        "due_on": (utcnow().date() + DEFAULT_WAIT).isoformat(),
        "cases": {str(number) for number in case},
    }
    return _new_page(request, session, principal, values=values)


def parse_typed_children(text: str) -> list[ItemDraft]:
    """Read typed children, one a line: name; date of birth (optional); question (optional)."""
    drafts = []
    for line in text.splitlines():
        if not line.strip():
            continue
        name, _, rest = line.partition(";")
        born, _, question = rest.partition(";")
        drafts.append(
            ItemDraft(name=name.strip(), birth_date=born.strip(), question=question.strip())
        )
    return drafts


NO_DUE_DATE = N_("give the due date as a day: YYYY-MM-DD")


@router.post("/inquiries/new", dependencies=[CsrfChecked])
def create(
    request: Request,
    session: DbSession,
    principal: PagePrincipal,
    party: Annotated[str, Form(max_length=20)] = "",
    subject: Annotated[str, Form(max_length=400)] = "",
    due_on: Annotated[str, Form(max_length=20)] = "",
    note: Annotated[str, Form(max_length=4000)] = "",
    question: Annotated[str, Form(max_length=4000)] = "",
    cases: Annotated[list[str], Form()] = [],  # noqa: B006 - FastAPI reads it, never mutates
    children: Annotated[str, Form(max_length=100_000)] = "",
) -> Response:
    """Ask a party about the chosen and typed children; then show the request."""
    require_role(principal, *MEDIATOR_STAFF)
    values: dict[str, Any] = {
        "party": party,
        "subject": subject,
        "due_on": due_on,
        "note": note,
        "question": question,
        "cases": set(cases),
        "children": children,
    }
    try:
        try:
            due = date.fromisoformat(due_on.strip())
        except ValueError:
            raise InvalidInput(say(NO_DUE_DATE)) from None
        drafts = [
            ItemDraft(case_id=int(number), question=question)
            for number in dict.fromkeys(cases)
            if number.isdigit()
        ]
        drafts += [
            ItemDraft(
                name=draft.name,
                birth_date=draft.birth_date,
                question=draft.question or question,
            )
            for draft in parse_typed_children(children)
        ]
        inquiry = create_inquiry(
            session,
            principal=principal,
            party_id=int(party) if party.isdigit() else 0,
            subject=subject,
            due_on=due,
            note=note,
            items=drafts,
            address=client_address(request),
        )
    except (InvalidInput, Conflict) as exc:
        return _new_page(
            request, session, principal, values=values, error=exc.message, status=exc.status
        )
    return RedirectResponse(f"/inquiries/{inquiry.id}?created=1", status_code=303)


def _inquiry_page(
    request: Request,
    session: Session,
    principal: Principal,
    inquiry_id: int,
    *,
    audited: bool = True,
    errors: dict[int, Message | str] | None = None,
    values: dict[str, Any] | None = None,
    status: int = 200,
) -> Response:
    view = read_inquiry(
        session,
        principal=principal,
        inquiry_id=inquiry_id,
        address=client_address(request),
        audited=audited,
    )
    context = {
        "view": view,
        "answer_kinds": AnswerKind,
        "batches": answer_batches(session, principal=principal) if view.answers else [],
        "errors": errors or {},
        "values": values or {},
        "created": bool(request.query_params.get("created")),
        "answered": request.query_params.get("answered", ""),
    }
    return render(request, "inquiry.html", context, status=status)


@router.get("/inquiries/{inquiry_id}")
def inquiry(
    request: Request, inquiry_id: int, session: DbSession, principal: PagePrincipal
) -> Response:
    """Show a request: its children and their answers; the asked party's liaison answers."""
    require_role(principal, *READERS)
    return _inquiry_page(request, session, principal, inquiry_id)


@router.post("/inquiries/{inquiry_id}/items/{item_id}/answer", dependencies=[CsrfChecked])
def answer(
    request: Request,
    inquiry_id: int,
    item_id: int,
    session: DbSession,
    principal: PagePrincipal,
    kind: Annotated[str, Form(max_length=20)] = "",
    records: Annotated[str, Form(max_length=4000)] = "",
    batch: Annotated[str, Form(max_length=20)] = "",
    note: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    """Answer for one child with records, a list, or not on record (the party's liaison)."""
    require_role(principal, "liaison")
    references = records.replace(",", " ").replace(";", " ").split()
    try:
        answer_item(
            session,
            principal=principal,
            inquiry_id=inquiry_id,
            item_id=item_id,
            kind=kind,
            records=references,
            batch_id=int(batch) if batch.isdigit() else None,
            note=note,
            address=client_address(request),
        )
    except (InvalidInput, Conflict) as exc:
        values = {"item": item_id, "kind": kind, "records": records, "batch": batch, "note": note}
        return _inquiry_page(
            request,
            session,
            principal,
            inquiry_id,
            audited=False,
            errors={item_id: exc.message},
            values=values,
            status=exc.status,
        )
    return RedirectResponse(
        f"/inquiries/{inquiry_id}?answered={item_id}#item-{item_id}", status_code=303
    )


@router.post("/inquiries/{inquiry_id}/withdraw", dependencies=[CsrfChecked])
def withdraw(
    request: Request,
    inquiry_id: int,
    session: DbSession,
    principal: PagePrincipal,
    reason: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    """Withdraw a request that is still open, with a reason (the mediator's staff)."""
    require_role(principal, *MEDIATOR_STAFF)
    try:
        withdraw_inquiry(
            session,
            principal=principal,
            inquiry_id=inquiry_id,
            reason=reason,
            address=client_address(request),
        )
    except (InvalidInput, Conflict) as exc:
        return _inquiry_page(
            request,
            session,
            principal,
            inquiry_id,
            audited=False,
            errors={0: exc.message},
            values={"reason": reason},
            status=exc.status,
        )
    return RedirectResponse(f"/inquiries/{inquiry_id}", status_code=303)
