"""Builders of attachments, good and hostile: photos with GPS, PDFs with scripts, polyglots.

Everything is made here at run time (Pillow, pypdf): nothing is downloaded or kept.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from pathlib import Path

from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

# Where the photo says it was taken (Kharkiv), and a name its camera wrote in a comment.
GPS_LATITUDE = (50.0, 0.0, 0.0)
SECRET_COMMENT = b"taken at grandmother's flat, Sumska 12"
# A Windows program: what a renamed .exe starts with.
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + bytes(200)


def jpeg_with_gps(
    size: tuple[int, int] = (64, 48), colour: tuple[int, int, int] = (200, 30, 40)
) -> bytes:
    """Return a JPEG whose EXIF holds GPS coordinates and a camera comment."""
    image = Image.new("RGB", size, colour)
    exif = image.getexif()
    exif[0x010E] = SECRET_COMMENT.decode()  # ImageDescription
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = GPS_LATITUDE
    gps[3] = "E"
    gps[4] = (36.0, 15.0, 0.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, comment=SECRET_COMMENT)
    return out.getvalue()


def png(colour: tuple[int, int, int] = (10, 120, 30)) -> bytes:
    """Return a small PNG picture."""
    out = io.BytesIO()
    Image.new("RGB", (20, 10), colour).save(out, "PNG")
    return out.getvalue()


def _written(writer: PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf(pages: int = 1) -> bytes:
    """Return a plain PDF of blank pages."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=200, height=200)
    return _written(writer)


def pdf_with_javascript() -> bytes:
    """Return a PDF that runs JavaScript when opened."""
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    action = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert('hello');"),
        }
    )
    scripts = DictionaryObject(
        {NameObject("/Names"): ArrayObject([TextStringObject("hello"), writer._add_object(action)])}
    )
    writer._root_object[NameObject("/Names")] = DictionaryObject(
        {NameObject("/JavaScript"): writer._add_object(scripts)}
    )
    return _written(writer)


def pdf_with_hidden_javascript() -> bytes:
    """Return a PDF whose opening action runs JavaScript, its name written with #-escapes."""
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert('hidden');"),
        }
    )
    # The plain name is gone from the bytes; a reader still decodes it as /JavaScript.
    return _written(writer).replace(b"/JavaScript", b"/J#61vaScript")


def encrypted_pdf() -> bytes:
    """Return a PDF protected by a password."""
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.encrypt("secret")
    return _written(writer)


def damaged_pdf() -> bytes:
    """Return a file that starts as a PDF and is not one."""
    return b"%PDF-1.7\n" + b"\x00garbage that no reader can parse " * 20


def jpeg_zip_polyglot() -> bytes:
    """Return a real JPEG with a ZIP archive appended (read as either, by different programs)."""
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("run.bat", "echo owned")
    return jpeg_with_gps() + archive.getvalue()


def pdf_html_polyglot() -> bytes:
    """Return a PDF that a browser sniffing its start reads as a web page with a script."""
    return pdf().replace(b"%PDF-1.3\n", b"%PDF-1.3\n<html><script>alert(1)</script></html>\n", 1)


def write_zip(
    folder: Path,
    name: str,
    members: Iterable[tuple[str, bytes]],
    *,
    compression: int = zipfile.ZIP_DEFLATED,
) -> Path:
    """Write a ZIP of the given members (name, bytes), in order."""
    path = folder / name
    with zipfile.ZipFile(path, "w", compression=compression) as bundle:
        for member, data in members:
            bundle.writestr(member, data)
    return path
