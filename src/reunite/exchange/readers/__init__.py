"""Read party lists (CSV in any common encoding, XLSX, JSON) as a stream of raw rows.

Nothing here cleans or validates a value; it only turns bytes into cells, and refuses
files that are not lists at all, or that are built to exhaust the server (see
`reunite.exchange.limits`), with a message that names the file and the reason.
"""

from __future__ import annotations

from pathlib import Path

from reunite.errors import FileRejected
from reunite.exchange.readers._csv import open_csv
from reunite.exchange.readers._json import open_json
from reunite.exchange.readers._rows import (
    FORMULA_PREFIXES,
    ListFile,
    RawRow,
    cell_text,
    file_sha256,
    neutralise,
    unneutralise,
)
from reunite.exchange.readers._text import detect_encoding
from reunite.vocabulary import N_, say

__all__ = [
    "FORMULA_PREFIXES",
    "SAMPLE_BYTES",
    "ListFile",
    "RawRow",
    "cell_text",
    "detect_encoding",
    "file_sha256",
    "neutralise",
    "open_list",
    "unneutralise",
]

SAMPLE_BYTES = 1 << 20
# Old Excel workbooks (.xls) and password-protected .xlsx files are OLE compound files.
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def open_list(path: Path, *, encoding: str | None = None) -> ListFile:
    """Open a list file, detecting its format and (for text) its encoding."""
    name = path.name
    if not path.is_file():
        raise FileRejected(say(N_("{file}: no such file"), file=name))
    size = path.stat().st_size
    if size == 0:
        raise FileRejected(say(N_("{file}: the file is empty"), file=name))
    with path.open("rb") as handle:
        sample = handle.read(SAMPLE_BYTES)
    if sample.startswith(_OLE_MAGIC):
        raise FileRejected(
            say(
                N_(
                    "{file}: an old Excel workbook (.xls) or one protected by a password; save "
                    "it as .xlsx without a password, or as CSV"
                ),
                file=name,
            )
        )
    if sample.startswith(b"PK\x03\x04") or path.suffix.lower() in (".xlsx", ".xlsm"):
        # Imported here: loading openpyxl costs time the CSV path should not pay.
        from reunite.exchange.readers._xlsx import open_xlsx

        return open_xlsx(path, size)
    text_encoding = encoding or detect_encoding(sample, name=name, whole=size <= SAMPLE_BYTES)
    start = sample.decode(text_encoding, errors="replace").lstrip("\ufeff \t\r\n")
    if start[:1] in ("[", "{") or path.suffix.lower() == ".json":
        return open_json(path, size, text_encoding)
    return open_csv(path, size, text_encoding, sample)
