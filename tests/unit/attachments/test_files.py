"""What a file is, by its content: accepted types, hostile files refused with their reason."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from reunite.attachments.enums import FileType
from reunite.attachments.files import AttachmentRefused, check_file

import evidence

MB = 1 << 20


def _check(data: bytes, *, name: str = "file", kind: str = "biography", most: int = 4 * MB):
    return check_file(data, name=name, kind=kind, max_bytes=most)


@pytest.mark.parametrize(
    ("build", "file_type"),
    [(evidence.pdf, FileType.PDF), (evidence.png, FileType.PNG)],
)
def test_pdf_and_png_are_accepted_by_their_content(build, file_type) -> None:
    checked = _check(build(), name="named-anything.txt")
    assert checked.file_type == file_type


def test_a_jpeg_is_re_encoded_without_exif_gps_or_comment() -> None:
    original = evidence.jpeg_with_gps()
    assert evidence.SECRET_COMMENT in original
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)
    checked = _check(original, name="child.jpg", kind="photo")
    assert checked.file_type == FileType.JPEG
    assert evidence.SECRET_COMMENT not in checked.data
    kept = Image.open(io.BytesIO(checked.data))
    assert not kept.getexif() and not kept.getexif().get_ifd(0x8825)
    assert kept.size == (64, 48)


@pytest.mark.parametrize(
    ("build", "reason", "words"),
    [
        (lambda: evidence.EXE, "type", "a Windows program, not a PDF, JPEG or PNG"),
        (lambda: b"plain text, no magic", "type", "not a PDF, JPEG or PNG"),
        (evidence.pdf_with_javascript, "active_content", "contains JavaScript"),
        (evidence.pdf_with_hidden_javascript, "active_content", "contains JavaScript"),
        (evidence.encrypted_pdf, "encrypted", "encrypted"),
        (evidence.damaged_pdf, "unreadable", "cannot be read"),
        (evidence.jpeg_zip_polyglot, "polyglot", "also read as another kind of file"),
        (evidence.pdf_html_polyglot, "polyglot", "also read as another kind of file"),
        (lambda: b"\xff\xd8\xff\xe0broken jpeg", "type", "does not decode"),
        (lambda: b"", "empty", "empty"),
    ],
)
def test_hostile_files_are_refused_with_their_reason(build, reason, words) -> None:
    with pytest.raises(AttachmentRefused) as refused:
        _check(build(), name="evil.jpg")
    assert refused.value.reason == reason
    assert refused.value.detail.startswith("evil.jpg: ")
    assert words in refused.value.detail
    assert refused.value.status == 422 and refused.value.code == "attachment_refused"


def test_a_file_over_the_limit_is_refused_before_it_is_read() -> None:
    with pytest.raises(AttachmentRefused, match="larger than 1 MB") as refused:
        _check(evidence.png() + bytes(MB), most=MB)
    assert refused.value.reason == "too_big"


def test_a_photo_must_be_a_picture_and_the_kind_must_exist() -> None:
    with pytest.raises(AttachmentRefused, match="a photo must be a JPEG or PNG"):
        _check(evidence.pdf(), kind="photo")
    with pytest.raises(AttachmentRefused, match="unknown kind"):
        _check(evidence.png(), kind="selfie")
