"""The keys a record's fields reduce to: stored beside the record, recomputed on every write.

- `search_key`: the tokens of every name (the child's and the parents') and the party's
  reference, in every script (`reunite.records.search` matches query words against it),
  by source: first the tokens of the child's own names and of the reference, then `|`,
  then the tokens only the parents' names give (`" lisenko oleksandr #ua-1 | olha "`). A
  query word met before the `|` was met in the child's own name; a record whose every word
  is met there was found by the child, otherwise a parent's name was needed, and search
  says so.
- `sort_key`: the surname, then the given name, as script-independent skeletons
  («Лисенко Олександр», «Lysenko Oleksandr» and «Лысенко Александр» are all
  `lisenko oleksandr`), so that one child's spellings are neighbours in every list.
- `dup_given_key`, `dup_surname_key`: the full date of birth with the child's given name,
  or with its surname, reduced to one identity each, and stored as an 8-byte digest (a
  narrower row and index; two keys that collide only cost a comparison, the rule decides).
  They are the blocking keys of likely duplicates (`reunite.records.duplicates`): two
  records of one party that may be one child share at least one of them. Empty (NULL)
  when the date of birth is not known to the day or no parent is named (nor a
  patronymic), since nothing could then be called a duplicate.

Every key is computed from the fields alone with the matching library's name functions, so
bulk imports (exchange), ORM writes (records.models) and the migration agree.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from reunite.matching import names

# The fields of the child's own names, and of its parents' names.
CHILD_FIELDS = ("given_name", "surname", "patronymic", "name_variants")
PARENT_FIELDS = ("mother_name", "father_name")
SEARCH_FIELDS = CHILD_FIELDS + PARENT_FIELDS
# Every field a key depends on (besides the reference, which never changes).
KEY_FIELDS = (*SEARCH_FIELDS, "birth_date")
# The stored key columns, in the order `key_values` gives them.
KEY_COLUMNS = ("search_key", "sort_key", "dup_given_key", "dup_surname_key")
SORT_KEY_LENGTH = 200

# Splits the search key by source: the child's tokens (and the reference's) come before it.
SOURCE_MARK = "|"
GIVEN_MARK = "="
FATHER_MARK = "^"
ID_MARK = "#"
_WORD_SPLIT = re.compile(r"[\s;,|/()\"]+")
_FULL_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@lru_cache(maxsize=200_000)
def word_tokens(word: str) -> frozenset[str]:
    """Return the tokens one name word stands for: its fold, given-name ids, surname keys."""
    key = names.fold(word)
    if not key:
        return frozenset()
    tokens = {key, *names.surname_keys(word)}
    for identity in names.given_name_ids(word):
        # An unknown name's identity is only its own fold, already a token.
        if not identity.startswith("fold:"):
            tokens.add(GIVEN_MARK + identity)
    # A patronymic names the father: Миколайович, Mykolaiovych and Николаевич meet there.
    tokens.update(FATHER_MARK + identity for identity in names.patronymic_father_ids(word))
    return frozenset("_".join(token.split()) for token in tokens if token)


def split_words(text: str) -> list[str]:
    """Split a name field or a query into its words."""
    return [word for word in _WORD_SPLIT.split(text) if word]


@lru_cache(maxsize=100_000)
def text_tokens(text: str) -> frozenset[str]:
    """Return the tokens of every word of one field's text (names repeat across a list)."""
    tokens: set[str] = set()
    for word in split_words(text):
        tokens |= word_tokens(word)
    return frozenset(tokens)


def _text(values: Mapping[str, Any], field: str) -> str:
    value = values.get(field) or ""
    return value if isinstance(value, str) else ""


def _tokens(values: Mapping[str, Any], fields: tuple[str, ...]) -> set[str]:
    tokens: set[str] = set()
    for field in fields:
        if text := _text(values, field):
            tokens |= text_tokens(text)
    return tokens


def reference_token(external_id: str) -> str:
    """Return the token of a party's own reference ("" when there is none)."""
    if not external_id.strip():
        return ""
    return ID_MARK + "_".join(external_id.lower().split())


def _joined(tokens: set[str]) -> str:
    # A space at both ends: `LIKE '% token %'` then finds whole tokens, first and last too.
    tokens.discard("")
    return " " + " ".join(sorted(tokens)) + " " if tokens else ""


def _by_source(child: set[str], parents: set[str]) -> str:
    child.discard("")
    parents -= child
    if not child and not parents:
        return ""
    # " a b | c ": every token between spaces; the child's before the mark, once.
    return (
        "".join(f" {t}" for t in sorted(child))
        + " |"
        + "".join(f" {t}" for t in sorted(parents))
        + " "
    )


def search_key_of(values: Mapping[str, Any]) -> str:
    """Build the search key of a record from its fields (a mapping of field name to value)."""
    child = _tokens(values, CHILD_FIELDS)
    child.add(reference_token(_text(values, "external_id")))
    return _by_source(child, _tokens(values, PARENT_FIELDS))


def source_keys(values: Mapping[str, Any]) -> dict[str, str]:
    """Build one key per source a search word may meet: child, reference, mother, father."""
    return {
        "child": _joined(_tokens(values, CHILD_FIELDS)),
        "reference": _joined({reference_token(_text(values, "external_id"))}),
        "mother": _joined(_tokens(values, ("mother_name",))),
        "father": _joined(_tokens(values, ("father_name",))),
    }


@lru_cache(maxsize=100_000)
def surname_identity(surname: str) -> str:
    """Return one script-independent key of a surname («Ковальов», «Kovalov» → kovalev)."""
    key = names.fold(surname)
    if not key or " " in key:
        # A double surname keeps its parts in their order: it sorts by its first part.
        return key
    return min(names.surname_keys(surname), default=key)


@lru_cache(maxsize=100_000)
def given_identity(given_name: str) -> str:
    """Return one identity of a given name in any script («Олександр», «Саша» → олександр)."""
    return min(names.given_name_ids(given_name), default="")


def sort_key_of(values: Mapping[str, Any]) -> str:
    """Build the sort key: surname then given name, the same for every spelling."""
    surname = surname_identity(_text(values, "surname"))
    given_name = _text(values, "given_name")
    identity = given_identity(given_name)
    given = names.fold(identity) if identity and not identity.startswith("fold:") else ""
    given = given or names.fold(given_name)
    return f"{surname} {given}".strip()[:SORT_KEY_LENGTH]


def mother_ids(values: Mapping[str, Any]) -> frozenset[str]:
    """Return the given-name identities of the mother a record names."""
    return names.person_given_ids(_text(values, "mother_name"))


def father_ids(values: Mapping[str, Any]) -> frozenset[str]:
    """Return the father's given-name identities: from his name, else the child's patronymic."""
    named = names.father_ids_from_name(_text(values, "father_name"))
    return named or names.patronymic_father_ids(_text(values, "patronymic"))


def full_birth_date(values: Mapping[str, Any]) -> str:
    """Return the date of birth when it is known to the day, else ""."""
    birth_date = _text(values, "birth_date")
    return birth_date if _FULL_DATE.fullmatch(birth_date) else ""


def blocking_digest(key: str) -> int:
    """Reduce a blocking key to a signed 64-bit integer (the same in every process)."""
    digest = hashlib.blake2b(key.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def duplicate_keys_of(values: Mapping[str, Any]) -> tuple[int | None, int | None]:
    """Build the two blocking keys of likely duplicates (None where there is no key)."""
    birth_date = full_birth_date(values)
    # Only whether a parent is named at all: the names themselves are compared for the few
    # records a key brings together (splitting every parent's name here would double the
    # cost of preparing a list).
    named = ("mother_name", "father_name", "patronymic")
    if not birth_date or not any(_text(values, field).strip() for field in named):
        return None, None
    given = given_identity(_text(values, "given_name"))
    surname = surname_identity(_text(values, "surname"))
    return (
        blocking_digest(f"{birth_date}|{given}") if given else None,
        blocking_digest(f"{birth_date}|{surname}") if surname else None,
    )


def key_values(values: Mapping[str, Any]) -> tuple[str | int | None, ...]:
    """Return every key column's value, in the order of KEY_COLUMNS."""
    return (search_key_of(values), sort_key_of(values), *duplicate_keys_of(values))


def record_keys(values: Mapping[str, Any]) -> dict[str, str | int | None]:
    """Return every key column's value by column name."""
    return dict(zip(KEY_COLUMNS, key_values(values), strict=True))
