"""Releases: who may receive what, on which match, with which fields, and their revocation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from reunite.audit.models import AuditEntry
from reunite.audit.service import write_pending
from reunite.auth.service import create_user, principal_of
from reunite.errors import Conflict, InvalidInput, NotFound
from reunite.flows.review import decide_pair
from reunite.records.access import can_see_record, released_fields
from reunite.records.models import Record
from reunite.review.models import MatchCandidate
from reunite.sharing.models import Release
from reunite.sharing.service import (
    release_record,
    releases_resting_on,
    revoke_release,
    revoked_for,
    sharing_log,
)

from world import PASSWORD, World, build_world, confirm_pair


@pytest.fixture
def world(session: Session, tmp_path: Path) -> World:
    return build_world(session, tmp_path)


def _actions(session: Session) -> list[tuple[str, dict[str, object]]]:
    write_pending(session)
    return [
        (entry.action, json.loads(entry.details))
        for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.id))
    ]


def _release_on_match(session: Session, world: World) -> tuple[int, Release]:
    candidate = confirm_pair(session, world, request=world.request, disclosed=world.disclosure)
    release = release_record(
        session,
        principal=world.principals["caseworker"],
        record_id=world.disclosure,
        to_party_id=world.requesting.id,
        purpose="the requesting party checks the child's identity",
        candidate_id=candidate,
    )
    return candidate, release


# --- A2: a reversal shows what rests on it, and revokes it or is refused ----------------------


def test_reversing_a_confirmed_match_is_refused_while_releases_rest_on_it(
    session: Session, world: World
) -> None:
    candidate, release = _release_on_match(session, world)
    liaison = world.principals["liaison_requesting"]
    assert can_see_record(session, principal=liaison, record_id=world.disclosure)
    with pytest.raises(Conflict) as refused:
        decide_pair(
            session,
            principal=world.principals["admin"],
            candidate_id=candidate,
            decision="rejected",
            reason="the second interview: another girl of the same name",
        )
    assert refused.value.code == "releases_depend" and "1 release(s)" in refused.value.detail
    # Nothing changed: the caller rolls back, and the service wrote nothing before refusing.
    assert session.get(MatchCandidate, candidate).status == "confirmed"  # type: ignore[union-attr]
    assert release.revoked_at is None
    assert can_see_record(session, principal=liaison, record_id=world.disclosure)


def test_reversing_with_consent_revokes_the_releases_and_everyone_is_told(
    session: Session, world: World
) -> None:
    candidate, release = _release_on_match(session, world)
    outcome = decide_pair(
        session,
        principal=world.principals["admin"],
        candidate_id=candidate,
        decision="related",
        reason="DNA: a cousin, not the child",
        revoke_dependents=True,
    )
    assert [r.id for r in outcome.revoked] == [release.id]
    assert outcome.decided.reverses_a_confirmation
    assert release.revoked_at is not None and release.revoked_by == world.users["admin"].id
    assert "DNA: a cousin, not the child" in release.revoke_reason
    liaison = world.principals["liaison_requesting"]
    assert not can_see_record(session, principal=liaison, record_id=world.disclosure)
    # The recipient is told a release was withdrawn (not what it was), the log says why.
    (gone,) = revoked_for(session, principal=liaison)
    assert gone.release_id == release.id and gone.revoked_at == release.revoked_at
    line = next(
        line
        for line in sharing_log(session, principal=world.principals["auditor"])
        if line.release_id == release.id
    )
    assert not line.in_force and line.revoked_by == "admin"
    assert releases_resting_on(session, candidate_id=candidate) == []
    actions = [action for action, _details in _actions(session)]
    assert actions[-2:] == ["match.decision", "release.revoked"]


def test_confirming_again_or_deciding_a_pair_nothing_rests_on_needs_no_consent(
    session: Session, world: World
) -> None:
    candidate = confirm_pair(session, world, request=world.request, disclosed=world.disclosure)
    outcome = decide_pair(
        session,
        principal=world.principals["admin"],
        candidate_id=candidate,
        decision="rejected",
        reason="the photo shows another child",
    )
    assert outcome.revoked == [] and outcome.decided.previous == "confirmed"


# --- A3: a family receives only the record of the child it asked for ------------------------


def test_a_family_receives_a_record_only_on_a_confirmed_match_of_its_own_request(
    session: Session, world: World
) -> None:
    family = world.users["family"]
    staff = world.principals["caseworker"]
    with pytest.raises(Conflict, match="filed no request that people confirmed") as refused:
        release_record(
            session, principal=staff, record_id=world.disclosure, to_user_id=family.id,
            purpose="news for the family",
        )  # fmt: skip
    assert refused.value.code == "no_confirmed_match"
    # A match confirmed for someone else's request does not count either.
    other = create_user(
        session, username="other-family", password=PASSWORD, role="family", party_name="Ukraine"
    )
    candidate = confirm_pair(session, world, request=world.request, disclosed=world.disclosure)
    with pytest.raises(Conflict):
        release_record(
            session, principal=staff, record_id=world.disclosure, to_user_id=other.id,
            purpose="news for the family",
        )  # fmt: skip
    release = release_record(
        session, principal=staff, record_id=world.disclosure, to_user_id=family.id,
        purpose="news for the family",
    )  # fmt: skip
    assert release.candidate_id == candidate and release.scope == "disclosure_to_family"
    assert can_see_record(session, principal=world.principals["family"], record_id=world.disclosure)
    assert not can_see_record(
        session, principal=principal_of(session, other), record_id=world.disclosure
    )


def test_a_family_never_receives_a_tracing_request(session: Session, world: World) -> None:
    with pytest.raises(InvalidInput, match="never a tracing request"):
        release_record(
            session,
            principal=world.principals["admin"],
            record_id=world.request,
            to_user_id=world.users["adult"].id,
            purpose="show them the request",
            override_reason="a reason long enough to pass the length rule",
        )


def test_only_an_admin_overrides_and_only_with_a_written_reason(
    session: Session, world: World
) -> None:
    adult = world.users["adult"]
    arguments = {
        "record_id": world.disclosure,
        "to_user_id": adult.id,
        "purpose": "the adult asked about their brother",
    }
    with pytest.raises(Conflict):
        release_record(
            session,
            principal=world.principals["caseworker"],
            override_reason="the caseworker has no such power here",
            **arguments,
        )
    with pytest.raises(InvalidInput, match="at least 20 characters"):
        release_record(
            session, principal=world.principals["admin"], override_reason="ok", **arguments
        )
    release = release_record(
        session,
        principal=world.principals["admin"],
        override_reason="court order 12/2026 names this adult as the brother's guardian",
        **arguments,
    )
    assert release.candidate_id is None and "court order" in release.override_reason
    action, details = _actions(session)[-1]
    assert action == "release.override" and "court order" in str(details["override"])


# --- B2: a release carries only what its recipient needs -----------------------------------


def test_each_release_carries_only_the_fields_its_recipient_needs(
    session: Session, world: World
) -> None:
    record = session.get(Record, world.disclosure)
    assert record is not None
    record.institution = "Дом ребёнка № 3, г. Ростов"
    record.current_location = "Ростовская обл."
    record.distinguishing_marks = "родинка на левой щеке"
    candidate = confirm_pair(session, world, request=world.request, disclosed=world.disclosure)
    release_record(
        session, principal=world.principals["caseworker"], record_id=world.disclosure,
        to_party_id=world.requesting.id, purpose="verification", candidate_id=candidate,
    )  # fmt: skip
    release_record(
        session, principal=world.principals["caseworker"], record_id=world.disclosure,
        to_user_id=world.users["family"].id, purpose="news",
    )  # fmt: skip
    party = released_fields(
        session, principal=world.principals["liaison_requesting"], record=record
    )
    family = released_fields(session, principal=world.principals["family"], record=record)
    own = released_fields(session, principal=world.principals["liaison_custodial"], record=record)
    assert {"current_location", "distinguishing_marks", "father_name"} <= party
    assert "institution" not in party and "contact" not in party and "extra" not in party
    assert "current_location" in family and "distinguishing_marks" not in family
    assert "institution" not in family
    assert "institution" in own and "contact" in own  # the sending party sees it all


def test_a_request_released_to_the_custodial_party_never_carries_the_familys_contact(
    session: Session, world: World
) -> None:
    request = session.get(Record, world.request)
    assert request is not None
    request.contact = "мама, вул. Шевченка 12, кв. 3, Запоріжжя, +380 67 123 4567"
    release_record(
        session, principal=world.principals["caseworker"], record_id=world.request,
        to_party_id=world.custodial.id, purpose="ask whether this boy is in its care",
    )  # fmt: skip
    shown = released_fields(
        session, principal=world.principals["liaison_custodial"], record=request
    )
    assert "contact" not in shown and "surname" in shown and "separation_date" in shown


# --- revoking by hand --------------------------------------------------------------------------


def test_a_release_is_revoked_by_staff_with_a_reason_once(session: Session, world: World) -> None:
    (line,) = sharing_log(session, principal=world.principals["auditor"])
    with pytest.raises(InvalidInput, match="needs a reason"):
        revoke_release(
            session,
            principal=world.principals["caseworker"],
            release_id=line.release_id,
            reason=" ",
        )
    for role in ("liaison_requesting", "auditor", "family"):
        with pytest.raises(NotFound):
            revoke_release(
                session, principal=world.principals[role], release_id=line.release_id, reason="x"
            )
    revoke_release(
        session,
        principal=world.principals["caseworker"],
        release_id=line.release_id,
        reason="sent to the wrong party by mistake",
    )
    assert not can_see_record(
        session, principal=world.principals["liaison_requesting"], record_id=world.released
    )
    with pytest.raises(Conflict, match="revoked already"):
        revoke_release(
            session,
            principal=world.principals["caseworker"],
            release_id=line.release_id,
            reason="again",
        )
