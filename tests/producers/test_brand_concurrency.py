"""Brand updates sent at the same moment take turns: each replaces the logo the one before saved.

Six real requests, each in its own thread with its own app context and database session (the
test client gives every request both), upload a new logo at once. Run on SQLite and, with
``SHOP_TEST_DATABASE_URL``, on PostgreSQL.
"""

from __future__ import annotations

import io
import threading

from PIL import Image as PILImage
from sqlalchemy import select

from shop.database import transaction
from shop.extensions import db
from shop.media.models import Image
from shop.media.uploads import Upload
from shop.producers import services
from shop.producers.models import Producer
from tests.conftest import login, make_jpeg, upload_files

REQUESTS = 6


def brand_form(logo: bytes, name: str) -> dict:
    return {
        "shop_name": "کارگاه گلیم مریم",
        "tagline": "گلیم‌های رنگ گیاهی",
        "story": "",
        "color_primary": "#7a3e2b",
        "color_secondary": "#f4e1c1",
        "logo": (io.BytesIO(logo), name),
    }


def test_six_logo_uploads_at_once_leave_only_the_last_logo(app, factory, tmp_path):
    # Given a shop with a logo, and six signed-in browsers of its owner
    producer = factory.producer()
    with transaction():
        services.update_brand(
            producer,
            services.Brand(
                shop_name="کارگاه گلیم مریم",
                tagline="",
                story="",
                color_primary="#7a3e2b",
                color_secondary="#f4e1c1",
                logo=Upload(make_jpeg(400, 400), "first-logo.jpg"),
            ),
        )
    db.session.expire_all()
    producer = db.session.get(Producer, producer.id)
    first_logo_id, email = producer.logo_id, producer.user.email
    clients = [app.test_client() for _ in range(REQUESTS)]
    for client in clients:
        assert login(client, email).status_code == 303
    logos = [make_jpeg(600, 600, colour=(40 * n, 90, 160)) for n in range(REQUESTS)]
    start = threading.Barrier(REQUESTS)
    outcomes: list[object] = [None] * REQUESTS

    def upload(n: int) -> None:
        try:
            start.wait(timeout=30)
            response = clients[n].post(
                "/producer/brand",
                data=brand_form(logos[n], f"logo-{n}.jpg"),
                content_type="multipart/form-data",
            )
            outcomes[n] = response.status_code
        except BaseException as exc:  # a 500 raises here (errors propagate in tests)
            outcomes[n] = f"{type(exc).__name__}: {exc}"

    # When all six send a new logo at the same moment
    threads = [threading.Thread(target=upload, args=(n,)) for n in range(REQUESTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    # Then every request succeeded, and one logo is left: its row the only image row, its
    # renditions the only files (no row or file that nothing refers to)
    db.session.expire_all()
    producer = db.session.get(Producer, producer.id)
    logo = producer.logo
    folder = tmp_path / "uploads" / logo.key[:2]
    logo_files = [folder / f"{logo.key}-{width}.webp" for width in (320, 600)]
    assert {
        "failed requests": [outcome for outcome in outcomes if outcome != 303],
        "other image rows": [i for i in db.session.scalars(select(Image.id)) if i != logo.id],
        "other files": [path for path in upload_files(tmp_path) if path not in logo_files],
    } == {"failed requests": [], "other image rows": [], "other files": []}
    assert upload_files(tmp_path) == logo_files
    # …the last one saved (ids are taken in turn, under the lock)
    assert logo.id == first_logo_id + REQUESTS
    assert logo.original_name in {f"logo-{n}.jpg" for n in range(REQUESTS)}
    # The picture shown is the one that request sent
    sent = logos[int(logo.original_name.removeprefix("logo-").removesuffix(".jpg"))]
    with (
        PILImage.open(io.BytesIO(sent)) as expected,
        PILImage.open(folder / f"{logo.key}-600.webp") as stored,
    ):
        centre = (300, 300)
        assert all(
            abs(a - b) <= 8
            for a, b in zip(
                expected.convert("RGB").getpixel(centre),
                stored.convert("RGB").getpixel(centre),
                strict=True,
            )
        )
