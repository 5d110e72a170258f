"""Pages of notifications: the list, opening one (it leads to its page), marking all read."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse

from reunite.notifications.service import list_notifications, open_notification, read_all
from reunite.web.deps import CsrfChecked, DbSession, PagePrincipal
from reunite.web.render import render

router = APIRouter()


@router.get("/notifications")
def notifications(request: Request, session: DbSession, principal: PagePrincipal) -> Response:
    """What waits for the caller, unread first."""
    found = list_notifications(session, principal=principal)
    return render(request, "notifications.html", {"found": found})


@router.post("/notifications/{notification_id}/open", dependencies=[CsrfChecked])
def open_one(notification_id: int, session: DbSession, principal: PagePrincipal) -> Response:
    """Mark a notification read and go where it leads."""
    link = open_notification(session, principal=principal, notification_id=notification_id)
    # Only paths inside Reunite are stored; a link is never a way out of the site.
    return RedirectResponse(
        link if link.startswith("/") and not link.startswith("//") else "/", status_code=303
    )


@router.post("/notifications/read", dependencies=[CsrfChecked])
def read_everything(session: DbSession, principal: PagePrincipal) -> Response:
    """Mark every notification read."""
    read_all(session, principal=principal)
    return RedirectResponse("/notifications", status_code=303)
