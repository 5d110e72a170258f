"""Keep tables that take a second to build in a cache file, so each run does not rebuild them.

The given-name index is built from names_translator's dictionaries and the transliteration
standards: about a second of work, the same on every run of `reunite match` and every
server start. Its cache file is named after a fingerprint of everything it is built from
(the building modules' source and the dictionaries' package versions), so any change
rebuilds it. A missing, unreadable or unwritable cache only costs the build.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable, Iterable
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

_PACKAGES = ("names-translator", "translitua", "iuliia", "rapidfuzz", "pycountry")


_folder: Path | None = None


def use_cache_folder(folder: Path | None) -> None:
    """Keep cache files in this folder from now on (None: the user's cache folder)."""
    global _folder
    _folder = folder


def cache_folder() -> Path:
    """Return the folder for cache files: the one chosen, or the user's cache folder."""
    if _folder is not None:
        return _folder
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "reunite"


@cache
def _package_versions() -> bytes:
    """Return the versions of the packages the tables come from (looked up once: slow)."""
    found = []
    for package in _PACKAGES:
        try:
            found.append(f"{package}={metadata.version(package)}")
        except metadata.PackageNotFoundError:
            found.append(package)
    return "\n".join(found).encode()


def fingerprint(sources: Iterable[Path]) -> str:
    """Hash the given source files and the versions of the packages the tables come from."""
    digest = hashlib.sha256()
    for path in sources:
        digest.update(path.read_bytes())
    digest.update(_package_versions())
    return digest.hexdigest()[:24]


def cached(name: str, sources: Iterable[Path], build: Callable[[], T]) -> T:
    """Load `name` from the cache if it was built from these very sources; else build it."""
    path = cache_folder() / f"{name}-{fingerprint(sources)}.pickle"
    try:
        with path.open("rb") as handle:
            value: T = pickle.load(handle)
            return value
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        pass
    value = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written aside and renamed: a concurrent reader never sees half a file.
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as aside:
            pickle.dump(value, aside, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(aside.name, path)
        for stale in path.parent.glob(f"{name}-*.pickle"):
            if stale != path:
                stale.unlink(missing_ok=True)
    except OSError:
        pass
    return value
