"""retention: when a finished case's personal data was erased

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 11:14:50.597526

A case kept beyond the retention period loses its personal data (flows.retention); the
time it happened is kept on the case, its events and counts stay.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("erased_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_column("erased_at")
