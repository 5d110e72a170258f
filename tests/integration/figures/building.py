"""Hand-built histories for the figures: cases, their events, handovers, lists, messages.

Rows are written directly with the times a test chooses, so that every figure can be counted
by hand; the figures read these tables exactly as the other domains write them.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.orm import Session

from reunite.auth.models import User
from reunite.auth.service import create_user
from reunite.cases.models import Case, CaseEvent, ReturnRound, RoundMember
from reunite.channel.models import ChannelMessage
from reunite.exchange.models import Batch
from reunite.inquiries.models import Inquiry
from reunite.parties.models import Party
from reunite.records.models import Record
from reunite.review.models import MatchCandidate, MatchDecision

from factories import make_party

NOW = datetime(2025, 10, 10, 12, 0, tzinfo=UTC)


@dataclass
class History:
    """A builder of one small registry's history."""

    session: Session
    requesting: Party
    custodial: Party
    user: User
    batch: Batch
    disclosures: Batch
    round: ReturnRound
    serial: int = 0
    cases: list[Case] = field(default_factory=list)

    def record(self, *, kind: str = "requests", **values: str) -> Record:
        """Add a record of the requesting party (or a disclosure of the custodial one)."""
        self.serial += 1
        batch = self.batch if kind == "requests" else self.disclosures
        record = Record(
            party_id=batch.party_id, kind=kind, external_id=f"X-{self.serial}",
            created_batch_id=batch.id, updated_batch_id=batch.id, **values,
        )  # fmt: skip
        self.session.add(record)
        self.session.flush()
        return record

    def case(
        self,
        *path: tuple[str, datetime],
        opened: datetime,
        track: str = "minor",
        turning_adult: bool = False,
        **request: str,
    ) -> Case:
        """Add a case opened at a time and moved along `path` ((status, when), …)."""
        record = self.record(**request)
        status = path[-1][0] if path else "open"
        case = Case(
            request_id=record.id, status=status, status_since=path[-1][1] if path else opened,
            track=track, turning_adult=turning_adult, opened_at=opened, updated_at=opened,
        )  # fmt: skip
        self.session.add(case)
        self.session.flush()
        self.session.add(CaseEvent(case_id=case.id, at=opened, kind="opened", to_status="open"))
        previous = "open"
        for to, when in path:
            self.session.add(
                CaseEvent(case_id=case.id, at=when, kind="transition",
                          from_status=previous, to_status=to)
            )  # fmt: skip
            previous = to
        self.session.flush()
        self.cases.append(case)
        return case

    def handover(self, case: Case, at: datetime | None, *, removed: bool = False) -> None:
        """Put a case in the round, handed over at a time (None: still travelling)."""
        self.session.add(
            RoundMember(
                round_id=self.round.id, case_id=case.id, handed_over_at=at,
                removed_at=NOW - timedelta(days=40) if removed else None,
            )
        )  # fmt: skip
        self.session.flush()

    def confirmation(self, *decisions: tuple[str, datetime], status: str = "confirmed") -> None:
        """Add a candidate pair decided in turn (decision, when); it ends with `status`."""
        request, disclosed = self.record(), self.record(kind="disclosures")
        candidate = MatchCandidate(
            request_id=request.id, disclosed_id=disclosed.id, probability=0.9,
            engine_decision="match", status=status,
        )  # fmt: skip
        self.session.add(candidate)
        self.session.flush()
        for decision, when in decisions:
            self.session.add(
                MatchDecision(candidate_id=candidate.id, decision=decision,
                              decided_by=self.user.id, decided_at=when)
            )  # fmt: skip
        self.session.flush()

    def lists(
        self, party: Party, rows: int, rejected: int, at: datetime, *, signed_by: str | None = None
    ) -> None:
        """Add a list received from a party with rows, some rejected (signed, or not)."""
        self.serial += 1
        self.session.add(
            Batch(party_id=party.id, kind="requests", sha256=f"{self.serial:064d}",
                  filename="list.csv", file_format="csv", received_at=at,
                  rows_read=rows, rows_rejected=rejected, signed_key_id=signed_by,
                  signed_at=at if signed_by else None)
        )  # fmt: skip
        self.session.flush()

    def inquiry(
        self,
        party: Party,
        state: str,
        *,
        asked: datetime,
        due: date,
        answered: datetime | None = None,
    ) -> None:
        """Add an information request to a party, asked, due and perhaps answered."""
        self.session.add(
            Inquiry(party_id=party.id, subject="Children of list 7", due_on=due, state=state,
                    created_at=asked, answered_at=answered)
        )  # fmt: skip
        self.session.flush()

    def message(self, case: Case, state: str) -> None:
        """Add a family news message standing in a state."""
        self.session.add(
            ChannelMessage(case_id=case.id, direction="to_child", state=state,
                           sender_name="Mother", recipient_name="Child", text="We love you")
        )  # fmt: skip
        self.session.flush()


def new_history(
    session: Session,
    *,
    requesting: Party | None = None,
    custodial: Party | None = None,
    user: User | None = None,
) -> History:
    """Return a registry's history: two parties, a caseworker, a list each, a round."""
    requesting = requesting or make_party(session, "Ukraine", "requesting")
    custodial = custodial or make_party(session, "Russia", "custodial")
    user = user or create_user(session, username="cw", password="correct horse battery",
                               role="caseworker")  # fmt: skip
    batches = []
    for party, kind in ((requesting, "requests"), (custodial, "disclosures")):
        batch = Batch(party_id=party.id, kind=kind, sha256=uuid.uuid4().hex * 2,
                      filename="seed.csv", file_format="csv", received_at=NOW - timedelta(days=400),
                      rows_read=0)  # fmt: skip
        session.add(batch)
        batches.append(batch)
    round_ = ReturnRound(name="Round 1", planned_on=NOW.date())
    session.add(round_)
    session.flush()
    return History(session, requesting, custodial, user, batches[0], batches[1], round_)
