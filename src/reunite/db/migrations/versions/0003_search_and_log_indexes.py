"""indexes for scale: trigrams of records.search_key (PostgreSQL), audit log paging

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 21:30:00.000000

Name search matches `search_key LIKE '% token %'`, which no B-tree index can serve. On
PostgreSQL a pg_trgm GIN index answers such patterns from the index. The extension is
database-wide and lives in one schema: it is created in `public` (on everyone's search path,
and not dropped with an application schema) unless it is installed already, wherever that
is. When it cannot be created (no privilege, not shipped with the server) the migration
still succeeds without the index: search gives the same answers, only by reading the table.
SQLite has no index for such patterns; records/search.py limits its work there instead.

The trigram index is built inside the migration's transaction, which holds writes to
`records` back for as long as the build takes.

The audit log page filters by action or by actor and pages by id: an index on each filter
and the id makes every page a short walk of one index, however long the log.
"""

import logging
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "ix_records_search_key_trgm"
PAGING_BY_ACTION = "ix_audit_log_action_paging"
PAGING_BY_ACTOR = "ix_audit_log_actor_paging"
logger = logging.getLogger("alembic.runtime.migration")


def _trigram_schema(connection: sa.Connection) -> str | None:
    """Return the schema of pg_trgm, creating the extension if it can; None if it cannot."""
    where = sa.text(
        "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
        "WHERE e.extname = 'pg_trgm'"
    )
    schema = connection.scalar(where)
    if schema is not None:
        return str(schema)
    try:
        # A failed statement would abort the whole migration's transaction: keep it apart.
        with connection.begin_nested():
            connection.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public"))
    except sa.exc.DBAPIError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        logger.warning(
            "pg_trgm could not be created (%s): name search works without its index, "
            "reading the whole records table",
            reason,
        )
        return None
    schema = connection.scalar(where)
    return None if schema is None else str(schema)


def upgrade() -> None:
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(PAGING_BY_ACTION, ["action", "id"], unique=False)
        batch_op.create_index(PAGING_BY_ACTOR, ["actor", "id"], unique=False)
    connection = op.get_bind()
    if connection.dialect.name != "postgresql":
        return
    schema = _trigram_schema(connection)
    if schema is None:
        return
    operator_class = f"{connection.dialect.identifier_preparer.quote(schema)}.gin_trgm_ops"
    with op.batch_alter_table("records", schema=None) as batch_op:
        batch_op.create_index(
            INDEX,
            ["search_key"],
            unique=False,
            postgresql_using="gin",
            postgresql_ops={"search_key": operator_class},
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        # The extension stays: it is the database's, and other schemas may use it.
        with op.batch_alter_table("records", schema=None) as batch_op:
            batch_op.drop_index(INDEX, if_exists=True)
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(PAGING_BY_ACTOR)
        batch_op.drop_index(PAGING_BY_ACTION)
