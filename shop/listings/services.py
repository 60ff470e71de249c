"""Listing operations: create, edit, photos, pause, delete, and moderation by revision.

Buyers only ever see what an admin approved. A listing's words, photos and category go into
a *revision* that an admin reviews; an approval names the revision and its version, so an
edit made after the admin opened it is never published unseen. Price, stock and lead time
are the producer's to change at once. Each function adds and flushes inside the caller's
``transaction()`` and raises a ``DomainError`` before changing anything it refuses.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from shop.accounts.models import User
from shop.catalog.models import Category
from shop.database import lock_row, utcnow
from shop.errors import DomainError, IllegalTransition, NotAllowed, NotFound
from shop.extensions import db
from shop.listings import variants
from shop.listings.models import (
    MAX_PHOTOS,
    REVIEWED_FIELDS,
    DescriptionFormat,
    Product,
    ProductPhoto,
    ProductRevision,
    ProductStatus,
    RevisionPhoto,
    RevisionStatus,
)
from shop.media.models import Image
from shop.media.services import add_image, delete_image
from shop.media.uploads import Upload
from shop.producers.models import Producer
from shop.search.outbox import enqueue_products
from shop.text import render_description


class TooManyPhotos(DomainError):
    field = "photos"
    message = _l("A listing can have at most 8 photos.")


class UnknownCategory(DomainError):
    field = "category_id"
    message = _l("Choose a category from the list.")


class StaleRevision(DomainError):
    """The admin reviewed a version that is no longer the one waiting."""

    message = _l(
        "The producer changed this listing after you opened it, or it was already decided. "
        "Review the version shown now."
    )


class NoChanges(DomainError):
    message = _l("There are no changes waiting for review.")


@dataclass(frozen=True)
class ListingData:
    title: str
    description: str
    description_format: DescriptionFormat
    category_id: int
    price: int
    is_made_to_order: bool
    stock_quantity: int
    lead_time_days: int | None
    materials: str = ""
    dimensions: str = ""
    weight_grams: int | None = None

    @classmethod
    def of(cls, product: Product, **changes) -> ListingData:
        """The listing's fields as on sale (the approved words), with ``changes``."""
        values = {f.name: getattr(product, f.name) for f in dataclasses.fields(cls)}
        return cls(**{**values, **changes})


@dataclass(frozen=True)
class EditResult:
    """What an edit did: what applied at once, and whether changes wait for review."""

    sale_terms_changed: bool
    waiting_for_review: bool


def _reviewed_content(data: ListingData) -> dict:
    """The revision's fields for ``data``; raises ``UnknownCategory``."""
    with db.session.no_autoflush:
        category = db.session.get(Category, data.category_id)
    if category is None:
        raise UnknownCategory()
    description = data.description.strip()
    return {
        "title": data.title.strip(),
        "description": description,
        "description_format": data.description_format,
        "description_html": render_description(
            description, data.description_format is DescriptionFormat.MARKDOWN
        ),
        "category_id": category.id,
        "materials": data.materials.strip(),
        "dimensions": data.dimensions.strip(),
        "weight_grams": data.weight_grams,
    }


def _sale_terms(product: Product, data: ListingData) -> dict:
    """Price, stock and lead time: they apply at once, without review. A listing with options
    keeps its stock here: that is set variant by variant."""
    terms = {
        "price": data.price,
        "is_made_to_order": data.is_made_to_order,
        "stock_quantity": 0 if data.is_made_to_order else data.stock_quantity,
        "lead_time_days": data.lead_time_days if data.is_made_to_order else None,
    }
    if product.has_options:
        del terms["stock_quantity"]
    return terms


def _apply_sale_terms(product: Product, terms: dict) -> None:
    for name, value in terms.items():
        setattr(product, name, value)
    if "stock_quantity" in terms:
        variants.set_single_stock(product, terms["stock_quantity"])
    else:
        variants.recount(product)


def _check_producer(producer: Producer) -> None:
    if not producer.is_approved:
        raise NotAllowed("producer is not approved")


def _own(producer: Producer, product: Product) -> None:
    """The producer may change this listing; its row is then locked for the operation."""
    _check_producer(producer)
    if product.producer_id != producer.id or product.status is ProductStatus.DELETED:
        raise NotAllowed("not this producer's listing")
    lock_row(product)
    if product.status is ProductStatus.DELETED:  # deleted by another request meanwhile
        raise NotAllowed("not this producer's listing")


def _store_photos(photos: list, uploads: list[Upload], owner_id: int, make) -> None:
    """Process ``uploads`` and append them to ``photos`` (built with ``make``)."""
    if len(photos) + len(uploads) > MAX_PHOTOS:
        raise TooManyPhotos()
    next_position = max((p.position for p in photos), default=-1) + 1
    for offset, upload in enumerate(uploads):
        image = add_image(upload, owner_id=owner_id, field="photos")
        photos.append(make(image=image, position=next_position + offset))


def _renumber(photos: list) -> None:
    """Give ``photos`` the positions 0, 1, 2… in list order.

    Positions are unique per listing, so they move through negative numbers first: a swap
    done in one step would collide with itself.
    """
    for index, photo in enumerate(photos):
        photo.position = -1 - index
    db.session.flush()
    for index, photo in enumerate(photos):
        photo.position = index
    db.session.flush()


def create_listing(producer: Producer, data: ListingData, uploads: list[Upload]) -> Product:
    """Create a listing with its photos as revision 1, waiting for review."""
    _check_producer(producer)
    content = _reviewed_content(data)
    product = Product(status=ProductStatus.PENDING, producer=producer, **content)
    _apply_sale_terms(product, _sale_terms(product, data))
    db.session.add(product)
    revision = ProductRevision(number=1, status=RevisionStatus.PENDING, **content)
    product.revisions.append(revision)
    _store_photos(revision.photos, uploads, producer.user_id, RevisionPhoto)
    db.session.flush()
    revision.open_product_id = product.id
    db.session.flush()
    return product


def _open_revision(product: Product) -> ProductRevision:
    """The listing's open revision, made from what buyers see now if there is none."""
    revision = product.open_revision
    if revision is not None:
        return revision
    number = (
        db.session.scalar(
            select(func.max(ProductRevision.number)).where(ProductRevision.product_id == product.id)
        )
        or 0
    ) + 1
    revision = ProductRevision(
        number=number,
        status=RevisionStatus.PENDING,
        open_product_id=product.id,
        **{name: getattr(product, name) for name in REVIEWED_FIELDS},
    )
    for photo in product.photos:
        revision.photos.append(RevisionPhoto(image=photo.image, position=photo.position))
    product.revisions.append(revision)
    db.session.flush()
    return revision


def _touch(revision: ProductRevision) -> None:
    """The revision was edited: a new version, (again) waiting for review."""
    revision.status.check_transition(RevisionStatus.PENDING)
    revision.status = RevisionStatus.PENDING
    revision.version += 1
    revision.rejection_reason = ""
    revision.submitted_at = utcnow()


def _resubmit_if_rejected(product: Product) -> None:
    if product.status is ProductStatus.REJECTED:
        product.status.check_transition(ProductStatus.PENDING)
        product.status = ProductStatus.PENDING


def _matches_what_is_on_sale(product: Product, revision: ProductRevision) -> bool:
    same_words = all(getattr(product, f) == getattr(revision, f) for f in REVIEWED_FIELDS)
    return same_words and [p.image_id for p in product.photos] == [
        p.image_id for p in revision.photos
    ]


def update_listing(producer: Producer, product: Product, data: ListingData) -> EditResult:
    """Apply price, stock and lead time at once; put words and category in the open revision.

    A listing on sale stays on sale, as approved, while its changes wait for review.
    """
    _own(producer, product)
    content = _reviewed_content(data)
    terms = _sale_terms(product, data)
    terms_changed = any(getattr(product, name) != value for name, value in terms.items())
    _apply_sale_terms(product, terms)
    if terms_changed and product.status.was_approved:
        enqueue_products([product.id])  # price and availability are searched and shown

    revision = product.open_revision
    proposed = revision if revision is not None else product
    if all(getattr(proposed, name) == value for name, value in content.items()):
        return EditResult(terms_changed, revision is not None)  # no new words to review
    revision = _open_revision(product)
    for name, value in content.items():
        setattr(revision, name, value)
    _touch(revision)
    _resubmit_if_rejected(product)
    return EditResult(terms_changed, _settle(product, revision))


def _settle(product: Product, revision: ProductRevision) -> bool:
    """After an edit: withdraw the revision if it is back to what is on sale (nothing left to
    review). Returns whether changes wait for review."""
    db.session.flush()
    if product.status.was_approved and _matches_what_is_on_sale(product, revision):
        _withdraw(revision)
        return False
    return True


def discard_changes(producer: Producer, product: Product) -> None:
    """Drop the changes waiting for review of a listing on sale (it stays as approved)."""
    _own(producer, product)
    revision = product.open_revision
    if revision is None:
        raise NoChanges()
    if not product.status.was_approved:
        raise IllegalTransition("a listing never approved has nothing to go back to")
    _withdraw(revision)


def _withdraw(revision: ProductRevision) -> None:
    revision.status.check_transition(RevisionStatus.WITHDRAWN)
    revision.status = RevisionStatus.WITHDRAWN
    revision.open_product_id = None
    images = [photo.image for photo in revision.photos]
    revision.photos.clear()
    db.session.flush()
    _delete_unused(images)


def _delete_unused(images: list[Image]) -> None:
    """Delete the images that no listing or revision shows any more."""
    for image in images:
        used = db.session.scalar(
            select(func.count()).select_from(ProductPhoto).where(ProductPhoto.image_id == image.id)
        ) + db.session.scalar(
            select(func.count())
            .select_from(RevisionPhoto)
            .where(RevisionPhoto.image_id == image.id)
        )
        if not used:
            delete_image(image)


def add_photos(producer: Producer, product: Product, uploads: list[Upload]) -> list[Image]:
    """Add photos to the listing's open revision; they are shown once approved."""
    _own(producer, product)
    revision = _open_revision(product)
    count_before = len(revision.photos)
    _store_photos(revision.photos, uploads, producer.user_id, RevisionPhoto)
    _touch(revision)
    _resubmit_if_rejected(product)
    db.session.flush()
    return [photo.image for photo in revision.photos[count_before:]]


def _proposed_photo(product: Product, image_id: int) -> tuple[ProductRevision, int]:
    """The open revision (made from what is on sale if there is none) and the place in it of
    the photo showing image ``image_id`` (an image appears at most once per listing, and
    keeps its id when the revision copies the listing's photos)."""
    revision = product.open_revision
    if revision is None:
        if all(photo.image_id != image_id for photo in product.photos):
            raise NotFound("no such photo")
        revision = _open_revision(product)
    for index, photo in enumerate(revision.photos):
        if photo.image_id == image_id:
            return revision, index
    raise NotFound("no such photo")


def remove_photo(producer: Producer, product: Product, image_id: int) -> None:
    """Remove a photo from the open revision (buyers see it until the revision is approved)."""
    _own(producer, product)
    revision, index = _proposed_photo(product, image_id)
    image = revision.photos.pop(index).image  # the orphaned row is deleted at the flush
    db.session.flush()
    _renumber(revision.photos)
    _touch(revision)
    _resubmit_if_rejected(product)
    _settle(product, revision)
    _delete_unused([image])


def move_photo(producer: Producer, product: Product, image_id: int, offset: int) -> None:
    """Move a photo one place earlier (-1) or later (+1); the first photo is the cover."""
    _own(producer, product)
    shown = product.open_revision.photos if product.open_revision else product.photos
    index = next((i for i, p in enumerate(shown) if p.image_id == image_id), None)
    if index is None:
        raise NotFound("no such photo")
    target = index + (1 if offset > 0 else -1)
    if offset == 0 or not 0 <= target < len(shown):
        return  # already first (or last): nothing changes, no revision is opened
    revision, index = _proposed_photo(product, image_id)
    photos = list(revision.photos)
    photos[index], photos[target] = photos[target], photos[index]
    _renumber(photos)
    revision.photos.sort(key=lambda p: p.position)
    _touch(revision)
    _resubmit_if_rejected(product)
    _settle(product, revision)


def pause_listing(producer: Producer, product: Product) -> None:
    _own(producer, product)
    product.status.check_transition(ProductStatus.PAUSED)
    product.status = ProductStatus.PAUSED
    enqueue_products([product.id])


def resume_listing(producer: Producer, product: Product) -> None:
    """Put a paused listing back on sale, as it was last approved."""
    _own(producer, product)
    if product.status is not ProductStatus.PAUSED:
        raise IllegalTransition(f"resume needs a paused listing, not {product.status.value}")
    product.status = ProductStatus.ACTIVE
    enqueue_products([product.id])


def delete_listing(producer: Producer, product: Product) -> None:
    """Withdraw a listing for good. The row stays (past orders point at it); its photos go,
    so they are no longer served."""
    _own(producer, product)
    product.status.check_transition(ProductStatus.DELETED)
    product.status = ProductStatus.DELETED
    if product.open_revision is not None:
        _withdraw(product.open_revision)
    images = [photo.image for photo in product.photos]
    product.photos.clear()
    db.session.flush()
    _delete_unused(images)
    enqueue_products([product.id])


def _review(product: Product, revision_id: int, version: int) -> ProductRevision:
    """The open revision, if it is the one (and the version) the admin looked at."""
    lock_row(product)
    revision = product.open_revision
    if (
        revision is None
        or revision.id != revision_id
        or revision.version != version
        or revision.status is not RevisionStatus.PENDING
    ):
        raise StaleRevision()
    return revision


def approve_revision(
    product: Product, revision_id: int, version: int, reviewer: User | None
) -> ProductRevision:
    """Publish exactly the revision (and version) the admin reviewed.

    Raises ``StaleRevision`` when the producer changed it since, or it was already decided.
    """
    revision = _review(product, revision_id, version)
    if not product.status.was_approved:
        product.status.check_transition(ProductStatus.ACTIVE)
        product.status = ProductStatus.ACTIVE
        product.published_at = product.published_at or utcnow()
    for name in REVIEWED_FIELDS:
        setattr(product, name, getattr(revision, name))
    replaced = [photo.image for photo in product.photos]
    product.photos.clear()
    db.session.flush()
    for photo in revision.photos:
        product.photos.append(ProductPhoto(image=photo.image, position=photo.position))
    revision.status = RevisionStatus.APPROVED
    revision.open_product_id = None
    revision.reviewed_by_id = reviewer.id if reviewer is not None else None
    revision.reviewed_at = utcnow()
    revision.photos.clear()  # the history keeps the words; the photos live on the listing
    db.session.flush()
    _delete_unused(replaced)
    enqueue_products([product.id])
    return revision


def reject_revision(
    product: Product, revision_id: int, version: int, reason: str, reviewer: User | None
) -> ProductRevision:
    """Send the revision back with the reason; a listing on sale stays on sale as approved."""
    revision = _review(product, revision_id, version)
    revision.status = RevisionStatus.REJECTED
    revision.rejection_reason = reason.strip()
    revision.reviewed_by_id = reviewer.id if reviewer is not None else None
    revision.reviewed_at = utcnow()
    if not product.status.was_approved:
        product.status.check_transition(ProductStatus.REJECTED)
        product.status = ProductStatus.REJECTED
    db.session.flush()
    return revision


def set_listing_options(producer: Producer, product: Product, kinds) -> None:
    """The producer's option kinds and values for their listing (see ``variants``)."""
    _own(producer, product)
    variants.set_options(product, kinds)


def update_listing_variants(producer: Producer, product: Product, terms) -> None:
    """The producer's stock and prices for their listing's variants (see ``variants``)."""
    _own(producer, product)
    variants.update_variants(product, terms)
