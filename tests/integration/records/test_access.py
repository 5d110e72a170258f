"""Accounts and need to know, in the service layer: who logs in, who sees which record."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from reunite.auth import service as accounts
from reunite.auth.models import LoginAttempt, User, WebSession
from reunite.db.base import utcnow
from reunite.errors import Conflict, InvalidInput, NotFound, TooManyAttempts, Unauthorized
from reunite.records.access import can_see_record, get_visible_record, parse_record_id
from reunite.records.models import Record
from reunite.sharing.service import release_record, sharing_log

from second_factor import fresh_code
from world import PASSWORD, VISIBLE, World, build_world, confirm_pair


@pytest.fixture
def world(session: Session, tmp_path: Path) -> World:
    return build_world(session, tmp_path)


def test_passwords_are_stored_as_argon2_hashes_only(session: Session, world: World) -> None:
    user = world.users["caseworker"]
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash


@pytest.mark.parametrize(
    ("role", "party", "message"),
    [
        ("wizard", None, "unknown role"),
        ("liaison", None, "belongs to a party"),
        ("family", "Russian Federation", "requesting party"),
        ("liaison", "Neutral Mediator", "requesting or custodial"),
        ("liaison", "Atlantis", "no party named"),
    ],
)
def test_roles_and_parties_must_fit(
    session: Session, world: World, role: str, party: str | None, message: str
) -> None:
    with pytest.raises((InvalidInput, NotFound), match=message):
        accounts.create_user(
            session, username="new", password=PASSWORD, role=role, party_name=party
        )


def test_short_passwords_and_taken_usernames_are_refused(session: Session, world: World) -> None:
    with pytest.raises(InvalidInput, match="at least"):
        accounts.create_user(session, username="x", password="short", role="adult")
    with pytest.raises(Conflict, match="already exists"):
        accounts.create_user(session, username="admin", password=PASSWORD, role="admin")


def test_login_checks_the_password_and_records_every_attempt(
    session: Session, world: World
) -> None:
    user = accounts.authenticate(
        session,
        username="caseworker",
        password=PASSWORD,
        address="10.0.0.1",
        code=fresh_code(world.totp["caseworker"]),
    )
    assert user.id == world.users["caseworker"].id and user.last_login_at is not None
    with pytest.raises(Unauthorized):
        accounts.authenticate(session, username="caseworker", password="wrong", address="10.0.0.1")
    with pytest.raises(Unauthorized):
        accounts.authenticate(session, username="nobody", password=PASSWORD, address="10.0.0.1")
    attempts = list(session.scalars(select(LoginAttempt.succeeded).order_by(LoginAttempt.id)))
    assert attempts == [True, False, False]


def test_failures_lock_the_source_then_the_address(session: Session, world: World) -> None:
    for _ in range(accounts.MAX_FAILURES_PER_SOURCE):
        with pytest.raises(Unauthorized):
            accounts.authenticate(session, username="auditor", password="x", address="10.0.0.2")
    # Even the right password is refused from the locked-out source...
    with pytest.raises(TooManyAttempts):
        accounts.authenticate(session, username="auditor", password=PASSWORD, address="10.0.0.2")
    # ...but not from another one: failures never lock the account itself out.
    accounts.authenticate(session, username="auditor", password=PASSWORD, address="10.0.0.3")
    for number in range(accounts.MAX_FAILURES_PER_ADDRESS):
        with pytest.raises((Unauthorized, TooManyAttempts)):
            accounts.authenticate(
                session, username=f"guess{number}", password="x", address="10.0.0.9"
            )
    with pytest.raises(TooManyAttempts):
        accounts.authenticate(session, username="auditor", password=PASSWORD, address="10.0.0.9")
    # Old failures no longer count.
    for attempt in session.scalars(select(LoginAttempt)):
        attempt.at = utcnow() - accounts.FAILURE_WINDOW - timedelta(minutes=1)
    session.flush()
    accounts.authenticate(session, username="auditor", password=PASSWORD, address="10.0.0.2")


def test_sessions_expire_when_idle_and_end_at_logout(session: Session, world: World) -> None:
    secret, stored = accounts.start_session(session, user=world.users["admin"])
    assert stored.token_hash != secret  # only the hash is kept
    found = accounts.resume_session(session, secret=secret)
    assert found is not None and found[0].username == "admin"
    assert accounts.resume_session(session, secret=secret + "x") is None
    stored.last_seen_at = utcnow() - accounts.SESSION_IDLE - timedelta(seconds=1)
    session.flush()
    assert accounts.resume_session(session, secret=secret) is None
    assert session.get(WebSession, stored.token_hash) is None
    secret, _ = accounts.start_session(session, user=world.users["admin"])
    accounts.end_session(session, secret=secret)
    assert accounts.resume_session(session, secret=secret) is None


def test_a_deactivated_user_loses_sessions_and_tokens(session: Session, world: World) -> None:
    secret, _ = accounts.start_session(session, user=world.users["liaison_custodial"])
    token, _ = accounts.create_token(session, username="liaison_custodial")
    world.users["liaison_custodial"].active = False
    session.flush()
    assert accounts.resume_session(session, secret=secret) is None
    assert accounts.user_for_token(session, token=token) is None


def test_tokens_are_shown_once_stored_hashed_and_revocable(session: Session, world: World) -> None:
    token, stored = accounts.create_token(session, username="liaison_custodial", label="ERP")
    assert token.startswith(accounts.TOKEN_PREFIX) and stored.token_hash != token
    user = accounts.user_for_token(session, token=token)
    assert user is not None and user.username == "liaison_custodial"
    assert accounts.user_for_token(session, token=token[:-1] + "x") is None
    accounts.revoke_token(session, token=stored.prefix)
    assert accounts.user_for_token(session, token=token) is None
    with pytest.raises(NotFound):
        accounts.revoke_token(session, token="rnt_unknown")


@pytest.mark.parametrize("role", sorted(VISIBLE))
def test_need_to_know_decides_every_record(session: Session, world: World, role: str) -> None:
    principal = world.principals[role]
    records = world.records
    seen = tuple(can_see_record(session, principal=principal, record_id=r) for r in records)
    assert seen == VISIBLE[role]
    for record_id, visible in zip(records, seen, strict=True):
        if not visible:
            with pytest.raises(NotFound):
                get_visible_record(session, principal=principal, record_id=record_id)


def test_a_release_to_a_family_member_shows_that_record_to_them_only(
    session: Session, world: World
) -> None:
    confirm_pair(session, world, request=world.request, disclosed=world.disclosure)
    release_record(
        session,
        principal=world.principals["caseworker"],
        record_id=world.disclosure,
        to_user_id=world.users["family"].id,
        purpose="the family asked for news of the brother",
    )
    assert can_see_record(session, principal=world.principals["family"], record_id=world.disclosure)
    assert not can_see_record(
        session, principal=world.principals["adult"], record_id=world.disclosure
    )
    assert not can_see_record(
        session, principal=world.principals["liaison_requesting"], record_id=world.disclosure
    )


def test_withholding_a_record_later_hides_an_earlier_release(
    session: Session, world: World
) -> None:
    liaison = world.principals["liaison_requesting"]
    assert can_see_record(session, principal=liaison, record_id=world.released)
    record = session.get(Record, world.released)
    assert record is not None
    record.withheld = True
    session.flush()
    assert not can_see_record(session, principal=liaison, record_id=world.released)


@pytest.mark.parametrize(
    ("target", "recipient", "error", "message"),
    [
        ("withheld", "requesting", Conflict, "never released"),
        ("disclosure", "custodial", InvalidInput, "already sees it"),
        ("disclosure", "mediator", InvalidInput, "requesting or the custodial"),
    ],
)
def test_releases_that_make_no_sense_are_refused(
    session: Session, world: World, target: str, recipient: str, error: type, message: str
) -> None:
    party = getattr(world, recipient)
    with pytest.raises(error, match=message):
        release_record(
            session,
            principal=world.principals["caseworker"],
            record_id=getattr(world, target),
            to_party_id=party.id,
            purpose="tracing",
        )


def test_a_release_needs_a_purpose_and_only_staff_release(session: Session, world: World) -> None:
    with pytest.raises(InvalidInput, match="purpose"):
        release_record(
            session,
            principal=world.principals["caseworker"],
            record_id=world.disclosure,
            to_party_id=world.requesting.id,
            purpose="   ",
        )
    for role in ("liaison_custodial", "auditor", "family"):
        with pytest.raises(NotFound):
            release_record(
                session,
                principal=world.principals[role],
                record_id=world.disclosure,
                to_party_id=world.requesting.id,
                purpose="tracing",
            )


def test_the_sharing_log_says_what_to_whom_why_by_whom_when(session: Session, world: World) -> None:
    (line,) = sharing_log(session, principal=world.principals["auditor"])
    assert line.record_id == world.released
    assert (line.record_kind, line.record_reference) == ("disclosures", "RU-1")
    assert line.recipient == "Ukraine"
    assert "identity" in line.purpose
    assert line.released_by == "caseworker"
    assert line.released_at is not None
    for role in ("liaison_requesting", "family", "adult"):
        with pytest.raises(NotFound):
            sharing_log(session, principal=world.principals[role])


def test_malformed_record_ids_are_simply_not_found() -> None:
    with pytest.raises(NotFound):
        parse_record_id("../../etc/passwd")


def test_users_are_listed_with_their_party(session: Session, world: World) -> None:
    liaison = session.scalar(select(User).where(User.username == "liaison_custodial"))
    assert liaison is not None and liaison.party_id == world.custodial.id
    assert world.principals["liaison_custodial"].party_role == "custodial"
    assert world.principals["admin"].party_id == world.mediator.id
    assert world.principals["adult"].party_id is None
