"""The range a row id can take, as a type every door that reads an id from outside uses."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

# Id columns are INTEGER, 32 bits on PostgreSQL. A larger number, in an address, a query or a
# body, made PostgreSQL refuse the query ("integer out of range") and the SQLite driver fail
# past 64 bits (OverflowError): a 500, not "not found". Found by fuzzing the API
# (tests/integration/app/test_fuzz_api.py).
LARGEST_ID = 2**31 - 1

RowId = Annotated[int, Field(ge=1, le=LARGEST_ID)]
"""An id of a row, as read from a request: refused (422) outside the range any row can have."""
