"""The audit log, for the auditor (and the mediator's admin).

The log only grows, so it is read a page at a time, cut by id (keyset paging): the
newest page, then "older" and "newer" from the ids at its ends, each as cheap as the first
however long the log. Walking the whole hash chain reads every entry: it runs when the
auditor asks for it, not on every view.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request, Response
from sqlalchemy.orm import Session

from reunite.audit.checkpoints import (
    KeptCheck,
    check_kept,
    checkpoint_text,
    latest_checkpoint,
    make_checkpoint,
)
from reunite.audit.service import (
    ChainReport,
    entries_beyond,
    get_entry,
    list_entries,
    record_event,
    verify_chain,
)
from reunite.db.engine import read_only_snapshot, transaction
from reunite.db.ids import LARGEST_ID
from reunite.keys.service import mediator_key_path, mediator_private_key
from reunite.web.deps import (
    CsrfChecked,
    DbSession,
    PagePrincipal,
    client_address,
    require_role,
    sessions_of,
)
from reunite.web.present import keyset_links
from reunite.web.render import render

router = APIRouter()

PAGE_SIZE = 100
RELATED_ENTRIES = 50
AUDIT_READERS = ("auditor", "admin")
Cursor = Annotated[int | None, Query(ge=1, le=LARGEST_ID)]


def _details(text: str) -> dict[str, Any]:
    try:
        parsed = json.loads(text)
    except ValueError:
        return {"": text}
    return parsed if isinstance(parsed, dict) else {"": parsed}


def _audit_page(
    request: Request,
    session: DbSession,
    *,
    action: str,
    actor: str,
    before: int | None,
    after: int | None,
    chain: ChainReport | None = None,
    checks: list[KeptCheck] | None = None,
) -> Response:
    action, actor = action.strip(), actor.strip()
    entries = list_entries(
        session,
        action=action or None,
        actor=actor or None,
        limit=PAGE_SIZE,
        before_id=before,
        after_id=None if before else after,
    )
    ends = None
    if entries:
        older, newer = entries_beyond(session, entries, action=action or None, actor=actor or None)
        ends = (entries[0].id, entries[-1].id, older, newer)
    context = {
        "entries": [(entry, _details(entry.details)) for entry in entries],
        "action": action,
        "actor": actor,
        "before": before or "",
        "after": after or "",
        "chain": chain,
        "checks": checks or [],
        "checkpoint": latest_checkpoint(session),
        **keyset_links("/audit", ends, paged=bool(before or after), action=action, actor=actor),
    }
    return render(request, "audit.html", context)


@router.get("/audit")
def audit_log(
    request: Request,
    session: DbSession,
    principal: PagePrincipal,
    action: Annotated[str, Query(max_length=40)] = "",
    actor: Annotated[str, Query(max_length=100)] = "",
    before: Cursor = None,
    after: Cursor = None,
) -> Response:
    """Show one page of the audit log, newest first, filtered by action or actor."""
    require_role(principal, *AUDIT_READERS)
    return _audit_page(request, session, action=action, actor=actor, before=before, after=after)


@router.get("/audit/{entry_id}")
def audit_entry(
    request: Request, entry_id: int, session: DbSession, principal: PagePrincipal
) -> Response:
    """Show one entry whole (its details, its links in the chain) and the others on its subject.

    The auditor reads the log, not the records: this page is where an entry's subject leads.
    """
    require_role(principal, *AUDIT_READERS)
    entry = get_entry(session, entry_id=entry_id)
    related = []
    if entry.subject_id:
        related = list_entries(session, subject_id=entry.subject_id, limit=RELATED_ENTRIES)
    context = {
        "entry": entry,
        "details": _details(entry.details),
        "related": [(other, _details(other.details)) for other in related],
        "related_limit": RELATED_ENTRIES,
    }
    return render(request, "audit_entry.html", context)


@router.post("/audit/verify", dependencies=[CsrfChecked])
def audit_verify(
    request: Request,
    session: DbSession,
    principal: PagePrincipal,
    action: Annotated[str, Form(max_length=40)] = "",
    actor: Annotated[str, Form(max_length=100)] = "",
    before: Annotated[int | None, Form(ge=1, le=LARGEST_ID)] = None,
    after: Annotated[int | None, Form(ge=1, le=LARGEST_ID)] = None,
) -> Response:
    """Walk the whole hash chain and show the page the auditor was on, with the verdict."""
    require_role(principal, *AUDIT_READERS)
    # Its own read-only snapshot, as `reunite audit verify` does: a long walk that holds no
    # writer back (this request's own transaction takes the write lock on SQLite).
    with transaction(sessions_of(request)) as reader:
        read_only_snapshot(reader)
        chain = verify_chain(reader)
        checks = _checked_against_kept(reader)
    return _audit_page(
        request,
        session,
        action=action,
        actor=actor,
        before=before,
        after=after,
        chain=chain,
        checks=checks,
    )


def _checked_against_kept(session: Session) -> list[KeptCheck]:
    """Compare the log with each checkpoint it keeps (when this server holds its key)."""
    if not mediator_key_path().exists():
        return []
    return check_kept(session, mediator_private_key().public_key())


@router.post("/audit/checkpoints", dependencies=[CsrfChecked])
def audit_checkpoint(request: Request, session: DbSession, principal: PagePrincipal) -> Response:
    """Sign a checkpoint of the log's head now and hand it over as a file to keep elsewhere."""
    require_role(principal, *AUDIT_READERS)
    made = make_checkpoint(session, reason="on demand")
    record_event(
        session,
        actor=principal,
        action="audit.checkpoint",
        subject_type="audit_checkpoint",
        subject_id=str(made.id),
        details={"entries": made.entries, "head": made.head_id},
        address=client_address(request),
    )
    return Response(
        checkpoint_text(made),
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="audit-checkpoint-{made.id}.json"'},
    )
