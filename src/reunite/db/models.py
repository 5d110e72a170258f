"""Import every table so that metadata is complete (Alembic and tests use this)."""

from reunite.audit.models import AuditEntry
from reunite.auth.models import ApiToken, LoginAttempt, User, WebSession
from reunite.db.base import Base
from reunite.exchange.models import Batch, BatchRow
from reunite.jobs.models import Job
from reunite.parties.models import Party
from reunite.records.models import Record, RecordPhoto, RecordVersion
from reunite.review.models import MatchCandidate, MatchDecision
from reunite.sharing.models import Release

__all__ = [
    "ApiToken",
    "AuditEntry",
    "Base",
    "Batch",
    "BatchRow",
    "Job",
    "LoginAttempt",
    "MatchCandidate",
    "MatchDecision",
    "Party",
    "Record",
    "RecordPhoto",
    "RecordVersion",
    "Release",
    "User",
    "WebSession",
]
