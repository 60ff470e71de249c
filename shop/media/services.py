"""Storing and removing uploaded images: files and rows together, or neither.

Files are written before the commit (the row must name files that exist) and removed again if
the transaction rolls back; files of a deleted row are removed only once the deletion commits.
What a crash or a failed clean-up leaves behind (a row nothing refers to, a file no row names)
is swept by ``shop media gc``: ``remove_unreferenced_images`` then ``remove_unreferenced_files``.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import delete

from shop.database import on_commit, on_rollback
from shop.extensions import db
from shop.media.images import ImageRejected, process_image
from shop.media.models import Image
from shop.media.queries import list_unreferenced_images, stored_widths, unreferenced
from shop.media.storage import LocalImageStore, StoredFile
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


def replace_pictures(owner, uploads: dict, *, owner_id: int | None) -> list[Image]:
    """Set each picture attribute of ``owner`` named in ``uploads`` (``{"logo": upload}``) to a
    new image of its upload (an upload of None leaves it as it is). Returns the images replaced:
    delete them with ``delete_image`` once the owner's row is flushed."""
    replaced: list[Image] = []
    for attribute, upload in uploads.items():
        if upload is None:
            continue
        image = add_image(upload, owner_id=owner_id, field=attribute)
        if getattr(owner, attribute) is not None:
            replaced.append(getattr(owner, attribute))
        setattr(owner, attribute, image)
    return replaced


def delete_image(image: Image) -> None:
    """Delete an image's row; its files go once the transaction commits."""
    widths, key, store = image.widths, image.key, image_store()
    db.session.delete(image)
    on_commit(lambda: store.delete(key, widths))


@dataclass(frozen=True)
class RemovedImage:
    id: int
    key: str
    renditions: str
    created_at: datetime


def remove_unreferenced_images(
    *, created_before: datetime, dry_run: bool = False
) -> list[RemovedImage]:
    """Delete (not commit) the image rows nothing refers to, created before ``created_before``.

    Each row is checked again in its own ``DELETE``, so a reference added since the list was
    read keeps the image. Their files are left to ``remove_unreferenced_files``, run after the
    commit (those files are as old as their rows). Returns what was (or would be) removed.
    """
    removed = []
    for image in list_unreferenced_images(created_before):
        entry = RemovedImage(image.id, image.key, image.renditions, image.created_at)
        if not dry_run:
            deleted = db.session.execute(
                delete(Image)
                .where(Image.id == image.id, *unreferenced())
                .execution_options(synchronize_session=False)
            )
            db.session.expunge(image)
            if deleted.rowcount != 1:
                continue
        removed.append(entry)
    return removed


def remove_unreferenced_files(
    *, modified_before: datetime, dry_run: bool = False, also_unreferenced: Collection[str] = ()
) -> list[StoredFile]:
    """Remove the files no image row names, last changed before ``modified_before``.

    A younger file may belong to an upload whose row has not committed yet, so it is kept.
    ``also_unreferenced``: keys to treat as gone (the rows a dry run would have removed).
    Returns the files removed (or, with ``dry_run``, that would be).
    """
    store = image_store()
    widths = stored_widths()
    cutoff = modified_before.timestamp()
    removed = []
    for file in store.files():
        named = file.key not in also_unreferenced and file.width in widths.get(file.key, ())
        if (named and not file.is_temporary) or file.modified_at >= cutoff:
            continue
        if not dry_run:
            store.remove(file)
        removed.append(file)
    return removed
