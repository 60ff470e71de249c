"""Invoice files: checked to be what their names say, and kept in the private folder.

Only PDF, JPEG and PNG files are taken, and the content must agree with the name: a PDF must
start like one and end like one, a picture must open in Pillow as the format its name says.
The bytes are kept as they came (an invoice is evidence, not a picture to re-encode) under a
random name in ``SHOP_PRIVATE_DIR``/invoices, never in the public upload folder, and are
served only by ``subsidies.invoice`` to the cooperative's managers and the admins.

A file is written after its row is flushed and removed again if the transaction rolls back;
a removed invoice's file goes once the removal commits (as ``shop.media.services`` does).
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import secrets
import struct
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from flask import current_app
from flask_babel import gettext as _
from PIL import Image as PILImage
from PIL import UnidentifiedImageError

from shop.database import on_commit, on_rollback
from shop.errors import DomainError
from shop.extensions import db
from shop.media.uploads import Upload
from shop.subsidies.models import SubsidyApplication, SubsidyInvoice

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
#: What a file may be called, and what its content must then be.
EXTENSIONS = {".pdf": PDF, ".jpg": JPEG, ".jpeg": JPEG, ".png": PNG}
#: The extension a download is given for each kind of content.
SUFFIXES = {PDF: ".pdf", JPEG: ".jpg", PNG: ".png"}
#: Pillow's formats accepted as invoice pictures (MPO: a phone camera's JPEG).
_PICTURES = {"JPEG": JPEG, "MPO": JPEG, "PNG": PNG}
#: A PDF ends with ``%%EOF``, give or take trailing white space and a few stray bytes.
_PDF_TAIL = 1024
MAX_INVOICES = 5
KEY_PATTERN = re.compile(r"^[0-9a-f]{32}$")


class InvoiceRejected(DomainError):
    """An invoice file refused; ``code`` says why, for the message."""

    field = "invoices"

    def __init__(self, code: str, name: str = "", **values) -> None:
        super().__init__(code)
        self.code = code
        self.name = name
        self.values = values

    @property
    def message(self) -> str:  # type: ignore[override]
        name = self.name or _("The file")
        kinds = {PDF: _("PDF"), JPEG: _("JPEG picture"), PNG: _("PNG picture")}
        messages = {
            "empty": _("%(name)s is empty.", name=name),
            "too_large": _(
                "%(name)s is too large: an invoice file may be at most %(size)s MB.",
                name=name,
                size=max(1, current_app.config["SHOP_MAX_INVOICE_BYTES"] // (1024 * 1024)),
            ),
            "kind": _(
                "%(name)s cannot be attached: only PDF, JPEG or PNG files are taken.", name=name
            ),
            "damaged": _(
                "%(name)s is not a complete PDF (it may be damaged). Save it again and attach it.",
                name=name,
            ),
            "not_what_named": _(
                "%(name)s is named as a %(named)s but is not one. Attach the invoice itself, "
                "as a PDF, JPEG or PNG file.",
                name=name,
                named=kinds.get(self.values.get("named"), ""),
            ),
            "mismatch": _(
                "%(name)s is named as a %(named)s but is a %(found)s. Rename it, or attach the "
                "file you meant.",
                name=name,
                named=kinds.get(self.values.get("named"), ""),
                found=kinds.get(self.values.get("found"), ""),
            ),
            "too_many": _(
                "An application can have at most %(count)s invoice files.", count=MAX_INVOICES
            ),
        }
        return messages.get(self.code, messages["kind"])


@dataclass(frozen=True)
class CheckedInvoice:
    data: bytes
    content_type: str
    #: The uploader's name for it, cleaned (shown and offered as the download's name).
    name: str
    sha256: str


def clean_name(filename: str | None) -> str:
    """The last part of an uploaded file's name, without control characters (never a path)."""
    name = re.split(r"[/\\]", filename or "")[-1]
    name = "".join(c for c in name if not unicodedata.category(c).startswith("C"))
    name = name.strip().strip(".").strip()
    if len(name) > 255:
        stem, suffix = os.path.splitext(name)
        name = stem[: 255 - len(suffix)] + suffix
    return name


def sniff(data: bytes) -> str | None:
    """What ``data`` really is: PDF, JPEG or PNG (by content, not name), or None."""
    if data.startswith(b"%PDF-"):
        return PDF if b"%%EOF" in data[-_PDF_TAIL:] else None
    try:
        with PILImage.open(io.BytesIO(data), formats=["JPEG", "PNG"]) as image:
            found = image.format
            image.verify()
    except (
        UnidentifiedImageError,
        PILImage.DecompressionBombError,
        PILImage.DecompressionBombWarning,
        OSError,
        SyntaxError,
        ValueError,
        struct.error,
    ):
        return None
    return _PICTURES.get(found or "")


def check_invoice(upload: Upload) -> CheckedInvoice:
    """``upload`` as an invoice, or ``InvoiceRejected`` saying what is wrong with it."""
    name = clean_name(upload.filename)
    if len(upload.data) > current_app.config["SHOP_MAX_INVOICE_BYTES"]:
        raise InvoiceRejected("too_large", name)
    if not upload.data:
        raise InvoiceRejected("empty", name)
    named = EXTENSIONS.get(os.path.splitext(name)[1].lower())
    if named is None:
        raise InvoiceRejected("kind", name)
    found = sniff(upload.data)
    if found is None:
        if named == PDF and upload.data.startswith(b"%PDF-"):
            raise InvoiceRejected("damaged", name)
        raise InvoiceRejected("not_what_named", name, named=named)
    if found != named:
        raise InvoiceRejected("mismatch", name, named=named, found=found)
    return CheckedInvoice(upload.data, found, name, hashlib.sha256(upload.data).hexdigest())


def read_invoice_upload(file_storage) -> Upload | None:
    """The bytes of one uploaded file, or None when no file was chosen; a file past the size
    limit is refused as soon as it is (not read to its end)."""
    if file_storage is None or not getattr(file_storage, "filename", ""):
        return None
    limit = current_app.config["SHOP_MAX_INVOICE_BYTES"]
    data = file_storage.stream.read(limit + 1)
    name = clean_name(file_storage.filename)
    if len(data) > limit:
        raise InvoiceRejected("too_large", name)
    if not data:
        raise InvoiceRejected("empty", name)
    return Upload(data=data, filename=file_storage.filename)


def read_invoice_uploads(file_storages) -> list[Upload]:
    uploads = []
    for storage in file_storages or []:
        upload = read_invoice_upload(storage)
        if upload is not None:
            uploads.append(upload)
    return uploads


# -- the private store ---------------------------------------------------------------------


class InvoiceStore:
    """Files ``<root>/<key[:2]>/<key>``, written atomically, readable only by the app."""

    def __init__(self, root: str | os.PathLike) -> None:
        self.root = Path(root)

    def path(self, key: str) -> Path:
        if not KEY_PATTERN.match(key):
            raise ValueError("bad invoice key")
        return self.root / key[:2] / key

    def save(self, key: str, data: bytes) -> Path:
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        temporary = target.with_suffix(".tmp")
        temporary.write_bytes(data)
        os.chmod(temporary, 0o600)
        os.replace(temporary, target)
        return target

    def delete(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)


def invoice_store() -> InvoiceStore:
    """The store under ``SHOP_PRIVATE_DIR``, which must not lie inside a public folder."""
    root = Path(current_app.config["SHOP_PRIVATE_DIR"]).resolve() / "invoices"
    public = [Path(current_app.config["SHOP_UPLOAD_DIR"]).resolve()]
    if current_app.static_folder:
        public.append(Path(current_app.static_folder).resolve())
    for folder in public:
        if root == folder or folder in root.parents:
            raise RuntimeError("SHOP_PRIVATE_DIR must not be inside a public folder")
    return InvoiceStore(root)


def store_invoice(application: SubsidyApplication, upload: Upload, actor) -> SubsidyInvoice:
    """Check ``upload``, add its row to ``application`` and write its file. Inside a
    ``transaction()`` only: if it rolls back, the file goes too."""
    checked = check_invoice(upload)
    store = invoice_store()
    key = secrets.token_hex(16)
    invoice = SubsidyInvoice(
        key=key,
        content_type=checked.content_type,
        size=len(checked.data),
        sha256=checked.sha256,
        original_name=checked.name,
        uploaded_by_id=getattr(actor, "id", None),
    )
    application.invoices.append(invoice)
    db.session.flush()
    on_rollback(lambda: store.delete(key))
    store.save(key, checked.data)
    return invoice


def delete_invoice(invoice: SubsidyInvoice) -> None:
    """Delete an invoice's row; its file goes once the transaction commits."""
    key, store = invoice.key, invoice_store()
    invoice.application.invoices.remove(invoice)
    db.session.delete(invoice)
    db.session.flush()
    on_commit(lambda: store.delete(key))


def invoice_path(invoice: SubsidyInvoice) -> Path:
    return invoice_store().path(invoice.key)


def _ascii_stem(stem: str) -> str:
    folded = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^A-Za-z0-9._-]+", "_", folded).strip("._-")[:80]


def content_disposition(invoice: SubsidyInvoice, reference: str) -> str:
    """``attachment`` with a safe ASCII ``filename`` and the original name as ``filename*``
    (RFC 6266/5987), its extension always the one of its content."""
    suffix = SUFFIXES.get(invoice.content_type, "")
    stem = os.path.splitext(invoice.original_name or "")[0] or f"{reference}-{invoice.id}"
    fallback = (_ascii_stem(stem) or f"{reference}-invoice-{invoice.id}") + suffix
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(stem + suffix, safe='')}"
