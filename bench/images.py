"""Benchmark: checking and re-encoding an uploaded 12-megapixel JPEG, and the same photo as HEIC.

Run with ``make bench`` (or ``.venv/bin/python -m bench.images``). Reports the median and p95 of
several runs, with a baseline in the same process (decoding the same JPEG alone) so the figures
can be compared across noisy, shared machines by their ratio.
"""

from __future__ import annotations

import io
import statistics
import time

import pillow_heif
from PIL import Image, ImageDraw

from shop.media.images import process_image

RUNS = 9


def make_picture(width: int = 4000, height: int = 3000) -> tuple[Image.Image, Image.Exif]:
    """A 12-megapixel picture with enough detail to compress like a photograph, and EXIF GPS."""
    image = Image.effect_noise((width // 4, height // 4), 40).convert("RGB").resize((width, height))
    draw = ImageDraw.Draw(image)
    for step in range(0, width, 37):
        draw.line([(step, 0), (width - step, height)], fill=(step % 255, 80, 160), width=5)
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90°
    exif[0x8825] = {1: "N", 2: (35.0, 41.0, 0.0), 3: "E", 4: (51.0, 23.0, 0.0)}
    return image, exif


def make_photo(picture: tuple[Image.Image, Image.Exif] | None = None) -> bytes:
    """The picture as a camera's JPEG."""
    image, exif = picture or make_picture()
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90, exif=exif)
    return buffer.getvalue()


def make_heic(picture: tuple[Image.Image, Image.Exif] | None = None) -> bytes:
    """The picture as an iPhone's HEIC (its orientation a HEIF rotation); x265's fastest preset,
    only so that making it takes seconds, not half a minute: decoding costs the same."""
    image, exif = picture or make_picture()
    buffer = io.BytesIO()
    pillow_heif.from_pillow(image).save(
        buffer, quality=80, exif=exif.tobytes(), enc_params={"preset": "ultrafast"}
    )
    return buffer.getvalue()


def timed(function, runs: int = RUNS) -> list[float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    return samples


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> None:
    picture = make_picture()
    data, heic = make_photo(picture), make_heic(picture)

    def decode(payload: bytes):
        def run():
            with Image.open(io.BytesIO(payload)) as image:
                image.load()

        return run

    def pipeline(payload: bytes):
        return lambda: process_image(payload, max_bytes=50 * 1024 * 1024, max_pixels=40_000_000)

    baseline = timed(decode(data))
    rows = [
        ("JPEG: decode only (baseline)", baseline),
        ("JPEG: check + upright + strip + 3 WebP widths", timed(pipeline(data))),
        ("HEIC: decode only", timed(decode(heic))),
        ("HEIC: check + upright + strip + 3 WebP widths", timed(pipeline(heic))),
    ]
    print(
        f"12-megapixel photo: JPEG {len(data) / 1e6:.1f} MB, HEIC {len(heic) / 1e6:.1f} MB, "
        f"{RUNS} runs each"
    )
    print("| step | median ms | p95 ms | × baseline |")
    print("|---|---:|---:|---:|")
    base = statistics.median(baseline)
    for label, samples in rows:
        median = statistics.median(samples)
        print(
            f"| {label} | {median * 1000:.0f} | {p95(samples) * 1000:.0f} | {median / base:.1f} |"
        )


if __name__ == "__main__":
    main()
