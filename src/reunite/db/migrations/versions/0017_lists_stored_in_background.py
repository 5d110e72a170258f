"""exchange: large lists stored in the background, their new records hidden until stored

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 17:00:00.000000

Issue 13 (one big list must not stall everyone): a large list is stored by a job in short
transactions. Its batch says where it stands (status, its job, why it was refused); the
records it adds wait in staged_records, then move to records marked with the batch (hidden
from every reader) until it is stored; the corrections it makes wait in staged_changes and
are applied together at the end.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_PENDING = "pending_batch_id IS NOT NULL"
_STORED_ONCE = "status != 'refused'"
_JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    """Add the batches' status, job and refusal, the records' pending batch, staged changes."""
    with op.batch_alter_table("batches", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("status", sa.String(length=10), server_default="stored", nullable=False)
        )
        batch_op.add_column(sa.Column("job_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("problems", _JSON, nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_batches_job_id_jobs"), "jobs", ["job_id"], ["id"]
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_batches_status"),
            "status IN ('queued', 'staging', 'stored', 'refused')",
        )
        # A file is stored once per party and kind; refused attempts are kept beside it.
        batch_op.drop_constraint("uq_batches_party_id_kind_sha256", type_="unique")
        batch_op.create_index(
            "uq_batches_party_id_kind_sha256",
            ["party_id", "kind", "sha256"],
            unique=True,
            postgresql_where=sa.text(_STORED_ONCE),
            sqlite_where=sa.text(_STORED_ONCE),
        )
    with op.batch_alter_table("records", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pending_batch_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_records_pending_batch_id_batches"),
            "batches",
            ["pending_batch_id"],
            ["id"],
        )
        batch_op.create_index(
            "ix_records_pending_batch_id",
            ["pending_batch_id"],
            unique=False,
            postgresql_where=sa.text(_PENDING),
            sqlite_where=sa.text(_PENDING),
        )
    op.create_table(
        "staged_changes",
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("row_number", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Uuid(), nullable=False),
        sa.Column("base_version", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=12), nullable=False),
        sa.Column("values", _JSON, nullable=False),
        sa.Column("changes", _JSON, nullable=False),
        sa.Column("original", _JSON, nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["batches.id"], name=op.f("fk_staged_changes_batch_id_batches")
        ),
        sa.ForeignKeyConstraint(
            ["record_id"], ["records.id"], name=op.f("fk_staged_changes_record_id_records")
        ),
        sa.PrimaryKeyConstraint("batch_id", "row_number", name=op.f("pk_staged_changes")),
    )

    _create_staged_records()


def _create_staged_records() -> None:
    sort_key = sa.String(200).with_variant(sa.String(200, collation="C"), "postgresql")
    text_columns = {
        "given_name": 200, "surname": 200, "patronymic": 200, "sex": 1, "birth_date": 10,
        "birth_place": 300, "nationality": 100, "mother_name": 300, "father_name": 300,
        "last_known_place": 300, "separation_date": 10,
    }  # fmt: skip
    op.create_table(
        "staged_records",
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("row_number", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("party_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("external_id", sa.String(length=200), nullable=False),
        *(sa.Column(name, sa.String(length=n), nullable=False) for name, n in text_columns.items()),
        sa.Column("separation_circumstances", sa.Text(), nullable=False),
        sa.Column("distinguishing_marks", sa.Text(), nullable=False),
        sa.Column("current_location", sa.String(length=300), nullable=False),
        sa.Column("institution", sa.String(length=300), nullable=False),
        sa.Column("contact", sa.Text(), nullable=False),
        sa.Column("name_variants", sa.Text(), nullable=False),
        sa.Column("search_key", sa.Text(), nullable=False),
        sa.Column("sort_key", sort_key, nullable=False),
        sa.Column("dup_given_key", sa.BigInteger(), nullable=True),
        sa.Column("dup_surname_key", sa.BigInteger(), nullable=True),
        sa.Column("withheld", sa.Boolean(), nullable=False),
        sa.Column("withdrawn", sa.Boolean(), nullable=False),
        sa.Column("extra", _JSON, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_batch_id", sa.Integer(), nullable=False),
        sa.Column("updated_batch_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changes", _JSON, nullable=False),
        sa.Column("original", _JSON, nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["batches.id"], name=op.f("fk_staged_records_batch_id_batches")
        ),
        sa.PrimaryKeyConstraint("batch_id", "row_number", name=op.f("pk_staged_records")),
        sa.UniqueConstraint(
            "batch_id", "external_id", name=op.f("uq_staged_records_batch_id_external_id")
        ),
    )


def downgrade() -> None:
    """Drop them."""
    op.drop_table("staged_records")
    op.drop_table("staged_changes")
    with op.batch_alter_table("records", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_records_pending_batch_id",
            postgresql_where=sa.text(_PENDING),
            sqlite_where=sa.text(_PENDING),
        )
        batch_op.drop_constraint(
            batch_op.f("fk_records_pending_batch_id_batches"), type_="foreignkey"
        )
        batch_op.drop_column("pending_batch_id")
    with op.batch_alter_table("batches", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_batches_party_id_kind_sha256",
            postgresql_where=sa.text(_STORED_ONCE),
            sqlite_where=sa.text(_STORED_ONCE),
        )
        batch_op.create_unique_constraint(
            "uq_batches_party_id_kind_sha256", ["party_id", "kind", "sha256"]
        )
        batch_op.drop_constraint(batch_op.f("ck_batches_status"), type_="check")
        batch_op.drop_constraint(batch_op.f("fk_batches_job_id_jobs"), type_="foreignkey")
        batch_op.drop_column("problems")
        batch_op.drop_column("job_id")
        batch_op.drop_column("status")
