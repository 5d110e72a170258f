"""What a file really is: PDF, JPEG or PNG by its content, checked by parsing it, or refused.

Files come from two parties at war and from families: any of them may be built to harm the
mediator's staff who open it (a program renamed .jpg, a PDF that runs JavaScript when
opened, a file that is a PDF to one program and a ZIP or a web page to another) or to tell
where a family lives (a phone's photo carries GPS in its EXIF). So the type is what the
bytes are, never the name; pictures are re-encoded from their pixels (`pictures`), which
also drops anything appended to them; a PDF cannot be re-encoded, so one that could act
(JavaScript, launch actions, embedded files, forms that run scripts) or hide (encryption)
is refused, as is one that does not parse.
"""

from __future__ import annotations

import io
import logging
import zipfile
from dataclasses import dataclass

from reunite.attachments.enums import AttachmentKind, FileType
from reunite.errors import InvalidInput
from reunite.pictures import PictureRefused, clean_picture
from reunite.vocabulary import N_, Message, say

_PDF = b"%PDF-"
_JPEG = b"\xff\xd8\xff"
_PNG = b"\x89PNG\r\n\x1a\n"
# What other files start with, to say what a refused one is (a program, an archive…).
_KNOWN = (
    (b"MZ", N_("a Windows program")),
    (b"\x7fELF", N_("a program")),
    (b"PK\x03\x04", N_("a ZIP archive or an Office document")),
    (b"PK\x05\x06", N_("a ZIP archive")),
    (b"Rar!", N_("a RAR archive")),
    (b"7z\xbc\xaf\x27\x1c", N_("a 7-Zip archive")),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", N_("an old Office document")),
    (b"GIF8", N_("a GIF picture")),
    (b"#!", N_("a script")),
)
# Names in a PDF that make it act when opened, or carry other files: such a PDF is refused.
_ACTIVE_NAMES = {
    "/JS": N_("JavaScript"),
    "/JavaScript": N_("JavaScript"),
    "/Launch": N_("an action that launches a program"),
    "/EmbeddedFile": N_("embedded files"),
    "/EmbeddedFiles": N_("embedded files"),
    "/RichMedia": N_("embedded media"),
    "/XFA": N_("an XFA form (which can run scripts)"),
    "/SubmitForm": N_("a form that sends data away"),
    "/ImportData": N_("an action that imports data"),
}
# The longer names as raw bytes: a cheap look before the parse, which also sees names hidden
# in compressed object streams or written with #-escapes. (Short names such as /JS occur by
# chance in the compressed bytes of a large scan; only the parse judges those.)
_ACTIVE_BYTES = (b"/JavaScript", b"/Launch", b"/EmbeddedFile", b"/RichMedia")
# A PDF's object graph is walked to this many objects at most: a real report has a few
# thousand; one built to exhaust the walk is refused.
MAX_PDF_OBJECTS = 200_000
# Markup that makes a browser read a file as a web page (a PDF/HTML polyglot).
_MARKUP = (b"<html", b"<script", b"<svg", b"<!doctype", b"<body", b"<iframe")


class AttachmentRefused(InvalidInput):
    """A file that cannot be attached; `reason` names the rule it broke (for programs)."""

    def __init__(self, detail: Message | str, *, reason: str) -> None:
        super().__init__(detail, code="attachment_refused")
        self.reason = reason


@dataclass(frozen=True)
class CheckedFile:
    """A file that passed: its type by content, and the bytes to keep (pictures re-encoded)."""

    file_type: FileType
    data: bytes


def check_file(data: bytes, *, name: str, kind: str, max_bytes: int) -> CheckedFile:
    """Return the file as it may be kept, or refuse it with the reason, naming the file."""
    if kind not in AttachmentKind.values():
        raise AttachmentRefused(
            say(N_("{file}: unknown kind of attachment {kind}"), file=name, kind=repr(kind)),
            reason="kind",
        )
    if len(data) > max_bytes:
        raise AttachmentRefused(
            say(
                N_("{file}: the file is larger than {size} MB"),
                file=name,
                size=f"{max_bytes // (1024 * 1024):,}",
            ),
            reason="too_big",
        )
    if not data:
        raise AttachmentRefused(say(N_("{file}: the file is empty"), file=name), reason="empty")
    file_type = _type_of(data, name)
    if kind == AttachmentKind.PHOTO and file_type == FileType.PDF:
        raise AttachmentRefused(
            say(N_("{file}: a photo must be a JPEG or PNG picture, not a PDF"), file=name),
            reason="type",
        )
    _refuse_polyglot(data, name)
    if file_type == FileType.PDF:
        _check_pdf(data, name)
        return CheckedFile(file_type, data)
    try:
        picture = clean_picture(data, max_bytes=max_bytes)
    except PictureRefused as exc:
        why = (
            N_("{file}: the picture has too many pixels to be decoded safely")
            if exc.reason == "too_big"
            else N_("{file}: the picture does not decode as a JPEG or PNG; it is damaged")
        )
        raise AttachmentRefused(say(why, file=name), reason=exc.reason) from exc
    return CheckedFile(FileType(picture.content_type), picture.data)


def _type_of(data: bytes, name: str) -> FileType:
    if data.startswith(_PDF):
        return FileType.PDF
    if data.startswith(_JPEG):
        return FileType.JPEG
    if data.startswith(_PNG):
        return FileType.PNG
    what = next((label for magic, label in _KNOWN if data.startswith(magic)), None)
    if what is not None:
        raise AttachmentRefused(
            say(
                N_("{file}: the file is {what}, not a PDF, JPEG or PNG (whatever its name)"),
                file=name,
                what=say(what),
            ),
            reason="type",
        )
    raise AttachmentRefused(
        say(N_("{file}: the file is not a PDF, JPEG or PNG (whatever its name)"), file=name),
        reason="type",
    )


def _refuse_polyglot(data: bytes, name: str) -> None:
    """Refuse a file that is also something else: a ZIP archive, or a web page."""
    also_zip = False
    try:
        also_zip = zipfile.is_zipfile(io.BytesIO(data))
    except (OSError, ValueError):
        also_zip = True
    head = data[:2048].lower()
    if also_zip or any(marker in head for marker in _MARKUP):
        raise AttachmentRefused(
            say(
                N_(
                    "{file}: the file is also read as another kind of file (a ZIP archive or "
                    "a web page hidden in it); send the document or picture alone"
                ),
                file=name,
            ),
            reason="polyglot",
        )


def _check_pdf(data: bytes, name: str) -> None:
    """Parse a PDF; refuse it when encrypted, active (scripts, actions, files) or unreadable."""
    # Imported here: pypdf is needed only when a PDF arrives.
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    for marker in _ACTIVE_BYTES:
        if marker in data:
            raise _active(name, _ACTIVE_NAMES[marker.decode()])
    # pypdf logs warnings about damaged files it repairs; the refusal below says what counts.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise AttachmentRefused(
                say(
                    N_(
                        "{file}: the PDF is encrypted (protected by a password); send it "
                        "without protection"
                    ),
                    file=name,
                ),
                reason="encrypted",
            )
        pages = len(reader.pages)
        if pages == 0:
            raise _unreadable(name)
        seen: set[tuple[int, int]] = set()
        waiting: list[object] = [reader.trailer]
        walked = 0
        while waiting:
            item = waiting.pop()
            if isinstance(item, IndirectObject):
                key = (item.idnum, item.generation)
                if key in seen:
                    continue
                seen.add(key)
                item = item.get_object()
            walked += 1
            if walked > MAX_PDF_OBJECTS:
                raise AttachmentRefused(
                    say(N_("{file}: the PDF holds too many objects to check safely"), file=name),
                    reason="too_big",
                )
            if isinstance(item, DictionaryObject):
                for key_name, value in item.items():
                    if str(key_name) in _ACTIVE_NAMES:
                        raise _active(name, _ACTIVE_NAMES[str(key_name)])
                    if str(key_name) == "/S" and str(value) in _ACTIVE_NAMES:
                        raise _active(name, _ACTIVE_NAMES[str(value)])
                    waiting.append(value)
            elif isinstance(item, ArrayObject):
                waiting.extend(item)
    except AttachmentRefused:
        raise
    # pypdf raises many kinds of error on a damaged or hostile file (its own, ValueError,
    # KeyError, RecursionError, zlib's…); any of them means the file is not a readable PDF.
    except Exception as exc:
        raise _unreadable(name) from exc


def _active(name: str, what: str) -> AttachmentRefused:
    return AttachmentRefused(
        say(
            N_("{file}: the PDF contains {what}; send it printed to a plain PDF without it"),
            file=name,
            what=say(what),
        ),
        reason="active_content",
    )


def _unreadable(name: str) -> AttachmentRefused:
    return AttachmentRefused(
        say(N_("{file}: the PDF is damaged or not a PDF at all; it cannot be read"), file=name),
        reason="unreadable",
    )
