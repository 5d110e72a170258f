"""CSV lists: decoded line by line, the separator guessed from the header, every row bounded."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from reunite.errors import FileRejected
from reunite.exchange import limits
from reunite.exchange.readers._rows import ListFile, RawRow, unneutralise
from reunite.vocabulary import N_, Message, say

csv.field_size_limit(1 << 24)
# UTF-8 spends at most 4 bytes on a character: a line of more bytes than this holds more
# characters than a row may have.
_BYTES_PER_CHAR = 4


class _RowTooLong(Exception):
    """A row goes on past limits.CSV_MAX_ROW_CHARS (stops reading before memory fills)."""


def open_csv(path: Path, size: int, encoding: str, sample: bytes) -> ListFile:
    """Open a CSV list: read its header now, its rows as they are asked for."""
    name = path.name
    binary = path.open("rb")
    row_chars = 0

    def lines() -> Iterator[str]:
        # csv.reader asks for one more line while a quoted cell goes on, so the characters
        # counted since the last row are the length of the row being read.
        nonlocal row_chars
        limit = limits.CSV_MAX_ROW_CHARS
        for line in _decoded_lines(binary, encoding, limit):
            row_chars += len(line)
            if row_chars > limit:
                raise _RowTooLong
            yield line

    delimiter = _sniff_delimiter(sample.decode(encoding, errors="replace"))
    reader = csv.reader(lines(), delimiter=delimiter)
    number = 0

    def failure(exc: Exception) -> FileRejected:
        row = number + 1
        if isinstance(exc, UnicodeDecodeError):
            return FileRejected(
                say(
                    N_(
                        "{file}:{row}: bytes that are not valid {encoding} ({reason}); the "
                        "encoding was guessed from the start of the file — save the file as "
                        "UTF-8 and send it again (on the command line, give its encoding "
                        "instead: --encoding cp1251, for example)"
                    ),
                    file=name,
                    row=row,
                    encoding=encoding,
                    reason=exc.reason,
                )
            )
        if isinstance(exc, _RowTooLong):
            return FileRejected(
                say(
                    N_(
                        "{file}:{row}: the row is longer than {limit} characters; a list's "
                        "rows are far shorter (is a quote left open?)"
                    ),
                    file=name,
                    row=row,
                    limit=f"{limits.CSV_MAX_ROW_CHARS:,}",
                )
            )
        return FileRejected(
            say(N_("{file}:{row}: broken CSV: {problem}"), file=name, row=row, problem=str(exc))
        )

    try:
        header_cells = next(reader, None)
    except (UnicodeDecodeError, csv.Error, _RowTooLong) as exc:
        binary.close()
        raise failure(exc) from exc
    if header_cells is None or not any(cell.strip() for cell in header_cells):
        binary.close()
        raise FileRejected(no_header(name))
    header = [unneutralise(cell.strip().lstrip("\ufeff")) for cell in header_cells]
    if len(header) > limits.MAX_COLUMNS:
        binary.close()
        raise FileRejected(too_many_columns(name, len(header)))

    def rows() -> Iterator[RawRow]:
        nonlocal number, row_chars
        number = 1
        row_chars = 0
        try:
            for cells in reader:
                row_chars = 0
                number += 1
                if not any(cell.strip() for cell in cells):
                    continue
                values = dict(zip(header, cells, strict=False))
                # Only a cell starting with an apostrophe can need unneutralising; one scan of
                # the joined cells rules that out for nearly every row.
                if "\x00'" in "\x00" + "\x00".join(cells):
                    values = {column: unneutralise(cell) for column, cell in values.items()}
                yield RawRow(
                    number, values, surplus=max(0, len(cells) - len(header)), text_only=True
                )
        except (UnicodeDecodeError, csv.Error, _RowTooLong) as exc:
            raise failure(exc) from exc
        finally:
            binary.close()

    return ListFile(
        path, "csv", encoding, header, rows(), size, position=binary.tell, release=binary.close
    )


def no_header(name: str) -> Message:
    """Say that a file's first row names no column."""
    return say(N_("{file}: no header row (the first row must name the columns)"), file=name)


def too_many_columns(name: str, columns: int) -> Message:
    """Say that a header is wider than any list's."""
    return say(
        N_(
            "{file}: the header has {columns} columns; a list has at most {limit} — is this "
            "really a list?"
        ),
        file=name,
        columns=f"{columns:,}",
        limit=f"{limits.MAX_COLUMNS:,}",
    )


def _decoded_lines(binary: IO[bytes], encoding: str, limit: int) -> Iterator[str]:
    """Decode line by line, so a bad byte is reported on the row that holds it.

    No line is read whole past `limit` characters: a file without line breaks is refused
    before it fills memory.
    """
    if encoding.startswith("utf-16"):
        # Newlines are two bytes wide here; the text layer splits them correctly.
        text = io.TextIOWrapper(binary, encoding=encoding, newline="")
        while line := text.readline(limit + 1):
            yield line
        return
    decoder = codecs.getincrementaldecoder(encoding)()
    most = _BYTES_PER_CHAR * limit
    while raw := binary.readline(most + 1):
        if len(raw) > most:
            raise _RowTooLong
        yield decoder.decode(raw)
    yield decoder.decode(b"", final=True)


def _sniff_delimiter(text: str) -> str:
    # Spreadsheets in Ukrainian and Russian locales save CSV with ";" by default.
    first_lines = text.splitlines()[:20]
    if not first_lines:
        return ","
    header = first_lines[0]
    counts = {d: header.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","
