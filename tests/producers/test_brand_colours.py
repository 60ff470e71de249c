"""Brand colours: every pair drawn as text on a background can be read (4.5:1 or more)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from shop.demo.content import APPLICANT, COOPERATIVES, PRODUCERS
from shop.text import (
    BRAND_TEXT_PAIRS,
    DEFAULT_BRAND,
    INK,
    MIN_TEXT_CONTRAST,
    brand_contrasts,
    readable_brand_colours,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "brand",
    [*COOPERATIVES, *PRODUCERS, APPLICANT],
    ids=lambda brand: getattr(brand, "key", None) or brand.email,
)
def test_every_demo_brand_passes_every_pair(brand):
    contrasts = brand_contrasts(brand.color_primary, brand.color_secondary)

    assert {name: ratio for name, ratio in contrasts.items() if ratio < MIN_TEXT_CONTRAST} == {}
    assert readable_brand_colours(brand.color_primary, brand.color_secondary) == (
        brand.color_primary,
        brand.color_secondary,
    )


def test_the_default_colours_pass():
    assert min(brand_contrasts(*DEFAULT_BRAND).values()) >= MIN_TEXT_CONTRAST


def test_the_pairs_are_the_ones_the_style_sheet_draws():
    css = (ROOT / "static" / "css" / "app.css").read_text(encoding="utf-8")

    assert re.search(r"--ink:\s*" + INK + ";", css)
    assert re.search(r"--brand:\s*" + DEFAULT_BRAND[0] + ";", css)
    assert re.search(r"--brand-2:\s*" + DEFAULT_BRAND[1] + ";", css)
    assert ".brand-head h1 { margin: 0; color: #fff; }" in css
    assert ".brand-head p { margin: 0; color: var(--brand-2); }" in css
    assert re.search(r"\.badge \{[^}]*background: var\(--brand-2\); color: var\(--ink\);", css)
    assert BRAND_TEXT_PAIRS == {
        "name": ("#ffffff", "primary"),
        "tagline": ("secondary", "primary"),
        "badge": (INK, "secondary"),
    }


def test_the_reported_pair_fails_the_tagline_and_the_labels():
    contrasts = brand_contrasts("#36584a", "#2e4a3a")

    assert {name: round(ratio, 2) for name, ratio in contrasts.items()} == {
        "name": 7.92,
        "tagline": 1.23,
        "badge": 1.62,
    }


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        (("#36584a", "#2e4a3a"), ("#36584a", "#c0c9c4")),  # the second colour lightened
        (("#f4e1c1", "#7a3e2b"), ("#7a7060", "#ffffff")),  # both moved
        (("#ffffff", "#ffffff"), ("#737373", "#ffffff")),  # white on white
        (("#000000", "#000000"), ("#000000", "#8c8c8c")),  # ink on black
        (("#1F3A5F", "#C8A951"), ("#1f3a5f", "#c8a951")),  # readable: only lower-cased
        (("red", None), DEFAULT_BRAND),  # no colour at all
        (("#7a3e2b", "#12345"), DEFAULT_BRAND),
    ],
)
def test_a_stored_pair_is_made_readable(stored, shown):
    colours = readable_brand_colours(*stored)

    assert colours == shown
    assert min(brand_contrasts(*colours).values()) >= MIN_TEXT_CONTRAST
