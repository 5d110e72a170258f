"""What a release carries: only the fields its recipient needs (data minimisation).

The ICRC Handbook on Data Protection in Humanitarian Action asks for proportionality: a party
or a family receives the fields its purpose needs, nothing more. The set is chosen by who
receives what, and frozen on the release, so a later change of these sets never widens what
was already shared.
"""

from __future__ import annotations

from reunite.vocabulary import N_, Vocabulary


class ReleaseScope(Vocabulary):
    """Who receives which kind of record, and so which of its fields."""

    # The custodial party's record of a child, to the requesting party's team: enough to check
    # identity and family link (DOMAIN.md: verification by both sides' teams), and where the
    # child is by region. Not the guardian's or institution's details, nor the party's notes.
    DISCLOSURE_TO_PARTY = "disclosure_to_party", N_("a disclosed record, to the other party")
    # A family's tracing request, to the custodial party: what it takes to look for the child
    # (GC IV art. 138 fields). Never the family's own contact details.
    REQUEST_TO_PARTY = "request_to_party", N_("a tracing request, to the other party")
    # The record of the child a family asked for, to that family (after a confirmed match):
    # who the child is and the region they are in; nothing about the institution.
    DISCLOSURE_TO_FAMILY = "disclosure_to_family", N_("a disclosed record, to the family")


_IDENTITY = (
    "surname",
    "given_name",
    "patronymic",
    "name_variants",
    "sex",
    "birth_date",
    "birth_place",
    "nationality",
    "mother_name",
    "father_name",
)
RELEASED_FIELDS: dict[ReleaseScope, tuple[str, ...]] = {
    ReleaseScope.DISCLOSURE_TO_PARTY: (
        "external_id",
        *_IDENTITY,
        "distinguishing_marks",
        "current_location",
        "photo",
    ),
    ReleaseScope.REQUEST_TO_PARTY: (
        "external_id",
        *_IDENTITY,
        "last_known_place",
        "separation_date",
        "separation_circumstances",
        "distinguishing_marks",
        "photo",
    ),
    ReleaseScope.DISCLOSURE_TO_FAMILY: (
        *_IDENTITY,
        "current_location",
        "photo",
    ),
}
