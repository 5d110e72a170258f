"""What every reader yields: raw rows of an opened list, and the cell rules they share."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reunite.vocabulary import Message

# A cell starting with one of these runs as a formula in a spreadsheet.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class RawRow:
    """One row as read: its spreadsheet number (header = 1) and its cells by header."""

    number: int
    cells: dict[str, Any]
    surplus: int = 0
    # A problem the reader found in the row: (column, reason).
    problem: tuple[str, Message] | None = None
    # Every cell is already a str (CSV): the cleaner can use the cells as the original row.
    text_only: bool = False


@dataclass
class ListFile:
    """An opened list: its format, encoding, header and a one-shot iterator of rows."""

    path: Path
    file_format: str
    encoding: str | None
    header: list[str]
    rows: Iterator[RawRow]
    size: int  # bytes of the file
    position: Callable[[], int] | None = field(default=None, repr=False)
    release: Callable[[], None] | None = field(default=None, repr=False)

    def close(self) -> None:
        """Release the open file when its rows will not be read here (nor to their end)."""
        if self.release is not None:
            self.release()

    def bytes_read(self) -> int:
        """Return how far into the file reading has gone (for progress bars)."""
        if self.position is None:
            return 0
        try:
            return int(self.position())
        except ValueError:  # the file is closed: everything has been read
            return self.size


def file_sha256(path: Path) -> str:
    """Return the SHA-256 of a file's bytes, the identity of a batch."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def neutralise(value: str) -> str:
    """Prefix an apostrophe to text a spreadsheet would run as a formula (CSV injection)."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def unneutralise(value: str) -> str:
    """Undo the apostrophe our exports put before formula-like cells, so round trips hold."""
    if value[:1] == "'" and value[1:2] in FORMULA_PREFIXES:
        return value[1:]
    return value


def cell_text(value: Any) -> str:
    """Return a raw cell as the text a person would see in the source."""
    if type(value) is str:  # nearly every cell: the one check worth making first
        return value
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
