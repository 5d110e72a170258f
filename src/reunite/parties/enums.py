"""The vocabulary of parties: who is who in the exchange."""

from __future__ import annotations

from reunite.vocabulary import N_, Vocabulary


class PartyRole(Vocabulary):
    """A party's place in the exchange."""

    MEDIATOR = "mediator", N_("mediator")
    REQUESTING = "requesting", N_("requesting party")
    CUSTODIAL = "custodial", N_("custodial party")
