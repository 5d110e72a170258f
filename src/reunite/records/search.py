"""Finding records by name in any script or transliteration.

A caseworker types «Oleksandr Lysenko», «Олександр Лисенко» or «Александр Лысенко» and
expects the same child. Each record keeps a `search_key`: the tokens its names reduce to
(the folded ASCII skeleton of every name word, the given-name identities the matching
engine knows, and the gender-neutral surname keys with their Russian forms). A query word
is expanded the same way, and a record matches when every query word meets one of its
tokens. The tokens are stored space-separated with a space at both ends, so a plain `LIKE`
finds whole tokens on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import Session

from reunite.audit.service import record_event
from reunite.auth.principal import Principal
from reunite.errors import InvalidInput
from reunite.exchange.models import LIST_KINDS
from reunite.matching import names
from reunite.records.access import visible_records
from reunite.records.models import Record

# The record fields whose words go into the key.
SEARCH_FIELDS = (
    "given_name",
    "surname",
    "patronymic",
    "name_variants",
    "mother_name",
    "father_name",
)
MAX_QUERY_LENGTH = 300
MAX_QUERY_WORDS = 8
MAX_LIMIT = 500
# A folded query word this long or longer also matches as the start of a token: «Lys»
# finds Лисенко. Shorter ones would match half the list.
PREFIX_MIN = 3
_WORD_SPLIT = re.compile(r"[\s;,|/()\"]+")
_GIVEN_MARK = "="
_FATHER_MARK = "^"
_ID_MARK = "#"


@lru_cache(maxsize=200_000)
def _word_tokens(word: str) -> frozenset[str]:
    """Return the tokens one name word stands for: its fold, given-name ids, surname keys."""
    key = names.fold(word)
    if not key:
        return frozenset()
    tokens = {key, *names.surname_keys(word)}
    for identity in names.given_name_ids(word):
        # An unknown name's identity is only its own fold, already a token.
        if not identity.startswith("fold:"):
            tokens.add(_GIVEN_MARK + identity)
    # A patronymic names the father: Миколайович, Mykolaiovych and Николаевич meet there.
    tokens.update(_FATHER_MARK + identity for identity in names.patronymic_father_ids(word))
    return frozenset("_".join(token.split()) for token in tokens if token)


def _words(text: str) -> list[str]:
    return [word for word in _WORD_SPLIT.split(text) if word]


@lru_cache(maxsize=100_000)
def _text_tokens(text: str) -> frozenset[str]:
    """Return the tokens of every word of one field's text (names repeat across a list)."""
    tokens: set[str] = set()
    for word in _words(text):
        tokens |= _word_tokens(word)
    return frozenset(tokens)


def search_key_of(values: Mapping[str, Any]) -> str:
    """Build the search key of a record from its fields (a mapping of field name to value)."""
    tokens: set[str] = set()
    for field in SEARCH_FIELDS:
        text = values.get(field) or ""
        if isinstance(text, str) and text:
            tokens |= _text_tokens(text)
    external_id = values.get("external_id") or ""
    if isinstance(external_id, str) and external_id.strip():
        tokens.add(_ID_MARK + "_".join(external_id.lower().split()))
    if not tokens:
        return ""
    return " " + " ".join(sorted(tokens)) + " "


def record_search_key(record: Record) -> str:
    """Build the search key of a record object."""
    values: dict[str, Any] = {field: getattr(record, field) for field in SEARCH_FIELDS}
    values["external_id"] = record.external_id
    return search_key_of(values)


def _query_words(query: str) -> list[str]:
    query = " ".join(query.split())
    if len(query) > MAX_QUERY_LENGTH:
        raise InvalidInput(f"the search is longer than {MAX_QUERY_LENGTH} characters")
    words = _words(query)
    if len(words) > MAX_QUERY_WORDS:
        raise InvalidInput(f"search with at most {MAX_QUERY_WORDS} words")
    return words


def _word_condition(word: str) -> ColumnElement[bool]:
    tokens = _word_tokens(word) | {_ID_MARK + word.lower()}
    key = names.fold(word)
    patterns = {f" {token} " for token in tokens}
    if len(key) >= PREFIX_MIN and " " not in key:
        # « key» finds every key that « key » would, and more: one scan of the key less.
        patterns.discard(f" {key} ")
        patterns.add(f" {key}")
    return or_(*(Record.search_key.contains(p, autoescape=True) for p in sorted(patterns)))


def _filtered(
    principal: Principal, query: str, kind: str | None, party_id: int | None
) -> Select[Record]:
    if kind is not None and kind not in LIST_KINDS:
        raise InvalidInput(f"unknown kind {kind!r}; use requests or disclosures")
    statement = select(Record).where(visible_records(principal))
    if kind is not None:
        statement = statement.where(Record.kind == kind)
    if party_id is not None:
        statement = statement.where(Record.party_id == party_id)
    conditions = [_word_condition(word) for word in _query_words(query)]
    if conditions:
        statement = statement.where(and_(*conditions))
    return statement


def _in_name_order(session: Session, statement: Select[Record]) -> Select[Record]:
    if session.get_bind().dialect.name == "sqlite":
        # SQLite has no index for the key patterns. Ordered by the plain column, it walks
        # the surname index and fetches each record out of order until a page is full:
        # quick for a common name, two full passes for a rare one or none. Ordered by an
        # expression, it reads the table once in storage order and keeps the first page:
        # one pass at most, whatever the name (bench/search_speed.py).
        return statement.order_by(Record.surname.concat(""), Record.given_name, Record.id)
    return statement.order_by(Record.surname, Record.given_name, Record.id)


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
) -> list[Record]:
    """Return the records the caller may see whose names match every word of the query."""
    statement = _filtered(principal, query, kind, party_id)
    limit = min(max(limit, 1), MAX_LIMIT)
    offset = max(offset, 0)
    found = list(session.scalars(_in_name_order(session, statement).limit(limit).offset(offset)))
    # Searching reads personal data: who looked for whom is itself worth keeping.
    record_event(
        session,
        actor=principal,
        action="records.search",
        subject_type="record",
        details={
            "query": " ".join(query.split())[:MAX_QUERY_LENGTH],
            "kind": kind,
            "party_id": party_id,
            "offset": offset,
            "results": len(found),
        },
        address=address,
    )
    return found


def count_search(
    session: Session,
    *,
    principal: Principal,
    query: str,
    kind: str | None = None,
    party_id: int | None = None,
) -> int:
    """Count the records `search_records` would find across all pages."""
    statement = _filtered(principal, query, kind, party_id)
    counted = select(func.count()).select_from(statement.subquery())
    return session.scalar(counted) or 0
