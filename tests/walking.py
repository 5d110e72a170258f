"""Walk a case of the test world to `return_approved` through the services, as people would.

The rounds' pages and the browser walk start where the return was approved: these steps
(a confirmed match, a verification signed by the three sides, contact, a best-interests
assessment, each with a second person's approval) are the services' own, tested in
tests/integration/cases; here they only set the scene.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from reunite.auth.service import create_user, enrol_second_factor, principal_of
from reunite.cases import service as cases
from reunite.cases.enums import ApprovalKind
from reunite.cases.models import Case
from reunite.exchange.service import import_list
from reunite.flows.review import decide_pair
from reunite.records.models import Record
from reunite.review.models import MatchCandidate

from factories import REQUEST_HEADER, write_csv
from world import PASSWORD, World

SECOND = "caseworker2"


def add_second_caseworker(session: Session, world: World) -> None:
    """Give the world the second caseworker that four-eyes approvals need."""
    user = create_user(session, username=SECOND, password=PASSWORD, role="caseworker")
    world.totp[SECOND], _user = enrol_second_factor(session, username=SECOND)
    world.users[SECOND] = user
    world.principals[SECOND] = principal_of(session, user)


def add_request(
    session: Session, world: World, folder: Path, external_id: str, surname: str, given: str,
    birth: str, sex: str = "F",
) -> uuid.UUID:  # fmt: skip
    """Import one more tracing request of the requesting party (its case opens with it)."""
    path = write_csv(
        folder,
        f"{external_id}.csv",
        REQUEST_HEADER,
        [[external_id, surname, given, "", sex, birth, "Маріуполь", "", ""]],
    )
    import_list(session, path=path, party=world.requesting, kind="requests")
    found = session.scalar(select(Record.id).where(Record.external_id == external_id))
    assert found is not None
    return found


def case_of(session: Session, request_id: uuid.UUID) -> Case:
    """Return the case of a tracing request."""
    case = cases.case_of_request(session, request_id=request_id)
    assert case is not None
    return case


def _approve_last(session: Session, world: World, case: Case) -> None:
    view = cases.read_case(session, principal=world.principals["admin"], case_id=case.id)
    (waiting,) = view.pending
    cases.decide_approval(
        session, principal=world.principals[SECOND], approval_id=waiting.id, approve=True,
        reason="checked the file",
    )  # fmt: skip


def approve_return(
    session: Session, world: World, *, request: uuid.UUID, disclosed: uuid.UUID
) -> Case:
    """Take a request's case from a confirmed match to return_approved."""
    caseworker = world.principals["caseworker"]
    candidate = session.scalar(
        select(MatchCandidate).where(
            MatchCandidate.request_id == request, MatchCandidate.disclosed_id == disclosed
        )
    )
    if candidate is None:
        candidate = MatchCandidate(
            request_id=request, disclosed_id=disclosed, probability=0.97,
            engine_decision="match", rival="relative", explanation=[], status="proposed",
        )  # fmt: skip
        session.add(candidate)
        session.flush()
    decide_pair(
        session, principal=caseworker, candidate_id=candidate.id, decision="confirmed",
        reason="photo and parents agree",
    )  # fmt: skip
    case = case_of(session, request)
    cases.record_verification(
        session, principal=caseworker, case_id=case.id,
        evidence={"documents": "birth certificate seen", "photo_pick": "mother picked it"},
        child_willing="yes", family_willing="yes",
    )  # fmt: skip
    for name in ("caseworker", "liaison_requesting", "liaison_custodial"):
        cases.sign_verification(session, principal=world.principals[name], case_id=case.id)
    cases.transition(
        session, principal=caseworker, case_id=case.id, to="verified",
        reason="identity and link checked",
    )  # fmt: skip
    _approve_last(session, world, case)
    cases.record_contact(session, principal=caseworker, case_id=case.id, how="video call")
    cases.transition(
        session, principal=caseworker, case_id=case.id, to="contact_established",
        reason="first call went well",
    )  # fmt: skip
    cases.record_best_interests(
        session, principal=caseworker, case_id=case.id, child_views="wants to go home",
        care_arrangements="mother, grandmother", risks="none found", red_flag=False,
    )  # fmt: skip
    cases.request_approval(
        session, principal=caseworker, case=case, kind=ApprovalKind.BEST_INTERESTS,
        note="assessment done",
    )  # fmt: skip
    _approve_last(session, world, case)
    cases.transition(
        session, principal=caseworker, case_id=case.id, to="return_approved",
        reason="in the child's best interests",
    )  # fmt: skip
    _approve_last(session, world, case)
    assert case.status == "return_approved"
    return case
