"""figures: an index of each case's changes of status by case, statuses only

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 15:00:00.000000

The dashboard's funnel (issue 11) counts how far each case ever got: the furthest status of
its changes of status. The way index of 0013 holds them too, but among the openings and with
times, ids and both statuses: this partial index holds the changes of status alone, by case,
with the status reached, so that count reads a smaller index and skips no entries
(bench/RESULTS.md, figures_speed).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_NAME = "ix_case_events_reached"
_WHERE = "kind = 'transition'"


def upgrade() -> None:
    """Add the partial index of the statuses each case reached."""
    with op.batch_alter_table("case_events", schema=None) as batch_op:
        batch_op.create_index(
            _NAME,
            ["case_id", "to_status"],
            unique=False,
            postgresql_where=sa.text(_WHERE),
            sqlite_where=sa.text(_WHERE),
        )


def downgrade() -> None:
    """Drop it."""
    with op.batch_alter_table("case_events", schema=None) as batch_op:
        batch_op.drop_index(_NAME, postgresql_where=sa.text(_WHERE), sqlite_where=sa.text(_WHERE))
