"""Who is calling, as the rest of the system sees them."""

from __future__ import annotations

from dataclasses import dataclass

from reunite.errors import NotFound

# The mediator's own staff see every record; the others see what need to know allows.
MEDIATOR_STAFF = frozenset({"admin", "caseworker"})


@dataclass(frozen=True, slots=True)
class Principal:
    """A logged-in user (by session or API token): role, party and language."""

    user_id: int
    username: str
    role: str
    party_id: int | None = None
    # "mediator", "requesting" or "custodial": the role of the user's party in the exchange.
    party_role: str | None = None
    language: str = "en"
    # An administrator reset the password: the pages ask for a new one before anything else.
    must_change_password: bool = False

    @property
    def is_staff(self) -> bool:
        """Tell whether this is the mediator's admin or caseworker (who see all records)."""
        return self.role in MEDIATOR_STAFF

    @property
    def files_own_requests(self) -> bool:
        """Tell whether this user files and follows their own tracing requests only."""
        return self.role in ("family", "adult")


def require_staff(principal: Principal, *, unseen: str) -> None:
    """Let only the mediator's staff act; to anyone else the thing does not exist (404).

    `unseen` is the 404's message: what the caller would have been told had it not existed.
    """
    if not principal.is_staff:
        raise NotFound(unseen)
