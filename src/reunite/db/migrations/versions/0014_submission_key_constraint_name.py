"""exchange: the one-key-per-caller constraint of list submissions takes its conventional name

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 13:40:00.000000

Migration 0010 named the unique constraint on (caller, idempotency_key) after its first
column alone; the models' naming convention names it after both. The schema check
(tests/integration/records/test_migration_keys.py) saw the two differ. Renamed by dropping and
adding it again: the rows already hold the rule, so adding it back cannot fail.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OLD = "uq_list_submissions_caller"
_NEW = "uq_list_submissions_caller_idempotency_key"


def upgrade() -> None:
    """Name the constraint after both its columns."""
    with op.batch_alter_table("list_submissions", schema=None) as batch_op:
        batch_op.drop_constraint(_OLD, type_="unique")
        batch_op.create_unique_constraint(_NEW, ["caller", "idempotency_key"])


def downgrade() -> None:
    """Give it back its first name."""
    with op.batch_alter_table("list_submissions", schema=None) as batch_op:
        batch_op.drop_constraint(_NEW, type_="unique")
        batch_op.create_unique_constraint(_OLD, ["caller", "idempotency_key"])
