"""Producers manage their own listings through the pages; nobody else's."""

import io

import pytest
from sqlalchemy import func, select

from shop.extensions import db
from shop.listings.models import Product, ProductPhoto, ProductStatus, RevisionPhoto
from shop.media.models import Image
from tests.conftest import form_errors, make_jpeg, reject_listing, upload_files


def _listing_form(factory, **overrides):
    data = {
        "title": "گلیم دستباف قشقایی",
        "category_id": str(factory.category("kilim").id),
        "description": "**دستباف** با پشم طبیعی",
        "description_format": "markdown",
        "price": "۲٬۵۰۰٬۰۰۰",
        "stock_quantity": "۲",
        "materials": "پشم",
        "dimensions": "۱۰۰ × ۱۵۰",
        "weight_grams": "1200",
    }
    data.update(overrides)
    return data


def _snapshot(product_id):
    db.session.expire_all()
    product = db.session.get(Product, product_id)
    return (
        product.title,
        product.price,
        product.status,
        product.stock_quantity,
        product.producer_id,
        [p.image_id for p in product.photos],
    )


@pytest.fixture
def producer_a(factory):
    return factory.producer(shop_name="کارگاه الف")


@pytest.fixture
def producer_b(factory):
    return factory.producer(shop_name="کارگاه ب")


def test_create_listing_with_photo_goes_to_moderation(
    client, factory, producer_a, login_as, tmp_path
):
    login_as(producer_a.user)
    data = _listing_form(factory)
    data["photos"] = [(io.BytesIO(make_jpeg(1800, 1200)), "عکس گلیم.jpg")]

    response = client.post("/producer/listings/new", data=data, content_type="multipart/form-data")

    assert response.status_code == 303, form_errors(response.text)
    product = db.session.scalar(select(Product))
    assert product.producer_id == producer_a.id
    assert product.price == 25_000_000  # 2,500,000 toman in rials
    assert product.stock_quantity == 2
    assert product.status is ProductStatus.PENDING
    assert "<strong>دستباف</strong>" in product.description_html
    assert product.photos == []  # shown only once approved
    [photo] = product.open_revision.photos
    assert photo.image.original_name == "عکس گلیم.jpg"
    assert len(upload_files(tmp_path)) == 3  # three WebP widths
    assert client.get(f"/products/{product.id}").status_code == 404  # not public before review


def test_made_to_order_needs_lead_time(client, factory, producer_a, login_as):
    login_as(producer_a.user)

    response = client.post(
        "/producer/listings/new",
        data=_listing_form(factory, is_made_to_order="y", stock_quantity="", lead_time_days=""),
    )

    assert response.status_code == 400
    assert 'id="lead_time_days-error"' in response.text
    assert db.session.scalar(select(func.count(Product.id))) == 0


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("price", "abc"),
        ("price", "-5"),
        ("price", "0"),
        ("title", ""),
        ("category_id", "9999"),
        ("stock_quantity", "-1"),
        ("lead_time_days", "1000"),
        ("description_format", "html"),
    ],
)
def test_bad_listing_input_is_refused_next_to_the_field(
    client, factory, producer_a, login_as, field, value
):
    login_as(producer_a.user)

    response = client.post("/producer/listings/new", data=_listing_form(factory, **{field: value}))

    assert response.status_code == 400
    assert f'id="{field}-error"' in response.text
    assert db.session.scalar(select(func.count(Product.id))) == 0


def test_tampered_hidden_fields_are_ignored(client, factory, producer_a, producer_b, login_as):
    login_as(producer_a.user)
    data = _listing_form(factory, producer_id=str(producer_b.id), status="active", price="1000")

    client.post("/producer/listings/new", data=data)

    product = db.session.scalar(select(Product))
    assert product.producer_id == producer_a.id
    assert product.status is ProductStatus.PENDING
    assert product.price == 10_000


def test_editing_a_listing_on_sale_keeps_it_on_sale(client, factory, producer_a, login_as):
    # Given a leather bag on sale
    product = factory.listing(producer_a, title="کیف چرمی")
    login_as(producer_a.user)

    # When its producer changes the price and the title
    response = client.post(
        f"/producer/listings/{product.id}/edit",
        data=_listing_form(factory, title="کیف چرمی دست‌دوز", price="800000"),
    )

    # Then the new price is on sale at once, the page still answers, with the approved title
    assert response.status_code == 303
    db.session.expire_all()
    assert product.status is ProductStatus.ACTIVE
    assert product.price == 8_000_000
    page = client.get(f"/products/{product.id}")
    assert page.status_code == 200
    assert "کیف چرمی" in page.text and "کیف چرمی دست‌دوز" not in page.text
    assert "۸۰۰٬۰۰۰ تومان" in page.text
    # …and the new title waits for review, which the producer can preview
    assert product.open_revision.title == "کیف چرمی دست‌دوز"
    edit_page = client.get(f"/producer/listings/{product.id}/edit").text
    assert "کیف چرمی دست‌دوز" in edit_page  # the form shows what they proposed
    preview = client.get(f"/producer/listings/{product.id}/preview")
    assert preview.status_code == 200 and "کیف چرمی دست‌دوز" in preview.text
    assert 'name="robots" content="noindex"' in preview.text


def test_only_the_price_changed_opens_no_review(client, factory, producer_a, login_as):
    product = factory.listing(producer_a, title="کیف چرمی", price=1_000_000)
    login_as(producer_a.user)
    form = _listing_form(factory, price="90000")
    for name in ("title", "description", "description_format", "materials", "dimensions"):
        value = getattr(product, name)
        form[name] = value.value if hasattr(value, "value") else value
    form["weight_grams"] = str(product.weight_grams or "")

    response = client.post(f"/producer/listings/{product.id}/edit", data=form)

    assert response.status_code == 303
    db.session.expire_all()
    assert product.price == 900_000 and product.open_revision is None
    assert client.get(f"/producer/listings/{product.id}/preview").status_code == 303


def test_discarding_changes_from_the_edit_page(client, factory, producer_a, login_as):
    product = factory.listing(producer_a, title="کیف چرمی")
    login_as(producer_a.user)
    client.post(
        f"/producer/listings/{product.id}/edit", data=_listing_form(factory, title="عنوان نو")
    )

    response = client.post(f"/producer/listings/{product.id}/discard")

    assert response.status_code == 303
    db.session.expire_all()
    assert product.open_revision is None and product.title == "کیف چرمی"


def test_pause_resume_delete(client, factory, producer_a, login_as):
    product = factory.listing(producer_a)
    login_as(producer_a.user)

    client.post(f"/producer/listings/{product.id}/pause")
    db.session.expire_all()
    assert product.status is ProductStatus.PAUSED
    assert client.get(f"/products/{product.id}").status_code == 404

    client.post(f"/producer/listings/{product.id}/resume")
    db.session.expire_all()
    assert product.status is ProductStatus.ACTIVE
    assert client.get(f"/products/{product.id}").status_code == 200

    client.post(f"/producer/listings/{product.id}/delete")
    db.session.expire_all()
    assert product.status is ProductStatus.DELETED
    assert client.get(f"/products/{product.id}").status_code == 404
    assert client.get(f"/producer/listings/{product.id}/edit").status_code == 404


def test_rejected_listing_shows_reason_to_its_producer(client, factory, producer_a, login_as):
    product = factory.listing(producer_a, active=False)
    reject_listing(product, "عکس محصول واضح نیست")
    login_as(producer_a.user)

    assert "عکس محصول واضح نیست" in client.get("/producer/").text
    assert "عکس محصول واضح نیست" in client.get(f"/producer/listings/{product.id}/edit").text


def _matrix_requests(product, photo):
    return [
        ("get", f"/producer/listings/{product.id}/edit", None),
        ("post", f"/producer/listings/{product.id}/edit", "form"),
        ("post", f"/producer/listings/{product.id}/pause", {}),
        ("post", f"/producer/listings/{product.id}/resume", {}),
        ("post", f"/producer/listings/{product.id}/delete", {}),
        ("post", f"/producer/listings/{product.id}/photos", "photo"),
        ("post", f"/producer/listings/{product.id}/photos/{photo.image_id}/delete", {}),
        (
            "post",
            f"/producer/listings/{product.id}/photos/{photo.image_id}/move",
            {"direction": "later"},
        ),
        ("get", f"/producer/listings/{product.id}/preview", None),
        ("post", f"/producer/listings/{product.id}/discard", {}),
    ]


@pytest.mark.parametrize("index", range(10))
def test_producer_b_cannot_touch_producer_a_listing(
    client, factory, producer_a, producer_b, login_as, tmp_path, index
):
    product = factory.listing(producer_a, photos=2)
    photo = product.photos[0]
    before = _snapshot(product.id)
    files_before = upload_files(tmp_path)
    login_as(producer_b.user)
    method, url, data = _matrix_requests(product, photo)[index]
    if data == "form":
        data = _listing_form(factory, title="hacked")
    elif data == "photo":
        data = {"photos": [(io.BytesIO(make_jpeg()), "x.jpg")]}

    response = (
        client.get(url)
        if method == "get"
        else client.post(
            url, data=data, content_type="multipart/form-data" if "photos" in (data or {}) else None
        )
    )

    assert response.status_code == 404
    assert _snapshot(product.id) == before
    assert upload_files(tmp_path) == files_before


def test_unapproved_producer_cannot_create_listings(client, factory, login_as):
    producer = factory.producer(approved=False)
    login_as(producer.user)

    response = client.post("/producer/listings/new", data=_listing_form(factory))

    assert response.status_code == 302
    assert db.session.scalar(select(func.count(Product.id))) == 0


def test_buyer_cannot_reach_producer_pages(client, factory, login_as):
    login_as(factory.user())

    assert client.get("/producer/listings/new").status_code == 302
    assert client.get("/producer/brand").status_code == 302


@pytest.mark.parametrize(
    ("payload", "name"),
    [
        (b"this is not a picture at all", "notes.jpg"),
        (make_jpeg()[: len(make_jpeg()) // 2], "half.jpg"),
    ],
)
def test_bad_photo_leaves_no_listing_no_file(
    client, factory, producer_a, login_as, tmp_path, payload, name
):
    login_as(producer_a.user)
    data = _listing_form(factory)
    data["photos"] = [(io.BytesIO(make_jpeg()), "good.jpg"), (io.BytesIO(payload), name)]

    response = client.post("/producer/listings/new", data=data, content_type="multipart/form-data")

    assert response.status_code == 400
    assert 'id="photos-error"' in response.text
    assert db.session.scalar(select(func.count(Product.id))) == 0
    assert db.session.scalar(select(func.count(Image.id))) == 0
    assert upload_files(tmp_path) == []


def test_oversized_photo_is_refused(app, client, factory, producer_a, login_as, tmp_path):
    app.config["SHOP_MAX_IMAGE_BYTES"] = 50_000
    login_as(producer_a.user)
    data = _listing_form(factory)
    big = make_jpeg(2000, 2000, colour=(10, 20, 30))
    noisy = big + b"\0" * 60_000
    data["photos"] = [(io.BytesIO(noisy), "big.jpg")]

    response = client.post("/producer/listings/new", data=data, content_type="multipart/form-data")

    assert response.status_code == 400
    assert db.session.scalar(select(func.count(Product.id))) == 0
    assert upload_files(tmp_path) == []


def test_request_over_the_size_limit_gets_413(app, client, factory, producer_a, login_as, tmp_path):
    app.config["MAX_CONTENT_LENGTH"] = 100_000
    login_as(producer_a.user)
    data = _listing_form(factory)
    data["photos"] = [(io.BytesIO(b"\xff" * 200_000), "huge.jpg")]

    response = client.post("/producer/listings/new", data=data, content_type="multipart/form-data")

    assert response.status_code == 413
    assert db.session.scalar(select(func.count(Product.id))) == 0


def test_ninth_photo_is_refused(client, factory, producer_a, login_as, tmp_path):
    product = factory.listing(producer_a, photos=8)
    files_before = upload_files(tmp_path)
    login_as(producer_a.user)

    response = client.post(
        f"/producer/listings/{product.id}/photos",
        data={"photos": [(io.BytesIO(make_jpeg()), "nine.jpg")]},
        content_type="multipart/form-data",
    )

    assert response.status_code == 400
    assert 'id="photos-error"' in response.text
    assert db.session.scalar(select(func.count(ProductPhoto.id))) == 8
    assert db.session.scalar(select(func.count(RevisionPhoto.id))) == 0
    assert upload_files(tmp_path) == files_before


def test_photos_of_a_deleted_listing_are_no_longer_served(client, factory, producer_a, login_as):
    product = factory.listing(producer_a, photos=2)
    keys = [photo.image.key for photo in product.photos]
    login_as(producer_a.user)
    for key in keys:
        client.get(f"/media/{key}-320.webp").close()

    client.post(f"/producer/listings/{product.id}/delete")

    for key in keys:
        assert client.get(f"/media/{key}-320.webp").status_code == 404


def test_a_refused_action_on_a_listing_is_a_409_and_changes_nothing(
    client, factory, producer_a, login_as
):
    product = factory.listing(producer_a)
    login_as(producer_a.user)

    response = client.post(f"/producer/listings/{product.id}/resume")  # it is not paused

    assert response.status_code == 409
    assert "producers" not in response.headers.get("Location", "")
    db.session.expire_all()
    assert product.status is ProductStatus.ACTIVE


def test_photos_are_served_as_webp_with_nosniff(client, factory, producer_a):
    product = factory.listing(producer_a)
    image = product.photos[0].image

    response = client.get(f"/media/{image.key}-320.webp")

    assert response.status_code == 200
    assert response.mimetype == "image/webp"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.data[:4] == b"RIFF"
    response.close()
    assert client.get("/media/../../etc/passwd-320.webp").status_code == 404
    assert client.get(f"/media/{image.key}-321.webp").status_code == 404
