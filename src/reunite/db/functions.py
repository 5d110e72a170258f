"""SQL functions that must mean the same on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, String, func
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import GenericFunction

# SQLite's own lower() knows ASCII only: «ДОНЕЦЬК» would stay as it is. The engine registers
# this function on every SQLite connection (db.engine); PostgreSQL's lower() follows the
# database's UTF-8 character type.
SQLITE_LOWER = "reunite_lower"


class unicode_lower(GenericFunction[str]):  # noqa: N801 - SQL functions are lower case
    """lower() for every script, on SQLite as on PostgreSQL."""

    type = String()
    inherit_cache = True


@compiles(unicode_lower, "sqlite")
def _sqlite_lower(element: unicode_lower, compiler: SQLCompiler, **kw: Any) -> str:
    return f"{SQLITE_LOWER}({compiler.process(element.clauses, **kw)})"


@compiles(unicode_lower)
def _lower(element: unicode_lower, compiler: SQLCompiler, **kw: Any) -> str:
    return f"lower({compiler.process(element.clauses, **kw)})"


def lower_text(value: str | None) -> str | None:
    """Lower-case a value the way the SQLite function does (registered per connection)."""
    return value.lower() if isinstance(value, str) else value


# Ukrainian and Russian spell one place with different letters (Маріуполь, Мариуполь): both
# are folded to one skeleton before comparing. Apostrophes vanish (Мар'їнка, Марьинка).
CYRILLIC_FOLD = (
    ("і", "и"), ("ї", "и"), ("ы", "и"), ("й", "и"), ("є", "е"), ("э", "е"), ("ё", "е"),
    ("ґ", "г"), ("ь", "") , ("ъ", ""), ("'", ""), ("ʼ", ""), ("’", ""),
)  # fmt: skip


def fold_cyrillic(text: str) -> str:
    """Fold a text the way `folded_text` folds a column: lower case, one Cyrillic skeleton."""
    folded = text.lower()
    for letter, replacement in CYRILLIC_FOLD:
        folded = folded.replace(letter, replacement)
    return folded


def folded_text(column: ColumnElement[str] | InstrumentedAttribute[str]) -> ColumnElement[str]:
    """Return a column lower-cased and folded to one Cyrillic skeleton, in SQL."""
    expression: ColumnElement[str] = unicode_lower(column)
    for letter, replacement in CYRILLIC_FOLD:
        expression = func.replace(expression, letter, replacement)
    return expression
