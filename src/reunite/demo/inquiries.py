"""Information requests in a loaded demo: open, overdue, answered and withdrawn ones.

Made through the same services people use, dated in the past where the story needs it, so
that the lists per party show every state and a median time to answer at first start.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from reunite.auth.models import User
from reunite.auth.principal import Principal
from reunite.auth.service import principal_of
from reunite.cases.enums import Track
from reunite.cases.models import Case
from reunite.exchange.models import Batch
from reunite.inquiries.enums import AnswerKind
from reunite.inquiries.models import Inquiry, InquiryItem
from reunite.inquiries.service import ItemDraft, answer_item, create_inquiry, withdraw_inquiry
from reunite.records.models import Record

# The demo's accounts that ask and answer (demo.service.DEMO_USERS).
ASKER = "demo-caseworker"
CUSTODIAL_LIAISON = "demo-liaison-custodial"
REQUESTING_LIAISON = "demo-liaison-requesting"
# Children the mediator types when a small demo has too few cases to choose from.
TYPED = (("Бондаренко Марія", "2013-04"), ("Ткаченко Іван", "2012"), ("Шевчук Дарина", ""))


def _principal(session: Session, username: str) -> Principal | None:
    user = session.scalar(select(User).where(User.username == username))
    return principal_of(session, user) if user is not None else None


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def _children(case_ids: list[int], start: int, count: int) -> list[ItemDraft]:
    chosen = [ItemDraft(case_id=case_id) for case_id in case_ids[start : start + count]]
    for name, born in TYPED[: max(0, count - len(chosen))]:
        chosen.append(ItemDraft(name=name, birth_date=born))
    return chosen


def _items(session: Session, inquiry: Inquiry) -> list[InquiryItem]:
    return list(
        session.scalars(
            select(InquiryItem)
            .where(InquiryItem.inquiry_id == inquiry.id)
            .order_by(InquiryItem.position)
        )
    )


def _likely_record(session: Session, party_id: int, item: InquiryItem) -> Record | None:
    """A record of the party born when the child was: what a liaison would look up first."""
    if not item.birth_date:
        return None
    return session.scalar(
        select(Record)
        .where(
            Record.party_id == party_id,
            Record.kind == "disclosures",
            Record.birth_date == item.birth_date,
        )
        .order_by(Record.external_id)
        .limit(1)
    )


def _answer_all(
    session: Session, liaison: Principal, inquiry: Inquiry, *, after: timedelta
) -> None:
    """Answer every child of a request, the last answer `after` the request was made."""
    items = _items(session, inquiry)
    batch = session.scalar(
        select(Batch.id).where(Batch.party_id == inquiry.party_id).order_by(Batch.id).limit(1)
    )
    for number, item in enumerate(items, start=1):
        when = inquiry.created_at + after * number / len(items)
        record = _likely_record(session, inquiry.party_id, item)
        if record is not None:
            kind, records, batch_id, note = AnswerKind.RECORDS, [record.external_id], None, ""
        elif batch is not None and number % 2 == 0:
            kind, records, batch_id, note = AnswerKind.BATCH, [], batch, ""
        else:
            kind, records, batch_id = AnswerKind.NOT_ON_RECORD, [], None
            note = "Не значится в наших списках."
        answer_item(
            session, principal=liaison, inquiry_id=inquiry.id, item_id=item.id, kind=kind,
            records=records, batch_id=batch_id, note=note, now=when,
        )  # fmt: skip


def add_demo_inquiries(session: Session, *, today: date | None = None) -> list[str]:
    """Create open, overdue, answered and withdrawn information requests in a loaded demo."""
    today = today or date.today()
    asker = _principal(session, ASKER)
    custodial = _principal(session, CUSTODIAL_LIAISON)
    requesting = _principal(session, REQUESTING_LIAISON)
    if asker is None or custodial is None or requesting is None:
        return ["information requests: not made (the demo's accounts are missing)"]
    assert custodial.party_id is not None and requesting.party_id is not None
    # Children a party may be asked about: minors, from requests their party did not withhold.
    case_ids = list(
        session.scalars(
            select(Case.id)
            .join(Record, Record.id == Case.request_id)
            .where(Case.track == Track.MINOR, Record.withheld.is_(False))
            .order_by(Case.id)
            .limit(40)
        )
    )

    def ask(
        party_id: int, subject: str, days_ago: int, wait: int, start: int, count: int
    ) -> Inquiry:
        made = today - timedelta(days=days_ago)
        return create_inquiry(
            session, principal=asker, party_id=party_id, subject=subject,
            due_on=made + timedelta(days=wait), items=_children(case_ids, start, count),
            now=_at(made),
        )  # fmt: skip

    to_custodial = custodial.party_id
    answered = [
        ask(to_custodial, "Діти, евакуйовані з Маріуполя у березні 2022", 60, 21, 0, 3),
        ask(to_custodial, "Вихованці інтернату в Донецьку", 45, 14, 3, 2),
        ask(to_custodial, "Брати й сестри з Херсонщини", 30, 14, 5, 4),
    ]
    for inquiry, days in zip(answered, (4, 9, 15), strict=True):
        _answer_all(session, custodial, inquiry, after=timedelta(days=days))
    overdue = ask(to_custodial, "Діти з табору в Євпаторії", 35, 21, 9, 5)
    first = _items(session, overdue)[0]
    answer_item(
        session, principal=custodial, inquiry_id=overdue.id, item_id=first.id,
        kind=AnswerKind.NOT_ON_RECORD, note="Уточняем.", now=overdue.created_at + timedelta(days=6),
    )  # fmt: skip
    ask(to_custodial, "Діти, яких шукають родини з Бердянська", 3, 14, 14, 3)
    withdrawn = ask(to_custodial, "Дитина з Ізюма", 20, 14, 17, 1)
    withdraw_inquiry(
        session, principal=asker, inquiry_id=withdrawn.id,
        reason="Родина знайшла дитину сама.", now=withdrawn.created_at + timedelta(days=2),
    )  # fmt: skip
    to_requesting = ask(requesting.party_id, "Уточнення до запитів на розшук", 25, 14, 18, 2)
    _answer_all(session, requesting, to_requesting, after=timedelta(days=6))
    ask(requesting.party_id, "Фото дітей для перевірки", 2, 10, 20, 2)
    return [
        "information requests: 3 answered, 1 overdue, 1 open and 1 withdrawn to the custodial "
        "party; 1 answered and 1 open to the requesting party"
    ]
