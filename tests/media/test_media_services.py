"""shop/media/services.py: an image's files and its row are written together, or not at all."""

from __future__ import annotations

import re

import pytest
from PIL import Image as PILImage
from sqlalchemy import func, select

from shop.database import TransactionError, transaction
from shop.extensions import db
from shop.media import services
from shop.media.images import ImageRejected
from shop.media.models import Image
from shop.media.storage import LocalImageStore
from shop.media.uploads import Upload
from tests.conftest import make_jpeg, upload_files

JPEG = make_jpeg(640, 480)


def image_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Image))


def expected_files(tmp_path, key: str, widths: list[int]) -> list:
    return sorted(tmp_path / "uploads" / key[:2] / f"{key}-{w}.webp" for w in widths)


def test_add_image_writes_renditions_and_adds_the_row(ctx, tmp_path):
    # Given a wide JPEG with a Persian file name
    data = make_jpeg(2000, 1500)

    # When it is added and the transaction commits
    with transaction():
        image = services.add_image(Upload(data, "عکس گلیم.jpg"), owner_id=None)

    # Then one row with a server-made key and three WebP files named after that key
    image = db.session.get(Image, image.id)
    assert re.fullmatch(r"[a-z0-9]{32}", image.key)
    assert image.original_name == "عکس گلیم.jpg"
    assert (image.width, image.height) == (2000, 1500)
    assert image.renditions == "320,800,1600"
    assert image.widths == [320, 800, 1600]
    assert image_count() == 1
    assert upload_files(tmp_path) == expected_files(tmp_path, image.key, [320, 800, 1600])
    with PILImage.open(tmp_path / "uploads" / image.key[:2] / f"{image.key}-800.webp") as stored:
        assert (stored.format, stored.size) == ("WEBP", (800, 600))


def test_add_image_does_not_commit_and_a_rollback_removes_its_files(ctx, tmp_path):
    # Given an image added in an operation that then fails
    with pytest.raises(RuntimeError, match="later step"), transaction():
        image = services.add_image(Upload(make_jpeg(100, 100), "a.jpg"), owner_id=None)
        assert image in db.session.new
        assert upload_files(tmp_path) == expected_files(tmp_path, image.key, [100])
        raise RuntimeError("a later step of the operation failed")

    # Then neither its row nor its files are left
    assert image_count() == 0
    assert upload_files(tmp_path) == []


def test_add_image_outside_a_transaction_is_refused_before_writing(ctx, tmp_path):
    with pytest.raises(TransactionError):
        services.add_image(Upload(make_jpeg(100, 100), "a.jpg"), owner_id=None)

    assert upload_files(tmp_path) == []


def test_the_uploaders_file_name_never_becomes_a_path(ctx, tmp_path):
    with transaction():
        image = services.add_image(Upload(make_jpeg(100, 100), "../../evil.php"), owner_id=None)

    assert db.session.get(Image, image.id).original_name == "../../evil.php"
    assert upload_files(tmp_path) == expected_files(tmp_path, image.key, [100])
    assert not (tmp_path / "evil.php").exists()


def test_a_long_original_name_is_cut_to_255_characters(ctx):
    with transaction():
        image = services.add_image(Upload(make_jpeg(100, 100), "ع" * 300 + ".jpg"), owner_id=None)

    assert db.session.get(Image, image.id).original_name == "ع" * 255


def test_the_owner_is_recorded(ctx, factory):
    user = factory.user()

    with transaction():
        image = services.add_image(Upload(make_jpeg(100, 100), "a.jpg"), owner_id=user.id)

    assert db.session.get(Image, image.id).owner_id == user.id


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty"),
        (b"just some text, not a photo", "not_an_image"),
        (JPEG[: len(JPEG) * 6 // 10], "corrupt"),
    ],
)
def test_a_refused_upload_leaves_no_file_and_no_row(ctx, tmp_path, data, code):
    with pytest.raises(ImageRejected) as refused, transaction():
        services.add_image(Upload(data, "x.jpg"), owner_id=None, field="photos")

    assert refused.value.code == code
    assert refused.value.field == "photos"
    assert image_count() == 0
    assert upload_files(tmp_path) == []


def test_the_configured_limits_are_used(app, ctx, tmp_path):
    app.config["SHOP_MAX_IMAGE_PIXELS"] = 10_000
    app.config["SHOP_MAX_IMAGE_BYTES"] = 1_000_000

    with pytest.raises(ImageRejected) as too_many_pixels, transaction():
        services.add_image(Upload(make_jpeg(101, 100), "a.jpg"), owner_id=None)
    with pytest.raises(ImageRejected) as too_large, transaction():
        services.add_image(Upload(b"\xff" * 1_000_001, "a.jpg"), owner_id=None)

    assert too_many_pixels.value.code == "too_many_pixels"
    assert too_large.value.code == "too_large"
    assert upload_files(tmp_path) == []


def test_the_configured_widths_are_used(app, ctx, tmp_path):
    app.config["SHOP_IMAGE_WIDTHS"] = (200, 400)

    with transaction():
        image = services.add_image(Upload(make_jpeg(1000, 500), "a.jpg"), owner_id=None)

    assert image.widths == [200, 400]
    assert upload_files(tmp_path) == expected_files(tmp_path, image.key, [200, 400])


def test_a_disk_error_midway_removes_the_files_already_written(ctx, tmp_path, monkeypatch):
    # Given a disk that fills up on the second rendition
    real_save = LocalImageStore.save
    calls = []

    def failing_save(self, key, width, data):
        calls.append(width)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real_save(self, key, width, data)

    monkeypatch.setattr(LocalImageStore, "save", failing_save)

    # When an image is added, the error reaches the caller
    with pytest.raises(OSError, match="No space left"), transaction():
        services.add_image(Upload(make_jpeg(2000, 1000), "a.jpg"), owner_id=None)

    # Then neither the first rendition nor a row is left
    assert calls == [320, 800]
    assert upload_files(tmp_path) == []
    assert image_count() == 0


def test_delete_image_removes_the_files_once_the_deletion_commits(ctx, tmp_path):
    with transaction():
        image = services.add_image(Upload(make_jpeg(1000, 500), "a.jpg"), owner_id=None)
        other = services.add_image(Upload(make_jpeg(100, 100), "b.jpg"), owner_id=None)

    with transaction():
        services.delete_image(image)
        # Not yet: the deletion may still roll back
        assert len(upload_files(tmp_path)) == 4

    assert image_count() == 1
    assert upload_files(tmp_path) == expected_files(tmp_path, other.key, [100])


def test_a_deletion_that_rolls_back_keeps_the_files(ctx, tmp_path):
    with transaction():
        image = services.add_image(Upload(make_jpeg(1000, 500), "a.jpg"), owner_id=None)

    with pytest.raises(RuntimeError), transaction():
        services.delete_image(db.session.get(Image, image.id))
        raise RuntimeError("the rest of the operation failed")

    assert image_count() == 1
    assert upload_files(tmp_path) == expected_files(tmp_path, image.key, [320, 800, 1000])


def test_the_store_refuses_a_key_that_is_not_server_made(tmp_path):
    store = LocalImageStore(tmp_path)

    for key in ("../../etc/passwd", "ABCDEF0123456789ABCDEF0123456789", "a" * 31, "عکس"):
        with pytest.raises(ValueError, match="bad image key"):
            store.save(key, 320, b"x")
    assert list(tmp_path.iterdir()) == []


def test_the_store_writes_atomically_without_leftovers(tmp_path):
    store = LocalImageStore(tmp_path)
    key = "0123456789abcdef0123456789abcdef"

    path = store.save(key, 320, b"first")
    store.save(key, 320, b"second")

    assert path == tmp_path / "01" / f"{key}-320.webp"
    assert path.read_bytes() == b"second"
    assert sorted(p.name for p in (tmp_path / "01").iterdir()) == [f"{key}-320.webp"]
    assert store.exists(key, 320)
    assert not store.exists(key, 800)


@pytest.mark.parametrize(
    ("wanted", "width"),
    [(100, 320), (320, 320), (321, 800), (800, 800), (1200, 1600), (4000, 1600)],
)
def test_best_width_is_the_smallest_rendition_wide_enough(wanted, width):
    image = Image(key="0" * 32, width=2000, height=1000, renditions="320,800,1600")

    assert image.best_width(wanted) == width
