"""shop/media/images.py: only real, sane pictures pass; they come out upright, bare and WebP."""

from __future__ import annotations

import io
import re
import struct
import zlib

import pytest
from PIL import Image as PILImage
from PIL import ImageCms, ImageOps, PngImagePlugin

from shop.media.images import ImageRejected, process_image
from tests.conftest import make_jpeg

LIMITS = {"max_bytes": 10 * 1024 * 1024, "max_pixels": 40_000_000}
GPS_INFO = 0x8825
ORIENTATION = 0x0112


def encode(image: PILImage.Image, fmt: str, **kwargs) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **kwargs)
    return buffer.getvalue()


def open_rendition(data: bytes) -> PILImage.Image:
    image = PILImage.open(io.BytesIO(data))
    image.load()
    return image


def exif_with_gps(orientation: int | None = 6) -> PILImage.Exif:
    exif = PILImage.Exif()
    if orientation is not None:
        exif[ORIENTATION] = orientation
    exif[0x010F] = "PhoneMaker"  # Make
    exif.get_ifd(GPS_INFO).update(
        {1: "N", 2: (35.0, 41.0, 57.0), 3: "E", 4: (51.0, 25.0, 30.0)}  # Tehran
    )
    return exif


def png_declaring_size(width: int, height: int) -> bytes:
    """A 1×1 PNG whose header (with a valid CRC) claims ``width``×``height``."""
    data = bytearray(encode(PILImage.new("RGB", (1, 1)), "PNG"))
    assert data[12:16] == b"IHDR"
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    return bytes(data)


def assert_no_metadata(data: bytes) -> None:
    image = open_rendition(data)
    assert image.format == "WEBP"
    assert dict(image.getexif()) == {}
    assert {"exif", "xmp", "icc_profile"}.isdisjoint(image.info)
    # WebP keeps metadata in EXIF, XMP and ICCP chunks: none may be written.
    for chunk in (b"EXIF", b"XMP ", b"ICCP"):
        assert chunk not in data


# --- accepted pictures ------------------------------------------------------------------------


def test_a_wide_jpeg_gets_three_webp_renditions():
    processed = process_image(make_jpeg(2000, 1000), **LIMITS)

    assert (processed.width, processed.height) == (2000, 1000)
    assert list(processed.renditions) == [320, 800, 1600]
    sizes = [open_rendition(data).size for data in processed.renditions.values()]
    assert sizes == [(320, 160), (800, 400), (1600, 800)]
    assert all(open_rendition(d).format == "WEBP" for d in processed.renditions.values())


def test_a_medium_picture_is_not_enlarged():
    processed = process_image(make_jpeg(1000, 500), **LIMITS)

    assert list(processed.renditions) == [320, 800, 1000]
    assert open_rendition(processed.renditions[1000]).size == (1000, 500)


def test_a_picture_exactly_one_rendition_wide_gets_no_duplicate():
    processed = process_image(make_jpeg(800, 600), **LIMITS)

    assert list(processed.renditions) == [320, 800]
    assert open_rendition(processed.renditions[800]).size == (800, 600)


def test_a_narrow_picture_gets_one_rendition_at_its_own_width():
    processed = process_image(make_jpeg(200, 100), **LIMITS)

    assert list(processed.renditions) == [200]
    assert open_rendition(processed.renditions[200]).size == (200, 100)


def test_custom_widths_are_sorted_and_deduplicated():
    processed = process_image(make_jpeg(1000, 1000), **LIMITS, widths=(600, 100, 600))

    assert list(processed.renditions) == [100, 600]


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_png_and_webp_are_accepted(fmt):
    data = encode(PILImage.new("RGB", (900, 300), (10, 120, 60)), fmt)

    processed = process_image(data, **LIMITS)

    assert (processed.width, processed.height) == (900, 300)
    assert list(processed.renditions) == [320, 800, 900]


def test_transparency_is_kept():
    data = encode(PILImage.new("RGBA", (400, 400), (255, 0, 0, 0)), "PNG")

    processed = process_image(data, **LIMITS)

    rendition = open_rendition(processed.renditions[320])
    assert rendition.mode == "RGBA"
    assert rendition.getpixel((10, 10))[3] == 0


@pytest.mark.parametrize("mode", ["L", "CMYK"])
def test_grey_and_cmyk_jpegs_come_out_rgb(mode):
    data = encode(PILImage.new(mode, (400, 300)), "JPEG")

    processed = process_image(data, **LIMITS)

    assert open_rendition(processed.renditions[320]).mode == "RGB"


def test_every_picture_gets_a_new_random_key():
    data = make_jpeg(100, 100)

    first = process_image(data, **LIMITS)
    second = process_image(data, **LIMITS)

    assert re.fullmatch(r"[a-z0-9]{32}", first.key)
    assert re.fullmatch(r"[a-z0-9]{32}", second.key)
    assert first.key != second.key


def test_a_file_exactly_at_the_byte_limit_is_accepted():
    data = make_jpeg(100, 100)

    processed = process_image(data, max_bytes=len(data), max_pixels=40_000_000)

    assert list(processed.renditions) == [100]


def test_a_picture_exactly_at_the_pixel_limit_is_accepted():
    processed = process_image(make_jpeg(100, 100), max_bytes=10**7, max_pixels=10_000)

    assert (processed.width, processed.height) == (100, 100)


# --- metadata and orientation -----------------------------------------------------------------


def test_exif_gps_is_removed_and_the_photo_turned_upright():
    # Given a 640×480 camera JPEG, red in its stored top-left corner, that says "rotate 90°
    # clockwise" (orientation 6) and where it was taken
    stored = PILImage.new("RGB", (640, 480), (0, 0, 255))
    stored.paste((255, 0, 0), (0, 0, 120, 120))
    data = encode(stored, "JPEG", exif=exif_with_gps(orientation=6))
    assert PILImage.open(io.BytesIO(data)).getexif().get_ifd(GPS_INFO)[2] == (35.0, 41.0, 57.0)

    # When it is processed
    processed = process_image(data, **LIMITS)

    # Then it is portrait, every rendition has no metadata at all, and the red corner is now
    # at the top right, as the camera meant
    assert (processed.width, processed.height) == (480, 640)
    assert list(processed.renditions) == [320, 480]
    for data in processed.renditions.values():
        assert_no_metadata(data)
        assert b"PhoneMaker" not in data
    upright = open_rendition(processed.renditions[480]).convert("RGB")
    assert upright.size == (480, 640)
    top_right, top_left = upright.getpixel((470, 10)), upright.getpixel((10, 10))
    assert top_right[0] > 200 and top_right[2] < 50
    assert top_left[2] > 200 and top_left[0] < 50


@pytest.mark.parametrize(
    ("orientation", "size"),
    [(1, (640, 480)), (3, (640, 480)), (6, (480, 640)), (8, (480, 640))],
)
def test_orientation_decides_the_upright_size(orientation, size):
    data = make_jpeg(640, 480, exif=exif_with_gps(orientation=orientation))

    processed = process_image(data, **LIMITS)

    assert (processed.width, processed.height) == size


@pytest.mark.parametrize("orientation", range(1, 9))
def test_every_orientation_turns_the_picture_like_pillow_does(orientation):
    # Four differently coloured quadrants, so any flip or turn shows.
    stored = PILImage.new("RGB", (160, 120), (0, 0, 0))
    for box, colour in (
        ((0, 0, 80, 60), (255, 0, 0)),
        ((80, 0, 160, 60), (0, 255, 0)),
        ((0, 60, 80, 120), (0, 0, 255)),
        ((80, 60, 160, 120), (255, 255, 255)),
    ):
        stored.paste(colour, box)
    exif = PILImage.Exif()
    exif[ORIENTATION] = orientation
    data = encode(stored, "PNG", exif=exif)
    expected = ImageOps.exif_transpose(PILImage.open(io.BytesIO(data))).convert("RGB")

    processed = process_image(data, **LIMITS)

    result = open_rendition(processed.renditions[max(processed.renditions)]).convert("RGB")
    assert result.size == expected.size
    for x, y in ((20, 20), (result.width - 20, 20), (20, result.height - 20)):
        got, want = result.getpixel((x, y)), expected.getpixel((x, y))
        assert all(abs(a - b) < 40 for a, b in zip(got, want, strict=True)), (x, y, got, want)


def test_a_damaged_exif_block_does_not_break_the_upload():
    # A camera that wrote ImageWidth (0x0100) as text: Pillow cannot write such a block back,
    # which is what ImageOps.exif_transpose does for the copy it returns.
    exif = PILImage.Exif()
    exif[ORIENTATION] = 6
    exif[0x010F] = "PhoneMaker"
    damaged = exif.tobytes().replace(b"\x01\x0f\x00\x02", b"\x01\x00\x00\x02")
    assert damaged != exif.tobytes()
    data = make_jpeg(640, 480, exif=damaged)

    processed = process_image(data, **LIMITS)

    assert (processed.width, processed.height) == (480, 640)
    for data in processed.renditions.values():
        assert_no_metadata(data)


def test_gps_without_orientation_is_removed_too():
    data = make_jpeg(640, 480, exif=exif_with_gps(orientation=None))

    processed = process_image(data, **LIMITS)

    assert (processed.width, processed.height) == (640, 480)
    for data in processed.renditions.values():
        assert_no_metadata(data)


def test_png_text_xmp_icc_and_exif_are_removed():
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "home address")
    info.add_itxt("XML:com.adobe.xmp", "<x:xmpmeta>GPS</x:xmpmeta>")
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = encode(
        PILImage.new("RGB", (400, 300)), "PNG", pnginfo=info, icc_profile=icc, exif=exif_with_gps()
    )

    processed = process_image(data, **LIMITS)

    for data in processed.renditions.values():
        assert_no_metadata(data)
        assert b"home address" not in data
        assert {"Comment", "XML:com.adobe.xmp"}.isdisjoint(open_rendition(data).info)


def test_webp_exif_xmp_and_icc_are_removed():
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = encode(
        PILImage.new("RGB", (400, 300)),
        "WEBP",
        exif=exif_with_gps(orientation=None),
        xmp=b"<x:xmpmeta>GPS</x:xmpmeta>",
        icc_profile=icc,
    )
    assert {"exif", "xmp", "icc_profile"} <= set(PILImage.open(io.BytesIO(data)).info)

    processed = process_image(data, **LIMITS)

    for data in processed.renditions.values():
        assert_no_metadata(data)


# --- refused uploads --------------------------------------------------------------------------


def rejection(data: bytes, **limits) -> str:
    with pytest.raises(ImageRejected) as refused:
        process_image(data, **{**LIMITS, **limits})
    return refused.value.code


def test_an_empty_file_is_refused():
    assert rejection(b"") == "empty"


def test_a_text_file_is_not_an_image():
    assert rejection("این یک عکس نیست\n".encode()) == "not_an_image"


def test_a_pdf_is_not_an_image():
    assert rejection(b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n") == "not_an_image"


def test_a_truncated_jpeg_is_corrupt():
    data = make_jpeg(640, 480)

    assert rejection(data[: int(len(data) * 0.6)]) == "corrupt"


def test_a_truncated_png_is_corrupt():
    noise = PILImage.frombytes("RGB", (200, 200), bytes(range(256)) * 468 + bytes(192))
    data = encode(noise, "PNG")

    assert rejection(data[: len(data) // 2]) == "corrupt"


def test_a_picture_just_over_the_pixel_limit_is_refused():
    assert rejection(make_jpeg(101, 100), max_pixels=10_000) == "too_many_pixels"


def test_a_png_header_declaring_a_huge_size_is_refused_before_decoding():
    assert rejection(png_declaring_size(100_000, 100_000)) == "too_many_pixels"


def test_a_png_header_just_over_the_limit_is_refused():
    # 49 million pixels: over the 40 million limit, under Pillow's own hard error (2× limit).
    assert rejection(png_declaring_size(7_000, 7_000)) == "too_many_pixels"


def test_a_file_one_byte_over_the_limit_is_too_large():
    data = make_jpeg(100, 100)

    assert rejection(data, max_bytes=len(data) - 1) == "too_large"


@pytest.mark.parametrize("fmt", ["GIF", "BMP", "TIFF", "ICO"])
def test_other_picture_formats_are_refused_by_format(fmt):
    data = encode(PILImage.new("RGB", (32, 32), (200, 10, 10)), fmt)

    assert rejection(data) == "format"


def test_the_pixel_limit_setting_of_pillow_is_restored():
    before = PILImage.MAX_IMAGE_PIXELS

    rejection(make_jpeg(101, 100), max_pixels=10_000)
    process_image(make_jpeg(10, 10), max_bytes=10**7, max_pixels=10_000)

    assert before == PILImage.MAX_IMAGE_PIXELS
