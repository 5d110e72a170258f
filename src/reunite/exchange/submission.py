"""Lists submitted by people and party systems: whose party, who may, and the audit.

The command line imports for any party (it runs on the mediator's server). Through the
web and the API, a liaison submits its own party's lists only, and mediator staff name the
party; nobody else may submit, and to them the action does not exist (404).
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from reunite.audit.service import record_event, record_refusal
from reunite.auth.principal import Principal
from reunite.errors import FileRejected, InvalidInput, NotFound, ReuniteError
from reunite.exchange.models import LIST_KINDS, Batch
from reunite.exchange.readers import file_sha256
from reunite.exchange.schemas import ImportReport
from reunite.exchange.service import import_list
from reunite.parties.enums import PartyRole
from reunite.parties.models import Party
from reunite.parties.service import get_party_by_name
from reunite.records.enums import LIST_KIND_NAMES
from reunite.vocabulary import N_, say

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
            raise InvalidInput(
                say(
                    N_("a liaison submits the lists of its own party ({party}) only"),
                    party=own.name,
                )
            )
        return own
    if not principal.is_staff:
        raise NotFound("no such page")
    if not party_name:
        raise InvalidInput("say which party sent the list (field `party`)")
    party = get_party_by_name(session, name=party_name)
    if party.role not in KIND_OF_PARTY:
        raise InvalidInput(
            say(N_("{party} is the mediator; lists come from the two parties"), party=party.name)
        )
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
    command line. A refused list is audited too (who, the file's hash, why), even though the
    caller rolls its transaction back.

    Validation and idempotency are import_list's, exactly as on the command line. When this
    raises (FileRejected for a list with errors), the caller must roll back.
    """
    party: Party | None = None
    try:
        if kind not in LIST_KINDS:
            raise InvalidInput(
                say(N_("unknown list kind {kind}; use requests or disclosures"), kind=repr(kind))
            )
        party = submitting_party(session, principal=principal, party_name=party_name)
        if KIND_OF_PARTY[party.role] != kind:
            raise InvalidInput(
                say(
                    N_("{party} is the {role}: it sends {kind}"),
                    party=party.name,
                    role=PartyRole(party.role),
                    kind=say(LIST_KIND_NAMES[KIND_OF_PARTY[party.role]]),
                )
            )
        report = import_list(
            session,
            path=path,
            party=party,
            kind=kind,
            accept_valid=accept_valid,
            added_by=principal.user_id,
        )
    except (InvalidInput, NotFound) as exc:
        _audit_refusal(
            session, principal, path=path, kind=kind, party=party, exc=exc, address=address
        )
        raise
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
            "attachments": report.attachments,
        },
        address=address,
    )
    return report


def _audit_refusal(
    session: Session,
    principal: Principal,
    *,
    path: Path,
    kind: str,
    party: Party | None,
    exc: ReuniteError,
    address: str,
) -> None:
    problems = exc.problems if isinstance(exc, FileRejected) else []
    record_refusal(
        session,
        actor=principal,
        action="list.refused",
        subject_type="file",
        subject_id=file_sha256(path) if path.is_file() else "",
        details={
            "party": party.name if party is not None else None,
            "kind": kind,
            "filename": path.name,
            "why": exc.detail,
            "problems": len(problems),
            "first_problems": problems[:5],
        },
        address=address,
    )


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


def count_batches(session: Session, *, party_id: int | None = None) -> int:
    """Return how many lists were received (from one party, when given)."""
    statement = select(func.count()).select_from(Batch)
    if party_id is not None:
        statement = statement.where(Batch.party_id == party_id)
    return session.scalar(statement) or 0
