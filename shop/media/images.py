"""Checking and re-encoding uploaded pictures with Pillow.

Every upload is decoded in full (a truncated file fails), refused above a pixel limit (Pillow's
decompression-bomb warning is turned into an error), turned upright from its EXIF orientation,
stripped of every bit of metadata (GPS included) and re-encoded as WebP at a few widths, none
of them taller than WebP can hold. Phones' formats are accepted too: the multi-picture JPEG
(MPO) that many Android cameras write, of which the first picture is used, and the iPhone's
HEIC/HEIF, read through pillow-heif.
"""

from __future__ import annotations

import io
import secrets
import struct
import warnings
from dataclasses import dataclass

import pillow_heif
from PIL import Image as PILImage
from PIL import UnidentifiedImageError

from shop.errors import DomainError

#: Pillow's names: MPO is a JPEG with more pictures after the first; HEIF covers HEIC.
ACCEPTED_FORMATS = {"JPEG", "MPO", "PNG", "WEBP", "HEIF"}
#: Formats libjpeg decodes, which can be decoded at a reduced scale.
JPEG_FORMATS = {"JPEG", "MPO"}
WEBP_QUALITY = 82
#: The most pixels a WebP picture can have on either side.
WEBP_MAX_SIDE = 16383


class ImageRejected(DomainError):
    """An upload that is not an acceptable picture. ``code`` says why, for the message."""

    def __init__(self, code: str, *, field: str | None = None) -> None:
        super().__init__(code, field=field)
        self.code = code

    @property
    def message(self) -> str:  # type: ignore[override]
        from shop.media.uploads import rejection_message

        return rejection_message(self.code)


@dataclass(frozen=True)
class ProcessedImage:
    key: str
    width: int
    height: int
    #: width → WebP bytes, smallest first.
    renditions: dict[int, bytes]


def new_image_key() -> str:
    return secrets.token_hex(16)


# Pillow warns about pictures over its own pixel limit and only raises at twice that limit:
# here the warning is an error for the whole process (set once, so it is safe across threads).
warnings.filterwarnings("error", category=PILImage.DecompressionBombWarning)

# Once per process, at import. Only the main picture of a HEIF file is ever used: its
# thumbnails and depth maps are not read.
pillow_heif.register_heif_opener(thumbnails=False, depth_images=False)


def _open_checked(data: bytes, max_pixels: int, largest_width: int) -> PILImage.Image:
    try:
        image = PILImage.open(io.BytesIO(data))
        if image.format not in ACCEPTED_FORMATS:
            raise ImageRejected("format")
        if image.width * image.height > max_pixels:
            raise ImageRejected("too_many_pixels")
        # Opened at its first picture (an MPO's photo; a HEIF file's primary picture): no seek.
        if image.format in JPEG_FORMATS:
            _decode_no_larger_than_needed(image, largest_width)
        image.load()
    except ImageRejected:
        raise  # a ValueError itself: must not be re-labelled "corrupt" below
    except (PILImage.DecompressionBombWarning, PILImage.DecompressionBombError) as exc:
        raise ImageRejected("too_many_pixels") from exc
    except UnidentifiedImageError as exc:
        raise ImageRejected("not_an_image") from exc
    except (OSError, SyntaxError, ValueError, struct.error) as exc:
        # Pillow reports truncated or corrupt data as OSError ("image file is truncated").
        raise ImageRejected("corrupt") from exc
    return image


def _decode_no_larger_than_needed(image: PILImage.Image, largest_width: int) -> None:
    """Let libjpeg decode at 1/2, 1/4 or 1/8 scale when even then it is wider than needed.

    A 12-megapixel photo is shown at most 1600 px wide: decoding it at half size is several
    times faster and gives the same renditions.
    """
    width, height = image.size
    if _orientation(image) in (5, 6, 7, 8):  # shown turned: its height becomes the width
        width, height = height, width
    if width <= largest_width:
        return
    wanted = (largest_width, max(1, -(-largest_width * height // width)))
    if _orientation(image) in (5, 6, 7, 8):
        wanted = (wanted[1], wanted[0])
    image.draft("RGB", wanted)


def _orientation(image: PILImage.Image) -> int | None:
    try:
        orientation = image.getexif().get(0x0112)
    except (OSError, ValueError, SyntaxError, TypeError, struct.error):
        return None
    return orientation if isinstance(orientation, int) else None


#: EXIF orientation → the turn that makes the picture upright (as ImageOps.exif_transpose).
_UPRIGHT = {
    2: PILImage.Transpose.FLIP_LEFT_RIGHT,
    3: PILImage.Transpose.ROTATE_180,
    4: PILImage.Transpose.FLIP_TOP_BOTTOM,
    5: PILImage.Transpose.TRANSPOSE,
    6: PILImage.Transpose.ROTATE_270,
    7: PILImage.Transpose.TRANSVERSE,
    8: PILImage.Transpose.ROTATE_90,
}


def _upright(image: PILImage.Image) -> PILImage.Image:
    """Turn ``image`` as its EXIF (or XMP) orientation says.

    Not ``ImageOps.exif_transpose``: it re-encodes the EXIF block for the copy it returns, and
    a damaged block makes that raise struct.error or TypeError. The metadata is thrown away
    anyway, so only the orientation is read; an unreadable one leaves the picture as it is.
    """
    method = _UPRIGHT.get(_orientation(image))
    return image.transpose(method) if method is not None else image


def _widest_rendition(width: int, height: int) -> int:
    """The widest rendition of a ``width``×``height`` picture that WebP can hold.

    Never wider than the picture, nor than ``WEBP_MAX_SIDE``, nor so wide that its height
    (``round(height * w / width)``) passes ``WEBP_MAX_SIDE``: a 1000×17000 photo is at most
    963 px wide (963×16371). Refuses a picture too long and narrow to keep even 1 px across.
    """
    widest = min(width, WEBP_MAX_SIDE, WEBP_MAX_SIDE * width // height)
    if widest < 1:
        raise ImageRejected("proportions")
    return widest


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
    image = _upright(_open_checked(data, max_pixels, max(widths)))
    has_alpha = image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info)
    image = image.convert("RGBA" if has_alpha else "RGB")
    # A fresh image carries pixels only: no EXIF, XMP, ICC or text chunks survive.
    clean = PILImage.new(image.mode, image.size)
    clean.paste(image)

    # Widest first, each rendition made from the one before: less work for each smaller one.
    widest = _widest_rendition(clean.width, clean.height)
    targets = sorted({min(width, widest) for width in widths}, reverse=True)
    renditions: dict[int, bytes] = {}
    source = clean
    for target_width in targets:
        height = max(1, round(clean.height * target_width / clean.width))
        if target_width != source.width:
            source = source.resize(
                (target_width, height), PILImage.Resampling.LANCZOS, reducing_gap=3.0
            )
        buffer = io.BytesIO()
        # libwebp's slower methods buy ~1% in size; at 1600 px they cost most of the time.
        source.save(buffer, "WEBP", quality=WEBP_QUALITY, method=2 if target_width > 1000 else 4)
        renditions[target_width] = buffer.getvalue()
    return ProcessedImage(
        new_image_key(), clean.width, clean.height, dict(sorted(renditions.items()))
    )
