"""The second factor: time-based one-time codes (TOTP, RFC 6238), as authenticator apps make.

A code is accepted within one 30-second step either side of now (clocks drift, people type
slowly) and only once: the step of the last accepted code is kept, and a code of that step
or an earlier one is refused, so a code seen over a shoulder or in a log cannot be replayed.
"""

from __future__ import annotations

import hmac
from datetime import datetime
from enum import Enum

import pyotp

ISSUER = "Reunite"
STEP_SECONDS = 30
# Steps either side of now that are still accepted (RFC 6238 §5.2 recommends at most one).
WINDOW = 1


class CodeCheck(Enum):
    """Why a code was not accepted."""

    WRONG = "wrong"
    USED = "used"


def new_secret() -> str:
    """Return a fresh random secret (160 bits, base32, as RFC 4226 recommends)."""
    return pyotp.random_base32(length=32)


def provisioning_uri(secret: str, *, username: str) -> str:
    """Return the otpauth:// URI an authenticator app reads (typed in or from a QR code)."""
    return pyotp.TOTP(secret, interval=STEP_SECONDS).provisioning_uri(
        name=username, issuer_name=ISSUER
    )


def step_of(moment: datetime) -> int:
    """Return the 30-second step a moment falls in."""
    return int(moment.timestamp()) // STEP_SECONDS


def accepted_step(
    secret: str, code: str, *, last_step: int | None, now: datetime
) -> int | CodeCheck:
    """Return the step a code belongs to, or why it is refused (wrong, or already used)."""
    code = "".join(code.split())
    if len(code) != 6 or not code.isdigit():
        return CodeCheck.WRONG
    totp = pyotp.TOTP(secret, interval=STEP_SECONDS)
    current = step_of(now)
    seen_used = False
    for step in range(current - WINDOW, current + WINDOW + 1):
        if hmac.compare_digest(totp.at(step * STEP_SECONDS), code):
            if last_step is not None and step <= last_step:
                seen_used = True
                continue
            return step
    return CodeCheck.USED if seen_used else CodeCheck.WRONG
