"""API: the records released to the caller since a cursor, and acknowledging them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from reunite.auth.schemas import ErrorRead
from reunite.sharing.packages import acknowledge, release_feed
from reunite.sharing.schemas import AckCreate, AckRead, ReleaseFeedRead
from reunite.web.deps import ApiPrincipal, DbSession, client_address

router = APIRouter(tags=["releases"], responses={401: {"model": ErrorRead}})


@router.get(
    "/releases",
    response_model=ReleaseFeedRead,
    responses={404: {"model": ErrorRead}, 422: {"model": ErrorRead}},
)
def releases_route(
    principal: ApiPrincipal,
    session: DbSession,
    request: Request,
    since: Annotated[
        str | None,
        Query(
            max_length=40,
            description="The cursor of your last call; default: the last one you acknowledged.",
            examples=["2026-12-06T10:21:00.000000Z"],
        ),
    ] = None,
) -> ReleaseFeedRead:
    """Records released to the caller (a party's system, a family) changed since a cursor.

    Only the fields each release carries; a release withdrawn since comes as `revoked`.
    Example: `curl -H "Authorization: Bearer $TOKEN" "$URL/api/v1/releases?since=$CURSOR"`.
    """
    feed = release_feed(session, principal=principal, since=since, address=client_address(request))
    return ReleaseFeedRead(
        items=feed.items, cursor=feed.cursor, acknowledged=feed.acknowledged, more=feed.more
    )


@router.post(
    "/releases/ack",
    response_model=AckRead,
    responses={404: {"model": ErrorRead}, 422: {"model": ErrorRead}},
)
def acknowledge_route(
    principal: ApiPrincipal, session: DbSession, request: Request, body: AckCreate
) -> AckRead:
    """Acknowledge that everything up to a cursor was received and stored (audited).

    Example: `curl -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json"
    -d '{"cursor": "2026-12-06T10:21:00.000000Z"}' $URL/api/v1/releases/ack`.
    """
    cursor = acknowledge(
        session, principal=principal, cursor=body.cursor, address=client_address(request)
    )
    return AckRead(acknowledged=cursor)
