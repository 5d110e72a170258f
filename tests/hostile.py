"""Builders of hostile list files: zip bombs, damaged workbooks, endless lines, deep JSON.

Each builder writes one file into a folder and returns its path. The files are made here,
at run time, from a small valid list: nothing is downloaded or kept in the repository.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path
from xml.sax.saxutils import escape

from PIL import Image, PngImagePlugin

from factories import REQUEST_HEADER, REQUEST_ROWS, csv_bytes, write_xlsx

MiB = 1 << 20
SHEET = "xl/worksheets/sheet1.xml"
SHARED_STRINGS = "xl/sharedStrings.xml"
WORKBOOK = "xl/workbook.xml"
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
# One shared string of 1,000 letters: a block of them compresses about 170 times.
_BOMB_STRING = b"<si><t>" + b"A" * 1000 + b"</t></si>"


def valid_xlsx(folder: Path, name: str = "valid.xlsx") -> Path:
    """Write a small valid list of requests as XLSX, its text in shared strings as Excel does.

    openpyxl writes text inline; the shared strings table is what Excel writes, and what a
    zip bomb inflates, so the text is moved there.
    """
    source = write_xlsx(folder, f"inline-{name}", REQUEST_HEADER, REQUEST_ROWS)
    strings: dict[str, int] = {}
    rows = []
    for number, cells in enumerate([REQUEST_HEADER, *REQUEST_ROWS], start=1):
        rendered = [f'<row r="{number}">']
        for column, text in enumerate(cells, start=1):
            if text:
                index = strings.setdefault(text, len(strings))
                reference = f"{_column_letters(column)}{number}"
                rendered.append(f'<c r="{reference}" t="s"><v>{index}</v></c>')
        rendered.append("</row>")
        rows.append("".join(rendered).encode())
    table = "".join(f"<si><t>{escape(text)}</t></si>" for text in strings)
    shared = f'<sst xmlns="{MAIN_NS}" count="{len(strings)}">{table}</sst>'.encode()
    with zipfile.ZipFile(source) as archive:
        types = archive.read("[Content_Types].xml")
        relations = archive.read("xl/_rels/workbook.xml.rels")
    types = types.replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxml'
        b'formats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    relations = relations.replace(
        b"</Relationships>",
        b'<Relationship Id="rIdStrings" Target="sharedStrings.xml" Type="http://schemas.'
        b'openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/></Relationships>',
    )
    target = rezip(
        source,
        folder / name,
        {
            SHEET: sheet_xml(rows, dimension=f"A1:I{len(rows)}"),
            "[Content_Types].xml": types,
            "xl/_rels/workbook.xml.rels": relations,
        },
        add={SHARED_STRINGS: shared},
    )
    source.unlink()
    return target


def rezip(
    source: Path,
    target: Path,
    replace: dict[str, bytes | Callable[[bytes], Iterable[bytes]]],
    *,
    add: dict[str, bytes] | None = None,
    level: int = 6,
) -> Path:
    """Copy a zip, giving some members new content (bytes, or blocks made from the old)."""
    with (
        zipfile.ZipFile(source) as old,
        zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as new,
    ):
        for info in old.infolist():
            content = old.read(info.filename)
            change = replace.get(info.filename)
            if change is None:
                new.writestr(info.filename, content)
            elif isinstance(change, bytes):
                new.writestr(info.filename, change)
            else:
                # Streamed block by block: a bomb is never whole in the test's memory.
                with new.open(info.filename, "w") as out:
                    for block in change(content):
                        out.write(block)
        for member, content in (add or {}).items():
            new.writestr(member, content)
    return target


def _padded_strings(unpacked: int) -> Callable[[bytes], Iterable[bytes]]:
    block = _BOMB_STRING * (MiB // len(_BOMB_STRING))

    def blocks(original: bytes) -> Iterable[bytes]:
        head, _, tail = original.rpartition(b"</sst>")
        yield head
        for _ in range(unpacked // len(block)):
            yield block
        yield b"</sst>" + tail

    return blocks


def xlsx_bomb(folder: Path, *, unpacked: int = 700 * MiB, name: str = "bomb.xlsx") -> Path:
    """Write a valid list whose shared strings unpack to `unpacked` bytes (a few MB packed)."""
    source = valid_xlsx(folder, "bomb-source.xlsx")
    # The fastest compression level: the bomb is built in about a second and still packs
    # its shared strings about 170 times.
    return rezip(source, folder / name, {SHARED_STRINGS: _padded_strings(unpacked)}, level=1)


def lie_about_size(path: Path, member: str, declared: int) -> Path:
    """Make a zip declare a smaller unpacked size for one member, in both of its headers."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        local = archive.getinfo(member).header_offset
    assert data[local : local + 4] == b"PK\x03\x04"
    struct.pack_into("<I", data, local + 22, declared)
    name = member.encode()
    for found in re.finditer(rb"PK\x01\x02", bytes(data)):
        start = found.start()
        length = struct.unpack_from("<H", data, start + 28)[0]
        if bytes(data[start + 46 : start + 46 + length]) == name:
            struct.pack_into("<I", data, start + 24, declared)
            break
    else:
        raise AssertionError(f"{member} is not in the central directory")
    path.write_bytes(bytes(data))
    return path


def xlsx_with_sheet(folder: Path, name: str, sheet: bytes) -> Path:
    """Write a valid workbook whose first sheet's XML is replaced by `sheet`."""
    return rezip(valid_xlsx(folder, f"source-{name}"), folder / name, {SHEET: sheet})


SHEET_OPEN = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN_NS}">'.encode()


def inline_row(number: int, cells: Iterable[str], *, first_column: int = 1) -> bytes:
    """Render one sheet row of inline strings."""
    parts = [f'<row r="{number}">'.encode()]
    for offset, text in enumerate(cells):
        reference = f"{_column_letters(first_column + offset)}{number}"
        parts.append(f'<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>'.encode())
    parts.append(b"</row>")
    return b"".join(parts)


def _column_letters(index: int) -> str:
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def sheet_xml(rows: Iterable[bytes], *, dimension: str | None = None) -> bytes:
    """Render a whole sheet from rendered rows."""
    head = SHEET_OPEN
    if dimension is not None:
        head += f'<dimension ref="{dimension}"/>'.encode()
    return head + b"<sheetData>" + b"".join(rows) + b"</sheetData></worksheet>"


def _good_rows() -> list[bytes]:
    return [inline_row(1, REQUEST_HEADER), inline_row(2, REQUEST_ROWS[1])]


def xlsx_far_row(folder: Path) -> Path:
    """A sheet with a row numbered a billion (openpyxl fills the rows in between)."""
    rows = [*_good_rows(), inline_row(1_000_000_000, ["UA-9", "Far"])]
    return xlsx_with_sheet(folder, "far-row.xlsx", sheet_xml(rows))


def xlsx_huge_dimension(folder: Path) -> Path:
    """Two rows that claim the whole grid: openpyxl pads every row to it."""
    sheet = sheet_xml(_good_rows(), dimension="A1:XFD1048576")
    return xlsx_with_sheet(folder, "huge-dimension.xlsx", sheet)


def xlsx_broken_sheet_xml(folder: Path) -> Path:
    """A sheet whose XML is not well formed (a cell never closed)."""
    sheet = sheet_xml([inline_row(1, REQUEST_HEADER), b'<row r="2"><c r="A2"><v>1</v></row>'])
    return xlsx_with_sheet(folder, "broken-xml.xlsx", sheet)


def xlsx_missing_shared_string(folder: Path) -> Path:
    """Well-formed XML that points at shared string 999 of a table of a handful."""
    rows = [inline_row(1, REQUEST_HEADER), b'<row r="2"><c r="A2" t="s"><v>999</v></c></row>']
    return xlsx_with_sheet(folder, "bad-string.xlsx", sheet_xml(rows))


def xlsx_broken_workbook_xml(folder: Path) -> Path:
    """The workbook part itself is not XML."""
    source = valid_xlsx(folder, "source-broken-workbook.xlsx")
    return rezip(source, folder / "broken-workbook.xlsx", {WORKBOOK: b"<workbook><sheets>"})


def xlsx_entities(folder: Path) -> Path:
    """Shared strings with a DTD of nested entities ("billion laughs")."""
    laughs = [b'<!ENTITY l0 "ha">']
    for level in range(1, 10):
        refs = f"&l{level - 1};".encode() * 10
        laughs.append(f'<!ENTITY l{level} "'.encode() + refs + b'">')
    dtd = b"<!DOCTYPE sst [" + b"".join(laughs) + b"]>"
    strings = (
        b'<?xml version="1.0"?>' + dtd + b'<sst xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main"><si><t>&l9;</t></si></sst>'
    )
    source = valid_xlsx(folder, "source-entities.xlsx")
    return rezip(source, folder / "entities.xlsx", {SHARED_STRINGS: strings})


def csv_endless_line(folder: Path, *, size: int = 8 * MiB, name: str = "endless.csv") -> Path:
    """A list whose second row is one cell of `size` letters, with no line break."""
    path = folder / name
    with path.open("wb") as out:
        out.write(csv_bytes(REQUEST_HEADER, REQUEST_ROWS[:1]).encode())
        out.write(b"UA-9,")
        block = b"A" * MiB
        for _ in range(size // MiB):
            out.write(block)
    return path


def json_huge_item(folder: Path, *, size: int = 8 * MiB, name: str = "huge-item.json") -> Path:
    """A JSON list whose second person has a surname of `size` letters."""
    path = folder / name
    with path.open("wb") as out:
        out.write(b'[{"id": "UA-1", "surname": "Koval"}, {"id": "UA-2", "surname": "')
        block = b"A" * MiB
        for _ in range(size // MiB):
            out.write(block)
        out.write(b'"}]')
    return path


def json_deep(folder: Path, *, depth: int = 100_000) -> Path:
    """A JSON array nested `depth` deep."""
    path = folder / "deep.json"
    path.write_bytes(b"[" * depth + b"]" * depth)
    return path


def json_deep_value(folder: Path, *, depth: int = 100_000) -> Path:
    """A person whose surname is an array nested `depth` deep."""
    path = folder / "deep-value.json"
    path.write_bytes(b'[{"id": "UA-1", "surname": ' + b"[" * depth + b"]" * depth + b"}]")
    return path


def json_long_number(folder: Path) -> Path:
    """A number of 100,000 digits (Python refuses to turn it into an int)."""
    path = folder / "long-number.json"
    path.write_bytes(b'[{"id": ' + b"9" * 100_000 + b', "surname": "Koval"}]')
    return path


def xlsx_markup_in_a_cell(folder: Path) -> Path:
    """A damaged date cell whose text is console markup: refusals quote it, never run it."""
    rows = _good_rows()[:1] + [b'<row r="2"><c r="A2" t="d"><v>[/bold][link=x]</v></c></row>']
    return xlsx_with_sheet(folder, "markup.xlsx", sheet_xml(rows))


def jpeg_with_secrets() -> bytes:
    """A JPEG carrying a camera name, a GPS position, a comment with an address and XMP."""
    image = Image.new("RGB", (40, 30), (200, 100, 50))
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (46.0, 38.0, 10.0), 3: "E", 4: (32.0, 36.0, 5.0)})
    out = io.BytesIO()
    image.save(
        out,
        "JPEG",
        exif=exif,
        comment=b"home at Shevchenka 12",
        xmp=b"<x:xmpmeta>GPSLatitude 46.63</x:xmpmeta>",
    )
    return out.getvalue()


def png_with_secrets() -> bytes:
    """A PNG carrying a text chunk with an address and an eXIf chunk naming the camera."""
    image = Image.new("RGBA", (20, 20), (0, 128, 255, 200))
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "home at Shevchenka 12")
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"
    out = io.BytesIO()
    image.save(out, "PNG", pnginfo=info, exif=exif)
    return out.getvalue()
