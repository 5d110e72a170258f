"""The vocabularies of accounts: roles and the languages of the pages."""

from __future__ import annotations

from reunite.vocabulary import N_, Vocabulary


class Role(Vocabulary):
    """What a person may do (DESIGN.md §1). The public has no account."""

    ADMIN = "admin", N_("mediator admin")
    CASEWORKER = "caseworker", N_("mediator caseworker")
    LIAISON = "liaison", N_("party liaison")
    FAMILY = "family", N_("family member")
    ADULT = "adult", N_("adult")
    AUDITOR = "auditor", N_("auditor")


class Language(Vocabulary):
    """The languages of the pages, each labelled in itself (never translated)."""

    EN = "en", "English"
    UK = "uk", "Українська"
    RU = "ru", "Русский"
