"""What the audit log keeps of the words a person typed to find someone: never the words.

A search's words are names of children and parents. In clear in the log they would let
anyone who reads it (an auditor, a backup, a future breach) learn who was being looked for,
so the log keeps, for each word, a keyed hash (HMAC-SHA256 under
`settings.audit_search_key`, its first 16 hex digits) of the word cleaned and case-folded as
the search itself reads it. Without the key nobody can tell which names were searched for,
not even by hashing a list of common names; an investigator holding the key can tell
whether a given name was (`reunite audit search-term NAME`). With no key set the log keeps
only how many words there were.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from reunite.matching.text import clean_name
from reunite.settings import get_settings

# 64 bits: enough to tell one name from another in an investigation, too few to hold it.
_DIGITS = 16


def term_hash(word: str, *, key: str) -> str:
    """Return the keyed hash the log keeps of one typed word."""
    cleaned = clean_name(word).casefold()
    digest = hmac.new(key.encode("utf-8"), cleaned.encode("utf-8"), hashlib.sha256)
    return digest.hexdigest()[:_DIGITS]


def search_terms(text: str, *, key: str | None = None) -> dict[str, Any]:
    """Return the audit details of typed search text: its word count and, with a key, hashes.

    `key` defaults to the installation's (`REUNITE_AUDIT_SEARCH_KEY`).
    """
    chosen = get_settings().audit_search_key if key is None else key
    words = text.split()
    details: dict[str, Any] = {"words": len(words)}
    if chosen and words:
        details["terms"] = [term_hash(word, key=chosen) for word in words]
    return details


def hidden_filters(values: dict[str, str], typed: tuple[str, ...]) -> dict[str, Any]:
    """Return a page's filter values with the typed ones (free text) kept as `search_terms`."""
    return {name: search_terms(value) if name in typed else value for name, value in values.items()}
