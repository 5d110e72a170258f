"""Import every table so that metadata is complete (Alembic and tests use this)."""

from reunite.db.base import Base
from reunite.exchange.models import Batch, BatchRow
from reunite.parties.models import Party
from reunite.records.models import Record, RecordVersion

__all__ = ["Base", "Batch", "BatchRow", "Party", "Record", "RecordVersion"]
