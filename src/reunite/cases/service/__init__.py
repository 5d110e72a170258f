"""The way home, as services: open cases, move them by the rules, record what the steps rest on.

Every change to a case goes through here; pages, the API, flows and jobs call these, never the
tables. Modules by concern: `_opening` (one case per sought child), `_transitions` (the graph,
the requirements, four-eyes approvals), `_steps` (verification, best interests, consent),
`_work` (assignment, notes, tasks, family groups), `_track` (the daily look at ages),
`_reading` (a case with what it rests on, lists, caseloads).
"""

from reunite.cases.service._common import IllegalTransition, add_event, move
from reunite.cases.service._opening import join_duplicates, open_cases
from reunite.cases.service._reading import (
    CaseFilter,
    Caseload,
    CaseView,
    case_filter,
    caseload,
    cases_of_request,
    count_cases,
    list_cases,
    read_case,
)
from reunite.cases.service._requirements import confirmed_match, unmet
from reunite.cases.service._steps import (
    record_best_interests,
    record_consent,
    record_contact,
    record_determination,
    record_verification,
    side_of,
    sign_verification,
)
from reunite.cases.service._track import TrackReport, update_tracks
from reunite.cases.service._transitions import (
    Moved,
    case_of_request,
    case_resting_on,
    check_move,
    decide_approval,
    located_by,
    request_approval,
    status_of,
    transition,
    unlocated_by_reversal,
)
from reunite.cases.service._work import (
    add_note,
    add_task,
    assign,
    complete_task,
    group_cases,
    leave_group,
    link_adult,
)

__all__ = [
    "CaseFilter",
    "CaseView",
    "Caseload",
    "IllegalTransition",
    "Moved",
    "TrackReport",
    "add_event",
    "add_note",
    "add_task",
    "assign",
    "case_filter",
    "case_of_request",
    "case_resting_on",
    "caseload",
    "cases_of_request",
    "check_move",
    "complete_task",
    "confirmed_match",
    "count_cases",
    "decide_approval",
    "group_cases",
    "join_duplicates",
    "leave_group",
    "link_adult",
    "list_cases",
    "located_by",
    "move",
    "open_cases",
    "read_case",
    "record_best_interests",
    "record_consent",
    "record_contact",
    "record_determination",
    "record_verification",
    "request_approval",
    "side_of",
    "sign_verification",
    "status_of",
    "transition",
    "unlocated_by_reversal",
    "unmet",
    "update_tracks",
]
