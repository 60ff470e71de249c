"""Benchmark: checking and re-encoding an uploaded 12-megapixel JPEG.

Run with ``make bench`` (or ``.venv/bin/python -m bench.images``). Reports the median and p95 of
several runs, with a baseline in the same process (decoding the same JPEG alone) so the figures
can be compared across noisy, shared machines by their ratio.
"""

from __future__ import annotations

import io
import statistics
import time

from PIL import Image, ImageDraw

from shop.media.images import process_image

RUNS = 9


def make_photo(width: int = 4000, height: int = 3000) -> bytes:
    """A 12-megapixel JPEG with enough detail to compress like a photograph, and EXIF GPS."""
    image = Image.effect_noise((width // 4, height // 4), 40).convert("RGB").resize((width, height))
    draw = ImageDraw.Draw(image)
    for step in range(0, width, 37):
        draw.line([(step, 0), (width - step, height)], fill=(step % 255, 80, 160), width=5)
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90°
    exif[0x8825] = {1: "N", 2: (35.0, 41.0, 0.0), 3: "E", 4: (51.0, 23.0, 0.0)}
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90, exif=exif)
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
    data = make_photo()

    def decode_only():
        with Image.open(io.BytesIO(data)) as image:
            image.load()

    def pipeline():
        process_image(data, max_bytes=50 * 1024 * 1024, max_pixels=40_000_000)

    baseline = timed(decode_only)
    measured = timed(pipeline)
    rows = [
        ("decode only (baseline)", baseline),
        ("check + upright + strip + 3 WebP widths", measured),
    ]
    print(f"12-megapixel JPEG, {len(data) / 1e6:.1f} MB, {RUNS} runs each")
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
