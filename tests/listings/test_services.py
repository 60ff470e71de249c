"""shop/listings/services.py: listings, their photos, and moderation by revision."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from shop.catalog.queries import get_visible_product
from shop.database import transaction
from shop.errors import IllegalTransition, NotAllowed, NotFound
from shop.extensions import db
from shop.listings import services
from shop.listings.models import (
    MAX_PHOTOS,
    DescriptionFormat,
    Product,
    ProductPhoto,
    ProductRevision,
    ProductStatus,
    RevisionPhoto,
    RevisionStatus,
)
from shop.media.images import ImageRejected
from shop.media.models import Image
from shop.media.uploads import Upload
from shop.producers.models import Producer, ProducerStatus
from tests.conftest import (
    PHOTO_SIZE,
    approve_listing,
    assert_session_clean,
    count,
    make_jpeg,
    reject_listing,
    reload,
    upload_files,
)

#: The photos here are as wide as the smallest rendition (320 px): one file each.
FILES_PER_PHOTO = 1


def snapshot(product: Product) -> dict:
    """Everything about a listing that an operation could change, as committed."""
    product = reload(product)
    revisions = [
        (
            r.number,
            r.version,
            r.status,
            r.title,
            r.rejection_reason,
            r.open_product_id,
            [(p.position, p.image.key) for p in r.photos],
        )
        for r in product.revisions
    ]
    return {
        "title": product.title,
        "description": product.description,
        "category_id": product.category_id,
        "price": product.price,
        "stock_quantity": product.stock_quantity,
        "status": product.status,
        "published_at": product.published_at,
        "photos": [(p.position, p.image.key) for p in product.photos],
        "revisions": revisions,
    }


def keys(photos) -> list[str]:
    return [photo.image.key for photo in photos]


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


def data_of(factory, product: Product, **changes) -> services.ListingData:
    """The form as the producer would send it back for ``product`` (words as on sale)."""
    return services.ListingData.of(product, **changes)


def uploads(count, prefix="p"):
    return [Upload(make_jpeg(*PHOTO_SIZE), f"{prefix}{n}.jpg") for n in range(count)]


def edit(producer, product, data):
    with transaction():
        return services.update_listing(producer, product, data)


@pytest.fixture
def producer(factory):
    return factory.producer()


@pytest.fixture
def other_producer(factory):
    return factory.producer()


# --- create_listing ---------------------------------------------------------------------------


def test_create_listing_is_revision_one_waiting_for_review(factory, producer, tmp_path):
    # When an approved producer lists a kilim with three photos
    with transaction():
        product = services.create_listing(producer, listing_data(factory), uploads(3))

    # Then it is not on sale, and revision 1 holds its words and its photos in order
    product = reload(product)
    assert product.status is ProductStatus.PENDING
    assert get_visible_product(product.id) is None
    assert (product.title, product.description, product.materials, product.dimensions) == (
        "گلیم دستباف قشقایی",
        "پشم طبیعی، رنگ گیاهی",
        "پشم",
        "۱۲۰×۸۰",
    )
    assert (product.price, product.stock_quantity, product.producer_id) == (
        1_200_000,
        3,
        producer.id,
    )
    assert product.photos == []  # buyers see photos only once approved
    [revision] = product.revisions
    assert (revision.number, revision.version, revision.status) == (1, 1, RevisionStatus.PENDING)
    assert revision.open_product_id == product.id
    assert revision.title == "گلیم دستباف قشقایی"
    assert [p.image.original_name for p in revision.photos] == ["p0.jpg", "p1.jpg", "p2.jpg"]
    assert [p.position for p in revision.photos] == [0, 1, 2]
    assert all(p.image.owner_id == producer.user_id for p in revision.photos)
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
    with transaction():
        product = services.create_listing(
            producer, listing_data(factory, stock_quantity=0, lead_time_days=14), uploads(1)
        )

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

    revision = reload(product).open_revision
    assert revision.description_format is DescriptionFormat.MARKDOWN
    assert revision.description_html == (
        '<p><strong>دستباف</strong>  <a rel="nofollow noopener noreferrer">x</a></p>'
    )


def test_a_producer_not_yet_approved_cannot_create_a_listing(factory, tmp_path):
    applicant = factory.producer(approved=False)

    with pytest.raises(NotAllowed), transaction():
        services.create_listing(applicant, listing_data(factory), uploads(1))

    assert count(Product) == 0
    assert upload_files(tmp_path) == []


def test_an_unknown_category_is_refused(factory, producer, tmp_path):
    with pytest.raises(services.UnknownCategory) as refused, transaction():
        services.create_listing(producer, listing_data(factory, category_id=9999), uploads(1))

    assert refused.value.field == "category_id"
    assert (count(Product), count(ProductRevision)) == (0, 0)
    assert upload_files(tmp_path) == []


def test_an_invalid_photo_among_valid_ones_leaves_no_listing_and_no_file(
    factory, producer, tmp_path
):
    photos = [
        Upload(make_jpeg(*PHOTO_SIZE), "good1.jpg"),
        Upload(b"not a picture at all", "fake.jpg"),
        Upload(make_jpeg(*PHOTO_SIZE), "good2.jpg"),
    ]

    with pytest.raises(ImageRejected) as refused, transaction():
        services.create_listing(producer, listing_data(factory), photos)

    assert (refused.value.code, refused.value.field) == ("not_an_image", "photos")
    assert (count(Product), count(Image), count(RevisionPhoto)) == (0, 0, 0)
    assert upload_files(tmp_path) == []


def test_more_than_eight_photos_are_refused_before_any_is_written(factory, producer, tmp_path):
    with pytest.raises(services.TooManyPhotos), transaction():
        services.create_listing(producer, listing_data(factory), uploads(MAX_PHOTOS + 1))

    assert (count(Product), count(Image)) == (0, 0)
    assert upload_files(tmp_path) == []


def test_exactly_eight_photos_are_accepted(factory, producer, tmp_path):
    with transaction():
        product = services.create_listing(producer, listing_data(factory), uploads(MAX_PHOTOS))

    assert len(reload(product).open_revision.photos) == MAX_PHOTOS
    assert len(upload_files(tmp_path)) == MAX_PHOTOS * FILES_PER_PHOTO


def test_a_failed_commit_removes_the_photos_files(factory, producer, tmp_path):
    data = listing_data(factory)

    with pytest.raises(IntegrityError), transaction():
        services.create_listing(producer, data, uploads(2))
        db.session.add(Producer(user_id=producer.user_id, shop_name="x", slug="y", city="z"))

    assert (count(Product), count(Image)) == (0, 0)
    assert upload_files(tmp_path) == []


# --- approving and rejecting a revision --------------------------------------------------------


def test_approving_revision_one_puts_the_listing_on_sale_with_its_photos(factory, producer):
    product = factory.listing(producer, photos=2, active=False)
    admin = factory.admin()
    revision = reload(product).open_revision
    proposed = keys(revision.photos)

    with transaction():
        services.approve_revision(product, revision.id, revision.version, admin)

    product = reload(product)
    assert product.status is ProductStatus.ACTIVE
    assert product.published_at is not None
    assert keys(product.photos) == proposed
    assert [p.position for p in product.photos] == [0, 1]
    assert product.open_revision is None
    [approved] = product.revisions
    assert (approved.status, approved.reviewed_by_id) == (RevisionStatus.APPROVED, admin.id)
    assert approved.reviewed_at is not None and approved.open_product_id is None
    assert get_visible_product(product.id).title == "گلیم دستباف"


def test_rejecting_revision_one_records_the_reason(factory, producer):
    product = factory.listing(producer, active=False)
    revision = reload(product).open_revision

    with transaction():
        services.reject_revision(product, revision.id, revision.version, "  عکس‌ها تار است  ", None)

    product = reload(product)
    assert product.status is ProductStatus.REJECTED
    revision = product.open_revision  # still open: the producer can fix it
    assert (revision.status, revision.rejection_reason) == (
        RevisionStatus.REJECTED,
        "عکس‌ها تار است",
    )


def test_a_rejected_listing_edited_goes_back_to_review_as_a_new_version(factory, producer):
    product = factory.listing(producer, active=False)
    reject_listing(product, "قیمت نامعلوم")

    result = edit(producer, product, listing_data(factory, title="گلیم قشقایی با عکس بهتر"))

    product = reload(product)
    assert result.waiting_for_review
    assert product.status is ProductStatus.PENDING
    revision = product.open_revision
    assert (revision.number, revision.version, revision.status) == (1, 2, RevisionStatus.PENDING)
    assert (revision.title, revision.rejection_reason) == ("گلیم قشقایی با عکس بهتر", "")


@pytest.mark.parametrize("decision", ["approve", "reject"])
def test_a_decision_on_an_older_version_is_refused_and_changes_nothing(factory, producer, decision):
    # Given an admin who opened the queue at version 1 of a new listing
    product = factory.listing(producer, active=False, title="گلیم اول")
    seen = reload(product).open_revision
    seen_id, seen_version = seen.id, seen.version
    # …and the producer who edits it meanwhile
    edit(producer, product, listing_data(factory, title="گلیم دیده‌نشده"))
    before = snapshot(product)

    # When the admin decides on what they saw
    with pytest.raises(services.StaleRevision), transaction():
        if decision == "approve":
            services.approve_revision(product, seen_id, seen_version, None)
        else:
            services.reject_revision(product, seen_id, seen_version, "نه", None)

    # Then nothing was published or recorded: the unseen text waits for review
    assert snapshot(product) == before
    assert get_visible_product(product.id) is None
    assert reload(product).open_revision.version == seen_version + 1


def test_approving_twice_is_refused_the_second_time(factory, producer):
    product = factory.listing(producer, active=False)
    revision = reload(product).open_revision
    revision_id, version = revision.id, revision.version
    with transaction():
        services.approve_revision(product, revision_id, version, None)
    before = snapshot(product)

    with pytest.raises(services.StaleRevision), transaction():
        services.approve_revision(product, revision_id, version, None)

    assert snapshot(product) == before


def test_a_decision_naming_another_listings_revision_is_refused(factory, producer):
    mine = factory.listing(producer, active=False, title="مال من")
    theirs = factory.listing(factory.producer(), active=False, title="مال دیگری")
    their_revision = reload(theirs).open_revision
    before = snapshot(mine), snapshot(theirs)

    with pytest.raises(services.StaleRevision), transaction():
        services.approve_revision(mine, their_revision.id, their_revision.version, None)

    assert (snapshot(mine), snapshot(theirs)) == before


# --- editing a listing on sale -----------------------------------------------------------------


def test_price_stock_and_lead_time_apply_at_once_and_it_stays_on_sale(factory, producer):
    product = factory.listing(producer, price=1_200_000, stock=3)

    result = edit(producer, product, data_of(factory, product, price=1_500_000, stock_quantity=1))

    product = reload(product)
    assert (result.sale_terms_changed, result.waiting_for_review) == (True, False)
    assert product.status is ProductStatus.ACTIVE
    assert (product.price, product.stock_quantity) == (1_500_000, 1)
    assert product.open_revision is None
    assert get_visible_product(product.id).price == 1_500_000


def test_new_words_wait_for_review_while_the_approved_version_stays_on_sale(factory, producer):
    product = factory.listing(producer, title="گلیم دستباف", photos=1)
    live_photos = keys(reload(product).photos)

    result = edit(
        producer,
        product,
        data_of(
            factory, product, title="گلیم دستباف نو", category_id=factory.category("tableau-rug").id
        ),
    )

    product = reload(product)
    assert (result.sale_terms_changed, result.waiting_for_review) == (False, True)
    shown = get_visible_product(product.id)
    assert (shown.title, shown.category.slug) == ("گلیم دستباف", "kilim")
    assert keys(shown.photos) == live_photos
    revision = product.open_revision
    assert (revision.number, revision.version) == (2, 2)
    assert (revision.title, revision.category.slug) == ("گلیم دستباف نو", "tableau-rug")
    assert keys(revision.photos) == live_photos  # the proposal starts from what is on sale


def test_each_edit_is_a_new_version_and_only_the_one_seen_is_published(factory, producer):
    product = factory.listing(producer, title="گلیم دستباف")
    edit(producer, product, data_of(factory, product, title="نسخه دوم"))
    seen = reload(product).open_revision
    seen_id, seen_version = seen.id, seen.version
    edit(producer, reload(product), data_of(factory, product, title="نسخه سوم"))

    with pytest.raises(services.StaleRevision), transaction():
        services.approve_revision(product, seen_id, seen_version, None)
    assert get_visible_product(product.id).title == "گلیم دستباف"

    current = reload(product).open_revision
    with transaction():
        services.approve_revision(product, current.id, current.version, None)
    assert get_visible_product(product.id).title == "نسخه سوم"


def test_saving_again_without_new_words_keeps_the_version(factory, producer):
    product = factory.listing(producer)
    edit(producer, product, data_of(factory, product, title="نو"))
    version = reload(product).open_revision.version

    result = edit(producer, reload(product), data_of(factory, product, title="نو", price=999_000))

    assert result.waiting_for_review and result.sale_terms_changed
    assert reload(product).open_revision.version == version  # an approval in flight stays valid


def test_editing_back_to_what_is_on_sale_leaves_nothing_to_review(factory, producer):
    product = factory.listing(producer, title="گلیم دستباف")
    edit(producer, product, data_of(factory, product, title="نو"))

    result = edit(producer, reload(product), data_of(factory, product, title="گلیم دستباف"))

    assert not result.waiting_for_review
    product = reload(product)
    assert product.open_revision is None
    assert product.revisions[-1].status is RevisionStatus.WITHDRAWN


def test_discarding_changes_keeps_the_approved_version_and_deletes_new_photos(
    factory, producer, tmp_path
):
    product = factory.listing(producer, photos=1)
    live = snapshot(product)
    with transaction():
        services.add_photos(producer, product, uploads(1, "new"))
    assert len(upload_files(tmp_path)) == 2 * FILES_PER_PHOTO

    with transaction():
        services.discard_changes(producer, reload(product))

    after = snapshot(product)
    assert {k: v for k, v in after.items() if k != "revisions"} == {
        k: v for k, v in live.items() if k != "revisions"
    }
    assert reload(product).open_revision is None
    assert len(upload_files(tmp_path)) == FILES_PER_PHOTO
    assert count(Image) == 1


def test_a_listing_never_approved_cannot_discard_its_only_version(factory, producer):
    product = factory.listing(producer, active=False)
    before = snapshot(product)

    with pytest.raises(IllegalTransition), transaction():
        services.discard_changes(producer, product)

    assert snapshot(product) == before


def test_editing_with_an_unknown_category_changes_nothing(factory, producer):
    product = factory.listing(producer)
    before = snapshot(product)

    with pytest.raises(services.UnknownCategory), transaction():
        services.update_listing(producer, product, listing_data(factory, category_id=9999))

    assert_session_clean()
    assert snapshot(product) == before


# --- pause, resume, delete ----------------------------------------------------------------------


def test_pause_resume_and_delete(factory, producer):
    product = factory.listing(producer)

    with transaction():
        services.pause_listing(producer, product)
    assert reload(product).status is ProductStatus.PAUSED
    assert get_visible_product(product.id) is None
    with transaction():
        services.resume_listing(producer, reload(product))
    assert reload(product).status is ProductStatus.ACTIVE
    with transaction():
        services.delete_listing(producer, reload(product))
    assert reload(product).status is ProductStatus.DELETED


def test_deleting_a_listing_removes_its_photos_so_they_are_not_served(factory, producer, tmp_path):
    product = factory.listing(producer, photos=2)
    with transaction():
        services.add_photos(producer, product, uploads(1, "proposed"))

    with transaction():
        services.delete_listing(producer, reload(product))

    product = reload(product)
    assert product.status is ProductStatus.DELETED  # the row stays for past orders
    assert product.photos == [] and product.open_revision is None
    assert (count(Image), count(ProductPhoto), count(RevisionPhoto)) == (0, 0, 0)
    assert upload_files(tmp_path) == []


@pytest.mark.parametrize(
    "action",
    [
        lambda p, product: services.pause_listing(p, product),
        lambda p, product: services.resume_listing(p, product),
    ],
    ids=["pause", "resume"],
)
def test_a_pending_listing_cannot_be_paused_or_resumed(factory, producer, action):
    product = factory.listing(producer, active=False)
    before = snapshot(product)

    with pytest.raises(IllegalTransition), transaction():
        action(producer, product)

    assert snapshot(product) == before


def test_an_active_listing_cannot_be_resumed(factory, producer):
    product = factory.listing(producer)
    before = snapshot(product)

    with pytest.raises(IllegalTransition), transaction():
        services.resume_listing(producer, product)

    assert snapshot(product) == before


def test_a_deleted_listing_cannot_be_touched_again(factory, producer, tmp_path):
    product = factory.listing(producer, photos=2)
    image_id = reload(product).photos[0].image_id
    with transaction():
        services.delete_listing(producer, product)
    before = snapshot(product)

    for action in (
        lambda p: services.update_listing(producer, p, listing_data(factory)),
        lambda p: services.resume_listing(producer, p),
        lambda p: services.pause_listing(producer, p),
        lambda p: services.delete_listing(producer, p),
        lambda p: services.add_photos(producer, p, uploads(1)),
        lambda p: services.remove_photo(producer, p, image_id),
        lambda p: services.move_photo(producer, p, image_id, 1),
    ):
        with pytest.raises(NotAllowed), transaction():
            action(reload(product))

    assert snapshot(product) == before
    assert upload_files(tmp_path) == []


# --- someone else's listing -------------------------------------------------------------------


@pytest.mark.parametrize(
    "action",
    [
        lambda f, other, p, image_id: services.update_listing(other, p, listing_data(f, title="x")),
        lambda f, other, p, image_id: services.pause_listing(other, p),
        lambda f, other, p, image_id: services.delete_listing(other, p),
        lambda f, other, p, image_id: services.add_photos(other, p, uploads(1)),
        lambda f, other, p, image_id: services.remove_photo(other, p, image_id),
        lambda f, other, p, image_id: services.move_photo(other, p, image_id, 1),
        lambda f, other, p, image_id: services.discard_changes(other, p),
    ],
    ids=["update", "pause", "delete", "add_photos", "remove_photo", "move_photo", "discard"],
)
def test_another_producer_cannot_change_a_listing(
    factory, producer, other_producer, tmp_path, action
):
    # Given a listing on sale with two photos that belongs to someone else
    product = factory.listing(producer, photos=2)
    image_id = reload(product).photos[0].image_id
    before = snapshot(product)
    files = upload_files(tmp_path)

    # When another approved producer tries to change it
    with pytest.raises(NotAllowed), transaction():
        action(factory, other_producer, product, image_id)

    # Then nothing changed: not the row, not its photos, not the files
    assert snapshot(product) == before
    assert upload_files(tmp_path) == files
    assert count(Image) == 2


def test_a_suspended_producer_cannot_change_their_own_listing(factory, producer):
    product = factory.listing(producer)
    with transaction():
        producer.status = ProducerStatus.SUSPENDED
    before = snapshot(product)

    with pytest.raises(NotAllowed), transaction():
        services.pause_listing(producer, product)

    assert snapshot(product) == before


# --- photos -----------------------------------------------------------------------------------


def test_new_photos_are_proposed_and_shown_once_approved(factory, producer, tmp_path):
    product = factory.listing(producer, photos=2)
    live = keys(reload(product).photos)

    with transaction():
        added = services.add_photos(producer, product, uploads(2, "new"))

    product = reload(product)
    assert keys(product.photos) == live  # buyers still see the approved photos
    revision = product.open_revision
    assert [p.image.original_name for p in revision.photos][2:] == ["new0.jpg", "new1.jpg"]
    assert [p.position for p in revision.photos] == [0, 1, 2, 3]
    assert len(added) == 2
    assert len(upload_files(tmp_path)) == 4 * FILES_PER_PHOTO

    approve_listing(product)
    assert len(reload(product).photos) == 4


def test_adding_photos_beyond_eight_changes_nothing(factory, producer, tmp_path):
    product = factory.listing(producer, photos=MAX_PHOTOS - 1)
    before, files = snapshot(product), upload_files(tmp_path)

    with pytest.raises(services.TooManyPhotos), transaction():
        services.add_photos(producer, product, uploads(2))

    assert snapshot(product) == before
    assert upload_files(tmp_path) == files


def test_adding_photos_with_a_bad_one_changes_nothing(factory, producer, tmp_path):
    product = factory.listing(producer, photos=1)
    before, files = snapshot(product), upload_files(tmp_path)
    truncated = make_jpeg()[:500]

    with pytest.raises(ImageRejected), transaction():
        services.add_photos(
            producer, product, [Upload(make_jpeg(), "ok.jpg"), Upload(truncated, "bad.jpg")]
        )

    assert snapshot(product) == before
    assert upload_files(tmp_path) == files


def test_a_removed_photo_is_shown_until_approval_then_deleted(factory, producer, tmp_path):
    product = factory.listing(producer, photos=3)
    first, second, third = reload(product).photos
    removed_key = second.image.key

    with transaction():
        services.remove_photo(producer, product, second.image_id)

    product = reload(product)
    assert len(product.photos) == 3  # still on sale as approved
    assert keys(product.open_revision.photos) == [first.image.key, third.image.key]
    assert [p.position for p in product.open_revision.photos] == [0, 1]
    assert any(removed_key in path.name for path in upload_files(tmp_path))

    approve_listing(product)

    product = reload(product)
    assert keys(product.photos) == [first.image.key, third.image.key]
    assert not any(removed_key in path.name for path in upload_files(tmp_path))
    assert count(Image) == 2


def test_removing_a_photo_of_a_listing_never_approved_deletes_it_at_once(
    factory, producer, tmp_path
):
    product = factory.listing(producer, photos=2, active=False)
    first, second = reload(product).open_revision.photos

    with transaction():
        services.remove_photo(producer, product, first.image_id)

    assert keys(reload(product).open_revision.photos) == [second.image.key]
    assert count(Image) == 1
    assert len(upload_files(tmp_path)) == FILES_PER_PHOTO


def test_a_photo_of_another_listing_is_not_found(factory, producer, tmp_path):
    mine = factory.listing(producer, photos=2)
    theirs = factory.listing(factory.producer(), photos=1)
    their_image = reload(theirs).photos[0].image_id
    before, files = snapshot(mine), upload_files(tmp_path)

    for action in (
        services.remove_photo,
        lambda p, product, i: services.move_photo(p, product, i, -1),
    ):
        with pytest.raises(NotFound), transaction():
            action(producer, mine, their_image)

    assert snapshot(mine) == before
    assert len(reload(theirs).photos) == 1
    assert upload_files(tmp_path) == files


def test_move_photo_reorders_the_proposal(factory, producer):
    product = factory.listing(producer, photos=3)
    a, b, c = keys(reload(product).photos)
    image_b = reload(product).photos[1].image_id

    with transaction():
        services.move_photo(producer, product, image_b, -1)
    revision = reload(product).open_revision
    assert keys(revision.photos) == [b, a, c]
    assert revision.cover.key == b
    assert keys(reload(product).photos) == [a, b, c]  # on sale as approved

    with transaction():
        services.move_photo(producer, reload(product), image_b, 1)
    # back to the approved order: nothing left to review
    assert reload(product).open_revision is None

    with transaction():
        services.move_photo(producer, reload(product), image_b, 1)
    revision = reload(product).open_revision
    assert keys(revision.photos) == [a, c, b]
    assert [p.position for p in revision.photos] == [0, 1, 2]


def test_moving_past_either_end_changes_nothing_and_opens_no_revision(factory, producer):
    product = factory.listing(producer, photos=2)
    first, last = reload(product).photos
    before = snapshot(product)

    with transaction():
        services.move_photo(producer, product, first.image_id, -1)
    with transaction():
        services.move_photo(producer, reload(product), last.image_id, 1)

    assert snapshot(product) == before


# --- concurrent photo uploads (the photo limit race) ------------------------------------------


def _upload_one(app, product_id: int, user_id: int, barrier, outcomes) -> None:
    from shop.accounts.models import User

    with app.app_context():
        try:
            user = db.session.get(User, user_id)
            product = db.session.get(Product, product_id)
            photo = [Upload(make_jpeg(*PHOTO_SIZE), "race.jpg")]
            barrier.wait(10)
            with transaction():
                services.add_photos(user.producer, product, photo)
            outcomes.append("added")
        except services.TooManyPhotos:
            outcomes.append("too many")
        except Exception as exc:  # anything else is what the test is looking for
            outcomes.append(repr(exc))
        finally:
            db.session.remove()


def test_six_uploads_at_once_to_a_listing_with_seven_photos_add_exactly_one(
    app, factory, producer, tmp_path
):
    # Given a listing with 7 photos (one short of the limit)
    product = factory.listing(producer, photos=MAX_PHOTOS - 1)
    product_id, user_id = product.id, producer.user_id
    db.session.remove()

    # When six requests each add a photo at the same moment
    barrier, outcomes = threading.Barrier(6), []
    threads = [
        threading.Thread(target=_upload_one, args=(app, product_id, user_id, barrier, outcomes))
        for _ in range(6)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    # Then one is added, five are told the limit, and positions stay unique
    assert sorted(outcomes) == ["added"] + ["too many"] * 5
    revision = db.session.get(Product, product_id).open_revision
    assert [p.position for p in revision.photos] == list(range(MAX_PHOTOS))
    assert count(Image) == MAX_PHOTOS  # the refused uploads left no row…
    assert len(upload_files(tmp_path)) == MAX_PHOTOS * FILES_PER_PHOTO  # …and no file


def test_two_photos_can_never_share_a_position(factory, producer):
    product = factory.listing(producer, photos=2)
    first = reload(product).photos[0]

    with pytest.raises(IntegrityError), transaction():
        db.session.add(ProductPhoto(product_id=product.id, image_id=first.image_id + 1, position=0))

    assert [p.position for p in reload(product).photos] == [0, 1]
    assert db.session.scalar(select(ProductPhoto.position).where(ProductPhoto.id == first.id)) == 0
