"""API: who the caller is."""

from __future__ import annotations

from fastapi import APIRouter

from reunite.auth.models import User
from reunite.auth.schemas import ErrorRead, MeRead
from reunite.errors import Unauthorized
from reunite.parties.models import Party
from reunite.web.deps import ApiPrincipal, DbSession

router = APIRouter(tags=["account"], responses={401: {"model": ErrorRead}})


@router.get("/me", response_model=MeRead)
def read_me(principal: ApiPrincipal, session: DbSession) -> MeRead:
    """Return the owner of the API token: username, role and party."""
    user = session.get(User, principal.user_id)
    if user is None:  # deleted between the token check and here
        raise Unauthorized("send a valid API token: Authorization: Bearer TOKEN")
    party = session.get(Party, user.party_id) if user.party_id is not None else None
    return MeRead.model_validate(
        {
            "user_id": user.id,
            "username": user.username,
            "display_name": user.display_name,
            "role": user.role,
            "party": party.name if party is not None else None,
            "party_role": party.role if party is not None else None,
            "language": user.language,
        }
    )
