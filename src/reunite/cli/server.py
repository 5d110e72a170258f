"""Commands that serve and work: serve, jobs."""

from __future__ import annotations

from typing import Annotated

import typer

from reunite.cli.common import app, err, require_schema, run_command
from reunite.errors import ReuniteError


@app.command("serve")
def serve_command(
    host: Annotated[
        str | None,
        typer.Option(help="Address to listen on [default: REUNITE_HOST, or 127.0.0.1]."),
    ] = None,
    port: Annotated[
        int | None, typer.Option(help="Port to listen on [default: REUNITE_PORT, or 8000].")
    ] = None,
    forwarded_allow_ips: Annotated[
        str,
        typer.Option(
            help="Addresses of the TLS proxies in front of the server, comma-separated, whose "
            "X-Forwarded-For and X-Forwarded-Proto are believed (cookies Secure, rate limits "
            "per real client). Only trusted proxies: a client could claim any address."
        ),
    ] = "127.0.0.1",
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            max=64,
            help="Server processes. One process serves on one core; with PostgreSQL, use "
            "as many as the machine has cores to spare.",
        ),
    ] = 1,
) -> None:
    """Run the web server, and the job worker in a process beside it."""
    import signal

    import uvicorn

    from reunite.settings import get_settings
    from reunite.wiring import job_worker_process

    def stop(_signum: int, _frame: object) -> None:
        raise SystemExit(0)

    def body() -> None:
        require_schema()
        settings = get_settings()
        address, number = host or settings.host, port or settings.port
        typer.echo(f"Reunite is serving on http://{address}:{number}/")
        # One job worker for all server processes: each would otherwise keep its own
        # copy of the matching index in memory.
        jobs = job_worker_process()
        jobs.start()
        # uvicorn stops on SIGTERM, then raises it again with the handler it found: the
        # default one would end this process at once, before its job worker is stopped and
        # its semaphores released ("leaked semaphore objects"). This one unwinds instead.
        signal.signal(signal.SIGTERM, stop)
        try:
            uvicorn.run(
                "reunite.app:serving_app",
                factory=True,
                host=address,
                port=number,
                workers=workers,
                proxy_headers=True,
                # Longer than a proxy keeps its idle connections to us (nginx: 60 s), so the
                # proxy never reuses one that we are closing.
                timeout_keep_alive=75,
                forwarded_allow_ips=forwarded_allow_ips,
            )
        finally:
            jobs.stop()

    run_command(body)


jobs_app = typer.Typer(
    help="Run queued background jobs (matching runs) and the daily work.", no_args_is_help=True
)
app.add_typer(jobs_app, name="jobs")


@jobs_app.command("run")
def jobs_run_command(
    once: Annotated[
        bool,
        typer.Option("--once", help="Run the jobs queued now, then exit (do not wait for more)."),
    ] = False,
) -> None:
    """Run queued jobs one at a time, waiting for new ones until interrupted (or --once)."""
    import time

    from reunite.jobs.service import jobs_run_by, worker_name
    from reunite.jobs.worker import POLL_SECONDS, STALE_CHECK_SECONDS, queue_daily, run_pending
    from reunite.wiring import daily_job_kinds, default_sessions, job_handlers

    def body() -> None:
        require_schema()
        sessions = default_sessions()
        handlers = job_handlers()
        worker = worker_name()
        reported: set[int] = set()
        failed = 0
        next_daily = 0.0
        while True:
            if not once and time.monotonic() >= next_daily:
                # Waiting for work, this worker also queues the day's work, as the server's does.
                queue_daily(sessions, kinds=daily_job_kinds())
                next_daily = time.monotonic() + STALE_CHECK_SECONDS
            run_pending(sessions, handlers=handlers, worker=worker)
            with sessions() as session:
                for job in jobs_run_by(session, worker=worker):
                    if job.id in reported or job.status not in ("done", "failed"):
                        continue
                    reported.add(job.id)
                    failed += job.status == "failed"
                    line = f"job {job.id} ({job.kind}): {job.status}: {job.message}"
                    if job.status == "failed":
                        err.print(line, markup=False)
                    else:
                        typer.echo(line)
            if once:
                break
            time.sleep(POLL_SECONDS)
        if not reported:
            typer.echo("no job was waiting")
        if failed:
            raise ReuniteError(f"{failed} of {len(reported)} jobs failed")

    run_command(body)


@jobs_app.command("run-daily")
def jobs_run_daily_command() -> None:
    """Do the day's work now: the adult track and its flags, and erasing what is kept too long.

    Moves those who turned 18 to the adult track and flags those turning 18 within 90 days;
    erases the personal data of finished cases kept beyond REUNITE_RETENTION_DAYS; signs a
    checkpoint of the audit log. The server's job worker does it once a day by itself; run
    this from cron where no worker runs. Doing it twice a day changes nothing more.
    """
    from reunite.audit.jobs import daily_checkpoint
    from reunite.cases.jobs import daily_work, describe
    from reunite.db.engine import transaction
    from reunite.flows.retention import erase_expired
    from reunite.wiring import default_sessions

    def body() -> None:
        require_schema()
        with transaction(default_sessions()) as session:
            report = daily_work(session)
            erased = erase_expired(session)
            checkpoint = daily_checkpoint(session)
        typer.echo(str(describe(report)))
        typer.echo(
            f"erased the personal data of {erased.cases} finished case(s) "
            f"({erased.records} records, {erased.messages} messages, "
            f"{erased.attachments} attachments) kept beyond the retention period"
        )
        typer.echo(str(checkpoint))

    run_command(body)
