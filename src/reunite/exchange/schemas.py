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
    # stored, or (a large list sent through the pages or the API) queued: poll its batch.
    status: str = "stored"
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
    status: str = "stored"


class BatchStatusRead(BatchRead):
    """A batch as a party's system polls it: where it stands, how it was signed, its receipt.

    A small list is validated and stored within its request: `status` is then "stored". A
    large one (over `REUNITE_BACKGROUND_LIST_KB`) is stored by the job worker: the upload
    answers 202 with the batch "queued"; it is "staging" while its rows are written (none
    of them seen by anyone; `bytes_read` of `bytes_total` tell how far), then "stored", all
    rows at once, or "refused", nothing kept, with `problem` and `problem_lines` saying why
    (a stored list whose invalid rows were left out lists them there too).
    `matching` says whether the matching run a stored list queued has finished ("queued",
    "running", "done", "failed"; null when none was needed).
    """

    status: Literal["queued", "staging", "stored", "refused"] = "stored"
    signed_key_id: str | None = None
    signed_at: datetime | None = None
    bytes_read: int | None = None
    bytes_total: int | None = None
    problem: str | None = None
    problem_count: int = 0
    problem_lines: list[str] = []
    matching: str | None = None
    receipt_url: str = ""

    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "id": 42,
                    "party_id": 2,
                    "kind": "disclosures",
                    "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                    "filename": "children-2026-12.csv",
                    "file_format": "csv",
                    "encoding": "utf-8",
                    "received_at": "2026-12-06T10:15:00Z",
                    "rows_read": 339,
                    "rows_added": 12,
                    "rows_corrected": 3,
                    "rows_withdrawn": 1,
                    "rows_unchanged": 323,
                    "rows_rejected": 0,
                    "status": "stored",
                    "signed_key_id": "3f0c9a1b2c4d5e6f",
                    "signed_at": "2026-12-06T10:14:02Z",
                    "matching": "queued",
                    "receipt_url": "/api/v1/lists/42/receipt",
                }
            ]
        },
    )


class FieldChangeRead(BaseModel):
    """One field of a record: its value before, and after."""

    field: str
    old: object = None
    new: object = None


class RecordChangeRead(BaseModel):
    """A record added, corrected or withdrawn, with its fields that changed."""

    record_id: str
    external_id: str
    changes: list[FieldChangeRead]


class BatchDiffRead(BaseModel):
    """The records added, corrected (field by field) and withdrawn between two batches."""

    from_batch: int
    to_batch: int
    kind: ListKind
    added: list[RecordChangeRead]
    corrected: list[RecordChangeRead]
    withdrawn: list[RecordChangeRead]

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "from_batch": 41,
                    "to_batch": 42,
                    "kind": "disclosures",
                    "added": [],
                    "corrected": [
                        {
                            "record_id": "0b6f3c1e-8a59-4a53-9a3a-0d1f0c7a4e11",
                            "external_id": "RU-17",
                            "changes": [
                                {"field": "current_location", "old": "Ростов", "new": "Таганрог"}
                            ],
                        }
                    ],
                    "withdrawn": [],
                }
            ]
        }
    )
