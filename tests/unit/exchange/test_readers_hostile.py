"""The readers' bounds, one by one, and damaged files: nothing but FileRejected comes out.

The bounds live in `reunite.exchange.limits`; tests lower them so that a small file can
cross each one. The integration tests send full-size hostile files through the command
line, the API and the upload page.
"""

from __future__ import annotations

import json
import random
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from reunite.errors import FileRejected
from reunite.exchange import limits
from reunite.exchange.readers import RawRow, open_list
from reunite.vocabulary import Message
from reunite.web.i18n import catalogue

from factories import REQUEST_HEADER, REQUEST_ROWS, csv_bytes, write_json
from hostile import (
    SHARED_STRINGS,
    SHEET,
    MiB,
    inline_row,
    json_deep_value,
    json_long_number,
    lie_about_size,
    rezip,
    sheet_xml,
    valid_xlsx,
    xlsx_bomb,
    xlsx_entities,
    xlsx_with_sheet,
)


def _read(path: Path) -> list[RawRow]:
    listing = open_list(path)
    return list(listing.rows)


def _refused(path: Path, *, encoding: str | None = None) -> str:
    with pytest.raises(FileRejected) as refused:
        list(open_list(path, encoding=encoding).rows)
    _assert_translatable(refused.value, path.name)
    return refused.value.detail


def _assert_translatable(error: FileRejected, name: str) -> None:
    """A page shows a refusal in its reader's language: marked sentences, the file a value."""
    message = error.message
    assert message.values.get("file") == name, message
    assert name not in message.template
    assert str(message) == error.detail
    for language in ("uk", "ru"):
        assert _untranslated(message, catalogue(language)) == []


def _untranslated(message: Message, translations: dict[str, str]) -> list[str]:
    missing = [] if translations.get(message.template) else [message.template]
    for value in message.values.values():
        if isinstance(value, Message):
            missing += _untranslated(value, translations)
    return missing


def test_a_valid_workbook_reads_as_before(tmp_path: Path) -> None:
    rows = _read(valid_xlsx(tmp_path))
    assert [row.number for row in rows] == [2, 3, 4]
    assert rows[0].cells["surname"] == "Лисенко"
    assert rows[2].cells == {
        "id": "UA-3",
        "surname": "ШЕВЧУК",
        "given_name": "ДМИТРО",
        "patronymic": None,
        "sex": "M",
        "birth_date": "2011",
        "birth_place": "Херсон",
    }


# --- the zip's directory ---------------------------------------------------------------------


def test_too_many_parts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "XLSX_MAX_PARTS", 5)
    assert "valid.xlsx: the workbook holds 10 parts" in _refused(valid_xlsx(tmp_path))


def test_unpacked_size(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "XLSX_MAX_UNPACKED", 20 * MiB)
    detail = _refused(xlsx_bomb(tmp_path, unpacked=30 * MiB))
    assert "bomb.xlsx: the workbook would unpack to 30.0 MiB; at most 20 MiB are read" in detail


def test_packing_ratio(tmp_path: Path) -> None:
    # Within the unpacked size, but packed 170 times: only a zip bomb packs so well.
    detail = _refused(xlsx_bomb(tmp_path, unpacked=30 * MiB))
    assert "bomb.xlsx: the workbook's part xl/sharedStrings.xml unpacks 1" in detail
    assert "times its packed size" in detail


@pytest.mark.parametrize("change", [-50, 1_000], ids=["smaller", "larger"])
def test_a_part_whose_header_lies_about_its_size(tmp_path: Path, change: int) -> None:
    path = valid_xlsx(tmp_path)
    with zipfile.ZipFile(path) as archive:
        real = archive.getinfo(SHARED_STRINGS).file_size
    detail = _refused(lie_about_size(path, SHARED_STRINGS, real + change))
    assert detail.startswith("valid.xlsx: not a readable XLSX workbook: the file is damaged")
    assert "xl/sharedStrings.xml" in detail


def test_a_bomb_that_lies_about_its_size_is_stopped_while_read(tmp_path: Path) -> None:
    # The directory claims 100 KB: the checks before reading pass, the meter does not.
    path = lie_about_size(xlsx_bomb(tmp_path, unpacked=30 * MiB), SHARED_STRINGS, 100_000)
    assert "bomb.xlsx: not a readable XLSX workbook: the file is damaged" in _refused(path)


def _patch_central(path: Path, member: str, offset: int, fmt: str, value: int) -> Path:
    data = bytearray(path.read_bytes())
    start = data.find(b"PK\x01\x02" + bytes(0))
    while start != -1:
        length = struct.unpack_from("<H", data, start + 28)[0]
        if bytes(data[start + 46 : start + 46 + length]) == member.encode():
            struct.pack_into(fmt, data, start + offset, value)
            path.write_bytes(bytes(data))
            return path
        start = data.find(b"PK\x01\x02", start + 4)
    raise AssertionError(member)


def test_encrypted_parts(tmp_path: Path) -> None:
    path = _patch_central(valid_xlsx(tmp_path), SHEET, 8, "<H", 0x1)
    assert "valid.xlsx: the workbook's parts are encrypted" in _refused(path)


def test_a_compression_spreadsheets_never_use(tmp_path: Path) -> None:
    path = _patch_central(valid_xlsx(tmp_path), SHEET, 10, "<H", zipfile.ZIP_BZIP2)
    assert "packed in a way spreadsheet programs never use" in _refused(path)


def test_an_old_excel_file(tmp_path: Path) -> None:
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    assert "old.xls: an old Excel workbook (.xls)" in _refused(path)


# --- the parts, as they are read -------------------------------------------------------------


def test_shared_strings_bounded_in_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "XLSX_MAX_RATIO", 1_000)
    monkeypatch.setattr(limits, "XLSX_MAX_SHARED", 2 * MiB)
    detail = _refused(xlsx_bomb(tmp_path, unpacked=3 * MiB))
    assert "bomb.xlsx: the workbook's shared texts (xl/sharedStrings.xml) is too large" in detail


def test_shared_strings_bounded_in_elements(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Tiny strings: few bytes, but each costs a Python object once parsed.
    tiny = b"<si><t>a</t></si>" * 100_000
    strings = (
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + tiny
        + b"</sst>"
    )
    monkeypatch.setattr(limits, "XLSX_MAX_SHARED_ITEMS", 150_000)
    monkeypatch.setattr(limits, "XLSX_MAX_RATIO", 1_000)
    path = rezip(
        valid_xlsx(tmp_path, "source.xlsx"), tmp_path / "tiny.xlsx", {SHARED_STRINGS: strings}
    )
    assert "tiny.xlsx: the workbook's shared texts" in _refused(path)


def test_parts_read_whole_are_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "XLSX_MAX_WHOLE_PARTS", 1_000)
    detail = _refused(valid_xlsx(tmp_path))
    assert "valid.xlsx: the workbook's settings and styles" in detail


def test_a_dtd_is_refused(tmp_path: Path) -> None:
    detail = _refused(xlsx_entities(tmp_path))
    assert "entities.xlsx: not a readable XLSX workbook" in detail
    assert "xl/sharedStrings.xml: it declares a DTD of its own" in detail


# --- the sheet -------------------------------------------------------------------------------


def _header_and(*rows: bytes) -> list[bytes]:
    return [inline_row(1, REQUEST_HEADER), *rows]


def test_a_row_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "XLSX_MAX_ROW_BYTES", 100_000)
    sheet = sheet_xml(_header_and(inline_row(2, ["UA-1", "Ж" * 200_000])))
    detail = _refused(xlsx_with_sheet(tmp_path, "long-row.xlsx", sheet))
    assert "long-row.xlsx: a row of the sheet (xl/worksheets/sheet1.xml) is too large" in detail


def test_cells_are_counted_without_a_dimension(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(limits, "XLSX_MAX_CELLS", 20)
    rows = [inline_row(n, ["UA-1", "Koval", "Hanna"]) for n in range(2, 12)]
    detail = _refused(xlsx_with_sheet(tmp_path, "many.xlsx", sheet_xml(_header_and(*rows))))
    # The header's nine cells count too.
    assert "many.xlsx:5: the sheet holds more than 20 cells" in detail


def test_rows_out_of_order(tmp_path: Path) -> None:
    rows = _header_and(inline_row(3, REQUEST_ROWS[0]), inline_row(2, REQUEST_ROWS[1]))
    detail = _refused(xlsx_with_sheet(tmp_path, "order.xlsx", sheet_xml(rows)))
    assert "order.xlsx:2: the workbook is damaged here" in detail
    assert "row 2 follows row 3" in detail


def test_a_cell_far_to_the_right_is_surplus_not_padding(tmp_path: Path) -> None:
    # openpyxl pads a row to its last cell: 16,384 columns for every such row.
    far = [inline_row(n, ["x"], first_column=16_384) for n in range(2, 2_002)]
    rows = _read(xlsx_with_sheet(tmp_path, "far.xlsx", sheet_xml(_header_and(*far))))
    assert len(rows) == 2_000
    assert {row.surplus for row in rows} == {16_384 - len(REQUEST_HEADER)}


def test_the_header_is_bounded_in_width(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_COLUMNS", 5)
    message = "the header has 9 columns; a list has at most 5"
    assert message in _refused(valid_xlsx(tmp_path))
    csv_path = tmp_path / "wide.csv"
    csv_path.write_text(csv_bytes(REQUEST_HEADER, REQUEST_ROWS), encoding="utf-8")
    assert message in _refused(csv_path)
    items = [dict(zip(REQUEST_HEADER, row, strict=True)) for row in REQUEST_ROWS]
    assert "the header has 6 columns; a list has at most 5" in _refused(
        write_json(tmp_path, "wide.json", items)
    )


# --- CSV and JSON ----------------------------------------------------------------------------


def test_a_csv_row_is_bounded_across_its_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(limits, "CSV_MAX_ROW_CHARS", 1_000)
    # A quote left open: every following line belongs to one cell of one row.
    lines = csv_bytes(REQUEST_HEADER, REQUEST_ROWS[:1]) + 'UA-9,"Koval\r\n' + "Hanna\r\n" * 500
    path = tmp_path / "open-quote.csv"
    path.write_text(lines, encoding="utf-8")
    assert "open-quote.csv:3: the row is longer than 1,000 characters" in _refused(path)
    utf16 = tmp_path / "open-quote-16.csv"
    utf16.write_text(lines, encoding="utf-16")
    assert "open-quote-16.csv:3: the row is longer than 1,000 characters" in _refused(utf16)


def test_a_json_item_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "JSON_MAX_ITEM_CHARS", 100_000)
    items = [{"id": "UA-1", "surname": "Koval"}, {"id": "UA-2", "marks": "x" * 200_000}]
    detail = _refused(write_json(tmp_path, "big.json", items))
    assert "big.json: item 2 is longer than 100,000 characters" in detail


def test_json_nested_deep_in_a_value_or_a_number_too_long(tmp_path: Path) -> None:
    assert "deep-value.json: item 1 is nested too deeply" in _refused(json_deep_value(tmp_path))
    assert "long-number.json: item 1 holds a number too long" in _refused(
        json_long_number(tmp_path)
    )


def _file(folder: Path, name: str, content: bytes) -> Path:
    path = folder / name
    path.write_bytes(content)
    return path


def test_files_that_are_not_lists_are_refused_in_words_a_page_translates(
    tmp_path: Path,
) -> None:
    cp1251 = csv_bytes(REQUEST_HEADER, REQUEST_ROWS).encode("cp1251")
    cases = [
        (tmp_path / "missing.csv", None, "missing.csv: no such file"),
        (_file(tmp_path, "empty.csv", b""), None, "empty.csv: the file is empty"),
        (
            _file(tmp_path, "blank.csv", b" , ,\r\n"),
            None,
            "blank.csv: no header row (the first row must name the columns)",
        ),
        (
            _file(tmp_path, "binary.csv", b"id,surname\r\n\x00\x01"),
            None,
            "binary.csv: binary content (a NUL byte at offset 12); "
            "a list must be CSV, XLSX or JSON",
        ),
        (
            _file(tmp_path, "cp1251.csv", cp1251),
            "utf-8",
            "cp1251.csv:2: bytes that are not valid utf-8 (invalid continuation byte)",
        ),
        (
            _file(tmp_path, "object.json", b'{"id": "UA-1"}'),
            None,
            "object.json: the JSON is an object; a list must be an array of objects",
        ),
        (
            _file(tmp_path, "number.json", b"7"),
            None,
            "number.json: the JSON is not an array; a list must be an array of objects",
        ),
        (
            _file(tmp_path, "open.json", b'[{"id": "UA-1"}, '),
            None,
            "open.json: the JSON array is not closed (truncated file?)",
        ),
        (
            _file(tmp_path, "comma.json", b'[{"id": "UA-1"} {"id": "UA-2"}]'),
            None,
            "comma.json: broken JSON near character 16: expected ','",
        ),
        (
            _file(tmp_path, "broken.json", b'[{"id": UA-1}]'),
            None,
            "broken.json: broken JSON: Expecting value",
        ),
        (
            _file(tmp_path, "strings.json", b'["UA-1"]'),
            None,
            "strings.json: item 1 is a str, not an object; "
            "a JSON list must be an array of objects, one per person",
        ),
    ]
    for path, encoding, english in cases:
        assert _refused(path, encoding=encoding).startswith(english)


# --- damaged files: truncated, bits flipped ---------------------------------------------------


def _damaged_copies(data: bytes, seed: int, flips: int) -> list[bytes]:
    """Every truncation at a spread of lengths, and single bits flipped at random places."""
    rng = random.Random(seed)
    step = max(1, len(data) // 150)
    copies = [data[:end] for end in range(1, len(data), step)]
    for _ in range(flips):
        position = rng.randrange(len(data))
        flipped = bytearray(data)
        flipped[position] ^= 1 << rng.randrange(8)
        copies.append(bytes(flipped))
    return copies


def _json_list(folder: Path) -> Path:
    items = [dict(zip(REQUEST_HEADER, row, strict=True)) for row in REQUEST_ROWS]
    items[1]["marks"] = {"nested": [1, 2.5, None, True]}
    path = folder / "list.json"
    path.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    return path


def _csv_list(folder: Path) -> Path:
    path = folder / "list.csv"
    path.write_text(csv_bytes(REQUEST_HEADER, REQUEST_ROWS), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("make", "suffix"),
    [(valid_xlsx, ".xlsx"), (_json_list, ".json"), (_csv_list, ".csv")],
    ids=["xlsx", "json", "csv"],
)
def test_a_damaged_file_is_refused_never_crashes(
    tmp_path: Path, make: Callable[[Path], Path], suffix: str
) -> None:
    data = make(tmp_path).read_bytes()
    refused = 0
    copies = _damaged_copies(data, seed=len(data), flips=400)
    for number, damaged in enumerate(copies):
        path = tmp_path / f"damaged-{number}{suffix}"
        path.write_bytes(damaged)
        try:
            _read(path)
        except FileRejected as exc:
            assert exc.detail.startswith(path.name), exc.detail
            _assert_translatable(exc, path.name)
            refused += 1
        # Anything else escapes and fails the test, with the copy that caused it on disk.
        path.unlink()
    assert refused > len(copies) // 4


def test_a_workbook_with_damaged_xml_is_refused_never_crashes(tmp_path: Path) -> None:
    # Damage inside the parts, re-zipped: the XML parser and openpyxl meet it, not zlib.
    source = valid_xlsx(tmp_path)
    with zipfile.ZipFile(source) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    rng = random.Random(8)
    for number in range(400):
        name = rng.choice(sorted(parts))
        data = bytearray(parts[name])
        for _ in range(rng.randint(1, 3)):
            data[rng.randrange(len(data))] = rng.choice(b'<>/="0123456789AZs ')
        path = rezip(source, tmp_path / f"damaged-{number}.xlsx", {name: bytes(data)})
        try:
            _read(path)
        except FileRejected as exc:
            assert exc.detail.startswith(path.name), exc.detail
            _assert_translatable(exc, path.name)
        path.unlink()
