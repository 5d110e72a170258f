"""Likely duplicates: two records of one party and kind that may stand for one child.

A family asks for its child twice (a regional office's list and the web form, or the same
request sent again under a new reference); a custodial party may disclose one child twice.
Stored without a word, each copy would be matched, reviewed and released on its own.

Each list is checked once it is stored (`flag_duplicates`, called by the importer for every
door: command line, upload page, API, the family's form): every record it added, corrected
or restored is compared with the records of the same party and kind that share one of its
blocking keys (the full date of birth with the given name, or with the surname, each
reduced to one identity: `records.keys.duplicate_keys_of`, indexed), which includes the
list's own other rows. The pairs `likely_same_child` accepts are stored as `suspected`
(`RecordLink`); a caseworker links them ("the same child") or dismisses them, each with a
reason, audited. A pair is flagged once: a dismissed pair is never flagged again.
"""

from reunite.records.duplicates._deciding import (
    MAX_REASON,
    MESSAGES,
    LinkDecision,
    decide_duplicate,
    linked_requests,
)
from reunite.records.duplicates._flagging import MAX_BUCKET, flag_duplicates, flagged_in_batch
from reunite.records.duplicates._reading import (
    DuplicateOf,
    DuplicatePair,
    count_duplicates,
    duplicates_of,
    list_duplicates,
)
from reunite.records.duplicates._rule import likely_same_child
from reunite.records.models import LinkStatus

__all__ = [
    "MAX_BUCKET",
    "MAX_REASON",
    "MESSAGES",
    "DuplicateOf",
    "DuplicatePair",
    "LinkDecision",
    "LinkStatus",
    "count_duplicates",
    "decide_duplicate",
    "duplicates_of",
    "flag_duplicates",
    "flagged_in_batch",
    "likely_same_child",
    "linked_requests",
    "list_duplicates",
]
