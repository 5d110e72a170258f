"""Information requests as services: ask a party about children, answer, withdraw, read, count.

The mediator's staff ask one party about one child or a list of children, by a day. The
party's liaison answers each child with records of its own party, a list it sent, or "not on
record"; when every child is answered, the request is answered and the time it took is kept.
Overdue is read off the due date at read time, so it holds the moment a day passes.
"""

from __future__ import annotations

import statistics
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session

from reunite.audit.service import record_event
from reunite.auth.models import User
from reunite.auth.principal import Principal, require_staff
from reunite.cases.access import get_visible_case
from reunite.cases.enums import Track
from reunite.cases.models import Case
from reunite.cases.rules import FINISHED
from reunite.cases.service import case_of_request, release_refused_for_adult
from reunite.db.base import utcnow
from reunite.errors import Conflict, InvalidInput, NotFound
from reunite.exchange.models import Batch
from reunite.inquiries.access import UNSEEN, get_visible_inquiry, visible_inquiries
from reunite.inquiries.enums import AnswerKind, InquiryState
from reunite.inquiries.models import Inquiry, InquiryItem, InquiryItemRecord
from reunite.notifications.service import notify
from reunite.parties.models import Party
from reunite.records.access import published
from reunite.records.cleaning import CleaningError, parse_birth_date
from reunite.records.models import Record
from reunite.vocabulary import N_, say

MAX_ITEMS = 500
MAX_SUBJECT = 300
MAX_TEXT = 2000
MAX_NAME = 400
MAX_ANSWER_RECORDS = 50
# A due date further ahead than this is a typing mistake, not a plan.
LONGEST_WAIT = timedelta(days=366)
ASKABLE_ROLES = ("requesting", "custodial")
MAX_PAGE = 200


@dataclass(frozen=True)
class ItemDraft:
    """One child to ask about: a case, a tracing request, or a typed name and date of birth."""

    case_id: int | None = None
    request_id: uuid.UUID | None = None
    name: str = ""
    birth_date: str = ""
    question: str = ""


def _text(value: str, *, what: str, limit: int, required: bool = False) -> str:
    value = value.strip()
    if required and not value:
        raise InvalidInput(say(N_("{what} is needed"), what=say(what)))
    if len(value) > limit:
        raise InvalidInput(
            say(N_("{what} is longer than {limit} characters"), what=say(what), limit=limit)
        )
    return value


def full_name(record: Record) -> str:
    """Return a record's name as the mediator would write it in a letter."""
    return " ".join(part for part in (record.surname, record.given_name, record.patronymic) if part)


def _child_of(
    session: Session, principal: Principal, party_id: int, draft: ItemDraft
) -> InquiryItem:
    """Make an item of a draft: the name and date of birth copied from its source, or typed.

    A request's child is named to the other party only as a release of it could be: never
    from a request its party withheld, nor an adult's without their own consent.
    """
    question = _text(draft.question, what=N_("the question"), limit=MAX_TEXT)
    case: Case | None = None
    request: Record | None = None
    if draft.case_id is not None:
        try:
            case = get_visible_case(session, principal=principal, case_id=draft.case_id)
        except NotFound:
            # A case named in the request's body is a mistake in it, not a missing page.
            raise InvalidInput(say(N_("no such case: {id}"), id=str(draft.case_id))) from None
        request = session.get(Record, case.request_id)
    elif draft.request_id is not None:
        request = session.get(Record, draft.request_id)
        if request is None or request.kind != "requests":
            raise InvalidInput(say(N_("no such tracing request: {id}"), id=str(draft.request_id)))
        case = case_of_request(session, request_id=request.id)
    if request is not None:
        if request.party_id != party_id:
            _may_be_named(session, request)
        return InquiryItem(
            case_id=case.id if case is not None else None,
            request_id=request.id,
            name=full_name(request)[:MAX_NAME],
            birth_date=request.birth_date,
            question=question,
        )
    name = " ".join(draft.name.split())
    if not name:
        raise InvalidInput(say(N_("each child asked about needs a name, a case or a request")))
    if len(name) > MAX_NAME:
        raise InvalidInput(
            say(N_("{what} is longer than {limit} characters"), what=say(N_("a name")),
                limit=MAX_NAME)
        )  # fmt: skip
    try:
        born = parse_birth_date(draft.birth_date) if draft.birth_date.strip() else None
    except CleaningError as exc:
        raise InvalidInput(exc.message) from None
    return InquiryItem(name=name, birth_date=born or "", question=question)


def _may_be_named(session: Session, request: Record) -> None:
    if request.withheld:
        raise InvalidInput(
            say(
                N_("{name}: the party that sent this request withheld it; its child is not "
                   "named to the other party"),
                name=full_name(request),
            )
        )  # fmt: skip
    refused = release_refused_for_adult(session, record=request)
    if refused is not None:
        raise InvalidInput(refused)


def _askable_party(session: Session, party_id: int) -> Party:
    party = session.get(Party, party_id)
    if party is None or party.role not in ASKABLE_ROLES:
        raise InvalidInput(say(N_("choose the party to ask: the requesting or custodial party")))
    return party


def create_inquiry(
    session: Session,
    *,
    principal: Principal,
    party_id: int,
    subject: str,
    due_on: date,
    items: Sequence[ItemDraft],
    note: str = "",
    address: str = "",
    now: datetime | None = None,
) -> Inquiry:
    """Ask a party about children by a day (mediator staff); audit the request."""
    require_staff(principal, unseen=UNSEEN)
    now = now or utcnow()
    party = _askable_party(session, party_id)
    subject = " ".join(subject.split())
    subject = _text(subject, what=N_("a subject"), limit=MAX_SUBJECT, required=True)
    note = _text(note, what=N_("the note"), limit=MAX_TEXT)
    if due_on < now.date():
        raise InvalidInput(say(N_("the due date {day} has passed"), day=due_on.isoformat()))
    if due_on > now.date() + LONGEST_WAIT:
        raise InvalidInput(say(N_("the due date must be within a year")))
    if not items:
        raise InvalidInput(say(N_("ask about at least one child")))
    if len(items) > MAX_ITEMS:
        raise InvalidInput(say(N_("ask about {limit} children at most"), limit=MAX_ITEMS))
    children: list[InquiryItem] = []
    asked: set[uuid.UUID] = set()
    for draft in items:
        child = _child_of(session, principal, party.id, draft)
        # The same child chosen twice (from its case and from its request, say) is asked once.
        if child.request_id is not None:
            if child.request_id in asked:
                continue
            asked.add(child.request_id)
        children.append(child)
    inquiry = Inquiry(
        party_id=party.id,
        subject=subject,
        note=note,
        due_on=due_on,
        state=InquiryState.OPEN,
        created_by=principal.user_id,
        created_at=now,
    )
    session.add(inquiry)
    session.flush()
    for position, child in enumerate(children, start=1):
        child.inquiry_id = inquiry.id
        child.position = position
        session.add(child)
    session.flush()
    notify(session, liaisons_of=party.id, kind="inquiry", link=f"/inquiries/{inquiry.id}")
    record_event(
        session,
        actor=principal,
        action="inquiry.created",
        subject_type="inquiry",
        subject_id=str(inquiry.id),
        details={
            "party": party.name,
            "due_on": due_on.isoformat(),
            "items": len(children),
            "cases": sorted({c.case_id for c in children if c.case_id is not None}),
        },
        address=address,
    )
    return inquiry


def _item(session: Session, inquiry: Inquiry, item_id: int, *, for_update: bool) -> InquiryItem:
    item = session.get(InquiryItem, item_id, with_for_update=for_update)
    if item is None or item.inquiry_id != inquiry.id:
        raise NotFound(say(N_("no such child in this information request")))
    return item


def _records_of_party(session: Session, party_id: int, references: Sequence[str]) -> list[Record]:
    """Find records of one party by id or by the party's own reference; refuse any other."""
    wanted = [ref.strip() for ref in references if ref.strip()]
    if not wanted:
        raise InvalidInput(say(N_("name the records that answer: their ids or your references")))
    if len(wanted) > MAX_ANSWER_RECORDS:
        raise InvalidInput(say(N_("answer with {limit} records at most"), limit=MAX_ANSWER_RECORDS))
    found: dict[uuid.UUID, Record] = {}
    unknown: list[str] = []
    for ref in dict.fromkeys(wanted):
        condition: ColumnElement[bool] = Record.external_id == ref
        try:
            condition = Record.id == uuid.UUID(ref)
        except ValueError:
            pass
        matches = list(
            session.scalars(
                select(Record).where(
                    condition,
                    Record.party_id == party_id,
                    Record.withdrawn.is_(False),
                    published(),
                )
            )
        )
        if not matches:
            unknown.append(ref)
        for record in matches:
            found[record.id] = record
    if unknown:
        raise InvalidInput(
            say(N_("not among your party's records: {references}"), references=", ".join(unknown))
        )
    return list(found.values())


def answer_item(
    session: Session,
    *,
    principal: Principal,
    inquiry_id: int,
    item_id: int,
    kind: AnswerKind | str,
    records: Sequence[str] = (),
    batch_id: int | None = None,
    note: str = "",
    address: str = "",
    now: datetime | None = None,
) -> InquiryItem:
    """Answer for one child (the asked party's liaison); the last answer answers the request."""
    inquiry = get_visible_inquiry(
        session, principal=principal, inquiry_id=inquiry_id, for_update=True
    )
    # Only the party asked answers: the mediator's staff and the auditor read the answers.
    if principal.role != "liaison" or principal.party_id != inquiry.party_id:
        raise NotFound(say(UNSEEN))
    item = _item(session, inquiry, item_id, for_update=True)
    if kind not in AnswerKind.values():
        raise InvalidInput(
            say(N_("answer with records, a list, or not on record; not {value}"), value=str(kind))
        )
    kind = AnswerKind(kind)
    if inquiry.state == InquiryState.WITHDRAWN:
        raise Conflict(
            say(N_("the mediator withdrew this information request")), code="inquiry_withdrawn"
        )
    if item.answer_kind is not None:
        raise Conflict(say(N_("this child was answered already")), code="already_answered")
    note = _text(note, what=N_("the note"), limit=MAX_TEXT)
    answered: list[Record] = []
    if kind == AnswerKind.RECORDS:
        answered = _records_of_party(session, inquiry.party_id, records)
    elif kind == AnswerKind.BATCH:
        batch = session.get(Batch, batch_id) if batch_id is not None else None
        if batch is None or batch.party_id != inquiry.party_id:
            raise InvalidInput(say(N_("choose a list your party sent")))
    now = now or utcnow()
    item.answer_kind = kind
    item.batch_id = batch_id if kind == AnswerKind.BATCH else None
    item.answer_note = note
    item.answered_by = principal.user_id
    item.answered_at = now
    for record in answered:
        session.add(InquiryItemRecord(item_id=item.id, record_id=record.id))
    session.flush()
    waiting = session.scalar(
        select(func.count())
        .select_from(InquiryItem)
        .where(InquiryItem.inquiry_id == inquiry.id, InquiryItem.answer_kind.is_(None))
    )
    if not waiting:
        inquiry.state = InquiryState.ANSWERED
        inquiry.answered_at = now
        session.flush()
    record_event(
        session,
        actor=principal,
        action="inquiry.answered",
        subject_type="inquiry",
        subject_id=str(inquiry.id),
        details={
            "item": item.position,
            "answer": kind.value,
            "records": [str(record.id) for record in answered],
            "batch": item.batch_id,
            "state": inquiry.state,
        },
        address=address,
    )
    return item


def withdraw_inquiry(
    session: Session,
    *,
    principal: Principal,
    inquiry_id: int,
    reason: str,
    address: str = "",
    now: datetime | None = None,
) -> Inquiry:
    """Withdraw an unanswered request with a reason (mediator staff); audit it."""
    require_staff(principal, unseen=UNSEEN)
    inquiry = get_visible_inquiry(
        session, principal=principal, inquiry_id=inquiry_id, for_update=True
    )
    reason = _text(" ".join(reason.split()), what=N_("a reason"), limit=MAX_TEXT, required=True)
    if inquiry.state == InquiryState.WITHDRAWN:
        raise Conflict(say(N_("this information request was withdrawn already")),
                       code="inquiry_withdrawn")  # fmt: skip
    if inquiry.state == InquiryState.ANSWERED:
        raise Conflict(say(N_("an answered information request cannot be withdrawn")),
                       code="inquiry_answered")  # fmt: skip
    inquiry.state = InquiryState.WITHDRAWN
    inquiry.withdrawn_at = now or utcnow()
    inquiry.withdrawn_by = principal.user_id
    inquiry.withdraw_reason = reason
    session.flush()
    record_event(
        session,
        actor=principal,
        action="inquiry.withdrawn",
        subject_type="inquiry",
        subject_id=str(inquiry.id),
        details={"reason": reason},
        address=address,
    )
    return inquiry


# --- reading --------------------------------------------------------------------------


def state_of(inquiry: Inquiry, today: date | None = None) -> InquiryState:
    """Return where a request stands today: an open one past its due date is overdue."""
    state = InquiryState(inquiry.state)
    if state == InquiryState.OPEN and inquiry.due_on < (today or utcnow().date()):
        return InquiryState.OVERDUE
    return state


def _state_condition(state: InquiryState, today: date) -> ColumnElement[bool]:
    if state == InquiryState.OVERDUE:
        return and_(Inquiry.state == InquiryState.OPEN, Inquiry.due_on < today)
    if state == InquiryState.OPEN:
        return and_(Inquiry.state == InquiryState.OPEN, Inquiry.due_on >= today)
    return Inquiry.state == state


@dataclass
class AnswerRecord:
    """A record given in answer, as its reference."""

    id: uuid.UUID
    reference: str
    kind: str


@dataclass
class ItemView:
    """One child asked about and the answer, as the caller may see them."""

    item: InquiryItem
    records: list[AnswerRecord] = field(default_factory=list)
    batch: Batch | None = None
    answered_by: str = ""


@dataclass
class InquiryView:
    """An information request with its children and answers."""

    inquiry: Inquiry
    state: InquiryState
    party: Party
    created_by: str
    withdrawn_by: str
    items: list[ItemView]
    # The caller sees which case and tracing request each child came from (the staff).
    sees_sources: bool
    # The caller is the asked party's liaison: it answers.
    answers: bool

    @property
    def answered_count(self) -> int:
        """Return how many children were answered."""
        return sum(1 for view in self.items if view.item.answer_kind is not None)


def _usernames(session: Session, ids: set[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return dict(session.execute(select(User.id, User.username).where(User.id.in_(wanted))).all())


def read_inquiry(
    session: Session,
    *,
    principal: Principal,
    inquiry_id: int,
    address: str = "",
    today: date | None = None,
    audited: bool = True,
) -> InquiryView:
    """Return a request the caller may see, with its children and answers; audit the read.

    `audited=False` only where the caller's change to it was just audited (its answer).
    """
    inquiry = get_visible_inquiry(session, principal=principal, inquiry_id=inquiry_id)
    party = session.get(Party, inquiry.party_id)
    assert party is not None
    items = list(
        session.scalars(
            select(InquiryItem)
            .where(InquiryItem.inquiry_id == inquiry.id)
            .order_by(InquiryItem.position)
        )
    )
    views = {item.id: ItemView(item) for item in items}
    rows = session.execute(
        select(InquiryItemRecord.item_id, Record.id, Record.external_id, Record.kind)
        .join(Record, Record.id == InquiryItemRecord.record_id)
        .where(InquiryItemRecord.item_id.in_(list(views)))
        .order_by(Record.external_id)
    )
    for item_id, record_id, reference, kind in rows:
        views[item_id].records.append(AnswerRecord(record_id, reference, kind))
    batch_ids = {item.batch_id for item in items if item.batch_id is not None}
    batches = (
        {b.id: b for b in session.scalars(select(Batch).where(Batch.id.in_(batch_ids)))}
        if batch_ids
        else {}
    )
    names = _usernames(
        session,
        {inquiry.created_by, inquiry.withdrawn_by, *(item.answered_by for item in items)},
    )
    for view in views.values():
        if view.item.batch_id is not None:
            view.batch = batches.get(view.item.batch_id)
        view.answered_by = names.get(view.item.answered_by or 0, "")
    if audited:
        record_event(
            session,
            actor=principal,
            action="inquiry.read",
            subject_type="inquiry",
            subject_id=str(inquiry.id),
            address=address,
        )
    return InquiryView(
        inquiry=inquiry,
        state=state_of(inquiry, today),
        party=party,
        created_by=names.get(inquiry.created_by or 0, ""),
        withdrawn_by=names.get(inquiry.withdrawn_by or 0, ""),
        items=list(views.values()),
        sees_sources=principal.is_staff,
        answers=principal.role == "liaison" and principal.party_id == inquiry.party_id,
    )


@dataclass
class InquiryLine:
    """A request in a list: no child's name, only how far it got."""

    inquiry: Inquiry
    state: InquiryState
    party: Party
    items: int
    answered: int


def _filtered(
    principal: Principal, party_id: int | None, state: InquiryState | None, today: date
) -> list[ColumnElement[bool]]:
    conditions = [visible_inquiries(principal)]
    if party_id is not None:
        conditions.append(Inquiry.party_id == party_id)
    if state is not None:
        conditions.append(_state_condition(state, today))
    return conditions


def list_inquiries(
    session: Session,
    *,
    principal: Principal,
    party_id: int | None = None,
    state: InquiryState | None = None,
    today: date | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[InquiryLine]:
    """Return the requests the caller may see, those due soonest first, answered ones last."""
    today = today or utcnow().date()
    if principal.role not in ("admin", "caseworker", "auditor", "liaison"):
        raise NotFound(say(UNSEEN))
    conditions = _filtered(principal, party_id, state, today)
    settled = Inquiry.state != InquiryState.OPEN
    statement = (
        select(Inquiry, Party)
        .join(Party, Party.id == Inquiry.party_id)
        .where(*conditions)
        .order_by(settled, Inquiry.due_on, Inquiry.id.desc())
        .limit(min(max(limit, 1), MAX_PAGE))
        .offset(max(offset, 0))
    )
    found = session.execute(statement).all()
    ids = [inquiry.id for inquiry, _ in found]
    counts: dict[int, tuple[int, int]] = {}
    if ids:
        answered = func.count(InquiryItem.answer_kind)
        for inquiry_id, total, done in session.execute(
            select(InquiryItem.inquiry_id, func.count(), answered)
            .where(InquiryItem.inquiry_id.in_(ids))
            .group_by(InquiryItem.inquiry_id)
        ):
            counts[inquiry_id] = (total, done)
    return [
        InquiryLine(
            inquiry=inquiry,
            state=state_of(inquiry, today),
            party=party,
            items=counts.get(inquiry.id, (0, 0))[0],
            answered=counts.get(inquiry.id, (0, 0))[1],
        )
        for inquiry, party in found
    ]


def count_inquiries(
    session: Session,
    *,
    principal: Principal,
    party_id: int | None = None,
    state: InquiryState | None = None,
    today: date | None = None,
) -> int:
    """Count the requests `list_inquiries` pages through."""
    today = today or utcnow().date()
    conditions = _filtered(principal, party_id, state, today)
    return session.scalar(select(func.count()).select_from(Inquiry).where(*conditions)) or 0


def median_time(durations: Sequence[timedelta]) -> timedelta | None:
    """Return the median of times to answer (the mean of the middle two of an even count)."""
    if not durations:
        return None
    seconds = statistics.median(d.total_seconds() for d in durations)
    return timedelta(seconds=seconds)


@dataclass
class PartyFigures:
    """How one party answers: its open, overdue, answered and withdrawn requests."""

    party: Party
    open: int = 0
    overdue: int = 0
    answered: int = 0
    withdrawn: int = 0
    median_to_answer: timedelta | None = None

    @property
    def median_days(self) -> float | None:
        """Return the median time to answer in days, to a tenth."""
        if self.median_to_answer is None:
            return None
        return round(self.median_to_answer.total_seconds() / 86400, 1)


def party_figures(
    session: Session, *, principal: Principal, today: date | None = None
) -> list[PartyFigures]:
    """Return, per party the caller may see requests of, its counts and median time to answer.

    Every party that can be asked is listed for the staff, even one never asked yet.
    """
    today = today or utcnow().date()
    if principal.role not in ("admin", "caseworker", "auditor", "liaison"):
        raise NotFound(say(UNSEEN))
    parties = select(Party).where(Party.role.in_(ASKABLE_ROLES)).order_by(Party.name)
    if principal.role == "liaison":
        parties = parties.where(Party.id == principal.party_id)
    figures = {party.id: PartyFigures(party) for party in session.scalars(parties)}
    overdue = and_(Inquiry.state == InquiryState.OPEN, Inquiry.due_on < today)
    rows = session.execute(
        select(Inquiry.party_id, Inquiry.state, overdue.label("late"), func.count())
        .where(visible_inquiries(principal), Inquiry.party_id.in_(list(figures)))
        .group_by(Inquiry.party_id, Inquiry.state, "late")
    )
    for party_id, state, late, count in rows:
        line = figures[party_id]
        if state == InquiryState.OPEN:
            if late:
                line.overdue += count
            else:
                line.open += count
        elif state == InquiryState.ANSWERED:
            line.answered += count
        elif state == InquiryState.WITHDRAWN:
            line.withdrawn += count
    durations: dict[int, list[timedelta]] = defaultdict(list)
    for party_id, created, answered in session.execute(
        select(Inquiry.party_id, Inquiry.created_at, Inquiry.answered_at).where(
            visible_inquiries(principal),
            Inquiry.party_id.in_(list(figures)),
            Inquiry.state == InquiryState.ANSWERED,
            Inquiry.answered_at.is_not(None),
        )
    ):
        if answered is not None:
            durations[party_id].append(answered - created)
    for party_id, times in durations.items():
        figures[party_id].median_to_answer = median_time(times)
    return list(figures.values())


def inquiries_about_case(
    session: Session, *, principal: Principal, case_id: int, today: date | None = None
) -> list[InquiryLine]:
    """Return the requests that ask about a case, as far as the caller may see them.

    The case must be one the caller may see (404 otherwise); a caller who may not see
    requests at all (a family, an adult) gets none.
    """
    get_visible_case(session, principal=principal, case_id=case_id)
    if principal.role not in ("admin", "caseworker", "auditor", "liaison"):
        return []
    today = today or utcnow().date()
    found = session.execute(
        select(Inquiry, Party, InquiryItem.answer_kind)
        .join(Party, Party.id == Inquiry.party_id)
        .join(InquiryItem, InquiryItem.inquiry_id == Inquiry.id)
        .where(InquiryItem.case_id == case_id, visible_inquiries(principal))
        .order_by(Inquiry.id.desc())
    ).all()
    # One line per request: the child's own answer (items and answered count this child).
    return [
        InquiryLine(
            inquiry=inquiry,
            state=state_of(inquiry, today),
            party=party,
            items=1,
            answered=int(answer is not None),
        )
        for inquiry, party, answer in found
    ]


def answer_batches(session: Session, *, principal: Principal, limit: int = 50) -> list[Batch]:
    """Return the lists the liaison's party sent lately, to answer with one of them."""
    if principal.role != "liaison" or principal.party_id is None:
        return []
    return list(
        session.scalars(
            select(Batch)
            .where(Batch.party_id == principal.party_id)
            .order_by(Batch.id.desc())
            .limit(limit)
        )
    )


@dataclass
class CaseChoice:
    """A case the mediator may ask about, as the new-request form offers it."""

    case_id: int
    number: str
    name: str
    birth_date: str
    status: str


def case_choices(session: Session, *, principal: Principal, limit: int = 500) -> list[CaseChoice]:
    """Return the cases still under way, to choose children to ask about (minors only)."""
    require_staff(principal, unseen=UNSEEN)
    rows = session.execute(
        select(Case, Record)
        .join(Record, Record.id == Case.request_id)
        .where(
            Case.status.not_in([str(status) for status in FINISHED]),
            # Offered are children any party may be asked about: not from a withheld
            # request, not a person on the adult track (who decides for themselves).
            Record.withheld.is_(False),
            Case.track == Track.MINOR,
        )
        .order_by(Record.sort_key, Case.id)
        .limit(limit)
    )
    return [
        CaseChoice(case.id, case.number, full_name(record), record.birth_date, case.status)
        for case, record in rows
    ]
