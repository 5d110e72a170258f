"""The records a case's steps rest on: verification and its sign-offs, best interests, the
panel's determination, an adult's own consent, contact with the family."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from reunite.auth.principal import Principal
from reunite.cases.access import get_visible_case, holds_party
from reunite.cases.enums import Answer, ConsentKind, EventKind, Evidence, Side, Track
from reunite.cases.models import (
    BestInterests,
    Case,
    Consent,
    Determination,
    Signoff,
    Verification,
)
from reunite.cases.service._common import add_event, audit_case, reason_of, staff_only, text_of
from reunite.cases.service._requirements import MIN_PANEL, latest_verification, signed_sides
from reunite.errors import Conflict, InvalidInput, NotFound
from reunite.vocabulary import N_, Message, say


def _answer(value: str, what: Message) -> Answer:
    if value not in Answer.values():
        raise InvalidInput(say(N_("{what}: answer yes or no"), what=what))
    return Answer(value)


def record_verification(
    session: Session,
    *,
    principal: Principal,
    case_id: int,
    evidence: dict[str, str],
    child_willing: str,
    family_willing: str,
    notes: str = "",
) -> Verification:
    """Record how identity and the family link were checked; it awaits the teams' signatures.

    A new verification replaces the one before (its signatures do not carry over).
    """
    staff_only(principal)
    case = get_visible_case(session, principal=principal, case_id=case_id, for_update=True)
    if case.disclosed_id is None:
        raise Conflict(say(N_("a case is verified once its child is located")))
    checked: dict[str, str] = {}
    for code, text in evidence.items():
        if code not in Evidence.values():
            raise InvalidInput(say(N_("unknown kind of evidence {value}"), value=repr(code)))
        if text.strip():
            checked[code] = text_of(text, what=Message(Evidence(code).label))
    if not checked:
        raise InvalidInput(say(N_("name at least one piece of evidence and what it showed")))
    verification = Verification(
        case_id=case.id,
        evidence=checked,
        child_willing=_answer(child_willing, Message(N_("the child's willingness"))),
        family_willing=_answer(family_willing, Message(N_("the family's willingness"))),
        notes=text_of(notes, what=Message(N_("notes")), required=False),
        recorded_by=principal.user_id,
    )
    session.add(verification)
    session.flush()
    add_event(
        session,
        case=case,
        kind=EventKind.VERIFICATION,
        actor=principal,
        details={
            "verification": verification.id,
            "evidence": sorted(checked),
            "child_willing": verification.child_willing,
            "family_willing": verification.family_willing,
        },
    )
    audit_case(session, principal, "case.verification", case, {"verification": verification.id})
    return verification


def side_of(session: Session, *, principal: Principal, case: Case) -> Side | None:
    """Return the team a person signs for on a case: the mediator's, or their party's."""
    if principal.is_staff:
        return Side.MEDIATOR
    if principal.role != "liaison":
        return None
    for side in (Side.REQUESTING, Side.CUSTODIAL):
        if holds_party(session, case=case, party_id=principal.party_id, side=side.value):
            return side
    return None


def sign_verification(session: Session, *, principal: Principal, case_id: int) -> Signoff:
    """Sign the case's verification for one's team (a caseworker; each party's liaison)."""
    case = get_visible_case(session, principal=principal, case_id=case_id, for_update=True)
    side = side_of(session, principal=principal, case=case)
    if side is None:
        raise NotFound("no such case")
    verification = latest_verification(session, case=case)
    if verification is None:
        raise Conflict(say(N_("there is no verification to sign yet")))
    if side.value in signed_sides(session, verification=verification):
        raise Conflict(say(N_("{side} signed this verification already"), side=side))
    signoff = Signoff(verification_id=verification.id, side=side, user_id=principal.user_id)
    session.add(signoff)
    session.flush()
    add_event(
        session,
        case=case,
        kind=EventKind.SIGNOFF,
        actor=principal,
        details={"verification": verification.id, "side": side.value},
    )
    audit_case(session, principal, "case.signoff", case, {"side": side.value})
    return signoff


def record_best_interests(
    session: Session,
    *,
    principal: Principal,
    case_id: int,
    child_views: str,
    care_arrangements: str,
    risks: str,
    red_flag: bool,
) -> BestInterests:
    """Record a minor's best-interests assessment: the child's views, care, risks."""
    staff_only(principal)
    case = get_visible_case(session, principal=principal, case_id=case_id, for_update=True)
    if case.track == Track.ADULT:
        raise Conflict(say(N_("an adult decides for themselves: record their consent instead")))
    assessment = BestInterests(
        case_id=case.id,
        child_views=text_of(child_views, what=Message(N_("the child's views"))),
        care_arrangements=text_of(care_arrangements, what=Message(N_("care arrangements"))),
        risks=text_of(risks, what=Message(N_("risks"))),
        red_flag=red_flag,
        recorded_by=principal.user_id,
    )
    session.add(assessment)
    session.flush()
    add_event(
        session,
        case=case,
        kind=EventKind.BEST_INTERESTS,
        actor=principal,
        details={"assessment": assessment.id, "red_flag": red_flag},
    )
    audit_case(session, principal, "case.best_interests", case, {"red_flag": red_flag})
    return assessment


def record_determination(
    session: Session,
    *,
    principal: Principal,
    case_id: int,
    panel: list[str],
    decision: str,
    return_in_best_interests: bool,
    decided_on: date,
) -> Determination:
    """Record a panel's formal determination (at least three named people)."""
    staff_only(principal)
    case = get_visible_case(session, principal=principal, case_id=case_id, for_update=True)
    names = list(dict.fromkeys(" ".join(name.split()) for name in panel if name.strip()))
    if len(names) < MIN_PANEL:
        raise InvalidInput(
            say(
                N_("a determination is made by a panel of at least {count} named people"),
                count=MIN_PANEL,
            )
        )
    if decided_on > date.today():
        raise InvalidInput(say(N_("the date of the determination is in the future")))
    determination = Determination(
        case_id=case.id,
        panel=names,
        decision=text_of(decision, what=Message(N_("the panel's decision"))),
        return_in_best_interests=return_in_best_interests,
        decided_on=decided_on,
        recorded_by=principal.user_id,
    )
    session.add(determination)
    session.flush()
    add_event(
        session,
        case=case,
        kind=EventKind.DETERMINATION,
        actor=principal,
        details={"panel": names, "return": return_in_best_interests},
    )
    audit_case(session, principal, "case.determination", case, {"panel": len(names)})
    return determination


def record_consent(
    session: Session,
    *,
    principal: Principal,
    case_id: int,
    kind: str,
    answer: str,
    note: str = "",
) -> Consent:
    """Record an adult's own answer to contact or return: only they give it, for themselves."""
    case = get_visible_case(session, principal=principal, case_id=case_id, for_update=True)
    if case.adult_user_id != principal.user_id or case.track != Track.ADULT:
        raise NotFound("no such case")
    if kind not in ConsentKind.values():
        raise InvalidInput(say(N_("unknown kind of consent {value}"), value=repr(kind)))
    consent = Consent(
        case_id=case.id,
        kind=kind,
        answer=_answer(answer, Message(ConsentKind(kind).label)),
        given_by=principal.user_id,
        note=text_of(note, what=Message(N_("note")), required=False),
    )
    session.add(consent)
    session.flush()
    add_event(
        session,
        case=case,
        kind=EventKind.CONSENT,
        actor=principal,
        details={"kind": kind, "answer": consent.answer},
    )
    audit_case(session, principal, "case.consent", case, {"kind": kind, "answer": consent.answer})
    return consent


def record_contact(session: Session, *, principal: Principal, case_id: int, how: str) -> None:
    """Record that the child and the family were in contact (a message, a call)."""
    staff_only(principal)
    case = get_visible_case(session, principal=principal, case_id=case_id, for_update=True)
    add_event(
        session,
        case=case,
        kind=EventKind.CONTACT,
        actor=principal,
        reason=reason_of(how),
    )
    audit_case(session, principal, "case.contact", case, {})
