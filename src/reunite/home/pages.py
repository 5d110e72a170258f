"""The start page: the login for visitors, and a home for each role."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from reunite.home.service import AuditorHome, FamilyHome, LiaisonHome, StaffHome, home_of
from reunite.web.deps import CurrentCaller, DbSession
from reunite.web.present import anonymous_token, keep_anonymous_token
from reunite.web.render import render

router = APIRouter()

TEMPLATES = {
    StaffHome: "home_staff.html",
    LiaisonHome: "home_liaison.html",
    FamilyHome: "home_family.html",
    AuditorHome: "home_auditor.html",
}


@router.get("/")
def home(request: Request, session: DbSession, caller: CurrentCaller) -> Response:
    """Show a visitor the way to log in (nothing else), and each role its own start page."""
    principal = caller.principal if caller.web_session is not None else None
    if principal is None:
        # The registry's figures are not for visitors: a count per party tells an adversary
        # how a list exchange is going. Public statistics, suppressed, come in their own page.
        anonymous_token(request)
        response = render(request, "home.html")
        keep_anonymous_token(request, response)
        return response
    home_page = home_of(session, principal=principal)
    return render(request, TEMPLATES[type(home_page)], {"home": home_page})
