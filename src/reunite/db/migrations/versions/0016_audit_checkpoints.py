"""audit: signed checkpoints of the log's head, and the one each list's receipt carries

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 14:00:00.000000

Issue 13 (an audit log no one can shorten or rewrite): the mediator signs the chain's head
(count, last entry, its hash) daily, on demand and for every receipt of a party's list; a
log cut short, wiped or recomputed no longer reaches a signed head (audit.checkpoints).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the checkpoints table and the batches' link to theirs."""
    op.create_table(
        "audit_checkpoints",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.String(length=40), nullable=False),
        sa.Column("entries", sa.Integer(), nullable=False),
        sa.Column("head_id", sa.Integer(), nullable=False),
        sa.Column("head_hash", sa.String(length=64), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_checkpoints")),
    )
    with op.batch_alter_table("batches", schema=None) as batch_op:
        batch_op.add_column(sa.Column("checkpoint_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_batches_checkpoint_id_audit_checkpoints"),
            "audit_checkpoints",
            ["checkpoint_id"],
            ["id"],
        )


def downgrade() -> None:
    """Drop them."""
    with op.batch_alter_table("batches", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_batches_checkpoint_id_audit_checkpoints"), type_="foreignkey"
        )
        batch_op.drop_column("checkpoint_id")
    op.drop_table("audit_checkpoints")
