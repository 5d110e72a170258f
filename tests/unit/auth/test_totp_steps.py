"""The second factor's codes: one step either side of now, each step's code good once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pyotp
import pytest

from reunite.auth import totp
from reunite.auth.passwords import check_password_policy
from reunite.errors import InvalidInput

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
NOW = datetime(2026, 12, 6, 11, 0, 10, tzinfo=UTC)


def _code(moment: datetime) -> str:
    return str(pyotp.TOTP(SECRET).at(moment))


def test_a_code_of_now_or_one_step_either_side_is_accepted() -> None:
    step = totp.step_of(NOW)
    for offset in (-1, 0, 1):
        moment = NOW + timedelta(seconds=30 * offset)
        assert totp.accepted_step(SECRET, _code(moment), last_step=None, now=NOW) == step + offset


def test_a_code_two_steps_away_is_wrong() -> None:
    for offset in (-2, 2):
        code = _code(NOW + timedelta(seconds=30 * offset))
        assert totp.accepted_step(SECRET, code, last_step=None, now=NOW) is totp.CodeCheck.WRONG


def test_a_code_is_good_once_and_so_is_every_earlier_one() -> None:
    step = totp.accepted_step(SECRET, _code(NOW), last_step=None, now=NOW)
    assert isinstance(step, int)
    assert totp.accepted_step(SECRET, _code(NOW), last_step=step, now=NOW) is totp.CodeCheck.USED
    earlier = _code(NOW - timedelta(seconds=30))
    assert totp.accepted_step(SECRET, earlier, last_step=step, now=NOW) is totp.CodeCheck.USED
    # The next step's code is still good (the person's clock runs a little ahead).
    later = _code(NOW + timedelta(seconds=30))
    assert totp.accepted_step(SECRET, later, last_step=step, now=NOW) == step + 1


@pytest.mark.parametrize("code", ["", "12345", "1234567", "abcdef", "12 34 5x"])
def test_what_is_not_six_digits_is_wrong(code: str) -> None:
    assert totp.accepted_step(SECRET, code, last_step=None, now=NOW) is totp.CodeCheck.WRONG


def test_spaces_typed_inside_a_code_do_not_matter() -> None:
    code = _code(NOW)
    spaced = f" {code[:3]} {code[3:]} "
    assert totp.accepted_step(SECRET, spaced, last_step=None, now=NOW) == totp.step_of(NOW)


def test_the_uri_names_the_issuer_and_the_account() -> None:
    uri = totp.provisioning_uri(SECRET, username="olena")
    assert uri.startswith("otpauth://totp/Reunite:olena?secret=" + SECRET)
    assert "issuer=Reunite" in uri
    assert len(totp.new_secret()) == 32 and totp.new_secret() != totp.new_secret()


@pytest.mark.parametrize(
    ("password", "refusal"),
    [
        ("short", "at least 12 characters"),
        ("password1234", "too easy to guess"),
        ("qwertyuiop123", "too easy to guess"),
        ("aaaaaaaaaaaaaaaa", "too easy to guess"),
        ("iloveyou2014", "too easy to guess"),
        ("Reunite2026!", "too easy to guess"),
        ("olena.kovalenko", "too easy to guess"),  # the account's own names
        ("x" * 1001, "at most 1000 characters"),
    ],
)
def test_the_policy_refuses_short_and_guessable_passwords(password: str, refusal: str) -> None:
    with pytest.raises(InvalidInput, match=refusal):
        check_password_policy(password, about=("olena.kovalenko", "Olena Kovalenko"))


@pytest.mark.parametrize(
    "password", ["correct horse battery", "violet tram under the bridge", "Xq7#pL2v!mZ9"]
)
def test_the_policy_accepts_phrases_and_random_passwords(password: str) -> None:
    check_password_policy(password, about=("olena.kovalenko",))
