"""The vocabularies of match review: where a pair stands, and what people decide."""

from __future__ import annotations

from reunite.vocabulary import N_, Vocabulary


class CandidateStatus(Vocabulary):
    """Where a pair the engine proposed stands: people decide, the engine never does."""

    PROPOSED = "proposed", N_("to review")
    CONFIRMED = "confirmed", N_("confirmed")
    REJECTED = "rejected", N_("rejected")
    RELATED = "related", N_("related, not the same child")
    # A proposed pair a later matching run no longer proposes.
    WITHDRAWN = "withdrawn", N_("no longer proposed")

    @property
    def decided(self) -> bool:
        """Tell whether people decided this pair (a decided pair stays as they left it)."""
        return self in DECIDED


class Decision(Vocabulary):
    """What a caseworker decides on a pair; each decision is kept, with its reason."""

    CONFIRMED = "confirmed", N_("Confirm: the same child")
    REJECTED = "rejected", N_("Reject: not the same child")
    # A sibling, a twin, a cousin: a lead for the family, never the child they seek.
    RELATED = "related", N_("Related, not the same child (a sibling, twin or cousin)")


DECIDED = frozenset({CandidateStatus.CONFIRMED, CandidateStatus.REJECTED, CandidateStatus.RELATED})

# The engine's own view of a pair (reunite.matching's decisions), as people read it.
ENGINE_DECISION_LABELS = {
    "match": N_("likely the same child"),
    "possible": N_("possibly the same child"),
    "related": N_("likely a relative, not the same child"),
}
