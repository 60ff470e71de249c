"""Invoice files: only a PDF, JPEG or PNG whose content is what its name says, of a bounded
size, at most five an application; kept under the private folder (never the public uploads),
written with their row or not at all, and downloaded only as an attachment that no browser
sniffs or keeps."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from urllib.parse import quote

import pytest
from flask_babel import force_locale
from PIL import Image as PILImage

from shop.database import transaction
from shop.extensions import db
from shop.media.uploads import Upload
from shop.subsidies import invoices, services
from shop.subsidies.models import BrandingWork, SubsidyApplication, SubsidyInvoice
from tests.conftest import count, make_jpeg, reload, upload_files
from tests.subsidies.conftest import make, make_png, minimal_pdf, pdf


def stored_files(app) -> list[Path]:
    root = Path(app.config["SHOP_PRIVATE_DIR"]) / "invoices"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def refusal(upload: Upload, cooperative, manager) -> str:
    """Apply with ``upload``: the English message of the refusal."""
    with pytest.raises(invoices.InvoiceRejected) as refused, transaction():
        services.create_application(
            db.session.get(type(cooperative), cooperative.id),
            manager,
            services.ApplicationData(BrandingWork.LOGO, 50_000_000, "چاپ نو"),
            [upload],
        )
    assert refused.value.field == "invoices"
    with force_locale("en"):
        return str(refused.value)


def gif() -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (10, 10)).save(buffer, "GIF")
    return buffer.getvalue()


def test_a_pdf_is_kept_in_the_private_folder_with_its_checksum(app, coop, tmp_path):
    data = minimal_pdf()

    application = make(coop.ours, coop.manager, 50_000_000, uploads=[Upload(data, "فاکتور.pdf")])

    [invoice] = application.invoices
    assert (invoice.content_type, invoice.size, invoice.original_name) == (
        "application/pdf",
        len(data),
        "فاکتور.pdf",
    )
    assert invoice.sha256 == hashlib.sha256(data).hexdigest()
    assert invoice.uploaded_by_id == coop.manager.id
    [path] = stored_files(app)
    assert path == Path(app.config["SHOP_PRIVATE_DIR"]) / "invoices" / invoice.key[:2] / invoice.key
    assert path.read_bytes() == data
    assert len(invoice.key) == 32 and invoice.key not in invoice.original_name
    assert upload_files(tmp_path) == []  # nothing in the public upload folder
    assert not path.resolve().is_relative_to(Path(app.config["SHOP_UPLOAD_DIR"]).resolve())
    assert not path.resolve().is_relative_to(Path(app.static_folder).resolve())


@pytest.mark.parametrize(
    ("data", "name", "content_type"),
    [
        (make_jpeg(80, 60), "scan.jpg", "image/jpeg"),
        (make_jpeg(80, 60), "SCAN.JPEG", "image/jpeg"),
        (make_png(), "invoice.png", "image/png"),
        (minimal_pdf(), "INVOICE.PDF", "application/pdf"),
    ],
)
def test_pictures_and_pdfs_are_taken_for_what_they_are(app, coop, data, name, content_type):
    application = make(coop.ours, coop.manager, 50_000_000, uploads=[Upload(data, name)])

    [invoice] = application.invoices
    assert invoice.content_type == content_type
    assert stored_files(app)[0].read_bytes() == data  # kept as sent, not re-encoded


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (
            b"Just some text, honestly an invoice.\n",
            "invoice.pdf",
            "invoice.pdf is named as a PDF but is not one.",
        ),
        (make_png(), "invoice.pdf", "invoice.pdf is named as a PDF but is a PNG picture."),
        (
            make_jpeg(40, 30),
            "invoice.png",
            "invoice.png is named as a PNG picture but is a JPEG picture.",
        ),
        (minimal_pdf(), "invoice.jpg", "invoice.jpg is named as a JPEG picture but is a PDF."),
        (
            b"<!doctype html><html><script>alert(1)</script></html>",
            "invoice.html",
            "invoice.html cannot be attached: only PDF, JPEG or PNG files are taken.",
        ),
        (
            b"<!doctype html><html><script>alert(1)</script></html>",
            "invoice.pdf",
            "invoice.pdf is named as a PDF but is not one.",
        ),
        (minimal_pdf()[:-30], "cut.pdf", "cut.pdf is not a complete PDF"),
        (gif(), "invoice.png", "invoice.png is named as a PNG picture but is not one."),
        (make_jpeg(40, 30)[:200], "cut.jpg", "cut.jpg is named as a JPEG picture but is not one."),
        (minimal_pdf(), "invoice", "invoice cannot be attached: only PDF, JPEG or PNG files"),
        (minimal_pdf(), "invoice.pdf.exe", "cannot be attached"),
        (b"", "empty.pdf", "empty.pdf is empty."),
    ],
)
def test_a_file_that_is_not_what_its_name_says_is_refused_and_nothing_is_kept(
    app, coop, tmp_path, data, name, message
):
    assert message in refusal(Upload(data, name), coop.ours, coop.manager)

    assert count(SubsidyApplication) == 0 and count(SubsidyInvoice) == 0
    assert stored_files(app) == [] and upload_files(tmp_path) == []


def test_a_file_over_the_limit_is_refused(app, coop):
    app.config["SHOP_MAX_INVOICE_BYTES"] = 1024 * 1024
    data = minimal_pdf(b"x" * (1024 * 1024))

    assert "invoice.pdf is too large: an invoice file may be at most 1 MB." in refusal(
        Upload(data, "invoice.pdf"), coop.ours, coop.manager
    )
    assert count(SubsidyInvoice) == 0 and stored_files(app) == []


def test_a_refused_second_file_takes_the_first_one_back_with_it(app, coop):
    uploads = [pdf("good.pdf"), Upload(b"not a pdf", "bad.pdf")]

    with pytest.raises(invoices.InvoiceRejected), transaction():
        services.create_application(
            reload(coop.ours),
            coop.manager,
            services.ApplicationData(BrandingWork.LOGO, 50_000_000, "چاپ نو"),
            uploads,
        )

    # the first file had been written: the rollback removed it again
    assert count(SubsidyInvoice) == 0 and stored_files(app) == []


def test_at_most_five_invoices_an_application(app, coop):
    with pytest.raises(invoices.InvoiceRejected) as refused, transaction():
        services.create_application(
            reload(coop.ours),
            coop.manager,
            services.ApplicationData(BrandingWork.LOGO, 50_000_000, "چاپ نو"),
            [pdf(f"{n}.pdf") for n in range(6)],
        )
    with force_locale("en"):
        assert str(refused.value) == "An application can have at most 5 invoice files."
    assert count(SubsidyApplication) == 0 and stored_files(app) == []

    application = make(coop.ours, coop.manager, 50_000_000, uploads=[pdf() for _ in range(5)])
    with pytest.raises(invoices.InvoiceRejected), transaction():
        services.add_invoice(
            db.session.get(SubsidyApplication, application.id), coop.manager, pdf()
        )
    assert count(SubsidyInvoice) == 5 and len(stored_files(app)) == 5


def test_removing_an_invoice_removes_its_file_once_committed(app, coop):
    application = make(coop.ours, coop.manager, 50_000_000, uploads=[pdf("a.pdf"), pdf("b.pdf")])
    first, second = application.invoices

    class Undone(Exception):
        pass

    with pytest.raises(Undone), transaction():
        services.remove_invoice(
            db.session.get(SubsidyApplication, application.id), coop.manager, first.id
        )
        raise Undone()
    assert count(SubsidyInvoice) == 2 and len(stored_files(app)) == 2  # rolled back: kept

    with transaction():
        services.remove_invoice(
            db.session.get(SubsidyApplication, application.id), coop.manager, first.id
        )

    assert [i.id for i in reload(application).invoices] == [second.id]
    assert stored_files(app) == [invoices.invoice_store().path(second.key)]


def test_the_private_folder_may_not_be_inside_the_public_one(app, coop):
    app.config["SHOP_PRIVATE_DIR"] = str(Path(app.config["SHOP_UPLOAD_DIR"]) / "private")
    with pytest.raises(RuntimeError):
        invoices.invoice_store()


def test_sniffing_reads_the_content_not_the_name():
    assert invoices.sniff(minimal_pdf()) == "application/pdf"
    assert invoices.sniff(make_jpeg(20, 20)) == "image/jpeg"
    assert invoices.sniff(make_png()) == "image/png"
    assert invoices.sniff(b"%PDF-1.4 but never ends") is None
    assert invoices.sniff(gif()) is None
    assert invoices.sniff(b"\x89PNG\r\n\x1a\n" + b"\0" * 40) is None


def test_an_uploaded_name_is_never_a_path():
    assert invoices.clean_name("../../etc/passwd.pdf") == "passwd.pdf"
    assert invoices.clean_name("C:\\Users\\me\\فاکتور.pdf") == "فاکتور.pdf"
    assert invoices.clean_name('a"b\r\n.pdf') == 'a"b.pdf'
    assert invoices.clean_name("\u202eevil.pdf") == "evil.pdf"


def download(client, invoice_id):
    return client.get(f"/subsidies/invoices/{invoice_id}")


def test_the_manager_downloads_an_invoice_as_an_attachment(client, login_as, coop):
    data = minimal_pdf()
    application = make(
        coop.ours, coop.manager, 50_000_000, uploads=[Upload(data, "فاکتور چاپ.pdf")]
    )
    [invoice] = application.invoices
    login_as(coop.manager)

    response = download(client, invoice.id)

    assert response.status_code == 200 and response.data == data
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="{application.reference}-invoice-{invoice.id}.pdf"; '
        f"filename*=UTF-8''{quote('فاکتور چاپ.pdf', safe='')}"
    )
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "private, no-store"
    assert "ETag" not in response.headers


def test_a_downloaded_name_is_safe_and_ends_as_its_content(client, login_as, coop):
    application = make(
        coop.ours, coop.manager, 50_000_000, uploads=[Upload(make_png(), 'scan "1"; x=.png')]
    )
    [invoice] = application.invoices
    login_as(coop.manager)

    disposition = download(client, invoice.id).headers["Content-Disposition"]

    assert disposition.startswith("attachment; filename=\"scan_1_x.png\"; filename*=UTF-8''")
    assert "\r" not in disposition and "\n" not in disposition
    assert disposition.count('"') == 2


def test_the_admin_downloads_and_others_are_told_it_does_not_exist(client, login_as, coop):
    application = make(coop.ours, coop.manager, 50_000_000)
    [invoice] = application.invoices

    login_as(coop.admin)
    assert download(client, invoice.id).status_code == 200
    client.post("/logout")

    for outsider in (coop.other_manager, coop.programme):
        login_as(outsider)
        response = download(client, invoice.id)
        assert response.status_code == 404
        assert application.reference not in response.text
        assert coop.ours.name not in response.text
        client.post("/logout")

    assert download(client, invoice.id).status_code == 302  # a visitor is sent to sign in
    assert download(client, 999_999).status_code == 302


def test_a_missing_file_is_not_found(app, client, login_as, coop):
    application = make(coop.ours, coop.manager, 50_000_000)
    [invoice] = application.invoices
    invoices.invoice_store().delete(invoice.key)
    login_as(coop.manager)

    assert download(client, invoice.id).status_code == 404
