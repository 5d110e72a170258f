"""The vocabularies of public figures: status groups and age bands."""

from __future__ import annotations

from reunite.cases.enums import CaseStatus
from reunite.vocabulary import N_, Vocabulary


class StatusGroup(Vocabulary):
    """Where a child's way home stands, as the public reads it (a few groups, not statuses)."""

    SOUGHT = "sought", N_("still sought")
    LOCATED = "located", N_("found, on the way home")
    REUNIFIED = "reunified", N_("reunited with the family")
    OTHER = "other", N_("other outcome")


_GROUPS = {
    CaseStatus.OPEN: StatusGroup.SOUGHT,
    CaseStatus.TRACING: StatusGroup.SOUGHT,
    CaseStatus.LOCATED: StatusGroup.LOCATED,
    CaseStatus.VERIFIED: StatusGroup.LOCATED,
    CaseStatus.CONTACT_ESTABLISHED: StatusGroup.LOCATED,
    CaseStatus.RETURN_APPROVED: StatusGroup.LOCATED,
    CaseStatus.IN_TRANSIT: StatusGroup.LOCATED,
    CaseStatus.REUNITED: StatusGroup.REUNIFIED,
    CaseStatus.FOLLOW_UP: StatusGroup.REUNIFIED,
    # Closed only after follow-up (cases.rules): a closed case is a child who came home.
    CaseStatus.CLOSED: StatusGroup.REUNIFIED,
    CaseStatus.DECLINED: StatusGroup.OTHER,
    CaseStatus.DECEASED: StatusGroup.OTHER,
    CaseStatus.TRANSFERRED: StatusGroup.OTHER,
    CaseStatus.DUPLICATE: StatusGroup.OTHER,
}


def group_of(status: CaseStatus) -> StatusGroup:
    """Return the public group of a case status."""
    return _GROUPS[status]


class AgeBand(Vocabulary):
    """A child's age at separation, in the bands the Geneva Convention's rules follow.

    Under 12 (identity discs, GC IV art. 24), under 15 (art. 24's care), 15 to 17; a
    date of birth too partial to place the child in one band is "not known".
    """

    UNDER_5 = "0-4", N_("0 to 4 years")
    UNDER_12 = "5-11", N_("5 to 11 years")
    UNDER_15 = "12-14", N_("12 to 14 years")
    UNDER_18 = "15-17", N_("15 to 17 years")
    ADULT = "18+", N_("18 years or older")
    UNKNOWN = "unknown", N_("not known")


AGE_BANDS = {
    AgeBand.UNDER_5: (0, 4),
    AgeBand.UNDER_12: (5, 11),
    AgeBand.UNDER_15: (12, 14),
    AgeBand.UNDER_18: (15, 17),
    AgeBand.ADULT: (18, 200),
}
