"""Codes of the second factor (TOTP) for tests that log staff in, as their app would show.

A code is good once: the server refuses a code of a step it already accepted for that
account. Tests that log the same person in twice within 30 seconds therefore take the next
step's code (the server accepts one step either side of now), and wait only when that one is
used too.
"""

from __future__ import annotations

import time

import pyotp

STEP = 30
_last_used: dict[str, int] = {}


def fresh_code(secret: str) -> str:
    """Return a code for this secret that no earlier call returned (waits if it must)."""
    now_step = int(time.time()) // STEP
    step = max(now_step, _last_used.get(secret, now_step - 1) + 1)
    if step > now_step + 1:
        # Both codes the server would accept now are spent: wait until `step` is within reach.
        time.sleep((step - 1) * STEP - time.time() + 0.5)
    _last_used[secret] = step
    return str(pyotp.TOTP(secret, interval=STEP).at(step * STEP))
