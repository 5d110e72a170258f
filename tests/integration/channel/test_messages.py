"""Family news messages: the channel's opening, the form's rules, moderation, delivery, reading."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from PIL import Image
from sqlalchemy import func, select

from integration.cases.conftest import Ways
from reunite.audit.models import AuditEntry
from reunite.audit.service import write_pending
from reunite.cases import service as cases
from reunite.cases.models import Case
from reunite.channel import service as channel
from reunite.channel.models import ChannelMessage
from reunite.channel.service._messages import (
    ChannelClosed,
    NewMessage,
    TooManyMessages,
    TooManyWords,
)
from reunite.errors import Conflict, NotFound
from reunite.notifications import service as notifications
from reunite.pictures import PictureRefused

from hostile import jpeg_with_secrets

LOVE = "Сонечко, ми тебе дуже любимо і чекаємо вдома. Бабуся передає привіт!"


def _form(text: str = LOVE, photo: bytes | None = None) -> NewMessage:
    return NewMessage(text=text, sender_name="Мама", recipient_name="Оля", photo=photo)


def _write(ways: Ways, who: str, case: Case, text: str = LOVE, **options: object) -> ChannelMessage:
    return channel.write_message(
        ways.session,
        principal=ways.who(who),
        case_id=case.id,
        form=_form(text),
        **options,  # type: ignore[arg-type]
    )


def _count(ways: Ways) -> int:
    return ways.session.scalar(select(func.count()).select_from(ChannelMessage)) or 0


def test_the_channel_opens_only_once_the_case_is_verified(ways: Ways) -> None:
    case = ways.locate()
    with pytest.raises(ChannelClosed, match="verified") as refused:
        _write(ways, "family", case)
    assert refused.value.code == "channel_closed" and refused.value.status == 409
    assert _count(ways) == 0
    ways.verify(case)
    message = _write(ways, "family", case)
    assert message.state == "submitted" and message.direction == "to_child"
    assert message.submitted_at is not None


def test_a_closed_case_has_a_closed_channel(ways: Ways) -> None:
    case = ways.verify(ways.locate())
    cases.transition(
        ways.session, principal=ways.who("caseworker"), case_id=case.id, to="declined",
        reason="the family withdrew the request",
    )  # fmt: skip
    with pytest.raises(ChannelClosed, match="closed"):
        _write(ways, "family", case)


def test_over_the_word_limit_nothing_is_stored(ways: Ways) -> None:
    case = ways.verify(ways.locate())
    words = " ".join(["слово"] * 26)
    with pytest.raises(TooManyWords, match="26 words") as refused:
        _write(ways, "family", case, words)
    assert refused.value.status == 422 and refused.value.code == "too_many_words"
    assert _count(ways) == 0
    # An apostrophe does not split a Ukrainian word: 25 words pass.
    _write(ways, "family", case, " ".join(["п'ять"] * 25))


def test_a_side_sends_at_most_its_weeks_messages(ways: Ways) -> None:
    case = ways.verify(ways.locate())
    for _ in range(3):
        _write(ways, "family", case)
    _write(ways, "family", case, submit=False)  # a draft does not count
    with pytest.raises(TooManyMessages):
        _write(ways, "family", case)
    # The other end of the channel has its own allowance.
    reply = _write(ways, "liaison_custodial", case, "Дякую, мамо! Я здорова.")
    assert reply.direction == "to_family"
    # A week later the family may write again.
    for message in ways.session.scalars(select(ChannelMessage)):
        if message.submitted_at is not None:
            message.submitted_at -= timedelta(days=8)
    _write(ways, "family", case)


def test_a_draft_is_its_writers_alone_until_submitted(ways: Ways) -> None:
    case = ways.verify(ways.locate())
    draft = _write(ways, "family", case, submit=False)
    assert draft.state == "draft" and draft.submitted_at is None
    assert channel.moderation_queue(ways.session, principal=ways.who("caseworker")) == []
    with pytest.raises(NotFound):
        channel.get_message(ways.session, principal=ways.who("caseworker"), message_id=draft.id)
    with pytest.raises(NotFound):
        channel.submit_draft(ways.session, principal=ways.who("caseworker"), message_id=draft.id)
    channel.submit_draft(ways.session, principal=ways.who("family"), message_id=draft.id)
    assert [
        v.message.id
        for v in channel.moderation_queue(ways.session, principal=ways.who("caseworker"))
    ] == [draft.id]


def test_a_message_to_a_child_in_care_is_moderated_then_delivered_by_the_custodial_liaison(
    ways: Ways,
) -> None:
    case = ways.verify(ways.locate())
    message = _write(
        ways, "family", case, "Ми живемо на вул. Шевченка 12, дзвони +380 67 123 45 67"
    )
    (queued,) = channel.moderation_queue(ways.session, principal=ways.who("caseworker"))
    kinds = [kind for _, kind in queued.highlighted if kind]
    assert kinds == ["address", "phone"]
    # Before moderation the custodial party sees nothing of it.
    with pytest.raises(NotFound):
        channel.get_message(
            ways.session, principal=ways.who("liaison_custodial"), message_id=message.id
        )
    assert channel.deliveries_for(ways.session, principal=ways.who("liaison_custodial")) == []
    channel.approve_message(ways.session, principal=ways.who("caseworker"), message_id=message.id)
    assert message.state == "approved"
    (waiting,) = channel.deliveries_for(ways.session, principal=ways.who("liaison_custodial"))
    assert waiting.message.id == message.id and waiting.may_deliver
    # The requesting party does not deliver to a child in the other party's care.
    assert channel.deliveries_for(ways.session, principal=ways.who("liaison_requesting")) == []
    with pytest.raises(NotFound):
        channel.deliver_message(
            ways.session, principal=ways.who("liaison_requesting"), message_id=message.id
        )
    channel.deliver_message(
        ways.session, principal=ways.who("liaison_custodial"), message_id=message.id
    )
    assert message.state == "delivered" and message.delivered_at is not None
    # The family sees where its message is, with each time.
    seen = channel.messages_of_case(ways.session, principal=ways.who("family"), case_id=case.id)
    (mine,) = seen.messages
    assert mine.mine and mine.message.state == "delivered"
    assert mine.highlighted == []  # the highlights are the mediator's
    with pytest.raises(Conflict, match="only an approved message"):
        channel.deliver_message(
            ways.session, principal=ways.who("liaison_custodial"), message_id=message.id
        )


def test_a_returned_message_goes_no_further_and_its_writer_reads_why(ways: Ways) -> None:
    case = ways.verify(ways.locate())
    message = _write(ways, "family", case, "Наша адреса: вул. Миру 3")
    with pytest.raises(Exception, match="reason"):
        channel.return_message(
            ways.session, principal=ways.who("caseworker"), message_id=message.id, reason=" "
        )
    channel.return_message(
        ways.session, principal=ways.who("caseworker"), message_id=message.id,
        reason="an address must not be sent; please write without it",
    )  # fmt: skip
    assert message.state == "returned"
    with pytest.raises(Conflict):
        channel.approve_message(
            ways.session, principal=ways.who("caseworker"), message_id=message.id
        )
    assert channel.deliveries_for(ways.session, principal=ways.who("liaison_custodial")) == []
    (mine,) = channel.messages_of_case(
        ways.session, principal=ways.who("family"), case_id=case.id
    ).messages
    assert mine.message.return_reason.startswith("an address must not be sent")


def test_a_childs_reply_reaches_the_family_in_the_app_and_is_read(ways: Ways) -> None:
    case = ways.verify(ways.locate())
    reply = _write(ways, "liaison_custodial", case, "Мамо, я здорова і дуже сумую.")
    channel.approve_message(ways.session, principal=ways.who("caseworker"), message_id=reply.id)
    # The family has an account: the reply is theirs at once, nobody delivers it by hand.
    assert reply.state == "delivered" and reply.delivered_by is None
    (seen,) = channel.messages_of_case(
        ways.session, principal=ways.who("family"), case_id=case.id
    ).messages
    assert seen.message.id == reply.id and reply.state == "read" and reply.read_at is not None
    # The liaison who entered it sees that it was read.
    (entered,) = channel.messages_of_case(
        ways.session, principal=ways.who("liaison_custodial"), case_id=case.id
    ).messages
    assert entered.mine and entered.message.state == "read"


@pytest.mark.parametrize("stranger", ["liaison_requesting", "adult", "auditor"])
def test_nobody_else_sees_a_message_or_its_photo(ways: Ways, stranger: str) -> None:
    case = ways.verify(ways.locate())
    message = channel.write_message(
        ways.session, principal=ways.who("family"), case_id=case.id,
        form=_form(photo=jpeg_with_secrets()),
    )  # fmt: skip
    channel.approve_message(ways.session, principal=ways.who("caseworker"), message_id=message.id)
    for read in (channel.get_message, channel.message_photo):
        with pytest.raises(NotFound):
            read(ways.session, principal=ways.who(stranger), message_id=message.id)
    if stranger == "liaison_requesting":
        # Its party may write for a family without an account: it has the page, not the message.
        seen = channel.messages_of_case(ways.session, principal=ways.who(stranger), case_id=case.id)
        assert seen.messages == []
    else:
        with pytest.raises(NotFound):
            channel.messages_of_case(ways.session, principal=ways.who(stranger), case_id=case.id)
    with pytest.raises(NotFound):
        channel.get_message(ways.session, principal=ways.who("family"), message_id=message.id + 1)


def test_a_photo_is_stored_without_any_metadata(ways: Ways) -> None:
    case = ways.verify(ways.locate())
    sent = jpeg_with_secrets()
    message = channel.write_message(
        ways.session, principal=ways.who("family"), case_id=case.id, form=_form(photo=sent)
    )
    photo = channel.message_photo(
        ways.session, principal=ways.who("caseworker"), message_id=message.id
    )
    for secret in (b"SecretCam", b"Shevchenka", b"GPS", b"Exif", b"xmpmeta"):
        assert secret not in photo.data, secret
    with Image.open(io.BytesIO(photo.data)) as image:
        assert image.size == (40, 30) and not image.getexif()
    write_pending(ways.session)  # a request's commit writes the audit entries
    looked = ways.session.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "message.photo")
    )
    assert looked == 1


def test_a_file_that_is_not_a_picture_is_refused_and_nothing_is_stored(ways: Ways) -> None:
    case = ways.verify(ways.locate())
    with pytest.raises(PictureRefused):
        channel.write_message(
            ways.session, principal=ways.who("family"), case_id=case.id,
            form=_form(photo=b"MZ\x90\x00 not a picture at all"),
        )  # fmt: skip
    assert _count(ways) == 0


def test_on_the_adult_track_the_adult_opens_the_channel_and_writes_for_themselves(
    ways: Ways,
) -> None:
    request = ways.add_request("UA-8", "Шевченко", "Дарина", "2007-01-10")
    ways.confirm(request, ways.world.disclosure)
    case = ways.case_of(request)
    cases.link_adult(
        ways.session, principal=ways.who("caseworker"), case_id=case.id, username="adult"
    )
    ways.verify(case)
    with pytest.raises(ChannelClosed, match="adult"):
        _write(ways, "adult", case)
    cases.record_consent(
        ways.session, principal=ways.who("adult"), case_id=case.id, kind="contact", answer="yes"
    )
    message = _write(ways, "adult", case, "Я жива і здорова, напишіть мені.")
    assert message.direction == "to_family"
    # The custodial party does not speak for an adult.
    with pytest.raises(Conflict, match="do not write"):
        _write(ways, "liaison_custodial", case)
    # A message to the adult is theirs to read as soon as it is approved.
    to_adult = _write(ways, "liaison_requesting", case, "Дарино, мама дуже чекає.")
    channel.approve_message(ways.session, principal=ways.who("caseworker"), message_id=to_adult.id)
    assert to_adult.state == "delivered"
    assert channel.deliveries_for(ways.session, principal=ways.who("liaison_custodial")) == []
    seen = channel.messages_of_case(ways.session, principal=ways.who("adult"), case_id=case.id)
    assert {view.message.id for view in seen.messages} == {message.id, to_adult.id}
    assert to_adult.state == "read"
    # A no to contact closes the channel again.
    cases.record_consent(
        ways.session, principal=ways.who("adult"), case_id=case.id, kind="contact", answer="no"
    )
    with pytest.raises(ChannelClosed):
        _write(ways, "adult", case)


def test_people_are_told_what_waits_for_them(ways: Ways) -> None:
    case = ways.verify(ways.locate())
    message = _write(ways, "family", case)
    for who in ("caseworker", "caseworker2", "admin"):
        assert notifications.unread_count(ways.session, principal=ways.who(who)) == 1
    assert notifications.unread_count(ways.session, principal=ways.who("liaison_custodial")) == 0
    channel.approve_message(ways.session, principal=ways.who("caseworker"), message_id=message.id)
    (to_deliver,) = notifications.list_notifications(
        ways.session, principal=ways.who("liaison_custodial")
    ).items
    assert to_deliver.kind == "message_to_deliver"
    channel.deliver_message(
        ways.session, principal=ways.who("liaison_custodial"), message_id=message.id
    )
    told = notifications.list_notifications(ways.session, principal=ways.who("family"))
    # Newest first: the delivery, after the case's steps (located, verified).
    assert [n.kind for n in told.items] == ["message_delivered", "case_step", "case_step"]
    notifications.read_all(ways.session, principal=ways.who("family"))
    channel.approve_message(
        ways.session, principal=ways.who("caseworker"),
        message_id=_write(ways, "liaison_custodial", case, "Дякую!").id,
    )  # fmt: skip
    told = notifications.list_notifications(ways.session, principal=ways.who("family"))
    assert told.items[0].kind == "message_received" and told.unread == 1
    link = notifications.open_notification(
        ways.session, principal=ways.who("family"), notification_id=told.items[0].id
    )
    assert link == f"/cases/{case.id}/messages"
    assert notifications.unread_count(ways.session, principal=ways.who("family")) == 0
    with pytest.raises(NotFound):
        notifications.open_notification(
            ways.session, principal=ways.who("adult"), notification_id=told.items[0].id
        )


def test_messages_waiting_too_long_are_flagged_to_the_mediator(ways: Ways) -> None:
    case = ways.verify(ways.locate())
    old = _write(ways, "family", case)
    fresh = _write(ways, "family", case)
    assert old.submitted_at is not None
    old.submitted_at -= timedelta(days=4)
    (stale,) = channel.stale_messages(ways.session, principal=ways.who("caseworker"))
    assert stale.message.id == old.id and stale.waiting_for == "waiting for moderation"
    assert fresh.id != old.id
    with pytest.raises(NotFound):
        channel.stale_messages(ways.session, principal=ways.who("liaison_custodial"))
