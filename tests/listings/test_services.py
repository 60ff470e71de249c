"""shop/catalog/services.py: listings, their photos and moderation."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError

from shop.database import transaction
from shop.errors import IllegalTransition, NotAllowed, NotFound
from shop.extensions import db
from shop.listings import services
from shop.listings.models import MAX_PHOTOS, DescriptionFormat, Product, ProductPhoto, ProductStatus
from shop.media.images import ImageRejected
from shop.media.models import Image
from shop.media.uploads import Upload
from shop.producers.models import ProducerStatus
from tests.conftest import assert_session_clean, count, make_jpeg, reload, upload_files

#: make_jpeg() is 640×480, so each photo is written at widths 320 and 640.
FILES_PER_PHOTO = 2


def snapshot(product: Product) -> dict:
    product = reload(product)
    return {
        "title": product.title,
        "description": product.description,
        "price": product.price,
        "stock_quantity": product.stock_quantity,
        "status": product.status,
        "rejection_reason": product.rejection_reason,
        "published_at": product.published_at,
        "photos": [(p.id, p.position, p.image.key) for p in product.photos],
    }


def photo_keys(product: Product) -> list[str]:
    return [photo.image.key for photo in reload(product).photos]


def listing_data(factory, **changes) -> services.ListingData:
    values = {
        "title": "  گلیم دستباف قشقایی  ",
        "description": "  پشم طبیعی، رنگ گیاهی  ",
        "description_format": DescriptionFormat.PLAIN,
        "category_id": factory.category("kilim").id,
        "price": 1_200_000,
        "is_made_to_order": False,
        "stock_quantity": 3,
        "lead_time_days": None,
        "materials": " پشم ",
        "dimensions": " ۱۲۰×۸۰ ",
        "weight_grams": 1500,
    }
    values.update(changes)
    return services.ListingData(**values)


def uploads(count, prefix="p"):
    return [Upload(make_jpeg(), f"{prefix}{n}.jpg") for n in range(count)]


@pytest.fixture
def producer(factory):
    return factory.producer()


@pytest.fixture
def other_producer(factory):
    return factory.producer()


# --- create_listing ---------------------------------------------------------------------------


def test_create_listing_waits_for_review_with_ordered_photos(factory, producer, tmp_path):
    # When an approved producer creates a listing with three photos
    with transaction():
        product = services.create_listing(producer, listing_data(factory), uploads(3))

    # Then it is pending, its fields are cleaned and its photos keep their order
    product = reload(product)
    assert product.status is ProductStatus.PENDING
    assert product.producer_id == producer.id
    assert product.title == "گلیم دستباف قشقایی"
    assert product.description == "پشم طبیعی، رنگ گیاهی"
    assert product.description_html == "<p>پشم طبیعی، رنگ گیاهی</p>"
    assert product.price == 1_200_000
    assert product.stock_quantity == 3
    assert product.lead_time_days is None
    assert product.materials == "پشم"
    assert product.dimensions == "۱۲۰×۸۰"
    assert product.weight_grams == 1500
    assert product.published_at is None
    assert product.rejection_reason == ""
    assert [p.position for p in product.photos] == [0, 1, 2]
    assert [p.image.original_name for p in product.photos] == ["p0.jpg", "p1.jpg", "p2.jpg"]
    assert all(p.image.owner_id == producer.user_id for p in product.photos)
    assert product.cover is product.photos[0].image
    assert len(upload_files(tmp_path)) == 3 * FILES_PER_PHOTO


def test_a_made_to_order_listing_has_no_stock_but_a_lead_time(factory, producer):
    data = listing_data(factory, is_made_to_order=True, stock_quantity=5, lead_time_days=14)

    with transaction():
        product = services.create_listing(producer, data, uploads(1))
    product = reload(product)

    assert (product.is_made_to_order, product.stock_quantity, product.lead_time_days) == (
        True,
        0,
        14,
    )
    assert product.in_stock


def test_a_listing_from_stock_ignores_a_lead_time(factory, producer):
    data = listing_data(factory, stock_quantity=0, lead_time_days=14)

    with transaction():
        product = services.create_listing(producer, data, uploads(1))
    product = reload(product)

    assert (product.stock_quantity, product.lead_time_days) == (0, None)
    assert not product.in_stock


def test_a_markdown_description_is_sanitised(factory, producer):
    data = listing_data(
        factory,
        description="**دستباف** <script>alert(1)</script> [x](javascript:alert(1))",
        description_format=DescriptionFormat.MARKDOWN,
    )

    with transaction():
        product = services.create_listing(producer, data, uploads(1))
    product = reload(product)

    assert product.description_format is DescriptionFormat.MARKDOWN
    assert product.description_html == (
        '<p><strong>دستباف</strong>  <a rel="nofollow noopener noreferrer">x</a></p>'
    )


def test_a_producer_not_yet_approved_cannot_create_a_listing(factory, tmp_path):
    applicant = factory.producer(approved=False)

    with pytest.raises(NotAllowed), transaction():
        services.create_listing(applicant, listing_data(factory), uploads(1))

    assert_session_clean()
    assert count(Product) == 0
    assert upload_files(tmp_path) == []


def test_an_unknown_category_is_refused(factory, producer, tmp_path):
    with pytest.raises(services.UnknownCategory) as refused, transaction():
        services.create_listing(producer, listing_data(factory, category_id=9999), uploads(1))

    assert refused.value.field == "category_id"
    db.session.rollback()
    assert count(Product) == 0
    assert count(Image) == 0
    assert upload_files(tmp_path) == []


def test_an_invalid_photo_among_valid_ones_leaves_no_listing_and_no_file(
    factory, producer, tmp_path
):
    # Given two good photos and, between them, a text file called .jpg
    photos = [
        Upload(make_jpeg(), "good1.jpg"),
        Upload(b"not a picture at all", "fake.jpg"),
        Upload(make_jpeg(), "good2.jpg"),
    ]

    # When the listing is created
    with pytest.raises(ImageRejected) as refused, transaction():
        services.create_listing(producer, listing_data(factory), photos)

    # Then nothing of it remains: no listing, no image, no file of the first photo
    assert refused.value.code == "not_an_image"
    assert_session_clean()
    assert count(Product) == 0
    assert count(ProductPhoto) == 0
    assert count(Image) == 0
    assert upload_files(tmp_path) == []


def test_more_than_eight_photos_are_refused_before_any_is_written(factory, producer, tmp_path):
    with pytest.raises(services.TooManyPhotos) as refused, transaction():
        services.create_listing(producer, listing_data(factory), uploads(MAX_PHOTOS + 1))

    assert refused.value.field == "photos"
    assert_session_clean()
    assert count(Product) == 0
    assert count(Image) == 0
    assert upload_files(tmp_path) == []


def test_exactly_eight_photos_are_accepted(factory, producer, tmp_path):
    with transaction():
        product = services.create_listing(producer, listing_data(factory), uploads(MAX_PHOTOS))

    assert len(reload(product).photos) == MAX_PHOTOS
    assert len(upload_files(tmp_path)) == MAX_PHOTOS * FILES_PER_PHOTO


def test_a_failed_commit_removes_the_photos_files(factory, producer, tmp_path):
    # price > 0 is a CHECK constraint: the database refuses the row at commit
    with pytest.raises(IntegrityError), transaction():
        services.create_listing(producer, listing_data(factory, price=0), uploads(2))

    assert count(Product) == 0
    assert count(Image) == 0
    assert upload_files(tmp_path) == []


# --- moderation -------------------------------------------------------------------------------


def test_approve_makes_a_pending_listing_active(factory, producer):
    product = factory.listing(producer, active=False)

    with transaction():
        services.approve_listing(product)

    product = reload(product)
    assert product.status is ProductStatus.ACTIVE
    assert product.published_at is not None


def test_reject_records_the_reason(factory, producer):
    product = factory.listing(producer, active=False)

    with transaction():
        services.reject_listing(product, "  عکس‌ها تار است  ")

    product = reload(product)
    assert product.status is ProductStatus.REJECTED
    assert product.rejection_reason == "عکس‌ها تار است"
    assert product.published_at is None


@pytest.mark.parametrize(
    ("setup", "action"),
    [
        ("active", lambda p: services.approve_listing(p)),
        ("active", lambda p: services.reject_listing(p, "دیر")),
        ("rejected", lambda p: services.approve_listing(p)),
        ("rejected", lambda p: services.reject_listing(p, "دوباره")),
        ("paused", lambda p: services.reject_listing(p, "نه")),
    ],
    ids=["approve-active", "reject-active", "approve-rejected", "reject-rejected", "reject-paused"],
)
def test_illegal_moderation_changes_nothing(factory, producer, setup, action):
    product = factory.listing(producer, active=setup != "rejected")
    if setup == "rejected":
        with transaction():
            services.reject_listing(product, "اول")
    if setup == "paused":
        with transaction():
            services.pause_listing(producer, product)
    before = snapshot(product)

    with pytest.raises(IllegalTransition):
        action(product)

    assert_session_clean()
    assert snapshot(product) == before


def test_a_rejected_listing_edited_goes_back_to_review(factory, producer):
    product = factory.listing(producer, active=False)
    with transaction():
        services.reject_listing(product, "قیمت نامعلوم")

    with transaction():
        services.update_listing(producer, product, listing_data(factory, price=900_000))

    product = reload(product)
    assert product.status is ProductStatus.PENDING
    assert product.rejection_reason == ""
    assert product.price == 900_000


# --- editing, pausing, deleting ---------------------------------------------------------------


def test_editing_an_active_listing_sends_it_back_to_review(factory, producer):
    product = factory.listing(producer)
    published_at = reload(product).published_at

    with transaction():
        services.update_listing(
            producer,
            product,
            listing_data(factory, title="گلیم نو", category_id=factory.category("leather").id),
        )

    product = reload(product)
    assert product.status is ProductStatus.PENDING
    assert product.title == "گلیم نو"
    assert product.category.slug == "leather"
    # Approval again keeps the first publication date.
    with transaction():
        services.approve_listing(product)
    assert reload(product).published_at == published_at


def test_editing_with_an_unknown_category_changes_nothing(factory, producer):
    product = factory.listing(producer)
    before = snapshot(product)

    with pytest.raises(services.UnknownCategory), transaction():
        services.update_listing(
            producer, product, listing_data(factory, title="نو", category_id=9999)
        )

    assert snapshot(product) == before


def test_pause_resume_and_delete(factory, producer):
    product = factory.listing(producer)

    with transaction():
        services.pause_listing(producer, product)
    assert reload(product).status is ProductStatus.PAUSED

    with transaction():
        services.resume_listing(producer, product)
    assert reload(product).status is ProductStatus.ACTIVE

    with transaction():
        services.delete_listing(producer, product)
    assert reload(product).status is ProductStatus.DELETED
    assert count(Product) == 1  # kept, so past orders still point at it


@pytest.mark.parametrize(
    "action",
    [
        pytest.param(lambda producer, p: services.pause_listing(producer, p), id="pause-pending"),
        pytest.param(lambda producer, p: services.resume_listing(producer, p), id="resume-pending"),
    ],
)
def test_a_pending_listing_cannot_be_paused_or_resumed(factory, producer, action):
    product = factory.listing(producer, active=False)
    before = snapshot(product)

    with pytest.raises(IllegalTransition):
        action(producer, product)

    assert_session_clean()
    assert snapshot(product) == before


def test_an_active_listing_cannot_be_resumed(factory, producer):
    product = factory.listing(producer)
    before = snapshot(product)

    with pytest.raises(IllegalTransition), transaction():
        services.resume_listing(producer, product)

    assert snapshot(product) == before


def test_a_deleted_listing_cannot_be_touched_again(factory, producer, tmp_path):
    product = factory.listing(producer, photos=2)
    with transaction():
        services.delete_listing(producer, product)
    before = snapshot(product)
    files = upload_files(tmp_path)
    photo_id = before["photos"][0][0]

    for action in (
        lambda: services.update_listing(producer, product, listing_data(factory)),
        lambda: services.resume_listing(producer, product),
        lambda: services.pause_listing(producer, product),
        lambda: services.delete_listing(producer, product),
        lambda: services.add_photos(producer, product, uploads(1)),
        lambda: services.remove_photo(producer, product, photo_id),
        lambda: services.move_photo(producer, product, photo_id, 1),
    ):
        with pytest.raises(NotAllowed):
            action()
        assert_session_clean()

    assert snapshot(product) == before
    assert upload_files(tmp_path) == files


# --- someone else's listing -------------------------------------------------------------------


@pytest.mark.parametrize(
    "action",
    [
        lambda f, other, p, photo_id: services.update_listing(other, p, listing_data(f, title="x")),
        lambda f, other, p, photo_id: services.pause_listing(other, p),
        lambda f, other, p, photo_id: services.delete_listing(other, p),
        lambda f, other, p, photo_id: services.add_photos(other, p, uploads(1)),
        lambda f, other, p, photo_id: services.remove_photo(other, p, photo_id),
        lambda f, other, p, photo_id: services.move_photo(other, p, photo_id, 1),
    ],
    ids=["update", "pause", "delete", "add_photos", "remove_photo", "move_photo"],
)
def test_another_producer_cannot_change_a_listing(
    factory, producer, other_producer, tmp_path, action
):
    # Given an active listing with two photos that belongs to someone else
    product = factory.listing(producer, photos=2)
    before = snapshot(product)
    files = upload_files(tmp_path)

    # When another approved producer tries to change it
    with pytest.raises(NotAllowed):
        action(factory, other_producer, product, before["photos"][0][0])

    # Then nothing changed: not the row, not its photos, not the files
    assert_session_clean()
    assert snapshot(product) == before
    assert upload_files(tmp_path) == files
    assert count(Image) == 2


def test_a_suspended_producer_cannot_change_their_own_listing(factory, producer):
    product = factory.listing(producer)
    producer.status = ProducerStatus.SUSPENDED
    db.session.commit()
    before = snapshot(product)

    with pytest.raises(NotAllowed), transaction():
        services.pause_listing(producer, product)

    assert snapshot(product) == before


# --- photos -----------------------------------------------------------------------------------


def test_add_photos_appends_and_sends_an_active_listing_to_review(factory, producer, tmp_path):
    product = factory.listing(producer, photos=2)

    with transaction():
        images = services.add_photos(producer, product, uploads(2, prefix="new"))

    product = reload(product)
    assert product.status is ProductStatus.PENDING
    assert [p.position for p in product.photos] == [0, 1, 2, 3]
    assert [p.image.original_name for p in product.photos] == [
        "p0.jpg",
        "p1.jpg",
        "new0.jpg",
        "new1.jpg",
    ]
    assert [p.image.key for p in product.photos[2:]] == [image.key for image in images]
    assert len(upload_files(tmp_path)) == 4 * FILES_PER_PHOTO


def test_add_photos_beyond_eight_changes_nothing(factory, producer, tmp_path):
    product = factory.listing(producer, photos=7)
    before = snapshot(product)
    files = upload_files(tmp_path)

    with pytest.raises(services.TooManyPhotos), transaction():
        services.add_photos(producer, product, uploads(2))

    assert_session_clean()
    assert snapshot(product) == before
    assert before["status"] is ProductStatus.ACTIVE
    assert count(Image) == 7
    assert upload_files(tmp_path) == files


def test_add_photos_with_a_bad_one_changes_nothing(factory, producer, tmp_path):
    product = factory.listing(producer, photos=1)
    before = snapshot(product)
    files = upload_files(tmp_path)
    truncated = make_jpeg()[:2000]

    with pytest.raises(ImageRejected) as refused, transaction():
        services.add_photos(
            producer,
            product,
            [Upload(make_jpeg(), "ok.jpg"), Upload(truncated, "bad.jpg")],
        )

    assert refused.value.code == "corrupt"
    assert_session_clean()
    assert snapshot(product) == before
    assert count(Image) == 1
    assert upload_files(tmp_path) == files


def test_remove_photo_deletes_its_files_and_renumbers(factory, producer, tmp_path):
    product = factory.listing(producer, photos=3)
    keys = photo_keys(product)
    middle = reload(product).photos[1]

    with transaction():
        services.remove_photo(producer, product, middle.id)

    product = reload(product)
    assert [p.image.key for p in product.photos] == [keys[0], keys[2]]
    assert [p.position for p in product.photos] == [0, 1]
    assert count(Image) == 2
    assert count(ProductPhoto) == 2
    remaining = {path.name.split("-")[0] for path in upload_files(tmp_path)}
    assert remaining == {keys[0], keys[2]}
    assert len(upload_files(tmp_path)) == 2 * FILES_PER_PHOTO


def test_remove_photo_of_another_listing_is_refused(factory, producer, tmp_path):
    mine = factory.listing(producer, photos=2)
    theirs = factory.listing(factory.producer(), photos=1)
    their_photo = reload(theirs).photos[0]
    before, files = snapshot(mine), upload_files(tmp_path)

    with pytest.raises(NotFound), transaction():
        services.remove_photo(producer, mine, their_photo.id)

    assert snapshot(mine) == before
    assert len(reload(theirs).photos) == 1
    assert upload_files(tmp_path) == files


def test_move_photo_reorders(factory, producer):
    product = factory.listing(producer, photos=3)
    a, b, c = photo_keys(product)
    photo_b = reload(product).photos[1]

    with transaction():
        services.move_photo(producer, product, photo_b.id, -1)
    assert photo_keys(product) == [b, a, c]
    assert product.cover.key == b

    with transaction():
        services.move_photo(producer, product, photo_b.id, 1)
    assert photo_keys(product) == [a, b, c]

    with transaction():
        services.move_photo(producer, product, photo_b.id, 1)
    assert photo_keys(product) == [a, c, b]
    assert [p.position for p in reload(product).photos] == [0, 1, 2]


def test_moving_past_either_end_changes_nothing(factory, producer):
    product = factory.listing(producer, photos=2)
    first, last = reload(product).photos
    before = snapshot(product)

    with transaction():
        services.move_photo(producer, product, first.id, -1)
    with transaction():
        services.move_photo(producer, product, last.id, 1)

    assert snapshot(product) == before


def test_moving_a_photo_of_another_listing_is_refused(factory, producer):
    mine = factory.listing(producer, photos=2)
    theirs = factory.listing(factory.producer(), photos=2)
    their_photo = reload(theirs).photos[1]
    before_mine, before_theirs = snapshot(mine), snapshot(theirs)

    with pytest.raises(NotFound), transaction():
        services.move_photo(producer, mine, their_photo.id, -1)

    assert snapshot(mine) == before_mine
    assert snapshot(theirs) == before_theirs
