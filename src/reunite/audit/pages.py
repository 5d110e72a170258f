"""The audit log and the sharing log, for the auditor (and the mediator's staff)."""

from __future__ import annotations

import json
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request, Response

from reunite.audit.service import list_entries, verify_chain
from reunite.sharing.service import sharing_log
from reunite.web.deps import DbSession, PagePrincipal, require_role
from reunite.web.render import render

router = APIRouter()

PAGE_SIZE = 100
SHARING_LIMIT = 500


def _details(text: str) -> dict[str, Any]:
    try:
        parsed = json.loads(text)
    except ValueError:
        return {"": text}
    return parsed if isinstance(parsed, dict) else {"": parsed}


def _link(**params: Any) -> str:
    query = urlencode({name: value for name, value in params.items() if value})
    return "/audit" + (f"?{query}" if query else "")


@router.get("/audit")
def audit_log(
    request: Request,
    session: DbSession,
    principal: PagePrincipal,
    action: Annotated[str, Query(max_length=40)] = "",
    actor: Annotated[str, Query(max_length=100)] = "",
    before: Annotated[int | None, Query(ge=1)] = None,
) -> Response:
    """Show the audit log, newest first, filtered by action or actor, and whether it is intact."""
    require_role(principal, "auditor", "admin")
    action, actor = action.strip(), actor.strip()
    entries = list_entries(
        session,
        action=action or None,
        actor=actor or None,
        limit=PAGE_SIZE + 1,
        before_id=before,
    )
    more = len(entries) > PAGE_SIZE
    entries = entries[:PAGE_SIZE]
    context = {
        "entries": [(entry, _details(entry.details)) for entry in entries],
        "action": action,
        "actor": actor,
        "older": _link(action=action, actor=actor, before=entries[-1].id) if more else "",
        "newest": _link(action=action, actor=actor) if before is not None else "",
        "chain": verify_chain(session),
    }
    return render(request, "audit.html", context)


@router.get("/sharing")
def sharing(request: Request, session: DbSession, principal: PagePrincipal) -> Response:
    """Show the sharing log: each record released, to whom, why, by whom and when."""
    require_role(principal, "auditor", "admin", "caseworker")
    lines = sharing_log(session, principal=principal, limit=SHARING_LIMIT)
    return render(request, "sharing.html", {"lines": lines, "limit": SHARING_LIMIT})
