"""accounts that can be locked down: one-time passwords, a second factor, account locks

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 11:00:00.000000

Issue 13 (Accounts): a password an administrator reset must be changed at the next login;
the mediator's staff log in with a TOTP code as well (its secret, and the last step used, so
that a code is good once); an account locked after failures from many sources stays locked
until an administrator lifts it, and failures before that moment stop counting.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "must_change_password", sa.Boolean(), server_default=sa.false(), nullable=False
            )
        )
        batch_op.add_column(sa.Column("totp_secret", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("totp_last_step", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("locked_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("failures_cleared_at", sa.DateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("failures_cleared_at")
        batch_op.drop_column("locked_at")
        batch_op.drop_column("totp_last_step")
        batch_op.drop_column("totp_secret")
        batch_op.drop_column("must_change_password")
