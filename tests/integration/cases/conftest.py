"""A world with cases: the world of tests/world.py, a second caseworker, helpers to walk a case."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from reunite.auth.principal import Principal
from reunite.auth.service import create_user, principal_of
from reunite.cases import service as cases
from reunite.cases.enums import ApprovalKind
from reunite.cases.models import Case
from reunite.exchange.service import import_list
from reunite.flows.review import decide_pair
from reunite.records.models import Record
from reunite.review.models import MatchCandidate

from factories import REQUEST_HEADER, write_csv
from world import PASSWORD, World, build_world


@dataclass
class Ways:
    """The world, and the steps of a case as people take them."""

    session: Session
    world: World
    folder: Path

    def who(self, name: str) -> Principal:
        """Return the principal of one of the world's users (or `caseworker2`)."""
        return self.world.principals[name]

    def case_of(self, request_id: uuid.UUID) -> Case:
        """Return the case of a tracing request."""
        case = cases.case_of_request(self.session, request_id=request_id)
        assert case is not None
        return case

    def add_request(
        self,
        external_id: str,
        surname: str,
        given: str,
        birth: str,
        sex: str = "F",
        patronymic: str = "",
    ) -> uuid.UUID:
        """Import one more tracing request of the requesting party; return its record id."""
        path = write_csv(
            self.folder,
            f"{external_id}.csv",
            REQUEST_HEADER,
            [[external_id, surname, given, patronymic, sex, birth, "Маріуполь", "", ""]],
        )
        import_list(self.session, path=path, party=self.world.requesting, kind="requests")
        found = self.session.scalar(select(Record.id).where(Record.external_id == external_id))
        assert found is not None
        return found

    def confirm(self, request: uuid.UUID, disclosed: uuid.UUID) -> int:
        """Confirm a pair through the review flow (which locates the case)."""
        candidate = MatchCandidate(
            request_id=request, disclosed_id=disclosed, probability=0.97,
            engine_decision="match", rival="relative", explanation=[], status="proposed",
        )  # fmt: skip
        self.session.add(candidate)
        self.session.flush()
        decide_pair(
            self.session, principal=self.who("caseworker"), candidate_id=candidate.id,
            decision="confirmed", reason="photo and parents agree",
        )  # fmt: skip
        return candidate.id

    def approve_last(self, case: Case, by: str = "caseworker2") -> cases.Moved:
        """Have a second person approve the case's approval that waits."""
        view = cases.read_case(self.session, principal=self.who("admin"), case_id=case.id)
        (waiting,) = view.pending
        return cases.decide_approval(
            self.session, principal=self.who(by), approval_id=waiting.id, approve=True,
            reason="checked the file",
        )  # fmt: skip

    def locate(self) -> Case:
        """Take the world's request to located (its disclosed child RU-1)."""
        self.confirm(self.world.request, self.world.released)
        case = self.case_of(self.world.request)
        assert case.status == "located"
        return case

    def verify(self, case: Case) -> Case:
        """Record a verification, have all three sides sign it, and have it approved."""
        cases.record_verification(
            self.session, principal=self.who("caseworker"), case_id=case.id,
            evidence={"documents": "birth certificate seen", "photo_pick": "mother picked it"},
            child_willing="yes", family_willing="yes",
        )  # fmt: skip
        for name in ("caseworker", "liaison_requesting", "liaison_custodial"):
            cases.sign_verification(self.session, principal=self.who(name), case_id=case.id)
        cases.transition(
            self.session, principal=self.who("caseworker"), case_id=case.id, to="verified",
            reason="identity and link checked",
        )  # fmt: skip
        self.approve_last(case)
        assert case.status == "verified"
        return case

    def contact(self, case: Case) -> Case:
        """Record contact and move to contact_established."""
        cases.record_contact(
            self.session, principal=self.who("caseworker"), case_id=case.id,
            how="video call, moderated, 20 minutes",
        )  # fmt: skip
        cases.transition(
            self.session, principal=self.who("caseworker"), case_id=case.id,
            to="contact_established", reason="first call went well",
        )  # fmt: skip
        return case

    def approve_return(self, case: Case, *, red_flag: bool = False) -> Case:
        """Assess best interests (approved by a second person) and approve the return."""
        cases.record_best_interests(
            self.session, principal=self.who("caseworker"), case_id=case.id,
            child_views="wants to go home to her mother", care_arrangements="mother, grandmother",
            risks="none found", red_flag=red_flag,
        )  # fmt: skip
        cases.request_approval(
            self.session, principal=self.who("caseworker"), case=case,
            kind=ApprovalKind.BEST_INTERESTS, note="assessment done",
        )  # fmt: skip
        self.approve_last(case)
        cases.transition(
            self.session, principal=self.who("caseworker"), case_id=case.id,
            to="return_approved", reason="in the child's best interests",
        )  # fmt: skip
        self.approve_last(case)
        return case

    def contact_adult(self) -> Case:
        """Walk an adult's case (born 2007, linked to the `adult` account) to contact."""
        request = self.add_request("UA-8", "Шевченко", "Дарина", "2007-01-10")
        self.confirm(request, self.world.disclosure)
        case = self.case_of(request)
        cases.link_adult(
            self.session, principal=self.who("caseworker"), case_id=case.id, username="adult"
        )
        self.verify(case)
        with pytest.raises(cases.IllegalTransition, match="not consented to contact"):
            self.contact(case)
        cases.record_consent(
            self.session, principal=self.who("adult"), case_id=case.id, kind="contact",
            answer="yes",
        )  # fmt: skip
        return self.contact(case)

    def send_home(self, case: Case) -> int:
        """Put the case in a new round, record its departure and handover; return the round."""
        round_ = cases.create_round(
            self.session, principal=self.who("caseworker"), name="Round 1",
            planned_on=date.today(), route="Moscow – Minsk – Kyiv", escort="Qatar embassy",
            handover_point="Kyiv, the mediator's office",
        )  # fmt: skip
        cases.add_to_round(
            self.session, principal=self.who("caseworker"), round_id=round_.id,
            case_ids=[case.id],
        )  # fmt: skip
        cases.record_departure(self.session, principal=self.who("caseworker"), round_id=round_.id)
        cases.record_handover(
            self.session, principal=self.who("caseworker"), round_id=round_.id, case_id=case.id,
            received_by="Лисенко Ольга, mother",
        )  # fmt: skip
        return round_.id


@pytest.fixture
def ways(session: Session, tmp_path: Path) -> Ways:
    world = build_world(session, tmp_path)
    second = create_user(session, username="caseworker2", password=PASSWORD, role="caseworker")
    world.users["caseworker2"] = second
    world.principals["caseworker2"] = principal_of(session, second)
    return Ways(session, world, tmp_path)
