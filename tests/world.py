"""A small world for access tests: three parties, a user per role, records on both sides."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from reunite.auth.models import User
from reunite.auth.principal import Principal
from reunite.auth.service import (
    create_user,
    enrol_second_factor,
    needs_second_factor,
    principal_of,
)
from reunite.exchange.service import import_list
from reunite.parties.models import Party
from reunite.parties.service import add_party
from reunite.records.models import Record

from factories import REQUEST_HEADER, write_csv

PASSWORD = "correct horse battery"
ROLES_OF_WORLD = (
    "admin",
    "caseworker",
    "liaison_requesting",
    "liaison_custodial",
    "family",
    "adult",
    "auditor",
)

# Who may see each of the world's four records (`World.records`): the need-to-know rule
# that services, pages and the API must all give.
VISIBLE = {
    # role: (request, disclosure never released, disclosure released, disclosure withheld)
    "admin": (True, True, True, True),
    "caseworker": (True, True, True, True),
    "liaison_requesting": (True, False, True, False),
    "liaison_custodial": (False, True, True, True),
    "family": (True, False, False, False),
    "adult": (False, False, False, False),
    "auditor": (False, False, False, False),
}


@dataclass
class World:
    """Parties, one user per role, and records: a request, disclosures released or not."""

    mediator: Party
    requesting: Party
    custodial: Party
    users: dict[str, User] = field(default_factory=dict)
    # The TOTP secret of each of the mediator's staff (they log in with a code too).
    totp: dict[str, str] = field(default_factory=dict)
    principals: dict[str, Principal] = field(default_factory=dict)
    request: uuid.UUID = uuid.UUID(int=0)  # requesting party's record
    disclosure: uuid.UUID = uuid.UUID(int=0)  # custodial party's record, never released
    released: uuid.UUID = uuid.UUID(int=0)  # custodial party's record released to requesting
    withheld: uuid.UUID = uuid.UUID(int=0)  # custodial party's record flagged withheld

    @property
    def records(self) -> tuple[uuid.UUID, uuid.UUID, uuid.UUID, uuid.UUID]:
        """The four records, in the order of `VISIBLE`."""
        return (self.request, self.disclosure, self.released, self.withheld)


def _record_id(session: Session, party: Party, external_id: str) -> uuid.UUID:
    found = session.scalar(
        select(Record.id).where(Record.party_id == party.id, Record.external_id == external_id)
    )
    assert found is not None
    return found


def build_world(session: Session, folder: Path) -> World:
    """Create the world in the session (flushed, not committed)."""
    world = World(
        mediator=add_party(
            session,
            name="Neutral Mediator",
            role="mediator",
            local_names={"uk": "Нейтральний посередник", "ru": "Нейтральный посредник"},
        ),
        requesting=add_party(
            session,
            name="Ukraine",
            role="requesting",
            local_names={"uk": "Україна", "ru": "Украина"},
        ),
        custodial=add_party(
            session,
            name="Russian Federation",
            role="custodial",
            local_names={"uk": "Російська Федерація", "ru": "Российская Федерация"},
        ),
    )
    parties = {
        "liaison_requesting": "Ukraine",
        "liaison_custodial": "Russian Federation",
        "family": "Ukraine",
    }
    for name in ROLES_OF_WORLD:
        role = name.split("_")[0]
        user = create_user(
            session, username=name, password=PASSWORD, role=role, party_name=parties.get(name)
        )
        world.users[name] = user
        if needs_second_factor(user):
            world.totp[name], _user = enrol_second_factor(session, username=name)
        world.principals[name] = principal_of(session, user)
    requests = write_csv(
        folder,
        "requests.csv",
        REQUEST_HEADER,
        [["UA-1", "Лисенко", "Олександр", "Миколайович", "M", "2014-03-12", "Маріуполь", "", ""]],
    )
    import_list(session, path=requests, party=world.requesting, kind="requests")
    disclosures = write_csv(
        folder,
        "disclosures.csv",
        [*REQUEST_HEADER, "withheld"],
        [
            [
                "RU-1",
                "Лысенко",
                "Александр",
                "Николаевич",
                "M",
                "2014-03-12",
                "Мариуполь",
                "",
                "",
                "",
            ],
            [
                "RU-2",
                "Смирнов",
                "Дмитрий",
                "Николаевич",
                "M",
                "2011-05-01",
                "Мариуполь",
                "",
                "",
                "",
            ],
            ["RU-3", "Коваль", "Анна", "Ивановна", "F", "2015-01-02", "Донецк", "", "", "да"],
        ],
    )
    import_list(session, path=disclosures, party=world.custodial, kind="disclosures")
    world.request = _record_id(session, world.requesting, "UA-1")
    world.disclosure = _record_id(session, world.custodial, "RU-2")
    world.released = _record_id(session, world.custodial, "RU-1")
    world.withheld = _record_id(session, world.custodial, "RU-3")
    from reunite.sharing.service import release_record

    release_record(
        session,
        principal=world.principals["caseworker"],
        record_id=world.released,
        to_party_id=world.requesting.id,
        purpose="verify the identity of the child sought in request UA-1",
        case_ref="UA-1",
    )
    family_request = session.get(Record, world.request)
    assert family_request is not None
    # The family member filed the request (as if through the form).
    family_request.filed_by_user_id = world.users["family"].id
    session.flush()
    return world


def confirm_pair(
    session: Session, world: World, *, request: uuid.UUID, disclosed: uuid.UUID
) -> int:
    """Have the caseworker confirm that a request and a disclosed record are the same child."""
    from reunite.review.models import MatchCandidate
    from reunite.review.service import decide

    candidate = session.scalar(
        select(MatchCandidate).where(
            MatchCandidate.request_id == request, MatchCandidate.disclosed_id == disclosed
        )
    )
    if candidate is None:
        candidate = MatchCandidate(
            request_id=request,
            disclosed_id=disclosed,
            probability=0.97,
            engine_decision="match",
            rival="relative",
            explanation=[],
            status="proposed",
        )
        session.add(candidate)
        session.flush()
    decide(
        session,
        principal=world.principals["caseworker"],
        candidate_id=candidate.id,
        decision="confirmed",
        reason="photo, birth date and parents agree",
    )
    return candidate.id
