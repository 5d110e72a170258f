"""Shapes of batches, their receipts and import reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

from reunite.vocabulary import Message

ListKind = Literal["requests", "disclosures"]
ExportFormat = Literal["csv", "xlsx", "json"]


class BatchRead(BaseModel):
    """A received list as shown to people and systems: its receipt."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    party_id: int
    kind: ListKind
    sha256: str
    filename: str
    file_format: str
    encoding: str | None
    received_at: datetime
    rows_read: int
    rows_added: int
    rows_corrected: int
    rows_withdrawn: int
    rows_unchanged: int
    rows_rejected: int


@dataclass
class ImportReport:
    """What an import did: counts, the batch, the errors, and whether it was a repeat."""

    filename: str
    kind: str = "requests"
    batch_id: int | None = None
    already_imported: bool = False
    stored: bool = False
    rows_read: int = 0
    added: int = 0
    corrected: int = 0
    withdrawn: int = 0
    unchanged: int = 0
    rejected: int = 0
    # Pairs of the party's records of this kind flagged as likely one child by this list.
    duplicates: int = 0
    # Cases this list of requests opened (one per new request; cases.service.open_cases).
    cases_opened: int = 0
    # Files attached to the list's records (a ZIP with the list; the same file again: 0).
    attachments: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)
    # The same problems, as messages a page translates.
    error_lines: list[Message] = field(default_factory=list)

    def summary(self) -> str:
        """Return the one-line summary printed at the end of an import."""
        if self.already_imported:
            return f"{self.filename}: already imported as batch {self.batch_id}; nothing changed"
        state = "stored" if self.stored else "NOT stored"
        flagged = ""
        if self.duplicates:
            what = "requests" if self.kind == "requests" else "disclosed records"
            flagged = f", {self.duplicates:,} likely duplicate {what} flagged"
        if self.cases_opened:
            flagged += f", {self.cases_opened:,} cases opened"
        if self.attachments:
            flagged += f", {self.attachments:,} files attached"
        return (
            f"{self.filename}: {state} — rows read {self.rows_read:,}, added {self.added:,}, "
            f"corrected {self.corrected:,}, withdrawn {self.withdrawn:,}, "
            f"unchanged {self.unchanged:,}, rejected {self.rejected:,}{flagged}, "
            f"{self.seconds:.1f} s"
        )


@dataclass(frozen=True)
class ReceivedBatch:
    """A received batch's receipt: who sent which file, when, and what it changed."""

    id: int
    received_at: datetime
    party: str
    kind: str
    filename: str
    sha256: str
    rows_read: int
    added: int
    corrected: int
    withdrawn: int
    unchanged: int
    rejected: int
