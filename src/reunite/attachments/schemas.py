"""Shapes of the attachments API."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict


class AttachmentRead(BaseModel):
    """An attached file as the API describes it (its bytes: `GET /attachments/{id}`)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: str
    content_type: str
    size: int
    sha256: str
    original_name: str
    record_id: uuid.UUID | None
    case_id: int | None
    added_at: datetime
    already_attached: bool = False
