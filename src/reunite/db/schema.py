"""Checking that the tables known to the metadata form a whole schema.

A foreign key names its target table by name; if the module that defines that table was never
imported, SQLAlchemy only notices when it first needs the key (an insert, say), deep inside
some unrelated command. The composition root registers every table and checks here, at once,
so that a missing one fails when the engine is made, naming the key that dangles.
"""

from __future__ import annotations

from sqlalchemy import MetaData
from sqlalchemy.exc import NoReferencedColumnError, NoReferencedTableError
from sqlalchemy.orm import configure_mappers


class IncompleteSchema(RuntimeError):
    """Some table refers to a table or column that was never registered."""


def check_schema(metadata: MetaData) -> None:
    """Resolve every foreign key and mapper now; raise IncompleteSchema naming what dangles."""
    dangling: list[str] = []
    for table in metadata.tables.values():
        for key in table.foreign_keys:
            try:
                key.column  # noqa: B018 - resolving the target is the check
            except (NoReferencedTableError, NoReferencedColumnError):
                dangling.append(f"{table.name}.{key.parent.name} → {key.target_fullname}")
    if dangling:
        raise IncompleteSchema(
            "the schema is incomplete: " + "; ".join(sorted(dangling)) + " (a table's module "
            "was not registered in reunite.wiring)"
        )
    configure_mappers()
