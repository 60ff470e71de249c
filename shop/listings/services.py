"""Listing operations: create, edit, pause, delete, photos and moderation.

Each function adds and flushes inside the caller's ``transaction()`` and raises a
``DomainError`` before changing anything it refuses.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from shop.catalog.models import Category
from shop.database import utcnow
from shop.errors import DomainError, IllegalTransition, NotAllowed, NotFound
from shop.extensions import db
from shop.listings.models import MAX_PHOTOS, DescriptionFormat, Product, ProductPhoto, ProductStatus
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


def _check_producer(producer: Producer) -> None:
    if not producer.is_approved:
        raise NotAllowed("producer is not approved")


def _apply(product: Product, data: ListingData) -> None:
    with db.session.no_autoflush:
        category = db.session.get(Category, data.category_id)
    if category is None:
        raise UnknownCategory()
    product.title = data.title.strip()
    product.description = data.description.strip()
    product.description_format = data.description_format
    product.description_html = render_description(
        product.description, data.description_format is DescriptionFormat.MARKDOWN
    )
    product.category_id = category.id
    product.price = data.price
    product.is_made_to_order = data.is_made_to_order
    product.stock_quantity = 0 if data.is_made_to_order else data.stock_quantity
    product.lead_time_days = data.lead_time_days if data.is_made_to_order else None
    product.materials = data.materials.strip()
    product.dimensions = data.dimensions.strip()
    product.weight_grams = data.weight_grams


def _submit_for_review(product: Product) -> None:
    product.status.check_transition(ProductStatus.PENDING)
    product.status = ProductStatus.PENDING
    product.rejection_reason = ""


def _store_photos(product: Product, uploads: list[Upload], owner_id: int) -> list[Image]:
    """Process and attach photos after the listing's current ones."""
    if len(product.photos) + len(uploads) > MAX_PHOTOS:
        raise TooManyPhotos()
    next_position = max((p.position for p in product.photos), default=-1) + 1
    images = []
    for offset, upload in enumerate(uploads):
        image = add_image(upload, owner_id=owner_id, field="photos")
        images.append(image)
        product.photos.append(ProductPhoto(image=image, position=next_position + offset))
    return images


def create_listing(producer: Producer, data: ListingData, uploads: list[Upload]) -> Product:
    """Create a listing with its photos and send it to the moderation queue."""
    _check_producer(producer)
    product = Product(status=ProductStatus.DRAFT)
    _apply(product, data)
    product.producer = producer
    db.session.add(product)
    _store_photos(product, uploads, producer.user_id)
    _submit_for_review(product)
    db.session.flush()  # the new listing gets its id
    enqueue_products([product.id])
    return product


def update_listing(producer: Producer, product: Product, data: ListingData) -> Product:
    """Edit a listing; the edit waits for moderation before it is shown again."""
    _own(producer, product)
    _apply(product, data)
    _submit_for_review(product)
    enqueue_products([product.id])
    return product


def _own(producer: Producer, product: Product) -> None:
    _check_producer(producer)
    if product.producer_id != producer.id or product.status is ProductStatus.DELETED:
        raise NotAllowed("not this producer's listing")


def pause_listing(producer: Producer, product: Product) -> None:
    _own(producer, product)
    product.status.check_transition(ProductStatus.PAUSED)
    product.status = ProductStatus.PAUSED
    enqueue_products([product.id])


def resume_listing(producer: Producer, product: Product) -> None:
    """Put a paused listing back on sale (only the moderator turns *pending* into active)."""
    _own(producer, product)
    if product.status is not ProductStatus.PAUSED:
        raise IllegalTransition(f"resume needs a paused listing, not {product.status.value}")
    product.status = ProductStatus.ACTIVE
    enqueue_products([product.id])


def delete_listing(producer: Producer, product: Product) -> None:
    """Withdraw a listing for good (kept as a row so past orders still point at it)."""
    _own(producer, product)
    product.status.check_transition(ProductStatus.DELETED)
    product.status = ProductStatus.DELETED
    enqueue_products([product.id])


def add_photos(producer: Producer, product: Product, uploads: list[Upload]) -> list[Image]:
    """Add photos to a listing; new pictures are moderated like any other change."""
    _own(producer, product)
    images = _store_photos(product, uploads, producer.user_id)
    if product.status is not ProductStatus.PENDING:
        _submit_for_review(product)
    enqueue_products([product.id])
    return images


def _photo(product: Product, photo_id: int) -> ProductPhoto:
    photo = next((p for p in product.photos if p.id == photo_id), None)
    if photo is None:
        raise NotFound("no such photo")
    return photo


def remove_photo(producer: Producer, product: Product, photo_id: int) -> None:
    _own(producer, product)
    photo = _photo(product, photo_id)
    image = photo.image
    product.photos.remove(photo)
    db.session.flush()
    still_used = db.session.scalar(
        select(func.count()).select_from(ProductPhoto).where(ProductPhoto.image_id == image.id)
    )
    if not still_used:
        delete_image(image)
    for position, remaining in enumerate(product.photos):
        remaining.position = position


def move_photo(producer: Producer, product: Product, photo_id: int, offset: int) -> None:
    """Move a photo one place earlier (-1) or later (+1); the first photo is the cover."""
    _own(producer, product)
    photos = list(product.photos)
    index = photos.index(_photo(product, photo_id))
    if offset == 0:
        return
    target = index + (1 if offset > 0 else -1)
    if 0 <= target < len(photos):
        photos[index], photos[target] = photos[target], photos[index]
        for position, photo in enumerate(photos):
            photo.position = position


def approve_listing(product: Product) -> None:
    product.status.check_transition(ProductStatus.ACTIVE)
    product.status = ProductStatus.ACTIVE
    product.rejection_reason = ""
    product.published_at = product.published_at or utcnow()
    enqueue_products([product.id])


def reject_listing(product: Product, reason: str) -> None:
    product.status.check_transition(ProductStatus.REJECTED)
    product.status = ProductStatus.REJECTED
    product.rejection_reason = reason.strip()
    enqueue_products([product.id])
