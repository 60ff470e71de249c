"""Listing operations: create, edit, pause, delete, photos and moderation."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from shop.catalog.models import (
    MAX_PHOTOS,
    Category,
    DescriptionFormat,
    Product,
    ProductPhoto,
    ProductStatus,
)
from shop.database import IllegalTransition, utcnow
from shop.extensions import db
from shop.media.models import Image
from shop.media.services import add_image, delete_image, files_kept_only_if_committed
from shop.producers.models import Producer
from shop.search.services import enqueue_category, enqueue_products
from shop.text import render_description


class ListingError(Exception):
    """A refused listing operation; ``field`` names the form field it concerns."""

    field: str | None = None


class NotAllowed(ListingError):
    pass


class TooManyPhotos(ListingError):
    field = "photos"


class UnknownCategory(ListingError):
    field = "category_id"


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


@dataclass(frozen=True)
class Upload:
    data: bytes
    filename: str


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


def _store_photos(
    product: Product, uploads: list[Upload], owner_id: int, new_images: list[Image]
) -> None:
    """Process and attach photos, collecting each new image in ``new_images``."""
    if len(product.photos) + len(uploads) > MAX_PHOTOS:
        raise TooManyPhotos()
    next_position = max((p.position for p in product.photos), default=-1) + 1
    for offset, upload in enumerate(uploads):
        image = add_image(upload.data, owner_id=owner_id, original_name=upload.filename)
        new_images.append(image)
        product.photos.append(ProductPhoto(image=image, position=next_position + offset))


def create_listing(producer: Producer, data: ListingData, uploads: list[Upload]) -> Product:
    """Create a listing with its photos and send it to the moderation queue."""
    _check_producer(producer)
    product = Product(status=ProductStatus.DRAFT)
    _apply(product, data)
    product.producer = producer
    db.session.add(product)
    with files_kept_only_if_committed() as new_images:
        _store_photos(product, uploads, producer.user_id, new_images)
        _submit_for_review(product)
        db.session.flush()  # the new listing gets its id
        enqueue_products([product.id])
        db.session.commit()
    return product


def update_listing(producer: Producer, product: Product, data: ListingData) -> Product:
    """Edit a listing; the edit waits for moderation before it is shown again."""
    _own(producer, product)
    _apply(product, data)
    _submit_for_review(product)
    enqueue_products([product.id])
    db.session.commit()
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
    db.session.commit()


def resume_listing(producer: Producer, product: Product) -> None:
    """Put a paused listing back on sale (only the moderator turns *pending* into active)."""
    _own(producer, product)
    if product.status is not ProductStatus.PAUSED:
        raise IllegalTransition(f"resume needs a paused listing, not {product.status.value}")
    product.status = ProductStatus.ACTIVE
    enqueue_products([product.id])
    db.session.commit()


def delete_listing(producer: Producer, product: Product) -> None:
    """Withdraw a listing for good (kept as a row so past orders still point at it)."""
    _own(producer, product)
    product.status.check_transition(ProductStatus.DELETED)
    product.status = ProductStatus.DELETED
    enqueue_products([product.id])
    db.session.commit()


def add_photos(producer: Producer, product: Product, uploads: list[Upload]) -> list[Image]:
    """Add photos to a listing; new pictures are moderated like any other change."""
    _own(producer, product)
    with files_kept_only_if_committed() as new_images:
        _store_photos(product, uploads, producer.user_id, new_images)
        if product.status is not ProductStatus.PENDING:
            _submit_for_review(product)
        enqueue_products([product.id])
        db.session.commit()
    return new_images


def remove_photo(producer: Producer, product: Product, photo_id: int) -> None:
    _own(producer, product)
    photo = next((p for p in product.photos if p.id == photo_id), None)
    if photo is None:
        raise NotAllowed("no such photo")
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
    db.session.commit()


def move_photo(producer: Producer, product: Product, photo_id: int, offset: int) -> None:
    """Move a photo one place earlier (-1) or later (+1); the first photo is the cover."""
    _own(producer, product)
    photos = list(product.photos)
    index = next((i for i, p in enumerate(photos) if p.id == photo_id), None)
    if index is None:
        raise NotAllowed("no such photo")
    if offset == 0:
        return
    target = index + (1 if offset > 0 else -1)
    if 0 <= target < len(photos):
        photos[index], photos[target] = photos[target], photos[index]
        for position, photo in enumerate(photos):
            photo.position = position
    db.session.commit()


def approve_listing(product: Product) -> None:
    product.status.check_transition(ProductStatus.ACTIVE)
    product.status = ProductStatus.ACTIVE
    product.rejection_reason = ""
    product.published_at = product.published_at or utcnow()
    enqueue_products([product.id])
    db.session.commit()


def reject_listing(product: Product, reason: str) -> None:
    product.status.check_transition(ProductStatus.REJECTED)
    product.status = ProductStatus.REJECTED
    product.rejection_reason = reason.strip()
    enqueue_products([product.id])
    db.session.commit()


def rename_category(category: Category, name_fa: str, name_en: str) -> None:
    """Rename a category in both languages; its listings are re-indexed."""
    category.name_fa = name_fa.strip()
    category.name_en = name_en.strip()
    enqueue_category(category.id)
    db.session.commit()
