"""Text helpers: slugs, safe Markdown, colours."""

from __future__ import annotations

import re
import unicodedata

import markdown as markdown_lib
import nh3
from markupsafe import Markup, escape
from sqlalchemy import select

from shop.money import to_ascii_digits

ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "blockquote", "h3", "h4", "a", "hr"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")

#: Marks that come along, unseen, when a number is copied from Persian text: direction marks,
#: zero-width joiners and non-joiners, the byte order mark.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def typed_number(text: str) -> str:
    """A number as someone typed or pasted it: ASCII digits, without the invisible marks."""
    return _INVISIBLE.sub("", to_ascii_digits(text))


_ARABIC_TO_PERSIAN = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک", "ة": "ه"})


def slugify(text: str, max_length: int = 80) -> str:
    """A URL slug that keeps Persian letters: ``فرش دستباف`` → ``فرش-دستباف``."""
    text = unicodedata.normalize("NFKC", text).translate(_ARABIC_TO_PERSIAN).lower()
    text = text.replace("\u200c", "-")
    text = re.sub(r"[^\w\s-]", "", text, flags=re.UNICODE)
    text = re.sub(r"[\s_-]+", "-", text).strip("-")
    return text[:max_length].strip("-") or "shop"


def unique_slug(model, text: str, exclude_id: int | None = None) -> str:
    """A slug for ``text`` not yet used by another row of ``model`` (``-2``, ``-3``… if taken)."""
    from shop.extensions import db

    base = slugify(text)
    candidate, counter = base, 2
    while True:
        query = select(model.id).where(model.slug == candidate)
        if exclude_id is not None:
            query = query.where(model.id != exclude_id)
        if db.session.scalar(query) is None:
            return candidate
        candidate, counter = f"{base}-{counter}", counter + 1


LINK_SCHEMES = {"http", "https", "mailto"}


def _hidden(ch: str) -> bool:
    # Controls, format characters, every kind of space, and U+FFFD (what a NUL becomes).
    return ch == "\ufffd" or unicodedata.category(ch)[0] in "CZ"


def safe_link(url: str) -> str | None:
    """``url`` if it is an http, https or mailto link or a relative one, else None.

    The scheme is read with every control, format and space character removed, so
    ``java<TAB>script:`` or ``java&nbsp;script:`` count as ``javascript:``: stricter than any
    browser's own clean-up. What is kept loses its control characters and the invisible
    characters around it; those inside (a ZWNJ in a Persian path) stay.
    """
    compact = "".join(ch for ch in url if not _hidden(ch))
    head = re.split(r"[/?#]", compact, maxsplit=1)[0]
    if ":" in head and head.partition(":")[0].lower() not in LINK_SCHEMES:
        return None
    kept = "".join(ch for ch in url if unicodedata.category(ch) != "Cc")
    start, end = 0, len(kept)
    while start < end and _hidden(kept[start]):
        start += 1
    while end > start and _hidden(kept[end - 1]):
        end -= 1
    return kept[start:end] or None


def _link_filter(element: str, attribute: str, value: str) -> str | None:
    if element == "a" and attribute == "href":
        return safe_link(value)
    return value


def render_description(text: str, as_markdown: bool) -> str:
    """Sanitised HTML for a listing description (plain text keeps its paragraphs)."""
    if as_markdown:
        html = markdown_lib.markdown(text or "", extensions=[], output_format="html")
        return nh3.clean(
            html,
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            attribute_filter=_link_filter,
            url_schemes=LINK_SCHEMES,
            link_rel="nofollow noopener noreferrer",
        )
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text or "") if p.strip()]
    return "".join(
        f"<p>{Markup('<br>').join(escape(line) for line in p.splitlines())}</p>" for p in paragraphs
    )


def relative_luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    a, b = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (a + 0.05) / (b + 0.05)


#: WCAG's least contrast for normal-size text.
MIN_TEXT_CONTRAST = 4.5
#: The colours brand colours meet in static/css/app.css: white writing, and ``--ink``.
WHITE = "#ffffff"
INK = "#2b2118"
#: The brand colours of a shop whose stored ones are unusable (``--brand``, ``--brand-2``).
DEFAULT_BRAND = ("#7a3e2b", "#f4e1c1")

#: Every place a brand's colours are drawn as text on a background: name → (text, background),
#: where "primary" and "secondary" stand for the brand's two colours.
BRAND_TEXT_PAIRS = {
    # .brand-head h1 (shop and cooperative pages), the brand card's shop-name link.
    "name": (WHITE, "primary"),
    # .brand-head p: a shop's tagline, a cooperative's city line.
    "tagline": ("secondary", "primary"),
    # .badge: ink on --brand-2.
    "badge": (INK, "secondary"),
}


def brand_contrasts(primary: str, secondary: str) -> dict[str, float]:
    """The contrast ratio of each of ``BRAND_TEXT_PAIRS`` for these two colours."""
    colours = {"primary": primary, "secondary": secondary}
    return {
        name: contrast_ratio(colours.get(text, text), colours.get(background, background))
        for name, (text, background) in BRAND_TEXT_PAIRS.items()
    }


def _mix(colour: str, target: str, share: float) -> str:
    """``colour`` moved ``share`` (0–1) of the way to ``target``."""
    channels = [
        round(int(colour[i : i + 2], 16) * (1 - share) + int(target[i : i + 2], 16) * share)
        for i in (1, 3, 5)
    ]
    return "#" + "".join(f"{channel:02x}" for channel in channels)


def readable_brand_colours(primary: str | None, secondary: str | None) -> tuple[str, str]:
    """Two brand colours with which every one of ``BRAND_TEXT_PAIRS`` can be read.

    Colours that already pass come back unchanged (lower-case). Colours stored before the
    checks existed (or set by an admin) may not: the main colour is darkened, then the second
    lightened, step by step, until each pair reaches ``MIN_TEXT_CONTRAST`` (black and white
    always do), so the brand keeps its hue. An unreadable value falls back to the default.
    """
    if not (primary and HEX_COLOUR.match(primary)):
        primary = DEFAULT_BRAND[0]
    if not (secondary and HEX_COLOUR.match(secondary)):
        secondary = DEFAULT_BRAND[1]
    primary, secondary = primary.lower(), secondary.lower()
    steps = [step / 20 for step in range(21)]
    for share in steps:
        darker = _mix(primary, "#000000", share)
        if contrast_ratio(WHITE, darker) >= MIN_TEXT_CONTRAST:
            primary = darker
            break
    for share in steps:
        lighter = _mix(secondary, WHITE, share)
        if min(brand_contrasts(primary, lighter).values()) >= MIN_TEXT_CONTRAST:
            secondary = lighter
            break
    return primary, secondary
