"""Text helpers: slugs, safe Markdown, colours."""

from __future__ import annotations

import re
import unicodedata

import markdown as markdown_lib
import nh3
from markupsafe import Markup, escape
from sqlalchemy import select

ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "blockquote", "h3", "h4", "a", "hr"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")

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


def render_description(text: str, as_markdown: bool) -> str:
    """Sanitised HTML for a listing description (plain text keeps its paragraphs)."""
    if as_markdown:
        html = markdown_lib.markdown(text or "", extensions=[], output_format="html")
        return nh3.clean(
            html,
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes={"http", "https", "mailto"},
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
