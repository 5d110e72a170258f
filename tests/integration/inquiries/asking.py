"""Helpers of the information-request tests: the world, and the steps people take."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from reunite.auth.principal import Principal
from reunite.cases import service as cases
from reunite.exchange.service import import_list
from reunite.inquiries import service as inquiries
from reunite.inquiries.models import Inquiry
from reunite.records.models import Record

from factories import REQUEST_HEADER, write_csv
from world import World, build_world

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
TODAY = NOW.date()


@dataclass
class Asking:
    """The world, and the steps of an information request as people take them."""

    session: Session
    world: World
    folder: Path

    def who(self, name: str) -> Principal:
        """Return the principal of one of the world's users."""
        return self.world.principals[name]

    def case_id(self, request_id: uuid.UUID) -> int:
        """Return the case of a tracing request."""
        case = cases.case_of_request(self.session, request_id=request_id)
        assert case is not None
        return case.id

    def record(self, external_id: str) -> Record:
        """Return a record by its party's reference."""
        found = self.session.scalar(select(Record).where(Record.external_id == external_id))
        assert found is not None
        return found

    def ask(
        self,
        *,
        party: str = "custodial",
        items: list[inquiries.ItemDraft] | None = None,
        due_on: date | None = None,
        now: datetime = NOW,
        **extra: Any,
    ) -> Inquiry:
        """Have the caseworker ask a party (the custodial one unless said) about children."""
        target = self.world.custodial if party == "custodial" else self.world.requesting
        return inquiries.create_inquiry(
            self.session,
            principal=self.who("caseworker"),
            party_id=target.id,
            subject="Children evacuated from Mariupol",
            due_on=due_on or (now.date() + timedelta(days=14)),
            items=items
            or [inquiries.ItemDraft(case_id=self.case_id(self.world.request), question="Where?")],
            now=now,
            **extra,
        )

    def answer(
        self, inquiry: Inquiry, position: int, *, by: str = "liaison_custodial", **kwargs: Any
    ) -> None:
        """Have a liaison answer the child at a position of a request."""
        from reunite.inquiries.models import InquiryItem

        item = self.session.scalar(
            select(InquiryItem).where(
                InquiryItem.inquiry_id == inquiry.id, InquiryItem.position == position
            )
        )
        assert item is not None
        kwargs.setdefault("kind", "not_on_record")
        inquiries.answer_item(
            self.session, principal=self.who(by), inquiry_id=inquiry.id, item_id=item.id, **kwargs
        )


def make_asking(session: Session, folder: Path) -> Asking:
    """Build the world of tests/world.py and one more tracing request, with the family's contact."""
    world = build_world(session, folder)
    path = write_csv(
        folder,
        "more.csv",
        [*REQUEST_HEADER, "contact"],
        [["UA-7", "Мельник", "Софія", "Петрівна", "F", "2016-08", "Маріуполь", "", "",
          "Мельник Олена, +380 67 123 45 67"]],
    )  # fmt: skip
    import_list(session, path=path, party=world.requesting, kind="requests")
    return Asking(session, world, folder)
