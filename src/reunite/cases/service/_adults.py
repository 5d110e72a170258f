"""What the adult track means for sharing: nothing about an adult leaves without their consent.

Someone who turned 18 since they were separated decides for themselves (DOMAIN.md): their
records go to neither party, nor to a family member, unless they consented, on their own
account, to contact with their family. A later "no" withdraws what was released.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from reunite.cases.age import is_adult
from reunite.cases.enums import Answer, ConsentKind, Track
from reunite.cases.models import Case
from reunite.cases.service._requirements import latest_consent
from reunite.records.models import Record
from reunite.vocabulary import N_, Message, say


def cases_about(session: Session, *, record_id: uuid.UUID) -> list[Case]:
    """Return the cases a record is about: as their request, or as the child located."""
    return list(
        session.scalars(
            select(Case).where(or_(Case.request_id == record_id, Case.disclosed_id == record_id))
        )
    )


def consents_to_contact(session: Session, *, case: Case) -> bool:
    """Tell whether the adult of a case said yes to contact with the family (latest answer)."""
    consent = latest_consent(session, case=case, kind=ConsentKind.CONTACT)
    return consent is not None and consent.answer == Answer.YES


def release_refused_for_adult(
    session: Session, *, record: Record, today: date | None = None
) -> Message | None:
    """Return why a record may not be released for the adult it is about (None: it may)."""
    today = today or date.today()
    about = cases_about(session, record_id=record.id)
    adult_cases = [case for case in about if case.track == Track.ADULT]
    if adult_cases:
        if all(consents_to_contact(session, case=case) for case in adult_cases):
            return None
        return say(
            N_(
                "case {case} is on the adult track: the person's records are released only "
                "once they consented, on their own account, to contact with their family"
            ),
            case=adult_cases[0].number,
        )
    if not about and is_adult(record.birth_date, today):
        return say(
            N_(
                "this person is 18 or older: their record is released only with their own "
                "consent, given on their case"
            )
        )
    return None


def records_of_case(case: Case) -> list[uuid.UUID]:
    """Return the records a case is about: its request and, once located, the child's record."""
    return [r for r in (case.request_id, case.disclosed_id) if r is not None]
