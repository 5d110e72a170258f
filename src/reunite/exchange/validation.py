"""Turn raw rows into clean record fields, or into precise row errors.

Every problem is reported as `file:row: column: reason`, rows numbered as a spreadsheet
shows them (the header is row 1), so a liaison can open the file and fix it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from reunite.errors import FileRejected
from reunite.exchange.readers import RawRow, cell_text
from reunite.records import cleaning
from reunite.records.columns import CANONICAL_COLUMNS, canonical_column
from reunite.vocabulary import N_, Message, say

NAME_FIELDS = ("given_name", "surname", "patronymic")
PERSON_NAME_FIELDS = ("mother_name", "father_name")
PLACE_FIELDS = ("birth_place", "last_known_place", "current_location")
TEXT_FIELDS = (
    "nationality",
    "separation_circumstances",
    "distinguishing_marks",
    "institution",
    "contact",
)
FLAG_FIELDS = ("withheld", "withdrawn")
# The fields a record stores, in the order lists are exported: every canonical column but
# the id (the record's key) and the full name (split into its parts on the way in).
RECORD_FIELDS = tuple(c for c in CANONICAL_COLUMNS if c not in ("id", "full_name"))
MAX_ID_LENGTH = 200
# Distinct cell values remembered per column: names, places and dates repeat across a list,
# and cleaning each distinct value once makes large imports several times faster.
MEMO_LIMIT = 20_000


_PARSE, _EXTRA, _FULL_NAME, _SKIP = "parse", "extra", "full_name", "skip"


class _Action:
    """What becomes of one column's cells: parsed into a field, kept as extra, or skipped."""

    __slots__ = ("canonical", "kind", "memo")

    def __init__(
        self, kind: str, canonical: str = "", memo: dict[object, object] | None = None
    ) -> None:
        self.kind = kind
        self.canonical = canonical
        self.memo: dict[object, object] = {} if memo is None else memo


class _Failure:
    """A cleaning error remembered for a cell value."""

    __slots__ = ("reason",)

    def __init__(self, reason: Message) -> None:
        self.reason = reason


@dataclass(frozen=True)
class RowError:
    """One reason a row cannot be accepted."""

    row: int
    column: str
    reason: Message

    def render(self, filename: str) -> str:
        """Format as `file:row: column: reason` (in English)."""
        return str(self.line(filename))

    def line(self, filename: str) -> Message:
        """Return `file:row: column: reason` as a message a page translates."""
        return say(
            N_("{file}:{row}: {column}: {reason}"),
            file=filename,
            row=self.row,
            column=Message(self.column) if self.column in WHOLE_ROW else self.column,
            reason=self.reason,
        )


# Problems that concern a row as a whole, not a column the file names.
ROW = N_("(row)")
NAME = N_("(name)")
WHOLE_ROW = frozenset({ROW, NAME})


@dataclass
class CleanRow:
    """A valid row: the record id, cleaned fields present in the file, extras and the original."""

    number: int
    external_id: str
    fields: dict[str, Any]
    extra: dict[str, str]
    original: dict[str, str]


@dataclass
class ColumnPlan:
    """How each header of a file maps onto record fields."""

    filename: str
    canonical: dict[str, str] = field(default_factory=dict)  # header -> canonical name
    extra: list[str] = field(default_factory=list)
    id_header: str = ""
    # Columns read by someone else and not kept with the record (a ZIP's attachments).
    skipped: set[str] = field(default_factory=set)

    def skip(self, header: str) -> None:
        """Leave a column out of the records (its cells are read elsewhere)."""
        self.skipped.add(header)
        if header in self.extra:
            self.extra.remove(header)

    @property
    def fields_present(self) -> set[str]:
        """Return the record fields this file speaks about (others stay as they were)."""
        present = set(self.canonical.values())
        if "full_name" in present:
            present.update(NAME_FIELDS)
        present.discard("full_name")
        present.discard("id")
        return present

    def learn(self, header: str) -> None:
        """Place a header met only later in the file (JSON objects may differ in keys)."""
        if header in self.canonical or header in self.extra:
            return
        column = canonical_column(header)
        if column is not None and column not in self.canonical.values():
            self.canonical[header] = column
        else:
            self.extra.append(header)


def plan_columns(header: list[str], *, filename: str, is_json: bool = False) -> ColumnPlan:
    """Map a header onto record fields; refuse files whose header cannot work."""
    plan = ColumnPlan(filename)
    problems: list[Message] = []
    seen: dict[str, str] = {}
    for position, raw in enumerate(header, start=1):
        title = raw or f"column {position}"
        if title in seen and raw:
            problems.append(
                say(
                    N_("{file}:1: {column}: the header names this column twice"),
                    file=filename,
                    column=title,
                )
            )
            continue
        column = canonical_column(raw) if raw else None
        if column is not None:
            clash = next((h for h, c in plan.canonical.items() if c == column), None)
            if clash is not None:
                problems.append(
                    say(
                        N_("{file}:1: {column}: means the same as column {other} ({field})"),
                        file=filename,
                        column=title,
                        other=repr(clash),
                        field=column,
                    )
                )
                continue
            plan.canonical[title] = column
        else:
            plan.extra.append(title)
        seen[title] = title
    ids = [h for h, c in plan.canonical.items() if c == "id"]
    if ids:
        plan.id_header = ids[0]
    elif not is_json or header:
        problems.append(
            say(
                N_(
                    "{file}:1: no id column: every row needs the party's own identifier "
                    "(a column named id, ід, идентификатор or №)"
                ),
                file=filename,
            )
        )
    names = {"given_name", "surname", "full_name"} & set(plan.canonical.values())
    if not names and (not is_json or header):
        problems.append(
            say(
                N_("{file}:1: no name column: give at least surname, given_name or full_name"),
                file=filename,
            )
        )
    if problems:
        raise FileRejected(
            say(N_("{file}: the header cannot be used"), file=filename),
            problems=[str(problem) for problem in problems],
            lines=problems,
        )
    return plan


class RowCleaner:
    """Clean raw rows against a column plan; reusable for a whole file."""

    def __init__(
        self,
        plan: ColumnPlan,
        *,
        today: dt.date | None = None,
        only: frozenset[str] | None = None,
    ) -> None:
        self.plan = plan
        self.today = today or dt.date.today()
        # With `only`, the other fields are neither cleaned nor checked, and unknown columns
        # are not kept: for readers (like matching) that use a few fields of each row.
        self.only = only
        self._parsers: dict[str, Callable[[Any], Any]] = {
            "sex": lambda v: cleaning.parse_sex(cell_text(v)) or "",
            "birth_date": lambda v: cleaning.parse_birth_date(v, today=self.today) or "",
            "separation_date": lambda v: (
                cleaning.parse_date(v, field=cleaning.SEPARATION_DATE, today=self.today) or ""
            ),
            "name_variants": lambda v: "; ".join(cleaning.split_variants(cell_text(v))),
        }
        for name in NAME_FIELDS + PERSON_NAME_FIELDS:
            self._parsers[name] = lambda v: cleaning.clean_name(cell_text(v))
        for name in PLACE_FIELDS:
            self._parsers[name] = lambda v: cleaning.clean_place(cell_text(v))
        for name in TEXT_FIELDS:
            self._parsers[name] = lambda v: cleaning.clean_text(cell_text(v))
        for name in FLAG_FIELDS:
            self._parsers[name] = cleaning.parse_flag
        self._memo: dict[str, dict[object, object]] = {name: {} for name in self._parsers}
        # What to do with each column, decided once per header rather than once per cell.
        self._actions: dict[str, _Action] = {}
        self._extra_memo: dict[str, str] = {}
        self._defaults: list[tuple[str, object]] | None = None

    def _parse_uncached(self, canonical: str, value: object, memo: dict[object, object]) -> object:
        """Clean one cell met for the first time, remembering the outcome if it may come again."""
        try:
            outcome = self._parsers[canonical](value)
        except cleaning.CleaningError as exc:
            outcome = _Failure(exc.message)
        if isinstance(value, str) and len(memo) < MEMO_LIMIT:
            memo[value] = outcome
        return outcome

    def _action(self, column: str) -> _Action:
        """Decide what a column's cells become; JSON lists may bring new headers late."""
        plan = self.plan
        if column in plan.skipped:
            self._actions[column] = _Action(_SKIP)
            return self._actions[column]
        canonical = plan.canonical.get(column)
        if canonical is None and column not in plan.extra:
            plan.learn(column)
            canonical = plan.canonical.get(column)
            self._defaults = None
        if canonical is None:
            action = _Action(_EXTRA if self.only is None else _SKIP)
        elif canonical == "id" or (
            self.only is not None and canonical != "full_name" and canonical not in self.only
        ):
            action = _Action(_SKIP)
        elif canonical == "full_name":
            action = _Action(_FULL_NAME)
        else:
            action = _Action(_PARSE, canonical, self._memo[canonical])
        self._actions[column] = action
        return action

    def _field_defaults(self) -> list[tuple[str, object]]:
        """Return the value each field the file speaks about takes when its cell is absent."""
        if self._defaults is None:
            self._defaults = [
                (name, False if name in FLAG_FIELDS else "") for name in self.plan.fields_present
            ]
        return self._defaults

    def clean(self, raw: RawRow) -> CleanRow | list[RowError]:
        """Return the clean row, or every error found in it."""
        plan = self.plan
        errors: list[RowError] = []
        number = raw.number
        if raw.surplus:
            width = len(raw.cells)
            errors.append(
                RowError(
                    number,
                    ROW,
                    say(
                        N_("{cells} cells but the header has {columns} columns"),
                        cells=width + raw.surplus,
                        columns=width,
                    ),
                )
            )
        if raw.problem:
            column, reason = raw.problem
            errors.append(RowError(number, column, reason))
        cells = raw.cells
        original = (
            cells
            if raw.text_only
            else {column: cell_text(value) for column, value in cells.items()}
        )
        fields: dict[str, Any] = {}
        extra: dict[str, str] = {}
        full_name = ""
        actions = self._actions
        max_length = cleaning.MAX_CELL_LENGTH
        for column, text in original.items():
            if len(text) > max_length:
                errors.append(
                    RowError(
                        number,
                        column,
                        say(
                            N_("cell is {length} characters long; the limit is {limit}"),
                            length=f"{len(text):,}",
                            limit=f"{max_length:,}",
                        ),
                    )
                )
                continue
            action = actions.get(column) or self._action(column)
            kind = action.kind
            if kind == _PARSE:
                value = cells[column]
                memo = action.memo
                outcome = memo.get(value) if type(value) is str else None
                if outcome is None:
                    outcome = self._parse_uncached(action.canonical, value, memo)
                if type(outcome) is _Failure:
                    errors.append(RowError(number, column, outcome.reason))
                else:
                    fields[action.canonical] = outcome
            elif kind == _EXTRA:
                if text.strip():
                    extra[column] = self._extra_text(text)
            elif kind == _FULL_NAME:
                full_name = text
        external_id = cleaning.clean_text(original.get(plan.id_header, ""))
        if not external_id:
            errors.append(RowError(number, plan.id_header or "id", say(N_("the id is empty"))))
        elif len(external_id) > MAX_ID_LENGTH:
            errors.append(
                RowError(
                    number,
                    plan.id_header,
                    say(N_("the id is longer than {limit}"), limit=MAX_ID_LENGTH),
                )
            )
        if full_name.strip():
            self._fill_from_full_name(number, full_name, fields, errors)
        if not fields.get("withdrawn") and not (
            fields.get("given_name") or fields.get("surname") or fields.get("patronymic")
        ):
            errors.append(
                RowError(number, NAME, say(N_("no name: give a surname or a given name")))
            )
        if errors:
            return errors
        for name, default in self._field_defaults():
            if name not in fields:
                fields[name] = default
        return CleanRow(number, external_id, fields, extra, original)

    def _extra_text(self, text: str) -> str:
        memo = self._extra_memo
        cleaned = memo.get(text)
        if cleaned is None:
            cleaned = cleaning.clean_text(text)
            if len(memo) < MEMO_LIMIT:
                memo[text] = cleaned
        return cleaned

    def _fill_from_full_name(
        self, row: int, full_name: str, fields: dict[str, Any], errors: list[RowError]
    ) -> None:
        header = next(h for h, c in self.plan.canonical.items() if c == "full_name")
        try:
            surname, given, patronymic = cleaning.split_full_name(full_name)
        except cleaning.CleaningError as exc:
            errors.append(RowError(row, header, exc.message))
            return
        # Separate name columns, when filled, are more precise than a split full name.
        for name, value in (
            ("surname", surname),
            ("given_name", given),
            ("patronymic", patronymic),
        ):
            if not fields.get(name):
                fields[name] = value
