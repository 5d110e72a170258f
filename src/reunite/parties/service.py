"""Registering and finding the parties to the exchange."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from reunite.errors import Conflict, InvalidInput, NotFound
from reunite.parties.enums import PartyRole
from reunite.parties.models import Party


def add_party(
    session: Session, *, name: str, role: str, local_names: dict[str, str] | None = None
) -> Party:
    """Register a party under a unique name with its role, and its names in other languages."""
    name = " ".join(name.split())
    if not name:
        raise InvalidInput("a party needs a name")
    if role not in PartyRole.values():
        raise InvalidInput(f"unknown role {role!r}; use one of: {', '.join(PartyRole)}")
    if session.scalar(select(Party).where(Party.name == name)) is not None:
        raise Conflict(f"a party named {name!r} already exists")
    names = {language: " ".join(text.split()) for language, text in (local_names or {}).items()}
    for language, text in names.items():
        if language not in ("uk", "ru"):
            raise InvalidInput(f"a party's name is given in uk or ru, not {language!r}")
        if not text or len(text) > 200:
            raise InvalidInput("a party's name in another language is 1 to 200 characters")
    party = Party(name=name, role=role, local_names=names)
    session.add(party)
    session.flush()
    return party


def list_parties(session: Session) -> list[Party]:
    """Return every party, ordered by name."""
    return list(session.scalars(select(Party).order_by(Party.name)))


def get_party_by_name(session: Session, *, name: str) -> Party:
    """Find a party by its exact name, or say which names exist."""
    party = session.scalar(select(Party).where(Party.name == " ".join(name.split())))
    if party is None:
        known = ", ".join(p.name for p in list_parties(session)) or "none yet"
        raise NotFound(f"no party named {name!r} (known parties: {known})")
    return party


def count_parties(session: Session) -> int:
    """Return how many parties are registered."""
    return session.scalar(select(func.count()).select_from(Party)) or 0
