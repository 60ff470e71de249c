"""Template helpers for pictures and category names."""

from __future__ import annotations

from flask import url_for

from shop.i18n import current_language
from shop.media.models import Image


def image_url(image: Image | None, width: int = 800) -> str:
    if image is None:
        return url_for("static", filename="img/placeholder.svg")
    return url_for("media.image", key=image.key, width=image.best_width(width))


def image_srcset(image: Image | None) -> str:
    if image is None:
        return ""
    return ", ".join(f"{url_for('media.image', key=image.key, width=w)} {w}w" for w in image.widths)


def category_name(category) -> str:
    return category.name(current_language()) if category is not None else ""


def init_templating(app) -> None:
    app.jinja_env.globals.update(
        image_url=image_url, image_srcset=image_srcset, category_name=category_name
    )
