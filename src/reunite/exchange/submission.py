"""Lists submitted by people and party systems: whose party, who may, and the audit.

The command line imports for any party (it runs on the mediator's server). Through the
web and the API, a liaison submits its own party's lists only, and mediator staff name the
party; nobody else may submit, and to them the action does not exist (404).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from reunite.audit.service import record_event, record_refusal
from reunite.auth.principal import Principal
from reunite.errors import Conflict, InvalidInput, NotFound, ReuniteError
from reunite.exchange.background import accept_list, in_background
from reunite.exchange.bundles import is_bundle
from reunite.exchange.models import LIST_KINDS, Batch, ListSubmission
from reunite.exchange.readers import file_sha256
from reunite.exchange.schemas import ImportReport
from reunite.exchange.service import import_details, import_list, refusal_details
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
    signature: bytes | None = None,
    idempotency_key: str = "",
) -> ImportReport:
    """Import a list for the caller's party (or the party staff name), all or nothing; audit it.

    With `accept_valid`, the valid rows are stored and the others reported, as on the
    command line. A refused list is audited too (who, the file's hash, why), even though the
    caller rolls its transaction back.

    Validation and idempotency are import_list's, exactly as on the command line. When this
    raises (FileRejected for a list with errors), the caller must roll back.

    `signature` is the list's detached signature; `idempotency_key` (the API's header) makes
    a retry answer with the batch the first attempt made, and refuses the same key sent
    with another body.
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
        body = _body_sha256(path, kind=kind, party=party, signature=signature)
        caller = _caller_key(principal)
        earlier = _earlier_submission(session, caller=caller, key=idempotency_key, body=body)
        if earlier is not None:
            return earlier
        if path.is_file() and not is_bundle(path) and in_background(path):
            report = accept_list(
                session,
                user_id=principal.user_id,
                username=principal.username,
                path=path,
                sha256=file_sha256(path),
                party=party,
                kind=kind,
                accept_valid=accept_valid,
                signature=signature,
                address=address,
            )
        else:
            report = import_list(
                session,
                path=path,
                party=party,
                kind=kind,
                accept_valid=accept_valid,
                added_by=principal.user_id,
                signature=signature,
            )
        if idempotency_key and report.batch_id is not None:
            _remember_key(session, caller=caller, key=idempotency_key, body=body, report=report)
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
        details=import_details(party, report),
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
    record_refusal(
        session,
        actor=principal,
        action="list.refused",
        subject_type="file",
        subject_id=file_sha256(path) if path.is_file() else "",
        details=refusal_details(party=party, kind=kind, filename=path.name, exc=exc),
        address=address,
    )


MAX_IDEMPOTENCY_KEY = 200


def _caller_key(principal: Principal) -> str:
    # A party's liaisons (and its system) share the party's keys: a retry may come from
    # another of its tokens. Staff keys are their own.
    if principal.role == "liaison" and principal.party_id is not None:
        return f"party:{principal.party_id}"
    return f"user:{principal.user_id}"


def _body_sha256(path: Path, *, kind: str, party: Party, signature: bytes | None) -> str:
    digest = hashlib.sha256()
    for part in (
        kind.encode(),
        str(party.id).encode(),
        (file_sha256(path) if path.is_file() else "").encode(),
        hashlib.sha256(signature).hexdigest().encode() if signature is not None else b"-",
    ):
        digest.update(part + b"\n")
    return digest.hexdigest()


def _remember_key(
    session: Session, *, caller: str, key: str, body: str, report: ImportReport
) -> None:
    """Keep which batch a key made; a twin request that got there first wins."""
    assert report.batch_id is not None
    try:
        with session.begin_nested():
            session.add(
                ListSubmission(
                    caller=caller, idempotency_key=key, body_sha256=body, batch_id=report.batch_id
                )
            )
    except IntegrityError:
        # The same key arrived twice at once and the other request stored first: this one
        # must store nothing (the caller rolls back) and the client retries to read its batch.
        raise Conflict(
            N_("a submission with this Idempotency-Key is being stored; retry in a moment"),
            code="idempotency_key_in_flight",
        ) from None


def _earlier_submission(
    session: Session, *, caller: str, key: str, body: str
) -> ImportReport | None:
    """Return the report of the submission this key already made, or None for a new key."""
    if not key:
        return None
    if len(key) > MAX_IDEMPOTENCY_KEY or not key.isprintable():
        raise InvalidInput(
            say(N_("an Idempotency-Key is 1 to {limit} printable characters"),
                limit=MAX_IDEMPOTENCY_KEY),
            code="idempotency_key_invalid",
        )  # fmt: skip
    earlier = session.scalar(
        select(ListSubmission).where(
            ListSubmission.caller == caller, ListSubmission.idempotency_key == key
        )
    )
    if earlier is None:
        return None
    if earlier.body_sha256 != body:
        raise InvalidInput(
            N_(
                "this Idempotency-Key was used for another submission; a retry sends the "
                "same list, a new list needs a new key"
            ),
            code="idempotency_key_reused",
        )
    batch = session.get(Batch, earlier.batch_id)
    report = ImportReport(
        filename=batch.filename if batch else "", kind=batch.kind if batch else ""
    )
    report.batch_id = earlier.batch_id
    report.already_imported = True
    report.status = batch.status if batch else report.status
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


def count_batches(session: Session, *, party_id: int | None = None) -> int:
    """Return how many lists were received (from one party, when given)."""
    statement = select(func.count()).select_from(Batch)
    if party_id is not None:
        statement = statement.where(Batch.party_id == party_id)
    return session.scalar(statement) or 0
