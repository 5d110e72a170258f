"""attachments: photos, identity documents, biographies and reports of records and cases

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 10:10:00.000000

Evidence carried by records and cases (issue 9): one row per file attached to one record or
one case; the bytes live in the attachment store, outside the database, named by their
SHA-256.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The vocabularies as this revision knows them (attachments.enums may grow; this must not).
KINDS = ["photo", "identity_document", "biography", "medical_report", "psychological_report"]
TYPES = ["application/pdf", "image/jpeg", "image/png"]


def _one_of(column: str, codes: Sequence[str]) -> str:
    return f"{column} IN ({', '.join(repr(code) for code in codes)})"


def upgrade() -> None:
    op.create_table(
        "attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("content_type", sa.String(length=40), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("original_name", sa.String(length=300), nullable=False),
        sa.Column("record_id", sa.Uuid(), nullable=True),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("added_by", sa.Integer(), nullable=True),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            _one_of("content_type", TYPES), name=op.f("ck_attachments_content_type")
        ),
        sa.CheckConstraint(_one_of("kind", KINDS), name=op.f("ck_attachments_kind")),
        sa.CheckConstraint(
            "(record_id IS NULL) <> (case_id IS NULL)", name=op.f("ck_attachments_one_owner")
        ),
        sa.ForeignKeyConstraint(
            ["added_by"], ["users.id"], name=op.f("fk_attachments_added_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["batches.id"], name=op.f("fk_attachments_batch_id_batches")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_attachments_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["record_id"], ["records.id"], name=op.f("fk_attachments_record_id_records")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachments")),
        sa.UniqueConstraint("case_id", "sha256", name=op.f("uq_attachments_case_id_sha256")),
        sa.UniqueConstraint("record_id", "sha256", name=op.f("uq_attachments_record_id_sha256")),
    )
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.create_index("ix_attachments_case_id", ["case_id"], unique=False)
        batch_op.create_index("ix_attachments_sha256", ["sha256"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.drop_index("ix_attachments_sha256")
        batch_op.drop_index("ix_attachments_case_id")
    op.drop_table("attachments")
