"""Lists submitted by people and party systems: whose party, who may, and the audit.

The command line imports for any party (it runs on the mediator's server). Through the
web and the API, a liaison submits its own party's lists only, and mediator staff name the
party; nobody else may submit, and to them the action does not exist (404).
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from reunite.audit.service import record_event
from reunite.auth.principal import Principal
from reunite.errors import InvalidInput, NotFound
from reunite.exchange.models import LIST_KINDS, Batch
from reunite.exchange.schemas import ImportReport
from reunite.exchange.service import import_list
from reunite.parties.models import Party
from reunite.parties.service import get_party_by_name

# Which list each party sends: families' tracing requests, or the children it holds.
KIND_OF_PARTY = {"requesting": "requests", "custodial": "disclosures"}


def submitting_party(session: Session, *, principal: Principal, party_name: str = "") -> Party:
    """Return the party a caller submits a list for: a liaison's own, or the one staff name."""
    party_name = party_name.strip()
    if principal.role == "liaison" and principal.party_id is not None:
        own = session.get(Party, principal.party_id)
        if own is None:
            raise NotFound("no such page")
        if party_name and " ".join(party_name.split()) != own.name:
            raise InvalidInput(f"a liaison submits the lists of its own party ({own.name}) only")
        return own
    if not principal.is_staff:
        raise NotFound("no such page")
    if not party_name:
        raise InvalidInput("say which party sent the list (field `party`)")
    party = get_party_by_name(session, name=party_name)
    if party.role not in KIND_OF_PARTY:
        raise InvalidInput(f"{party.name} is the mediator; lists come from the two parties")
    return party


def submit_list(
    session: Session,
    *,
    principal: Principal,
    path: Path,
    kind: str,
    party_name: str = "",
    address: str = "",
    accept_valid: bool = False,
) -> ImportReport:
    """Import a list for the caller's party (or the party staff name), all or nothing; audit it.

    With `accept_valid`, the valid rows are stored and the others reported, as on the
    command line.

    Validation and idempotency are import_list's, exactly as on the command line. When this
    raises (FileRejected for a list with errors), the caller must roll back.
    """
    if kind not in LIST_KINDS:
        raise InvalidInput(f"unknown list kind {kind!r}; use requests or disclosures")
    party = submitting_party(session, principal=principal, party_name=party_name)
    if KIND_OF_PARTY[party.role] != kind:
        raise InvalidInput(
            f"{party.name} is the {party.role} party: it sends {KIND_OF_PARTY[party.role]}"
        )
    report = import_list(session, path=path, party=party, kind=kind, accept_valid=accept_valid)
    record_event(
        session,
        actor=principal,
        action="list.import",
        subject_type="batch",
        subject_id=str(report.batch_id or ""),
        details={
            "party": party.name,
            "kind": kind,
            "filename": report.filename,
            "already_imported": report.already_imported,
            "rows_read": report.rows_read,
            "added": report.added,
            "corrected": report.corrected,
            "withdrawn": report.withdrawn,
            "rejected": report.rejected,
            "duplicates": report.duplicates,
        },
        address=address,
    )
    return report


def visible_batches(
    session: Session, *, principal: Principal, limit: int = 100, offset: int = 0
) -> list[Batch]:
    """Return the batches a caller may see, newest first: a liaison's party's, or all (staff)."""
    statement = select(Batch).order_by(Batch.id.desc()).limit(limit).offset(offset)
    if principal.role == "liaison" and principal.party_id is not None:
        statement = statement.where(Batch.party_id == principal.party_id)
    elif not principal.is_staff:
        raise NotFound("no such page")
    return list(session.scalars(statement))
