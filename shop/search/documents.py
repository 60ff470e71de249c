"""What the index knows about a listing, built from the database."""

from __future__ import annotations

import hashlib

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from shop.catalog.models import Category
from shop.extensions import db
from shop.listings.models import Product, ProductStatus
from shop.producers.models import Producer, ProducerStatus
from shop.search.backend import Document


def is_searchable(product: Product) -> bool:
    """Only what may be sold is found: active listings of approved producers."""
    return (
        product.status is ProductStatus.ACTIVE
        and product.producer.status is ProducerStatus.APPROVED
    )


def availability(product: Product) -> str:
    if product.is_made_to_order:
        return "made_to_order"
    return "in_stock" if product.stock_quantity > 0 else "out_of_stock"


def document_for(product: Product) -> Document:
    producer = product.producer
    category = product.category
    parent = category.parent
    names = [category.name_fa, category.name_en]
    if parent is not None:
        names += [parent.name_fa, parent.name_en]
    names += [producer.shop_name, producer.city, producer.neighbourhood]
    if producer.cooperative is not None:
        names.append(producer.cooperative.name)
    if producer.centre is not None:
        names += [producer.centre.name, producer.centre.neighbourhood]
    body = "\n".join(filter(None, [product.description, product.materials, product.dimensions]))
    fields = {
        "title": product.title,
        "body": body,
        # One name a line: the analyzer never joins the last word of one to the next.
        "names": "\n".join(filter(None, names)),
        "category": category.slug,
        "category_parent": parent.slug if parent is not None else category.slug,
        "city": producer.city,
        "cooperative": producer.cooperative.slug if producer.cooperative else "",
        # The lowest price across its variants: what "up to" a price and "cheapest first" mean.
        "price": product.price_range[0],
        "availability": availability(product),
        "published": int(product.published_at.timestamp()) if product.published_at else 0,
    }
    digest = hashlib.sha256(repr(sorted(fields.items())).encode()).hexdigest()[:20]
    return Document(id=product.id, stamp=digest, **fields)


def index_options():
    return (
        joinedload(Product.category).joinedload(Category.parent),
        joinedload(Product.producer).joinedload(Producer.cooperative),
        joinedload(Product.producer).joinedload(Producer.centre),
        selectinload(Product.variants),
    )


def load_products(ids: list[int]) -> dict[int, Product]:
    if not ids:
        return {}
    products = db.session.scalars(
        select(Product).where(Product.id.in_(ids)).options(*index_options())
    ).unique()
    return {product.id: product for product in products}


def searchable_products(batch: int = 2000):
    """Every listing that belongs in the index, streamed in batches of ``batch``.

    Reads in a session of its own, so the caller's objects are left alone.
    """
    last_id = 0
    with Session(db.engine) as session:
        while True:
            rows = (
                session.scalars(
                    select(Product)
                    .join(Product.producer)
                    .where(
                        Product.status == ProductStatus.ACTIVE,
                        Producer.status == ProducerStatus.APPROVED,
                        Product.id > last_id,
                    )
                    .order_by(Product.id)
                    .limit(batch)
                    .options(*index_options())
                )
                .unique()
                .all()
            )
            if not rows:
                return
            yield from rows
            last_id = rows[-1].id
            session.expunge_all()  # keep memory flat on a large catalogue
