"""Shapes of the audit log's signed checkpoints in the API."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class AuditCheckpointRead(BaseModel):
    """The log's head signed by the mediator: keep it; `reunite audit verify --checkpoint`."""

    format: str
    issuer: str
    at: str
    entries: int
    head_id: int
    head_hash: str
    key_id: str
    signature: str

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "format": "reunite-audit-checkpoint-1",
                    "issuer": "mediator",
                    "at": "2026-12-06T14:00:00.000000Z",
                    "entries": 18234,
                    "head_id": 18234,
                    "head_hash": "9f2c…",
                    "key_id": "a1b2c3d4e5f60718",
                    "signature": "base64…",
                }
            ]
        }
    )
