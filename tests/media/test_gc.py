"""`shop media gc`: rows nothing refers to and files no row names are swept; the rest stays."""

from __future__ import annotations

import os
import time
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from shop.database import transaction, utcnow
from shop.extensions import db
from shop.listings.models import ProductPhoto, RevisionPhoto
from shop.media import services as media_services
from shop.media.models import Image
from shop.media.queries import image_references
from shop.media.services import add_image
from shop.media.uploads import Upload
from shop.producers import services as producer_services
from shop.producers.models import Producer
from tests.conftest import make_jpeg, upload_files

HOURS_AGO = 3 * 3600
STRAY_KEY = "0123456789abcdef0123456789abcdef"


@pytest.fixture
def gc(app, runner):
    """Run `shop media gc …` as its own process would: with its own database session."""

    def invoke(*args):
        with app.app_context():
            return runner.invoke(args=["media", "gc", *args])

    return invoke


def age_everything(tmp_path) -> None:
    """Make every row and file so old that only references can keep them."""
    with transaction():
        db.session.execute(update(Image).values(created_at=utcnow() - timedelta(hours=3)))
    past = time.time() - HOURS_AGO
    for path in upload_files(tmp_path):
        os.utime(path, (past, past))


def write(tmp_path, relative: str, *, age_seconds: int) -> object:
    path = tmp_path / "uploads" / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"leftover")
    moment = time.time() - age_seconds
    os.utime(path, (moment, moment))
    return path


def files_of(tmp_path, image: Image) -> list:
    return [tmp_path / "uploads" / image.key[:2] / f"{image.key}-{w}.webp" for w in image.widths]


@pytest.fixture
def kept(factory, tmp_path):
    """Pictures that something refers to: listing photos, a shop's and a cooperative's brand."""
    producer = factory.producer()
    factory.listing(producer, title="گلیم فروشی", photos=2)
    factory.listing(producer, title="گلیم در انتظار", photos=1, active=False)
    with transaction():
        producer_services.update_brand(
            producer,
            producer_services.Brand(
                shop_name=producer.shop_name,
                tagline="",
                story="",
                color_primary="#7a3e2b",
                color_secondary="#f4e1c1",
                logo=Upload(make_jpeg(300, 300), "logo.jpg"),
                banner=Upload(make_jpeg(900, 300), "banner.jpg"),
            ),
        )
    with transaction():
        applicant = producer_services.apply_as_producer(
            factory.user(),
            producer_services.Application(
                shop_name="کارگاه تازه",
                city="مشهد",
                neighbourhood="",
                centre_id=None,
                cooperative_id=None,
                certificate=Upload(make_jpeg(400, 300), "certificate.jpg"),
            ),
        )
    cooperative = factory.cooperative()
    with transaction():
        cooperative.logo = add_image(Upload(make_jpeg(200, 200), "c-logo.png"), owner_id=None)
        cooperative.banner = add_image(Upload(make_jpeg(800, 200), "c-banner.png"), owner_id=None)
    db.session.expire_all()
    images = list(db.session.scalars(select(Image).order_by(Image.id)))
    # 2 + 1 listing photos, logo, banner, certificate, cooperative logo and banner
    assert len(images) == 8
    assert applicant.certificate_id in {image.id for image in images}
    return images


def test_every_foreign_key_to_images_counts_as_a_reference():
    import shop.models  # noqa: F401  (every table the app knows, as when it runs)

    assert [f"{c.table.name}.{c.name}" for c in image_references()] == [
        "cooperatives.banner_id",
        "cooperatives.logo_id",
        "producers.banner_id",
        "producers.certificate_id",
        "producers.logo_id",
        "product_photos.image_id",
        "return_photos.image_id",
        "revision_photos.image_id",
    ]


def test_gc_removes_only_what_nothing_refers_to(gc, kept, tmp_path):
    # Given pictures in use, all of them hours old
    photo_ids = set(db.session.scalars(select(ProductPhoto.image_id))) | set(
        db.session.scalars(select(RevisionPhoto.image_id))
    )
    assert len(photo_ids) == 3
    with transaction():
        orphan = add_image(Upload(make_jpeg(500, 400), "left-behind.jpg"), owner_id=None)
    age_everything(tmp_path)
    kept_files = [path for image in kept for path in files_of(tmp_path, image)]
    # …an old rendition of a kept picture that its row does not name, leftovers of crashes
    # and unfinished writes, and a file the store did not write
    unnamed_width = write(
        tmp_path, f"{kept[0].key[:2]}/{kept[0].key}-999.webp", age_seconds=HOURS_AGO
    )
    stray = write(tmp_path, f"{STRAY_KEY[:2]}/{STRAY_KEY}-320.webp", age_seconds=HOURS_AGO)
    stray_tmp = write(tmp_path, f"{STRAY_KEY[:2]}/{STRAY_KEY}-800.tmp", age_seconds=HOURS_AGO)
    kept_tmp = write(tmp_path, f"{kept[1].key[:2]}/{kept[1].key}-320.tmp", age_seconds=HOURS_AGO)
    foreign = write(tmp_path, ".gitkeep", age_seconds=HOURS_AGO)
    notes = write(tmp_path, "ab/notes.txt", age_seconds=HOURS_AGO)
    orphan_files = files_of(tmp_path, orphan)

    # When the sweep runs
    result = gc()

    # Then the row nothing refers to and every unnamed old file are gone, and it says so
    assert result.exit_code == 0, result.output
    kept_ids, orphan_id = [image.id for image in kept], orphan.id
    db.session.expunge_all()
    assert sorted(db.session.scalars(select(Image.id))) == kept_ids
    assert db.session.get(Image, orphan_id) is None
    assert sorted(upload_files(tmp_path)) == sorted([*kept_files, foreign, notes])
    removed = sorted([*orphan_files, unnamed_width, stray, stray_tmp, kept_tmp])
    lines = result.output.splitlines()
    assert lines[0].startswith(f"removed image row {orphan.id} (key {orphan.key}, widths 320,500, ")
    assert sorted(lines[1:-1]) == sorted(
        f"removed file {path.relative_to(tmp_path / 'uploads')}" for path in removed
    )
    assert (
        lines[-1] == "Removed 1 image row(s) and 6 file(s) (kept anything younger than 60 minutes)."
    )


def test_young_leftovers_are_kept(gc, kept, tmp_path):
    # Given an upload in flight: its files written a minute ago, its row not committed yet; and
    # a picture added a minute ago that nothing refers to yet
    age_everything(tmp_path)
    in_flight = write(tmp_path, f"{STRAY_KEY[:2]}/{STRAY_KEY}-320.webp", age_seconds=60)
    in_flight_tmp = write(tmp_path, f"{STRAY_KEY[:2]}/{STRAY_KEY}-800.tmp", age_seconds=60)
    with transaction():
        young = add_image(Upload(make_jpeg(100, 100), "young.jpg"), owner_id=None)
    before = upload_files(tmp_path)

    result = gc()

    assert result.exit_code == 0, result.output
    assert result.output == (
        "Removed 0 image row(s) and 0 file(s) (kept anything younger than 60 minutes).\n"
    )
    assert upload_files(tmp_path) == before
    assert {in_flight, in_flight_tmp, *files_of(tmp_path, young)} <= set(before)
    assert db.session.get(Image, young.id) is not None


def test_the_grace_period_is_an_option(gc, kept, tmp_path):
    age_everything(tmp_path)
    ten_minutes_old = write(tmp_path, f"{STRAY_KEY[:2]}/{STRAY_KEY}-320.webp", age_seconds=600)

    kept_result = gc("--grace-minutes", "15")
    assert ten_minutes_old in upload_files(tmp_path)
    removed_result = gc("--grace-minutes", "5")

    assert kept_result.exit_code == removed_result.exit_code == 0
    assert ten_minutes_old not in upload_files(tmp_path)
    assert f"removed file {STRAY_KEY[:2]}/{STRAY_KEY}-320.webp" in removed_result.output
    assert gc("--grace-minutes", "-1").exit_code == 2


def test_a_dry_run_lists_without_removing(gc, kept, tmp_path):
    with transaction():
        orphan = add_image(Upload(make_jpeg(300, 200), "left-behind.jpg"), owner_id=None)
    age_everything(tmp_path)
    stray = write(tmp_path, f"{STRAY_KEY[:2]}/{STRAY_KEY}-320.webp", age_seconds=HOURS_AGO)
    before_files = upload_files(tmp_path)
    before_rows = sorted(db.session.scalars(select(Image.id)))

    result = gc("--dry-run")

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith(
        f"would remove image row {orphan.id} (key {orphan.key}, widths 300, "
    )
    assert sorted(lines[1:-1]) == sorted(
        f"would remove file {path.relative_to(tmp_path / 'uploads')}"
        for path in [*files_of(tmp_path, orphan), stray]
    )
    assert (
        lines[-1] == "Dry run: 1 image row(s) and 2 file(s) would be removed; nothing was changed."
    )
    assert upload_files(tmp_path) == before_files
    db.session.expire_all()
    assert sorted(db.session.scalars(select(Image.id))) == before_rows


def test_a_reference_added_after_the_list_was_read_keeps_the_image(kept, tmp_path, monkeypatch):
    # Given a row that nothing referred to when the sweep listed it…
    with transaction():
        image = add_image(Upload(make_jpeg(100, 100), "late.jpg"), owner_id=None)
    age_everything(tmp_path)
    seen = media_services.list_unreferenced_images(utcnow())
    assert [row.id for row in seen] == [image.id]
    # …and that became a shop's logo before the sweep's delete ran (a race no timing can
    # produce on demand: the sweep is handed the list it read before)
    with transaction():
        db.session.scalars(select(Producer)).first().logo_id = image.id
    monkeypatch.setattr(media_services, "list_unreferenced_images", lambda created_before: seen)

    with transaction():
        removed = media_services.remove_unreferenced_images(created_before=utcnow())

    # Then the delete's own check keeps it
    assert removed == []
    db.session.expire_all()
    assert db.session.get(Image, image.id) is not None
