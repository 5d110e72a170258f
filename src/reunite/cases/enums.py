"""The vocabularies of cases: where a case stands, what happened in it, who signs what."""

from __future__ import annotations

from reunite.vocabulary import N_, Vocabulary


class CaseStatus(Vocabulary):
    """Where a child's way home stands (DESIGN.md §2; Primero's tracing statuses, and more)."""

    OPEN = "open", N_("open")
    TRACING = "tracing", N_("tracing")
    LOCATED = "located", N_("located")
    VERIFIED = "verified", N_("verified")
    CONTACT_ESTABLISHED = "contact_established", N_("contact established")
    RETURN_APPROVED = "return_approved", N_("return approved")
    IN_TRANSIT = "in_transit", N_("on the way home")
    REUNITED = "reunited", N_("reunited")
    FOLLOW_UP = "follow_up", N_("follow-up")
    CLOSED = "closed", N_("closed")
    # Ends other than home.
    DECLINED = "declined", N_("declined")
    DECEASED = "deceased", N_("deceased")
    DUPLICATE = "duplicate", N_("duplicate")
    TRANSFERRED = "transferred", N_("transferred")


class Track(Vocabulary):
    """Whether the person is still a minor, or turned 18 since they were separated."""

    MINOR = "minor", N_("minor")
    ADULT = "adult", N_("adult track")


class EventKind(Vocabulary):
    """What a line of a case's timeline records."""

    OPENED = "opened", N_("case opened")
    TRANSITION = "transition", N_("status changed")
    NOTE = "note", N_("note")
    ASSIGNED = "assigned", N_("assigned")
    TASK = "task", N_("task")
    VERIFICATION = "verification", N_("verification")
    SIGNOFF = "signoff", N_("sign-off")
    BEST_INTERESTS = "best_interests", N_("best-interests assessment")
    DETERMINATION = "determination", N_("best-interests determination")
    CONSENT = "consent", N_("consent")
    APPROVAL = "approval", N_("approval")
    CONTACT = "contact", N_("contact with the family")
    ROUND = "round", N_("round of return")
    DEPARTURE = "departure", N_("departure")
    HANDOVER = "handover", N_("handover")
    FOLLOW_UP = "follow_up", N_("follow-up visit")
    DOCUMENT = "document", N_("document")
    GROUP = "group", N_("family group")
    TRACK = "track", N_("adult track")
    REQUEST = "request", N_("tracing request")


class Evidence(Vocabulary):
    """How identity and the family link were checked (DOMAIN.md: verification methods)."""

    DOCUMENTS = "documents", N_("documents")
    PHOTO_PICK = "photo_pick", N_("the family picked the child's photo from a set")
    INTERVIEW = "interview", N_("interview")
    MARKS = "marks", N_("distinguishing marks or belongings")
    DNA = "dna", N_("DNA result")
    COMMUNITY = "community", N_("community corroboration")


class Side(Vocabulary):
    """Who signs a verification: the mediator and each party's team."""

    MEDIATOR = "mediator", N_("the mediator")
    REQUESTING = "requesting", N_("the requesting party")
    CUSTODIAL = "custodial", N_("the custodial party")


class ApprovalKind(Vocabulary):
    """What a second person must approve (four eyes, as Primero's approvals)."""

    VERIFICATION = "verification", N_("verification")
    BEST_INTERESTS = "best_interests", N_("best-interests decision")
    RETURN = "return", N_("return")
    CLOSURE = "closure", N_("closure")


class ApprovalState(Vocabulary):
    """Where a request for approval stands."""

    PENDING = "pending", N_("waiting for a second person")
    APPROVED = "approved", N_("approved")
    SENT_BACK = "sent_back", N_("sent back")


class ConsentKind(Vocabulary):
    """What an adult consents to, or refuses, for themselves."""

    CONTACT = "contact", N_("contact with the family")
    RETURN = "return", N_("return")


class Answer(Vocabulary):
    """Yes or no, as someone answered."""

    YES = "yes", N_("yes")
    NO = "no", N_("no")


# Where a case stands, in the words a family or the person themselves reads (on a phone).
PLAIN_STATUS: dict[str, str] = {
    CaseStatus.OPEN: N_("Your request is registered. The search has not started yet."),
    CaseStatus.TRACING: N_("The search is under way: the lists of children found are checked."),
    CaseStatus.LOCATED: N_("The child may have been found. The teams are checking it."),
    CaseStatus.VERIFIED: N_("Both teams confirmed who the child is and that you are family."),
    CaseStatus.CONTACT_ESTABLISHED: N_("Contact between the child and the family has begun."),
    CaseStatus.RETURN_APPROVED: N_("The return home is approved. A journey is being planned."),
    CaseStatus.IN_TRANSIT: N_("The child is on the way home."),
    CaseStatus.REUNITED: N_("The child is home with the family."),
    CaseStatus.FOLLOW_UP: N_("The child is home; a caseworker visits to see how things are."),
    CaseStatus.CLOSED: N_("The case is closed."),
    CaseStatus.DECLINED: N_("The case was stopped. The mediator can tell you why."),
    CaseStatus.DECEASED: N_("The mediator has sad news. Please contact the mediator."),
    CaseStatus.DUPLICATE: N_("This request was joined with another one about the same child."),
    CaseStatus.TRANSFERRED: N_("The case was handed to another organisation."),
}
