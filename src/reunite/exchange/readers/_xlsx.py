"""XLSX lists: the workbook checked before openpyxl reads it, its first sheet streamed.

A workbook is a zip of XML parts, and every layer can lie: a few megabytes may unpack to
gigabytes (a zip bomb), the zip's directory may claim smaller parts than it holds, XML may
declare entities that multiply, and a sheet may claim seventeen billion cells or a row
numbered a billion. So the directory is checked first (parts, sizes, packing ratios);
every part is then read through a meter that counts what it really holds; and the sheet is
streamed row by row, each row bounded, never padded to the size the sheet claims.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, Any, cast
from xml.etree import ElementTree

from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.utils.cell import range_boundaries
from openpyxl.utils.exceptions import (
    CellCoordinatesException,
    IllegalCharacterError,
    InvalidFileException,
    NamedRangeException,
    SheetTitleException,
)
from openpyxl.worksheet._reader import WorkSheetParser

from reunite.errors import FileRejected
from reunite.exchange import limits
from reunite.exchange.readers._csv import no_header, too_many_columns
from reunite.exchange.readers._rows import ListFile, RawRow, unneutralise
from reunite.vocabulary import N_, Message, say

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ROW, _SHEET_DATA, _DIMENSION = _MAIN + "row", _MAIN + "sheetData", _MAIN + "dimension"
# Workbooks never declare a DTD; one would let entities multiply text or hide markup.
_DTD = (b"<!DOCTYPE", b"<!ENTITY")
_DTD_TAIL = max(len(marker) for marker in _DTD) - 1
# An empty zip: openpyxl's reader is made on it, then handed the checked archive.
_EMPTY_ZIP = b"PK\x05\x06" + bytes(18)
_CHUNK = 1 << 16
_MiB = 1 << 20

# What zipfile, zlib, the XML parser and openpyxl raise on a damaged workbook: missing
# parts (KeyError), cells pointing past the shared strings (IndexError), bad numbers and
# references (ValueError), attributes of the wrong type (TypeError), truncated headers
# (struct.error, EOFError), compressions zipfile cannot undo (NotImplementedError, a
# RuntimeError) and runaway nesting (RecursionError, a RuntimeError too).
DAMAGED: tuple[type[Exception], ...] = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    struct.error,
    ElementTree.ParseError,
    InvalidFileException,
    CellCoordinatesException,
    IllegalCharacterError,
    NamedRangeException,
    SheetTitleException,
    LookupError,
    ValueError,
    TypeError,
    AttributeError,
    ArithmeticError,
    EOFError,
    OSError,
    RuntimeError,
)
# The advice that ends a refusal, a sentence of its own (filled in as a message).
_RESAVE = N_("Open it in a spreadsheet program and save it again, or save it as CSV.")
_AS_CSV = N_("Save the sheet as CSV and send that instead.")


class _Budget:
    """Bytes and markup items a group of parts may hold (one row, or all shared strings)."""

    def __init__(self, what: Message, max_bytes: int, max_items: int) -> None:
        self.what = what
        self.max_bytes = max_bytes
        self.max_items = max_items
        self.bytes = self.items = 0

    def spend(self, size: int, items: int, *, name: str, part: str) -> None:
        """Count what was read; refuse the workbook once it holds more than allowed."""
        self.bytes += size
        self.items += items
        if self.bytes > self.max_bytes or self.items > self.max_items:
            raise FileRejected(
                say(
                    N_(
                        "{file}: {what} ({part}) is too large to read safely: over {size} MiB "
                        "or {items} XML elements and attributes. {advice}"
                    ),
                    file=name,
                    what=self.what,
                    part=shown(part),
                    size=f"{self.max_bytes / _MiB:,.0f}",
                    items=f"{self.max_items:,}",
                    advice=say(_AS_CSV),
                )
            )

    def restart(self) -> None:
        """Start counting again (at the next row)."""
        self.bytes = self.items = 0


class _Meter:
    """One part being read: counts what it really holds, whatever its header says."""

    def __init__(
        self, stream: IO[bytes], info: zipfile.ZipInfo, budget: _Budget, archive: _Archive
    ) -> None:
        self._stream = stream
        self._info = info
        self._budget = budget
        self._archive = archive
        self._tail = b""
        self.bytes_read = 0

    def read(self, size: int | None = -1) -> bytes:
        """Read up to `size` bytes (all when negative), metered chunk by chunk."""
        if size is None or size < 0:
            return b"".join(iter(lambda: self.read(_CHUNK), b""))
        if size == 0:
            return b""  # not the end of the part, which an empty read means below
        data = self._stream.read(min(size, _CHUNK))
        self._count(data)
        return data

    def _count(self, data: bytes) -> None:
        archive, part = self._archive, self._info.filename
        name = archive.label
        if not data:
            if self.bytes_read != self._info.file_size:
                raise FileRejected(
                    damaged(
                        name,
                        part,
                        say(
                            N_("it holds {size} bytes, not the {declared} its header declares"),
                            size=f"{self.bytes_read:,}",
                            declared=f"{self._info.file_size:,}",
                        ),
                    )
                )
            return
        self.bytes_read += len(data)
        archive.unpacked += len(data)
        # zipfile stops at the declared size; counting here does not rely on it.
        if self.bytes_read > self._info.file_size:
            raise FileRejected(
                damaged(name, part, say(N_("it holds more than its header declares")))
            )
        if archive.unpacked > limits.XLSX_MAX_UNPACKED:
            raise FileRejected(_unpacks_to(name, archive.unpacked))
        window = self._tail + data
        if any(marker in window for marker in _DTD):
            raise FileRejected(
                damaged(
                    name, part, say(N_("it declares a DTD of its own, which workbooks never do"))
                )
            )
        self._tail = window[-_DTD_TAIL:]
        # Parsed XML costs memory per element and per attribute: count start tags and "=".
        items = data.count(b"<") - data.count(b"</") + data.count(b"=")
        self._budget.spend(len(data), items, name=name, part=part)

    def close(self) -> None:
        """Close the part."""
        self._stream.close()

    def __enter__(self) -> _Meter:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()


class _Archive(zipfile.ZipFile):
    """The workbook's zip; every part openpyxl reads goes through a meter."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.label = path.name
        self.unpacked = 0
        self.part = ""  # the part read last: named when the workbook proves damaged
        # openpyxl parses some parts whole (workbook, styles, relationships, properties)...
        self.whole = _Budget(
            say(N_("the workbook's settings and styles")),
            limits.XLSX_MAX_WHOLE_PARTS,
            limits.XLSX_MAX_WHOLE_ITEMS,
        )
        # ... and streams others, keeping what they hold: all shared strings.
        self.streamed = _Budget(
            say(N_("the workbook's shared texts")),
            limits.XLSX_MAX_SHARED,
            limits.XLSX_MAX_SHARED_ITEMS,
        )

    def open(
        self,
        name: str | zipfile.ZipInfo,
        mode: str = "r",
        pwd: bytes | None = None,
        *,
        force_zip64: bool = False,
    ) -> IO[bytes]:
        """Open a part for reading, metered against the budget of streamed parts."""
        if mode != "r" or force_zip64:
            raise ValueError("a list's workbook is only read")
        return cast(IO[bytes], self.metered(name, self.streamed, pwd))

    def read(self, name: str | zipfile.ZipInfo, pwd: bytes | None = None) -> bytes:
        """Read a whole part, metered against the budget of parts read whole."""
        with self.metered(name, self.whole, pwd) as part:
            return part.read()

    def metered(
        self, name: str | zipfile.ZipInfo, budget: _Budget, pwd: bytes | None = None
    ) -> _Meter:
        """Open a part through a meter that spends `budget`."""
        info = name if isinstance(name, zipfile.ZipInfo) else self.getinfo(name)
        self.part = info.filename
        return _Meter(super().open(info, pwd=pwd), info, budget, self)


def damaged(name: str, part: str, detail: Message | str) -> Message:
    """Say that a workbook is damaged, and where (`detail`: why, or a library's own words)."""
    if not part:
        return say(
            N_("{file}: not a readable XLSX workbook: the file is damaged ({detail}). {advice}"),
            file=name,
            detail=detail,
            advice=say(_RESAVE),
        )
    return say(
        N_(
            "{file}: not a readable XLSX workbook: the file is damaged ({part}: {detail}). {advice}"
        ),
        file=name,
        part=shown(part),
        detail=detail,
        advice=say(_RESAVE),
    )


def describe(error: BaseException) -> Message | str:
    """Put what a library raised into words for the person who sent the file.

    A library's own message, in English, is passed on as it is: data, not a sentence of ours.
    """
    if isinstance(error, ElementTree.ParseError):
        return say(N_("broken XML: {problem}"), problem=str(error))
    if isinstance(error, IndexError):
        return say(N_("a cell refers to a shared text the workbook does not hold"))
    if isinstance(error, RecursionError):
        return say(N_("XML nested too deeply"))
    return shown(str(error) or type(error).__name__)


def shown(text: str, most: int = 200) -> str:
    """Quote text taken from a hostile file: printable, and short."""
    printable = "".join(char if char.isprintable() else "?" for char in text[: most + 1])
    return printable if len(printable) <= most else printable[: most - 1] + "…"


def _unpacks_to(name: str, size: int) -> Message:
    return say(
        N_(
            "{file}: the workbook would unpack to {size} MiB; at most {limit} MiB are read (is "
            "it a zip bomb?). {advice}"
        ),
        file=name,
        size=f"{size / _MiB:,.1f}",
        limit=f"{limits.XLSX_MAX_UNPACKED / _MiB:,.0f}",
        advice=say(_AS_CSV),
    )


def _open_archive(path: Path, size: int) -> _Archive:
    """Open the zip and check its directory before anything is unpacked."""
    name = path.name
    try:
        archive = _Archive(path)
    except DAMAGED as exc:
        raise FileRejected(damaged(name, "", describe(exc))) from exc
    try:
        _check_directory(archive, name, size)
    except BaseException:
        archive.close()
        raise
    return archive


def _check_directory(archive: _Archive, name: str, size: int) -> None:
    parts = archive.infolist()
    if len(parts) > limits.XLSX_MAX_PARTS:
        raise FileRejected(
            say(
                N_(
                    "{file}: the workbook holds {parts} parts; a list's workbook has a few "
                    "dozen, and at most {limit} are read. Save the sheet as CSV."
                ),
                file=name,
                parts=f"{len(parts):,}",
                limit=f"{limits.XLSX_MAX_PARTS:,}",
            )
        )
    unpacked = sum(info.file_size for info in parts)
    if unpacked > limits.XLSX_MAX_UNPACKED:
        raise FileRejected(_unpacks_to(name, unpacked))
    if sum(info.compress_size for info in parts) > size:
        raise FileRejected(
            damaged(name, "", say(N_("its parts claim more bytes than the file holds")))
        )
    for info in parts:
        if info.flag_bits & 0x1:
            raise FileRejected(
                say(
                    N_("{file}: the workbook's parts are encrypted; send it without a password"),
                    file=name,
                )
            )
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise FileRejected(
                damaged(
                    name, info.filename, say(N_("packed in a way spreadsheet programs never use"))
                )
            )
        packed = max(info.compress_size, 1)
        ratio = info.file_size / packed
        if info.file_size > limits.XLSX_RATIO_FROM and ratio > limits.XLSX_MAX_RATIO:
            raise FileRejected(
                say(
                    N_(
                        "{file}: the workbook's part {part} unpacks {ratio} times its packed "
                        "size; a spreadsheet's parts unpack 5 to 20 times, at most {limit} are "
                        "read (is it a zip bomb?). {advice}"
                    ),
                    file=name,
                    part=shown(info.filename),
                    ratio=f"{ratio:,.0f}",
                    limit=f"{limits.XLSX_MAX_RATIO:,}",
                    advice=say(_AS_CSV),
                )
            )


@dataclass
class _Workbook:
    """What reading a workbook's first sheet needs from the rest of it."""

    sheet: str  # the part holding the first sheet
    shared_strings: list[Any]
    epoch: Any
    date_formats: Any
    timedelta_formats: Any


def _read_workbook(archive: _Archive) -> _Workbook | None:
    """Read the parts the first sheet depends on, through the meters; None: no sheet."""
    # openpyxl's own steps, less what a list does not need: properties, themes, and above
    # all its read-only sheet, which parses a sheet without a dimension whole to size it.
    reader = ExcelReader(
        io.BytesIO(_EMPTY_ZIP), read_only=True, keep_vba=False, data_only=True, keep_links=False
    )
    reader.archive = archive
    reader.valid_files = archive.namelist()
    reader.read_manifest()
    reader.read_strings()
    reader.read_workbook()
    workbook = reader.wb
    apply_stylesheet(archive, workbook)  # which number formats are dates
    for _sheet, relation in reader.parser.find_sheets():
        if relation.target in reader.valid_files and "chartsheet" not in relation.Type:
            return _Workbook(
                relation.target,
                reader.shared_strings,
                workbook.epoch,
                workbook._date_formats,
                workbook._timedelta_formats,
            )
    return None


def _check_dimension(reference: str | None, name: str) -> None:
    """Refuse a sheet that declares more cells than are read, before reading a row."""
    if not reference:
        return
    first_column, first_row, last_column, last_row = range_boundaries(reference)
    if last_row is None or last_column is None:
        return
    rows = last_row - (first_row or 1) + 1
    columns = last_column - (first_column or 1) + 1
    if rows * columns > limits.XLSX_MAX_CELLS:
        raise FileRejected(
            say(
                N_(
                    "{file}: the sheet declares {rows} rows × {columns} columns ({cells} "
                    "cells); at most {limit} cells are read. Delete what lies below and right "
                    "of the list, or save it as CSV."
                ),
                file=name,
                rows=f"{rows:,}",
                columns=f"{columns:,}",
                cells=f"{rows * columns:,}",
                limit=f"{limits.XLSX_MAX_CELLS:,}",
            )
        )


_SheetRows = Generator[tuple[int, list[dict[str, Any]]], None, None]


def _sheet_rows(archive: _Archive, workbook: _Workbook) -> tuple[_SheetRows, _Meter]:
    """Stream a sheet's rows as (number, cells), each row's XML bounded and then dropped."""
    # openpyxl's own cell rules (shared strings, dates, booleans); its row padding is not used.
    parser = WorkSheetParser(
        None,
        workbook.shared_strings,
        data_only=True,
        epoch=workbook.epoch,
        date_formats=workbook.date_formats,
        timedelta_formats=workbook.timedelta_formats,
    )
    budget = _Budget(
        say(N_("a row of the sheet")), limits.XLSX_MAX_ROW_BYTES, limits.XLSX_MAX_ROW_ITEMS
    )
    part = archive.metered(workbook.sheet, budget)

    def rows() -> _SheetRows:
        # The sheet element and its data keep no finished child: each is removed once read,
        # so memory holds one row, whatever the sheet's length.
        parents: list[ElementTree.Element] = []
        try:
            for event, element in ElementTree.iterparse(part, events=("start", "end")):
                if event == "start":
                    parents.append(element)
                    continue
                parents.pop()
                if element.tag == _ROW:
                    number, cells = parser.parse_row(element)
                    element.clear()
                    parser.row_dimensions.clear()
                    budget.restart()
                    yield number, cells
                elif element.tag == _SHEET_DATA:
                    return  # what follows the rows (merges, links, printing) is not needed
                elif element.tag == _DIMENSION and len(parents) == 1:
                    _check_dimension(element.get("ref"), archive.label)
                if 0 < len(parents) <= 2:
                    parents[-1].remove(element)
        finally:
            part.close()

    return rows(), part


def open_xlsx(path: Path, size: int) -> ListFile:
    """Open the first sheet of an XLSX workbook; its first row is the header."""
    name = path.name
    archive = _open_archive(path, size)
    try:
        workbook = _read_workbook(archive)
        if workbook is None:
            raise FileRejected(say(N_("{file}: the workbook has no sheet"), file=name))
        sheet_rows, part = _sheet_rows(archive, workbook)
        first = next(sheet_rows, None)
    except FileRejected:
        archive.close()
        raise
    except DAMAGED as exc:
        archive.close()
        raise FileRejected(damaged(name, archive.part, describe(exc))) from exc

    def release() -> None:
        sheet_rows.close()
        archive.close()

    try:
        header = _header(first, name)
    except FileRejected:
        release()
        raise
    sheet_size = max(archive.getinfo(workbook.sheet).file_size, 1)

    def position() -> int:
        # Progress in bytes of the file, estimated from how much of the sheet was read.
        return size * part.bytes_read // sheet_size

    return ListFile(
        path,
        "xlsx",
        None,
        header,
        _rows(sheet_rows, header, name, workbook.sheet, release),
        size,
        position=position,
        release=release,
    )


def _header(first: tuple[int, list[dict[str, Any]]] | None, name: str) -> list[str]:
    """Return the header's texts by column; the sheet's first row must name the columns."""
    texts: dict[int, str] = {}
    for cell in first[1] if first is not None and first[0] == 1 else []:
        text = "" if cell["value"] is None else str(cell["value"]).strip()
        if text:
            texts[cell["column"]] = unneutralise(text)
    if not texts:
        raise FileRejected(no_header(name))
    width = max(texts)
    if width > limits.MAX_COLUMNS:
        raise FileRejected(too_many_columns(name, width))
    return [texts.get(column, "") for column in range(1, width + 1)]


def _rows(
    sheet_rows: _SheetRows, header: list[str], name: str, part: str, release: Callable[[], None]
) -> Iterator[RawRow]:
    width = len(header)
    previous = 1
    cells_read = width
    try:
        for number, cells in sheet_rows:
            if number <= previous:
                raise FileRejected(
                    _damaged_at(
                        name,
                        number,
                        part,
                        say(
                            N_("row {row} follows row {previous}"),
                            row=f"{number:,}",
                            previous=f"{previous:,}",
                        ),
                    )
                )
            if number > limits.XLSX_MAX_ROWS:
                raise FileRejected(
                    say(
                        N_(
                            "{file}:{row}: row {number} is beyond a sheet's last row ({last}): "
                            "the workbook is damaged. {advice}"
                        ),
                        file=name,
                        row=number,
                        number=f"{number:,}",
                        last=f"{limits.XLSX_MAX_ROWS:,}",
                        advice=say(_RESAVE),
                    )
                )
            previous = number
            cells_read += len(cells)
            if cells_read > limits.XLSX_MAX_CELLS:
                raise FileRejected(
                    say(
                        N_(
                            "{file}:{row}: the sheet holds more than {limit} cells, more than "
                            "are read. Save it as CSV and send that instead."
                        ),
                        file=name,
                        row=number,
                        limit=f"{limits.XLSX_MAX_CELLS:,}",
                    )
                )
            values: list[Any] = [None] * width
            last = 0  # the rightmost column with a value
            for cell in cells:
                value, column = cell["value"], cell["column"]
                if column <= width:
                    values[column - 1] = value
                if value is not None and value != "" and column > last:
                    last = column
            if not last:
                continue
            row: dict[str, Any] = {}
            for column_name, value in zip(header, values[: min(last, width)], strict=False):
                row[column_name] = unneutralise(value) if isinstance(value, str) else value
            yield RawRow(number, row, surplus=max(0, last - width))
    except FileRejected:
        raise
    except DAMAGED as exc:
        raise FileRejected(_damaged_at(name, previous + 1, part, describe(exc))) from exc
    finally:
        release()


def _damaged_at(name: str, row: int, part: str, detail: Message | str) -> Message:
    return say(
        N_("{file}:{row}: the workbook is damaged here ({part}: {detail}). {advice}"),
        file=name,
        row=row,
        part=shown(part),
        detail=detail,
        advice=say(_RESAVE),
    )
