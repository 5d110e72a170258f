"""figures: an index of the changes of status of every case, in order

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 11:12:00.000000

The dashboard's funnel (issue 11) walks every case's changes of status in time order; this
partial index holds them and each case's opening alone (not the notes, tasks and sign-offs),
sorted by case and time, with both statuses, so the walk reads the index only.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the partial index of transitions."""
    with op.batch_alter_table("case_events", schema=None) as batch_op:
        batch_op.create_index(
            "ix_case_events_way",
            ["case_id", "at", "id", "kind", "from_status", "to_status"],
            unique=False,
            postgresql_where=sa.text("kind IN ('opened', 'transition')"),
            sqlite_where=sa.text("kind IN ('opened', 'transition')"),
        )


def downgrade() -> None:
    """Drop it."""
    with op.batch_alter_table("case_events", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_case_events_way",
            postgresql_where=sa.text("kind IN ('opened', 'transition')"),
            sqlite_where=sa.text("kind IN ('opened', 'transition')"),
        )
