"""Need to know, for cases: who may see which case. Every read of cases goes through here.

- The mediator's admin and caseworkers see every case.
- A liaison of the requesting party sees the cases opened with its party's requests; a
  liaison of the custodial party sees a case once its child was located in its party's
  records (the party must sign the verification, and hands the child over).
- A family member sees the cases of the requests they filed; an adult, the case that is
  theirs (their own account was linked to it) and the cases of requests they filed.
- An auditor sees no case.

A case a caller may not see does not exist for them: 404, never 403.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, exists, false, or_, select, true
from sqlalchemy.orm import Session, aliased

from reunite.auth.principal import Principal
from reunite.cases.models import Case, CaseRequest
from reunite.errors import NotFound
from reunite.records.models import Record

CASE_READERS = ("admin", "caseworker", "liaison", "family", "adult")
_Request = aliased(Record, name="case_request_record")
_Disclosed = aliased(Record, name="case_disclosed_record")


def _filed_by(user_id: int) -> ColumnElement[bool]:
    return exists(
        select(CaseRequest.request_id)
        .join(_Request, _Request.id == CaseRequest.request_id)
        .where(CaseRequest.case_id == Case.id, _Request.filed_by_user_id == user_id)
    )


def visible_cases(principal: Principal) -> ColumnElement[bool]:
    """Return the SQL condition on Case that selects what this caller may see."""
    if principal.is_staff:
        return true()
    if principal.role == "liaison" and principal.party_id is not None:
        requested = exists(
            select(_Request.id).where(
                _Request.id == Case.request_id, _Request.party_id == principal.party_id
            )
        )
        holding = exists(
            select(_Disclosed.id).where(
                _Disclosed.id == Case.disclosed_id, _Disclosed.party_id == principal.party_id
            )
        )
        return or_(requested, holding)
    if principal.role == "family":
        return _filed_by(principal.user_id)
    if principal.role == "adult":
        return or_(Case.adult_user_id == principal.user_id, _filed_by(principal.user_id))
    return false()


def get_visible_case(
    session: Session, *, principal: Principal, case_id: int, for_update: bool = False
) -> Case:
    """Return a case the caller may see; anything else is "not found"."""
    if principal.role not in CASE_READERS:
        raise NotFound("no such case")
    statement = select(Case).where(Case.id == case_id, visible_cases(principal))
    if for_update:
        statement = statement.with_for_update()
    case = session.scalar(statement)
    if case is None:
        raise NotFound("no such case")
    return case


def holds_party(session: Session, *, case: Case, party_id: int | None, side: str) -> bool:
    """Tell whether a party is the requesting or custodial side of a case."""
    if party_id is None:
        return False
    record_id = case.request_id if side == "requesting" else case.disclosed_id
    if record_id is None:
        return False
    owner = session.scalar(select(Record.party_id).where(Record.id == record_id))
    return owner == party_id


def sees_whole_case(principal: Principal) -> bool:
    """Tell whether the caller sees a case's whole timeline (the mediator's staff)."""
    return principal.is_staff
