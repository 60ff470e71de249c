"""Storing and removing uploaded images: files and rows together, or neither."""

from __future__ import annotations

import contextlib

from flask import current_app

from shop.extensions import db
from shop.media.images import process_image
from shop.media.models import Image
from shop.media.storage import LocalImageStore


def image_store() -> LocalImageStore:
    return LocalImageStore(current_app.config["SHOP_UPLOAD_DIR"])


def add_image(data: bytes, *, owner_id: int | None, original_name: str = "") -> Image:
    """Process ``data``, write its renditions and add (not commit) its row.

    Call it inside ``files_kept_only_if_committed`` so a failed transaction leaves no file.
    """
    config = current_app.config
    processed = process_image(
        data,
        max_bytes=config["SHOP_MAX_IMAGE_BYTES"],
        max_pixels=config["SHOP_MAX_IMAGE_PIXELS"],
        widths=config["SHOP_IMAGE_WIDTHS"],
    )
    store = image_store()
    written: list[int] = []
    try:
        for width, payload in processed.renditions.items():
            store.save(processed.key, width, payload)
            written.append(width)
    except OSError:
        store.delete(processed.key, written)
        raise
    image = Image(
        key=processed.key,
        owner_id=owner_id,
        width=processed.width,
        height=processed.height,
        renditions=",".join(str(w) for w in written),
        original_name=(original_name or "")[:255],
    )
    db.session.add(image)
    return image


@contextlib.contextmanager
def files_kept_only_if_committed():
    """Collect the images added in the block; if it raises (its commit included), roll back
    and remove their files, so a failed operation leaves no file and no row behind."""
    new_images: list[Image] = []
    try:
        yield new_images
    except BaseException:
        db.session.rollback()
        for image in new_images:
            discard_image(image)
        raise


def discard_image(image: Image) -> None:
    """Remove an image's files (after a rollback, or once its row is deleted)."""
    image_store().delete(image.key, image.widths)


def delete_image(image: Image) -> None:
    """Delete an image row now and its files; the caller commits."""
    widths, key = image.widths, image.key
    db.session.delete(image)
    db.session.flush()
    image_store().delete(key, widths)
