"""The composition root's parts: the whole schema, the database, and the job handlers.

Every process (a command, the server, the job worker, a test) gets its engine from here, so
each one sees every table or fails at once naming the key that dangles (`db.schema`), instead
of failing later when some unrelated statement needs a table nobody happened to import.
Infrastructure never imports a domain: what it needs of them is handed over from here.
"""

from __future__ import annotations

from functools import cache, lru_cache
from typing import TYPE_CHECKING

from sqlalchemy import Engine, MetaData
from sqlalchemy.orm import Session, sessionmaker

from reunite.auth.principal import Principal
from reunite.db.base import Base
from reunite.db.engine import make_engine, session_factory
from reunite.db.schema import check_schema
from reunite.jobs.service import Handler
from reunite.jobs.worker import StopSignal, WorkerProcess, serve_jobs
from reunite.settings import get_settings

if TYPE_CHECKING:
    from reunite.web.deps import CallerFacts


def configure_library() -> None:
    """Hand the matching library what the settings say (its cache folder)."""
    from reunite.matching.disk_cache import use_cache_folder

    use_cache_folder(get_settings().cache_dir)


@cache
def schema() -> MetaData:
    """Register every domain's tables and check that they form a whole schema."""
    # Imported for their tables: each module's classes join Base.metadata.
    from reunite.attachments import models as _attachments  # noqa: F401
    from reunite.audit import models as _audit  # noqa: F401
    from reunite.auth import models as _auth  # noqa: F401
    from reunite.cases import models as _cases  # noqa: F401
    from reunite.channel import models as _channel  # noqa: F401
    from reunite.exchange import models as _exchange  # noqa: F401
    from reunite.inquiries import models as _inquiries  # noqa: F401
    from reunite.jobs import models as _jobs  # noqa: F401
    from reunite.keys import models as _keys  # noqa: F401
    from reunite.notifications import models as _notifications  # noqa: F401
    from reunite.parties import models as _parties  # noqa: F401
    from reunite.records import models as _records  # noqa: F401
    from reunite.review import models as _review  # noqa: F401
    from reunite.sharing import models as _sharing  # noqa: F401

    check_schema(Base.metadata)
    return Base.metadata


@lru_cache(maxsize=4)
def engine_for(url: str) -> Engine:
    """Return one shared engine per database URL, once the whole schema is registered."""
    schema()
    return make_engine(url)


def default_engine() -> Engine:
    """Return the engine of the configured database."""
    return engine_for(get_settings().database_url)


def default_sessions() -> sessionmaker[Session]:
    """Return a session factory for the configured database."""
    return session_factory(default_engine())


def job_handlers() -> dict[str, Handler]:
    """Return the function that runs each kind of job, by kind."""
    from reunite.attachments.jobs import SWEEP_JOB, run_sweep
    from reunite.audit.jobs import CHECKPOINT_JOB, run_checkpoint
    from reunite.cases.jobs import DAILY_JOB, run_daily
    from reunite.exchange.background import IMPORT_JOB, run_list_import
    from reunite.flows.retention import RETENTION_JOB, run_retention
    from reunite.notifications.jobs import MAIL_JOB, send_pending
    from reunite.review.jobs import MATCH_JOB, run_match

    return {
        MATCH_JOB: run_match,
        DAILY_JOB: run_daily,
        MAIL_JOB: send_pending,
        SWEEP_JOB: run_sweep,
        RETENTION_JOB: run_retention,
        CHECKPOINT_JOB: run_checkpoint,
        IMPORT_JOB: run_list_import,
    }


def daily_job_kinds() -> tuple[str, ...]:
    """Return the kinds of job a worker queues once a day."""
    from reunite.attachments.jobs import SWEEP_JOB
    from reunite.audit.jobs import CHECKPOINT_JOB
    from reunite.cases.jobs import DAILY_JOB
    from reunite.flows.retention import RETENTION_JOB

    # The checkpoint last: it then covers what the others recorded.
    return (DAILY_JOB, RETENTION_JOB, SWEEP_JOB, CHECKPOINT_JOB)


def run_job_worker(stop: StopSignal, poll_seconds: float, parent: int) -> None:
    """The job worker process's main: its own engine, every handler, then the loop."""
    configure_library()
    serve_jobs(
        stop,
        poll_seconds,
        parent,
        sessions=default_sessions(),
        handlers=job_handlers(),
        daily_kinds=daily_job_kinds(),
    )


def job_worker_process(**options: float) -> WorkerProcess:
    """Return the job worker that `reunite serve` runs beside its server processes."""
    return WorkerProcess(run_job_worker, on_death=requeue_jobs_of, **options)


def requeue_jobs_of(pid: int) -> list[int]:
    """Queue again the jobs a dead worker process of this machine held."""
    import socket

    from reunite.db.engine import transaction
    from reunite.jobs.service import requeue_of_process

    with transaction(default_sessions()) as session:
        return requeue_of_process(session, host=socket.gethostname(), pid=pid)


def template_labels() -> dict[str, dict[str, str]]:
    """Return the labels of the domains' vocabularies, by the name templates know them by."""
    from reunite.audit.enums import DETAIL_LABELS, AuditAction
    from reunite.auth.enums import Role
    from reunite.cases import enums as cases
    from reunite.channel import enums as channel
    from reunite.exchange.enums import BatchState
    from reunite.inquiries import enums as inquiries
    from reunite.jobs.enums import JobState
    from reunite.notifications.enums import NOTIFICATION_LABELS
    from reunite.parties.enums import PartyRole
    from reunite.records import enums as records
    from reunite.review.enums import ENGINE_DECISION_LABELS, CandidateStatus
    from reunite.sharing.enums import ReleaseScope

    return {
        "AUDIT_ACTIONS": AuditAction.labels(),
        "AUDIT_DETAILS": DETAIL_LABELS,
        "SCOPE_LABELS": ReleaseScope.labels(),
        "CANDIDATE_STATES": CandidateStatus.labels(),
        "ENGINE_DECISIONS": ENGINE_DECISION_LABELS,
        "ROLE_LABELS": Role.labels(),
        "PARTY_ROLE_LABELS": PartyRole.labels(),
        "JOB_STATES": JobState.labels(),
        "BATCH_STATES": BatchState.labels(),
        "FIELD_LABELS": records.FIELD_LABELS,
        "KIND_LABELS": records.RecordKind.labels(),
        "LIST_KIND_LABELS": records.LIST_KIND_LABELS,
        "SEX_LABELS": records.Sex.labels(),
        "VERSION_ACTIONS": records.VersionAction.labels(),
        "REQUEST_STATES": records.RequestState.labels(),
        "CASE_STATUS_LABELS": cases.CaseStatus.labels(),
        "CASE_EVENT_LABELS": cases.EventKind.labels(),
        "TRACK_LABELS": cases.Track.labels(),
        "EVIDENCE_LABELS": cases.Evidence.labels(),
        "SIDE_LABELS": cases.Side.labels(),
        "APPROVAL_KIND_LABELS": cases.ApprovalKind.labels(),
        "APPROVAL_STATE_LABELS": cases.ApprovalState.labels(),
        "CONSENT_KIND_LABELS": cases.ConsentKind.labels(),
        "ANSWER_LABELS": cases.Answer.labels(),
        "MESSAGE_STATE_LABELS": channel.MESSAGE_STATE_LABELS,
        "DIRECTION_LABELS": channel.DIRECTION_LABELS,
        "FINDING_LABELS": channel.FINDING_LABELS,
        "CALL_STATE_LABELS": channel.CALL_STATE_LABELS,
        "NOTIFICATION_LABELS": NOTIFICATION_LABELS,
        "CASE_PLAIN_WORDS": cases.PLAIN_STATUS,
        "INQUIRY_STATE_LABELS": inquiries.InquiryState.labels(),
        "INQUIRY_ANSWER_LABELS": inquiries.AnswerKind.labels(),
    }


def caller_facts() -> list[CallerFacts]:
    """Return what every page's header tells its reader (their unread notifications)."""
    from reunite.notifications.service import unread_count

    def unread(session: Session, principal: Principal) -> dict[str, object]:
        return {"unread_notifications": unread_count(session, principal=principal)}

    return [unread]
