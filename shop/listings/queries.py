"""Read side of a producer's own listings."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from shop.extensions import db
from shop.listings.models import Product, ProductPhoto, ProductStatus
from shop.producers.models import Producer


def list_own_products(producer: Producer) -> list[Product]:
    return list(
        db.session.scalars(
            select(Product)
            .where(Product.producer_id == producer.id, Product.status != ProductStatus.DELETED)
            .order_by(Product.updated_at.desc(), Product.id.desc())
            .options(
                joinedload(Product.category),
                selectinload(Product.photos).joinedload(ProductPhoto.image),
            )
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
        .options(selectinload(Product.photos).joinedload(ProductPhoto.image))
    ).first()
