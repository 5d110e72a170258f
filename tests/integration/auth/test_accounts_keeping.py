"""Accounts that can be locked down: locks an outsider cannot turn on staff, the second
factor, disabling, password resets and changes, ending sessions (issue 13)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pyotp
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from reunite.auth import service as accounts
from reunite.auth.models import LoginAttempt, User
from reunite.db.base import utcnow
from reunite.errors import InvalidInput, TooManyAttempts, Unauthorized

from second_factor import fresh_code
from world import PASSWORD, World, build_world

OUTSIDER = "203.0.113.9"
OFFICE = "10.20.0.5"


@pytest.fixture
def world(session: Session, tmp_path: Path) -> World:
    return build_world(session, tmp_path)


def _log_in(
    session: Session, world: World, name: str, *, address: str = OFFICE, password: str = PASSWORD
) -> User:
    code = fresh_code(world.totp[name]) if name in world.totp else ""
    return accounts.authenticate(
        session, username=name, password=password, address=address, code=code
    )


def _refusal(session: Session, world: World, name: str, **kwargs: str) -> str:
    with pytest.raises((Unauthorized, TooManyAttempts)) as refused:
        _log_in(session, world, name, **kwargs)
    return refused.value.error_code


# --- locks ---------------------------------------------------------------------------------


def test_an_outsider_hammering_from_one_address_cannot_lock_a_caseworker_out(
    session: Session, world: World
) -> None:
    for _ in range(50):
        with pytest.raises((Unauthorized, TooManyAttempts)):
            accounts.authenticate(
                session, username="caseworker", password="guess", address=OUTSIDER
            )
    # The outsider's address is locked out of the account, even with the right password...
    assert _refusal(session, world, "caseworker", address=OUTSIDER) == "source_locked"
    # ...and the caseworker logs in from their own address as on any day.
    assert _log_in(session, world, "caseworker", address=OFFICE).username == "caseworker"
    assert world.users["caseworker"].locked_at is None
    assert accounts.locked_sources(session, user=world.users["caseworker"]) == (OUTSIDER,)


def test_a_source_is_free_again_once_its_failures_are_older_than_the_window(
    session: Session, world: World
) -> None:
    for _ in range(accounts.MAX_FAILURES_PER_SOURCE):
        assert _refusal(session, world, "auditor", password="guess") == "wrong_password"
    assert _refusal(session, world, "auditor") == "source_locked"
    for attempt in session.scalars(select(LoginAttempt)):
        attempt.at = utcnow() - accounts.FAILURE_WINDOW - timedelta(seconds=1)
    session.flush()
    assert _log_in(session, world, "auditor").username == "auditor"


def test_failures_from_many_sources_lock_the_account_until_an_admin_lifts_it(
    session: Session, world: World
) -> None:
    user = world.users["caseworker"]
    locked_now = []
    for number in range(accounts.ACCOUNT_LOCK_SOURCES):
        with pytest.raises(accounts.LoginRefused) as refused:
            accounts.authenticate(
                session, username="caseworker", password="guess", address=f"198.51.100.{number}"
            )
        # A guesser is told only that the password is wrong, even as the account locks.
        assert refused.value.error_code == "wrong_password"
        locked_now.append(refused.value.locked_account)
    assert locked_now == [False] * (accounts.ACCOUNT_LOCK_SOURCES - 1) + [True]
    assert user.locked_at is not None
    # Its owner, with the right password and code, is told what happened and whom to ask.
    assert _refusal(session, world, "caseworker") == "account_locked"
    # A guesser still learns nothing new.
    assert _refusal(session, world, "caseworker", password="guess") == "wrong_password"
    # The window does not lift it: only an administrator does.
    for attempt in session.scalars(select(LoginAttempt)):
        attempt.at = utcnow() - accounts.ACCOUNT_LOCK_WINDOW - timedelta(minutes=1)
    session.flush()
    assert _refusal(session, world, "caseworker") == "account_locked"
    accounts.unlock_user(session, username="caseworker")
    assert user.locked_at is None
    assert _log_in(session, world, "caseworker").username == "caseworker"


def test_unlocking_lifts_the_locked_out_sources_too(session: Session, world: World) -> None:
    for _ in range(accounts.MAX_FAILURES_PER_SOURCE):
        _refusal(session, world, "adult", password="guess", address=OUTSIDER)
    assert _refusal(session, world, "adult", address=OUTSIDER) == "source_locked"
    accounts.unlock_user(session, username="adult")
    assert accounts.locked_sources(session, user=world.users["adult"]) == ()
    assert _log_in(session, world, "adult", address=OUTSIDER).username == "adult"


def test_account_states_show_locks_sessions_and_the_missing_second_factor(
    session: Session, world: World
) -> None:
    accounts.start_session(session, user=world.users["family"])
    for _ in range(accounts.MAX_FAILURES_PER_SOURCE):
        _refusal(session, world, "family", password="guess", address=OUTSIDER)
    extra = accounts.create_user(session, username="newcomer", password=PASSWORD, role="caseworker")
    states = {state.user.username: state for state in accounts.account_states(session)}
    assert states["family"].sessions == 1 and states["family"].locked_sources == (OUTSIDER,)
    assert states["newcomer"].needs_second_factor and extra.totp_secret is None
    assert not states["caseworker"].needs_second_factor
    assert not states["adult"].needs_second_factor  # not staff: no code asked


# --- the second factor ---------------------------------------------------------------------


def test_staff_need_their_code_others_do_not(session: Session, world: World) -> None:
    for name in ("admin", "caseworker"):
        with pytest.raises(Unauthorized) as refused:
            accounts.authenticate(session, username=name, password=PASSWORD, address=OFFICE)
        assert refused.value.error_code == "second_factor_required"
        assert "6-digit code" in refused.value.detail
    for name in ("liaison_requesting", "family", "adult", "auditor"):
        assert _log_in(session, world, name).username == name


def test_a_wrong_or_replayed_code_is_refused(session: Session, world: World) -> None:
    secret = world.totp["caseworker"]
    code = str(pyotp.TOTP(secret).now())
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    with pytest.raises(Unauthorized) as refused:
        accounts.authenticate(
            session, username="caseworker", password=PASSWORD, address=OFFICE, code=wrong
        )
    assert refused.value.error_code == "wrong_code"
    accounts.authenticate(
        session, username="caseworker", password=PASSWORD, address=OFFICE, code=code
    )
    with pytest.raises(Unauthorized) as replayed:
        accounts.authenticate(
            session, username="caseworker", password=PASSWORD, address=OFFICE, code=code
        )
    assert replayed.value.error_code == "code_used"
    # A wrong code counts as a failure: the code cannot be guessed a million times.
    failures = session.scalars(select(LoginAttempt.succeeded).order_by(LoginAttempt.id))
    assert list(failures) == [False, True, False]


def test_staff_without_a_second_factor_cannot_log_in_until_given_one(session: Session) -> None:
    accounts.create_user(session, username="newcomer", password=PASSWORD, role="admin")
    with pytest.raises(Unauthorized) as refused:
        accounts.authenticate(
            session, username="newcomer", password=PASSWORD, address=OFFICE, code="123456"
        )
    assert refused.value.error_code == "second_factor_not_set"
    secret, _user = accounts.enrol_second_factor(session, username="newcomer")
    user = accounts.authenticate(
        session,
        username="newcomer",
        password=PASSWORD,
        address=OFFICE,
        code=str(pyotp.TOTP(secret).now()),
    )
    assert user.totp_last_step is not None


def test_a_new_second_factor_replaces_the_old_one(session: Session, world: World) -> None:
    old = world.totp["admin"]
    new, user = accounts.enrol_second_factor(session, username="admin")
    assert new != old and user.totp_secret == new
    with pytest.raises(Unauthorized) as refused:
        accounts.authenticate(
            session,
            username="admin",
            password=PASSWORD,
            address=OFFICE,
            code=str(pyotp.TOTP(old).now()),
        )
    assert refused.value.error_code == "wrong_code"
    uri = accounts.second_factor_uri(user, new)
    assert uri.startswith("otpauth://totp/Reunite:admin?secret=" + new)


# --- disabling, passwords, sessions --------------------------------------------------------


def test_a_disabled_account_cannot_log_in_its_tokens_are_refused_its_sessions_end(
    session: Session, world: World
) -> None:
    secret, _web = accounts.start_session(session, user=world.users["liaison_custodial"])
    token, _record = accounts.create_token(session, username="liaison_custodial")
    user, ended = accounts.disable_user(session, username="liaison_custodial")
    assert not user.active and ended == 1
    assert accounts.resume_session(session, secret=secret) is None
    assert accounts.user_for_token(session, token=token) is None
    assert _refusal(session, world, "liaison_custodial") == "account_disabled"
    # A guesser is not told the account is disabled.
    assert _refusal(session, world, "liaison_custodial", password="guess") == "wrong_password"
    accounts.enable_user(session, username="liaison_custodial")
    assert accounts.user_for_token(session, token=token) is not None
    assert _log_in(session, world, "liaison_custodial").active


def test_a_reset_gives_a_one_time_password_that_must_be_changed(
    session: Session, world: World
) -> None:
    old_session, _web = accounts.start_session(session, user=world.users["family"])
    one_time, user, ended = accounts.reset_password(session, username="family")
    assert ended == 1 and user.must_change_password and len(one_time) >= 20
    assert accounts.resume_session(session, secret=old_session) is None
    assert _refusal(session, world, "family") == "wrong_password"  # the old one is gone
    assert _log_in(session, world, "family", password=one_time).must_change_password
    assert accounts.principal_of(session, user).must_change_password
    mine, web = accounts.start_session(session, user=user)
    elsewhere, _other = accounts.start_session(session, user=user)
    with pytest.raises(InvalidInput, match="current password is wrong"):
        accounts.change_password(session, user=user, current="nope", new="violet tram at dawn")
    with pytest.raises(InvalidInput, match="must differ"):
        accounts.change_password(session, user=user, current=one_time, new=one_time)
    with pytest.raises(InvalidInput, match="too easy to guess"):
        accounts.change_password(session, user=user, current=one_time, new="password12345")
    accounts.change_password(
        session, user=user, current=one_time, new="violet tram at dawn", keep_session=web.token_hash
    )
    assert not user.must_change_password
    assert accounts.resume_session(session, secret=mine) is not None
    assert accounts.resume_session(session, secret=elsewhere) is None
    assert _log_in(session, world, "family", password="violet tram at dawn").username == "family"


def test_ending_all_sessions_ends_only_that_persons(session: Session, world: World) -> None:
    first, _a = accounts.start_session(session, user=world.users["caseworker"])
    second, _b = accounts.start_session(session, user=world.users["caseworker"])
    other, _c = accounts.start_session(session, user=world.users["admin"])
    assert accounts.end_all_sessions(session, user=world.users["caseworker"]) == 2
    assert accounts.resume_session(session, secret=first) is None
    assert accounts.resume_session(session, secret=second) is None
    assert accounts.resume_session(session, secret=other) is not None


def test_new_and_changed_passwords_must_pass_the_policy(session: Session, world: World) -> None:
    with pytest.raises(InvalidInput, match="too easy to guess"):
        accounts.create_user(session, username="petro", password="petro1234567", role="adult")
    with pytest.raises(InvalidInput, match="too easy to guess"):
        accounts.set_password(session, username="adult", password="123456789012")
    user = accounts.set_password(session, username="adult", password="violet tram at dawn")
    assert not user.must_change_password
