"""Read party lists (CSV in any common encoding, XLSX, JSON) as a stream of raw rows.

Nothing here cleans or validates a value; it only turns bytes into cells, and refuses
files that are not lists at all with a message that names the file and the reason.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import json
import zipfile
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from charset_normalizer import from_bytes

from reunite.errors import FileRejected

SAMPLE_BYTES = 1 << 20
# Encodings lists from the region actually arrive in, most likely first.
CYRILLIC_CANDIDATES = ("cp1251", "koi8_r", "koi8_u", "cp866", "mac_cyrillic")
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
csv.field_size_limit(1 << 24)


@dataclass
class RawRow:
    """One row as read: its spreadsheet number (header = 1) and its cells by header."""

    number: int
    cells: dict[str, Any]
    surplus: int = 0
    problem: str | None = None
    # Every cell is already a str (CSV): the cleaner can use the cells as the original row.
    text_only: bool = False


@dataclass
class ListFile:
    """An opened list: its format, encoding, header and a one-shot iterator of rows."""

    path: Path
    file_format: str
    encoding: str | None
    header: list[str]
    rows: Iterator[RawRow]
    size: int
    position: Any = field(default=None, repr=False)
    release: Any = field(default=None, repr=False)

    def close(self) -> None:
        """Release the open file when its rows will not be read here (nor to their end)."""
        if self.release is not None:
            self.release()

    def bytes_read(self) -> int:
        """Return how far into the file reading has gone (for progress bars)."""
        if self.position is None:
            return 0
        try:
            return int(self.position())
        except ValueError:  # the file is closed: everything has been read
            return self.size


def file_sha256(path: Path) -> str:
    """Return the SHA-256 of a file's bytes, the identity of a batch."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def unneutralise(value: str) -> str:
    """Undo the apostrophe our exports put before formula-like cells, so round trips hold."""
    if value[:1] == "'" and value[1:2] in FORMULA_PREFIXES:
        return value[1:]
    return value


def open_list(path: Path, *, encoding: str | None = None) -> ListFile:
    """Open a list file, detecting its format and (for text) its encoding."""
    name = path.name
    if not path.is_file():
        raise FileRejected(f"{name}: no such file")
    size = path.stat().st_size
    if size == 0:
        raise FileRejected(f"{name}: the file is empty")
    with path.open("rb") as handle:
        sample = handle.read(SAMPLE_BYTES)
    if sample.startswith(b"PK\x03\x04") or path.suffix.lower() in (".xlsx", ".xlsm"):
        return _open_xlsx(path)
    text_encoding = encoding or detect_encoding(sample, name=name, whole=size <= SAMPLE_BYTES)
    start = sample.decode(text_encoding, errors="replace").lstrip("\ufeff \t\r\n")
    if start[:1] in ("[", "{") or path.suffix.lower() == ".json":
        return _open_json(path, size, text_encoding)
    return _open_csv(path, size, text_encoding, sample)


def detect_encoding(sample: bytes, *, name: str, whole: bool) -> str:
    """Guess a text encoding from the first bytes: BOMs, then UTF-8, then Cyrillic code pages."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if _looks_like_utf16(sample):
        return "utf-16-le" if sample[1:2] == b"\x00" else "utf-16-be"
    if b"\x00" in sample:
        offset = sample.index(b"\x00")
        raise FileRejected(
            f"{name}: binary content (a NUL byte at offset {offset}); "
            "a list must be CSV, XLSX or JSON"
        )
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(sample, final=whole)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(sample, cp_isolation=list(CYRILLIC_CANDIDATES)).best()
    if best is None or _control_ratio(sample) > 0.05:
        raise FileRejected(
            f"{name}: cannot tell the text encoding (not UTF-8, UTF-16 or a Cyrillic code "
            "page) — is it binary? Give --encoding if you know it"
        )
    return _prefer_cp1251(sample, best.encoding)


def _prefer_cp1251(sample: bytes, guess: str) -> str:
    # Short Cyrillic samples are often ambiguous between code pages; cp1251 is by far the
    # most common in Ukrainian and Russian office files, so it wins unless clearly worse.
    if guess == "cp1251":
        return guess
    score_guess = _cyrillic_score(sample.decode(guess, errors="replace"))
    score_cp1251 = _cyrillic_score(sample.decode("cp1251", errors="replace"))
    return "cp1251" if score_cp1251 >= score_guess else guess


def _cyrillic_score(text: str) -> float:
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return 0.0
    lower_cyrillic = sum(1 for ch in letters if "а" <= ch <= "я" or ch in "іїєґё")
    return lower_cyrillic / len(letters)


def _control_ratio(sample: bytes) -> float:
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 13))
    return controls / max(len(sample), 1)


def _looks_like_utf16(sample: bytes) -> bool:
    head = sample[:4096]
    if len(head) < 4:
        return False
    evens, odds = head[0::2], head[1::2]
    return odds.count(0) > 0.4 * len(odds) or evens.count(0) > 0.4 * len(evens)


def _open_csv(path: Path, size: int, encoding: str, sample: bytes) -> ListFile:
    name = path.name
    binary = path.open("rb")
    lines = _decoded_lines(binary, encoding)
    delimiter = _sniff_delimiter(sample.decode(encoding, errors="replace"))
    reader = csv.reader(lines, delimiter=delimiter)
    number = 0

    def failure(exc: Exception) -> FileRejected:
        row = number + 1
        if isinstance(exc, UnicodeDecodeError):
            return FileRejected(
                f"{name}:{row}: bytes that are not valid {encoding} ({exc.reason}); the "
                "encoding was guessed from the start of the file — give --encoding (for "
                "example cp1251 or utf-8) and import again"
            )
        return FileRejected(f"{name}:{row}: broken CSV: {exc}")

    try:
        header_cells = next(reader, None)
    except (UnicodeDecodeError, csv.Error) as exc:
        binary.close()
        raise failure(exc) from exc
    if header_cells is None or not any(cell.strip() for cell in header_cells):
        binary.close()
        raise FileRejected(f"{name}: no header row (the first row must name the columns)")
    header = [cell.strip().lstrip("\ufeff") for cell in header_cells]

    def rows() -> Iterator[RawRow]:
        nonlocal number
        number = 1
        try:
            for cells in reader:
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
        except (UnicodeDecodeError, csv.Error) as exc:
            raise failure(exc) from exc
        finally:
            binary.close()

    return ListFile(
        path, "csv", encoding, header, rows(), size, position=binary.tell, release=binary.close
    )


def _decoded_lines(binary: IO[bytes], encoding: str) -> Iterator[str]:
    """Decode line by line, so a bad byte is reported on the row that holds it."""
    if encoding.startswith("utf-16"):
        # Newlines are two bytes wide here; the text layer splits them correctly.
        yield from io.TextIOWrapper(binary, encoding=encoding, newline="")
        return
    decoder = codecs.getincrementaldecoder(encoding)()
    for line in binary:
        yield decoder.decode(line)
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


def _open_xlsx(path: Path) -> ListFile:
    import openpyxl  # imported here: loading it costs time the CSV path should not pay

    name = path.name
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FileRejected(
            f"{name}: not a readable XLSX workbook (truncated or damaged: {exc})"
        ) from exc
    sheet = workbook.worksheets[0]
    iterator = sheet.iter_rows(values_only=True)
    try:
        first = next(iterator, None)
    except (zipfile.BadZipFile, OSError, ValueError, KeyError) as exc:
        workbook.close()
        raise FileRejected(f"{name}: not a readable XLSX workbook ({exc})") from exc
    if first is None or not any(_xlsx_text(c).strip() for c in first):
        workbook.close()
        raise FileRejected(f"{name}: no header row (the first row must name the columns)")
    header = [_xlsx_text(c).strip() for c in first]
    while header and not header[-1]:
        header.pop()
    seen = {"rows": 0}

    def rows() -> Iterator[RawRow]:
        number = 1
        try:
            for cells in iterator:
                number += 1
                seen["rows"] = number
                present = list(cells)
                while present and (present[-1] is None or present[-1] == ""):
                    present.pop()
                if not present:
                    continue
                values: dict[str, Any] = {}
                for column, cell in zip(header, present, strict=False):
                    values[column] = unneutralise(cell) if isinstance(cell, str) else cell
                yield RawRow(number, values, surplus=max(0, len(present) - len(header)))
        except (zipfile.BadZipFile, OSError, ValueError, KeyError, EOFError) as exc:
            raise FileRejected(
                f"{name}:{number + 1}: the workbook breaks off here (truncated or damaged: {exc})"
            ) from exc
        finally:
            workbook.close()

    max_row = sheet.max_row or 0
    return ListFile(
        path,
        "xlsx",
        None,
        header,
        rows(),
        max(max_row, 1),
        position=lambda: seen["rows"],
        release=workbook.close,
    )


def _xlsx_text(value: object) -> str:
    return "" if value is None else str(value)


def _open_json(path: Path, size: int, encoding: str) -> ListFile:
    name = path.name
    binary = path.open("rb")
    text = io.TextIOWrapper(binary, encoding=encoding)
    header: list[str] = []

    def rows() -> Generator[RawRow, None, None]:
        number = 1
        try:
            for item in _iter_json_array(text, name):
                number += 1
                if not isinstance(item, dict):
                    raise FileRejected(
                        f"{name}: item {number - 1} is a {type(item).__name__}, not an object; "
                        "a JSON list must be an array of objects, one per person"
                    )
                values: dict[str, Any] = {}
                problem = None
                for key, value in item.items():
                    column = str(key).strip()
                    if column not in header:
                        header.append(column)
                    if isinstance(value, dict | list):
                        problem = f"{column}: a nested value; give plain text"
                    values[column] = _json_scalar(value)
                yield RawRow(number, values, problem=problem)
        except UnicodeDecodeError as exc:
            raise FileRejected(
                f"{name}: bytes that are not valid {encoding} ({exc.reason}); "
                "give --encoding and import again"
            ) from exc
        finally:
            text.close()

    rows_iter = rows()
    first = next(rows_iter, None)

    def chained() -> Iterator[RawRow]:
        if first is not None:
            yield first
            yield from rows_iter

    if first is None:
        rows_iter.close()
    return ListFile(
        path, "json", encoding, header, chained(), size, position=binary.tell, release=text.close
    )


def _json_scalar(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return unneutralise(str(value))


def _iter_json_array(text: IO[str], name: str) -> Iterator[Any]:
    """Yield the items of a top-level JSON array one by one, without loading the whole file."""
    decoder = json.JSONDecoder()
    buffer = text.read(1 << 16).lstrip("\ufeff \t\r\n")
    if not buffer.startswith("["):
        kind = "an object" if buffer.startswith("{") else "not an array"
        raise FileRejected(f"{name}: the JSON is {kind}; a list must be an array of objects")
    position = 1
    expect_item = True
    while True:
        while True:
            position = _skip_space(buffer, position)
            if position < len(buffer):
                break
            more = text.read(1 << 16)
            if not more:
                raise FileRejected(f"{name}: the JSON array is not closed (truncated file?)")
            buffer, position = buffer[position:] + more, 0
        char = buffer[position]
        if char == "]":
            return
        if char == "," and not expect_item:
            position += 1
            expect_item = True
            continue
        if not expect_item:
            raise FileRejected(f"{name}: broken JSON near character {position}: expected ','")
        while True:
            try:
                item, end = decoder.raw_decode(buffer, position)
                break
            except json.JSONDecodeError as exc:
                more = text.read(1 << 16)
                if not more:
                    raise FileRejected(f"{name}: broken JSON: {exc.msg}") from exc
                buffer, position = buffer[position:] + more, 0
        yield item
        position = end
        expect_item = False
        if position > (1 << 20):
            buffer, position = buffer[position:], 0


def _skip_space(buffer: str, position: int) -> int:
    while position < len(buffer) and buffer[position] in " \t\r\n":
        position += 1
    return position


def cell_text(value: Any) -> str:
    """Return a raw cell as the text a person would see in the source."""
    if type(value) is str:  # nearly every cell: the one check worth making first
        return value
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
