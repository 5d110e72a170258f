"""The progress of a job, as a fragment the page polls until the job ends."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from reunite.jobs.service import get_job
from reunite.web.deps import DbSession, PagePrincipal, require_role
from reunite.web.present import is_htmx
from reunite.web.render import render

router = APIRouter()


@router.get("/jobs/{job_id}")
def job_progress(
    request: Request, job_id: int, session: DbSession, principal: PagePrincipal
) -> Response:
    """Show how far a job is; while it runs, the fragment asks again every two seconds."""
    require_role(principal, "admin", "caseworker")
    job = get_job(session, job_id=job_id)
    return render(request, "job.html", {"job": job, "fragment": is_htmx(request)})
