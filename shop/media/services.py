"""Storing and removing uploaded images: files and rows together, or neither.

Files are written before the commit (the row must name files that exist) and removed again if
the transaction rolls back; files of a deleted row are removed only once the deletion commits.
"""

from __future__ import annotations

from flask import current_app

from shop.database import on_commit, on_rollback
from shop.extensions import db
from shop.media.images import ImageRejected, process_image
from shop.media.models import Image
from shop.media.storage import LocalImageStore
from shop.media.uploads import Upload


def image_store() -> LocalImageStore:
    return LocalImageStore(current_app.config["SHOP_UPLOAD_DIR"])


def add_image(upload: Upload, *, owner_id: int | None, field: str | None = None) -> Image:
    """Check and process ``upload``, write its renditions and add (not commit) its row.

    Raises ``ImageRejected`` (naming ``field``) before anything is written. Inside a
    ``transaction()`` only: if it rolls back, the files go too.
    """
    config = current_app.config
    try:
        processed = process_image(
            upload.data,
            max_bytes=config["SHOP_MAX_IMAGE_BYTES"],
            max_pixels=config["SHOP_MAX_IMAGE_PIXELS"],
            widths=config["SHOP_IMAGE_WIDTHS"],
        )
    except ImageRejected as exc:
        exc.field = field
        raise
    store = image_store()
    written: list[int] = []
    on_rollback(lambda: store.delete(processed.key, written))
    for width, payload in processed.renditions.items():
        store.save(processed.key, width, payload)
        written.append(width)
    image = Image(
        key=processed.key,
        owner_id=owner_id,
        width=processed.width,
        height=processed.height,
        renditions=",".join(str(w) for w in written),
        original_name=(upload.filename or "")[:255],
    )
    db.session.add(image)
    return image


def delete_image(image: Image) -> None:
    """Delete an image's row; its files go once the transaction commits."""
    widths, key, store = image.widths, image.key, image_store()
    db.session.delete(image)
    on_commit(lambda: store.delete(key, widths))
