"""An adult answers for themselves: consent to contact or return, and what a "no" withdraws.

Consent is the adult's own (cases.service.record_consent refuses anyone else). Saying no to
contact with the family ends what was shared about them on the strength of a yes: every
release of their case's records in force is revoked, with their answer as the reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from reunite.auth.principal import Principal
from reunite.cases.enums import Answer, ConsentKind
from reunite.cases.models import Case, Consent
from reunite.cases.service import record_consent, records_of_case
from reunite.sharing.models import Release
from reunite.sharing.service import withdraw_for_refused_consent


@dataclass(frozen=True)
class Answered:
    """An adult's answer, and the releases it withdrew."""

    consent: Consent
    withdrawn: list[Release]


def answer_for_oneself(
    session: Session,
    *,
    principal: Principal,
    case_id: int,
    kind: str,
    answer: str,
    note: str = "",
) -> Answered:
    """Record an adult's own answer; a no to contact withdraws the releases about them."""
    consent = record_consent(
        session, principal=principal, case_id=case_id, kind=kind, answer=answer, note=note
    )
    withdrawn: list[Release] = []
    if consent.kind == ConsentKind.CONTACT and consent.answer == Answer.NO:
        case = session.get(Case, consent.case_id)
        assert case is not None
        withdrawn = withdraw_for_refused_consent(
            session,
            principal=principal,
            record_ids=records_of_case(case),
            reason="the person, now an adult, refused contact with their family",
        )
    return Answered(consent, withdrawn)
