"""Tables of cases: the case, its requests and family group, its timeline and what it rests on.

A case follows one sought child from the family's request to home and after. What allows
each step (a confirmed match, a verification signed by both parties' teams, a best-interests
assessment, an adult's own consent, a second person's approval) is a row of its own, kept,
never overwritten: the timeline shows who did what, when and why.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from reunite.cases.enums import (
    Answer,
    ApprovalKind,
    ApprovalState,
    CaseStatus,
    ConsentKind,
    EventKind,
    Side,
    Track,
)
from reunite.db.base import Base, JsonDocument, UtcDateTime, one_of, utcnow


class FamilyGroup(Base):
    """Cases of one family (siblings): shown on each case, moved together in a round."""

    __tablename__ = "family_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Case(Base):
    """One sought child's way home."""

    __tablename__ = "cases"
    __table_args__ = (
        CheckConstraint(one_of("status", CaseStatus), name="status"),
        CheckConstraint(one_of("track", Track), name="track"),
        Index("ix_cases_status_since", "status", "status_since"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The tracing request the case was opened with (others may join it as duplicates).
    request_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("records.id"), unique=True)
    status: Mapped[str] = mapped_column(String(20), default=CaseStatus.OPEN, index=True)
    status_since: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    # When the retention period had passed and the case's personal data was erased
    # (flows.retention): its events and counts stay.
    erased_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    track: Mapped[str] = mapped_column(String(10), default=Track.MINOR, index=True)
    # Set by the daily job: the person may turn 18 within 90 days (their options change).
    turning_adult: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    # The child's disclosed record, once located, and the confirmed match that located it.
    disclosed_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("records.id"), default=None, index=True
    )
    candidate_id: Mapped[int | None] = mapped_column(
        ForeignKey("match_candidates.id"), default=None
    )
    assigned_to: Mapped[int | None] = mapped_column(
        ForeignKey("users.id"), default=None, index=True
    )
    family_group_id: Mapped[int | None] = mapped_column(
        ForeignKey("family_groups.id"), default=None, index=True
    )
    # On the adult track: the adult's own account, which sees this case and answers for it.
    adult_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id"), default=None, index=True
    )
    opened_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    @property
    def number(self) -> str:
        """Return the case's reference as people write it."""
        return f"C-{self.id:06d}"


class CaseRequest(Base):
    """A tracing request of a case: the one it opened with, or a duplicate linked to it."""

    __tablename__ = "case_requests"

    # A request belongs to one case: the key. A duplicate's request moves to the case kept.
    request_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("records.id"), primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    joined_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class CaseEvent(Base):
    """One line of a case's timeline: a change of status, a note, a sign-off, a handover…"""

    __tablename__ = "case_events"
    __table_args__ = (
        CheckConstraint(one_of("kind", EventKind), name="kind"),
        Index("ix_case_events_case_paging", "case_id", "id"),
        # Figures count events by kind and status over time (issue 11's dashboard).
        Index("ix_case_events_kind_status_at", "kind", "to_status", "at"),
        # The way home of every case (its opening and changes of status), in order, without
        # its notes and tasks: the dashboard's funnel (figures.service.funnel) reads only this.
        Index(
            "ix_case_events_way",
            "case_id",
            "at",
            "id",
            "kind",
            "from_status",
            "to_status",
            postgresql_where=text("kind IN ('opened', 'transition')"),
            sqlite_where=text("kind IN ('opened', 'transition')"),
        ),  # fmt: skip
        # The statuses each case reached, its changes of status alone: the funnel's count of
        # how far cases got (figures.service) reads this smaller index, not the way's.
        Index(
            "ix_case_events_reached",
            "case_id",
            "to_status",
            postgresql_where=text("kind = 'transition'"),
            sqlite_where=text("kind = 'transition'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    actor: Mapped[str] = mapped_column(String(100), default="")
    kind: Mapped[str] = mapped_column(String(20))
    from_status: Mapped[str | None] = mapped_column(String(20), default=None)
    to_status: Mapped[str | None] = mapped_column(String(20), default=None)
    reason: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[dict[str, Any]] = mapped_column(JsonDocument, default=dict)


class CaseTask(Base):
    """Something to do on a case, by a day."""

    __tablename__ = "case_tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    due_on: Mapped[date] = mapped_column(Date, index=True)
    assigned_to: Mapped[int | None] = mapped_column(
        ForeignKey("users.id"), default=None, index=True
    )
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    done_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    done_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)


class Verification(Base):
    """How identity and the family link were checked, and whether child and family are willing.

    It counts once a mediator caseworker and a liaison of each party signed it.
    """

    __tablename__ = "verifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    # Evidence codes (cases.enums.Evidence) with what each showed: {"documents": "…", …}.
    evidence: Mapped[dict[str, str]] = mapped_column(JsonDocument, default=dict)
    child_willing: Mapped[str] = mapped_column(String(3))
    family_willing: Mapped[str] = mapped_column(String(3))
    notes: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    __table_args__ = (
        CheckConstraint(one_of("child_willing", Answer), name="child_willing"),
        CheckConstraint(one_of("family_willing", Answer), name="family_willing"),
    )


class Signoff(Base):
    """A team's signature under a verification: the mediator's, or one party's."""

    __tablename__ = "verification_signoffs"
    __table_args__ = (
        UniqueConstraint("verification_id", "side"),
        CheckConstraint(one_of("side", Side), name="side"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    verification_id: Mapped[int] = mapped_column(ForeignKey("verifications.id"), index=True)
    side: Mapped[str] = mapped_column(String(12))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    signed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class BestInterests(Base):
    """A best-interests assessment of a minor (every case; UNHCR): views, care, risks."""

    __tablename__ = "best_interests"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    child_views: Mapped[str] = mapped_column(Text)
    care_arrangements: Mapped[str] = mapped_column(Text)
    risks: Mapped[str] = mapped_column(Text)
    # A serious risk: a formal determination by a panel must come first.
    red_flag: Mapped[bool] = mapped_column(Boolean, default=False)
    recorded_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Determination(Base):
    """A formal best-interests determination, by a panel of at least three named people."""

    __tablename__ = "determinations"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    panel: Mapped[list[str]] = mapped_column(JsonDocument, default=list)
    decision: Mapped[str] = mapped_column(Text)
    # Whether the panel found that the return is in the child's best interests.
    return_in_best_interests: Mapped[bool] = mapped_column(Boolean)
    decided_on: Mapped[date] = mapped_column(Date)
    recorded_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Consent(Base):
    """An adult's own answer: contact with the family, return; the latest one counts."""

    __tablename__ = "consents"
    __table_args__ = (
        CheckConstraint(one_of("kind", ConsentKind), name="kind"),
        CheckConstraint(one_of("answer", Answer), name="answer"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    answer: Mapped[str] = mapped_column(String(3))
    given_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    given_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    note: Mapped[str] = mapped_column(Text, default="")


class Approval(Base):
    """A step asked for by one person and approved or sent back by another (four eyes)."""

    __tablename__ = "approvals"
    __table_args__ = (
        CheckConstraint(one_of("kind", ApprovalKind), name="kind"),
        CheckConstraint(one_of("state", ApprovalState), name="state"),
        Index("ix_approvals_state_kind", "state", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(10), default=ApprovalState.PENDING)
    note: Mapped[str] = mapped_column(Text, default="")
    requested_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    reason: Mapped[str] = mapped_column(Text, default="")


class ReturnRound(Base):
    """A planned group of returns: a date, a route, an escort, a place of handover."""

    __tablename__ = "rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    planned_on: Mapped[date] = mapped_column(Date, index=True)
    route: Mapped[str] = mapped_column(Text, default="")
    escort: Mapped[str] = mapped_column(String(300), default="")
    handover_point: Mapped[str] = mapped_column(String(300), default="")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class RoundMember(Base):
    """A case in a round, and the times its child left and was handed over."""

    __tablename__ = "round_members"
    __table_args__ = (
        UniqueConstraint("round_id", "case_id"),
        Index("ix_round_members_handed_over_at", "handed_over_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    added_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    added_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    departed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    handed_over_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    # Why a child of a family group does not travel with the others, when it does not.
    apart_reason: Mapped[str] = mapped_column(Text, default="")
    # Taken out of the round (the return halted), with why.
    removed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    removed_reason: Mapped[str] = mapped_column(Text, default="")


class FollowUpVisit(Base):
    """A visit after the child is home: due on a day, then done with an outcome, or waived."""

    __tablename__ = "follow_up_visits"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    due_on: Mapped[date] = mapped_column(Date, index=True)
    done_on: Mapped[date | None] = mapped_column(Date, default=None)
    outcome: Mapped[str] = mapped_column(Text, default="")
    waived_reason: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    recorded_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
