"""A world for information requests: the world of tests/world.py, with one more request."""

from __future__ import annotations

from pathlib import Path

import pytest
from asking import Asking, make_asking
from sqlalchemy.orm import Session


@pytest.fixture
def asking(session: Session, tmp_path: Path) -> Asking:
    return make_asking(session, tmp_path)
