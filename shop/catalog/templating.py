"""Template helpers for pictures, category names and brand colours."""

from __future__ import annotations

from flask import g, url_for
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from shop.accounts.models import Role
from shop.catalog.models import Category
from shop.extensions import db
from shop.i18n import current_language
from shop.media.models import Image
from shop.text import readable_brand_colours


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


def navigation_categories() -> list:
    """Top-level categories for the header, read once per request."""
    if "nav_categories" not in g:
        try:
            g.nav_categories = list(
                db.session.scalars(
                    select(Category).where(Category.parent_id.is_(None)).order_by(Category.position)
                )
            )
        except SQLAlchemyError:
            db.session.rollback()
            g.nav_categories = []  # an error page must still render when the database is down
    return g.nav_categories


def init_templating(app) -> None:
    app.jinja_env.globals.update(
        image_url=image_url,
        image_srcset=image_srcset,
        category_name=category_name,
        Role=Role,
        # brand_style (shops and cooperatives alike) never draws an unreadable colour pair
        readable_brand_colours=readable_brand_colours,
    )

    @app.context_processor
    def navigation():
        return {"nav_categories": navigation_categories()}
