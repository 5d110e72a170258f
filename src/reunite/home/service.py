"""The figures of each role's start page, each asked of the domain that owns it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from reunite.audit.service import count_entries
from reunite.auth.principal import Principal
from reunite.cases.models import Case
from reunite.cases.service import cases_of_request, own_cases
from reunite.exchange.submission import count_batches
from reunite.inquiries.enums import InquiryState
from reunite.inquiries.service import count_inquiries
from reunite.jobs.models import Job
from reunite.parties.models import Party
from reunite.parties.service import count_parties
from reunite.records.filing import FiledRequest, my_requests
from reunite.records.service import count_own_records, count_records, count_shared_with
from reunite.review.service import count_queue, latest_match_job
from reunite.sharing.service import RevokedRelease, count_releases, revoked_for


@dataclass(frozen=True)
class Registry:
    """How much the registry holds: parties, lists, requests, disclosed records."""

    parties: int
    batches: int
    requests: int
    disclosures: int


@dataclass(frozen=True)
class StaffHome:
    """A caseworker's or admin's start: the registry, the review queue, the matching run."""

    registry: Registry
    to_review: int
    latest_job: Job | None
    # Information requests to the parties past their due date.
    inquiries_overdue: int = 0


@dataclass(frozen=True)
class LiaisonHome:
    """A party liaison's start: its party, what it sent, what was released to it."""

    party: Party | None
    own_batches: int
    own_records: int
    released_to_us: int
    withdrawn: list[RevokedRelease]
    # The mediator's information requests to this party still to answer, and of those overdue.
    inquiries_waiting: int = 0
    inquiries_overdue: int = 0


@dataclass(frozen=True)
class FamilyHome:
    """A family member's or adult's start: their own requests and where each stands."""

    requests: list[FiledRequest]
    withdrawn: list[RevokedRelease]
    # The case of each request (by request id), and an adult's own cases.
    cases: dict[uuid.UUID, Case] = field(default_factory=dict)
    own_cases: list[Case] = field(default_factory=list)


@dataclass(frozen=True)
class AuditorHome:
    """An auditor's start: how long the audit and sharing logs are."""

    audit_entries: int
    releases: int


Home = StaffHome | LiaisonHome | FamilyHome | AuditorHome


def registry_figures(session: Session) -> Registry:
    """Count what the registry holds (mediator staff see these)."""
    counts = count_records(session)
    return Registry(
        parties=count_parties(session),
        batches=count_batches(session),
        requests=counts.get("requests", 0),
        disclosures=counts.get("disclosures", 0),
    )


def _overdue(session: Session, principal: Principal) -> int:
    return count_inquiries(session, principal=principal, state=InquiryState.OVERDUE)


def home_of(session: Session, *, principal: Principal) -> Home:
    """Gather what a person's start page shows, by their role."""
    if principal.is_staff:
        return StaffHome(
            registry=registry_figures(session),
            to_review=count_queue(session, principal=principal),
            latest_job=latest_match_job(session),
            inquiries_overdue=_overdue(session, principal),
        )
    if principal.role == "liaison" and principal.party_id is not None:
        return LiaisonHome(
            party=session.get(Party, principal.party_id),
            own_batches=count_batches(session, party_id=principal.party_id),
            own_records=count_own_records(session, party_id=principal.party_id),
            released_to_us=count_shared_with(session, principal=principal),
            withdrawn=revoked_for(session, principal=principal),
            inquiries_waiting=count_inquiries(session, principal=principal, state=InquiryState.OPEN)
            + _overdue(session, principal),
            inquiries_overdue=_overdue(session, principal),
        )
    if principal.files_own_requests:
        requests = my_requests(session, principal=principal)
        return FamilyHome(
            requests=requests,
            withdrawn=revoked_for(session, principal=principal),
            cases=cases_of_request(session, request_ids=[item.record.id for item in requests]),
            own_cases=own_cases(session, principal=principal),
        )
    return AuditorHome(audit_entries=count_entries(session), releases=count_releases(session))
