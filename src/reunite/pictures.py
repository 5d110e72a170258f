"""Pictures people send (a child's photo, a scanned page): decoded, bounded, stripped.

A photo from a phone carries where it was taken (EXIF GPS), the camera, sometimes a name in
a comment or XMP. Passed on as received, it could tell the other party where a family lives.
So every picture is decoded (its type is what it decodes as, never its name or first bytes),
checked for size, and re-encoded from its pixels alone: nothing but the picture survives.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

from reunite.errors import InvalidInput

MAX_PICTURE_BYTES = 5 * 1024 * 1024
# A picture larger than this (in pixels) is refused before it is decoded: a small file can
# unpack to gigabytes of pixels (a decompression bomb).
MAX_PIXELS = 40_000_000
# A picture is kept at most this wide or high; larger ones are scaled down.
MAX_SIDE = 4000
JPEG_QUALITY = 88
FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png"}


class PictureRefused(InvalidInput):
    """A file that is not an acceptable picture; `reason` says which rule it broke."""

    def __init__(self, detail: str, *, reason: str) -> None:
        super().__init__(detail)
        self.reason = reason


@dataclass(frozen=True)
class CleanPicture:
    """A picture re-encoded from its pixels: no metadata of any kind."""

    content_type: str
    data: bytes
    width: int
    height: int


def clean_picture(data: bytes, *, max_bytes: int = MAX_PICTURE_BYTES) -> CleanPicture:
    """Decode a JPEG or PNG, refuse anything else, and re-encode it without any metadata."""
    if len(data) > max_bytes:
        raise PictureRefused(
            f"the picture is larger than {max_bytes // (1024 * 1024)} MB", reason="too_big"
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                kind = image.format or ""
                if kind not in FORMATS:
                    raise PictureRefused("the file is not a JPEG or PNG picture", reason="type")
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise PictureRefused("the picture has too many pixels", reason="too_big")
                image.load()
                pixels = image.convert("RGBA" if kind == "PNG" and _has_alpha(image) else "RGB")
    except PictureRefused:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        ValueError,
        SyntaxError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ) as exc:
        raise PictureRefused(
            "the file is not a JPEG or PNG picture (it does not decode as one)", reason="type"
        ) from exc
    if max(pixels.size) > MAX_SIDE:
        pixels.thumbnail((MAX_SIDE, MAX_SIDE))
    # A new image made from the pixels alone: EXIF, GPS, XMP, ICC, text chunks and comments
    # stay behind with the original.
    clean = Image.frombytes(pixels.mode, pixels.size, pixels.tobytes())
    output = io.BytesIO()
    if kind == "PNG":
        clean.save(output, format="PNG", optimize=True)
    else:
        clean.save(output, format="JPEG", quality=JPEG_QUALITY)
    return CleanPicture(FORMATS[kind], output.getvalue(), clean.width, clean.height)


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
