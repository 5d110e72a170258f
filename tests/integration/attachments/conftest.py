"""Attachments' tests: a store of their own, and the world of tests/world.py."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from reunite.attachments.store import AttachmentStore
from reunite.settings import get_settings

from world import World, build_world


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[AttachmentStore]:
    """Point the settings at an empty attachment store; attachments up to 1 MB."""
    folder = tmp_path / "attachment-store"
    monkeypatch.setenv("REUNITE_ATTACHMENTS_DIR", str(folder))
    monkeypatch.setenv("REUNITE_MAX_ATTACHMENT_MB", "1")
    get_settings.cache_clear()
    yield AttachmentStore(folder)
    get_settings.cache_clear()


@pytest.fixture
def world(session: Session, tmp_path: Path, store: AttachmentStore) -> World:
    return build_world(session, tmp_path)


def pending_actions(session: Session) -> list[str]:
    """Return the audit actions recorded in the session and not yet written."""
    return [entry["action"] for entry in session.info.get("reunite_audit_pending", [])]
