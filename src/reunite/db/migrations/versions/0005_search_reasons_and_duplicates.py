"""search reasons and likely duplicates: search key by source, sort and duplicate keys; links

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 10:00:00.000000

Records' keys (what `reunite.records.keys` computes on every write):
- `search_key` is rewritten by source: the tokens of the child's own names and reference,
  then `|`, then those only the parents' names give, so that a search tells a child found
  by its own name from one found through a parent (the same tokens as before, so the
  trigram index of 0003 serves it unchanged);
- `sort_key`: surname then given name as script-independent skeletons, indexed with the id
  (one child's spellings sort together; a page of a list is a short index walk);
- `dup_given_key`, `dup_surname_key`: full date of birth with the given name's or the
  surname's identity, as an 8-byte BLAKE2b digest, indexed with party and kind: the
  blocking keys of likely duplicates.
`record_links` holds the pairs of likely duplicates and the caseworkers' decisions. The
index on the plain surname goes: it only served ordering by the surname, which the sort key
replaces (one index less to write per imported row).

The keys of records stored before are computed here with the code below, frozen as it was
written, over the matching library's public name functions (fold, given_name_ids,
surname_keys, patronymic_father_ids): the application's own key code may change later
without changing what this migration does.
Existing records are not checked for duplicates here: that happens as lists arrive.
"""

import hashlib
import re
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from reunite.matching import names

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHUNK = 2000
SORT_KEY_LENGTH = 200
CHILD_FIELDS = ("given_name", "surname", "patronymic", "name_variants")
PARENT_FIELDS = ("mother_name", "father_name")
READ_FIELDS = (*CHILD_FIELDS, *PARENT_FIELDS, "birth_date", "external_id")
_WORD_SPLIT = re.compile(r"[\s;,|/()\"]+")
_FULL_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# A parent is named (the patronymic names the father): only then can a record be a duplicate.
PARENT_EVIDENCE = ("mother_name", "father_name", "patronymic")


# --- the keys, frozen ------------------------------------------------------------------------


def _word_tokens(word: str) -> set[str]:
    key = names.fold(word)
    if not key:
        return set()
    tokens = {key, *names.surname_keys(word)}
    tokens.update("=" + i for i in names.given_name_ids(word) if not i.startswith("fold:"))
    tokens.update("^" + i for i in names.patronymic_father_ids(word))
    return {"_".join(token.split()) for token in tokens if token}


def _tokens(row: dict[str, Any], fields: Sequence[str]) -> set[str]:
    tokens: set[str] = set()
    for field in fields:
        for word in _WORD_SPLIT.split(row[field] or ""):
            if word:
                tokens |= _word_tokens(word)
    return tokens


def _search_key(row: dict[str, Any]) -> str:
    child = _tokens(row, CHILD_FIELDS)
    reference = row["external_id"] or ""
    if reference.strip():
        child.add("#" + "_".join(reference.lower().split()))
    parents = _tokens(row, PARENT_FIELDS) - child
    if not child and not parents:
        return ""
    return (
        "".join(f" {t}" for t in sorted(child))
        + " |"
        + "".join(f" {t}" for t in sorted(parents))
        + " "
    )


def _surname_identity(surname: str) -> str:
    key = names.fold(surname)
    if not key or " " in key:
        return key
    return min(names.surname_keys(surname), default=key)


def _given_identity(given_name: str) -> str:
    return min(names.given_name_ids(given_name), default="")


def _sort_key(row: dict[str, Any]) -> str:
    given_name = row["given_name"] or ""
    identity = _given_identity(given_name)
    given = names.fold(identity) if identity and not identity.startswith("fold:") else ""
    given = given or names.fold(given_name)
    return f"{_surname_identity(row['surname'] or '')} {given}".strip()[:SORT_KEY_LENGTH]


def _digest(key: str) -> int:
    digest = hashlib.blake2b(key.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def _duplicate_keys(row: dict[str, Any]) -> tuple[int | None, int | None]:
    birth_date = row["birth_date"] or ""
    if not _FULL_DATE.fullmatch(birth_date):
        return None, None
    if not any(
        (row[field] or "").strip() for field in ("mother_name", "father_name", "patronymic")
    ):
        return None, None
    given = _given_identity(row["given_name"] or "")
    surname = _surname_identity(row["surname"] or "")
    return (
        _digest(f"{birth_date}|{given}") if given else None,
        _digest(f"{birth_date}|{surname}") if surname else None,
    )


def _fill_keys() -> None:
    """Compute the new keys of every record already stored, a chunk at a time."""
    records = sa.table(
        "records",
        sa.column("id", sa.Uuid()),
        *(sa.column(field, sa.String()) for field in READ_FIELDS),
        sa.column("search_key", sa.Text()),
        sa.column("sort_key", sa.String()),
        sa.column("dup_given_key", sa.BigInteger()),
        sa.column("dup_surname_key", sa.BigInteger()),
    )
    connection = op.get_bind()
    update = (
        records.update()
        .where(records.c.id == sa.bindparam("record_id"))
        .values(
            search_key=sa.bindparam("new_search_key"),
            sort_key=sa.bindparam("new_sort_key"),
            dup_given_key=sa.bindparam("new_given_key"),
            dup_surname_key=sa.bindparam("new_surname_key"),
        )
    )
    last = None
    while True:
        statement = (
            sa.select(records.c.id, *(records.c[f] for f in READ_FIELDS))
            .order_by(records.c.id)
            .limit(CHUNK)
        )
        if last is not None:
            statement = statement.where(records.c.id > last)
        rows = [row._asdict() for row in connection.execute(statement)]
        if not rows:
            break
        values = []
        for row in rows:
            given, surname = _duplicate_keys(row)
            values.append(
                {
                    "record_id": row["id"],
                    "new_search_key": _search_key(row),
                    "new_sort_key": _sort_key(row),
                    "new_given_key": given,
                    "new_surname_key": surname,
                }
            )
        connection.execute(update, values)
        last = rows[-1]["id"]


# --- the schema ------------------------------------------------------------------------------


def upgrade() -> None:
    sort_key = sa.String(SORT_KEY_LENGTH).with_variant(
        sa.String(SORT_KEY_LENGTH, collation="C"), "postgresql"
    )
    with op.batch_alter_table("records", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sort_key", sort_key, server_default="", nullable=False))
        batch_op.add_column(sa.Column("dup_given_key", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("dup_surname_key", sa.BigInteger(), nullable=True))
    _fill_keys()
    # Indexed once filled: one build each instead of an update per row.
    with op.batch_alter_table("records", schema=None) as batch_op:
        batch_op.drop_index("ix_records_surname")
        batch_op.create_index("ix_records_sort_key", ["sort_key", "id"], unique=False)
        batch_op.create_index(
            "ix_records_dup_given_key", ["dup_given_key", "party_id", "kind"], unique=False
        )
        batch_op.create_index(
            "ix_records_dup_surname_key", ["dup_surname_key", "party_id", "kind"], unique=False
        )

    op.create_table(
        "record_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Uuid(), nullable=False),
        sa.Column("other_id", sa.Uuid(), nullable=False),
        sa.Column("party_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column(
            "evidence",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("found_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("found_by_batch", sa.Integer(), nullable=True),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.CheckConstraint("record_id < other_id", name=op.f("ck_record_links_ordered")),
        sa.CheckConstraint(
            "status IN ('suspected', 'linked', 'dismissed')", name=op.f("ck_record_links_status")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["users.id"], name=op.f("fk_record_links_decided_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["found_by_batch"], ["batches.id"], name=op.f("fk_record_links_found_by_batch_batches")
        ),
        sa.ForeignKeyConstraint(
            ["other_id"], ["records.id"], name=op.f("fk_record_links_other_id_records")
        ),
        sa.ForeignKeyConstraint(
            ["party_id"], ["parties.id"], name=op.f("fk_record_links_party_id_parties")
        ),
        sa.ForeignKeyConstraint(
            ["record_id"], ["records.id"], name=op.f("fk_record_links_record_id_records")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record_links")),
        sa.UniqueConstraint(
            "record_id", "other_id", name=op.f("uq_record_links_record_id_other_id")
        ),
    )
    with op.batch_alter_table("record_links", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_record_links_found_by_batch"), ["found_by_batch"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_record_links_other_id"), ["other_id"], unique=False)
        batch_op.create_index(
            "ix_record_links_party_paging", ["party_id", "status", "id"], unique=False
        )
        batch_op.create_index("ix_record_links_status_paging", ["status", "id"], unique=False)


def downgrade() -> None:
    op.drop_table("record_links")
    with op.batch_alter_table("records", schema=None) as batch_op:
        batch_op.drop_index("ix_records_dup_surname_key")
        batch_op.drop_index("ix_records_dup_given_key")
        batch_op.drop_index("ix_records_sort_key")
        batch_op.create_index("ix_records_surname", ["surname"], unique=False)
        batch_op.drop_column("dup_surname_key")
        batch_op.drop_column("dup_given_key")
        batch_op.drop_column("sort_key")
