"""shop/media/images.py: only real, sane pictures pass; they come out upright, bare and WebP."""

from __future__ import annotations

import io
import re
import struct
import zlib

import pillow_heif
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


# --- phones' formats and very tall pictures ---------------------------------------------------


def two_halves(size=(640, 480), left=(220, 20, 20), right=(20, 20, 220)) -> PILImage.Image:
    """A picture whose left half is ``left`` and right half ``right``, so any turn shows."""
    image = PILImage.new("RGB", size, right)
    image.paste(left, (0, 0, size[0] // 2, size[1]))
    return image


def is_near(colour, expected, tolerance=40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(colour[:3], expected, strict=True))


def test_a_phones_multi_picture_jpeg_is_accepted_and_its_first_picture_used():
    # Given an MPO as many Android cameras write it: the photo, then a second picture
    first = PILImage.new("RGB", (1200, 900), (220, 20, 20))
    second = PILImage.new("RGB", (1200, 900), (20, 20, 220))
    data = encode(first, "MPO", save_all=True, append_images=[second])
    with PILImage.open(io.BytesIO(data)) as opened:
        assert (opened.format, opened.n_frames) == ("MPO", 2)

    # When it is processed
    processed = process_image(data, **LIMITS)

    # Then it is accepted, and every rendition shows the first picture, bare
    assert (processed.width, processed.height) == (1200, 900)
    assert list(processed.renditions) == [320, 800, 1200]
    for width, rendition in processed.renditions.items():
        assert_no_metadata(rendition)
        picture = open_rendition(rendition).convert("RGB")
        assert picture.size == (width, width * 3 // 4)
        assert is_near(picture.getpixel((10, 10)), (220, 20, 20))


def test_an_mpo_is_turned_upright_and_stripped_like_a_jpeg():
    # Given an MPO whose EXIF says "turn 90°" and carries GPS
    data = encode(
        two_halves(),
        "MPO",
        save_all=True,
        append_images=[two_halves()],
        exif=exif_with_gps(orientation=6),
    )

    processed = process_image(data, **LIMITS)

    # Then it comes out upright (the left half on top), with no GPS or maker left
    assert (processed.width, processed.height) == (480, 640)
    for rendition in processed.renditions.values():
        assert_no_metadata(rendition)
        assert b"PhoneMaker" not in rendition
    upright = open_rendition(processed.renditions[480]).convert("RGB")
    assert is_near(upright.getpixel((240, 10)), (220, 20, 20))
    assert is_near(upright.getpixel((240, 630)), (20, 20, 220))


def test_a_wide_mpo_is_decoded_at_a_reduced_scale_like_a_jpeg():
    first = PILImage.new("RGB", (4000, 3000), (220, 20, 20))
    data = encode(first, "MPO", save_all=True, append_images=[first])

    processed = process_image(data, **LIMITS)

    # libjpeg's half-scale decode: 2000 px wide, still more than the widest rendition
    assert (processed.width, processed.height) == (2000, 1500)
    assert list(processed.renditions) == [320, 800, 1600]
    assert open_rendition(processed.renditions[1600]).size == (1600, 1200)


def heic(image: PILImage.Image, exif: PILImage.Exif | None = None) -> bytes:
    """A HEIC written by libheif itself (not through Pillow, so the shop's opener is tested).

    Its EXIF orientation becomes the HEIF rotation (``irot``), as an iPhone writes it.
    """
    buffer = io.BytesIO()
    extra = {"exif": exif.tobytes()} if exif is not None else {}
    pillow_heif.from_pillow(image).save(buffer, quality=60, **extra)
    return buffer.getvalue()


def test_an_iphone_heic_is_accepted_upright_and_bare():
    # Given a HEIC as an iPhone writes it: turned by its orientation, with GPS and the maker
    data = heic(two_halves(), exif=exif_with_gps(orientation=6))
    assert data[4:12] == b"ftypheic"
    assert b"irot" in data and b"PhoneMaker" in data

    # When it is processed
    processed = process_image(data, **LIMITS)

    # Then it is upright (the left half on top), WebP, with no metadata
    assert (processed.width, processed.height) == (480, 640)
    assert list(processed.renditions) == [320, 480]
    for rendition in processed.renditions.values():
        assert_no_metadata(rendition)
        assert b"PhoneMaker" not in rendition
    upright = open_rendition(processed.renditions[480]).convert("RGB")
    assert upright.size == (480, 640)
    assert is_near(upright.getpixel((240, 10)), (220, 20, 20))
    assert is_near(upright.getpixel((240, 630)), (20, 20, 220))


def test_a_heic_over_the_pixel_limit_is_refused():
    data = heic(PILImage.new("RGB", (101, 100), (200, 10, 10)))

    assert rejection(data, max_pixels=10_000) == "too_many_pixels"


def test_a_cut_off_heic_is_refused_as_damaged():
    data = heic(two_halves())

    # The header survives, the picture data does not
    assert rejection(data[: len(data) // 2]) == "corrupt"


def test_a_very_tall_picture_gets_renditions_webp_can_hold():
    # Given a 1000×17000 PNG: 17 million pixels, within the limit, but taller than WebP's
    # 16,383 px at its own width
    data = encode(PILImage.new("RGB", (1000, 17000), (90, 120, 30)), "PNG")

    processed = process_image(data, **LIMITS)

    # Then the widest rendition is as wide as WebP's height limit allows, keyed by that width
    assert (processed.width, processed.height) == (1000, 17000)
    assert list(processed.renditions) == [320, 800, 963]
    sizes = [open_rendition(rendition).size for rendition in processed.renditions.values()]
    assert sizes == [(320, 5440), (800, 13600), (963, 16371)]


def test_a_very_wide_rendition_is_capped_at_webps_width_limit():
    data = encode(PILImage.new("RGB", (17000, 1000), (90, 120, 30)), "PNG")

    processed = process_image(data, **LIMITS, widths=(20000,))

    assert list(processed.renditions) == [16383]
    assert open_rendition(processed.renditions[16383]).size == (16383, 964)


def test_a_picture_as_tall_as_webp_allows_at_one_pixel_wide_is_accepted():
    processed = process_image(encode(PILImage.new("RGB", (1, 16383)), "PNG"), **LIMITS)

    assert list(processed.renditions) == [1]
    assert open_rendition(processed.renditions[1]).size == (1, 16383)


def test_a_picture_too_long_and_narrow_for_any_rendition_is_refused():
    assert rejection(encode(PILImage.new("RGB", (1, 16384)), "PNG")) == "proportions"
