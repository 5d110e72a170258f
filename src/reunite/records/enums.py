"""The vocabularies of records: kinds, fields, sexes, versions, states, search reasons."""

from __future__ import annotations

from reunite.vocabulary import N_, Vocabulary


class RecordKind(Vocabulary):
    """What a record is: a family's tracing request, or a party's disclosed record."""

    REQUESTS = "requests", N_("Tracing request")
    DISCLOSURES = "disclosures", N_("Disclosed record")


# A list of each kind, as a heading and inside a sentence.
LIST_KIND_LABELS = {
    RecordKind.REQUESTS.value: N_("Tracing requests"),
    RecordKind.DISCLOSURES.value: N_("Disclosed records"),
}
LIST_KIND_NAMES = {
    RecordKind.REQUESTS.value: N_("tracing requests"),
    RecordKind.DISCLOSURES.value: N_("disclosed records"),
}


class Sex(Vocabulary):
    """The sex a record gives (blank when it gives none)."""

    MALE = "M", N_("male")
    FEMALE = "F", N_("female")
    UNKNOWN = "", N_("unknown")


class VersionAction(Vocabulary):
    """What a list's row did to a record."""

    ADDED = "added", N_("added")
    CORRECTED = "corrected", N_("corrected")
    WITHDRAWN = "withdrawn", N_("withdrawn")
    RESTORED = "restored", N_("restored")
    UNCHANGED = "unchanged", N_("unchanged")


class RequestState(Vocabulary):
    """Where a filed request stands, as its filer sees it."""

    FILED = "filed", N_("filed")
    UNDER_REVIEW = "under_review", N_("candidates under review")
    CONFIRMED = "confirmed", N_("match confirmed")


class FoundBy(Vocabulary):
    """Why a search found a record, as each result says."""

    # The child's own names: surname, given name, patronymic, variants.
    CHILD_NAME = "child_name", N_("found by the child's name")
    # The party's own reference for the record.
    REFERENCE = "reference", N_("found by the party's reference")
    # The mother's or the father's name.
    PARENT_NAME = "parent_name", N_("found by a parent's name: {names}")


# Record fields as people read them, in the order a record page shows them.
FIELD_LABELS: dict[str, str] = {
    "external_id": N_("Party's reference"),
    "surname": N_("Surname"),
    "given_name": N_("Given name"),
    "patronymic": N_("Patronymic"),
    "name_variants": N_("Other spellings of the name"),
    "sex": N_("Sex"),
    "birth_date": N_("Date of birth"),
    "birth_place": N_("Place of birth"),
    "nationality": N_("Nationality"),
    "mother_name": N_("Mother's name"),
    "father_name": N_("Father's name"),
    "last_known_place": N_("Last known place"),
    "separation_date": N_("Date of separation"),
    "separation_circumstances": N_("Circumstances of separation"),
    "distinguishing_marks": N_("Distinguishing marks"),
    "current_location": N_("Current location"),
    "institution": N_("Institution or guardian"),
    "contact": N_("Person to inform"),
    "withheld": N_("Withheld (GC IV art. 137)"),
    "withdrawn": N_("Withdrawn"),
    "extra": N_("Other columns"),
    "photo": N_("Photos"),
}
