"""Guess the text encoding of a CSV or JSON list from its first bytes."""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

from reunite.errors import FileRejected
from reunite.vocabulary import N_, say

# Encodings lists from the region actually arrive in, most likely first.
CYRILLIC_CANDIDATES = ("cp1251", "koi8_r", "koi8_u", "cp866", "mac_cyrillic")


def detect_encoding(sample: bytes, *, name: str, whole: bool) -> str:
    """Guess a text encoding from the first bytes: BOMs, then UTF-8, then Cyrillic code pages."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if _looks_like_utf16(sample):
        return "utf-16-le" if sample[1:2] == b"\x00" else "utf-16-be"
    if b"\x00" in sample:
        offset = sample.index(b"\x00")
        raise FileRejected(
            say(
                N_(
                    "{file}: binary content (a NUL byte at offset {offset}); a list must be "
                    "CSV, XLSX or JSON"
                ),
                file=name,
                offset=offset,
            )
        )
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(sample, final=whole)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(sample, cp_isolation=list(CYRILLIC_CANDIDATES)).best()
    if best is None or _control_ratio(sample) > 0.05:
        raise FileRejected(
            say(
                N_(
                    "{file}: cannot tell the text encoding (not UTF-8, UTF-16 or a Cyrillic "
                    "code page) — is it binary? Save it as UTF-8 and send it again (on the "
                    "command line, give its encoding if you know it: --encoding cp1251, for "
                    "example)"
                ),
                file=name,
            )
        )
    return _prefer_cp1251(sample, best.encoding)


def _prefer_cp1251(sample: bytes, guess: str) -> str:
    # Short Cyrillic samples are often ambiguous between code pages; cp1251 is by far the
    # most common in Ukrainian and Russian office files, so it wins unless clearly worse.
    if guess == "cp1251":
        return guess
    score_guess = _cyrillic_score(sample.decode(guess, errors="replace"))
    score_cp1251 = _cyrillic_score(sample.decode("cp1251", errors="replace"))
    return "cp1251" if score_cp1251 >= score_guess else guess


def _cyrillic_score(text: str) -> float:
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return 0.0
    lower_cyrillic = sum(1 for ch in letters if "а" <= ch <= "я" or ch in "іїєґё")
    return lower_cyrillic / len(letters)


def _control_ratio(sample: bytes) -> float:
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 13))
    return controls / max(len(sample), 1)


def _looks_like_utf16(sample: bytes) -> bool:
    head = sample[:4096]
    if len(head) < 4:
        return False
    evens, odds = head[0::2], head[1::2]
    return odds.count(0) > 0.4 * len(odds) or evens.count(0) > 0.4 * len(evens)
