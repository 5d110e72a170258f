"""The attachment store: files named by the SHA-256 of their bytes, in a folder of their own.

Keeping the bytes out of the database rows keeps the database small and its backups quick;
naming them by hash makes the same file sent twice one file, and lets anyone check that a
file is what the row says (its name is its hash). A file is written to a temporary name in
the same folder, flushed to disk and renamed: a crash leaves either the whole file or none,
never half of one under the real name.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import time
from pathlib import Path

from reunite.settings import get_settings

_HASH = re.compile(r"[0-9a-f]{64}")


class AttachmentStore:
    """A folder of files named by their SHA-256, two levels of sub-folders deep."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path_of(self, sha256: str) -> Path:
        """Return where the file with this hash lives (whether or not it is there)."""
        if not _HASH.fullmatch(sha256):
            raise ValueError("not a SHA-256 in hexadecimal")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def put(self, data: bytes) -> str:
        """Keep the bytes (once, however often they are put) and return their SHA-256."""
        sha256 = hashlib.sha256(data).hexdigest()
        target = self.path_of(sha256)
        if target.is_file() and target.stat().st_size == len(data):
            # Touched: the sweep of unreferenced files spares what was just put again.
            os.utime(target)
            return sha256
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return sha256

    def read(self, sha256: str) -> bytes:
        """Return a stored file's bytes, checked against their hash."""
        data = self.path_of(sha256).read_bytes()
        if hashlib.sha256(data).hexdigest() != sha256:
            raise OSError(f"the stored file {sha256} does not match its hash")
        return data

    def holds(self, sha256: str) -> bool:
        """Tell whether the file with this hash is stored."""
        return self.path_of(sha256).is_file()

    def hashes(self) -> set[str]:
        """Return the hash of every stored file."""
        if not self.root.is_dir():
            return set()
        return {path.name for path in self.root.glob("??/??/*") if _HASH.fullmatch(path.name)}

    def age(self, sha256: str) -> float:
        """Return how many seconds ago a stored file was written."""
        return time.time() - self.path_of(sha256).stat().st_mtime

    def remove(self, sha256: str) -> None:
        """Delete a stored file (one no row refers to any more)."""
        self.path_of(sha256).unlink(missing_ok=True)


def default_store() -> AttachmentStore:
    """Return the store the settings name."""
    return AttachmentStore(get_settings().attachments_path())
