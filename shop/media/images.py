"""Checking and re-encoding uploaded pictures with Pillow.

Every upload is decoded in full (a truncated file fails), refused above a pixel limit (Pillow's
decompression-bomb warning is turned into an error), turned upright from its EXIF orientation,
stripped of every bit of metadata (GPS included) and re-encoded as WebP at a few widths.
"""

from __future__ import annotations

import io
import secrets
import warnings
from dataclasses import dataclass

from PIL import Image as PILImage
from PIL import ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}
WEBP_QUALITY = 82


class ImageRejected(ValueError):
    """An upload that is not an acceptable picture. ``code`` says why, for the message."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class ProcessedImage:
    key: str
    width: int
    height: int
    #: width → WebP bytes, smallest first.
    renditions: dict[int, bytes]


def new_image_key() -> str:
    return secrets.token_hex(16)


def _open_checked(data: bytes, max_pixels: int) -> PILImage.Image:
    with warnings.catch_warnings():
        warnings.simplefilter("error", PILImage.DecompressionBombWarning)
        previous = PILImage.MAX_IMAGE_PIXELS
        PILImage.MAX_IMAGE_PIXELS = max_pixels
        try:
            image = PILImage.open(io.BytesIO(data))
            if image.format not in ACCEPTED_FORMATS:
                raise ImageRejected("format")
            if image.width * image.height > max_pixels:
                raise ImageRejected("too_many_pixels")
            image.load()
        except (PILImage.DecompressionBombWarning, PILImage.DecompressionBombError) as exc:
            raise ImageRejected("too_many_pixels") from exc
        except UnidentifiedImageError as exc:
            raise ImageRejected("not_an_image") from exc
        except (OSError, SyntaxError, ValueError) as exc:
            # Pillow reports truncated or corrupt data as OSError ("image file is truncated").
            raise ImageRejected("corrupt") from exc
        finally:
            PILImage.MAX_IMAGE_PIXELS = previous
    return image


def process_image(
    data: bytes,
    *,
    max_bytes: int,
    max_pixels: int,
    widths: tuple[int, ...] = (320, 800, 1600),
) -> ProcessedImage:
    """Validate ``data`` and return its metadata-free WebP renditions."""
    if not data:
        raise ImageRejected("empty")
    if len(data) > max_bytes:
        raise ImageRejected("too_large")
    image = _open_checked(data, max_pixels)
    try:
        image = ImageOps.exif_transpose(image)
    except (OSError, ValueError, SyntaxError) as exc:
        raise ImageRejected("corrupt") from exc
    has_alpha = image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info)
    image = image.convert("RGBA" if has_alpha else "RGB")
    # A fresh image carries pixels only: no EXIF, XMP, ICC or text chunks survive.
    clean = PILImage.new(image.mode, image.size)
    clean.paste(image)

    renditions: dict[int, bytes] = {}
    for width in sorted(set(widths)):
        target_width = min(width, clean.width)
        if renditions and target_width <= max(renditions):
            continue  # the original is narrower than this rendition: the previous one serves
        height = max(1, round(clean.height * target_width / clean.width))
        resized = (
            clean
            if target_width == clean.width
            else clean.resize((target_width, height), PILImage.Resampling.LANCZOS)
        )
        buffer = io.BytesIO()
        resized.save(buffer, "WEBP", quality=WEBP_QUALITY, method=4)
        renditions[width if target_width == width else target_width] = buffer.getvalue()
    return ProcessedImage(new_image_key(), clean.width, clean.height, renditions)
