"""Finding records by name in any script or transliteration, and saying why each was found.

A caseworker types «Oleksandr Lysenko», «Олександр Лисенко» or «Александр Лысенко» and
expects the same child. Each record keeps a `search_key`: the tokens its names reduce to
(the folded ASCII skeleton of every name word, the given-name identities the matching
engine knows, and the gender-neutral surname keys with their Russian forms; see
`reunite.records.keys`). A query word is expanded the same way, and a record matches when
every query word meets one of its tokens. The tokens are stored space-separated with a
space at both ends, so a plain `LIKE` finds whole tokens on SQLite and PostgreSQL alike.

The key keeps the tokens by source: the child's own names and reference before a `|`, the
parents' after it. A record whose every query word is met before the mark was found by the
child (or its reference) and comes first; the others needed a parent's name. Each hit
names its reasons (`FoundBy`), computed from the record's fields with the very patterns the
query used. Within each group, records are in `sort_key` order, so one child's spellings
are neighbours.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    case,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.orm import InstrumentedAttribute, Session

from reunite.audit.service import record_event
from reunite.audit.terms import search_terms
from reunite.auth.principal import Principal
from reunite.errors import InvalidInput
from reunite.exchange.models import LIST_KINDS
from reunite.matching import names
from reunite.records.access import visible_records
from reunite.records.enums import FoundBy
from reunite.records.keys import (
    ID_MARK,
    SEARCH_FIELDS,
    SOURCE_MARK,
    search_key_of,
    source_keys,
    split_words,
    word_tokens,
)
from reunite.records.models import Record

__all__ = [
    "MAX_LIMIT",
    "SEARCH_FIELDS",
    "FoundBy",
    "SearchHit",
    "count_search",
    "search_key_of",
    "search_records",
]

MAX_QUERY_LENGTH = 300
MAX_QUERY_WORDS = 8
MAX_LIMIT = 500
# A folded query word this long or longer also matches as the start of a token: «Lys»
# finds Лисенко. Shorter ones would match half the list.
PREFIX_MIN = 3


@dataclass(frozen=True, slots=True)
class SearchHit:
    """A record a search found, and why: which sources its query words met."""

    record: Record
    found_by: frozenset[FoundBy] = frozenset()
    # The parents' names (as stored) that a query word met only there.
    parent_names: tuple[str, ...] = ()

    @property
    def reasons(self) -> list[FoundBy]:
        """Return the reasons in a fixed order: the child's name, the reference, a parent."""
        return [reason for reason in FoundBy if reason in self.found_by]


def _query_words(query: str) -> list[str]:
    query = " ".join(query.split())
    if len(query) > MAX_QUERY_LENGTH:
        raise InvalidInput(f"the search is longer than {MAX_QUERY_LENGTH} characters")
    words = split_words(query)
    if len(words) > MAX_QUERY_WORDS:
        raise InvalidInput(f"search with at most {MAX_QUERY_WORDS} words")
    return words


def word_patterns(word: str) -> list[str]:
    """Return the substrings of a key, any of which means the key meets this query word."""
    tokens = word_tokens(word) | {ID_MARK + word.lower()}
    key = names.fold(word)
    patterns = {f" {token} " for token in tokens}
    if len(key) >= PREFIX_MIN and " " not in key:
        # « key» finds every key that « key » would, and more: one scan of the key less.
        patterns.discard(f" {key} ")
        patterns.add(f" {key}")
    return sorted(patterns)


def _meets(column: InstrumentedAttribute[str], patterns: list[str]) -> ColumnElement[bool]:
    return or_(*(column.contains(pattern, autoescape=True) for pattern in patterns))


def _escaped(pattern: str) -> str:
    return pattern.replace("/", "//").replace("%", "/%").replace("_", "/_")


def _meets_child(patterns: list[str]) -> ColumnElement[bool]:
    # A pattern met before the source mark is in the child's names or the reference (the key
    # holds one mark, and no token holds one).
    return or_(
        *(
            Record.search_key.like(f"%{_escaped(pattern)}%{SOURCE_MARK}%", escape="/")
            for pattern in patterns
        )
    )


def _filtered(
    principal: Principal, words: list[list[str]], kind: str | None, party_id: int | None
) -> Select[Record]:
    if kind is not None and kind not in LIST_KINDS:
        raise InvalidInput(f"unknown kind {kind!r}; use requests or disclosures")
    statement = select(Record).where(visible_records(principal))
    if kind is not None:
        statement = statement.where(Record.kind == kind)
    if party_id is not None:
        statement = statement.where(Record.party_id == party_id)
    if words:
        statement = statement.where(and_(*(_meets(Record.search_key, p) for p in words)))
    return statement


def _page(
    session: Session,
    statement: Select[Record],
    words: list[list[str]],
    *,
    limit: int,
    offset: int,
) -> list[Record]:
    """Return one page of the matching records: the child's own name first, by sort key."""
    if not words:
        ordered = statement.order_by(Record.sort_key, Record.id)
        return list(session.scalars(ordered.limit(limit).offset(offset)))
    # The child's own names (or its reference) answer every word: found by the child.
    own_name = and_(*(_meets_child(patterns) for patterns in words))
    rank = case((own_name, literal(0)), else_=literal(1))
    if session.get_bind().dialect.name != "postgresql":
        # SQLite has no index for the key patterns: ordered by an expression, it reads the
        # table once and keeps the first page, whatever the name (walking an index in order
        # would fetch every record out of order, twice over for a rare name).
        ordered = statement.order_by(rank, Record.sort_key, Record.id)
        return list(session.scalars(ordered.limit(limit).offset(offset)))
    # PostgreSQL walks the sort-key index and stops at the page for a common name, or reads
    # a rare one from the trigram index; ordering by the rank first would make it read every
    # match. So the page is cut from at most two reads in sort-key order:
    depth = offset + limit
    by_name = (Record.sort_key, Record.id)
    ranked = statement.with_only_columns(Record.id, rank).order_by(*by_name).limit(depth)
    first = session.execute(ranked).all()  # the ids of the first matches, with their rank
    own = [row[0] for row in first if row[1] == 0]
    others = [row[0] for row in first if row[1] == 1]
    if len(first) == depth and others:
        # More matches than reach the page, some through a parent: the first records found
        # by the child's own name, whole. When there are fewer of them than the page, the
        # others of `first` follow them (they are the first such records in order).
        found = list(session.scalars(statement.where(own_name).order_by(*by_name).limit(depth)))
        if len(found) == depth:
            return found[offset:]
        own = [record.id for record in found]
    ids = (own + others)[offset:depth]
    if not ids:
        return []
    loaded = {r.id: r for r in session.scalars(select(Record).where(Record.id.in_(ids)))}
    return [loaded[record_id] for record_id in ids]


def _fields(record: Record) -> dict[str, Any]:
    values: dict[str, Any] = {field: getattr(record, field) for field in SEARCH_FIELDS}
    values["external_id"] = record.external_id
    return values


def _hit(record: Record, words: list[list[str]]) -> SearchHit:
    """Say why a record was found: per word, the child's name first, then the reference,
    then the parents; the reason is the first source the word meets."""
    keys = source_keys(_fields(record))
    found: set[FoundBy] = set()
    parents: list[str] = []
    for patterns in words:
        if any(pattern in keys["child"] for pattern in patterns):
            found.add(FoundBy.CHILD_NAME)
        elif any(pattern in keys["reference"] for pattern in patterns):
            found.add(FoundBy.REFERENCE)
        else:
            for field, source in (("mother_name", "mother"), ("father_name", "father")):
                if any(pattern in keys[source] for pattern in patterns):
                    found.add(FoundBy.PARENT_NAME)
                    name = getattr(record, field)
                    if name not in parents:
                        parents.append(name)
    return SearchHit(record, frozenset(found), tuple(parents))


def search_records(
    session: Session,
    *,
    principal: Principal,
    query: str,
    kind: str | None = None,
    party_id: int | None = None,
    limit: int = 50,
    offset: int = 0,
    address: str = "",
) -> list[SearchHit]:
    """Return the records the caller may see whose names match every word of the query.

    Records found by the child's own name come first, then those found through a parent's
    name; each in sort-key order. Each hit says why it was found.
    """
    words = [word_patterns(word) for word in _query_words(query)]
    limit = min(max(limit, 1), MAX_LIMIT)
    offset = max(offset, 0)
    statement = _filtered(principal, words, kind, party_id)
    found = _page(session, statement, words, limit=limit, offset=offset)
    # Searching reads personal data: who looked for whom is itself worth keeping.
    record_event(
        session,
        actor=principal,
        action="records.search",
        subject_type="record",
        details={
            # Who was looked for is not kept in clear (audit.terms).
            **search_terms(query[:MAX_QUERY_LENGTH]),
            "kind": kind,
            "party_id": party_id,
            "offset": offset,
            "results": len(found),
        },
        address=address,
    )
    return [_hit(record, words) for record in found]


def count_search(
    session: Session,
    *,
    principal: Principal,
    query: str,
    kind: str | None = None,
    party_id: int | None = None,
) -> int:
    """Count the records `search_records` would find across all pages."""
    words = [word_patterns(word) for word in _query_words(query)]
    statement = _filtered(principal, words, kind, party_id)
    counted = select(func.count()).select_from(statement.subquery())
    return session.scalar(counted) or 0
