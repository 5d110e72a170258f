"""exchange: large lists stored in the background, their new records hidden until stored

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 17:00:00.000000

Issue 13 (one big list must not stall everyone): a large list is stored by a job in short
transactions. Its batch says where it stands (status, its job, why it was refused); the
records it adds carry the batch while it is stored, hidden from every reader; the
corrections it makes wait in staged_changes and are applied together at the end.
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


def downgrade() -> None:
    """Drop them."""
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
