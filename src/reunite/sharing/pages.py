"""Pages of sharing: the release dialog, revoking a release, and the sharing log."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request, Response
from fastapi.responses import RedirectResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from reunite.auth.models import User
from reunite.auth.principal import MEDIATOR_STAFF, Principal
from reunite.db.ids import LARGEST_ID
from reunite.errors import Conflict, InvalidInput
from reunite.parties.service import list_parties
from reunite.records.access import get_visible_record, parse_record_id
from reunite.records.models import Record
from reunite.review.service import confirmed_matches
from reunite.sharing.enums import RELEASED_FIELDS, ReleaseScope
from reunite.sharing.service import release_record, revoke_release, sharing_log_page
from reunite.vocabulary import N_, Message
from reunite.web.deps import (
    CsrfChecked,
    DbSession,
    PagePrincipal,
    client_address,
    require_role,
)
from reunite.web.present import is_htmx, keyset_links
from reunite.web.render import render

router = APIRouter()

SHARING_PAGE_SIZE = 100
Cursor = Annotated[int | None, Query(ge=1, le=LARGEST_ID)]
NO_RECIPIENT = N_("Choose who receives the record.")


def _release_context(session: Session, record: Record) -> dict[str, Any]:
    parties = [
        party
        for party in list_parties(session)
        if party.role in ("requesting", "custodial") and party.id != record.party_id
    ]
    people = list(
        session.scalars(
            select(User)
            .where(User.role.in_(("family", "adult")), User.active.is_(True))
            .order_by(User.username)
        )
    )
    # What each kind of recipient would receive of this record, and what it would not.
    scopes = {"party": _scope(record, to_party=True), "user": _scope(record, to_party=False)}
    return {
        "record": record,
        "recipient_parties": parties,
        "recipient_users": people if record.kind == "disclosures" else [],
        "matches": confirmed_matches(session, record_id=record.id),
        "scopes": scopes,
    }


def _scope(record: Record, *, to_party: bool) -> ReleaseScope | None:
    if not to_party and record.kind != "disclosures":
        return None
    if to_party:
        return (
            ReleaseScope.REQUEST_TO_PARTY
            if record.kind == "requests"
            else ReleaseScope.DISCLOSURE_TO_PARTY
        )
    return ReleaseScope.DISCLOSURE_TO_FAMILY


def _release_page(
    request: Request,
    session: Session,
    record: Record,
    *,
    values: dict[str, str] | None = None,
    error: Message | str = "",
    status: int = 200,
) -> Response:
    context = _release_context(session, record) | {
        "values": values or {},
        "error": error,
        "fragment": is_htmx(request),
        "released_fields": RELEASED_FIELDS,
    }
    return render(request, "release.html", context, status=status)


def _staff_record(session: Session, principal: Principal, record_id: str) -> Record:
    require_role(principal, *MEDIATOR_STAFF)
    return get_visible_record(session, principal=principal, record_id=parse_record_id(record_id))


@router.get("/records/{record_id}/release")
def release_dialog(
    request: Request, record_id: str, session: DbSession, principal: PagePrincipal
) -> Response:
    """Show the release dialog: to whom, on which match, why, and what goes (staff only)."""
    record = _staff_record(session, principal, record_id)
    return _release_page(request, session, record)


@router.post("/records/{record_id}/release", dependencies=[CsrfChecked])
def release(
    request: Request,
    record_id: str,
    session: DbSession,
    principal: PagePrincipal,
    to: Annotated[str, Form(max_length=40)] = "",
    purpose: Annotated[str, Form(max_length=4000)] = "",
    case_ref: Annotated[str, Form(max_length=200)] = "",
    match: Annotated[str, Form(max_length=20)] = "",
    override_reason: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    """Release a record to a party or a person, with its purpose; log the sharing."""
    record = _staff_record(session, principal, record_id)
    values = {
        "to": to,
        "purpose": purpose,
        "case_ref": case_ref,
        "match": match,
        "override_reason": override_reason,
    }
    kind, _, number = to.partition(":")
    to_party_id = int(number) if kind == "party" and number.isdigit() else None
    to_user_id = int(number) if kind == "user" and number.isdigit() else None
    try:
        if to_party_id is None and to_user_id is None:
            raise InvalidInput(NO_RECIPIENT)
        release_record(
            session,
            principal=principal,
            record_id=record.id,
            purpose=purpose,
            case_ref=case_ref,
            to_party_id=to_party_id,
            to_user_id=to_user_id,
            candidate_id=int(match) if match.isdigit() else None,
            override_reason=override_reason,
            address=client_address(request),
        )
    except (InvalidInput, Conflict) as exc:
        return _release_page(
            request, session, record, values=values, error=exc.message, status=exc.status
        )
    target = f"/records/{record.id}?released=1"
    if is_htmx(request):
        return Response(status_code=204, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)


@router.post("/releases/{release_id}/revoke", dependencies=[CsrfChecked])
def revoke(
    request: Request,
    release_id: int,
    session: DbSession,
    principal: PagePrincipal,
    reason: Annotated[str, Form(max_length=4000)] = "",
    back: Annotated[str, Form(max_length=200)] = "/sharing",
) -> Response:
    """Withdraw a release with a reason: its recipient stops seeing the record at once."""
    require_role(principal, *MEDIATOR_STAFF)
    revoked = revoke_release(
        session,
        principal=principal,
        release_id=release_id,
        reason=reason,
        address=client_address(request),
    )
    target = back if back.startswith("/") and not back.startswith("//") else "/sharing"
    separator = "&" if "?" in target else "?"
    return RedirectResponse(f"{target}{separator}revoked={revoked.id}", status_code=303)


@router.get("/sharing")
def sharing(
    request: Request,
    session: DbSession,
    principal: PagePrincipal,
    before: Cursor = None,
    after: Cursor = None,
) -> Response:
    """Show the sharing log a page at a time: each release, to whom, why, and if withdrawn."""
    require_role(principal, "auditor", "admin", "caseworker")
    page = sharing_log_page(
        session,
        principal=principal,
        limit=SHARING_PAGE_SIZE,
        before_id=before,
        after_id=None if before else after,
    )
    ends = None
    if page.lines:
        first, last = page.lines[0].release_id, page.lines[-1].release_id
        ends = (first, last, page.has_older, page.has_newer)
    revoked = request.query_params.get("revoked", "")
    context = {
        "lines": page.lines,
        "size": SHARING_PAGE_SIZE,
        "revoked": int(revoked) if revoked.isdigit() else None,
        **keyset_links("/sharing", ends, paged=bool(before or after)),
    }
    return render(request, "sharing.html", context)
