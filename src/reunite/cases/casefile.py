"""The printable case file: one child's way home as a PDF, for a briefing or a handover.

It holds the case as its reader may see it, never more: `read_case` gives the case and what
need to know lets the reader know of it, and every record's fields are printed only as far as
they were released to the reader (`records.access`). The mediator's staff get the whole file;
a party's liaison gets the child as far as released to their party, the verification they
sign, consents, the family group's cases they may see, and the timeline a family reads. The
file is printed in the reader's language (labels; what people typed stays as typed), with a
Unicode font that matplotlib ships, so Cyrillic names print as written. Every print is
audited as such.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from sqlalchemy import select
from sqlalchemy.orm import Session

from reunite.audit.service import record_event
from reunite.auth.models import User
from reunite.auth.principal import Principal
from reunite.cases.access import visible_cases
from reunite.cases.enums import (
    Answer,
    ApprovalKind,
    ApprovalState,
    CaseStatus,
    ConsentKind,
    EventKind,
    Evidence,
    Side,
    Track,
)
from reunite.cases.models import Case, ReturnRound, Signoff
from reunite.cases.service import CaseView, read_case, round_of_case
from reunite.db.base import utcnow
from reunite.errors import NotFound
from reunite.parties.models import Party
from reunite.records.access import can_see_record, released_fields
from reunite.records.enums import FIELD_LABELS, Sex
from reunite.records.models import Record
from reunite.review.enums import ENGINE_DECISION_LABELS, CandidateStatus
from reunite.review.explanation import explain, rival_name
from reunite.review.models import MatchCandidate, MatchDecision
from reunite.vocabulary import N_, Message, Vocabulary
from reunite.web.render import localise

# Who prints a case file: the mediator's staff and the parties' liaisons. A family or an
# adult follows their case on its pages; a file to carry around is for the people at work.
PRINTERS = frozenset({"admin", "caseworker", "liaison"})
FONT = "DejaVu"
MARGIN = 15  # mm
LINE = 5  # mm, the height of a line of body text
# mm: a word too long for the rest of a line after a label this short is too long for any
# line, and is broken wherever it has to be.
SHORT_LABEL = 26

# The headings and labels of the file (message ids; the reader's language prints them).
TITLE = N_("Case file")
CONFIDENTIAL = N_("CONFIDENTIAL")
CONFIDENTIAL_NOTE = N_(
    "Confidential: personal data of a separated child. Share it only with those who need to "
    "know it for the child's return; do not copy it or leave it unattended; destroy it when "
    "the handover is done."
)
PAGE_OF = N_("page {page} of {pages}")
PRINTED_BY = N_("printed on {when} by {who}")
PARTIAL_NOTE = N_(
    "This file holds only what its reader may know of the case; the mediator holds the rest."
)


@dataclass(frozen=True)
class CaseFile:
    """A printed case file: whose it is and the PDF's bytes."""

    case_id: int
    number: str
    data: bytes

    @property
    def filename(self) -> str:
        """Return the name the file is saved under."""
        return f"case-{self.case_id}.pdf"


@cache
def font_files() -> tuple[Path, Path]:
    """Return the regular and bold DejaVu Sans that matplotlib ships (Latin and Cyrillic)."""
    # matplotlib is imported here, not at the top: only printing needs it, and it is heavy.
    import matplotlib

    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
    for path in (regular, bold):
        if not path.is_file():
            raise RuntimeError(f"the font {path} is missing: reinstall matplotlib")
    return regular, bold


def print_case(
    session: Session,
    *,
    principal: Principal,
    case_id: int,
    language: str = "en",
    address: str = "",
    now: datetime | None = None,
) -> CaseFile:
    """Return the case file of a case the caller may see, in their language; audit the print."""
    if principal.role not in PRINTERS:
        raise NotFound("no such case")
    now = now or utcnow()
    view = read_case(
        session, principal=principal, case_id=case_id, address=address, today=now.date()
    )
    document = _CaseFileWriter(session, principal, view, language, now)
    data = document.write()
    record_event(
        session,
        actor=principal,
        action="case.printed",
        subject_type="case",
        subject_id=str(view.case.id),
        details={"language": language},
        address=address,
    )
    return CaseFile(case_id=view.case.id, number=view.case.number, data=data)


class _Pdf(FPDF):
    """A4 pages with the confidential mark above and the page number below."""

    def __init__(self, *, heading: str, page_of: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.heading = heading
        self.page_of = page_of
        regular, bold = font_files()
        self.add_font(FONT, "", str(regular))
        self.add_font(FONT, "B", str(bold))
        self.set_margins(MARGIN, MARGIN + 3, MARGIN)
        self.set_auto_page_break(auto=True, margin=MARGIN + 3)

    def header(self) -> None:
        self.set_font(FONT, "B", 8)
        self.set_text_color(150, 0, 0)
        self.set_xy(MARGIN, 8)
        self.cell(0, 4, self.heading, align="R")
        self.set_text_color(0, 0, 0)
        self.set_xy(MARGIN, MARGIN + 3)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, "", 8)
        self.set_text_color(90, 90, 90)
        # "{nb}" is fpdf's alias for the number of pages, filled in when the file is closed.
        self.cell(0, 4, self.page_of.format(page=self.page_no(), pages="{nb}"), align="C")
        self.set_text_color(0, 0, 0)


class _CaseFileWriter:
    """Writes one case file: the sections in order, each only with what the reader may see."""

    def __init__(
        self,
        session: Session,
        principal: Principal,
        view: CaseView,
        language: str,
        now: datetime,
    ) -> None:
        self.session = session
        self.principal = principal
        self.view = view
        self.language = language
        self.now = now
        self.staff = principal.is_staff
        self.users: dict[int, str] = {}
        number = view.case.number
        self.pdf = _Pdf(
            heading=f"{self.t(CONFIDENTIAL)} · {self.t(TITLE)} {number}",
            page_of=self.t(PAGE_OF),
        )

    # --- words ---------------------------------------------------------------------------

    def t(self, text: str) -> str:
        """Return a message id in the reader's language."""
        return localise(self.language, text)

    def say(self, template: str, **values: object) -> str:
        """Return a sentence in the reader's language, its values filled in."""
        return localise(self.language, Message(template, values))

    def label(self, member: Vocabulary | str, vocabulary: type[Vocabulary]) -> str:
        """Return a code's label in the reader's language (an unknown code as it is)."""
        try:
            return self.t(vocabulary(member).label)
        except ValueError:
            return str(member)

    def who(self, user_id: int | None) -> str:
        """Return a user's name for the staff; to others the mediator's people stay unnamed."""
        if user_id is None or not self.staff:
            return ""
        return self.users.get(user_id, "")

    # --- layout --------------------------------------------------------------------------

    def section(self, title: str) -> None:
        pdf = self.pdf
        if pdf.get_y() > pdf.h - 45:  # a heading never ends a page alone
            pdf.add_page()
        pdf.ln(3)
        pdf.set_font(FONT, "B", 12)
        pdf.multi_cell(0, 7, self.t(title), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_draw_color(120, 120, 120)
        pdf.line(MARGIN, pdf.get_y(), pdf.w - MARGIN, pdf.get_y())
        pdf.ln(1.5)
        pdf.set_font(FONT, "", 9.5)

    def subsection(self, title: str) -> None:
        pdf = self.pdf
        if pdf.get_y() > pdf.h - 35:
            pdf.add_page()
        pdf.ln(1.5)
        pdf.set_font(FONT, "B", 10)
        pdf.multi_cell(0, 6, _capital(title), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font(FONT, "", 9.5)

    def field(self, label: str, value: object) -> None:
        """Print «label: value» (nothing for an empty value); a long value wraps."""
        text = "" if value is None else str(value).strip()
        if not text:
            return
        pdf = self.pdf
        pdf.set_x(MARGIN)
        pdf.set_font(FONT, "B", 9.5)
        pdf.write(LINE, f"{_capital(self.t(label))}: ")
        pdf.set_font(FONT, "", 9.5)
        # fpdf would break a first word that does not fit after the label: begin a new line.
        first = text.split(maxsplit=1)[0]
        room = pdf.w - pdf.r_margin - pdf.get_x()
        if pdf.get_string_width(first) > room and pdf.get_x() > MARGIN + SHORT_LABEL:
            pdf.ln(LINE)
        pdf.write(LINE, text)
        pdf.ln(LINE)

    def paragraph(self, text: str) -> None:
        self.pdf.set_x(MARGIN)
        self.pdf.multi_cell(0, LINE, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def none(self) -> None:
        self.pdf.set_text_color(90, 90, 90)
        # To a party, what is not shown may exist all the same: the file says so.
        empty = N_("nothing recorded") if self.staff else N_("nothing recorded that you may see")
        self.paragraph(self.t(empty))
        self.pdf.set_text_color(0, 0, 0)

    # --- the file ------------------------------------------------------------------------

    def write(self) -> bytes:
        self._gather_names()
        pdf = self.pdf
        pdf.set_title(f"{self.t(TITLE)} {self.view.case.number}")
        pdf.set_author("Reunite")
        pdf.set_creation_date(self.now)
        pdf.add_page()
        self._header()
        self._child()
        self._requests()
        self._located()
        if self.staff:
            self._match()
        self._verification()
        if self.staff:
            self._best_interests()
        self._consents()
        if self.staff:
            self._approvals()
        self._family_group()
        if self.staff:
            self._round()
            self._visits()
        self._timeline()
        return bytes(pdf.output())

    def _gather_names(self) -> None:
        if not self.staff:
            return
        view = self.view
        ids: set[int | None] = set(view.names)
        ids |= {e.actor_id for e in view.events}
        ids |= {c.given_by for c in view.consents}
        if view.verification is not None:
            ids.add(view.verification.recorded_by)
            ids |= {s.user_id for s in self._signoffs()}
        if view.best_interests is not None:
            ids.add(view.best_interests.recorded_by)
        ids |= {d.recorded_by for d in view.determinations}
        ids |= {v.recorded_by for v in view.visits}
        ids |= {d.decided_by for d in self._match_decisions()}
        wanted = {i for i in ids if i is not None}
        if wanted:
            rows = self.session.execute(select(User.id, User.username).where(User.id.in_(wanted)))
            self.users = dict(rows.all())

    def _header(self) -> None:
        view, pdf = self.view, self.pdf
        pdf.set_font(FONT, "B", 16)
        pdf.multi_cell(
            0, 9, f"{self.t(TITLE)} {view.case.number}", new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
        pdf.set_font(FONT, "B", 10)
        pdf.set_text_color(150, 0, 0)
        self.paragraph(self.t(CONFIDENTIAL_NOTE))
        pdf.set_text_color(0, 0, 0)
        pdf.set_font(FONT, "", 9.5)
        pdf.ln(2)
        case = view.case
        since = self.say(N_("since {day}"), day=_day(case.status_since))
        self.field(N_("Status"), f"{self.label(case.status, CaseStatus)} ({since})")
        self.field(N_("Track"), self.label(case.track, Track))
        if case.turning_adult:
            self.field(N_("Attention"), self.t(N_("may turn 18 within 90 days")))
        self.field(N_("Opened"), _day(case.opened_at))
        if self.staff:
            self.field(N_("Caseworker"), view.assigned or self.t(N_("not assigned")))
        self.paragraph(self.say(PRINTED_BY, when=_moment(self.now), who=self.principal.username))
        if not self.staff:
            self.paragraph(self.t(PARTIAL_NOTE))

    # The records of the case the reader may see, each with the fields released to them.
    def _shown(self, record: Record | None) -> frozenset[str]:
        if record is None:
            return frozenset()
        if not can_see_record(self.session, principal=self.principal, record_id=record.id):
            return frozenset()
        return released_fields(self.session, principal=self.principal, record=record)

    def _party(self, record: Record) -> str:
        party = self.session.get(Party, record.party_id)
        return party.name_in(self.language) if party is not None else ""

    def _child(self) -> None:
        view = self.view
        self.section(N_("The child"))
        sources: list[tuple[str, Record, frozenset[str]]] = []
        for record, heading in (
            (view.request, N_("Name as the family seeks the child ({party})")),
            (view.disclosed, N_("Name as the custodial party records the child ({party})")),
        ):
            shown = self._shown(record)
            if record is not None and shown:
                sources.append((heading, record, shown))
        if not sources:
            self.none()
            return
        for heading, record, shown in sources:
            name = " ".join(
                getattr(record, part)
                for part in ("surname", "given_name", "patronymic")
                if part in shown and getattr(record, part)
            )
            self.field(self.say(heading, party=self._party(record)), name)
        variants = _distinct(
            part.strip()
            for _h, record, shown in sources
            if "name_variants" in shown
            for part in record.name_variants.split(";")
        )
        self.field(FIELD_LABELS["name_variants"], "; ".join(variants))
        births = _distinct(r.birth_date for _h, r, shown in sources if "birth_date" in shown)
        self.field(FIELD_LABELS["birth_date"], " / ".join(births))
        if births:
            if view.age_at_separation is not None:
                self.field(N_("Age at separation"), str(view.age_at_separation))
            if view.age is not None:
                self.field(N_("Age today"), str(view.age))
            coming = view.turns_adult
            if coming is not None and view.case.track == Track.MINOR:
                when = (
                    coming.earliest.isoformat()
                    if coming.earliest == coming.latest
                    else f"{coming.earliest.isoformat()} – {coming.latest.isoformat()}"
                )
                self.field(N_("Turns 18"), when)
        sexes = _distinct(
            self.label(r.sex, Sex) for _h, r, shown in sources if "sex" in shown and r.sex
        )
        self.field(FIELD_LABELS["sex"], " / ".join(sexes))
        for field in (
            "birth_place",
            "nationality",
            "last_known_place",
            "separation_date",
            "current_location",
            "institution",
            "distinguishing_marks",
        ):
            values = _distinct(getattr(r, field) for _h, r, shown in sources if field in shown)
            self.field(FIELD_LABELS[field], " / ".join(values))

    def _requests(self) -> None:
        self.section(N_("Tracing requests"))
        printed = 0
        for record in self.view.requests or [self.view.request]:
            shown = self._shown(record)
            if not shown:
                continue
            printed += 1
            self.subsection(
                self.say(
                    N_("Request {reference} of {party}"),
                    reference=record.external_id if "external_id" in shown else "—",
                    party=self._party(record),
                )
            )
            self.field(N_("Received"), _day(record.created_at))
            for field in (
                "mother_name",
                "father_name",
                "separation_date",
                "separation_circumstances",
                "last_known_place",
                "contact",
            ):
                if field in shown:
                    self.field(FIELD_LABELS[field], getattr(record, field))
        if not printed:
            self.none()

    def _located(self) -> None:
        self.section(N_("The child located"))
        record = self.view.disclosed
        shown = self._shown(record)
        if record is None or not shown:
            self.none()
            return
        self.subsection(
            self.say(
                N_("Record {reference} of {party}"),
                reference=record.external_id if "external_id" in shown else "—",
                party=self._party(record),
            )
        )
        for field in (
            "surname",
            "given_name",
            "patronymic",
            "birth_date",
            "current_location",
            "institution",
            "mother_name",
            "father_name",
        ):
            if field in shown:
                self.field(FIELD_LABELS[field], getattr(record, field))

    def _candidate(self) -> MatchCandidate | None:
        candidate_id = self.view.case.candidate_id
        return self.session.get(MatchCandidate, candidate_id) if candidate_id else None

    def _match_decisions(self) -> list[MatchDecision]:
        candidate_id = self.view.case.candidate_id
        if not candidate_id:
            return []
        return list(
            self.session.scalars(
                select(MatchDecision)
                .where(MatchDecision.candidate_id == candidate_id)
                .order_by(MatchDecision.id)
            )
        )

    def _match(self) -> None:
        self.section(N_("The confirmed match"))
        candidate = self._candidate()
        if candidate is None:
            self.none()
            return
        self.field(N_("Engine's score"), f"{candidate.probability:.1%}")
        self.field(
            N_("Engine's view"),
            self.t(
                ENGINE_DECISION_LABELS.get(candidate.engine_decision, candidate.engine_decision)
            ),
        )
        self.field(N_("Weighed against"), self.t(rival_name(candidate.rival)))
        reasons = explain(candidate.explanation or [], rival=candidate.rival)
        if reasons:
            self.subsection(self.t(N_("The engine's reasons")))
            for item in reasons:
                words = f"{self.t(item.level_name)} — {self.t(item.strength.label)}"
                if item.why is not None:
                    words += f" ({localise(self.language, item.why)})"
                self.field(item.field_name, words)
        decisions = self._match_decisions()
        if decisions:
            self.subsection(self.t(N_("Decisions on the match")))
            for decision in decisions:
                self.field(
                    self.say(
                        N_("{decision} on {when} by {who}"),
                        decision=self.t(_decision_label(decision.decision)),
                        when=_moment(decision.decided_at),
                        who=self.who(decision.decided_by),
                    ),
                    decision.reason,
                )

    def _signoffs(self) -> list[Signoff]:
        verification = self.view.verification
        if verification is None:
            return []
        return list(
            self.session.scalars(
                select(Signoff)
                .where(Signoff.verification_id == verification.id)
                .order_by(Signoff.signed_at, Signoff.id)
            )
        )

    def _verification(self) -> None:
        self.section(N_("Verification"))
        verification = self.view.verification
        if verification is None:
            self.none()
            return
        recorded = _moment(verification.recorded_at)
        if self.staff:
            recorded = f"{recorded}, {self.who(verification.recorded_by)}"
        self.field(N_("Recorded"), recorded)
        self.subsection(self.t(N_("Evidence")))
        for code, shown in (verification.evidence or {}).items():
            self.field(self.label(code, Evidence), shown)
        self.field(N_("The child is willing"), self.label(verification.child_willing, Answer))
        self.field(N_("The family is willing"), self.label(verification.family_willing, Answer))
        if self.staff:
            self.field(N_("Notes"), verification.notes)
        self.subsection(self.t(N_("Sign-offs")))
        signoffs = {s.side: s for s in self._signoffs()}
        for side in Side:
            signed = signoffs.get(side.value)
            if signed is None:
                self.field(side.label, self.t(N_("not signed yet")))
                continue
            if self.staff:
                text = self.say(
                    N_("signed by {who} on {when}"),
                    who=self.who(signed.user_id),
                    when=_moment(signed.signed_at),
                )
            else:
                text = self.say(N_("signed on {when}"), when=_moment(signed.signed_at))
            self.field(side.label, text)

    def _best_interests(self) -> None:
        self.section(N_("Best interests"))
        view = self.view
        assessment = view.best_interests
        if assessment is None and not view.determinations:
            self.none()
            return
        if assessment is not None:
            self.subsection(self.t(N_("Assessment")))
            self.field(
                N_("Recorded"),
                f"{_moment(assessment.recorded_at)}, {self.who(assessment.recorded_by)}",
            )
            self.field(N_("The child's views"), assessment.child_views)
            self.field(N_("Care arrangements"), assessment.care_arrangements)
            self.field(N_("Risks"), assessment.risks)
            self.field(
                N_("Red flag"),
                self.label(Answer.YES if assessment.red_flag else Answer.NO, Answer),
            )
        for determination in view.determinations:
            self.subsection(
                self.say(N_("Determination of {day}"), day=determination.decided_on.isoformat())
            )
            self.field(N_("Panel"), ", ".join(determination.panel or []))
            self.field(N_("Decision"), determination.decision)
            self.field(
                N_("Return in the child's best interests"),
                self.label(
                    Answer.YES if determination.return_in_best_interests else Answer.NO, Answer
                ),
            )
            self.field(
                N_("Recorded"),
                f"{_moment(determination.recorded_at)}, {self.who(determination.recorded_by)}",
            )

    def _consents(self) -> None:
        consents = self.view.consents
        if not consents and self.view.case.track != Track.ADULT:
            return  # a minor's file needs no empty section: consent is the adult's
        self.section(N_("The adult's own consent"))
        if not consents:
            self.none()
            return
        for consent in consents:
            given = _moment(consent.given_at)
            if self.staff:
                given = f"{given}, {self.who(consent.given_by)}"
            self.field(
                self.label(consent.kind, ConsentKind),
                f"{self.label(consent.answer, Answer)} ({given})",
            )
            self.field(N_("Note"), consent.note)

    def _approvals(self) -> None:
        self.section(N_("Approvals (four eyes)"))
        if not self.view.approvals:
            self.none()
            return
        for approval in self.view.approvals:
            self.subsection(
                f"{self.label(approval.kind, ApprovalKind)}: "
                f"{self.label(approval.state, ApprovalState)}"
            )
            self.field(
                N_("Requested"),
                f"{_moment(approval.requested_at)}, {self.who(approval.requested_by)}",
            )
            self.field(N_("Note"), approval.note)
            if approval.decided_at is not None:
                self.field(
                    N_("Decided"),
                    f"{_moment(approval.decided_at)}, {self.who(approval.decided_by)}",
                )
            self.field(N_("Reason"), approval.reason)

    def _family_group(self) -> None:
        view = self.view
        if view.group is None:
            return
        self.section(N_("Family group"))
        self.field(N_("Group"), view.group.name)
        others = view.group_cases
        if not self.staff and others:
            # The group's other cases, as far as the reader may see them.
            seen = set(
                self.session.scalars(
                    select(Case.id).where(
                        Case.id.in_([c.id for c in others]), visible_cases(self.principal)
                    )
                )
            )
            others = [c for c in others if c.id in seen]
        for other in others:
            self.field(other.number, self.label(other.status, CaseStatus))

    def _round(self) -> None:
        self.section(N_("Round of return"))
        member = round_of_case(self.session, case_id=self.view.case.id)
        if member is None:
            self.none()
            return
        round_ = self.session.get(ReturnRound, member.round_id)
        if round_ is None:  # pragma: no cover - a member's round is a foreign key
            self.none()
            return
        self.field(N_("Round"), round_.name)
        self.field(N_("Planned for"), round_.planned_on.isoformat())
        self.field(N_("Route"), round_.route)
        self.field(N_("Escort"), round_.escort)
        self.field(N_("Handover point"), round_.handover_point)
        not_yet = self.t(N_("not yet"))
        self.field(N_("Departed"), _moment(member.departed_at) if member.departed_at else not_yet)
        self.field(
            N_("Handed over"),
            _moment(member.handed_over_at) if member.handed_over_at else not_yet,
        )
        self.field(N_("Travels apart from the family group because"), member.apart_reason)

    def _visits(self) -> None:
        visits = self.view.visits
        if not visits:
            return
        self.section(N_("Follow-up visits"))
        for visit in visits:
            if visit.done_on is not None:
                done = self.say(N_("done on {day}"), day=visit.done_on.isoformat())
                state = f"{done}: {visit.outcome}" if visit.outcome else done
            elif visit.waived_reason:
                state = self.say(N_("waived: {reason}"), reason=visit.waived_reason)
            else:
                state = self.t(N_("not yet"))
            who = self.who(visit.recorded_by)
            self.field(
                self.say(N_("Visit due on {day}"), day=visit.due_on.isoformat()),
                f"{state} ({who})" if who else state,
            )

    def _timeline(self) -> None:
        self.section(N_("Timeline"))
        events = self.view.events
        if not events:
            self.none()
            return
        for event in events:
            what = self.label(event.kind, EventKind)
            if event.kind == EventKind.TRANSITION and event.to_status:
                what = (
                    f"{what}: {self.label(event.from_status or '', CaseStatus)} → "
                    f"{self.label(event.to_status, CaseStatus)}"
                )
            heading = f"{_moment(event.at)} · {what}"
            if self.staff and event.actor:
                heading += f" · {event.actor}"
            self.pdf.set_font(FONT, "B", 9.5)
            self.paragraph(heading)
            self.pdf.set_font(FONT, "", 9.5)
            details = event.details or {}
            lines = [event.reason] if event.reason else []
            if event.kind == EventKind.HANDOVER and details.get("received_by"):
                lines.append(self.say(N_("received by {who}"), who=str(details["received_by"])))
            for line in lines:
                self.pdf.set_x(MARGIN + 5)
                self.pdf.multi_cell(0, LINE, line, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _decision_label(code: str) -> str:
    try:
        return CandidateStatus(code).label
    except ValueError:
        return code


def _capital(text: str) -> str:
    """Return a label as a line begins it (vocabularies' labels are written in lower case)."""
    return text[:1].upper() + text[1:]


def _distinct(values: Iterable[str]) -> list[str]:
    """Return the non-empty values, each once, in the order first seen."""
    seen: dict[str, None] = {}
    for value in values:
        text = (value or "").strip()
        if text:
            seen.setdefault(text, None)
    return list(seen)


def _as_utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _moment(moment: datetime | None) -> str:
    """Return a time as people write it on paper, in UTC (both parties read the same)."""
    if moment is None:
        return ""
    return _as_utc(moment).strftime("%Y-%m-%d %H:%M UTC")


def _day(moment: datetime | date | None) -> str:
    if moment is None:
        return ""
    if isinstance(moment, datetime):
        return _as_utc(moment).date().isoformat()
    return moment.isoformat()


__all__ = ["PRINTERS", "CaseFile", "font_files", "print_case"]
