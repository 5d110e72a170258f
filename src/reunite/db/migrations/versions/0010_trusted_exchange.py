"""trusted exchange: the parties' keys, signed batches, idempotent submissions, acknowledgements

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 11:10:00.000000

Issue 12: each party's Ed25519 public keys with their validity and revocation; a party may
require signed lists; a batch keeps which key signed it and when; an API submission's
Idempotency-Key finds its batch again; a recipient's system acknowledges what it received.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "party_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key_id", sa.String(length=16), nullable=False),
        sa.Column("party_id", sa.Integer(), nullable=False),
        sa.Column("public_pem", sa.Text(), nullable=False),
        sa.Column("valid_from", sa.DateTime(timezone=True), nullable=False),
        sa.Column("valid_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoke_reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["party_id"], ["parties.id"], name=op.f("fk_party_keys_party_id_parties")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_party_keys")),
        sa.UniqueConstraint("key_id", name=op.f("uq_party_keys_key_id")),
    )
    with op.batch_alter_table("party_keys", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_party_keys_party_id"), ["party_id"], unique=False)

    with op.batch_alter_table("parties", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("require_signatures", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("parties", schema=None) as batch_op:
        batch_op.alter_column("require_signatures", server_default=None)

    with op.batch_alter_table("batches", schema=None) as batch_op:
        batch_op.add_column(sa.Column("signed_key_id", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("signed_at", sa.DateTime(timezone=True), nullable=True))

    op.create_table(
        "list_submissions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("caller", sa.String(length=40), nullable=False),
        sa.Column("idempotency_key", sa.String(length=200), nullable=False),
        sa.Column("body_sha256", sa.String(length=64), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["batches.id"], name=op.f("fk_list_submissions_batch_id_batches")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_list_submissions")),
        sa.UniqueConstraint("caller", "idempotency_key", name=op.f("uq_list_submissions_caller")),
    )
    with op.batch_alter_table("list_submissions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_list_submissions_batch_id"), ["batch_id"], unique=False
        )

    op.create_table(
        "release_acks",
        sa.Column("recipient", sa.String(length=40), nullable=False),
        sa.Column("cursor", sa.String(length=40), nullable=False),
        sa.Column("acked_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("recipient", name=op.f("pk_release_acks")),
    )


def downgrade() -> None:
    op.drop_table("release_acks")
    with op.batch_alter_table("list_submissions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_list_submissions_batch_id"))
    op.drop_table("list_submissions")
    with op.batch_alter_table("batches", schema=None) as batch_op:
        batch_op.drop_column("signed_at")
        batch_op.drop_column("signed_key_id")
    with op.batch_alter_table("parties", schema=None) as batch_op:
        batch_op.drop_column("require_signatures")
    with op.batch_alter_table("party_keys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_party_keys_party_id"))
    op.drop_table("party_keys")
