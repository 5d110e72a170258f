"""Who stands where in a case's channel, and whether the channel is open.

The channel opens when the case is verified: before that, a claimed relative could be anyone.
It stays open until the case is closed (or ends otherwise). On the adult track the adult
decides: it is open only while their own latest answer to contact is yes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from reunite.auth.principal import Principal
from reunite.cases.enums import CaseStatus, Track
from reunite.cases.models import Case, CaseRequest
from reunite.cases.service import consents_to_contact
from reunite.channel.enums import Direction
from reunite.records.models import Record
from reunite.vocabulary import N_, Message, say

OPEN_STATUSES = frozenset(
    {
        CaseStatus.VERIFIED,
        CaseStatus.CONTACT_ESTABLISHED,
        CaseStatus.RETURN_APPROVED,
        CaseStatus.IN_TRANSIT,
        CaseStatus.REUNITED,
        CaseStatus.FOLLOW_UP,
    }
)


@dataclass(frozen=True)
class ChannelSides:
    """The people and parties on each end of one case's channel."""

    case: Case
    # Accounts of the people who filed the case's requests (the family).
    family_users: frozenset[int] = field(default_factory=frozenset)
    requesting_party: int | None = None
    custodial_party: int | None = None

    @property
    def adult_user(self) -> int | None:
        """The sought person's own account, when they are on the adult track."""
        if self.case.track == Track.ADULT:
            return self.case.adult_user_id
        return None

    def capacities(self, principal: Principal) -> frozenset[str]:
        """Return what the caller is in this channel: staff, family, adult, or a party's side."""
        found: set[str] = set()
        if principal.is_staff:
            found.add("staff")
        if principal.user_id in self.family_users:
            found.add("family")
        if self.adult_user is not None and principal.user_id == self.adult_user:
            found.add("adult")
        if principal.role == "liaison" and principal.party_id is not None:
            if principal.party_id == self.custodial_party:
                found.add("custodial")
            if principal.party_id == self.requesting_party:
                found.add("requesting")
        return frozenset(found)

    def writes(self, principal: Principal) -> Direction | None:
        """Return which way the caller writes in this channel (None: they do not write)."""
        capacities = self.capacities(principal)
        if "adult" in capacities:
            return Direction.TO_FAMILY
        if "family" in capacities or "requesting" in capacities:
            return Direction.TO_CHILD
        # The custodial party's liaison enters a minor's replies; an adult writes their own.
        if "custodial" in capacities and self.case.track != Track.ADULT:
            return Direction.TO_FAMILY
        return None

    def delivered_in_app(self, direction: Direction) -> bool:
        """Tell whether the recipient reads in Reunite (else a party's liaison delivers)."""
        if direction == Direction.TO_CHILD:
            return self.adult_user is not None
        return bool(self.family_users)

    def deliverer(self, direction: Direction) -> str:
        """Return which party's side delivers a message that is not read in Reunite."""
        return "custodial" if direction == Direction.TO_CHILD else "requesting"


def sides_of(session: Session, *, case: Case) -> ChannelSides:
    """Return the people and parties of a case's channel."""
    filers = session.scalars(
        select(Record.filed_by_user_id)
        .join(CaseRequest, CaseRequest.request_id == Record.id)
        .where(CaseRequest.case_id == case.id, Record.filed_by_user_id.is_not(None))
    )
    records = [i for i in (case.request_id, case.disclosed_id) if i is not None]
    parties = {
        row.id: row.party_id
        for row in session.execute(select(Record.id, Record.party_id).where(Record.id.in_(records)))
    }
    return ChannelSides(
        case=case,
        family_users=frozenset(user for user in list(filers) if user is not None),
        requesting_party=parties.get(case.request_id) if case.request_id else None,
        custodial_party=parties.get(case.disclosed_id) if case.disclosed_id else None,
    )


def channel_refusal(session: Session, *, case: Case) -> Message | None:
    """Return why a case's channel is not open (None: it is open)."""
    if case.status not in OPEN_STATUSES:
        if case.status in (CaseStatus.OPEN, CaseStatus.TRACING, CaseStatus.LOCATED):
            return say(
                N_(
                    "the channel opens once the child's identity and family link are verified; "
                    "the case is {status}"
                ),
                status=CaseStatus(case.status),
            )
        return say(
            N_("the channel of this case is closed: the case is {status}"),
            status=CaseStatus(case.status),
        )
    if case.track == Track.ADULT and not consents_to_contact(session, case=case):
        return say(
            N_(
                "the person is an adult and has not said yes to contact with their family: "
                "the channel opens only when they do"
            )
        )
    return None
