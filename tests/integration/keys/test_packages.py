"""Released packages and the release feed: only what was released, to whom, in force."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from reunite.errors import NotFound
from reunite.keys.service import mediator_private_key
from reunite.keys.signing import verify_package
from reunite.records.models import Record
from reunite.sharing.packages import export_package, named_recipient, release_feed
from reunite.sharing.service import release_record

from world import World, build_world


@pytest.fixture
def world(configured: str, session: Session, tmp_path: Path) -> World:
    return build_world(session, tmp_path)


def test_a_familys_package_holds_its_child_only_with_the_familys_fields(
    session: Session, world: World
) -> None:
    release_record(
        session,
        principal=world.principals["admin"],
        record_id=world.released,
        to_user_id=world.users["family"].id,
        purpose="the family asked for news of the child",
        override_reason="identity confirmed by both commissioners in person",
    )
    family = named_recipient(session, party=None, user="family")
    package = export_package(session, recipient=family)
    verified = verify_package(package.data, mediator_private_key().public_key())
    assert verified.manifest["recipient"] == "family" and package.records == 1
    fields = verified.records[0]["fields"]
    # A family gets who the child is and the region; never the party's own reference.
    assert fields["surname"] == "Лысенко" and "external_id" not in fields
    assert "institution" not in fields and "contact" not in fields
    feed = release_feed(session, principal=world.principals["family"], since=None)
    assert [item["fields"] for item in feed.items] == [fields]


def test_a_party_package_leaves_out_what_was_since_withheld(session: Session, world: World) -> None:
    ukraine = named_recipient(session, party="Ukraine", user=None)
    assert export_package(session, recipient=ukraine).records == 1
    record = session.get(Record, world.released)
    assert record is not None
    record.withheld = True  # GC IV art. 137: its party now says sending it would harm
    session.flush()
    assert export_package(session, recipient=ukraine).records == 0
    feed = release_feed(session, principal=world.principals["liaison_requesting"], since=None)
    assert feed.items[0]["revoked"] is True
    assert (
        export_package(
            session, recipient=named_recipient(session, party="Russian Federation", user=None)
        ).records
        == 0
    )
    for party, user in (("Neutral Mediator", None), (None, "caseworker"), ("Nobody", None)):
        with pytest.raises(NotFound):
            named_recipient(session, party=party, user=user)
