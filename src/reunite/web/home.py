"""The start page: public figures for visitors, and a home for each role."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from reunite.audit.service import count_entries
from reunite.auth.principal import Principal
from reunite.exchange.models import Batch
from reunite.parties.models import Party
from reunite.records.access import visible_records
from reunite.records.filing import my_requests
from reunite.records.models import Record
from reunite.records.service import count_records
from reunite.review.service import count_queue, latest_match_job
from reunite.sharing.models import Release
from reunite.web.deps import CurrentCaller, DbSession
from reunite.web.present import anonymous_token, keep_anonymous_token
from reunite.web.render import render

router = APIRouter()


def _count(session: Session, statement: Any) -> int:
    return int(session.scalar(statement) or 0)


def public_figures(session: Session) -> dict[str, int]:
    """Return the registry's aggregate figures, which anyone may see."""
    counts = count_records(session)
    return {
        "parties": _count(session, select(func.count()).select_from(Party)),
        "batches": _count(session, select(func.count()).select_from(Batch)),
        "requests": counts.get("requests", 0),
        "disclosures": counts.get("disclosures", 0),
    }


def _staff_home(session: Session, principal: Principal) -> dict[str, Any]:
    return {
        "figures": public_figures(session),
        "to_review": count_queue(session, principal=principal),
        "latest_job": latest_match_job(session),
    }


def _liaison_home(session: Session, principal: Principal) -> dict[str, Any]:
    party = session.get(Party, principal.party_id) if principal.party_id is not None else None
    own = Record.party_id == principal.party_id
    return {
        "party": party,
        "own_batches": _count(
            session,
            select(func.count()).select_from(Batch).where(Batch.party_id == principal.party_id),
        ),
        "own_records": _count(
            session,
            select(func.count()).select_from(Record).where(own, Record.withdrawn.is_(False)),
        ),
        "released_to_us": _count(
            session,
            select(func.count())
            .select_from(Record)
            .where(visible_records(principal), Record.party_id != principal.party_id),
        ),
    }


def _auditor_home(session: Session) -> dict[str, Any]:
    return {
        "audit_entries": count_entries(session),
        "releases": _count(session, select(func.count()).select_from(Release)),
    }


@router.get("/")
def home(request: Request, session: DbSession, caller: CurrentCaller) -> Response:
    """Show visitors the public figures, and each logged-in role its own start page."""
    principal = caller.principal if caller.web_session is not None else None
    if principal is None:
        anonymous_token(request)
        response = render(request, "home.html", public_figures(session))
        keep_anonymous_token(request, response)
        return response
    context: dict[str, Any] = {}
    if principal.is_staff:
        context = _staff_home(session, principal)
    elif principal.role == "liaison":
        context = _liaison_home(session, principal)
    elif principal.files_own_requests:
        context = {"requests": my_requests(session, principal=principal)}
    elif principal.role == "auditor":
        context = _auditor_home(session)
    return render(request, f"home_{_home_of(principal)}.html", context)


def _home_of(principal: Principal) -> str:
    if principal.is_staff:
        return "staff"
    if principal.files_own_requests:
        return "family"
    return principal.role
