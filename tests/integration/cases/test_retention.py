"""Retention: a finished case kept too long loses its personal data, keeps its events and counts."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from integration.cases.conftest import Ways
from reunite.audit.models import AuditEntry
from reunite.audit.service import write_pending
from reunite.cases import service as cases
from reunite.cases.models import CaseEvent
from reunite.channel import service as channel
from reunite.channel.models import ChannelMessage, MessagePhoto
from reunite.channel.service._messages import NewMessage
from reunite.flows.retention import erase_expired
from reunite.records.models import Record, RecordVersion
from reunite.settings import get_settings

from hostile import jpeg_with_secrets


@pytest.fixture(autouse=True)
def _two_years(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REUNITE_RETENTION_DAYS", "730")
    get_settings.cache_clear()


def _finished_case(ways: Ways) -> int:
    case = ways.verify(ways.locate())
    channel.write_message(
        ways.session, principal=ways.who("family"), case_id=case.id,
        form=NewMessage(text="Оленько, мама чекає", sender_name="Мама", recipient_name="Оля",
                        photo=jpeg_with_secrets()),
    )  # fmt: skip
    cases.transition(
        ways.session, principal=ways.who("caseworker"), case_id=case.id, to="declined",
        reason="Лисенко Ольга withdrew the request",
    )  # fmt: skip
    return case.id


def test_a_case_ended_long_ago_loses_its_personal_data_and_keeps_its_history(
    ways: Ways,
) -> None:
    case_id = _finished_case(ways)
    case = ways.case_of(ways.world.request)
    events_before = ways.session.scalar(
        select(func.count()).select_from(CaseEvent).where(CaseEvent.case_id == case_id)
    )
    # Not yet: ended today.
    assert erase_expired(ways.session).cases == 0
    case.status_since -= timedelta(days=731)
    erased = erase_expired(ways.session)
    assert erased.cases == 1 and erased.records == 2 and erased.messages == 1
    request = ways.session.get(Record, ways.world.request)
    assert request is not None
    assert (request.surname, request.given_name, request.contact) == ("", "", "")
    assert len(request.birth_date) <= 7 and request.sex  # the month, and the sex, stay
    assert "Лисенко" not in request.search_key
    for version in ways.session.scalars(
        select(RecordVersion).where(RecordVersion.record_id == ways.world.request)
    ):
        assert version.original == {"erased": True} and version.changes == {"erased": True}
    message = ways.session.scalar(select(ChannelMessage).where(ChannelMessage.case_id == case_id))
    assert message is not None and message.text == "" and message.sender_name == ""
    assert ways.session.scalar(select(func.count()).select_from(MessagePhoto)) == 0
    # The events stay, without their free text.
    events = list(ways.session.scalars(select(CaseEvent).where(CaseEvent.case_id == case_id)))
    assert len(events) == events_before
    assert all("Лисенко" not in event.reason for event in events)
    assert [e.to_status for e in events if e.to_status][-1] == "declined"
    assert case.erased_at is not None
    # Once erased, never again; and the log holds counts, not data.
    assert erase_expired(ways.session).cases == 0
    write_pending(ways.session)
    (entry,) = ways.session.scalars(select(AuditEntry).where(AuditEntry.action == "case.erased"))
    details = json.loads(entry.details)
    assert details["cases"] == 1 and details["records"] == 2
    assert "Лисенко" not in entry.details and "Оленько" not in entry.details


def test_an_open_case_is_never_erased_however_old(ways: Ways) -> None:
    case = ways.verify(ways.locate())
    case.status_since -= timedelta(days=2000)
    assert erase_expired(ways.session).cases == 0
    request = ways.session.get(Record, ways.world.request)
    assert request is not None and request.surname


def test_a_retention_of_zero_keeps_everything(ways: Ways, monkeypatch: pytest.MonkeyPatch) -> None:
    _finished_case(ways)
    ways.case_of(ways.world.request).status_since -= timedelta(days=5000)
    monkeypatch.setenv("REUNITE_RETENTION_DAYS", "0")
    get_settings.cache_clear()
    assert erase_expired(ways.session).cases == 0
