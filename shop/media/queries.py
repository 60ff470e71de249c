"""Reading images: what refers to them, which nothing refers to, which files rows name."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, select

from shop.extensions import db
from shop.media.models import Image


def image_references() -> list[Column]:
    """Every column, in every table the app knows, that is a foreign key to ``images.id``.

    Read from the metadata, so media needs to know no feature: a table that starts to hold
    pictures keeps them from ``shop media gc`` by its foreign key alone.
    """
    images = Image.__table__
    columns = {
        foreign_key.parent
        for table in db.metadata.tables.values()
        for foreign_key in table.foreign_keys
        if foreign_key.references(images) and foreign_key.column is images.c.id
    }
    return sorted(columns, key=lambda column: (column.table.name, column.name))


def unreferenced():
    """Conditions on ``Image`` that hold when no row of any table refers to the image."""
    return [~select(column).where(column == Image.id).exists() for column in image_references()]


def list_unreferenced_images(created_before: datetime) -> list[Image]:
    """Image rows that nothing refers to, created before ``created_before``, oldest first."""
    return list(
        db.session.scalars(
            select(Image)
            .where(Image.created_at < created_before, *unreferenced())
            .order_by(Image.id)
        )
    )


def stored_widths() -> dict[str, set[int]]:
    """Every image row's key → the widths of the renditions it names."""
    return {
        key: {int(width) for width in renditions.split(",") if width}
        for key, renditions in db.session.execute(select(Image.key, Image.renditions))
    }
