"""Turning uploaded files into validated bytes, with messages people understand."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _

from shop.media.images import ImageRejected


@dataclass(frozen=True)
class Upload:
    """An uploaded file's bytes and the name it came with (never used as a path)."""

    data: bytes
    filename: str


def rejection_message(code: str) -> str:
    config = current_app.config
    messages = {
        "empty": _("The file is empty."),
        "format": _("Only JPEG, PNG, WebP or HEIC pictures can be uploaded."),
        "not_an_image": _("This file is not a picture. Choose a JPEG, PNG, WebP or HEIC photo."),
        "corrupt": _("This picture is damaged or incomplete. Try saving it again."),
        "too_many_pixels": _(
            "This picture is too big (at most %(count)s million pixels).",
            count=config["SHOP_MAX_IMAGE_PIXELS"] // 1_000_000,
        ),
        "proportions": _("This picture is too long and narrow to show. Crop it and try again."),
        "too_large": _(
            "This file is too large (at most %(size)s MB).",
            size=config["SHOP_MAX_IMAGE_BYTES"] // (1024 * 1024),
        ),
    }
    return messages.get(code, messages["corrupt"])


def read_upload(file_storage, field: str | None = None) -> Upload | None:
    """The bytes of one uploaded file, or None when no file was chosen.

    Raises ``ImageRejected`` (for ``field``) as soon as the file passes the size limit.
    """
    if file_storage is None or not getattr(file_storage, "filename", ""):
        return None
    limit = current_app.config["SHOP_MAX_IMAGE_BYTES"]
    data = file_storage.stream.read(limit + 1)
    if len(data) > limit:
        raise ImageRejected("too_large", field=field)
    if not data:
        raise ImageRejected("empty", field=field)
    return Upload(data=data, filename=file_storage.filename)


def read_uploads(file_storages, field: str | None = None) -> list[Upload]:
    uploads = []
    for storage in file_storages or []:
        upload = read_upload(storage, field)
        if upload is not None:
            uploads.append(upload)
    return uploads
