"""Read side of listings: a producer's own, the moderation queue, and previews."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from shop.catalog.models import Category
from shop.extensions import db
from shop.listings.models import (
    REVIEWED_FIELDS,
    Product,
    ProductPhoto,
    ProductRevision,
    ProductStatus,
    RevisionPhoto,
    RevisionStatus,
)
from shop.producers.models import Producer


def _with_photos_and_revisions():
    return (
        joinedload(Product.category),
        selectinload(Product.photos).joinedload(ProductPhoto.image),
        selectinload(Product.revisions)
        .selectinload(ProductRevision.photos)
        .joinedload(RevisionPhoto.image),
    )


def list_own_products(producer: Producer) -> list[Product]:
    return list(
        db.session.scalars(
            select(Product)
            .where(Product.producer_id == producer.id, Product.status != ProductStatus.DELETED)
            .order_by(Product.updated_at.desc(), Product.id.desc())
            .options(*_with_photos_and_revisions())
        ).all()
    )


def get_own_product(producer: Producer, product_id: int) -> Product | None:
    """The producer's own listing, or None: another producer's id finds nothing."""
    return db.session.scalars(
        select(Product)
        .where(
            Product.id == product_id,
            Product.producer_id == producer.id,
            Product.status != ProductStatus.DELETED,
        )
        .options(*_with_photos_and_revisions())
    ).first()


def list_waiting_revisions() -> list[ProductRevision]:
    """Revisions waiting for an admin, oldest first, with what is on sale beside them."""
    return list(
        db.session.scalars(
            select(ProductRevision)
            .where(ProductRevision.status == RevisionStatus.PENDING)
            .order_by(ProductRevision.submitted_at, ProductRevision.id)
            .options(
                joinedload(ProductRevision.category),
                selectinload(ProductRevision.photos).joinedload(RevisionPhoto.image),
                joinedload(ProductRevision.product).joinedload(Product.producer),
                joinedload(ProductRevision.product).joinedload(Product.category),
                joinedload(ProductRevision.product)
                .selectinload(Product.photos)
                .joinedload(ProductPhoto.image),
            )
        ).unique()
    )


@dataclass(frozen=True)
class Change:
    """One reviewed field that a revision changes: what buyers see now, and what it proposes."""

    field: str
    before: object
    after: object


def changes(revision: ProductRevision) -> list[Change]:
    """What the revision changes on a listing that is on sale (empty for a first version)."""
    product = revision.product
    if not product.status.was_approved:
        return []
    found = [
        Change(name, getattr(product, name), getattr(revision, name))
        for name in REVIEWED_FIELDS
        if name not in ("description_html", "description_format")
        and getattr(product, name) != getattr(revision, name)
    ]
    if [p.image_id for p in product.photos] != [p.image_id for p in revision.photos]:
        found.append(Change("photos", len(product.photos), len(revision.photos)))
    return found


@dataclass(frozen=True)
class Preview:
    """A listing as it will look once its open revision is approved (for its producer)."""

    product: Product
    revision: ProductRevision

    def __getattr__(self, name):
        if name in REVIEWED_FIELDS:
            return getattr(self.revision, name)
        return getattr(self.product, name)

    @property
    def category(self) -> Category:
        return self.revision.category

    @property
    def photos(self) -> list[RevisionPhoto]:
        return self.revision.photos

    @property
    def cover(self):
        return self.revision.cover


def preview_of(product: Product) -> Preview | None:
    revision = product.open_revision
    return Preview(product, revision) if revision is not None else None
